// Cholesky kernels: p?potrf, p?potrs.

#include "kernels/cholesky.hpp"

#include <string>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "core/instantiate.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
void potrf(DistMatrix<T>& W, bool lower, const char* func, const char* what) {
  if (W.rows() == 0) return;
  ReportScope scope;
  int info = 0;
  if (one_process_grid(W))  // LAPACK's (OpenBLAS's) ?potrf on the whole local array, as numpy
    info = lapack::potrf(fortran::uplo_char(lower), static_cast<int>(W.rows()), W.data(), lld_of(W));
  else
    scalapack::potrf(fortran::uplo_char(lower), static_cast<int>(W.rows()), W.data(), 1, 1, W.descriptor().data(),
                     &info);
  info = agreed_info(W.grid(), info, func, one_process_grid(W) ? "?potrf" : "p?potrf", describe(W));
  if (info > 0)
    throw NotPositiveDefinite(std::string(func) + ": " + what + "leading minor of order " + std::to_string(info) +
                                  " is not positive definite",
                              info);
}

template <class T>
void potrs(const DistMatrix<T>& C, bool lower, DistMatrix<T>& X, const char* func) {
  if (C.rows() == 0 || X.cols() == 0) return;
  ReportScope scope;
  int info = 0;
  if (one_process_grid(C))
    info = lapack::potrs(fortran::uplo_char(lower), static_cast<int>(C.rows()), static_cast<int>(X.cols()), C.data(),
                         lld_of(C), X.data(), lld_of(X));
  else
    scalapack::potrs(fortran::uplo_char(lower), static_cast<int>(C.rows()), static_cast<int>(X.cols()), C.data(), 1, 1,
                     C.descriptor().data(), X.data(), 1, 1, X.descriptor().data(), &info);
  agreed_info(C.grid(), info, func, one_process_grid(C) ? "?potrs" : "p?potrs", describe(C));
}

#define TARTAN_INSTANTIATE(T)                                             \
  template void potrf<T>(DistMatrix<T>&, bool, const char*, const char*); \
  template void potrs<T>(const DistMatrix<T>&, bool, DistMatrix<T>&, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
