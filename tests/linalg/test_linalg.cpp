// numpy/scipy-style linear algebra: scaled residuals with ScaLAPACK/HPL thresholds, every
// element type, awkward sizes and blocks, hard matrices, and every error on every rank.

#include <cmath>

#include "support.hpp"

using namespace tartan_test;

namespace {

template <class T>
tt::DistMatrix<T> hermitian_random(const tt::Grid& g, std::int64_t n, std::uint64_t seed, tt::Block b = {},
                                   double shift = 0) {
  return tt::from_function<T>(g, n, n, [&](std::int64_t i, std::int64_t j) {
    // a deterministic pattern, symmetric in (i, j) up to the sign of the imaginary part
    const std::int64_t lo = std::min(i, j), hi = std::max(i, j);
    double re = std::sin(double(seed) + 0.7 * double(lo) + 1.3 * double(hi) * double(hi % 7 + 1));
    double im = (i == j) ? 0.0 : std::cos(double(seed) + 0.3 * double(lo * hi));
    if (i == j) re += shift;
    if constexpr (std::is_same_v<T, tt::real_t<T>>) return T(re);
    else return T(tt::real_t<T>(re), tt::real_t<T>(i < j ? im : -im));
  }, b);
}

const std::vector<int> sizes = {0, 1, 2, 13, 31, 57};
const std::vector<tt::Block> blocks = {{4, 4}, {3, 5}, {64, 64}};

}  // namespace

TEMPLATE_TEST_CASE("solve (general) on random matrices, every grid and block", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes)
      for (auto b : blocks)
        for (int nrhs : {1, 3}) {
          auto A = tt::random<T>(g, n, n, 100 + n, b, tt::Source{P - 1, Q - 1});
          auto B = tt::random<T>(g, n, nrhs, 200 + n, tt::Block{b.mb, 2});
          const Mat<T> a = gather_all(A), bb = gather_all(B);
          auto X = tt::solve(A, B);
          REQUIRE(X.rows() == n);
          REQUIRE(X.cols() == nrhs);
          INFO("n=" << n << " block " << b.mb << "x" << b.nb << " grid " << P << "x" << Q);
          REQUIRE(solve_residual<T>(a, gather_all(X), bb) < 16);
          REQUIRE(gather_all(A) == a);  // inputs untouched
          REQUIRE(gather_all(B) == bb);
        }
  }
}

TEMPLATE_TEST_CASE("solve with positive definite, symmetric and hermitian structure", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (int n : {1, 13, 57})
    for (bool lower : {false, true}) {
      auto A = hermitian_random<T>(g, n, 3, tt::Block{4, 4}, n + 1.0);  // diagonally shifted: positive definite
      auto B = tt::random<T>(g, n, 2, 5, tt::Block{4, 4});
      const Mat<T> a = gather_all(A), bb = gather_all(B);
      auto X = tt::solve(A, B, {.assume = tt::Structure::positive_definite, .lower = lower});
      REQUIRE(solve_residual<T>(a, gather_all(X), bb) < 16);
      auto S = hermitian_random<T>(g, n, 4, tt::Block{3, 3});  // indefinite
      // Spoil the unused triangle: the result must not depend on it.
      auto Sp = S.copy();
      Sp.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
        if (lower ? j > i : i > j) x = T(1e3);
      });
      const Mat<T> s = gather_all(S);
      const auto kind = !std::is_same_v<T, tt::real_t<T>> ? tt::Structure::hermitian : tt::Structure::symmetric;
      auto Y = tt::solve(Sp, B, {.assume = kind, .lower = lower});
      REQUIRE(solve_residual<T>(s, gather_all(Y), bb) < 16);
    }
}

TEMPLATE_TEST_CASE("lu_factor: many right-hand sides, transposed solves, det and slogdet", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : {0, 1, 2, 17, 31}) {
      auto A = tt::random<T>(g, n, n, 7, tt::Block{4, 4});
      const Mat<T> a = gather_all(A);
      auto lu = tt::lu_factor(A);
      REQUIRE(lu.singular_index() == -1);
      for (auto op : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint}) {
        auto B = tt::random<T>(g, n, 3, 8, tt::Block{4, 3});
        auto X = lu.solve(B, op);
        const Mat<T> opa = op == tt::Op::none ? a : (op == tt::Op::transpose ? Mat<T>(a.transpose()) : Mat<T>(a.adjoint()));
        REQUIRE(solve_residual<T>(opa, gather_all(X), gather_all(B)) < 16);
      }
      const T d = lu.det();
      const std::complex<double> dref = ref_det(a);
      INFO("n=" << n << " det " << d << " ref " << dref);
      REQUIRE(std::abs(std::complex<double>(d) - dref) <= 1e3 * eps<T>() * n * std::max<double>(1, std::abs(dref)) + 1e-30);
      REQUIRE(std::abs(tt::det(A) - d) <= 10 * eps<T>() * std::max<double>(1, std::abs(d)));
      const auto sl = tt::slogdet(A);
      if (n > 0) {
        REQUIRE(std::abs(double(sl.logabsdet) - std::log(std::abs(dref))) <= 1e3 * eps<T>() * n);
        REQUIRE(std::abs(std::complex<double>(sl.sign) - dref / std::abs(dref)) <= 1e3 * eps<T>() * n);
      } else {
        REQUIRE(sl.sign == T(1));
        REQUIRE(sl.logabsdet == 0);
      }
    }
  }
  // slogdet does not overflow where det does
  tt::Grid g(test_comm());
  auto big = tt::from_function<T>(g, 200, 200, [](std::int64_t i, std::int64_t j) { return i == j ? T(1e4) : T(0); });
  const auto sl = tt::slogdet(big);
  REQUIRE(std::abs(double(sl.logabsdet) - 200 * std::log(1e4)) < 1e-3);
  REQUIRE(std::isinf(std::abs(tt::det(big))));
}

TEMPLATE_TEST_CASE("cholesky and cho_factor", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes)
      for (bool lower : {true, false}) {
        auto A = hermitian_random<T>(g, n, 9, tt::Block{3, 3}, n + 2.0);
        const Mat<T> a = gather_all(A);
        auto C = tt::cholesky(A, {.lower = lower});
        const Mat<T> c = gather_all(C);
        const Mat<T> prod = lower ? Mat<T>(c * c.adjoint()) : Mat<T>(c.adjoint() * c);
        REQUIRE(recon<T>(a, prod) < 16);
        if (n > 1) {
          REQUIRE((lower ? c(0, n - 1) : c(n - 1, 0)) == T(0));  // the other triangle is zero
        }
        auto f = tt::cho_factor(A, {.lower = lower});
        auto B = tt::random<T>(g, n, 3, 10, tt::Block{3, 2});
        REQUIRE(solve_residual<T>(a, gather_all(f.solve(B)), gather_all(B)) < 16);
      }
  }
}

TEMPLATE_TEST_CASE("qr in every mode, tall and wide", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {13, 8}, {8, 13}, {31, 31}, {57, 17}, {5, 0}})
      for (auto b : std::vector<tt::Block>{{4, 4}, {2, 3}}) {
        auto A = tt::random<T>(g, m, n, 21, b);
        const Mat<T> a = gather_all(A);
        const int k = std::min(m, n);
        auto [q, r] = tt::qr(A);
        REQUIRE(q.rows() == m);
        REQUIRE(q.cols() == k);
        REQUIRE(r.rows() == k);
        REQUIRE(r.cols() == n);
        const Mat<T> qm = gather_all(q), rm = gather_all(r);
        REQUIRE(recon<T>(a, qm * rm) < 50);
        REQUIRE(orthogonality<T>(qm) < 50);
        REQUIRE(Mat<T>(rm.template triangularView<Eigen::StrictlyLower>()).isZero(0));
        auto [qc, rc] = tt::qr(A, {.mode = tt::QrMode::complete});
        REQUIRE(qc.cols() == m);
        REQUIRE(rc.rows() == m);
        const Mat<T> qcm = gather_all(qc);
        REQUIRE(recon<T>(a, qcm * gather_all(rc)) < 50);
        REQUIRE(orthogonality<T>(qcm) < 50);
        auto only_r = tt::qr(A, {.mode = tt::QrMode::r});
        REQUIRE(only_r.q.rows() == 0);
        REQUIRE(gather_all(only_r.r) == rm);
      }
  }
}

TEMPLATE_TEST_CASE("lstsq: over-determined, under-determined and rank-deficient", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  // Full rank over-determined: x agrees with the normal equations' answer; residuals as numpy.
  for (auto [m, n] : std::vector<std::pair<int, int>>{{31, 13}, {13, 31}, {17, 17}}) {
    auto A = tt::random<T>(g, m, n, 31, tt::Block{4, 4});
    auto B = tt::random<T>(g, m, 3, 32, tt::Block{4, 4});
    const Mat<T> a = gather_all(A), b = gather_all(B);
    auto res = tt::lstsq(A, B);
    REQUIRE(res.rank == std::min(m, n));
    REQUIRE(res.s.size() == std::size_t(std::min(m, n)));
    const Mat<T> x = gather_all(res.x);
    const Mat<T> ref = ref_lstsq(a, b);  // minimum norm solution
    REQUIRE((x - ref).norm() <= 1e3 * eps<T>() * std::max<double>(1, ref.norm()) * n);
    if (m > n) {
      REQUIRE(res.residuals.size() == 3);
      for (int j = 0; j < 3; ++j) {
        const double rr = double((a * x.col(j) - b.col(j)).squaredNorm());
        REQUIRE(std::abs(double(res.residuals[j]) - rr) <= 1e3 * eps<T>() * std::max(1.0, rr) * m);
      }
    } else {
      REQUIRE(res.residuals.empty());
    }
  }
  // Rank-deficient: A = U V with rank 5; minimum norm solution, no residuals.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid h(test_comm(), P, Q);
    auto U = tt::random<T>(h, 23, 5, 41, tt::Block{3, 3});
    auto V = tt::random<T>(h, 5, 11, 42, tt::Block{3, 3});
    auto A = tt::matmul(U, V);
    auto B = tt::random<T>(h, 23, 2, 43, tt::Block{3, 3});
    const Mat<T> a = gather_all(A), b = gather_all(B);
    auto res = tt::lstsq(A, B, {.rcond = 1e3 * eps<T>()});
    REQUIRE(res.rank == 5);
    REQUIRE(res.residuals.empty());
    const Mat<T> ref = ref_lstsq(a, b, 1e3 * eps<T>());
    REQUIRE((gather_all(res.x) - ref).norm() <= 1e4 * eps<T>() * std::max<double>(1, ref.norm()) * 23);
  }
}

TEMPLATE_TEST_CASE("eigh, eigvalsh and subsets", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes)
      for (bool lower : {true, false}) {
        auto A = hermitian_random<T>(g, n, 5, tt::Block{4, 4});
        const Mat<T> a = gather_all(A);
        INFO("n=" << n << " lower=" << lower << " grid " << P << "x" << Q);
        auto [w, V] = tt::eigh(A, {.lower = lower});
        REQUIRE(w.size() == std::size_t(n));
        REQUIRE(std::is_sorted(w.begin(), w.end()));
        const Mat<T> v = gather_all(V);
        if (n > 0) {
          Mat<T> wl = Mat<T>::Zero(n, n);
          for (int i = 0; i < n; ++i) wl(i, i) = T(w[i]);
          const double res = one_norm(Mat<T>(a * v - v * wl)) / (eps<T>() * std::max(1.0, one_norm(a)) * n);
          REQUIRE(res < 50);
          REQUIRE(orthogonality<T>(v) < 50);
          const std::vector<double> wref = ref_eigvalsh(a);
          for (int i = 0; i < n; ++i) REQUIRE(std::abs(double(w[i]) - wref[std::size_t(i)]) <= 50 * eps<T>() * n * std::max(1.0, one_norm(a)));
          const auto wv = tt::eigvalsh(A, {.lower = lower});
          for (int i = 0; i < n; ++i) REQUIRE(std::abs(wv[i] - w[i]) <= 50 * eps<T>() * n * std::max(1.0, one_norm(a)));
        }
        if (n >= 13) {
          auto sub = tt::eigh(A, {.lower = lower, .subset_by_index = std::pair<std::int64_t, std::int64_t>{2, 6}});
          REQUIRE(sub.eigenvalues.size() == 5);
          REQUIRE(sub.eigenvectors.cols() == 5);
          for (int i = 0; i < 5; ++i) REQUIRE(std::abs(sub.eigenvalues[i] - w[2 + i]) <= 50 * eps<T>() * n * std::max(1.0, one_norm(a)));
          const double lo = (double(w[3]) + double(w[4])) / 2, hi = (double(w[8]) + double(w[9])) / 2;
          auto byv = tt::eigvalsh(A, {.lower = lower, .subset_by_value = std::pair{lo, hi}});
          REQUIRE(byv.size() == 5);  // w[4] .. w[8]
          REQUIRE(std::abs(byv[0] - w[4]) <= R(50 * eps<T>() * n * std::max(1.0, one_norm(a))));
        }
      }
  }
}

TEMPLATE_TEST_CASE("generalized eigh(A, B)", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (int n : {1, 13, 31}) {
    auto A = hermitian_random<T>(g, n, 11, tt::Block{4, 4});
    auto B = hermitian_random<T>(g, n, 12, tt::Block{4, 4}, n + 1.0);
    const Mat<T> a = gather_all(A), b = gather_all(B);
    for (bool lower : {true, false}) {
      auto [w, V] = tt::eigh(A, B, {.lower = lower});
      const Mat<T> v = gather_all(V);
      Mat<T> wl = Mat<T>::Zero(n, n);
      for (int i = 0; i < n; ++i) wl(i, i) = T(w[i]);
      const double res = one_norm(Mat<T>(a * v - b * v * wl)) / (eps<T>() * (one_norm(a) + one_norm(b)) * std::max(1.0, one_norm(v)) * n);
      REQUIRE(res < 50);
      const Mat<T> vbv = v.adjoint() * b * v - Mat<T>::Identity(n, n);  // B-orthonormal
      REQUIRE(one_norm(vbv) / (eps<T>() * one_norm(b) * n) < 50);
      const auto wv = tt::eigvalsh(A, B, {.lower = lower});
      REQUIRE(wv.size() == std::size_t(n));
      const std::vector<double> gref = ref_eigvalsh(a, b);
      for (int i = 0; i < n; ++i) {
        REQUIRE(std::abs(double(wv[i]) - gref[std::size_t(i)]) <=
                1e3 * eps<T>() * n * (one_norm(a) + one_norm(b)) * std::max(1.0, one_norm(v)));
        REQUIRE(std::abs(double(wv[i]) - double(w[i])) <= 1e3 * eps<T>() * n * (one_norm(a) + one_norm(b)));
      }
    }
  }
}

TEMPLATE_TEST_CASE("svd, svdvals, pinv, matrix_rank, cond", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {13, 8}, {8, 13}, {31, 31}, {57, 17}})
      for (bool full : {false, true}) {
        auto A = tt::random<T>(g, m, n, 51, tt::Block{4, 4});
        const Mat<T> a = gather_all(A);
        const int k = std::min(m, n);
        auto [U, s, Vh] = tt::svd(A, {.full_matrices = full});
        REQUIRE(s.size() == std::size_t(k));
        REQUIRE(std::is_sorted(s.rbegin(), s.rend()));
        REQUIRE(U.cols() == (full ? m : k));
        REQUIRE(Vh.rows() == (full ? n : k));
        const Mat<T> u = gather_all(U), vh = gather_all(Vh);
        Mat<T> sig = Mat<T>::Zero(u.cols(), vh.rows());
        for (int i = 0; i < k; ++i) sig(i, i) = T(s[i]);
        REQUIRE(recon<T>(a, u * sig * vh) < 50);
        REQUIRE(orthogonality<T>(u) < 50);
        REQUIRE(orthogonality<T>(Mat<T>(vh.adjoint())) < 50);
        const auto sv = tt::svdvals(A);
        for (int i = 0; i < k; ++i) REQUIRE(std::abs(sv[i] - s[i]) <= 50 * eps<T>() * k * s[0]);
      }
    // pinv: Moore-Penrose conditions on a rank-deficient product
    auto U = tt::random<T>(g, 17, 4, 61, tt::Block{3, 3});
    auto V = tt::random<T>(g, 4, 9, 62, tt::Block{3, 3});
    auto A = tt::matmul(U, V);
    const Mat<T> a = gather_all(A);
    REQUIRE(tt::matrix_rank(A) == 4);
    const Mat<T> x = gather_all(tt::pinv(A));
    REQUIRE(x.rows() == 9);
    REQUIRE(one_norm(Mat<T>(a * x * a - a)) <= 1e3 * eps<T>() * one_norm(a) * 17);
    REQUIRE(one_norm(Mat<T>(x * a * x - x)) <= 1e3 * eps<T>() * one_norm(x) * 17);
    REQUIRE(tt::matrix_rank(tt::identity<T>(g, 7)) == 7);
    REQUIRE(tt::matrix_rank(tt::zeros<T>(g, 5, 3)) == 0);
    // cond of a diagonal matrix with known condition
    auto D = tt::from_function<T>(g, 10, 10, [](std::int64_t i, std::int64_t j) {
      return i == j ? T(tt::real_t<T>(std::pow(10.0, -double(i) / 3))) : T(0);
    });
    const double c = std::pow(10.0, 3.0);
    REQUIRE(std::abs(tt::cond(D) - c) <= 1e3 * eps<T>() * c);
    REQUIRE(std::abs(tt::cond(D, tt::Norm::one) - c) <= 1e3 * eps<T>() * c);
    REQUIRE(std::abs(tt::cond(D, tt::Norm::inf) - c) <= 1e3 * eps<T>() * c);
    auto Z = tt::identity<T>(g, 6);
    Z.set(4, 4, T(0));
    REQUIRE(std::isinf(tt::cond(Z)));
    REQUIRE(std::isinf(tt::cond(Z, tt::Norm::one)));
  }
}

TEMPLATE_TEST_CASE("inv", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes) {
      auto A = tt::random<T>(g, n, n, 71, tt::Block{4, 4});
      const Mat<T> a = gather_all(A);
      const Mat<T> x = gather_all(tt::inv(A));
      if (n == 0) continue;
      // ||A inv(A) - I||_1 / (eps ||A||_1 ||inv(A)||_1 n)
      const double r = one_norm(Mat<T>(a * x - Mat<T>::Identity(n, n))) / (eps<T>() * one_norm(a) * one_norm(x) * n);
      REQUIRE(r < 16);
    }
  }
}

TEMPLATE_TEST_CASE("hard matrices: graded spectrum, Hilbert, clustered eigenvalues", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  tt::Grid g(test_comm());
  const int n = 40;
  // Graded: Q1 diag(1 .. 1/cond) Q2 with cond 1e8 (1e4 in single precision): no throw, backward error small.
  const double condition = std::is_same_v<R, float> ? 1e4 : 1e8;
  auto Q1 = tt::qr(tt::random<T>(g, n, n, 81, tt::Block{4, 4})).q;
  auto Q2 = tt::qr(tt::random<T>(g, n, n, 82, tt::Block{4, 4})).q;
  auto D = tt::from_function<T>(g, n, n, [&](std::int64_t i, std::int64_t j) {
    return i == j ? T(R(std::pow(condition, -double(i) / (n - 1)))) : T(0);
  }, tt::Block{4, 4});
  auto A = tt::matmul(tt::matmul(Q1, D), Q2);
  auto B = tt::random<T>(g, n, 2, 83, tt::Block{4, 4});
  const Mat<T> a = gather_all(A), b = gather_all(B);
  REQUIRE(solve_residual<T>(a, gather_all(tt::solve(A, B)), b) < 16);
  const auto s = tt::svdvals(A);
  REQUIRE(std::abs(double(s.front() / s.back()) / condition - 1) < 0.1);
  // Hilbert matrix: positive definite and very ill-conditioned; Cholesky solve backward-stable.
  const int h = std::is_same_v<R, float> ? 6 : 10;
  auto H = tt::from_function<T>(g, h, h, [](std::int64_t i, std::int64_t j) { return T(R(1.0 / double(i + j + 1))); },
                                tt::Block{3, 3});
  auto Bh = tt::random<T>(g, h, 1, 84, tt::Block{3, 3});
  auto Xh = tt::solve(H, Bh, {.assume = tt::Structure::positive_definite});
  REQUIRE(solve_residual<T>(gather_all(H), gather_all(Xh), gather_all(Bh)) < 16);
  // Clustered eigenvalues: Q diag(1, 1+d, 1+2d, ..., 2) Q^H with d tiny.
  auto Q = tt::qr(tt::random<T>(g, n, n, 85, tt::Block{4, 4})).q;
  auto L = tt::from_function<T>(g, n, n, [&](std::int64_t i, std::int64_t j) {
    return i == j ? T(R(i + 1 < n ? 1.0 + 1e3 * eps<T>() * double(i) : 2.0)) : T(0);
  }, tt::Block{4, 4});
  auto S = tt::matmul(tt::matmul(Q, L), tt::adjoint(Q));
  auto [w, V] = tt::eigh(S);
  const Mat<T> v = gather_all(V), sm = gather_all(S);
  REQUIRE(orthogonality<T>(v) < 50);
  Mat<T> wl = Mat<T>::Zero(n, n);
  for (int i = 0; i < n; ++i) wl(i, i) = T(w[i]);
  REQUIRE(one_norm(Mat<T>(sm * v - v * wl)) / (eps<T>() * one_norm(sm) * n) < 50);
}

TEMPLATE_TEST_CASE("linalg errors: same exception and message on every rank, inputs intact", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto rect = tt::random<T>(g, 6, 5, 1);
  auto sq = tt::random<T>(g, 6, 6, 2);
  auto b6 = tt::random<T>(g, 6, 1, 3);
  auto b5 = tt::random<T>(g, 5, 1, 4);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(rect, b6); }, "solve: A is 6x5, expected a square matrix");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(sq, b5); }, "solve: A is 6x6 and B is 5x1");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::inv(rect); }, "inv: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::det(rect); }, "det: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::cholesky(rect); }, "cholesky: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::eigh(rect); }, "eigh: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::lstsq(rect, b5); }, "lstsq: A is 6x5 and B is 5x1");
  require_throws_everywhere<tt::InvalidArgument>(
      [&] { tt::eigh(sq, {.subset_by_index = std::pair<std::int64_t, std::int64_t>{3, 6}}); }, "subset_by_index");
  tt::Grid other(test_comm());
  auto elsewhere = tt::random<T>(other, 6, 1, 5);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(sq, elsewhere); }, "different grids");

  // Exactly singular: a zero column. The pivot index is reported, on every rank.
  auto sing = sq.copy();
  sing.for_each_local([](std::int64_t, std::int64_t j, T& x) {
    if (j == 3) x = T(0);
  });
  const Mat<T> before = gather_all(sing);
  const auto msg = require_throws_everywhere<tt::SingularMatrix>([&] { tt::solve(sing, b6); }, "singular matrix");
  REQUIRE(gather_all(sing) == before);
  std::int64_t index = -1;
  try {
    tt::inv(sing);
  } catch (const tt::SingularMatrix& e) {
    index = e.index();
  }
  REQUIRE(all_ranks(index == 3));  // thrown, with the pivot, on every rank
  auto lu = tt::lu_factor(sing);  // no throw, as scipy
  REQUIRE(lu.singular_index() == 3);
  REQUIRE(lu.det() == T(0));
  require_throws_everywhere<tt::SingularMatrix>([&] { lu.solve(b6); }, "U(3,3) is exactly zero");

  // Not positive definite: the order of the failing minor.
  auto npd = tt::identity<T>(g, 6);
  npd.set(4, 4, T(-1));
  require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::cholesky(npd); }, "leading minor of order 5 is not positive definite");
  std::int64_t order = -1;
  try {
    tt::cho_factor(npd);
  } catch (const tt::NotPositiveDefinite& e) {
    order = e.order();
  }
  REQUIRE(all_ranks(order == 5));
  require_throws_everywhere<tt::NotPositiveDefinite>(
      [&] { tt::solve(npd, b6, {.assume = tt::Structure::positive_definite}); }, "order 5");
  require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::eigh(sq, npd); }, "B is not positive definite");

  // NaN and Inf are caught before ScaLAPACK sees them (p?potrf would return garbage,
  // p?syevd would abort the job).
  auto nan = sq.copy();
  nan.set(5, 2, T(std::numeric_limits<tt::real_t<T>>::quiet_NaN()));
  auto inf = sq.copy();
  inf.set(0, 0, T(std::numeric_limits<tt::real_t<T>>::infinity()));
  for (auto* bad : {&nan, &inf}) {
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::solve(*bad, b6); }, "solve: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::cholesky(*bad); }, "cholesky: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::eigh(*bad); }, "eigh: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::svd(*bad); }, "svd: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::qr(*bad); }, "qr: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::lstsq(*bad, b6); }, "lstsq: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::inv(*bad); }, "inv: A contains NaN or Inf");
  }
  // Ill-conditioned but nonsingular: no throw.
  auto ill = tt::identity<T>(g, 6);
  ill.set(5, 5, T(tt::real_t<T>(1e-30)));
  REQUIRE_NOTHROW(tt::solve(ill, b6));
  // numpy's empty-matrix conventions
  auto e = tt::zeros<T>(g, 0, 0);
  REQUIRE(tt::det(e) == T(1));
  REQUIRE(tt::inv(e).rows() == 0);
  REQUIRE(tt::eigh(e).eigenvalues.empty());
  REQUIRE(tt::svdvals(e).empty());
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::cond(e); }, "expected a non-empty matrix");
}

TEMPLATE_TEST_CASE("rvalue arguments are factored in place with the same results", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : std::vector<tt::Block>{{4, 4}, {3, 5}}) {  // square blocks move, others redistribute
      auto A = tt::random<T>(g, 31, 31, 91, b);
      auto S = hermitian_random<T>(g, 31, 92, b, 40.0);
      const Mat<T> a = gather_all(A);
      auto B = tt::random<T>(g, 31, 2, 93, tt::Block{b.mb, 2});
      const Mat<T> x_ref = gather_all(tt::lu_factor(A).solve(B));
      auto lu = tt::lu_factor(A.copy());  // a temporary: no second copy inside
      REQUIRE(gather_all(lu.solve(B)) == x_ref);
      const Mat<T> l_ref = gather_all(tt::cholesky(S));
      auto S2 = S.copy();
      REQUIRE(gather_all(tt::cholesky(std::move(S2))) == l_ref);
      auto [q, r] = tt::qr(A.copy());
      REQUIRE(recon<T>(a, gather_all(q) * gather_all(r)) < 50);
      REQUIRE(gather_all(tt::qr(A.copy(), {.mode = tt::QrMode::r}).r) == gather_all(tt::qr(A, {.mode = tt::QrMode::r}).r));
    }
  }
  tt::Grid g(test_comm());
  auto npd = tt::identity<T>(g, 6);
  npd.set(2, 2, T(-1));
  require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::cholesky(npd.copy()); }, "order 3");
}
