// Matrix functions (lib/linalg/functions.cpp): expm, sqrtm and funm_hermitian against
// closed forms built with Eigen from a known eigendecomposition, matrix_power and multi_dot
// against Eigen's products, on every grid shape, default and small blocks; their errors on
// every rank. (scipy's own expm cases are in tests/python.)

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

namespace {

// A = S diag(d) S^-1 with S = I + 0.3 R/n (well conditioned), d spread over [lo, hi].
template <class T>
struct Known {
  Mat<T> a, s, sinv;
  std::vector<double> d;
};

template <class T>
Known<T> known(int n, double lo, double hi, std::uint64_t seed) {
  Known<T> k;
  Mat<T> r = gather_all(tt::random<T>(tt::Grid(test_comm(), 1, test_size()), n, n, seed));
  k.s = Mat<T>::Identity(n, n) + r * T(0.3 / std::max(n, 1));
  k.sinv = ref_inverse(k.s);
  k.d.resize(static_cast<std::size_t>(n));
  Mat<T> D = Mat<T>::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    k.d[static_cast<std::size_t>(i)] = n == 1 ? hi : lo + (hi - lo) * i / (n - 1);
    D(i, i) = T(tt::real_t<T>(k.d[static_cast<std::size_t>(i)]));
  }
  k.a = k.s * D * k.sinv;
  return k;
}

template <class T, class F>
Mat<T> apply(const Known<T>& k, F f) {
  const auto n = static_cast<int>(k.d.size());
  Mat<T> D = Mat<T>::Zero(n, n);
  for (int i = 0; i < n; ++i) D(i, i) = T(tt::real_t<T>(f(k.d[static_cast<std::size_t>(i)])));
  return k.s * D * k.sinv;
}

// f(h) = V diag(f(w)) V^H for Hermitian h (the shared double-precision reference).
template <class T, class F>
Mat<T> hermitian_apply(const Mat<T>& h, F f) {
  return ref_hermitian_apply<T>(h, [&](double x) { return double(f(tt::real_t<T>(x))); });
}

template <class T>
double rel(const Mat<T>& got, const Mat<T>& want) {
  if (want.size() == 0) return 0;
  return one_norm(Mat<T>(got - want)) / std::max(one_norm(want), 1e-300);
}

template <class T>
double tol() {
  return std::is_same_v<tt::real_t<T>, float> ? 2e-4 : 1e-11;
}

}  // namespace

TEMPLATE_TEST_CASE("expm against S exp(D) S^-1, every grid, default and small blocks", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : {0, 1, 2, 3, 63, 65, 129})
      for (auto b : {tt::Block{}, tt::Block{4, 4}}) {
        if (n > 65 && b.mb == 4) continue;
        // spectra that pick every Pade degree: tiny (3), small (5, 7, 9) and large (13 with squaring)
        for (auto [lo, hi] : {std::pair{-1e-3, 1e-3}, {-0.1, 0.2}, {-1.0, 1.5}, {-30.0, 8.0}}) {
          const Known<T> k = known<T>(n, lo, hi, 500 + n);
          auto A = tt::from_eigen(g, k.a, 0, b);
          const Mat<T> want = apply(k, [](double x) { return std::exp(x); });
          INFO("n=" << n << " grid " << P << "x" << Q << " block " << b.mb << " spectrum [" << lo << ", " << hi << "]");
          tt::FunmReport r;
          const Mat<T> got = gather_all(tt::expm(A, {.report = &r}));
          REQUIRE(rel(got, want) < tol<T>() * std::max(1.0, hi - lo));
          REQUIRE(gather_all(A) == k.a);  // input untouched
          if (n > 1) {                    // the degree and squarings the spectrum calls for, alike on every rank
            REQUIRE(all_ranks(r.method == "pade"));
            REQUIRE(all_ranks(r.degree == (hi < 0.01 ? 3 : hi > 2 ? 13 : r.degree) && r.degree >= 3));
            REQUIRE(all_ranks((r.squarings > 0) == (hi > 2) && r.fallback.empty()));
            REQUIRE(same_on_all_ranks(r.degree * 100 + r.squarings));
          }
        }
      }
  }
}

TEMPLATE_TEST_CASE("expm from n = 200 on: the 1-norms of A^8 and A^10 estimated (Higham-Tisseur)", "", TARTAN_TYPES) {
  // From n = 200 expm estimates ||A^8|| and ||A^10|| from products it has (scipy does the
  // same) instead of forming the powers; the degree and scaling it picks must still give
  // an accurate exp.
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [lo, hi] : {std::pair{-0.3, 0.5}, {-1.0, 1.5}, {-30.0, 8.0}}) {
      const Known<T> k = known<T>(257, lo, hi, 77);
      auto A = tt::from_eigen(g, k.a, 0, tt::Block{});
      INFO("grid " << P << "x" << Q << " spectrum [" << lo << ", " << hi << "]");
      REQUIRE(rel(gather_all(tt::expm(A)), apply(k, [](double x) { return std::exp(x); })) <
              tol<T>() * std::max(1.0, hi - lo));
    }
  }
}

TEMPLATE_TEST_CASE("expm of special matrices: zero, nilpotent, exp(A) exp(-A) = I", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  tt::FunmReport r;
  REQUIRE(gather_all(tt::expm(tt::zeros<T>(g, 7, 7, tt::Block{2, 2}), {.report = &r})) == Mat<T>::Identity(7, 7));
  REQUIRE(all_ranks(r.method == "zero"));
  Mat<T> nil = Mat<T>::Zero(4, 4);
  nil(0, 1) = T(1);
  nil(1, 2) = T(2);
  nil(2, 3) = T(3);
  Mat<T> want = Mat<T>::Identity(4, 4) + nil + nil * nil / T(2) + nil * nil * nil / T(6);
  REQUIRE(rel(gather_all(tt::expm(tt::from_eigen(g, nil, 0, tt::Block{1, 1}))), want) < tol<T>());
  auto A = tt::random<T>(g, 50, 50, 9, tt::Block{8, 8});
  A *= T(0.1);  // ||A||_1 about 2.5: the product's rounding stays near eps
  const Mat<T> e = gather_all(tt::matmul(tt::expm(A), tt::expm(T(-1) * A)));
  REQUIRE(rel(e, Mat<T>(Mat<T>::Identity(50, 50))) < tol<T>() * 10);
}

TEMPLATE_TEST_CASE("sqrtm and funm_hermitian against closed forms; sqrtm's refusals", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    // n = 1, 2, 3, nb - 1, nb + 1, 2 nb + 1 of the default block and a few hundred; a small block below 32
    for (int n : {1, 2, 3, 31, 63, 65, 129, 200}) {
      if (n == 200 && P > 1) continue;  // a few hundred on the 1 x P grid
      const tt::Block blk = n <= 31 ? tt::Block{4, 4} : tt::Block{};
      INFO("n=" << n << " grid " << P << "x" << Q);
      // general (not Hermitian): the Denman-Beavers route
      const Known<T> k = known<T>(n, 0.5, 40.0, 700 + n);
      tt::FunmReport r;
      const Mat<T> got = gather_all(tt::sqrtm(tt::from_eigen(g, k.a, 0, blk), {.report = &r}));
      REQUIRE(rel(got, apply(k, [](double x) { return std::sqrt(x); })) < tol<T>() * 100);
      if (n > 1) {
        REQUIRE(all_ranks(r.method == "denman_beavers"));
        INFO("Denman-Beavers steps " << r.iterations << ", fallback: " << r.fallback);
        REQUIRE(all_ranks(r.iterations >= 1 && r.iterations <= 12 && r.fallback.empty()));
      }
      // Hermitian: eigh; positive semidefinite gives the positive semidefinite root
      auto H = hermitian_random<T>(g, n, 11, tt::Block{}, 2.0 * n);
      const Mat<T> h = gather_all(H);
      auto f = [](R x) { return std::exp(x / R(8)); };
      REQUIRE(rel(gather_all(tt::sqrtm(H, {.report = &r})), hermitian_apply(h, [](R x) { return std::sqrt(x); })) <
              tol<T>() * 100);
      REQUIRE(all_ranks(r.method == "eigh"));
      REQUIRE(rel(gather_all(tt::funm_hermitian<T>(H, f)), hermitian_apply(h, f)) < tol<T>() * 100);
    }
    if constexpr (std::is_same_v<T, R>) {
      auto N = hermitian_random<T>(g, 20, 12, tt::Block{4, 4}, -50.0);  // symmetric, negative definite
      require_throws_everywhere<tt::LinAlgError>([&] { tt::sqrtm(N); }, "negative eigenvalue");
    }
    Mat<T> neg(2, 2);
    neg << T(-1), T(1), T(0), T(-2);
    if constexpr (tt::is_complex_v<T>) {
      // Eigenvalues on the negative real axis: Denman-Beavers refuses, the Schur route serves
      // (the root with eigenvalues i and i sqrt(2), as scipy's).
      for (int n : {2, 9, 40}) {
        Mat<T> d = Mat<T>::Zero(n, n);
        for (int i = 0; i < n; ++i) d(i, i) = i % 3 == 0 ? T(-1.0 - i) : T(2.0 + i, i % 2 ? 1.0 : -1.0);
        for (int i = 0; i + 1 < n; ++i) d(i, i + 1) = T(0.5);
        const Mat<T> s = Mat<T>::Identity(n, n) + Mat<T>(serial_random<T>(n, n, 3) * T(0.3 / n));
        const Mat<T> a = n == 2 ? neg : Mat<T>(s * d * ref_inverse<T>(s));
        INFO("negative axis, n=" << n << " grid " << P << "x" << Q);
        tt::FunmReport r;
        const Mat<T> x = gather_all(tt::sqrtm(tt::from_eigen(g, a, 0, tt::Block{8, 8}), {.report = &r}));
        REQUIRE(all_ranks(r.method == "schur"));
        REQUIRE(all_ranks(!r.fallback.empty()));
        // Higham's residual for a square root, ||X^2 - A||_F / ||X||_F^2: the eigenvalues sit
        // on sqrt's branch cut, where the root is as ill-conditioned as it gets.
        const double res = double((x * x - a).norm()) / double(x.squaredNorm());
        INFO("residual " << res / (n * eps<T>()) << " n eps");
        REQUIRE(all_ranks(res <= 1000 * n * eps<T>()));  // what sqrtm itself accepts from Denman-Beavers
        const auto w = ref_eigvals<T>(x);
        bool principal = true;
        for (auto v : w) principal = principal && v.real() >= -1e-3;
        REQUIRE(all_ranks(principal));
      }
      // On the axis no principal root exists and rounding gives each eigenvalue an imaginary
      // part of either sign. Tartan takes i sqrt(r) for every -r there (scipy's root for a
      // real matrix): against S diag(sqrt(d)) S^-1 with that branch (n = 9 in blocks of 8,
      // 65 in the default block).
      for (int n : {9, 65}) {
        const Mat<T> s = Mat<T>::Identity(n, n) + Mat<T>(serial_random<T>(n, n, 4) * T(0.3 / n));
        const Mat<T> si = ref_inverse<T>(s);
        Mat<T> d = Mat<T>::Zero(n, n), rd = Mat<T>::Zero(n, n), ld = Mat<T>::Zero(n, n);
        for (int i = 0; i < n; ++i) {
          const double re = i % 2 ? -1.0 - i : 0.5 + i, im = i % 4 == 1 ? 0.0 : i % 4 == 3 ? 0.7 : 0.0;
          const std::complex<double> z(re, im);
          const std::complex<double> root = re < 0 && im == 0 ? std::complex<double>(0, std::sqrt(-re)) : std::sqrt(z);
          const std::complex<double> lg = re < 0 && im == 0 ? std::complex<double>(std::log(-re), M_PI) : std::log(z);
          d(i, i) = T(R(z.real()), R(z.imag()));
          rd(i, i) = T(R(root.real()), R(root.imag()));
          ld(i, i) = T(R(lg.real()), R(lg.imag()));
        }
        const Mat<T> a = s * d * si;
        for (auto b : {n < 64 ? tt::Block{8, 8} : tt::Block{}}) {
          INFO("branch, n=" << n << " block " << b.mb << " grid " << P << "x" << Q);
          tt::FunmReport r;
          REQUIRE(rel(gather_all(tt::sqrtm(tt::from_eigen(g, a, 0, b), {.report = &r})), Mat<T>(s * rd * si)) <
                  tol<T>() * 100);
          REQUIRE(all_ranks(r.method == "schur"));
          REQUIRE(rel(gather_all(tt::logm(tt::from_eigen(g, a, 0, b), {.report = &r})), Mat<T>(s * ld * si)) <
                  tol<T>() * 1000);
          REQUIRE(all_ranks(r.method == "schur"));
          REQUIRE(all_ranks(r.squarings >= 3 && r.degree >= 6 && r.degree <= 12));
          REQUIRE(same_on_all_ranks(r.squarings));
        }
      }
      Mat<T> nil = Mat<T>::Zero(3, 3);  // nilpotent: no square root
      nil(0, 1) = T(1);
      require_throws_everywhere<tt::LinAlgError>([&] { tt::sqrtm(tt::from_eigen(g, nil)); }, "no square root");
    } else {
      require_throws_everywhere<tt::LinAlgError>([&] { tt::sqrtm(tt::from_eigen(g, neg)); }, "negative real axis");
    }
    auto notsym = tt::random<T>(g, 6, 6, 3);
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::funm_hermitian<T>(notsym, [](R x) { return x; }); },
                                                   "is not");
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::expm(tt::random<T>(g, 4, 5, 1)); }, "square");
    auto bad = tt::random<T>(g, 5, 5, 1);
    bad.set(2, 3, T(std::numeric_limits<R>::quiet_NaN()));
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::expm(bad); }, "expm");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::sqrtm(bad); }, "sqrtm");
  }
}

TEMPLATE_TEST_CASE("matrix_power and multi_dot against Eigen", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    auto A = tt::random<T>(g, 17, 17, 21, tt::Block{3, 3});
    A += tt::identity<T>(g, 17, tt::Block{3, 3}) * T(4);
    const Mat<T> a = gather_all(A);
    Mat<T> p = Mat<T>::Identity(17, 17);
    for (int k = 0; k <= 9; ++k) {
      INFO("k=" << k << " grid " << P << "x" << Q);
      REQUIRE(rel(gather_all(tt::matrix_power(A, k)), p) < tol<T>());
      p = p * a;
    }
    REQUIRE(rel(gather_all(tt::matrix_power(A, -2)), Mat<T>(ref_inverse(a) * ref_inverse(a))) < tol<T>() * 10);
    require_throws_everywhere<tt::SingularMatrix>([&] { tt::matrix_power(tt::zeros<T>(g, 3, 3), -1); }, "matrix_power");
    auto B = tt::random<T>(g, 17, 2, 22), C = tt::random<T>(g, 2, 30, 23), D = tt::random<T>(g, 30, 5, 24);
    const Mat<T> want = a * gather_all(B) * gather_all(C) * gather_all(D);
    REQUIRE(rel(gather_all(tt::multi_dot(A, B, C, D)), want) < tol<T>());
    REQUIRE(rel(gather_all(tt::multi_dot(std::vector<const tt::DistMatrix<T>*>{&A})), a) == 0);
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::multi_dot(A, C); }, "do not chain");
  }
}

TEMPLATE_TEST_CASE("logm and signm against closed forms, every grid; their refusals", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : {1, 2, 3, 31, 63, 65, 129}) {
      if (n == 129 && P > 1) continue;  // 2 nb + 1 on the 1 x P grid: logm takes 5-9 square roots
      const tt::Block blk = n <= 31 ? tt::Block{4, 4} : tt::Block{};
      INFO("n=" << n << " grid " << P << "x" << Q);
      const Known<T> k = known<T>(n, 0.05, 30.0, 800 + n);  // not Hermitian: inverse scaling and squaring
      tt::FunmReport r;
      const Mat<T> l = gather_all(tt::logm(tt::from_eigen(g, k.a, 0, blk), {.report = &r}));
      REQUIRE(rel(l, apply(k, [](double x) { return std::log(x); })) < tol<T>() * 1000);
      if (n > 1) {
        REQUIRE(all_ranks(r.method == "inverse_scaling_squaring"));
        REQUIRE(all_ranks(r.squarings >= 3 && r.iterations > r.squarings && r.degree >= 6 && r.degree <= 12 &&
                          r.fallback.empty()));
      }
      const Known<T> s = known<T>(n, -5.0, 4.0 + (n == 2), 900 + n);  // no eigenvalue at 0
      const Mat<T> sg = gather_all(tt::signm(tt::from_eigen(g, s.a, 0, tt::Block{}), {.report = &r}));
      REQUIRE(rel(sg, apply(s, [](double x) { return x > 0 ? 1.0 : -1.0; })) < tol<T>() * 100);
      if (n > 1) REQUIRE(all_ranks(r.method == "newton" && r.iterations >= 2 && r.iterations <= 20));
      auto H = hermitian_random<T>(g, n, 13, tt::Block{3, 3}, 2.0 * n);  // positive definite: the eigh route
      const Mat<T> h = gather_all(H);
      REQUIRE(rel(gather_all(tt::logm(H)), hermitian_apply(h, [](R x) { return std::log(x); })) < tol<T>() * 100);
      REQUIRE(rel(gather_all(tt::signm(H)), Mat<T>(Mat<T>::Identity(n, n))) < tol<T>() * 100);
    }
    Mat<T> rot(2, 2);
    rot << T(0), T(1), T(-1), T(0);
    require_throws_everywhere<tt::LinAlgError>([&] { tt::signm(tt::from_eigen(g, rot)); }, "imaginary axis");
    require_throws_everywhere<tt::LinAlgError>([&] { tt::logm(tt::zeros<T>(g, 3, 3)); }, "not defined");
    Mat<T> neg(2, 2);
    neg << T(-1), T(1), T(0), T(-2);
    if constexpr (tt::is_complex_v<T>) {
      // the Schur route: log(-1) = i pi, log(-2) = log 2 + i pi (scipy's logm of the real matrix)
      Mat<T> want(2, 2);
      const R pi = R(M_PI), l2 = std::log(R(2));
      want << T(0, pi), T(-l2), T(0), T(l2, pi);
      REQUIRE(rel(gather_all(tt::logm(tt::from_eigen(g, neg))), want) < tol<T>());
      Mat<T> sing = Mat<T>::Zero(3, 3);  // singular, not Hermitian
      sing(0, 1) = T(1);
      sing(2, 2) = T(2);
      require_throws_everywhere<tt::LinAlgError>([&] { tt::logm(tt::from_eigen(g, sing)); }, "not defined");
    } else {
      require_throws_everywhere<tt::LinAlgError>([&] { tt::logm(tt::from_eigen(g, neg)); }, "negative real axis");
    }
  }
}

TEMPLATE_TEST_CASE("polar: A = U P with orthonormal U and Hermitian P, both sides, every grid", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : {std::pair{1, 1}, {31, 31}, {65, 20}, {20, 65}})
      for (auto side : {tt::PolarSide::right, tt::PolarSide::left}) {
        INFO(m << "x" << n << " grid " << P << "x" << Q << (side == tt::PolarSide::right ? " right" : " left"));
        auto A = tt::random<T>(g, m, n, 40 + m, tt::Block{});
        const Mat<T> a = gather_all(A);
        for (auto method : {tt::PolarMethod::svd, tt::PolarMethod::qdwh}) {
          INFO(tt::polar_method_name(method));
          auto [U, H] = tt::polar(A, {.side = side, .method = method});
          const Mat<T> u = gather_all(U), h = gather_all(H);
          REQUIRE(rel(Mat<T>(side == tt::PolarSide::right ? Mat<T>(u * h) : Mat<T>(h * u)), a) < tol<T>());
          REQUIRE(orthogonality<T>(m >= n ? u : Mat<T>(u.adjoint())) < 100);
          REQUIRE(rel(h, Mat<T>(h.adjoint())) < tol<T>());
          REQUIRE(h.rows() == (side == tt::PolarSide::right ? n : m));
        }
      }
  }
}

TEMPLATE_TEST_CASE("polar by QDWH: cond(A) from 1 to 1e16, within the papers' iteration bound, every grid", "",
                   TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  const bool single = std::is_same_v<R, float>;
  const double e = eps<T>() * 2;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : {std::pair{65, 65}, {80, 40}, {40, 80}})
      for (double kappa : {1.0, 1e4, 1e8, 1e16}) {
        if (single && kappa > 1e6) continue;  // beyond 1 / eps of float
        INFO(m << "x" << n << " cond " << kappa << " grid " << P << "x" << Q);
        const int k = std::min(m, n);
        // A = Q1 diag(s) Q2^H, s log-spaced from 1 to 1 / kappa
        auto Q1 = tt::qr(tt::random<T>(g, m, k, 3)).q, Q2 = tt::qr(tt::random<T>(g, n, k, 4)).q;
        std::vector<R> sv(static_cast<std::size_t>(k));
        for (int i = 0; i < k; ++i) sv[std::size_t(i)] = R(std::pow(kappa, -double(i) / std::max(1, k - 1)));
        auto A = tt::matmul(tt::scale_columns(Q1, sv), tt::adjoint(Q2));
        const Mat<T> a = gather_all(A);
        auto r = tt::polar(A, {.method = tt::PolarMethod::qdwh});
        REQUIRE(r.method == tt::PolarMethod::qdwh);
        // Nakatsukasa, Bai & Gygi: at most 6 steps for cond <= 1e16 in double (5 in float up to 1e6)
        REQUIRE(r.iterations <= (single ? 5 : 6));
        const Mat<T> u = gather_all(r.u), h = gather_all(r.p);
        const double nn = double(std::max(m, n));
        const double back = double((u * h - a).norm()) / double(a.norm());
        const Mat<T> ut = m >= n ? u : Mat<T>(u.adjoint());
        const double orth = double((ut.adjoint() * ut - Mat<T>::Identity(k, k)).norm()) / std::sqrt(double(k));
        INFO("backward " << back / (nn * e) << ", orthogonality " << orth / (nn * e) << ", steps " << r.iterations
                         << " (" << r.qr_iterations << " QR)");
        REQUIRE(all_ranks(back <= 10 * nn * e && orth <= 10 * nn * e));
      }
    // A singular A (five zero columns): QDWH needs full rank, the SVD route serves, and the
    // result says so.
    auto S = tt::random<T>(g, 20, 20, 1);
    S.for_each_local([](std::int64_t, std::int64_t j, T& x) {
      if (j >= 15) x = T(0);
    });
    auto r = tt::polar(S, {.method = tt::PolarMethod::qdwh});
    REQUIRE(r.method == tt::PolarMethod::svd);
    REQUIRE(all_ranks(!r.fallback.empty()));
    const Mat<T> s = gather_all(S);
    REQUIRE(rel(Mat<T>(gather_all(r.u) * gather_all(r.p)), s) < tol<T>());
  }
}
