#pragma once
// Householder QR in numpy.linalg.qr's modes.

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// numpy.linalg.qr's modes: reduced (Q m x k, R k x n), complete (Q m x m, R m x n),
/// r (R only, k x n); k = min(m, n).
enum class QrMode { reduced, complete, r };

/// Options of qr (numpy.linalg.qr's mode, scipy's check_finite).
struct QrOptions {
  QrMode mode = QrMode::reduced;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
};

template <class T>
struct QrResult {
  DistMatrix<T> q;  ///< 0 x 0 in mode r
  DistMatrix<T> r;  ///< upper triangular (trapezoidal), zeros below the diagonal
};

/// A = Q R with orthonormal (unitary) columns of Q and upper-triangular R (p?geqrf and
/// p?orgqr/p?ungqr). Throws NonFiniteInput. Collective.
template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrOptions opts = {});
/// The same on an rvalue, as scipy's overwrite_a=True: factors in A's storage when its
/// layout serves ScaLAPACK. A is left an empty 0x0 matrix whether the call returns or throws.
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrOptions opts = {});

}  // namespace tartan
