#pragma once
// Mixed-precision solve: LU in single precision, refined to double-precision accuracy
// (LAPACK's dsgesv/zcgesv over the grid, the algorithm of HPL-MxP).

#include <cstdint>
#include <string>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// Why solve_mixed fell back to a double-precision LU.
enum class MixedFallback {
  none,            ///< refinement converged; no fallback
  overflow,        ///< A, B, a residual, the single-precision solution or a correction overflows it
  singular_low,    ///< the single-precision LU has an exactly zero pivot
  no_convergence,  ///< the residual stopped shrinking, or max_iterations was reached
};
/// "none", "overflow", "singular in single precision", "no convergence".
const char* fallback_name(MixedFallback f) noexcept;

struct MixedOptions {
  /// Refinement steps at most (dsgesv's ITERMAX). 0 accepts the single-precision solution
  /// only when it already meets the stopping rule.
  int max_iterations = 30;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A or B
};

/// What solve_mixed did. converged == (fallback == MixedFallback::none).
template <class T>
struct MixedSolveResult {
  DistMatrix<T> x;
  int iterations = 0;      ///< refinement steps taken (each one residual and one correction)
  bool converged = false;  ///< every column met the stopping rule in refinement
  MixedFallback fallback = MixedFallback::none;
  std::string reason;  ///< empty, or why it fell back, with the figures
  /// max over columns j of ||b_j - A x_j||_oo / (||A||_oo ||x_j||_oo + ||b_j||_oo) for the
  /// returned x: the normwise backward error, about eps (1.1e-16) when all went well.
  double backward_error = 0;
};

/// X with A X = B for double or complex<double> A, by LU in single precision (p?getrf on a
/// converted copy) and iterative refinement in double: r = B - A X, solve for the correction
/// with the single-precision factors, X += correction. Column j has converged when
/// ||r_j||_oo <= sqrt(max(n, 16)) ||A||_oo ||x_j||_oo eps (dsgesv's rule, eps = 2^-53, with
/// a floor for tiny systems whose residual cannot be computed more accurately); the loop runs
/// until every column has. It stops and falls back to a plain double-precision solve (the
/// reason reported in the result, never called converged) when A or B (or a residual) does
/// not convert to single precision without overflow, when the single-precision LU is
/// singular, or when the residual stops shrinking: it grew, or did not halve in two steps,
/// or max_iterations were taken. For well-conditioned A (cond(A) well below 1e7) the
/// factorization costs about half of a double one; beyond that refinement cannot converge
/// and the fallback costs about a single-precision LU more than solve().
/// Throws InvalidArgument (A not square, rows of B != rows of A, another grid, negative
/// max_iterations), NonFiniteInput, and SingularMatrix when A is singular in double
/// precision too. Collective.
template <class T>
requires(std::is_same_v<real_t<T>, double>) MixedSolveResult<T> solve_mixed(const DistMatrix<T>& A,
                                                                            const DistMatrix<T>& B,
                                                                            MixedOptions opts = {});

}  // namespace tartan
