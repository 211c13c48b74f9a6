#pragma once
// The inverse of a square matrix (numpy.linalg.inv).

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The inverse of square A. Throws SingularMatrix.
template <class T>
DistMatrix<T> inv(const DistMatrix<T>& A, bool check_finite = true);

}  // namespace tartan
