#pragma once
// Least squares on one process by LAPACK's ?gelsd (numpy's lstsq).

#include <cstdint>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

/// Minimum-norm least squares on rank 0 of the grid by LAPACK's ?gelsd (numpy's lstsq),
/// for A on_one_process: A and B gathered there, x scattered back in A's column blocks.
/// Returns x (n x nrhs), the singular values, the rank for the cutoff rcond * s_max, and
/// the squared residual norms when rank == n < m.
template <class T>
struct LeastSquares {
  DistMatrix<T> x;
  std::vector<real_t<T>> s;
  std::int64_t rank = 0;
  std::vector<real_t<T>> residuals;
};
template <class T>
LeastSquares<T> gelsd_serial(const DistMatrix<T>& A, const DistMatrix<T>& B, double rcond, const char* func);

}  // namespace tartan::detail
