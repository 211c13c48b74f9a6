// Hermitian eigen kernels: p?syevd/p?heevd (all pairs), p?syevr/p?heevr (subsets, values
// only) and p?sygst/p?hegst (reduction of the generalized problem).

#include <string>
#include <utility>

#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
std::pair<std::vector<real_t<T>>, DistMatrix<T>> heev(DistMatrix<T>& W, bool lower, const EigRange& r, bool vectors,
                                                      const char* func) {
  using R = real_t<T>;
  const std::int64_t n = W.rows();
  const int ni = static_cast<int>(n);
  const char uplo = lower ? 'L' : 'U';
  std::vector<R> w(static_cast<std::size_t>(std::max<std::int64_t>(n, 1)));
  DistMatrix<T> Z(W.grid(), vectors ? n : 0, vectors ? n : 0, W.block(), W.source());
  if (n == 0) return {std::vector<R>{}, std::move(Z)};
  T* z = vectors ? Z.data() : W.data();
  const int* dz = vectors ? Z.descriptor().data() : W.descriptor().data();
  int info = 0, found = ni, nz = 0;
  T wq{};
  R rq{};
  int iq = 0;
  if (r.range == 'A' && vectors) {
    sl::heevd('V', uplo, ni, W.data(), 1, 1, W.descriptor().data(), w.data(), z, 1, 1, dz, &wq, -1, &rq, -1, &iq, -1,
              &info);
    std::vector<T> work(static_cast<std::size_t>(work_size(wq)));
    std::vector<R> rwork(static_cast<std::size_t>(work_size(rq)));
    std::vector<int> iwork(static_cast<std::size_t>(work_size(iq, 7 * n + 8 * W.grid().pcols() + 2)));
    sl::heevd('V', uplo, ni, W.data(), 1, 1, W.descriptor().data(), w.data(), z, 1, 1, dz, work.data(),
              static_cast<int>(work.size()), rwork.data(), static_cast<int>(rwork.size()), iwork.data(),
              static_cast<int>(iwork.size()), &info);
    info = agreed_info(W.grid(), info, func, "p?syevd/p?heevd");
  } else {
    const char jobz = vectors ? 'V' : 'N';
    const R vl = static_cast<R>(r.vl), vu = static_cast<R>(r.vu);
    sl::heevr(jobz, r.range, uplo, ni, W.data(), 1, 1, W.descriptor().data(), vl, vu, r.il, r.iu, &found, &nz,
              w.data(), z, 1, 1, dz, &wq, -1, &rq, -1, &iq, -1, &info);
    std::vector<T> work(static_cast<std::size_t>(work_size(wq)));
    std::vector<R> rwork(static_cast<std::size_t>(work_size(rq)));
    std::vector<int> iwork(static_cast<std::size_t>(work_size(iq)));
    sl::heevr(jobz, r.range, uplo, ni, W.data(), 1, 1, W.descriptor().data(), vl, vu, r.il, r.iu, &found, &nz,
              w.data(), z, 1, 1, dz, work.data(), static_cast<int>(work.size()), rwork.data(),
              static_cast<int>(rwork.size()), iwork.data(), static_cast<int>(iwork.size()), &info);
    info = agreed_info(W.grid(), info, func, "p?syevr/p?heevr");
    found = static_cast<int>(min_over(W.grid().comm(), found));
  }
  if (info > 0)
    throw NoConvergence(std::string(func) + ": the eigensolver did not converge (INFO = " + std::to_string(info) + ")");
  w.resize(static_cast<std::size_t>(found));
  replicate_from_source(w, W);
  if (vectors && found < n) Z = copy<T>(std::as_const(Z).view(0, 0, n, found));
  return {std::move(w), std::move(Z)};
}

template <class T>
real_t<T> hegst(DistMatrix<T>& C, const DistMatrix<T>& L, bool lower, const char* func) {
  real_t<T> scale = 1;
  int info = 0;
  sl::hegst(1, lower ? 'L' : 'U', static_cast<int>(C.rows()), C.data(), 1, 1, C.descriptor().data(), L.data(), 1, 1,
            L.descriptor().data(), &scale, &info);
  agreed_info(C.grid(), info, func, "p?sygst/p?hegst");
  return scale;
}

#define TARTAN_INSTANTIATE(T)                                                                             \
  template std::pair<std::vector<real_t<T>>, DistMatrix<T>> heev<T>(DistMatrix<T>&, bool, const EigRange&, \
                                                                    bool, const char*);                   \
  template real_t<T> hegst<T>(DistMatrix<T>&, const DistMatrix<T>&, bool, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
