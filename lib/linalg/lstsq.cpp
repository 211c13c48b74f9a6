// lstsq(A, B): CholeskyQR2 for full-rank tall-skinny A, p?gels for other
// full-rank A, the SVD for rank-deficient A, from one bidiagonal reduction.

#include "tartan/linalg/lstsq.hpp"

#include <optional>
#include <string>

#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/cholqr.hpp"
#include "kernels/lstsq.hpp"
#include "kernels/qr.hpp"
#include "kernels/svd.hpp"
#include "linalg/common.hpp"
#include "tartan/linalg/svd.hpp"
#include "tartan/linalg/triangular.hpp"

namespace tartan {

template <class T>
LstsqResult<T> lstsq(const DistMatrix<T>& A, const DistMatrix<T>& B, LstsqOptions opts) {
  const detail::watchdog::Scope watch("lstsq", [&] { return detail::watchdog::describe(A); });
  using R = real_t<T>;
  const char* f = "lstsq";
  detail::require_system(A, B, f, /*square=*/false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), nrhs = B.cols(), k = std::min(m, n);
  const double rcond = detail::checked_tolerance(opts.rcond, detail::default_rtol<R>(m, n), f, "rcond");
  LstsqResult<T> res{DistMatrix<T>(A.grid(), n, nrhs, Block{A.block().nb, B.block().nb}), {}, 0, {}};
  if (k == 0) return res;
  if (detail::on_one_process(A)) {  // numpy's own algorithm (?gelsd) on one process
    auto r = detail::gelsd_serial(A, B, rcond, f);
    return {std::move(r.x), std::move(r.residuals), r.rank, std::move(r.s)};
  }
  // Tall-skinny A: CholeskyQR2 takes two sweeps over A (and on grids with several process
  // columns a move to one column and back); the singular values are R's (an n x n problem)
  // and a full-rank x is R^-1 Q^H B. The path below reduces A twice with Householder
  // (p?geqrf for the values, p?gels for x): 5.8 s for 200000 x 100 on 1x2, where this
  // takes 1.5 s (0.16 s on 2x1). Rank-deficient A, or an A CholeskyQR cannot
  // orthogonalize, goes on below.
  if (detail::tall_skinny(m, n)) {
    std::string note;
    if (auto t = detail::cholesky_qr<T>(A, true, &note)) {
      res.s = detail::svdvals_of_r(t->r, t->r_all, f);
      detail::require_finite_values(A.grid().comm(), res.s, f);
      const double cut = rcond * static_cast<double>(res.s[0]);
      res.rank = std::count_if(res.s.begin(), res.s.end(), [&](R v) { return static_cast<double>(v) > cut; });
      if (nrhs == 0) return res;
      if (res.rank == n) {
        DistMatrix<T> C(A.grid(), n, nrhs, Block{t->q.block().nb, B.block().nb});
        gemm<T>(T(1), t->q, Op::adjoint, B, Op::none, T(0), C);
        res.x = solve_triangular(t->r, C, {.lower = false, .check_finite = false});
        DistMatrix<T> Rb = B.copy();
        gemm<T>(T(-1), A, Op::none, res.x, Op::none, T(1), Rb);
        for (std::int64_t j = 0; j < nrhs; ++j) {
          const R r = norm<T>(std::as_const(Rb).view(0, j, m, 1));
          res.residuals.push_back(r * r);
        }
        return res;
      }
    }
  }
  // One reduction to bidiagonal form serves both paths: its values decide the rank, and a
  // rank-deficient problem takes the vectors from the same reduction.
  const bool wide = m < n;
  std::optional<detail::BidiagonalSvd<T>> bd;
  bd.emplace(wide ? detail::working_copy(adjoint(A)) : detail::working_copy(A), f);
  std::string why;
  if (auto s = bd->values(&why))
    res.s = std::move(*s);
  else
    res.s = detail::svdvals_impl(A, false, f);               // p?gesvd
  detail::require_finite_values(A.grid().comm(), res.s, f);  // a NaN must not decide the rank
  const double cutoff = rcond * static_cast<double>(res.s[0]);
  res.rank = std::count_if(res.s.begin(), res.s.end(), [&](R v) { return static_cast<double>(v) > cutoff; });
  if (nrhs == 0) return res;
  if (res.rank == k) {
    bd.reset();
    // Full rank: QR (m >= n) or LQ (m < n) by p?gels, which also gives the minimum norm
    // solution of an under-determined system.
    DistMatrix<T> W = detail::working_copy(A);
    DistMatrix<T> X(A.grid(), std::max(m, n), nrhs, Block{W.block().mb, B.block().nb}, Source{W.source().row, 0});
    assign<T>(X.view(0, 0, m, nrhs), B);
    detail::gels(W, X, f);
    res.x = copy<T>(std::as_const(X).view(0, 0, n, nrhs));
    if (m > n)
      for (std::int64_t j = 0; j < nrhs; ++j) {
        const R r = norm<T>(std::as_const(X).view(n, j, m - n, 1));
        res.residuals.push_back(r * r);
      }
    return res;
  }
  // Rank deficient: x = V diag(1/s_i for the first rank values) U^H B.
  std::optional<SvdResult<T>> svd;
  if (auto fac = bd->vectors(&why)) {
    if (!wide)
      svd = SvdResult<T>{std::move(fac->u), std::move(fac->s), std::move(fac->vt)};
    else
      svd = SvdResult<T>{adjoint(fac->vt), std::move(fac->s), adjoint(fac->u)};
  }
  bd.reset();
  if (!svd) svd = detail::svd_impl(A, false, false, f, SvdDriver::gesvd);
  auto& [U, s, Vh] = *svd;
  DistMatrix<T> C(A.grid(), k, nrhs, Block{U.block().nb, B.block().nb});
  gemm<T>(T(1), U, Op::adjoint, B, Op::none, T(0), C);
  const std::int64_t rank = res.rank;
  C.for_each_local(
      [&](std::int64_t i, std::int64_t, T& x) { x = i < rank ? x / s[static_cast<std::size_t>(i)] : T(0); });
  gemm<T>(T(1), Vh, Op::adjoint, C, Op::none, T(0), res.x);
  return res;
}

#define TARTAN_INSTANTIATE(T) \
  template LstsqResult<T> lstsq<T>(const DistMatrix<T>&, const DistMatrix<T>&, LstsqOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
