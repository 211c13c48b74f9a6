// Tall-skinny qr (CholeskyQR2, shifted CholeskyQR3, Householder fallback) and the public
// rank-k updates herk/syrk: against Eigen, on every grid, with the default block, through a
// condition sweep that forces each path.

#include <cmath>

#include "support.hpp"

using namespace tartan_test;

namespace {

// m x n with singular values logspaced from 1 to 1/kappa: a random matrix with its
// columns scaled, turned by a random orthogonal (unitary) n x n factor.
template <class T>
Mat<T> tall_conditioned(std::int64_t m, std::int64_t n, double kappa, std::uint64_t seed) {
  Mat<T> a = ref_orthonormal_columns<T>(serial_random<T>(m, n, seed));
  for (std::int64_t j = 0; j < n; ++j)
    a.col(j) *= T(std::pow(kappa, -double(j) / double(std::max<std::int64_t>(n - 1, 1))));
  const Mat<T> v = ref_orthonormal_columns<T>(serial_random<T>(n, n, seed + 1));
  return a * v;
}

// The bounds of the tall-skinny QR: ||Q^H Q - I|| <= 50 n eps, ||A - Q R|| <= 50 n eps ||A||
// (1-norms), R upper triangular.
template <class T>
void require_qr(const Mat<T>& a, const Mat<T>& q, const Mat<T>& r) {
  const double n = double(a.cols()), e = eps<T>();
  const Mat<T> I = Mat<T>::Identity(a.cols(), a.cols());
  REQUIRE(one_norm(Mat<T>(q.adjoint() * q - I)) <= 50 * n * e);
  REQUIRE(one_norm(Mat<T>(a - q * r)) <= 50 * n * e * one_norm(a));
  for (Eigen::Index j = 0; j < r.cols(); ++j)
    for (Eigen::Index i = j + 1; i < r.rows(); ++i) REQUIRE(r(i, j) == T(0));
}

}  // namespace

TEMPLATE_TEST_CASE("qr by CholeskyQR2 for tall-skinny A, every grid, default block", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : {std::pair<int, int>{50, 1}, {150, 3}, {3250, 65}, {6500, 129}})
      for (tt::Source src : {tt::Source{}, tt::Source{P - 1, Q - 1}}) {
        INFO(m << "x" << n << " grid " << P << "x" << Q << " source " << src.row << "," << src.col);
        auto A = tt::random<T>(g, m, n, 40 + n, tt::Block{}, src);
        const Mat<T> a = gather_all(A);
        const auto auto_method = tt::qr(A).method;  // automatic takes CholeskyQR on every grid
        REQUIRE(all_ranks(auto_method == tt::QrMethod::cholesky_qr));
        auto res = tt::qr(A, {.method = tt::QrMethod::cholesky_qr});
        REQUIRE(all_ranks(res.method == tt::QrMethod::cholesky_qr && res.fallback.empty()));
        REQUIRE(res.q.rows() == m);
        REQUIRE(res.q.cols() == n);
        REQUIRE(res.r.rows() == n);
        require_qr<T>(a, gather_all(res.q), gather_all(res.r));
        auto ronly = tt::qr(A, {.mode = tt::QrMode::r, .method = tt::QrMethod::cholesky_qr});
        REQUIRE(ronly.q.rows() == 0);
        REQUIRE(gather_all(ronly.r) == gather_all(res.r));
        REQUIRE(gather_all(A) == a);                                              // input untouched
        auto [q2, r2] = tt::qr(A.copy(), {.method = tt::QrMethod::cholesky_qr});  // rvalue overload, tuple protocol
        REQUIRE(gather_all(r2) == gather_all(res.r));
      }
  }
}

TEMPLATE_TEST_CASE("qr condition sweep forces every CholeskyQR fallback; all results within bounds", "", double,
                   std::complex<double>, float, std::complex<float>) {
  using T = TestType;
  const bool single = std::is_same_v<tt::real_t<T>, float>;
  int plain = 0, shifted = 0, householder = 0;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int e = 0; e <= (single ? 10 : 18); e += single ? 1 : 2) {
      // the last one is exactly rank-deficient: a zero column
      const double kappa = std::pow(10.0, e);
      INFO("cond 1e" << e << " grid " << P << "x" << Q);
      Mat<T> a = tall_conditioned<T>(1500, 20, kappa, 60 + e);
      if (e == (single ? 10 : 18)) a.col(7).setZero();
      auto res = tt::qr(tt::from_eigen(g, a), {.method = tt::QrMethod::cholesky_qr});
      INFO("note: " << res.fallback);
      require_qr<T>(a, gather_all(res.q), gather_all(res.r));
      if (res.fallback.empty()) {
        ++plain;
        REQUIRE(res.method == tt::QrMethod::cholesky_qr);
      } else if (res.method == tt::QrMethod::cholesky_qr) {
        ++shifted;
        REQUIRE(res.fallback.find("used shifted CholeskyQR3") != std::string::npos);
      } else {
        ++householder;
        REQUIRE(res.method == tt::QrMethod::householder);
        REQUIRE(res.fallback.find("used householder") != std::string::npos);
      }
    }
  }
  REQUIRE(plain > 0);
  REQUIRE(shifted > 0);
  REQUIRE(householder > 0);
}

TEMPLATE_TEST_CASE("a Gram matrix that overflows (Inf and NaN inside CholeskyQR) falls back to Householder", "", double,
                   float) {
  // Entries near the square root of the overflow threshold: A^H A overflows, so CholeskyQR's
  // Cholesky factor, condition estimate and trace become Inf or NaN inside the algorithm.
  // Every comparison that decides its path must treat them as failure: qr falls back to
  // Householder, within the bounds, and svdvals and lstsq stay right.
  using T = TestType;
  using R = tt::real_t<T>;
  const double big = std::sqrt(double(std::numeric_limits<R>::max())) * 4;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    INFO("grid " << P << "x" << Q);
    const Mat<T> unit = tall_conditioned<T>(1200, 12, 10, 90);
    const Mat<T> a = unit * T(big);
    auto res = tt::qr(tt::from_eigen(g, a), {.method = tt::QrMethod::cholesky_qr});
    INFO("note: " << res.fallback);
    REQUIRE(all_ranks(res.method == tt::QrMethod::householder));
    require_qr<T>(a, gather_all(res.q), gather_all(res.r));
    const auto s = tt::svdvals(tt::from_eigen(g, a));
    const std::vector<double> sref = ref_svdvals(unit);
    for (std::size_t i = 0; i < s.size(); ++i) REQUIRE(std::abs(double(s[i]) / big - sref[i]) <= 100 * eps<T>());
    const Mat<T> b = serial_random<T>(1200, 1, 91);
    auto ls = tt::lstsq(tt::from_eigen(g, a), tt::from_eigen(g, b));
    REQUIRE(ls.rank == 12);
    const Mat<T> want = ref_lstsq(unit, b) / T(big);
    REQUIRE(one_norm(Mat<T>(gather_all(ls.x) - want)) <= 1e3 * eps<T>() * one_norm(want));
  }
}

TEMPLATE_TEST_CASE("qr method choice and errors", "", double, std::complex<double>) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto tall = tt::random<T>(g, 500, 10, 1), sq = tt::random<T>(g, 30, 30, 2), wide = tt::random<T>(g, 10, 500, 3);
  REQUIRE(tt::qr(sq).method == tt::QrMethod::householder);
  REQUIRE(tt::qr(tall, {.mode = tt::QrMode::complete}).method == tt::QrMethod::householder);
  auto h = tt::qr(tall, {.method = tt::QrMethod::householder});
  REQUIRE(h.method == tt::QrMethod::householder);
  require_qr<T>(gather_all(tall), gather_all(h.q), gather_all(h.r));
  // A zero matrix: no Cholesky factor exists; Householder gives Q and R = 0.
  auto z = tt::qr(tt::zeros<T>(g, 500, 10), {.method = tt::QrMethod::cholesky_qr});
  REQUIRE(z.method == tt::QrMethod::householder);
  REQUIRE(z.fallback.find("A is zero") != std::string::npos);
  require_throws_everywhere<tt::InvalidArgument>(
      [&] { tt::qr(tall, {.mode = tt::QrMode::complete, .method = tt::QrMethod::cholesky_qr}); },
      "qr: method cholesky_qr needs m >= n and mode reduced or r; A is 500x10 and the mode is complete");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::qr(wide, {.method = tt::QrMethod::cholesky_qr}); },
                                                 "A is 10x500");
  auto nan = tall.copy();
  nan.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
    if (i == 321 && j == 7) x = T(std::nan(""));
  });
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::qr(nan); }, "NaN or Inf");
}

TEMPLATE_TEST_CASE("herk and syrk against Eigen, both triangles, both ops, any layout", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : {tt::Block{}, tt::Block{3, 5}})
      for (bool lower : {true, false})
        for (bool trans : {true, false}) {
          INFO("grid " << P << "x" << Q << " block " << b.mb << "x" << b.nb << " lower " << lower << " trans "
                       << trans);
          auto A = tt::random<T>(g, 70, 9, 5, b, tt::Source{P - 1, 0});
          const std::int64_t n = trans ? 9 : 70;
          auto C0 = tt::random<T>(g, n, n, 6, b);
          const Mat<T> a = gather_all(A), c0 = gather_all(C0);
          const Mat<T> opa = trans ? Mat<T>(a.adjoint()) : a, opt = trans ? Mat<T>(a.transpose()) : a;
          auto check = [&](const Mat<T>& got, const Mat<T>& want) {
            for (std::int64_t j = 0; j < n; ++j)
              for (std::int64_t i = 0; i < n; ++i) {
                const bool in = lower ? i >= j : i <= j;
                if (!in)
                  REQUIRE(got(i, j) == c0(i, j));  // other triangle untouched
                else if (i != j || !tt::is_complex_v<T>)
                  REQUIRE(std::abs(got(i, j) - want(i, j)) <= 100 * eps<T>() * (1 + std::abs(want(i, j))) * 70);
                else
                  REQUIRE(std::abs(std::real(got(i, j)) - std::real(want(i, j))) <=
                          100 * eps<T>() * (1 + std::abs(want(i, j))) * 70);
              }
          };
          auto C = C0.copy();
          tt::herk<T>(R(2), A, trans ? tt::Op::adjoint : tt::Op::none, R(0.5), C, lower);
          check(gather_all(C), Mat<T>(T(2) * (trans ? Mat<T>(opa * a) : Mat<T>(a * a.adjoint())) + T(0.5) * c0));
          auto S = C0.copy();
          tt::syrk<T>(T(2), A, trans ? tt::Op::transpose : tt::Op::none, T(0.5), S, lower);
          check(gather_all(S), Mat<T>(T(2) * (trans ? Mat<T>(opt * a) : Mat<T>(a * a.transpose())) + T(0.5) * c0));
        }
    auto A = tt::random<T>(g, 7, 4, 1);
    auto C = tt::zeros<T>(g, 5, 5);
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::herk<T>(R(1), A, tt::Op::adjoint, R(0), C); },
                                                   "herk: op(A) op(A)^H is 4x4 and C is 5x5");
    if constexpr (tt::is_complex_v<T>)
      require_throws_everywhere<tt::InvalidArgument>([&] { tt::syrk<T>(T(1), A, tt::Op::adjoint, T(0), C); },
                                                     "syrk: op is adjoint, expected none or transpose");
  }
}

TEMPLATE_TEST_CASE("lstsq on tall-skinny A: CholeskyQR2 on P x 1 grids, as numpy elsewhere", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (bool deficient : {false, true})
      for (int nrhs : {1, 3}) {
        INFO("grid " << P << "x" << Q << " deficient " << deficient << " nrhs " << nrhs);
        Mat<T> a = tall_conditioned<T>(1200, 12, 10, 80);
        if (deficient) a.col(5) = a.col(2) + a.col(9);  // rank 11
        const Mat<T> bb = serial_random<T>(1200, nrhs, 81);
        auto res = tt::lstsq(tt::from_eigen(g, a), tt::from_eigen(g, bb));
        REQUIRE(res.rank == (deficient ? 11 : 12));
        const std::vector<double> sref = ref_svdvals(a);
        for (int i = 0; i < 12; ++i)
          REQUIRE(std::abs(double(res.s[std::size_t(i)]) - sref[std::size_t(i)]) <= 100 * eps<T>() * sref[0]);
        // the minimum-norm least-squares solution, from the SVD with numpy's cutoff
        const Mat<T> want = ref_lstsq(a, bb, 12 * 1200 * double(std::numeric_limits<R>::epsilon()));
        const Mat<T> x = gather_all(res.x);
        REQUIRE(one_norm(Mat<T>(x - want)) <= 1e4 * eps<T>() * (1 + one_norm(want)));
        if (!deficient) {
          REQUIRE(res.residuals.size() == std::size_t(nrhs));
          for (int j = 0; j < nrhs; ++j) {
            const double r = (bb.col(j) - a * x.col(j)).squaredNorm();
            REQUIRE(std::abs(double(res.residuals[std::size_t(j)]) - r) <= 1e3 * eps<T>() * (1 + r));
          }
        } else {
          REQUIRE(res.residuals.empty());
        }
      }
  }
}
