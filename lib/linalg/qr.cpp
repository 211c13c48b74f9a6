// qr(A) in numpy's modes (p?geqrf + p?orgqr/p?ungqr).

#include "tartan/linalg/qr.hpp"

#include <string>
#include <utility>

#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/cholqr.hpp"
#include "kernels/qr.hpp"
#include "linalg/common.hpp"
#include "tartan/error.hpp"

namespace tartan {

const char* qr_method_name(QrMethod m) noexcept {
  switch (m) {
    case QrMethod::automatic:
      return "automatic";
    case QrMethod::householder:
      return "householder";
    case QrMethod::cholesky_qr:
      return "cholesky_qr";
  }
  return "unknown";
}

namespace {
template <class T, class Src>
QrResult<T> qr_impl(Src&& A, QrMode mode, bool check_finite, QrMethod method, bool pivoting, const char* f) {
  detail::check_one(A, f, false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  if (pivoting && method == QrMethod::cholesky_qr)
    throw InvalidArgument(std::string(f) + ": pivoting needs method householder or automatic, not cholesky_qr");
  if (pivoting) method = QrMethod::householder;
  if (method == QrMethod::cholesky_qr && (mode == QrMode::complete || m < n))
    throw InvalidArgument(std::string(f) + ": method cholesky_qr needs m >= n and mode reduced or r; A is " +
                          std::to_string(m) + "x" + std::to_string(n) +
                          (mode == QrMode::complete ? " and the mode is complete" : ""));
  // On a grid with several process columns CholeskyQR moves A to one column of processes
  // and Q back (p?gemr2d); it still beat Householder QR there (200000 x 100 on 1x2:
  // 1.40-1.68 s against 1.97-1.99 s through Tartan; raw pdgeqrf + pdorgqr on the array it
  // reuses took 1.04 s), and on P x 1 grids it needs no move at all.
  const bool tall = mode != QrMode::complete && detail::tall_skinny(m, n);
  std::string fallback;
  if ((method == QrMethod::cholesky_qr || (method == QrMethod::automatic && tall)) && n >= 1) {
    auto t = detail::cholesky_qr<T>(std::as_const(A), mode != QrMode::r, &fallback);
    if (t) return {std::move(t->q), std::move(t->r), QrMethod::cholesky_qr, std::move(fallback), {}};
    fallback += "; used householder";
  }
  std::vector<std::int64_t> perm;
  auto result = [&](DistMatrix<T>&& q, DistMatrix<T>&& r) {
    return QrResult<T>{std::move(q), std::move(r), QrMethod::householder, fallback, std::move(perm)};
  };
  DistMatrix<T> W = detail::working_copy(std::forward<Src>(A));
  const std::vector<T> tau = pivoting ? detail::geqpf(W, perm, f) : detail::geqrf(W, f);
  const std::int64_t rrows = mode == QrMode::complete ? m : k;
  if (mode == QrMode::r && rrows == m) {  // R is W itself: no second copy
    detail::zero_triangle(W, false);
    return result(DistMatrix<T>(W.grid(), 0, 0, W.block()), std::move(W));
  }
  DistMatrix<T> R = rrows == m ? W.copy() : copy<T>(std::as_const(W).view(0, 0, rrows, n));
  detail::zero_triangle(R, false);
  if (mode == QrMode::r) return result(DistMatrix<T>(W.grid(), 0, 0, W.block()), std::move(R));
  if (mode == QrMode::reduced && k == n) {  // Q is m x n: form it in W's own storage
    detail::ungqr(W, k, tau, f);
    return result(std::move(W), std::move(R));
  }
  const std::int64_t qcols = mode == QrMode::complete ? m : k;
  DistMatrix<T> Q(W.grid(), m, qcols, W.block(), W.source());
  if (k > 0) assign<T>(Q.view(0, 0, m, k), std::as_const(W).view(0, 0, m, k));
  detail::ungqr(Q, k, tau, f);
  return result(std::move(Q), std::move(R));
}
}  // namespace

template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrOptions opts) {
  const detail::watchdog::Scope watch("qr", [&] { return detail::watchdog::describe(A); });
  return qr_impl<T>(A, opts.mode, opts.check_finite, opts.method, opts.pivoting, "qr");
}
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrOptions opts) {
  DistMatrix<T> own = std::move(A);  // consumed whether the call returns or throws
  return qr_impl<T>(std::move(own), opts.mode, opts.check_finite, opts.method, opts.pivoting, "qr");
}

#define TARTAN_INSTANTIATE(T)                                  \
  template QrResult<T> qr<T>(const DistMatrix<T>&, QrOptions); \
  template QrResult<T> qr<T>(DistMatrix<T>&&, QrOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
