// svd, svdvals and what is built on them: pinv, matrix_rank, cond.

#include "tartan/linalg/svd.hpp"

#include <limits>
#include <optional>
#include <string>

#include "bindings/blas.hpp"
#include "bindings/lapack.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/testing.hpp"
#include "core/watchdog.hpp"
#include "kernels/cholqr.hpp"
#include "kernels/qr.hpp"
#include "kernels/svd.hpp"
#include "linalg/common.hpp"
#include "tartan/linalg/qr.hpp"

namespace tartan {

const char* driver_name(SvdDriver d) { return d == SvdDriver::gesdd ? "gesdd" : "gesvd"; }

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

namespace {

// The SVD of the n x n matrix r (column-major, the same on every process): s, and with
// vectors u and vt (column-major n x n), on every process. LAPACK's ?gesdd (?gesvd when that
// fails) on rank 0, broadcast, for n <= r_serial_limit(); above it the grid's own SVD of R (its
// distributed form), gathered. false, with why, when neither converges.
template <class T>
bool small_svd(const DistMatrix<T>& r, const std::vector<T>& r_all, bool vectors, std::vector<real_t<T>>& s,
               std::vector<T>& u, std::vector<T>& vt, std::string* why, const char* f) {
  using R = real_t<T>;
  const Grid& g = r.grid();
  const int n = static_cast<int>(r.cols());
  s.assign(std::size_t(n), R(0));
  if (vectors) {
    u.assign(std::size_t(n) * n, T(0));
    vt.assign(std::size_t(n) * n, T(0));
  }
  if (n > r_serial_limit()) {
    if (!vectors) {
      s = svdvals_impl(r, false, f);
      return true;
    }
    SvdResult<T> d = svd_impl(r, false, false, f, SvdDriver::gesdd);
    s = std::move(d.s);
    auto eu = to_eigen(d.u, 0), ev = to_eigen(d.vh, 0);
    if (g.rank() == 0) {
      std::copy(eu.data(), eu.data() + eu.size(), u.begin());
      std::copy(ev.data(), ev.data() + ev.size(), vt.begin());
    }
  } else {
    int info = 0;
    ReportScope scope;
    collectively(g.comm(), [&] {
      if (g.rank() != 0) return;
      std::vector<T> a = r_all;
      T dummy{};
      info = lapack::gesdd(vectors ? 'S' : 'N', n, n, a.data(), n, s.data(), vectors ? u.data() : &dummy, n,
                           vectors ? vt.data() : &dummy, n);
    });
    MPI_Bcast(&info, 1, MPI_INT, 0, g.comm());
    agreed_info(g, g.rank() == 0 ? info : 0, f, "LAPACK ?gesdd/?gesvd", "R of the tall-skinny QR");
    if (info > 0) {
      *why = "LAPACK ?gesdd and ?gesvd did not converge on R (INFO = " + std::to_string(info) + ")";
      return false;
    }
    MPI_Bcast(s.data(), n, mpi_type<R>(), 0, g.comm());
  }
  if (vectors) {
    MPI_Bcast(u.data(), n * n, mpi_type<T>(), 0, g.comm());
    MPI_Bcast(vt.data(), n * n, mpi_type<T>(), 0, g.comm());
  }
  return true;
}

// The SVD of a tall-skinny A (tall_skinny(m, n)) through its QR by CholeskyQR: A = Q R with
// Q on whole rows, R = Ur S Vh (small_svd), U = Q Ur by a local product on those rows, then
// moved to A's grid. Householder QR (p?geqrf, p?ormqr) costs 4-5x more here: it is
// latency-bound on so few columns. std::nullopt with why when CholeskyQR cannot
// orthogonalize A (then the caller reduces it by Householder).
template <class T>
std::optional<SvdResult<T>> svd_cholqr(const DistMatrix<T>& A, std::string* why, const char* f) {
  const Grid& g = A.grid();
  const std::int64_t m = A.rows();
  const int n = static_cast<int>(A.cols());
  std::string note;
  auto t = cholesky_qr<T>(A, true, &note, QPlace::whole_rows);
  if (!t) {
    *why = note;
    return std::nullopt;
  }
  std::vector<real_t<T>> s;
  std::vector<T> ur, vt;
  if (!small_svd(t->r, t->r_all, true, s, ur, vt, why, f)) return std::nullopt;
  const Block wb{A.block().nb, A.block().nb};
  DistMatrix<T> Uq(t->q.grid(), m, n, t->q.block());
  if (Uq.local_rows() > 0)
    blas::gemm(static_cast<int>(Uq.local_rows()), n, n, T(1), t->q.data(), static_cast<int>(t->q.lld()), ur.data(), n,
               T(0), Uq.data(), static_cast<int>(Uq.lld()));
  t->q = DistMatrix<T>(g, 0, 0, wb);  // freed before the move to A's grid
  DistMatrix<T> Vh(g, n, n, wb);
  Vh.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = vt[std::size_t(i + j * n)]; });
  DistMatrix<T> U = g.pcols() == 1 ? std::move(Uq) : redistribute(Uq, g, wb);  // Q was in place on P x 1
  return SvdResult<T>{std::move(U), std::move(s), std::move(Vh)};
}

// The divide-and-conquer SVD of A (any shape): of A itself when m >= n, else of A^H, whose
// factors are swapped back. std::nullopt with why when the caller must fall back.
template <class T>
std::optional<SvdResult<T>> svd_dc(const DistMatrix<T>& A, std::string* why, const char* f) {
  const std::int64_t m = A.rows(), n = A.cols();
  const bool wide = m < n;
  const Grid& g = A.grid();
  if (tall_skinny(std::max(m, n), std::min(m, n))) {
    std::string note;
    auto r = wide ? svd_cholqr(adjoint(A), &note, f) : svd_cholqr(A, &note, f);
    if (r && !wide) return r;
    if (r) return SvdResult<T>{adjoint(r->vh), std::move(r->s), adjoint(r->u)};
  }
  DistMatrix<T> W = wide ? working_copy(adjoint(A)) : working_copy(A);
  // A tall-skinny matrix is reduced on a column of all the processes (P x 1): every
  // process then takes part in each Householder panel, where on P x Q only one process
  // column would. The factors come back to A's grid.
  const std::int64_t M = W.rows(), N = W.cols();
  std::optional<Grid> column;
  if (M >= 4 * N && g.pcols() > 1 && N > 0 && M / g.size() >= W.block().nb) {
    column.emplace(g.comm(), g.size(), 1);
    W = redistribute(W, *column, W.block(), Source{});
  }
  BidiagonalSvd<T> b(std::move(W), f);
  auto r = b.vectors(why);
  if (!r) return std::nullopt;
  if (column) {
    r->u = redistribute(r->u, g, r->u.block(), Source{});
    r->vt = redistribute(r->vt, g, r->vt.block(), Source{});
  }
  if (!wide) return SvdResult<T>{std::move(r->u), std::move(r->s), std::move(r->vt)};
  return SvdResult<T>{adjoint(r->vt), std::move(r->s), adjoint(r->u)};
}

}  // namespace

template <class T>
std::vector<real_t<T>> svdvals_of_r(const DistMatrix<T>& r, const std::vector<T>& r_all, const char* f) {
  std::vector<real_t<T>> s;
  std::vector<T> u, vt;
  std::string why;
  if (small_svd(r, r_all, false, s, u, vt, &why, f)) return s;
  return svdvals_impl(r, false, f);  // the grid's own path, which raises NoConvergence if it must
}

template <class T>
SvdResult<T> svd_impl(const DistMatrix<T>& A, bool full_matrices, bool check_finite, const char* f, SvdDriver driver) {
  check_one(A, f, false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  std::optional<SvdResult<T>> res;
  std::string why;
  const bool serial = k == 0 || on_one_process(A);  // LAPACK's ?gesdd on one process
  if (driver == SvdDriver::gesdd && !serial) res = svd_dc(A, &why, f);
  if (!res) {
    DistMatrix<T> W = working_copy(A);
    DistMatrix<T> U(A.grid(), m, k, W.block(), W.source());
    DistMatrix<T> VT(A.grid(), k, n, W.block(), W.source());
    auto s = gesvd(W, &U, &VT, f);
    res = SvdResult<T>{std::move(U), std::move(s), std::move(VT)};
    res->driver = serial ? SvdDriver::gesdd : SvdDriver::gesvd;  // one process: LAPACK ?gesdd
    res->fallback = why;
  }
  if (full_matrices) {
    if (k < m) res->u = complete_basis(res->u);
    if (k < n) res->vh = adjoint(complete_basis(adjoint(res->vh)));
    if (k == 0) {  // nothing to complete from: identities
      const Block blk = working_copy(A).block();
      res->u = identity<T>(A.grid(), m, blk);
      res->vh = identity<T>(A.grid(), n, blk);
    }
  }
  require_finite_values(A.grid().comm(), res->s, f);
  return std::move(*res);
}

// The singular values by the fastest path that serves, as they come.
template <class T>
std::vector<real_t<T>> svdvals_any(const DistMatrix<T>& A, bool check_finite, const char* f) {
  check_one(A, f, false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols();
  // Tall-skinny (or wide): the values of R from CholeskyQR, Householder's when it cannot.
  if (tall_skinny(std::max(m, n), std::min(m, n)) && !on_one_process(A)) {
    std::string note;
    auto t = m >= n ? cholesky_qr<T>(A, false, &note) : cholesky_qr<T>(adjoint(A), false, &note);
    if (t) return svdvals_of_r(t->r, t->r_all, f);
  }
  if (std::min(m, n) > 0 && !on_one_process(A)) {
    std::string why;
    DistMatrix<T> W = m < n ? working_copy(adjoint(A)) : working_copy(A);
    auto s = BidiagonalSvd<T>(std::move(W), f).values(&why);
    if (s) return std::move(*s);
  }
  DistMatrix<T> W = working_copy(A);
  return gesvd<T>(W, nullptr, nullptr, f);
}

template <class T>
std::vector<real_t<T>> svdvals_impl(const DistMatrix<T>& A, bool check_finite, const char* f) {
  auto s = svdvals_any(A, check_finite, f);
  require_finite_values(A.grid().comm(), s, f);
  return s;
}

}  // namespace detail

template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts) {
  const detail::watchdog::Scope watch("svd", [&] { return detail::watchdog::describe(A); });
  return detail::svd_impl(A, opts.full_matrices, opts.check_finite, "svd", opts.driver);
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
  if (opts.tol && opts.rtol) throw InvalidArgument("matrix_rank: both tol and rtol given, expected at most one");
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

#define TARTAN_INSTANTIATE(T)                                                                          \
  template SvdResult<T> svd<T>(const DistMatrix<T>&, SvdOptions);                                      \
  template std::vector<real_t<T>> svdvals<T>(const DistMatrix<T>&, CheckOptions);                      \
  template DistMatrix<T> pinv<T>(const DistMatrix<T>&, PinvOptions);                                   \
  template std::int64_t matrix_rank<T>(const DistMatrix<T>&, RankOptions);                             \
  template real_t<T> cond<T>(const DistMatrix<T>&);                                                    \
  template real_t<T> cond<T>(const DistMatrix<T>&, Norm);                                              \
  template SvdResult<T> detail::svd_impl<T>(const DistMatrix<T>&, bool, bool, const char*, SvdDriver); \
  template std::vector<real_t<T>> detail::svdvals_impl<T>(const DistMatrix<T>&, bool, const char*);    \
  template std::vector<real_t<T>> detail::svdvals_of_r<T>(const DistMatrix<T>&, const std::vector<T>&, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
