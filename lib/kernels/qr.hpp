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
/// QR with column pivoting of W in place (p?geqpf; LAPACK's ?geqp3 on one process), the
/// reflectors as p?geqrf leaves them. Returns tau; perm (every rank, 0-based) gets the
/// permutation: column j of W P was column perm[j] of W.
template <class T>
std::vector<T> geqpf(DistMatrix<T>& W, std::vector<std::int64_t>& perm, const char* func);
/// RQ of the m x n W in place (p?gerqf): R in the upper trapezoid ending at (m-1, n-1), the
/// reflectors of the last min(m, n) rows before it. Returns the tau of every reflector on
/// every rank (min(m, n) of them, reflector i belonging to row m - min(m, n) + i).
template <class T>
std::vector<T> gerqf(DistMatrix<T>& W, const char* func);
/// Q (q.rows() x n, orthonormal rows) from the last k reflectors of gerqf, which q holds in
/// its last k rows on entry (p?orgrq/p?ungrq). tau: gerqf's, for those k rows.
template <class T>
void ungrq(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func);
/// Least squares by QR or LQ (p?gels): W (m x n, destroyed) and X (max(m, n) x nrhs, B on
/// entry in its first m rows; the solution in its first n rows on exit).
template <class T>
void gels(DistMatrix<T>& W, DistMatrix<T>& X, const char* func);

}  // namespace tartan::detail
