// lu (P, L, U) from p?getrf, orth and null_space from the SVD.

#include "tartan/linalg/decompositions.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/lu.hpp"
#include "kernels/qr.hpp"
#include "linalg/common.hpp"

namespace tartan {

namespace {

// How many singular values are above rcond * s_max (scipy's rule for orth and null_space).
template <class T>
std::int64_t rank_above_cutoff(const std::vector<real_t<T>>& s, std::int64_t m, std::int64_t n,
                               const SubspaceOptions& o, const char* func) {
  const double eps = static_cast<double>(std::numeric_limits<real_t<T>>::epsilon());
  const double rcond = detail::checked_tolerance(o.rcond, eps * static_cast<double>(std::max(m, n)), func, "rcond");
  const double tol = s.empty() ? 0.0 : static_cast<double>(s.front()) * rcond;
  std::int64_t r = 0;
  for (auto x : s) r += static_cast<double>(x) > tol ? 1 : 0;
  return r;
}

}  // namespace

template <class T>
PluResult<T> lu(const DistMatrix<T>& A, PluOptions opts) {
  const detail::watchdog::Scope watch("lu", [&] { return detail::watchdog::describe(A); });
  detail::check_one(A, "lu", false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = detail::working_copy(A);
  std::vector<int> ipiv;
  if (m > 0 && n > 0) detail::getrf(W, ipiv, "lu");
  const std::vector<std::int64_t> piv = detail::global_pivots(W, ipiv, k);
  // rows[j]: the row of A that ends up as row j of P^T A = L U.
  std::vector<std::int64_t> rows(static_cast<std::size_t>(m));
  std::iota(rows.begin(), rows.end(), 0);
  for (std::int64_t i = 0; i < k; ++i)
    std::swap(rows[static_cast<std::size_t>(i)], rows[static_cast<std::size_t>(piv[static_cast<std::size_t>(i)])]);
  PluResult<T> r{DistMatrix<T>(A.grid(), 0, 0), copy(W.view(0, 0, m, k)), copy(W.view(0, 0, k, n)), {}};
  r.l.for_each_local([](std::int64_t i, std::int64_t j, T& v) {
    if (i == j) v = T(1);
    if (j > i) v = T(0);
  });
  r.u.for_each_local([](std::int64_t i, std::int64_t j, T& v) {
    if (i > j) v = T(0);
  });
  r.perm.assign(static_cast<std::size_t>(m), 0);
  for (std::int64_t j = 0; j < m; ++j) r.perm[static_cast<std::size_t>(rows[static_cast<std::size_t>(j)])] = j;
  DistMatrix<T> P = zeros<T>(A.grid(), m, m, W.block());
  P.for_each_local([&](std::int64_t i, std::int64_t j, T& v) {
    if (rows[static_cast<std::size_t>(j)] == i) v = T(1);
  });
  if (opts.permute_l) {
    r.l = matmul(P, r.l);
  } else {
    r.p = std::move(P);
  }
  return r;
}

template <class T>
RqResult<T> rq(const DistMatrix<T>& A, RqOptions opts) {
  const detail::watchdog::Scope watch("rq", [&] { return detail::watchdog::describe(A); });
  detail::check_one(A, "rq", false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = detail::working_copy(A);
  const std::vector<T> tau = detail::gerqf(W, "rq");
  const Grid& g = W.grid();
  const Block b = W.block();
  // R: W above its diagonal ending at (m-1, n-1) (scipy's triu(rq, n - m)); economic with
  // n >= m keeps only the last m columns.
  const bool square_r = opts.mode == RqMode::economic && n >= m;
  DistMatrix<T> R = square_r ? copy<T>(std::as_const(W).view(0, n - m, m, m)) : W.copy();
  const std::int64_t shift = square_r ? 0 : n - m;
  R.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
    if (j - i < shift) x = T(0);
  });
  if (opts.mode == RqMode::r) return {std::move(R), DistMatrix<T>(g, 0, 0, b)};
  DistMatrix<T> Q(g, 0, 0, b);
  if (n < m) {  // Q n x n from the last n rows
    Q = copy<T>(std::as_const(W).view(m - n, 0, n, n));
  } else if (opts.mode == RqMode::economic) {  // Q m x n
    Q = std::move(W);
  } else {  // Q n x n, the reflectors in its last m rows
    Q = zeros<T>(g, n, n, b);
    if (m > 0) assign<T>(Q.view(n - m, 0, m, n), std::as_const(W));
  }
  detail::ungrq(Q, k, tau, "rq");
  return {std::move(R), std::move(Q)};
}

template <class T>
DistMatrix<T> orth(const DistMatrix<T>& A, SubspaceOptions opts) {
  auto s = detail::svd_impl(A, false, opts.check_finite, "orth");
  return copy(s.u.view(0, 0, A.rows(), rank_above_cutoff<T>(s.s, A.rows(), A.cols(), opts, "orth")));
}

template <class T>
DistMatrix<T> null_space(const DistMatrix<T>& A, SubspaceOptions opts) {
  auto s = detail::svd_impl(A, true, opts.check_finite, "null_space");
  const std::int64_t r = rank_above_cutoff<T>(s.s, A.rows(), A.cols(), opts, "null_space");
  const std::int64_t n = A.cols();
  return adjoint(copy(s.vh.view(r, 0, n - r, n)));
}

#define TARTAN_INSTANTIATE(T)                                            \
  template PluResult<T> lu<T>(const DistMatrix<T>&, PluOptions);         \
  template RqResult<T> rq<T>(const DistMatrix<T>&, RqOptions);           \
  template DistMatrix<T> orth<T>(const DistMatrix<T>&, SubspaceOptions); \
  template DistMatrix<T> null_space<T>(const DistMatrix<T>&, SubspaceOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
