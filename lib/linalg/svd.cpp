// svd, svdvals and what is built on them: pinv, matrix_rank, cond.

#include "tartan/linalg/svd.hpp"

#include <limits>
#include <string>

#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "linalg/common.hpp"
#include "tartan/linalg/inv.hpp"
#include "tartan/linalg/qr.hpp"

namespace tartan {

namespace {

// [first k columns of B | the rest of an orthonormal basis]: completes the orthonormal
// columns of B (m x k) to a square unitary matrix with a complete QR.
template <class T>
DistMatrix<T> complete_basis(const DistMatrix<T>& B) {
  const std::int64_t m = B.rows(), k = B.cols();
  auto [Q, R] = qr(B, QrMode::complete, false);
  if (k > 0) assign<T>(Q.view(0, 0, m, k), B);
  return std::move(Q);
}

}  // namespace

template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts) {
  const char* f = "svd";
  detail::check_one(A, f, false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = detail::working_copy(A);
  DistMatrix<T> U(A.grid(), m, k, W.block(), W.source());
  DistMatrix<T> VT(A.grid(), k, n, W.block(), W.source());
  auto s = detail::gesvd(W, &U, &VT, f);
  if (opts.full_matrices) {
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
std::vector<real_t<T>> svdvals(const DistMatrix<T>& A, bool check_finite) {
  detail::check_one(A, "svdvals", false, check_finite);
  DistMatrix<T> W = detail::working_copy(A);
  return detail::gesvd<T>(W, nullptr, nullptr, "svdvals");
}

template <class T>
DistMatrix<T> pinv(const DistMatrix<T>& A, double rtol, bool check_finite) {
  using R = real_t<T>;
  detail::check_one(A, "pinv", false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols();
  auto [U, s, Vh] = svd(A, {.full_matrices = false, .check_finite = false});
  DistMatrix<T> X(A.grid(), n, m, Block{A.block().nb, A.block().mb});
  if (s.empty()) return X;
  const double cutoff = (rtol < 0 ? detail::default_rtol<R>(m, n) : rtol) * static_cast<double>(s[0]);
  // X = Vh^H diag(1/s) U^H, scaling the columns of U first.
  U.for_each_local([&](std::int64_t, std::int64_t j, T& x) {
    const R v = s[static_cast<std::size_t>(j)];
    x = static_cast<double>(v) > cutoff ? x / v : T(0);
  });
  gemm<T>(T(1), Vh, Op::adjoint, U, Op::adjoint, T(0), X);
  return X;
}

template <class T>
std::int64_t matrix_rank(const DistMatrix<T>& A, double tol, bool check_finite) {
  using R = real_t<T>;
  const auto s = svdvals(A, check_finite);
  if (s.empty()) return 0;
  const double t = tol < 0 ? static_cast<double>(s[0]) * detail::default_rtol<R>(A.rows(), A.cols()) : tol;
  return std::count_if(s.begin(), s.end(), [&](R v) { return static_cast<double>(v) > t; });
}

template <class T>
real_t<T> cond(const DistMatrix<T>& A) {
  using R = real_t<T>;
  if (A.rows() == 0 || A.cols() == 0)
    throw InvalidArgument("cond: A is " + detail::shape(A) + ", expected a non-empty matrix");
  const auto s = svdvals(A, true);
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
    const DistMatrix<T> Ai = inv(A, true);
    return norm(A, kind) * norm(Ai, kind);
  } catch (const SingularMatrix&) {  // thrown on every rank alike
    return std::numeric_limits<R>::infinity();
  }
}

#define TARTAN_INSTANTIATE(T)                                                       \
  template SvdResult<T> svd<T>(const DistMatrix<T>&, SvdOptions);                   \
  template std::vector<real_t<T>> svdvals<T>(const DistMatrix<T>&, bool);           \
  template DistMatrix<T> pinv<T>(const DistMatrix<T>&, double, bool);               \
  template std::int64_t matrix_rank<T>(const DistMatrix<T>&, double, bool);         \
  template real_t<T> cond<T>(const DistMatrix<T>&);                                 \
  template real_t<T> cond<T>(const DistMatrix<T>&, Norm);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
