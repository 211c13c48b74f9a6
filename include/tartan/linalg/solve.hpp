#pragma once
// solve(A, B): general, symmetric, Hermitian and positive definite systems (scipy.linalg.solve).

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// What solve() may assume about A (scipy.linalg.solve's assume_a).
enum class Structure { general, symmetric, hermitian, positive_definite };

struct SolveOptions {
  /// general: LU with partial pivoting. positive_definite: Cholesky. symmetric/hermitian:
  /// A is rebuilt from one triangle and solved by LU with partial pivoting (ScaLAPACK has no
  /// distributed Bunch-Kaufman; LU is backward stable for indefinite matrices too).
  Structure assume = Structure::general;
  /// For symmetric, hermitian and positive_definite: read the lower triangle, else the
  /// upper (scipy.linalg.solve's default, lower=False).
  bool lower = false;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A or B
};

/// X with A X = B. Throws InvalidArgument (A not square, rows of B != rows of A),
/// SingularMatrix (index of the first exactly-zero pivot), NotPositiveDefinite,
/// NonFiniteInput. Collective.
template <class T>
DistMatrix<T> solve(const DistMatrix<T>& A, const DistMatrix<T>& B, SolveOptions opts = {});

}  // namespace tartan
