// SVD kernel: p?gesvd.

#include <string>

#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
std::vector<real_t<T>> gesvd(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func) {
  using R = real_t<T>;
  const std::int64_t m = W.rows(), n = W.cols(), k = std::min(m, n);
  std::vector<R> s(static_cast<std::size_t>(k));
  if (k == 0) return s;
  const bool vec = U != nullptr;
  const char job = vec ? 'V' : 'N';
  T* u = vec ? U->data() : W.data();
  T* vt = vec ? VT->data() : W.data();
  const int* du = vec ? U->descriptor().data() : W.descriptor().data();
  const int* dvt = vec ? VT->descriptor().data() : W.descriptor().data();
  std::vector<R> rwork(static_cast<std::size_t>(1 + 4 * std::max(m, n) + 1024));
  int info = 0;
  T wq{};
  const int mi = static_cast<int>(m), ni = static_cast<int>(n);
  sl::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt, &wq, -1,
            rwork.data(), &info);
  std::vector<T> work(static_cast<std::size_t>(work_size(wq)));
  sl::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt,
            work.data(), static_cast<int>(work.size()), rwork.data(), &info);
  info = agreed_info(W.grid(), info, func, "p?gesvd");
  if (info > 0)
    throw NoConvergence(std::string(func) + ": the SVD did not converge (INFO = " + std::to_string(info) + ")");
  replicate_from_source(s, W);
  return s;
}

#define TARTAN_INSTANTIATE(T) \
  template std::vector<real_t<T>> gesvd<T>(DistMatrix<T>&, DistMatrix<T>*, DistMatrix<T>*, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
