#pragma once
// The inverse of a square matrix (numpy.linalg.inv).

#include "tartan/dist_matrix.hpp"
#include "tartan/linalg/options.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The inverse of square A by LU (p?getrf + p?getri). Throws InvalidArgument (not square),
/// NonFiniteInput, SingularMatrix (index of the first zero pivot). Collective.
template <class T>
DistMatrix<T> inv(const DistMatrix<T>& A, CheckOptions opts = {});

}  // namespace tartan
