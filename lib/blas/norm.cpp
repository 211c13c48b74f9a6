// Matrix norms of matrices and windows (p?lange).

#include <vector>

#include "bindings/pblas.hpp"
#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "tartan/blas.hpp"

namespace tartan {

template <class T>
real_t<T> norm(View<const T> A, Norm kind) {
  const detail::watchdog::Scope watch("norm", [&] { return detail::watchdog::describe(A.matrix()); });
  if (A.rows() == 0 || A.cols() == 0) return real_t<T>(0);
  const auto& M = A.matrix();
  std::vector<real_t<T>> work(
      static_cast<std::size_t>(M.local_rows() + M.local_cols() + M.block().mb + M.block().nb + 1));
  return detail::pblas::lange(static_cast<char>(kind), static_cast<int>(A.rows()), static_cast<int>(A.cols()), M.data(),
                              A.ia(), A.ja(), M.descriptor().data(), work.data());
}

#define TARTAN_INSTANTIATE(T) template real_t<T> norm<T>(View<const T>, Norm);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
