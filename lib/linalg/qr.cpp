// qr(A) in numpy's modes (p?geqrf + p?orgqr/p?ungqr).

#include "tartan/linalg/qr.hpp"

#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "linalg/common.hpp"

namespace tartan {

namespace {
template <class T, class Src>
QrResult<T> qr_impl(Src&& A, QrMode mode, bool check_finite, const char* f) {
  detail::check_one(A, f, false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = detail::working_copy(std::forward<Src>(A));
  const std::vector<T> tau = detail::geqrf(W, f);
  const std::int64_t rrows = mode == QrMode::complete ? m : k;
  if (mode == QrMode::r && rrows == m) {  // R is W itself: no second copy
    detail::zero_triangle(W, false);
    return {DistMatrix<T>(W.grid(), 0, 0, W.block()), std::move(W)};
  }
  DistMatrix<T> R = rrows == m ? W.copy() : copy<T>(std::as_const(W).view(0, 0, rrows, n));
  detail::zero_triangle(R, false);
  if (mode == QrMode::r) return {DistMatrix<T>(W.grid(), 0, 0, W.block()), std::move(R)};
  if (mode == QrMode::reduced && k == n) {  // Q is m x n: form it in W's own storage
    detail::ungqr(W, k, tau, f);
    return {std::move(W), std::move(R)};
  }
  const std::int64_t qcols = mode == QrMode::complete ? m : k;
  DistMatrix<T> Q(W.grid(), m, qcols, W.block(), W.source());
  if (k > 0) assign<T>(Q.view(0, 0, m, k), std::as_const(W).view(0, 0, m, k));
  detail::ungqr(Q, k, tau, f);
  return {std::move(Q), std::move(R)};
}
}  // namespace

template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrOptions opts) {
  return qr_impl<T>(A, opts.mode, opts.check_finite, "qr");
}
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrOptions opts) {
  DistMatrix<T> own = std::move(A);  // consumed whether the call returns or throws
  return qr_impl<T>(std::move(own), opts.mode, opts.check_finite, "qr");
}

#define TARTAN_INSTANTIATE(T)                                         \
  template QrResult<T> qr<T>(const DistMatrix<T>&, QrOptions); \
  template QrResult<T> qr<T>(DistMatrix<T>&&, QrOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
