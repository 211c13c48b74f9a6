#pragma once
// Singular value decomposition and what is built on it: svdvals, pinv, matrix_rank, cond.

#include <cstdint>
#include <vector>
#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

struct SvdOptions {
  bool full_matrices = false;  ///< u m x m and vh n x n instead of m x k and k x n
  bool check_finite = true;
};

template <class T>
struct SvdResult {
  DistMatrix<T> u;
  std::vector<real_t<T>> s;  ///< descending, on every rank
  DistMatrix<T> vh;
};

/// A = U diag(s) Vh (p?gesvd). Throws NoConvergence.
template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts = {});
/// Singular values only, descending.
template <class T>
std::vector<real_t<T>> svdvals(const DistMatrix<T>& A, bool check_finite = true);

/// The Moore-Penrose pseudo-inverse via the SVD; singular values at most
/// rtol * s_max are treated as zero (negative rtol: max(m, n) * eps).
template <class T>
DistMatrix<T> pinv(const DistMatrix<T>& A, double rtol = -1, bool check_finite = true);
/// Number of singular values above tol (negative tol: s_max * max(m, n) * eps, numpy's default).
template <class T>
std::int64_t matrix_rank(const DistMatrix<T>& A, double tol = -1, bool check_finite = true);
/// The 2-norm condition number s_max / s_min (inf when s_min is 0). Throws InvalidArgument
/// for an empty A.
template <class T>
real_t<T> cond(const DistMatrix<T>& A);
/// The condition number in the Frobenius, 1 or inf norm: ||A|| ||inv(A)|| computed
/// exactly (inf for singular A). Square A only.
template <class T>
real_t<T> cond(const DistMatrix<T>& A, Norm kind);

}  // namespace tartan
