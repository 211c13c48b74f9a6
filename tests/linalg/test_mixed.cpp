// solve_mixed (single-precision LU, double-precision refinement) and astype: convergence at
// the sizes users try first with the default block, every grid and source; each fallback
// reason provoked; errors alike on every rank.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "support.hpp"

using namespace tartan_test;

namespace {

// max_j ||b_j - A x_j||_oo / (||A||_oo ||x_j||_oo + ||b_j||_oo), from the gathered data.
template <class T>
double backward_error_of(const Mat<T>& a, const Mat<T>& x, const Mat<T>& b) {
  if (a.rows() == 0) return 0;
  const Mat<T> r = b - a * x;
  double worst = 0;
  for (Eigen::Index j = 0; j < b.cols(); ++j) {
    const double rn = r.col(j).cwiseAbs().maxCoeff();
    const double den = inf_norm(a) * x.col(j).cwiseAbs().maxCoeff() + b.col(j).cwiseAbs().maxCoeff();
    worst = std::max(worst, rn == 0 ? 0.0 : rn / den);
  }
  return worst;
}

// An n x n matrix with singular values logspaced from 1 to 1/kappa between two random
// orthogonal (unitary) factors, the same on every rank.
template <class T>
Mat<T> conditioned(std::int64_t n, double kappa, std::uint64_t seed) {
  const Mat<T> q1 = ref_orthonormal_columns<T>(serial_random<T>(n, n, seed));
  const Mat<T> q2 = ref_orthonormal_columns<T>(serial_random<T>(n, n, seed + 1));
  Mat<T> d = Mat<T>::Zero(n, n);
  for (std::int64_t i = 0; i < n; ++i)
    d(i, i) = T(std::pow(kappa, -double(i) / double(std::max<std::int64_t>(n - 1, 1))));
  return q1 * d * q2;
}

template <class T>
tt::DistMatrix<T> scatter(const tt::Grid& g, const Mat<T>& m, tt::Block b = {}) {
  return tt::from_eigen(g, m, 0, b);
}

constexpr double eps_d = 1.1102230246251565e-16;

}  // namespace

TEMPLATE_TEST_CASE("solve_mixed converges at n near the default block, every grid and source", "", double,
                   std::complex<double>) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : {0, 1, 2, 3, 63, 64, 65, 128, 129})
      for (tt::Block b : {tt::Block{}, tt::Block{4, 4}})
        for (tt::Source src : {tt::Source{}, tt::Source{P - 1, Q - 1}})
          for (int nrhs : {1, 3}) {
            INFO("n=" << n << " block " << b.mb << " grid " << P << "x" << Q << " source " << src.row << "," << src.col
                      << " nrhs " << nrhs);
            auto A = tt::random<T>(g, n, n, 300 + n, b, src);
            auto B = tt::random<T>(g, n, nrhs, 400 + n, tt::Block{b.mb, 2});
            const Mat<T> a = gather_all(A), bb = gather_all(B);
            auto r = tt::solve_mixed(A, B);
            REQUIRE(all_ranks(r.converged && r.fallback == tt::MixedFallback::none && r.reason.empty()));
            REQUIRE(r.x.rows() == n);
            REQUIRE(r.x.cols() == nrhs);
            REQUIRE(r.iterations <= 10);
            const Mat<T> x = gather_all(r.x);
            REQUIRE(solve_residual<T>(a, x, bb) < 16);
            // The reported backward error is honest: about what the gathered data gives.
            const double be = backward_error_of<T>(a, x, bb);
            REQUIRE(be <= 16 * std::max(n, 1) * eps_d);
            REQUIRE(r.backward_error <= std::sqrt(double(std::max(n, 16))) * eps_d * 2);
            REQUIRE(all_ranks(r.backward_error == r.backward_error));
            REQUIRE(gather_all(A) == a);  // inputs untouched
            REQUIRE(gather_all(B) == bb);
          }
  }
}

TEMPLATE_TEST_CASE("solve_mixed takes several steps on moderately conditioned matrices", "", double,
                   std::complex<double>) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (double kappa : {1e3, 1e5, 1e6}) {
    INFO("kappa " << kappa);
    const Mat<T> a = conditioned<T>(150, kappa, 7);
    const Mat<T> bb = serial_random<T>(150, 2, 9);
    auto r = tt::solve_mixed(scatter(g, a), scatter(g, bb));
    REQUIRE(all_ranks(r.converged));
    REQUIRE(r.iterations >= 1);
    REQUIRE(solve_residual<T>(a, gather_all(r.x), bb) < 16);
  }
}

TEMPLATE_TEST_CASE("solve_mixed falls back, with the reason, and is still accurate", "", double, std::complex<double>) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    INFO("grid " << P << "x" << Q);
    // The fallback, its reason with the figures, and an accurate double-precision answer.
    // Where the reason depends on rounding, every acceptable (fallback, text) pair is listed.
    auto check_any = [&](const Mat<T>& a, const Mat<T>& bb,
                         const std::vector<std::pair<tt::MixedFallback, std::string>>& allowed,
                         tt::MixedOptions o = {}) {
      auto A = scatter(g, a), B = scatter(g, bb);
      auto r = tt::solve_mixed(A, B, o);
      INFO("reason: " << r.reason);
      REQUIRE(all_ranks(!r.converged && r.fallback != tt::MixedFallback::none));
      bool explained = false;
      for (const auto& [why, text] : allowed)
        explained |= r.fallback == why && r.reason.find(text) != std::string::npos &&
                     r.reason.rfind(tt::fallback_name(why), 0) == 0;
      REQUIRE(all_ranks(explained));
      const Mat<T> x = gather_all(r.x);
      REQUIRE(solve_residual<T>(a, x, bb) < 16);
      REQUIRE(r.backward_error <= 16 * double(a.rows()) * eps_d);
      REQUIRE(backward_error_of<T>(a, x, bb) <= 16 * double(a.rows()) * eps_d);
      return r;
    };
    auto check = [&](const Mat<T>& a, const Mat<T>& bb, tt::MixedFallback why, const std::string& text,
                     tt::MixedOptions o = {}) {
      return check_any(a, bb, {{why, text}}, o);
    };
    for (std::int64_t n : {2, 65, 130}) {
      INFO("n=" << n);
      // Entries beyond the single-precision range, in A and then in B.
      Mat<T> a = serial_random<T>(n, n, 11) + Mat<T>::Identity(n, n) * T(double(n));
      const Mat<T> bb = serial_random<T>(n, 1, 12);
      check(a * T(1e39), bb, tt::MixedFallback::overflow, "A has entries beyond");
      check(a, bb * T(1e39), tt::MixedFallback::overflow, "B has entries beyond");
      // A and B fit single precision, x does not: A = diag(1e-20, 1, ...), b = (1e20, 1, ...)
      // gives x = (1e40, 1, ...). The single-precision solution is infinite; its residual
      // is NaN, which once passed the stopping rule as "converged" with x(0) = inf.
      {
        Mat<T> d = Mat<T>::Identity(n, n), rhs = Mat<T>::Ones(n, 1);
        d(0, 0) = T(1e-20);
        rhs(0, 0) = T(1e20);
        auto r = check(d, rhs, tt::MixedFallback::overflow, "the single-precision solution has entries beyond");
        const Mat<T> x = gather_all(r.x);
        REQUIRE(std::abs(x(0, 0) - T(1e40)) <= 1e-14 * 1e40);
        REQUIRE(std::isfinite(r.backward_error));
      }
      // x = (-X, X, 1, ...) with X = 5e38 beyond the single-precision range, while the
      // single-precision solution fits it: A's 2 x 2 corner [[1, 1], [1, 1 + d]] has
      // d = 0.6 * 2^-23, which float rounds to 2^-23, so the single-precision solve returns
      // 0.6 X = 3e38 (exactly, on every BLAS: each step is exact in float). Refinement
      // must carry x past 3.4e38 in double precision; the error shrinks by 0.4 a step. The
      // answer is x, either converged or by the fallback, never an infinity or a NaN.
      {
        const double d = 0.6 * std::ldexp(1.0, -23), X = 5e38;
        Mat<T> c = Mat<T>::Identity(n, n);
        c.topLeftCorner(2, 2) << T(1), T(1), T(1), T(1 + d);
        Mat<T> rhs = Mat<T>::Ones(n, 1), want = Mat<T>::Ones(n, 1);
        rhs(0, 0) = T(0);
        rhs(1, 0) = T(d * X);
        want(0, 0) = T(-X);
        want(1, 0) = T(X);
        auto A = scatter(g, c), B = scatter(g, rhs);
        auto r = tt::solve_mixed(A, B);
        INFO("reason: " << r.reason << ", iterations " << r.iterations);
        const Mat<T> x = gather_all(r.x);
        REQUIRE(all_ranks(x.allFinite()));
        // cond(A) is about 4 / d = 5.6e7: the double-precision answer is good to ~1e-8.
        REQUIRE(all_ranks((x - want).norm() <= 1e-7 * want.norm()));
        REQUIRE(all_ranks(std::isfinite(r.backward_error) && r.backward_error <= 16 * double(n) * eps_d));
        REQUIRE(all_ranks(r.converged == (r.fallback == tt::MixedFallback::none)));
        // It converges (rate 0.4 reaches the rule in about 20 steps, within the default 30);
        // with max_iterations = 5 it must not claim to have.
        auto r5 = tt::solve_mixed(A, B, {.max_iterations = 5});
        REQUIRE(all_ranks(!r5.converged && r5.fallback == tt::MixedFallback::no_convergence));
        REQUIRE(all_ranks((gather_all(r5.x) - want).norm() <= 1e-7 * want.norm()));
      }
      // Singular in single precision only: 1 + 2^-30 rounds to 1 in float.
      Mat<T> s = Mat<T>::Identity(n, n);
      s.bottomRightCorner(2, 2) << T(1), T(1), T(1), T(1.0 + std::ldexp(1.0, -30));
      const std::string u = std::to_string(n - 1);
      check(s, bb, tt::MixedFallback::singular_low, "U(" + u + "," + u + ")");
      // Too ill-conditioned for single-precision factors. Refinement stops early, or, with
      // some BLAS kernels' rounding, the single-precision LU meets an exactly zero pivot
      // first (OpenBLAS's SkylakeX kernel does at n = 65 on 2x1): both are honest reasons.
      auto r = check_any(conditioned<T>(n, 1e10, 13), bb,
                         {{tt::MixedFallback::no_convergence, "ill-conditioned"},
                          {tt::MixedFallback::singular_low, "of the single-precision LU is exactly zero"}});
      REQUIRE(r.iterations <= 3);
      // No steps allowed: the single-precision solution alone does not meet the rule.
      check(a, bb, tt::MixedFallback::no_convergence, "not converged in 0 steps", {.max_iterations = 0});
    }
  }
}

TEMPLATE_TEST_CASE("solve_mixed errors: same exception on every rank, inputs intact", "", double,
                   std::complex<double>) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto rect = tt::random<T>(g, 6, 5, 1);
  auto sq = tt::random<T>(g, 6, 6, 2);
  auto b6 = tt::random<T>(g, 6, 1, 3);
  auto b5 = tt::random<T>(g, 5, 1, 4);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve_mixed(rect, b6); },
                                                 "solve_mixed: A is 6x5, expected a square matrix");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve_mixed(sq, b5); },
                                                 "solve_mixed: A is 6x6 and B is 5x1");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve_mixed(sq, b6, {.max_iterations = -1}); },
                                                 "max_iterations is -1");
  tt::Grid other(test_comm());
  auto elsewhere = tt::random<T>(other, 6, 1, 5);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve_mixed(sq, elsewhere); }, "different grids");
  auto nan = sq.copy();
  nan.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
    if (i == 2 && j == 4) x = T(std::nan(""));
  });
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::solve_mixed(nan, b6); }, "NaN or Inf");
  // Singular in double too: the fallback's LU throws, with the pivot.
  auto sing = sq.copy();
  sing.for_each_local([](std::int64_t, std::int64_t j, T& x) {
    if (j == 3) x = T(0);
  });
  const Mat<T> before = gather_all(sing), bb = gather_all(b6);
  std::int64_t index = -1;
  require_throws_everywhere<tt::SingularMatrix>(
      [&] {
        try {
          tt::solve_mixed(sing, b6);
        } catch (const tt::SingularMatrix& e) {
          index = e.index();
          throw;
        }
      },
      "solve_mixed: singular matrix");
  REQUIRE(all_ranks(index == 3));
  REQUIRE(gather_all(sing) == before);
  REQUIRE(gather_all(b6) == bb);
}

TEMPLATE_TEST_CASE("astype keeps the layout; lu_factor in single precision refines by hand", "", double,
                   std::complex<double>) {
  using T = TestType;
  using L = std::conditional_t<tt::is_complex_v<T>, std::complex<float>, float>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    const std::int64_t n = 70;
    auto A = tt::random<T>(g, n, n, 21, tt::Block{}, tt::Source{P - 1, 0});
    auto B = tt::random<T>(g, n, 1, 22);
    auto S = tt::astype<L>(A);
    REQUIRE(S.layout() == A.layout());
    const Mat<T> a = gather_all(A), back = gather_all(tt::astype<T>(S));
    REQUIRE((a - back).cwiseAbs().maxCoeff() <= 1e-7);
    // One hand-made refinement step with the single-precision factors: x += F^-1 (b - A x).
    auto F = tt::lu_factor(S);
    auto X = tt::astype<T>(F.solve(tt::astype<L>(B)));
    const Mat<T> bb = gather_all(B);
    const double before = backward_error_of<T>(a, gather_all(X), bb);
    auto R = B - tt::matmul(A, X);
    tt::axpy(T(1), tt::astype<T>(F.solve(tt::astype<L>(R))), X);
    const double after = backward_error_of<T>(a, gather_all(X), bb);
    REQUIRE(after < before / 100);
    // Real to complex, as numpy.
    auto Z = tt::astype<std::complex<double>>(tt::astype<float>(tt::random<double>(g, 5, 4, 3)));
    REQUIRE(Z.rows() == 5);
  }
}
