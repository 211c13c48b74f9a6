// SVD kernel: p?gesvd, or LAPACK's divide and conquer on the one process that holds a
// matrix of a single block.

#include "kernels/svd.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"
#include "core/testing.hpp"
#include "kernels/qr.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

namespace {

[[noreturn]] void no_convergence(const char* func, int info) {
  throw NoConvergence(std::string(func) + ": the SVD did not converge (INFO = " + std::to_string(info) + ")");
}

// LAPACK on rank 0 of the grid: W gathered there, U and VT scattered back into their layouts.
template <class T>
std::vector<real_t<T>> gesvd_serial(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func) {
  using R = real_t<T>;
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const Grid& g = W.grid();
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols()), k = std::min(m, n);
  const bool vec = U != nullptr;
  if (one_process_grid(W)) {  // W, U and VT are all here: in place, no gathering
    std::vector<R> s(static_cast<std::size_t>(k));
    T none{};
    const int info = local_lapack(g, func, "LAPACK ?gesdd/?gesvd", describe(W), [&] {
      return lapack::gesdd(vec ? 'S' : 'N', m, n, W.data(), lld_of(W), s.data(), vec ? U->data() : &none,
                           vec ? lld_of(*U) : 1, vec ? VT->data() : &none, vec ? lld_of(*VT) : 1);
    });
    if (info > 0) no_convergence(func, info);
    return s;
  }
  Mat a = to_eigen(W, 0), u, vt;
  std::vector<R> s(static_cast<std::size_t>(k));
  int info = 0;
  ReportScope scope;
  collectively(g.comm(), [&] {
    if (g.rank() != 0) return;
    u.resize(vec ? m : 1, vec ? k : 1);
    vt.resize(vec ? k : 1, vec ? n : 1);
    info = lapack::gesdd(vec ? 'S' : 'N', m, n, a.data(), std::max(m, 1), s.data(), u.data(),
                         static_cast<int>(u.rows()), vt.data(), static_cast<int>(vt.rows()));
  });
  MPI_Bcast(&info, 1, MPI_INT, 0, g.comm());
  agreed_info(g, g.rank() == 0 ? info : 0, func, "LAPACK ?gesdd/?gesvd", describe(W));
  if (info > 0) no_convergence(func, info);
  MPI_Bcast(s.data(), k, mpi_type<R>(), 0, g.comm());
  if (vec) {
    assign<T>(*U, from_eigen(g, u, 0, U->block()));
    assign<T>(*VT, from_eigen(g, vt, 0, VT->block()));
  }
  return s;
}

}  // namespace

template <class R>
void require_finite_values(MPI_Comm comm, const std::vector<R>& s, const char* func) {
  bool bad = false;
  for (const R v : s) bad |= !std::isfinite(v);
  if (any_rank(comm, bad))
    throw NoConvergence(std::string(func) +
                        ": the SVD produced singular values that are NaN or infinite (A may be scaled near the "
                        "overflow threshold)");
}
template void require_finite_values<float>(MPI_Comm, const std::vector<float>&, const char*);
template void require_finite_values<double>(MPI_Comm, const std::vector<double>&, const char*);

namespace {

// X := the n-column column-major array a (leading dimension lda) in its first rows, zeros below.
template <class T, class R>
void fill_from(DistMatrix<T>& X, const std::vector<R>& a, std::int64_t rows, std::int64_t lda) {
  X.for_each_local(
      [&](std::int64_t i, std::int64_t j, T& x) { x = i < rows ? T(a[static_cast<std::size_t>(i + j * lda)]) : T(0); });
}

}  // namespace

// The largest R of a tall matrix whose SVD runs on one process.

template <class T>
BidiagonalSvd<T>::BidiagonalSvd(DistMatrix<T>&& W, const char* func)
    : func_(func), m_(W.rows()), n_(W.cols()), home_(W.grid()), qr_(W.grid(), 0, 0), brd_(W.grid(), 0, 0) {
  const Grid& g = home_;
  const std::int64_t n = n_;
  if (5 * m_ >= 8 * n) {  // m >= 1.6 n: QR first, then the SVD of R
    tau_qr_ = geqrf(W, func);
    DistMatrix<T> Rm(g, n, n, W.block(), Source{});
    assign<T>(Rm.view(0, 0, n, n), std::as_const(W).view(0, 0, n, n));
    Rm.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
      if (i > j) x = T(0);
    });
    qr_ = std::move(W);
    brd_ = std::move(Rm);
    // A small R is latency-bound on the grid (p?gebrd of 200 x 200 on 2 ranks took longer
    // than LAPACK's ?gesdd of it on one): its SVD runs on one process.
    serial_ = on_one_process(brd_) || n <= r_serial_limit();
    if (serial_) return;
  } else {
    brd_ = std::move(W);
  }
  if (gebrd_needs_row_grid<T>(g))  // complex p?gebrd is unsafe on P x 1 (svd.hpp)
    brd_ = redistribute(brd_, Grid(g.comm(), 1, g.size()), brd_.block(), Source{});
  // p?gebrd: B = Q^H A P, upper bidiagonal, in A's diagonal and superdiagonal.
  const int mb = static_cast<int>(brd_.rows()), nn = static_cast<int>(n);
  const std::size_t lc = static_cast<std::size_t>(brd_.local_cols() + brd_.block().nb);
  const std::size_t lr = static_cast<std::size_t>(brd_.local_rows() + brd_.block().mb);
  tauq_.assign(lc, T(0));
  taup_.assign(lr, T(0));
  std::vector<R> dl(lc), el(lr);
  call_with_workspace<T>(
      g,
      [&](T* w, int lw, int* info) {
        scalapack::gebrd(mb, nn, brd_.data(), 1, 1, brd_.descriptor().data(), dl.data(), el.data(), tauq_.data(),
                         taup_.data(), w, lw, info);
      },
      func, "p?gebrd", describe(brd_));
  // The bidiagonal on every process: each entry is held by one process, the others add 0.
  std::vector<R> de(static_cast<std::size_t>(2 * n), R(0));
  brd_.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
    if (i == j)
      de[static_cast<std::size_t>(i)] = std::real(x);
    else if (j == i + 1)
      de[static_cast<std::size_t>(n + i)] = std::real(x);
  });
  MPI_Allreduce(MPI_IN_PLACE, de.data(), static_cast<int>(de.size()), mpi_type<R>(), MPI_SUM, g.comm());
  d_.assign(de.begin(), de.begin() + n);
  e_.assign(de.begin() + n, de.end());
}

template <class T>
std::optional<std::vector<real_t<T>>> BidiagonalSvd<T>::values(std::string* why) const {
  const Grid& g = brd_.grid();
  if (serial_) {
    DistMatrix<T> Rc = brd_.copy();
    return gesvd_serial<T>(Rc, nullptr, nullptr, func_);
  }
  const int n = static_cast<int>(n_);
  std::vector<R> d = d_, e = e_, work(static_cast<std::size_t>(lapack::bdsdc_lwork(n, false)));
  std::vector<int> iwork(static_cast<std::size_t>(lapack::bdsdc_liwork(n)));
  R dummy = 0;
  e.push_back(R(0));
  ReportScope scope;
  int info = lapack::bdsdc('U', 'N', n, d.data(), e.data(), &dummy, 1, &dummy, 1, work.data(), iwork.data());
  if (inject_bdsdc_nan() == BdsdcNan::values_alone && n > 0) {
    d[0] = std::numeric_limits<R>::quiet_NaN();
    inject_bdsdc_nan() = BdsdcNan::none;
  }
  info = agreed_info(g, info, func_, "LAPACK ?bdsdc", describe(brd_));
  if (info > 0) {
    *why = "LAPACK ?bdsdc did not converge (INFO = " + std::to_string(info) + ")";
    return std::nullopt;
  }
  // A NaN or Inf value never decides anything: the caller falls back to p?gesvd.
  bool bad = false;
  for (const R v : d) bad |= !std::isfinite(v);
  if (any_rank(g.comm(), bad)) {
    *why = "LAPACK ?bdsdc's singular values (alone) are not all finite";
    return std::nullopt;
  }
  MPI_Bcast(d.data(), n, mpi_type<R>(), 0, g.comm());
  return d;
}

template <class T>
std::optional<typename BidiagonalSvd<T>::Factors> BidiagonalSvd<T>::vectors(std::string* why) {
  const Grid& g = brd_.grid();
  const std::int64_t n = n_;
  const Block blk = brd_.block();
  if (serial_) {
    DistMatrix<T> Rc = brd_.copy(), Ur(g, n, n, blk), VT(g, n, n, blk);
    auto s = gesvd_serial<T>(Rc, &Ur, &VT, func_);
    DistMatrix<T> U(g, m_, n, blk);
    assign<T>(U.view(0, 0, n, n), std::as_const(Ur));
    apply_qr(U);
    return Factors{std::move(U), std::move(s), std::move(VT)};
  }
  // The replicated factors of the bidiagonal and ?bdsdc's workspace, agreed before allocating.
  std::vector<R> ub, vtb, work;
  std::vector<int> iwork;
  const std::int64_t bytes = bdsdc_vectors_bytes<T>(n);
  try {
    agreed_allocation(g, bytes, std::string(func_) + ": the replicated bidiagonal SVD factors", true, [&] {
      ub.resize(static_cast<std::size_t>(n * n));
      vtb.resize(static_cast<std::size_t>(n * n));
      work.resize(static_cast<std::size_t>(lapack::bdsdc_lwork(n, true)));
      iwork.resize(static_cast<std::size_t>(lapack::bdsdc_liwork(n)));
    });
  } catch (const OutOfMemory& e) {
    *why = e.what();
    return std::nullopt;
  }
  const int ni = static_cast<int>(n);
  std::vector<R> s = d_, e = e_;
  e.push_back(R(0));
  int info = 0;
  {
    ReportScope scope;
    info = lapack::bdsdc('U', 'I', ni, s.data(), e.data(), ub.data(), ni, vtb.data(), ni, work.data(), iwork.data());
    if (inject_bdsdc_failure()) info = 1;
    if (inject_bdsdc_nan() == BdsdcNan::with_vectors && ni > 0) {
      s[0] = std::numeric_limits<R>::quiet_NaN();
      inject_bdsdc_nan() = BdsdcNan::none;
    }
    info = agreed_info(g, info, func_, "LAPACK ?bdsdc", describe(brd_));
  }
  inject_bdsdc_failure() = false;
  work.clear();
  work.shrink_to_fit();
  if (info > 0) {
    *why = "LAPACK ?bdsdc did not converge (INFO = " + std::to_string(info) + ")";
    return std::nullopt;
  }
  // The values with vectors against the values alone (dqds, accurate to high relative accuracy).
  auto alone = values(why);
  if (!alone) return std::nullopt;
  // Written so that a NaN difference is the worst and stays so (std::max(0, NaN) is 0), and
  // agreed as a verdict, not through MPI_MAX (whose NaN handling MPI leaves open).
  R worst = 0;
  for (std::int64_t i = 0; i < n && !std::isnan(worst); ++i) {
    const R d = std::abs(s[static_cast<std::size_t>(i)] - (*alone)[static_cast<std::size_t>(i)]);
    if (!(d <= worst)) worst = d;
  }
  const R scale = n > 0 ? (*alone)[0] : R(0);
  if (any_rank(g.comm(), !(worst <= R(100) * R(n) * std::numeric_limits<R>::epsilon() * scale))) {
    *why = "LAPACK ?bdsdc's values with vectors differ from the values alone by " + std::to_string(double(worst)) +
           " (s_max " + std::to_string(double(scale)) + ")";
    return std::nullopt;
  }
  MPI_Bcast(s.data(), ni, mpi_type<R>(), 0, g.comm());
  const int mb = static_cast<int>(brd_.rows());
  const std::string what = describe(brd_);
  // U = Q_brd [Ub; 0] (then Q_qr [.; 0] for tall W), VT = VTb P^H.
  DistMatrix<T> Ub(g, mb, n, blk), VT(g, n, n, blk);
  fill_from(Ub, ub, n, n);
  fill_from(VT, vtb, n, n);
  ub = {};
  vtb = {};
  call_with_workspace<T>(
      g,
      [&](T* w, int lw, int* inf) {
        scalapack::unmbr('Q', 'L', 'N', mb, ni, ni, brd_.data(), 1, 1, brd_.descriptor().data(), tauq_.data(),
                         Ub.data(), 1, 1, Ub.descriptor().data(), w, lw, inf);
      },
      func_, "p?ormbr/p?unmbr", what);
  const char adj = fortran::op_char<T>(Op::adjoint);
  call_with_workspace<T>(
      g,
      [&](T* w, int lw, int* inf) {
        scalapack::unmbr('P', 'R', adj, ni, ni, mb, brd_.data(), 1, 1, brd_.descriptor().data(), taup_.data(),
                         VT.data(), 1, 1, VT.descriptor().data(), w, lw, inf);
      },
      func_, "p?ormbr/p?unmbr", what);
  if (!(g == home_)) VT = redistribute(VT, home_, blk, Source{});  // back from the 1 x P grid
  if (!qr_first()) {
    if (!(g == home_)) Ub = redistribute(Ub, home_, blk, Source{});
    return Factors{std::move(Ub), std::move(s), std::move(VT)};
  }
  DistMatrix<T> U(home_, m_, n, blk);
  assign<T>(U.view(0, 0, n, n), std::as_const(Ub));
  apply_qr(U);
  return Factors{std::move(U), std::move(s), std::move(VT)};
}

template <class T>
void BidiagonalSvd<T>::apply_qr(DistMatrix<T>& U) const {
  const Grid& g = U.grid();
  const int m = static_cast<int>(m_), n = static_cast<int>(n_);
  call_with_workspace<T>(
      g,
      [&](T* w, int lw, int* inf) {
        scalapack::unmqr('L', 'N', m, n, n, qr_.data(), 1, 1, qr_.descriptor().data(), tau_qr_.data(), U.data(), 1, 1,
                         U.descriptor().data(), w, lw, inf);
      },
      func_, "p?ormqr/p?unmqr", describe(qr_));
}

template <class T>
std::vector<real_t<T>> gesvd(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func) {
  using R = real_t<T>;
  const std::int64_t m = W.rows(), n = W.cols(), k = std::min(m, n);
  if (k == 0) return {};
  if (on_one_process(W)) return gesvd_serial(W, U, VT, func);
  if (gebrd_needs_row_grid<T>(W.grid())) {  // p?gesvd reduces by p?gebrd: on 1 x P instead
    const Grid row(W.grid().comm(), 1, W.grid().size());
    DistMatrix<T> Wr = redistribute(W, row, W.block(), Source{});
    std::optional<DistMatrix<T>> Ur, VTr;
    if (U) {
      Ur.emplace(row, U->rows(), U->cols(), U->block(), Source{});
      VTr.emplace(row, VT->rows(), VT->cols(), VT->block(), Source{});
    }
    auto s = gesvd(Wr, U ? &*Ur : nullptr, U ? &*VTr : nullptr, func);
    if (U) {
      assign<T>(*U, std::as_const(*Ur));
      assign<T>(*VT, std::as_const(*VTr));
    }
    return s;
  }
  std::vector<R> s(static_cast<std::size_t>(k));
  const bool vec = U != nullptr;
  const char job = vec ? 'V' : 'N';
  T* u = vec ? U->data() : W.data();
  T* vt = vec ? VT->data() : W.data();
  const int* du = vec ? U->descriptor().data() : W.descriptor().data();
  const int* dvt = vec ? VT->descriptor().data() : W.descriptor().data();
  const int mi = static_cast<int>(m), ni = static_cast<int>(n);
  const int info = with_workspace<T>(
      W.grid(),
      [&](const WorkArgs<T>& a, int* inf) {
        scalapack::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt,
                         a.work, a.lwork, a.rwork, inf);
      },
      [&](const Workspace& q) {
        return gesvd_workspace(m, n, W.block().nb, {q.lwork, 1, 1});
      },
      func, "p?gesvd", describe(W), 1 + 4 * std::max(m, n));
  if (info > 0) no_convergence(func, info);
  replicate_from_source(s, W);
  return s;
}

#define TARTAN_INSTANTIATE(T)                                                                            \
  template std::vector<real_t<T>> gesvd<T>(DistMatrix<T>&, DistMatrix<T>*, DistMatrix<T>*, const char*); \
  template class BidiagonalSvd<T>;
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
