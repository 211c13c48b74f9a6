#pragma once
// Triangular solves (scipy.linalg.solve_triangular).

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// Options of solve_triangular (scipy.linalg.solve_triangular's).
struct TriangularOptions {
  bool lower = false;          ///< use the lower triangle of A (else the upper)
  Op trans = Op::none;         ///< solve op(A) X = B
  bool unit_diagonal = false;  ///< assume A's diagonal is all ones (not read)
  bool check_finite = true;    ///< throw NonFiniteInput for NaN/Inf in A or B
};

/// X with op(A) X = B for triangular A, as a new matrix (A and B untouched).
/// Throws InvalidArgument for non-square A or rows of B != rows of A, SingularMatrix
/// (index of the first zero diagonal entry) unless unit_diagonal. Collective.
template <class T>
DistMatrix<T> solve_triangular(const DistMatrix<T>& A, const DistMatrix<T>& B, TriangularOptions opts = {});

}  // namespace tartan
