// solve_triangular (p?trsm after a collective check of the diagonal).

#include "tartan/linalg/triangular.hpp"

#include <string>

#include "bindings/pblas.hpp"
#include "core/agree.hpp"
#include "core/checks.hpp"
#include "core/instantiate.hpp"

namespace tartan {

template <class T>
DistMatrix<T> solve_triangular(const DistMatrix<T>& A, const DistMatrix<T>& B, TriangularOptions opts) {
  const char* f = "solve_triangular";
  detail::require_system(A, B, f, /*square=*/true, opts.check_finite);
  if (!opts.unit_diagonal) {
    // First zero on the diagonal, agreed over the grid (LAPACK's ?trtrs does the same check).
    std::int64_t first = A.rows();
    A.for_each_local([&](std::int64_t i, std::int64_t j, const T& x) {
      if (i == j && x == T(0)) first = std::min(first, i);
    });
    first = detail::min_over(A.grid().comm(), first);
    if (first < A.rows())
      throw SingularMatrix(
          std::string(f) + ": singular matrix: diagonal entry " + std::to_string(first) + " is exactly zero", first);
  }
  DistMatrix<T> X = B.copy();
  if (A.rows() == 0 || B.cols() == 0) return X;
  detail::pblas::trsm('L', detail::fortran::uplo_char(opts.lower), detail::fortran::op_char<T>(opts.trans),
                      opts.unit_diagonal ? 'U' : 'N', static_cast<int>(B.rows()), static_cast<int>(B.cols()), T(1),
                      A.data(), 1, 1, A.descriptor().data(), X.data(), 1, 1, X.descriptor().data());
  return X;
}

#define TARTAN_INSTANTIATE(T) \
  template DistMatrix<T> solve_triangular<T>(const DistMatrix<T>&, const DistMatrix<T>&, TriangularOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
