#pragma once
// Householder QR in numpy.linalg.qr's modes.

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// numpy.linalg.qr's modes: reduced (Q m x k, R k x n), complete (Q m x m, R m x n),
/// r (R only, k x n); k = min(m, n).
enum class QrMode { reduced, complete, r };

template <class T>
struct QrResult {
  DistMatrix<T> q;  ///< 0 x 0 in mode r
  DistMatrix<T> r;
};

/// A = Q R with orthonormal (unitary) columns of Q and upper-triangular R (Householder).
template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrMode mode = QrMode::reduced, bool check_finite = true);
/// The same on an rvalue: factors in A's storage (no copy); the argument is consumed.
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrMode mode = QrMode::reduced, bool check_finite = true);

}  // namespace tartan
