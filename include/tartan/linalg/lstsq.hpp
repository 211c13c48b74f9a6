#pragma once
// Least squares, minimum norm for rank-deficient A (numpy.linalg.lstsq).

#include <cstdint>
#include <optional>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

template <class T>
struct LstsqResult {
  DistMatrix<T> x;                   ///< n x nrhs
  std::vector<real_t<T>> residuals;  ///< squared 2-norms of B - A x per column when rank == n < m; else empty
  std::int64_t rank;                 ///< effective rank of A
  std::vector<real_t<T>> s;          ///< singular values of A, descending
};

struct LstsqOptions {
  /// Singular values at most rcond * s_max count as zero (numpy's rcond). Unset: numpy's
  /// default, eps * max(m, n). NaN or negative values throw InvalidArgument.
  std::optional<double> rcond;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A or B
};

/// The minimum-norm least-squares solution of A x = B (numpy.linalg.lstsq), correct for
/// rank-deficient and under-determined A. The singular values are always computed (they
/// are part of the result); when A has full rank the solution is taken from QR/LQ
/// (p?gels), otherwise from the SVD. Tall-skinny A (m >= 50 n, n <= 2048), on any grid, is
/// factored by CholeskyQR2 (see QrMethod): its singular values are those of the n x n R
/// and a full-rank solution is R^-1 Q^H B. Collective.
template <class T>
LstsqResult<T> lstsq(const DistMatrix<T>& A, const DistMatrix<T>& B, LstsqOptions opts = {});

}  // namespace tartan
