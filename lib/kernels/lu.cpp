// LU kernels: p?getrf, p?getrs, p?getri.

#include <string>

#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
std::int64_t getrf(DistMatrix<T>& W, std::vector<int>& ipiv, const char* func) {
  ipiv.assign(pivot_size(W), 0);
  if (W.rows() == 0) return -1;
  int info = 0;
  sl::getrf(static_cast<int>(W.rows()), static_cast<int>(W.cols()), W.data(), 1, 1, W.descriptor().data(),
            ipiv.data(), &info);
  info = agreed_info(W.grid(), info, func, "p?getrf");
  return info > 0 ? info - 1 : -1;
}

template <class T>
void getrs(const DistMatrix<T>& F, const std::vector<int>& ipiv, Op trans, DistMatrix<T>& X, const char* func) {
  if (F.rows() == 0 || X.cols() == 0) return;
  char t = static_cast<char>(trans);
  if (!is_complex_v<T> && t == 'C') t = 'T';
  int info = 0;
  sl::getrs(t, static_cast<int>(F.rows()), static_cast<int>(X.cols()), F.data(), 1, 1, F.descriptor().data(),
            ipiv.data(), X.data(), 1, 1, X.descriptor().data(), &info);
  agreed_info(F.grid(), info, func, "p?getrs");
}

template <class T>
void getri(DistMatrix<T>& W, const std::vector<int>& ipiv, const char* func) {
  if (W.rows() == 0) return;
  const int n = static_cast<int>(W.rows());
  int info = 0, iq = 0;
  T wq{};
  sl::getri(n, W.data(), 1, 1, W.descriptor().data(), ipiv.data(), &wq, -1, &iq, -1, &info);
  std::vector<T> work(static_cast<std::size_t>(work_size(wq)));
  std::vector<int> iwork(static_cast<std::size_t>(work_size(iq, W.local_cols() + W.block().nb)));
  sl::getri(n, W.data(), 1, 1, W.descriptor().data(), ipiv.data(), work.data(), static_cast<int>(work.size()),
            iwork.data(), static_cast<int>(iwork.size()), &info);
  info = agreed_info(W.grid(), info, func, "p?getri");
  if (info > 0)
    throw SingularMatrix(std::string(func) + ": singular matrix: U(" + std::to_string(info - 1) + "," +
                             std::to_string(info - 1) + ") is exactly zero",
                         info - 1);
}

#define TARTAN_INSTANTIATE(T)                                                                             \
  template std::int64_t getrf<T>(DistMatrix<T>&, std::vector<int>&, const char*);                         \
  template void getrs<T>(const DistMatrix<T>&, const std::vector<int>&, Op, DistMatrix<T>&, const char*); \
  template void getri<T>(DistMatrix<T>&, const std::vector<int>&, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
