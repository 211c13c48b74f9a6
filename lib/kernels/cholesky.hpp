#pragma once
// Cholesky kernels: p?potrf and p?potrs, with INFO agreed over the grid.

#include "kernels/common.hpp"

namespace tartan::detail {

/// Cholesky of W in place (p?potrf). Throws NotPositiveDefinite, its message prefixed by what.
template <class T>
void potrf(DistMatrix<T>& W, bool lower, const char* func, const char* what);
/// X := A^-1 X from potrf's factor (p?potrs). X's rows are distributed like C's.
template <class T>
void potrs(const DistMatrix<T>& C, bool lower, DistMatrix<T>& X, const char* func);

}  // namespace tartan::detail
