// solve_mixed: LU in single precision refined to double-precision accuracy.

#include "tartan/linalg/mixed.hpp"

#include <mpi.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/agree.hpp"
#include "kernels/lu.hpp"
#include "linalg/common.hpp"
#include "tartan/blas.hpp"
#include "tartan/error.hpp"

namespace tartan {

const char* fallback_name(MixedFallback f) noexcept {
  switch (f) {
    case MixedFallback::none:
      return "none";
    case MixedFallback::overflow:
      return "overflow";
    case MixedFallback::singular_low:
      return "singular in single precision";
    case MixedFallback::no_convergence:
      return "no convergence";
  }
  return "unknown";
}

namespace {

template <class T>
using low_t = std::conditional_t<is_complex_v<T>, std::complex<float>, float>;

// dst := src converted to single precision (same layout). True on every rank when an entry
// of src, on any rank, lies beyond the single-precision range.
template <class L, class T>
bool narrow(const DistMatrix<T>& src, DistMatrix<L>& dst) {
  constexpr double big = std::numeric_limits<float>::max();
  bool over = false;
  for (std::int64_t j = 0; j < src.local_cols(); ++j) {
    const T* s = src.data() + j * src.lld();
    L* d = dst.data() + j * dst.lld();
    for (std::int64_t i = 0; i < src.local_rows(); ++i) {
      if constexpr (is_complex_v<T>)
        over |= std::abs(s[i].real()) > big || std::abs(s[i].imag()) > big;
      else
        over |= std::abs(s[i]) > big;
      d[i] = static_cast<L>(s[i]);
    }
  }
  return detail::any_rank(src.grid().comm(), over);
}

// True on every rank when an entry of X, on any rank, is NaN or infinite.
template <class L>
bool any_nonfinite(const DistMatrix<L>& X) {
  bool bad = false;
  for (std::int64_t j = 0; j < X.local_cols(); ++j) {
    const L* p = X.data() + j * X.lld();
    for (std::int64_t i = 0; i < X.local_rows(); ++i) bad |= !std::isfinite(std::abs(p[i]));
  }
  return detail::any_rank(X.grid().comm(), bad);
}

// x := x + d, d in single precision (same layout).
template <class T, class L>
void add_widened(DistMatrix<T>& x, const DistMatrix<L>& d) {
  for (std::int64_t j = 0; j < x.local_cols(); ++j) {
    T* xp = x.data() + j * x.lld();
    const L* dp = d.data() + j * d.lld();
    for (std::int64_t i = 0; i < x.local_rows(); ++i) xp[i] += static_cast<T>(dp[i]);
  }
}

// max_i |x_ij| of every column j, the same on every rank.
template <class T>
std::vector<double> column_norms(const DistMatrix<T>& X) {
  std::vector<double> v(static_cast<std::size_t>(X.cols()), 0.0);
  const int pcol = X.grid().mycol();
  for (std::int64_t jl = 0; jl < X.local_cols(); ++jl) {
    const T* p = X.data() + jl * X.lld();
    double m = 0;
    for (std::int64_t i = 0; i < X.local_rows(); ++i) m = std::max(m, static_cast<double>(std::abs(p[i])));
    v[static_cast<std::size_t>(X.layout().global_col(jl, pcol))] = m;
  }
  MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_MAX, X.grid().comm());
  return v;
}

// R := B - A X.
template <class T>
void residual(const DistMatrix<T>& A, const DistMatrix<T>& X, const DistMatrix<T>& B, DistMatrix<T>& R) {
  R.local() = B.local();
  gemm(T(-1), A, Op::none, X, Op::none, T(1), R);
}

// max_j ||r_j|| / (||A|| ||x_j|| + ||b_j||): the normwise backward error. Infinite when a
// norm is not finite: a NaN or Inf in x or r is never "exact".
double backward_error(const std::vector<double>& rn, const std::vector<double>& xn, const std::vector<double>& bn,
                      double anorm) {
  double worst = 0;
  for (std::size_t j = 0; j < rn.size(); ++j) {
    if (!std::isfinite(rn[j]) || !std::isfinite(xn[j])) return HUGE_VAL;
    const double den = anorm * xn[j] + bn[j];
    worst = std::max(worst, rn[j] == 0 ? 0.0 : rn[j] / den);
  }
  return worst;
}

std::string sci(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2e", v);
  return b;
}

}  // namespace

template <class T>
requires(std::is_same_v<real_t<T>, double>) MixedSolveResult<T> solve_mixed(const DistMatrix<T>& A,
                                                                            const DistMatrix<T>& B, MixedOptions opts) {
  using L = low_t<T>;
  const char* f = "solve_mixed";
  detail::require_system(A, B, f, /*square=*/true, opts.check_finite);
  if (opts.max_iterations < 0)
    throw InvalidArgument(std::string(f) + ": max_iterations is " + std::to_string(opts.max_iterations) +
                          ", expected 0 or more");
  const std::int64_t n = A.rows();
  struct {
    int iterations = 0;
    bool converged = false;
    MixedFallback fallback = MixedFallback::none;
    std::string reason;
    double backward_error = 0;
  } out;
  auto result = [&](DistMatrix<T>&& x) {
    return MixedSolveResult<T>{std::move(x), out.iterations,        out.converged,
                               out.fallback, std::move(out.reason), out.backward_error};
  };

  // The double-precision A in the working layout (A itself when it is in it) for the
  // residuals, and B with its rows distributed alike.
  std::optional<DistMatrix<T>> Aw_own;
  if (!detail::in_working_layout(A)) Aw_own.emplace(detail::working_copy(A));
  const DistMatrix<T>& Aw = Aw_own ? *Aw_own : A;
  DistMatrix<T> Bw = detail::rhs_copy(B, Aw);
  if (n == 0 || B.cols() == 0) {
    out.converged = true;
    return result(std::move(Bw));
  }
  const double anorm = static_cast<double>(norm(Aw, Norm::inf));
  const double eps = std::numeric_limits<double>::epsilon() / 2;  // LAPACK's dlamch('E')
  // dsgesv's sqrt(n), floored at 4: below that the residual of a tiny (complex) system
  // cannot be computed in double precision more accurately than the rule asks.
  const double cte = anorm * eps * std::sqrt(static_cast<double>(std::max<std::int64_t>(n, 16)));
  const std::vector<double> bnorm = column_norms(Bw);

  auto fail = [&](MixedFallback why, std::string text) {
    out.fallback = why;
    out.reason = std::string(fallback_name(why)) + ": " + text;
  };

  DistMatrix<T> X(Bw.grid(), Bw.rows(), Bw.cols(), Bw.block(), Bw.source());
  {
    DistMatrix<L> S(Aw.grid(), n, n, Aw.block(), Aw.source());
    DistMatrix<L> C(Bw.grid(), Bw.rows(), Bw.cols(), Bw.block(), Bw.source());
    std::vector<int> ipiv;
    if (narrow(Aw, S)) {
      fail(MixedFallback::overflow, "A has entries beyond the single-precision range (3.4e38)");
    } else if (narrow(Bw, C)) {
      fail(MixedFallback::overflow, "B has entries beyond the single-precision range (3.4e38)");
    } else if (const std::int64_t zero = detail::getrf(S, ipiv, f); zero >= 0) {
      fail(MixedFallback::singular_low,
           "U(" + std::to_string(zero) + "," + std::to_string(zero) + ") of the single-precision LU is exactly zero");
    } else if (detail::getrs(S, ipiv, Op::none, C, f); any_nonfinite(C)) {
      // numpy would return the true x here; single precision cannot hold it.
      fail(MixedFallback::overflow, "the single-precision solution has entries beyond its range (3.4e38)");
    } else {
      X.local() = C.local().template cast<T>();
      DistMatrix<T> R(Bw.grid(), Bw.rows(), Bw.cols(), Bw.block(), Bw.source());
      // worst[k]: max_j ||r_j|| / (||x_j|| cte) after k steps; <= 1 means converged.
      std::vector<double> worst;
      for (int step = 0;; ++step) {
        residual(Aw, X, Bw, R);
        const auto rn = column_norms(R), xn = column_norms(X);
        out.iterations = step;
        bool finite = true;
        for (std::size_t j = 0; j < rn.size(); ++j) finite &= std::isfinite(rn[j]) && std::isfinite(xn[j]);
        if (!finite) {  // every rank holds the same norms, so every rank takes this branch
          fail(MixedFallback::overflow, "the solution or its residual is not finite at step " + std::to_string(step));
          break;
        }
        // A column has converged when its residual meets the rule; written so that a NaN
        // never counts as converged.
        double w = 0;
        for (std::size_t j = 0; j < rn.size(); ++j)
          w = std::max(w, rn[j] <= xn[j] * cte ? 0.0 : (xn[j] * cte > 0 ? rn[j] / (xn[j] * cte) : HUGE_VAL));
        worst.push_back(w);
        if (w == 0) {
          out.converged = true;
          out.backward_error = backward_error(rn, xn, bnorm, anorm);
          break;
        }
        // Refinement converges linearly: stop when the residual grew, did not halve in two
        // consecutive steps, or at the rate of the last step would not meet the rule
        // within max_iterations.
        const std::size_t k = worst.size() - 1;
        const double rate = k >= 1 ? worst[k] / worst[k - 1] : 0.0;
        const double needed = rate > 0 && rate < 1 ? std::log(w) / -std::log(rate) : 0.0;
        std::string why;
        if (k >= 1 && rate >= 1)
          why = "the residual grew at step " + std::to_string(step);
        else if (k >= 2 && rate > 0.5 && worst[k - 1] > 0.5 * worst[k - 2])
          why = "the residual did not halve in steps " + std::to_string(step - 1) + " and " + std::to_string(step);
        else if (step == opts.max_iterations)
          why = "not converged in " + std::to_string(step) + " steps";
        else if (step + needed > opts.max_iterations)
          why = "at the rate of step " + std::to_string(step) + " (" + sci(rate) + ") it would take " +
                std::to_string(static_cast<long long>(std::ceil(needed))) + " more steps, beyond max_iterations " +
                std::to_string(opts.max_iterations);
        if (!why.empty()) {
          fail(MixedFallback::no_convergence, why + " (max ||r_j|| / (sqrt(max(n, 16)) eps ||A|| ||x_j||) = " + sci(w) +
                                                  "); A is likely too ill-conditioned for single-precision factors");
          break;
        }
        if (narrow(R, C)) {
          fail(MixedFallback::overflow, "a residual has entries beyond the single-precision range (3.4e38)");
          break;
        }
        detail::getrs(S, ipiv, Op::none, C, f);
        if (any_nonfinite(C)) {
          fail(MixedFallback::overflow, "the correction of step " + std::to_string(step + 1) +
                                            " has entries beyond the single-precision range (3.4e38)");
          break;
        }
        add_widened(X, C);
      }
    }
  }
  if (out.fallback == MixedFallback::none) return result(std::move(X));

  // The double-precision solve, as solve(); the single-precision storage is freed by now.
  DistMatrix<T> W = detail::working_copy(Aw);
  std::vector<int> ipiv;
  const std::int64_t singular = detail::getrf(W, ipiv, f);
  if (singular >= 0) throw SingularMatrix(detail::singular_message(f, singular), singular);
  X.local() = Bw.local();
  detail::getrs(W, ipiv, Op::none, X, f);
  DistMatrix<T> R(Bw.grid(), Bw.rows(), Bw.cols(), Bw.block(), Bw.source());
  residual(Aw, X, Bw, R);
  out.backward_error = backward_error(column_norms(R), column_norms(X), bnorm, anorm);
  return result(std::move(X));
}

template MixedSolveResult<double> solve_mixed<double>(const DistMatrix<double>&, const DistMatrix<double>&,
                                                      MixedOptions);
template MixedSolveResult<std::complex<double>> solve_mixed<std::complex<double>>(
    const DistMatrix<std::complex<double>>&, const DistMatrix<std::complex<double>>&, MixedOptions);

}  // namespace tartan
