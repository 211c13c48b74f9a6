// BLAS-like operations against Eigen on the gathered matrices, with the field's scaled
// error bounds, over every grid shape, awkward sizes and block sizes.

#include <cmath>
#include <span>
#include <vector>

#include "support.hpp"

using namespace tartan_test;

namespace {

// ||C - Cref|| / (sqrt(k+2) * eps * ||A|| ||B||), the gemm check of the PBLAS testers.
template <class T>
double gemm_residual(const Mat<T>& C, const Mat<T>& ref, const Mat<T>& A, const Mat<T>& B, std::int64_t k) {
  const double denom = std::sqrt(double(k) + 2) * eps<T>() * std::max(1.0, double(A.norm()) * double(B.norm()));
  return double((C - ref).norm()) / denom;
}

}  // namespace

TEMPLATE_TEST_CASE("matmul matches Eigen on every grid", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, k, n] : std::vector<std::tuple<int, int, int>>{
             {1, 1, 1}, {13, 17, 5}, {31, 4, 57}, {57, 31, 13}, {64, 64, 64}, {5, 0, 3}, {0, 3, 4}})
      for (auto b : std::vector<tt::Block>{{1, 1}, {3, 5}, {8, 8}, {64, 64}}) {
        auto A = tt::random<T>(g, m, k, 1, b);
        auto B = tt::random<T>(g, k, n, 2, tt::Block{b.nb, b.mb});
        auto C = tt::matmul(A, B);
        REQUIRE(C.rows() == m);
        REQUIRE(C.cols() == n);
        const Mat<T> a = gather_all(A), bm = gather_all(B);
        const Mat<T> ref = a * bm;
        const double r = gemm_residual<T>(gather_all(C), ref, a, bm, k);
        INFO("m=" << m << " k=" << k << " n=" << n << " block " << b.mb << "x" << b.nb << " grid " << P << "x" << Q);
        REQUIRE(r < 3);
      }
  }
}

TEMPLATE_TEST_CASE("gemm with every op, alpha/beta and submatrix views", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  const T alpha = T(0.5), beta = T(-2);
  for (auto opA : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint})
    for (auto opB : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint}) {
      const int m = 11, n = 9, k = 7;
      auto A =
          opA == tt::Op::none ? tt::random<T>(g, m, k, 3, tt::Block{4, 4}) : tt::random<T>(g, k, m, 3, tt::Block{4, 4});
      auto B =
          opB == tt::Op::none ? tt::random<T>(g, k, n, 4, tt::Block{2, 3}) : tt::random<T>(g, n, k, 4, tt::Block{2, 3});
      auto C = tt::random<T>(g, m, n, 5, tt::Block{5, 2});
      const Mat<T> a = gather_all(A), b = gather_all(B), c0 = gather_all(C);
      tt::gemm(alpha, A, opA, B, opB, beta, C);
      const Mat<T> ref = alpha * op_of(a, opA) * op_of(b, opB) + beta * c0;
      REQUIRE(gemm_residual<T>(gather_all(C), ref, a, b, k + 2) < 3);
    }
  // C(2:8, 3:7) += A(1:7, 0:4) * B(0:4, 2:6) on views with offsets not aligned to blocks
  auto A = tt::random<T>(g, 10, 10, 6, tt::Block{3, 3});
  auto B = tt::random<T>(g, 10, 10, 7, tt::Block{3, 3});
  auto C = tt::random<T>(g, 10, 10, 8, tt::Block{3, 3});
  const Mat<T> a = gather_all(A), b = gather_all(B), c0 = gather_all(C);
  tt::gemm<T>(T(1), A.view(1, 0, 6, 4), tt::Op::none, B.view(0, 2, 4, 5), tt::Op::none, T(1), C.view(2, 3, 6, 5));
  Mat<T> ref = c0;
  ref.block(2, 3, 6, 5) += a.block(1, 0, 6, 4) * b.block(0, 2, 4, 5);
  REQUIRE(gemm_residual<T>(gather_all(C), ref, a, b, 6) < 3);
}

TEMPLATE_TEST_CASE("transpose, adjoint, +, -, scaling, axpy, dot", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    auto A = tt::random<T>(g, 13, 8, 1, tt::Block{3, 2});
    auto B = tt::random<T>(g, 13, 8, 2, tt::Block{5, 5});  // a different layout on purpose
    const Mat<T> a = gather_all(A), b = gather_all(B);
    REQUIRE(gather_all(tt::transpose(A)) == Mat<T>(a.transpose()));
    REQUIRE(gather_all(tt::adjoint(A)) == Mat<T>(a.adjoint()));
    REQUIRE((gather_all(A + B) - (a + b)).norm() <= 4 * eps<T>() * (a.norm() + b.norm()));
    REQUIRE((gather_all(A - B) - (a - b)).norm() <= 4 * eps<T>() * (a.norm() + b.norm()));
    REQUIRE(gather_all(T(3) * A) == Mat<T>(T(3) * a));
    REQUIRE(gather_all(A * T(3)) == Mat<T>(a * T(3)));
    REQUIRE(gather_all(-A) == Mat<T>(-a));
    REQUIRE((gather_all(A / T(4)) - Mat<T>(a / T(4))).norm() <= eps<T>() * a.norm());
    {
      auto Z = A.copy();
      Z += B;
      REQUIRE((gather_all(Z) - (a + b)).norm() <= 4 * eps<T>() * (a.norm() + b.norm()));
      Z -= B;
      Z *= T(2);
      REQUIRE((gather_all(Z) - T(2) * a).norm() <= 16 * eps<T>() * (a.norm() + b.norm()));
      Z /= T(2);
      REQUIRE((gather_all(Z) - a).norm() <= 16 * eps<T>() * (a.norm() + b.norm()));
      require_throws_everywhere<tt::InvalidArgument>([&] { Z += tt::random<T>(g, 8, 13, 3); }, "expected equal shapes");
      REQUIRE(gather_all(Z) == gather_all(Z));  // still usable
    }
    auto Y = B.copy();
    tt::axpy(T(2), A, Y);
    REQUIRE((gather_all(Y) - (T(2) * a + b)).norm() <= 8 * eps<T>() * (a.norm() + b.norm()));
    const T d = tt::dot(A, B);
    const T dref = (a.array().conjugate() * b.array()).sum();
    REQUIRE(std::abs(d - dref) <= 100 * eps<T>() * a.norm() * b.norm());
    REQUIRE(tt::transpose(tt::zeros<T>(g, 0, 4)).rows() == 4);
  }
}

TEMPLATE_TEST_CASE("scale_rows and scale_columns: diag(d) A and A diag(d), real d for complex A", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : {tt::Block{}, tt::Block{2, 3}}) {
      auto A = tt::random<T>(g, 11, 6, 4, b);
      const Mat<T> a = gather_all(A);
      std::vector<T> dr(11), dc(6);
      std::vector<R> wc(6);
      for (int i = 0; i < 11; ++i) dr[std::size_t(i)] = T(R(i + 1));
      for (int j = 0; j < 6; ++j) {
        dc[std::size_t(j)] = tt::is_complex_v<T> ? T(R(j - 2)) + T(R(0.5)) * std::sqrt(T(-1)) : T(R(j - 2));
        wc[std::size_t(j)] = R(j) / R(4);
      }
      const Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>> er(dr.data(), 11), ec(dc.data(), 6);
      REQUIRE(gather_all(tt::scale_rows(dr, A)) == Mat<T>(er.asDiagonal() * a));
      REQUIRE(gather_all(tt::scale_columns(A, dc)) == Mat<T>(a * ec.asDiagonal()));
      Mat<T> want = a;
      for (int j = 0; j < 6; ++j) want.col(j) *= T(wc[std::size_t(j)]);
      REQUIRE(gather_all(tt::scale_columns(A, std::span<const R>(wc))) == want);  // real weights, any T
      REQUIRE(gather_all(A) == a);                                                // input untouched
      require_throws_everywhere<tt::InvalidArgument>([&] { tt::scale_rows(dc, A); }, "expected 11 (one per row)");
      // ranks that pass different lengths: refused on every rank, nobody left waiting
      if (test_size() > 1) {
        std::vector<T> odd(test_rank() == 0 ? 6 : 7);
        require_throws_everywhere<tt::InvalidArgument>([&] { tt::scale_columns(A, odd); }, "different lengths");
      }
    }
  }
}

TEMPLATE_TEST_CASE("norms match Eigen on matrices and views", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{1, 1}, {17, 13}, {4, 31}, {57, 2}}) {
      auto A = tt::random<T>(g, m, n, 9, tt::Block{4, 3});
      const Mat<T> a = gather_all(A);
      const double tol = 10 * eps<T>() * (m + n);
      auto close = [&](double x, double y) { return std::abs(x - y) <= tol * std::max(1.0, std::abs(y)); };
      REQUIRE(close(tt::norm(A), a.norm()));
      REQUIRE(close(tt::norm(A, tt::Norm::one), a.cwiseAbs().colwise().sum().maxCoeff()));
      REQUIRE(close(tt::norm(A, tt::Norm::inf), a.cwiseAbs().rowwise().sum().maxCoeff()));
      REQUIRE(close(tt::norm(A, tt::Norm::max), a.cwiseAbs().maxCoeff()));
      if (m > 2 && n > 2) {
        const Mat<T> s = a.block(1, 1, m - 2, n - 2);
        REQUIRE(close(tt::norm<T>(std::as_const(A).view(1, 1, m - 2, n - 2), tt::Norm::one),
                      s.cwiseAbs().colwise().sum().maxCoeff()));
      }
    }
    REQUIRE(tt::norm(tt::zeros<T>(g, 0, 3)) == 0);
  }
}

TEMPLATE_TEST_CASE("solve_triangular: lower, upper, transposed, unit diagonal", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : {1, 13, 31}) {
      // A well-conditioned triangle: random off-diagonal, diagonal n + 1.
      auto A = tt::from_function<T>(
          g, n, n,
          [&](std::int64_t i, std::int64_t j) {
            return i == j ? T(tt::real_t<T>(n + 1)) : T(tt::real_t<T>(std::sin(double(i * 7 + j * 3))));
          },
          tt::Block{4, 4});
      auto B = tt::random<T>(g, n, 3, 11, tt::Block{4, 2});
      const Mat<T> a = gather_all(A), b = gather_all(B);
      for (bool lower : {true, false})
        for (auto op : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint})
          for (bool unit : {false, true}) {
            auto X = tt::solve_triangular(A, B, {.lower = lower, .trans = op, .unit_diagonal = unit});
            Mat<T> tri = lower ? Mat<T>(a.template triangularView<Eigen::Lower>())
                               : Mat<T>(a.template triangularView<Eigen::Upper>());
            if (unit) tri.diagonal().setOnes();
            const Mat<T> x = gather_all(X);
            const Mat<T> opa = op_of(tri, op);
            const double r =
                double((opa * x - b).cwiseAbs().rowwise().sum().maxCoeff()) /
                (eps<T>() *
                 (double(opa.cwiseAbs().rowwise().sum().maxCoeff()) * double(x.cwiseAbs().rowwise().sum().maxCoeff()) +
                  double(b.cwiseAbs().rowwise().sum().maxCoeff())) *
                 n);
            REQUIRE(r < 16);
          }
      REQUIRE(gather_all(B) == b);  // B untouched
    }
  }
}

TEMPLATE_TEST_CASE("BLAS argument errors throw on every rank", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 5, 4, 1);
  auto B = tt::random<T>(g, 5, 4, 2);
  auto C = tt::zeros<T>(g, 5, 5);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::matmul(A, B); }, "A is 5x4 and B is 5x4");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::gemm(T(1), A, tt::Op::none, B, tt::Op::none, T(0), C); },
                                                 "op(A) is 5x4, op(B) is 5x4 and C is 5x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::operator+(A, C); }, "expected equal shapes");
  tt::Grid other(test_comm());
  auto D = tt::random<T>(other, 4, 4, 3);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::matmul(A, D); }, "different grids");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve_triangular(A, B); },
                                                 "A is 5x4, expected a square matrix");
  auto S = tt::identity<T>(g, 5);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve_triangular(S, tt::zeros<T>(g, 4, 1)); },
                                                 "expected B with 5 rows");
  S.set(3, 3, T(0));
  const auto msg = require_throws_everywhere<tt::SingularMatrix>([&] { tt::solve_triangular(S, B); },
                                                                 "diagonal entry 3 is exactly zero");
  S.set(3, 3, T(1));
  auto Bn = B.copy();
  Bn.set(4, 3, T(std::numeric_limits<tt::real_t<T>>::quiet_NaN()));
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::solve_triangular(S, Bn); }, "B contains NaN or Inf");
}

TEMPLATE_TEST_CASE("gemm with C sharing storage with A or B", "", TARTAN_TYPES) {
  using T = TestType;
  // C := A * B with C the same matrix as A gave a difference of 171 against the reference.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : std::vector<tt::Block>{{}, {3, 3}, {2, 5}}) {
      const int n = 23;
      auto A = tt::random<T>(g, n, n, 1, b);
      auto B = tt::random<T>(g, n, n, 2, b);
      const Mat<T> a = gather_all(A), bm = gather_all(B);
      tt::gemm(T(1), A, tt::Op::none, B, tt::Op::none, T(0), A);  // A := A B
      REQUIRE(gemm_residual<T>(gather_all(A), Mat<T>(a * bm), a, bm, n) < 3);
      tt::gemm(T(2), B, tt::Op::adjoint, B, tt::Op::none, T(1), B);  // B := 2 B^H B + B
      REQUIRE(gemm_residual<T>(gather_all(B), Mat<T>(T(2) * bm.adjoint() * bm + bm), bm, bm, n) < 3);
      // windows of one matrix: overlapping and disjoint
      auto M = tt::random<T>(g, 2 * n, 2 * n, 3, b);
      const Mat<T> m0 = gather_all(M);
      tt::gemm<T>(T(1), std::as_const(M).view(0, 0, n, n), tt::Op::none, std::as_const(M).view(n, n, n, n),
                  tt::Op::none, T(0), M.view(n / 2, n / 2, n, n));
      Mat<T> expect = m0;
      expect.block(n / 2, n / 2, n, n) = m0.block(0, 0, n, n) * m0.block(n, n, n, n);
      REQUIRE(gemm_residual<T>(gather_all(M), expect, m0, m0, n) < 3);
      tt::gemm<T>(T(1), std::as_const(M).view(0, 0, n, n), tt::Op::none, std::as_const(M).view(0, n, n, n),
                  tt::Op::none, T(0), M.view(n, 0, n, n));  // disjoint: no copy needed
      Mat<T> expect2 = gather_all(M);
      const Mat<T> before = expect;
      Mat<T> ref2 = before;
      ref2.block(n, 0, n, n) = before.block(0, 0, n, n) * before.block(0, n, n, n);
      REQUIRE(gemm_residual<T>(expect2, ref2, m0, m0, n) < 3);
    }
  }
}
