// QR kernels: p?geqrf, p?orgqr/p?ungqr, p?gels.

#include "kernels/qr.hpp"

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/instantiate.hpp"

namespace tartan::detail {

template <class T>
std::vector<T> geqrf(DistMatrix<T>& W, const char* func) {
  std::vector<T> tau(tau_size(W));
  if (W.rows() == 0 || W.cols() == 0) return tau;
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols());
  if (one_process_grid(W)) {  // LAPACK's ?geqrf on the whole local array, as numpy
    local_lapack(W.grid(), func, "?geqrf", describe(W),
                 [&] { return lapack::geqrf(m, n, W.data(), lld_of(W), tau.data()); });
    return tau;
  }
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::geqrf(m, n, W.data(), 1, 1, W.descriptor().data(), tau.data(), w, lw, info);
      },
      func, "p?geqrf", describe(W));
  return tau;
}

template <class T>
void ungqr(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func) {
  if (Q.rows() == 0 || Q.cols() == 0) return;
  const int m = static_cast<int>(Q.rows()), n = static_cast<int>(Q.cols()), kk = static_cast<int>(k);
  if (one_process_grid(Q)) {
    local_lapack(Q.grid(), func, "?orgqr/?ungqr", describe(Q),
                 [&] { return lapack::ungqr(m, n, kk, Q.data(), lld_of(Q), tau.data()); });
    return;
  }
  call_with_workspace<T>(
      Q.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::ungqr(m, n, kk, Q.data(), 1, 1, Q.descriptor().data(), tau.data(), w, lw, info);
      },
      func, "p?orgqr/p?ungqr", describe(Q));
}

template <class T>
void gels(DistMatrix<T>& W, DistMatrix<T>& X, const char* func) {
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols()), nrhs = static_cast<int>(X.cols());
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::gels('N', m, n, nrhs, W.data(), 1, 1, W.descriptor().data(), X.data(), 1, 1, X.descriptor().data(),
                        w, lw, info);
      },
      func, "p?gels", describe(W));
}

#define TARTAN_INSTANTIATE(T)                                                               \
  template std::vector<T> geqrf<T>(DistMatrix<T>&, const char*);                            \
  template void ungqr<T>(DistMatrix<T>&, std::int64_t, const std::vector<T>&, const char*); \
  template void gels<T>(DistMatrix<T>&, DistMatrix<T>&, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
