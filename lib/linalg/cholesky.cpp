// Cholesky: cholesky, cho_factor and the Cholesky object's solve.

#include "tartan/linalg/cholesky.hpp"

#include <string>

#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/cholesky.hpp"
#include "linalg/common.hpp"

namespace tartan {

namespace {
template <class T, class Src>
DistMatrix<T> cholesky_impl(Src&& A, CholeskyOptions opts) {
  detail::check_one(A, "cholesky", true, opts.check_finite);
  DistMatrix<T> C = detail::working_copy(std::forward<Src>(A));
  detail::potrf(C, opts.lower, "cholesky", "");
  detail::zero_triangle(C, opts.lower);
  return C;
}
}  // namespace

template <class T>
DistMatrix<T> cholesky(const DistMatrix<T>& A, CholeskyOptions opts) {
  const detail::watchdog::Scope watch("cholesky", [&] { return detail::watchdog::describe(A); });
  return cholesky_impl<T>(A, opts);
}
template <class T>
DistMatrix<T> cholesky(DistMatrix<T>&& A, CholeskyOptions opts) {
  DistMatrix<T> own = std::move(A);  // consumed whether the call returns or throws
  return cholesky_impl<T>(std::move(own), opts);
}

template <class T>
Cholesky<T> cho_factor(const DistMatrix<T>& A, CholeskyOptions opts) {
  detail::check_one(A, "cho_factor", true, opts.check_finite);
  DistMatrix<T> C = detail::working_copy(A);
  detail::potrf(C, opts.lower, "cho_factor", "");
  return Cholesky<T>::make(std::move(C), opts.lower);
}

template <class T>
DistMatrix<T> Cholesky<T>::solve(const DistMatrix<T>& B) const {
  const char* f = "Cholesky::solve";
  detail::require_same_grid(c_.grid(), B.grid(), f, "the factorization", "B");
  if (B.rows() != c_.rows())
    throw InvalidArgument(std::string(f) + ": the factorization is " + detail::shape(c_) + " and B is " +
                          detail::shape(B) + ", expected B with " + std::to_string(c_.rows()) + " rows");
  DistMatrix<T> X = detail::rhs_copy(B, c_);
  detail::potrs(c_, lower_, X, f);
  return X;
}

#define TARTAN_INSTANTIATE(T)                                                \
  template class Cholesky<T>;                                                \
  template DistMatrix<T> cholesky<T>(const DistMatrix<T>&, CholeskyOptions); \
  template DistMatrix<T> cholesky<T>(DistMatrix<T>&&, CholeskyOptions);      \
  template Cholesky<T> cho_factor<T>(const DistMatrix<T>&, CholeskyOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
