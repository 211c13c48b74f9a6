// LU: lu_factor and the LU object (solve, det, slogdet), and det/slogdet of a matrix.

#include "tartan/linalg/lu.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/lu.hpp"
#include "linalg/common.hpp"

namespace tartan {

namespace detail {

template <class T>
std::vector<std::int64_t> global_pivots(const DistMatrix<T>& W, const std::vector<int>& ipiv, std::int64_t k) {
  std::vector<std::int64_t> piv(static_cast<std::size_t>(k), 0);
  const Grid& g = W.grid();
  if (k > 0 && g.mycol() == W.layout().col_owner(0))  // the first process column holds them all
    for (std::int64_t il = 0; il < W.local_rows(); ++il) {
      const std::int64_t i = W.layout().global_row(il, g.myrow());
      if (i < k) piv[static_cast<std::size_t>(i)] = ipiv[static_cast<std::size_t>(il)] - 1;
    }
  if (k > 0) MPI_Allreduce(MPI_IN_PLACE, piv.data(), static_cast<int>(k), MPI_INT64_T, MPI_SUM, g.comm());
  return piv;
}

}  // namespace detail

namespace {

using detail::shape;

// Src is const DistMatrix<T>& (copied) or DistMatrix<T> (an rvalue, worked on in place).
template <class T, class Src>
LU<T> lu_factor_impl(Src&& A, bool check_finite, const char* func) {
  detail::check_one(A, func, true, check_finite);
  DistMatrix<T> W = detail::working_copy(std::forward<Src>(A));
  std::vector<int> ipiv;
  const std::int64_t singular = detail::getrf(W, ipiv, func);
  return LU<T>::make(std::move(W), std::move(ipiv), singular);
}

// sign and log|det| from a packed LU: the diagonal of U and the parity of the row swaps,
// each read on the process that owns the diagonal entry, then reduced.
template <class T>
SlogdetResult<T> slogdet_from_lu(const DistMatrix<T>& F, const std::vector<int>& ipiv) {
  using R = real_t<T>;
  const Layout& l = F.layout();
  const Grid& g = F.grid();
  double logsum = 0;
  int negatives = 0, zero = 0;
  T phase(1);
  for (std::int64_t i = 0; i < F.rows(); ++i) {
    if (l.row_owner(i) != g.myrow() || l.col_owner(i) != g.mycol()) continue;
    const std::int64_t il = l.local_row(i), jl = l.local_col(i);
    const T u = F.data()[il + jl * F.lld()];
    if (ipiv[static_cast<std::size_t>(il)] != i + 1) ++negatives;
    const double a = std::abs(u);
    if (a == 0) {
      zero = 1;
      continue;
    }
    logsum += std::log(a);
    if constexpr (is_complex_v<T>)
      phase *= u / static_cast<R>(a);
    else if (u < 0)
      ++negatives;
  }
  double logs = 0;
  int neg = 0, anyzero = 0;
  T ph(1);
  MPI_Allreduce(&logsum, &logs, 1, MPI_DOUBLE, MPI_SUM, g.comm());
  MPI_Allreduce(&negatives, &neg, 1, MPI_INT, MPI_SUM, g.comm());
  MPI_Allreduce(&zero, &anyzero, 1, MPI_INT, MPI_MAX, g.comm());
  if constexpr (is_complex_v<T>) MPI_Allreduce(&phase, &ph, 1, detail::mpi_type<T>(), MPI_PROD, g.comm());
  if (anyzero) return {T(0), -std::numeric_limits<R>::infinity()};
  T sign = (neg % 2 == 0) ? T(1) : T(-1);
  if constexpr (is_complex_v<T>) sign *= ph / std::abs(ph);
  return {sign, static_cast<R>(logs)};
}

}  // namespace

template <class T>
LU<T> lu_factor(const DistMatrix<T>& A, LuOptions opts) {
  const detail::watchdog::Scope watch("lu_factor", [&] { return detail::watchdog::describe(A); });
  return lu_factor_impl<T>(A, opts.check_finite, "lu_factor");
}
template <class T>
LU<T> lu_factor(DistMatrix<T>&& A, LuOptions opts) {
  DistMatrix<T> own = std::move(A);  // consumed whether the call returns or throws
  return lu_factor_impl<T>(std::move(own), opts.check_finite, "lu_factor");
}

template <class T>
DistMatrix<T> LU<T>::solve(const DistMatrix<T>& B, Op trans) const {
  const char* f = "LU::solve";
  detail::require_same_grid(lu_.grid(), B.grid(), f, "the factorization", "B");
  if (B.rows() != lu_.rows())
    throw InvalidArgument(std::string(f) + ": the factorization is " + shape(lu_) + " and B is " + shape(B) +
                          ", expected B with " + std::to_string(lu_.rows()) + " rows");
  if (singular_ >= 0) throw SingularMatrix(detail::singular_message(f, singular_), singular_);
  DistMatrix<T> X = detail::rhs_copy(B, lu_);
  detail::getrs(lu_, ipiv_, trans, X, f);
  return X;
}

template <class T>
SlogdetResult<T> LU<T>::slogdet() const {
  return slogdet_from_lu(lu_, ipiv_);
}

template <class T>
std::vector<std::int64_t> LU<T>::pivots() const {
  return detail::global_pivots(lu_, ipiv_, std::min(lu_.rows(), lu_.cols()));
}

template <class T>
T LU<T>::det() const {
  const auto s = slogdet();
  return s.sign * static_cast<real_t<T>>(std::exp(static_cast<double>(s.logabsdet)));
}

template <class T>
SlogdetResult<T> slogdet(const DistMatrix<T>& A, CheckOptions opts) {
  return lu_factor_impl<T>(A, opts.check_finite, "slogdet").slogdet();
}

template <class T>
T det(const DistMatrix<T>& A, CheckOptions opts) {
  const detail::watchdog::Scope watch("det", [&] { return detail::watchdog::describe(A); });
  return lu_factor_impl<T>(A, opts.check_finite, "det").det();
}

#define TARTAN_INSTANTIATE(T)                                                                                \
  template class LU<T>;                                                                                      \
  template std::vector<std::int64_t> detail::global_pivots<T>(const DistMatrix<T>&, const std::vector<int>&, \
                                                              std::int64_t);                                 \
  template LU<T> lu_factor<T>(const DistMatrix<T>&, LuOptions);                                              \
  template LU<T> lu_factor<T>(DistMatrix<T>&&, LuOptions);                                                   \
  template T det<T>(const DistMatrix<T>&, CheckOptions);                                                     \
  template SlogdetResult<T> slogdet<T>(const DistMatrix<T>&, CheckOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
