#pragma once
// CholeskyQR2 and shifted CholeskyQR3 for tall-skinny matrices, on whole rows.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

/// Whether an m x n matrix is tall-skinny enough for cholesky_qr to beat Householder QR
/// (m >= 50 n), with n small enough for the replicated n x n Gram matrix (n <= 2048).
inline bool tall_skinny(std::int64_t m, std::int64_t n) { return n >= 1 && n <= 2048 && m >= 50 * n; }
/// Where cholesky_qr leaves Q: in A's working layout, or on the whole-rows layout it worked
/// on (one process column, one row block per process; A's own grid when that has one
/// process column), which saves the move back when the caller's next step is local.
enum class QPlace { as_a, whole_rows };
/// Q (m x n, 0 x 0 unless wanted), R (n x n) in A's working layout, and R again as a
/// column-major n x n array that every process holds alike.
template <class T>
struct TallQr {
  DistMatrix<T> q, r;
  std::vector<T> r_all;
};
/// Tall-skinny QR of A (m >= n >= 1, any layout) by CholeskyQR2; by shifted CholeskyQR3
/// when A is too ill-conditioned for it. std::nullopt when neither reaches orthogonality
/// (the caller runs Householder QR); note says why, or why the shift was needed (else
/// empty). Collective.
template <class T>
std::optional<TallQr<T>> cholesky_qr(const DistMatrix<T>& A, bool want_q, std::string* note,
                                     QPlace place = QPlace::as_a);

}  // namespace tartan::detail
