#pragma once
// LU kernels: p?getrf, p?getrs, p?getri, with INFO agreed over the grid.

#include <cstdint>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

/// LU with partial pivoting of W in place (p?getrf). Returns the 0-based index of the
/// first exactly zero pivot, or -1.
template <class T>
std::int64_t getrf(DistMatrix<T>& W, std::vector<int>& ipiv, const char* func);
/// X := op(A)^-1 X from getrf's factors (p?getrs). X's rows are distributed like F's.
template <class T>
void getrs(const DistMatrix<T>& F, const std::vector<int>& ipiv, Op trans, DistMatrix<T>& X, const char* func);
/// W := W^-1 from getrf's factors (p?getri). Throws SingularMatrix.
template <class T>
void getri(DistMatrix<T>& W, const std::vector<int>& ipiv, const char* func);

}  // namespace tartan::detail
