// svd, svdvals and what is built on them: pinv, matrix_rank, cond.

#include "tartan/linalg/svd.hpp"

#include <limits>
#include <string>

#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "linalg/common.hpp"
#include "tartan/linalg/qr.hpp"

namespace tartan {

namespace {

// [first k columns of B | the rest of an orthonormal basis]: completes the orthonormal
// columns of B (m x k) to a square unitary matrix with a complete QR.
template <class T>
DistMatrix<T> complete_basis(const DistMatrix<T>& B) {
  const std::int64_t m = B.rows(), k = B.cols();
  auto [Q, R] = qr(B, {.mode = QrMode::complete, .check_finite = false});
  if (k > 0) assign<T>(Q.view(0, 0, m, k), B);
  return std::move(Q);
}

}  // namespace

namespace detail {

template <class T>
SvdResult<T> svd_impl(const DistMatrix<T>& A, bool full_matrices, bool check_finite, const char* f) {
  check_one(A, f, false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = working_copy(A);
  DistMatrix<T> U(A.grid(), m, k, W.block(), W.source());
  DistMatrix<T> VT(A.grid(), k, n, W.block(), W.source());
  auto s = gesvd(W, &U, &VT, f);
  if (full_matrices) {
    if (k < m) U = complete_basis(U);
    if (k < n) VT = adjoint(complete_basis(adjoint(VT)));
    if (k == 0) {  // nothing to complete from: identities
      U = identity<T>(A.grid(), m, W.block());
      VT = identity<T>(A.grid(), n, W.block());
    }
  }
  return {std::move(U), std::move(s), std::move(VT)};
}

template <class T>
std::vector<real_t<T>> svdvals_impl(const DistMatrix<T>& A, bool check_finite, const char* f) {
  check_one(A, f, false, check_finite);
  DistMatrix<T> W = working_copy(A);
  return gesvd<T>(W, nullptr, nullptr, f);
}

}  // namespace detail

template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts) {
  return detail::svd_impl(A, opts.full_matrices, opts.check_finite, "svd");
}

template <class T>
std::vector<real_t<T>> svdvals(const DistMatrix<T>& A, CheckOptions opts) {
  return detail::svdvals_impl(A, opts.check_finite, "svdvals");
}

template <class T>
DistMatrix<T> pinv(const DistMatrix<T>& A, PinvOptions opts) {
  using R = real_t<T>;
  const char* f = "pinv";
  const std::int64_t m = A.rows(), n = A.cols();
  const double atol = detail::checked_tolerance(opts.atol, 0.0, f, "atol");
  const double rtol = detail::checked_tolerance(opts.rtol, detail::default_rtol<R>(m, n), f, "rtol");
  auto [U, s, Vh] = detail::svd_impl(A, false, opts.check_finite, f);
  DistMatrix<T> X(A.grid(), n, m, Block{A.block().nb, A.block().mb});
  if (s.empty()) return X;
  const double cutoff = atol + rtol * static_cast<double>(s[0]);
  // X = Vh^H diag(1/s) U^H, scaling the columns of U first.
  U.for_each_local([&](std::int64_t, std::int64_t j, T& x) {
    const R v = s[static_cast<std::size_t>(j)];
    x = static_cast<double>(v) > cutoff ? x / v : T(0);
  });
  gemm<T>(T(1), Vh, Op::adjoint, U, Op::adjoint, T(0), X);
  return X;
}

template <class T>
std::int64_t matrix_rank(const DistMatrix<T>& A, RankOptions opts) {
  using R = real_t<T>;
  const char* f = "matrix_rank";
  if (opts.tol && opts.rtol)
    throw InvalidArgument("matrix_rank: both tol and rtol given, expected at most one");
  const double tol = detail::checked_tolerance(opts.tol, 0.0, f, "tol");
  const double rtol = detail::checked_tolerance(opts.rtol, detail::default_rtol<R>(A.rows(), A.cols()), f, "rtol");
  const auto s = detail::svdvals_impl(A, opts.check_finite, f);
  if (s.empty()) return 0;
  const double t = opts.tol ? tol : static_cast<double>(s[0]) * rtol;
  return std::count_if(s.begin(), s.end(), [&](R v) { return static_cast<double>(v) > t; });
}

template <class T>
real_t<T> cond(const DistMatrix<T>& A) {
  using R = real_t<T>;
  if (A.rows() == 0 || A.cols() == 0)
    throw InvalidArgument("cond: A is " + detail::shape(A) + ", expected a non-empty matrix");
  const auto s = detail::svdvals_impl(A, true, "cond");
  if (s.back() == R(0)) return std::numeric_limits<R>::infinity();
  return s.front() / s.back();
}

template <class T>
real_t<T> cond(const DistMatrix<T>& A, Norm kind) {
  using R = real_t<T>;
  const char* f = "cond";
  if (kind == Norm::max)
    throw InvalidArgument("cond: Norm::max is not a matrix norm for condition numbers, expected fro, one or inf");
  detail::require_square(A, f, "A");
  if (A.rows() == 0) throw InvalidArgument("cond: A is 0x0, expected a non-empty matrix");
  try {
    const DistMatrix<T> Ai = detail::inv_impl(A, true, f);
    return norm(A, kind) * norm(Ai, kind);
  } catch (const SingularMatrix&) {  // thrown on every rank alike
    return std::numeric_limits<R>::infinity();
  }
}

#define TARTAN_INSTANTIATE(T)                                                                           \
  template SvdResult<T> svd<T>(const DistMatrix<T>&, SvdOptions);                                       \
  template std::vector<real_t<T>> svdvals<T>(const DistMatrix<T>&, CheckOptions);                       \
  template DistMatrix<T> pinv<T>(const DistMatrix<T>&, PinvOptions);                                    \
  template std::int64_t matrix_rank<T>(const DistMatrix<T>&, RankOptions);                              \
  template real_t<T> cond<T>(const DistMatrix<T>&);                                                     \
  template real_t<T> cond<T>(const DistMatrix<T>&, Norm);                                               \
  template SvdResult<T> detail::svd_impl<T>(const DistMatrix<T>&, bool, bool, const char*);             \
  template std::vector<real_t<T>> detail::svdvals_impl<T>(const DistMatrix<T>&, bool, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
