// inv(A) by LU (p?getrf + p?getri).

#include "tartan/linalg/inv.hpp"

#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/lu.hpp"
#include "linalg/common.hpp"

namespace tartan {

namespace detail {
template <class T>
DistMatrix<T> inv_impl(const DistMatrix<T>& A, bool check_finite, const char* f) {
  detail::check_one(A, f, true, check_finite);
  DistMatrix<T> W = detail::working_copy(A);
  std::vector<int> ipiv;
  const std::int64_t singular = detail::getrf(W, ipiv, f);
  if (singular >= 0) throw SingularMatrix(detail::singular_message(f, singular), singular);
  detail::getri(W, ipiv, f);
  return W;
}
}  // namespace detail

template <class T>
DistMatrix<T> inv(const DistMatrix<T>& A, CheckOptions opts) {
  const detail::watchdog::Scope watch("inv", [&] { return detail::watchdog::describe(A); });
  return detail::inv_impl(A, opts.check_finite, "inv");
}

#define TARTAN_INSTANTIATE(T)                                        \
  template DistMatrix<T> inv<T>(const DistMatrix<T>&, CheckOptions); \
  template DistMatrix<T> detail::inv_impl<T>(const DistMatrix<T>&, bool, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
