#pragma once
// In-place ScaLAPACK factorizations and solvers with INFO agreed over the grid: the layer
// every algorithm of linalg/ is built from. Each kernel queries and allocates its
// workspace (bindings/workspace.hpp), calls the routine, agrees on INFO over the grid and
// throws the same exception on every rank. Arguments are assumed valid (linalg/ checks them)
// and laid out as ScaLAPACK requires (square blocks where the routine needs them).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/workspace.hpp"
#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan::detail {

/// The end of every ScaLAPACK call: INFO and the argument reports (bindings/reports.hpp)
/// agreed over the grid in one reduction. Returns the smallest positive INFO any rank saw
/// (0 when none). Throws Error on every rank, naming func, the routine that complained,
/// the argument and the problem (what), when a rank saw INFO < 0 or any report: the result
/// would be garbage. Call it with a ReportScope open around the routine.
int agreed_info(const Grid& g, int info, const char* func, const char* routine, const std::string& what);

/// A workspace size as ScaLAPACK's int; throws InvalidArgument beyond its 32-bit range.
int workspace_int(std::int64_t size, const char* func, const char* routine);

/// Allocates WORK, RWORK and IWORK of a call, agreed over the grid (OutOfMemory on every
/// rank when one rank cannot).
template <class T>
struct WorkArrays {
  std::vector<T> work;
  std::vector<real_t<T>> rwork;
  std::vector<int> iwork;
};
template <class T>
WorkArrays<T> allocate_workspace(const Grid& g, std::int64_t lwork, std::int64_t lrwork, std::int64_t liwork,
                                 const char* func, const char* routine);

/// A ScaLAPACK routine with one WORK array, called as call(work, lwork, &info): its
/// workspace query, the size padded and allocated agreed over g, then the call. Returns
/// the agreed INFO (> 0 is the caller's to judge); argument errors throw (agreed_info).
template <class T, class Call>
int call_with_workspace(const Grid& g, Call&& call, const char* func, const char* routine, const std::string& what) {
  ReportScope scope;
  int info = 0;
  T wq{};
  call(&wq, -1, &info);
  agreed_info(g, info, func, routine, what);
  auto a = allocate_workspace<T>(g, padded(from_query(wq)), 1, 1, func, routine);
  call(a.work.data(), workspace_int(static_cast<std::int64_t>(a.work.size()), func, routine), &info);
  return agreed_info(g, info, func, routine, what);
}

/// "n x n in nb x nb blocks on a P x Q grid", for messages.
template <class T>
std::string describe(const DistMatrix<T>& W) {
  return std::to_string(W.rows()) + "x" + std::to_string(W.cols()) + " in " + std::to_string(W.block().mb) + "x" +
         std::to_string(W.block().nb) + " blocks on a " + std::to_string(W.grid().prows()) + "x" +
         std::to_string(W.grid().pcols()) + " grid";
}

/// True when the eigen- or singular value decomposition of W is done by LAPACK on one
/// process (the matrix gathered there, the results scattered back) instead of ScaLAPACK:
/// when one block holds all of W (one process would do all the work anyway), or when
/// min(m, n) is below the number of processes. Debian's p?gesvd 2.2.1 hangs there (1x2 in
/// 1x1 blocks on 1x2, 2x2 on 1x3, 3x3 on 2x2, 3x3 in 2x2 blocks on 1x4; its 1-D contexts
/// leave processes without a row), and so small a problem is latency-bound anyway. Every
/// rank decides alike from the layout.
inline bool on_one_process(std::int64_t m, std::int64_t n, Block b, int ranks) {
  const bool single_block = m <= b.mb && n <= b.nb;
  return single_block || std::min(m, n) < std::int64_t(ranks);
}
template <class T>
bool on_one_process(const DistMatrix<T>& W) {
  return on_one_process(W.rows(), W.cols(), W.block(), W.grid().size());
}

/// Local length of the pivot vector of W (p?getrf's IPIV) and of tau (p?geqrf's TAU).
template <class T>
std::size_t pivot_size(const DistMatrix<T>& W) {
  return static_cast<std::size_t>(W.local_rows() + W.block().mb);
}
template <class T>
std::size_t tau_size(const DistMatrix<T>& W) {
  return static_cast<std::size_t>(W.local_cols() + W.block().nb);
}

/// LU with partial pivoting of W in place (p?getrf). Returns the 0-based index of the
/// first exactly zero pivot, or -1.
template <class T>
std::int64_t getrf(DistMatrix<T>& W, std::vector<int>& ipiv, const char* func);
/// X := op(A)^-1 X from getrf's factors (p?getrs). X's rows are distributed like F's.
template <class T>
void getrs(const DistMatrix<T>& F, const std::vector<int>& ipiv, Op trans, DistMatrix<T>& X, const char* func);
/// W := W^-1 from getrf's factors (p?getri). Throws SingularMatrix.
template <class T>
void getri(DistMatrix<T>& W, const std::vector<int>& ipiv, const char* func);

/// Cholesky of W in place (p?potrf). Throws NotPositiveDefinite, its message prefixed by what.
template <class T>
void potrf(DistMatrix<T>& W, bool lower, const char* func, const char* what);
/// X := A^-1 X from potrf's factor (p?potrs). X's rows are distributed like C's.
template <class T>
void potrs(const DistMatrix<T>& C, bool lower, DistMatrix<T>& X, const char* func);

/// Householder QR of W in place (p?geqrf); returns tau.
template <class T>
std::vector<T> geqrf(DistMatrix<T>& W, const char* func);
/// Forms the first Q.cols() columns of Q from k reflectors in Q's leading columns (p?orgqr/p?ungqr).
template <class T>
void ungqr(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func);
/// Whether an m x n matrix is tall-skinny enough for cholesky_qr to beat Householder QR
/// (m >= 50 n), with n small enough for the replicated n x n Gram matrix (n <= 2048).
inline bool tall_skinny(std::int64_t m, std::int64_t n) { return n >= 1 && n <= 2048 && m >= 50 * n; }
/// Where cholesky_qr leaves Q: in A's working layout, or on the whole-rows layout it worked
/// on (one process column, one row block per process; A's own grid when that has one
/// process column), which saves the move back when the caller's next step is local.
enum class QPlace { as_a, whole_rows };
/// Q (m x n, 0 x 0 unless wanted), R (n x n) in A's working layout, and R again as a
/// column-major n x n array that every process holds alike.
template <class T>
struct TallQr {
  DistMatrix<T> q, r;
  std::vector<T> r_all;
};
/// Tall-skinny QR of A (m >= n >= 1, any layout) by CholeskyQR2; by shifted CholeskyQR3
/// when A is too ill-conditioned for it. std::nullopt when neither reaches orthogonality
/// (the caller runs Householder QR); note says why, or why the shift was needed (else
/// empty). Collective.
template <class T>
std::optional<TallQr<T>> cholesky_qr(const DistMatrix<T>& A, bool want_q, std::string* note,
                                     QPlace place = QPlace::as_a);
/// Least squares by QR or LQ (p?gels): W (m x n, destroyed) and X (max(m, n) x nrhs, B on
/// entry in its first m rows; the solution in its first n rows on exit).
template <class T>
void gels(DistMatrix<T>& W, DistMatrix<T>& X, const char* func);

/// Minimum-norm least squares on rank 0 of the grid by LAPACK's ?gelsd (numpy's lstsq),
/// for A on_one_process: A and B gathered there, x scattered back in A's column blocks.
/// Returns x (n x nrhs), the singular values, the rank for the cutoff rcond * s_max, and
/// the squared residual norms when rank == n < m.
template <class T>
struct LeastSquares {
  DistMatrix<T> x;
  std::vector<real_t<T>> s;
  std::int64_t rank = 0;
  std::vector<real_t<T>> residuals;
};
template <class T>
LeastSquares<T> gelsd_serial(const DistMatrix<T>& A, const DistMatrix<T>& B, double rcond, const char* func);

/// Which eigenpairs heev computes: all ('A'), by value range ('V', (vl, vu]) or by 1-based index ('I', il..iu).
struct EigRange {
  char range = 'A';
  double vl = 0, vu = 0;
  int il = 0, iu = 0;
};
/// The eigenvalues (ascending, the same on every rank) and eigenvectors of a Hermitian problem.
template <class T>
using EigPair = std::pair<std::vector<real_t<T>>, DistMatrix<T>>;
/// Eigen-decomposition of the Hermitian matrix W (destroyed): all pairs by p?syevd/p?heevd
/// (by p?syevr/p?heevr when mrrr is set), subsets by p?syevr/p?heevr, values only by
/// p?syev/p?heev. Returns the eigenvalues (ascending, the same on every rank) and, when
/// vectors is set, the eigenvectors (n x found) in W's layout.
template <class T>
EigPair<T> heev(DistMatrix<T>& W, bool lower, const EigRange& r, bool vectors, const char* func, bool mrrr = false);

/// Whether ELPA takes W as it is: square, the working layout, every process owning a block
/// row and a block column, more than one process.
template <class T>
bool elpa_serves(const DistMatrix<T>& W);
/// The same for an n x n matrix in nb x nb blocks from process (0, 0) on g.
bool elpa_serves(const Grid& g, std::int64_t n, std::int64_t nb);
/// The block size ELPA is run in for a matrix in nb x nb blocks: at most 32. At n = 2000 on
/// 1x2 its one-stage solver took 0.86 s in blocks of 32 and 0.98-1.09 s in blocks of 64
/// (p?syevd: 1.05-1.17 s in either); the redistributions there and back cost about 0.02 s each.
inline std::int64_t elpa_block(std::int64_t nb) { return std::min<std::int64_t>(nb, 32); }
/// ELPA on the Hermitian matrix H, both triangles set (destroyed; elpa_serves(H)): the lowest
/// nev eigenvalues, and with vectors all n columns of Z, whose first nev are their
/// eigenvectors. std::nullopt, and why, when ELPA reports an error on any process. Collective.
template <class T>
std::optional<EigPair<T>> elpa_eigh(DistMatrix<T>& H, std::int64_t nev, bool two_stage, bool vectors,
                                    std::string* why, const char* func);
/// C := L^-1 C L^-H (or U^-H C U^-1) for the generalized problem (p?sygst/p?hegst); returns
/// the scale the eigenvalues must be multiplied by.
template <class T>
real_t<T> hegst(DistMatrix<T>& C, const DistMatrix<T>& L, bool lower, const char* func);

/// SVD of W (destroyed) by p?gesvd: singular values (descending, the same on every rank)
/// and, when U is given, U (m x k) and VT (k x n). Throws NoConvergence.
template <class T>
std::vector<real_t<T>> gesvd(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func);

/// The SVD by bidiagonal divide and conquer, numpy's ?gesdd spread over the grid. W
/// (m >= n, in the working layout, not on_one_process) is reduced once: by p?gebrd, or for
/// tall W (m >= 1.6 n, LAPACK's crossover is 1.83 n) by p?geqrf and then p?gebrd of the n x n
/// R. Every process then holds the real bidiagonal (n + n-1 numbers). values() runs
/// LAPACK's ?bdsdc without vectors; vectors() runs it with vectors on every process (2 n^2
/// reals per rank for the factors, 3 n^2 of workspace, agreed before they are allocated)
/// and applies the back-transformations (p?ormbr/p?unmbr, p?ormqr/p?unmqr). Both return
/// std::nullopt and say why when the caller must fall back to p?gesvd: the factors do not
/// fit, ?bdsdc fails (INFO > 0), or its values with vectors disagree with the values alone
/// (LAPACK issue #316 shows ?gesdd wrong without an error). Collective.
/// Bytes per rank of BidiagonalSvd::vectors()'s replicated factors and ?bdsdc's workspace
/// for an n x n bidiagonal: what its memory guard asks for before allocating.
template <class T>
std::int64_t bdsdc_vectors_bytes(std::int64_t n) {
  return static_cast<std::int64_t>(sizeof(real_t<T>)) * (2 * n * n + lp::bdsdc_lwork(n, true)) +
         static_cast<std::int64_t>(sizeof(int)) * lp::bdsdc_liwork(n);
}
template <class T>
class BidiagonalSvd {
 public:
  using R = real_t<T>;
  BidiagonalSvd(DistMatrix<T>&& W, const char* func);
  std::optional<std::vector<R>> values(std::string* why) const;
  struct Factors {
    DistMatrix<T> u;  ///< m x n
    std::vector<R> s;
    DistMatrix<T> vt;  ///< n x n
  };
  std::optional<Factors> vectors(std::string* why);
  bool qr_first() const { return qr_.rows() > 0; }

 private:
  void apply_qr(DistMatrix<T>& U) const;  ///< U := Q_qr U (p?ormqr/p?unmqr)
  const char* func_;
  std::int64_t m_, n_;
  Grid home_;  ///< W's grid: where the factors are returned (brd_ may live on another)
  DistMatrix<T> qr_;   ///< p?geqrf's reflectors (tall W), else 0 x 0
  std::vector<T> tau_qr_;
  DistMatrix<T> brd_;  ///< p?gebrd's reflectors; R itself when serial_
  bool serial_ = false;  ///< R on_one_process: LAPACK's ?gesdd of R on one process
  std::vector<T> tauq_, taup_;
  std::vector<R> d_, e_;
};

/// True when a complex matrix on g must not reach p?gebrd or p?gesvd: Debian's 2.2.1 pzgebrd
/// and pcgebrd write out of bounds on P x 1 grids (P > 1). AddressSanitizer stops there and
/// plain runs crashed now and then (tests/support/gebrd_px1.cpp reproduces it with
/// ScaLAPACK alone). Such matrices are reduced on a 1 x P grid of the same processes.
template <class T>
bool gebrd_needs_row_grid(const Grid& g) {
  return is_complex_v<T> && g.pcols() == 1 && g.prows() > 1;
}

/// For tests: the next ELPA setup fails on rank 0 of the grid (ELPA_ERROR_SETUP), once.
bool& inject_elpa_failure();

/// For tests: the next ?bdsdc with vectors reports failure (INFO = 1), once.
bool& inject_bdsdc_failure();

/// For tests: the next ?bdsdc (with vectors, or values alone, as set) leaves a NaN in its
/// first singular value, once: a NaN produced inside the algorithm, not in the input.
enum class BdsdcNan { none, with_vectors, values_alone };
BdsdcNan& inject_bdsdc_nan();

/// Throws NoConvergence on every rank of comm when a singular value is NaN or infinite:
/// with finite input that is the SVD failing inside (numpy raises LinAlgError too), and a
/// NaN would otherwise decide a rank or a cutoff silently (NaN > tol is false).
template <class R>
void require_finite_values(MPI_Comm comm, const std::vector<R>& s, const char* func);

/// Replicates a small result (eigenvalues, singular values) from the process that holds
/// W(0,0), which ScaLAPACK leaves right where other processes' copies may be stale.
template <class R, class T>
void replicate_from_source(std::vector<R>& v, const DistMatrix<T>& W);

}  // namespace tartan::detail
