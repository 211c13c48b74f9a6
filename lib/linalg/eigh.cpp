// eigh / eigvalsh: standard and generalized Hermitian eigenproblems.

#include "tartan/linalg/eigh.hpp"

#include <string>

#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "linalg/common.hpp"
#include "bindings/pblas.hpp"

namespace tartan {

namespace {

template <class T>
detail::EigRange eig_range(const DistMatrix<T>& A, const EighOptions& o, const char* func) {
  detail::EigRange r;
  if (o.subset_by_index && o.subset_by_value)
    throw InvalidArgument(std::string(func) + ": both subset_by_index and subset_by_value given, expected at most one");
  if (o.subset_by_index) {
    const auto [lo, hi] = *o.subset_by_index;
    if (lo < 0 || hi < lo || hi >= A.rows())
      throw InvalidArgument(std::string(func) + ": subset_by_index is [" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "], expected 0 <= lo <= hi < " + std::to_string(A.rows()));
    r.range = 'I';
    r.il = static_cast<int>(lo + 1);
    r.iu = static_cast<int>(hi + 1);
  } else if (o.subset_by_value) {
    const auto [lo, hi] = *o.subset_by_value;
    if (!(lo < hi))
      throw InvalidArgument(std::string(func) + ": subset_by_value is (" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "], expected lo < hi");
    r.range = 'V';
    r.vl = lo;
    r.vu = hi;
  }
  return r;
}

template <class T>
std::pair<std::vector<real_t<T>>, DistMatrix<T>> eigh_impl(const DistMatrix<T>& A, const EighOptions& o, bool vectors,
                                                           const char* func) {
  detail::check_one(A, func, true, o.check_finite);
  const detail::EigRange r = eig_range(A, o, func);
  DistMatrix<T> W = detail::working_copy(A);
  return detail::heev(W, o.lower, r, vectors, func);
}

// A x = lambda B x: B = L L^H, C = L^-1 A L^-H, C y = lambda y, x = L^-H y (or the upper
// variant), the way LAPACK's ?sygv does it.
template <class T>
std::pair<std::vector<real_t<T>>, DistMatrix<T>> eigh_general_impl(const DistMatrix<T>& A, const DistMatrix<T>& B,
                                                                   const EighOptions& o, bool vectors,
                                                                   const char* func) {
  detail::require_system(A, B, func, /*square=*/true, o.check_finite);
  detail::require_square(B, func, "B");
  const detail::EigRange r = eig_range(A, o, func);
  DistMatrix<T> C = detail::working_copy(A);
  DistMatrix<T> L = redistribute(B, C.grid(), C.block(), C.source());
  const char uplo = o.lower ? 'L' : 'U';
  detail::potrf(L, o.lower, func, "B is not positive definite: ");
  if (A.rows() == 0) return detail::heev(C, o.lower, r, vectors, func);
  const real_t<T> scale = detail::hegst(C, L, o.lower, func);
  auto [w, Y] = detail::heev(C, o.lower, r, vectors, func);
  for (auto& v : w) v *= scale;
  if (vectors && Y.cols() > 0) {
    // x = L^-H y (lower) or U^-1 y (upper)
    const char trans = o.lower ? (is_complex_v<T> ? 'C' : 'T') : 'N';
    detail::sl::trsm('L', uplo, trans, 'N', static_cast<int>(Y.rows()), static_cast<int>(Y.cols()), T(1), L.data(), 1,
                     1, L.descriptor().data(), Y.data(), 1, 1, Y.descriptor().data());
  }
  return {std::move(w), std::move(Y)};
}

}  // namespace

template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, EighOptions opts) {
  auto [w, V] = eigh_impl(A, opts, true, "eigh");
  return {std::move(w), std::move(V)};
}
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts) {
  auto [w, V] = eigh_general_impl(A, B, opts, true, "eigh");
  return {std::move(w), std::move(V)};
}
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, EighOptions opts) {
  return eigh_impl(A, opts, false, "eigvalsh").first;
}
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts) {
  return eigh_general_impl(A, B, opts, false, "eigvalsh").first;
}

#define TARTAN_INSTANTIATE(T)                                                                     \
  template EighResult<T> eigh<T>(const DistMatrix<T>&, EighOptions);                              \
  template EighResult<T> eigh<T>(const DistMatrix<T>&, const DistMatrix<T>&, EighOptions);        \
  template std::vector<real_t<T>> eigvalsh<T>(const DistMatrix<T>&, EighOptions);                 \
  template std::vector<real_t<T>> eigvalsh<T>(const DistMatrix<T>&, const DistMatrix<T>&, EighOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
