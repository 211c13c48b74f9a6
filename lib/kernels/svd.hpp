#pragma once
// SVD kernels: p?gesvd, and numpy's divide and conquer spread over the grid (p?gebrd,
// ?bdsdc on every process, p?ormbr/p?unmbr).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

/// SVD of W (destroyed) by p?gesvd: singular values (descending, the same on every rank)
/// and, when U is given, U (m x k) and VT (k x n). Throws NoConvergence.
template <class T>
std::vector<real_t<T>> gesvd(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func);

/// The SVD by bidiagonal divide and conquer, numpy's ?gesdd spread over the grid. W
/// (m >= n, in the working layout, not on_one_process) is reduced once: by p?gebrd, or for
/// tall W (m >= 1.6 n, LAPACK's crossover is 1.83 n) by p?geqrf and then p?gebrd of the n x n
/// R. Every process then holds the real bidiagonal (n + n-1 numbers). values() runs
/// LAPACK's ?bdsdc without vectors; vectors() runs it with vectors on every process (2 n^2
/// reals per rank for the factors, 3 n^2 of workspace, agreed before they are allocated)
/// and applies the back-transformations (p?ormbr/p?unmbr, p?ormqr/p?unmqr). Both return
/// std::nullopt and say why when the caller must fall back to p?gesvd: the factors do not
/// fit, ?bdsdc fails (INFO > 0), or its values with vectors disagree with the values alone
/// (LAPACK issue #316 shows ?gesdd wrong without an error). Collective.
/// Bytes per rank of BidiagonalSvd::vectors()'s replicated factors and ?bdsdc's workspace
/// for an n x n bidiagonal: what its memory guard asks for before allocating.
template <class T>
std::int64_t bdsdc_vectors_bytes(std::int64_t n) {
  return static_cast<std::int64_t>(sizeof(real_t<T>)) * (2 * n * n + lapack::bdsdc_lwork(n, true)) +
         static_cast<std::int64_t>(sizeof(int)) * lapack::bdsdc_liwork(n);
}
template <class T>
class BidiagonalSvd {
 public:
  using R = real_t<T>;
  BidiagonalSvd(DistMatrix<T>&& W, const char* func);
  std::optional<std::vector<R>> values(std::string* why) const;
  struct Factors {
    DistMatrix<T> u;  ///< m x n
    std::vector<R> s;
    DistMatrix<T> vt;  ///< n x n
  };
  std::optional<Factors> vectors(std::string* why);
  bool qr_first() const { return qr_.rows() > 0; }

 private:
  void apply_qr(DistMatrix<T>& U) const;  ///< U := Q_qr U (p?ormqr/p?unmqr)
  const char* func_;
  std::int64_t m_, n_;
  Grid home_;         ///< W's grid: where the factors are returned (brd_ may live on another)
  DistMatrix<T> qr_;  ///< p?geqrf's reflectors (tall W), else 0 x 0
  std::vector<T> tau_qr_;
  DistMatrix<T> brd_;    ///< p?gebrd's reflectors; R itself when serial_
  bool serial_ = false;  ///< R on_one_process: LAPACK's ?gesdd of R on one process
  std::vector<T> tauq_, taup_;
  std::vector<R> d_, e_;
};

/// True when a complex matrix on g must not reach p?gebrd or p?gesvd: Debian's 2.2.1 pzgebrd
/// and pcgebrd write out of bounds on P x 1 grids (P > 1). AddressSanitizer stops there and
/// plain runs crashed now and then (tests/support/gebrd_px1.cpp reproduces it with
/// ScaLAPACK alone). Such matrices are reduced on a 1 x P grid of the same processes.
template <class T>
bool gebrd_needs_row_grid(const Grid& g) {
  return is_complex_v<T> && g.pcols() == 1 && g.prows() > 1;
}

/// Throws NoConvergence on every rank of comm when a singular value is NaN or infinite:
/// with finite input that is the SVD failing inside (numpy raises LinAlgError too), and a
/// NaN would otherwise decide a rank or a cutoff silently (NaN > tol is false).
template <class R>
void require_finite_values(MPI_Comm comm, const std::vector<R>& s, const char* func);

}  // namespace tartan::detail
