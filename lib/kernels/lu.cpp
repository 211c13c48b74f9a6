// LU kernels: p?getrf, p?getrs, p?getri.

#include "kernels/lu.hpp"

#include <string>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/instantiate.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
std::int64_t getrf(DistMatrix<T>& W, std::vector<int>& ipiv, const char* func) {
  ipiv.assign(pivot_size(W), 0);
  if (W.rows() == 0 || W.cols() == 0) return -1;
  ReportScope scope;
  int info = 0;
  if (one_process_grid(W))  // the local array is all of W: LAPACK's (OpenBLAS's) ?getrf, as numpy
    info = lapack::getrf(static_cast<int>(W.rows()), static_cast<int>(W.cols()), W.data(), lld_of(W), ipiv.data());
  else
    scalapack::getrf(static_cast<int>(W.rows()), static_cast<int>(W.cols()), W.data(), 1, 1, W.descriptor().data(),
                     ipiv.data(), &info);
  info = agreed_info(W.grid(), info, func, one_process_grid(W) ? "?getrf" : "p?getrf", describe(W));
  return info > 0 ? info - 1 : -1;
}

template <class T>
void getrs(const DistMatrix<T>& F, const std::vector<int>& ipiv, Op trans, DistMatrix<T>& X, const char* func) {
  if (F.rows() == 0 || X.cols() == 0) return;
  ReportScope scope;
  int info = 0;
  if (one_process_grid(F))
    info = lapack::getrs(fortran::op_char<T>(trans), static_cast<int>(F.rows()), static_cast<int>(X.cols()), F.data(),
                         lld_of(F), ipiv.data(), X.data(), lld_of(X));
  else
    scalapack::getrs(fortran::op_char<T>(trans), static_cast<int>(F.rows()), static_cast<int>(X.cols()), F.data(), 1, 1,
                     F.descriptor().data(), ipiv.data(), X.data(), 1, 1, X.descriptor().data(), &info);
  agreed_info(F.grid(), info, func, one_process_grid(F) ? "?getrs" : "p?getrs", describe(F));
}

template <class T>
void getri(DistMatrix<T>& W, const std::vector<int>& ipiv, const char* func) {
  if (W.rows() == 0) return;
  const int n = static_cast<int>(W.rows());
  const int info = one_process_grid(W)
                       ? local_lapack(W.grid(), func, "?getri", describe(W),
                                      [&] { return lapack::getri(n, W.data(), lld_of(W), ipiv.data()); })
                       : with_workspace<T>(
                             W.grid(),
                             [&](const WorkArgs<T>& a, int* inf) {
                               scalapack::getri(n, W.data(), 1, 1, W.descriptor().data(), ipiv.data(), a.work, a.lwork,
                                                a.iwork, a.liwork, inf);
                             },
                             [&](const Workspace& q) {
                               return Workspace{padded(q.lwork), 1, padded(q.liwork, W.local_cols() + W.block().nb)};
                             },
                             func, "p?getri", describe(W));
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
