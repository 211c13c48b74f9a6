#pragma once
// Householder QR in numpy.linalg.qr's modes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// numpy.linalg.qr's modes: reduced (Q m x k, R k x n), complete (Q m x m, R m x n),
/// r (R only, k x n); k = min(m, n).
enum class QrMode { reduced, complete, r };

/// How qr factors.
///  - householder: p?geqrf and p?orgqr/p?ungqr (ScaLAPACK), any shape and mode.
///  - cholesky_qr: CholeskyQR2 for tall-skinny A (m >= n, modes reduced and r). Each pass
///    forms the Gram matrix G = A^H A with a local ?syrk/?herk and one allreduce, factors
///    G = R^H R on one process (broadcast), and computes Q = A R^-1 locally; the second pass
///    restores orthogonality. Latency-bound Householder panels become two BLAS-3 sweeps
///    and two reductions of n x n. When G is not numerically positive definite (cond(A)
///    beyond about 1e8) it restarts with a shift (shifted CholeskyQR3, Fukaya et al. 2020),
///    and where even that cannot reach orthogonality it falls back to householder; the
///    result says why. Each process holds whole rows: A on a P x 1 grid is used in place,
///    A on a grid with several process columns is redistributed to one column of all
///    processes and Q back (two copies of A in transit).
///  - automatic: cholesky_qr when m >= 50 n, n <= 2048 (G is replicated: n^2 elements per
///    process) and the mode is reduced or r; householder otherwise. Tall-skinny data is best
///    kept on a P x 1 grid (Grid(comm, size, 1)): there CholeskyQR works in place (200000 x
///    100 on 2x1: 0.14 s against 0.45 s for pdgeqrf + pdorgqr). On 1x2 the two moves make it
///    1.4-1.7 s, still ahead of Householder QR through Tartan (2.0 s).
enum class QrMethod { automatic, householder, cholesky_qr };
/// "automatic", "householder", "cholesky_qr".
const char* qr_method_name(QrMethod m) noexcept;

/// Options of qr (numpy.linalg.qr's mode, scipy's check_finite).
struct QrOptions {
  QrMode mode = QrMode::reduced;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
  /// cholesky_qr with mode complete or m < n throws InvalidArgument.
  QrMethod method = QrMethod::automatic;
  /// QR with column pivoting (scipy's pivoting=True): A[:, perm] = Q R with |R(i,i)|
  /// non-increasing, perm in the result. p?geqpf, whose BLAS-2 column norm updates make it
  /// about 8x slower than p?geqrf at n = 1500 (LAPACK's ?geqp3 on one process, as scipy).
  /// Householder only: with method cholesky_qr it throws InvalidArgument.
  bool pivoting = false;
};

/// Q, R and the algorithm that made them. Unpacks as `auto [q, r] = qr(A)`.
template <class T>
struct QrResult {
  DistMatrix<T> q;                          ///< 0 x 0 in mode r
  DistMatrix<T> r;                          ///< upper triangular (trapezoidal), zeros below the diagonal
  QrMethod method = QrMethod::householder;  ///< householder or cholesky_qr, never automatic
  /// Empty, or why cholesky_qr needed a shift (it says "shifted CholeskyQR3") or fell back
  /// to householder.
  std::string fallback;
  /// With pivoting: column j of Q R is column perm[j] of A (0-based, on every rank), as
  /// scipy's P. Empty otherwise.
  std::vector<std::int64_t> perm;

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return q;
    else
      return r;
  }
  template <std::size_t I>
  const auto& get() const& {
    if constexpr (I == 0)
      return q;
    else
      return r;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(q);
    else
      return std::move(r);
  }
};

/// A = Q R with orthonormal (unitary) columns of Q and upper-triangular R, by the method of
/// opts (p?geqrf and p?orgqr/p?ungqr, or CholeskyQR2 for tall-skinny A). Throws
/// NonFiniteInput, InvalidArgument. Collective.
template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrOptions opts = {});
/// The same on an rvalue, as scipy's overwrite_a=True: factors in A's storage when its
/// layout serves ScaLAPACK. A is left an empty 0x0 matrix whether the call returns or throws.
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrOptions opts = {});

/// The 0.1 form, kept for the 0.2 releases; goes in 0.3.
template <class T>
[[deprecated("use qr(A, {.mode = m}) instead")]] QrResult<T> qr(const DistMatrix<T>& A, QrMode mode) {
  return qr(A, QrOptions{.mode = mode});
}

}  // namespace tartan

template <class T>
struct std::tuple_size<tartan::QrResult<T>> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I, class T>
struct std::tuple_element<I, tartan::QrResult<T>> {
  using type = tartan::DistMatrix<T>;
};
