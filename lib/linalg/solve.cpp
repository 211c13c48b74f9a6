// solve(A, B): LU for general, symmetric and Hermitian A; Cholesky for positive definite A.

#include "tartan/linalg/solve.hpp"

#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/cholesky.hpp"
#include "kernels/lu.hpp"
#include "linalg/common.hpp"

namespace tartan {

template <class T>
DistMatrix<T> solve(const DistMatrix<T>& A, const DistMatrix<T>& B, SolveOptions opts) {
  const detail::watchdog::Scope watch("solve", [&] { return detail::watchdog::describe(A); });
  const char* f = "solve";
  detail::require_system(A, B, f, /*square=*/true, opts.check_finite);
  if (opts.assume == Structure::positive_definite) {
    DistMatrix<T> C = detail::working_copy(A);
    detail::potrf(C, opts.lower, f, "");
    DistMatrix<T> X = detail::rhs_copy(B, C);
    detail::potrs(C, opts.lower, X, f);
    return X;
  }
  // ScaLAPACK has no distributed Bunch-Kaufman: symmetric and Hermitian A are rebuilt from
  // the triangle read and solved by LU with partial pivoting.
  DistMatrix<T> W = opts.assume == Structure::general
                        ? detail::working_copy(A)
                        : detail::from_triangle(A, opts.lower, opts.assume == Structure::hermitian);
  std::vector<int> ipiv;
  const std::int64_t singular = detail::getrf(W, ipiv, f);
  if (singular >= 0) throw SingularMatrix(detail::singular_message(f, singular), singular);
  DistMatrix<T> X = detail::rhs_copy(B, W);
  detail::getrs(W, ipiv, Op::none, X, f);
  return X;
}

#define TARTAN_INSTANTIATE(T) template DistMatrix<T> solve<T>(const DistMatrix<T>&, const DistMatrix<T>&, SolveOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
