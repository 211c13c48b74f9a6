#pragma once
// QR kernels: p?geqrf, p?orgqr/p?ungqr, and least squares by QR or LQ (p?gels).

#include <cstdint>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

/// Householder QR of W in place (p?geqrf); returns tau.
template <class T>
std::vector<T> geqrf(DistMatrix<T>& W, const char* func);
/// Forms the first Q.cols() columns of Q from k reflectors in Q's leading columns (p?orgqr/p?ungqr).
template <class T>
void ungqr(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func);
/// Least squares by QR or LQ (p?gels): W (m x n, destroyed) and X (max(m, n) x nrhs, B on
/// entry in its first m rows; the solution in its first n rows on exit).
template <class T>
void gels(DistMatrix<T>& W, DistMatrix<T>& X, const char* func);

}  // namespace tartan::detail
