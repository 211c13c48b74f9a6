#pragma once
// What every kernel shares: INFO and ScaLAPACK's argument reports agreed over the grid, the
// one owner of workspace queries and allocations, where a problem runs on one process, and
// small results replicated. Each kernel family (lu, cholesky, qr, cholqr, lstsq,
// hermitian_eig, elpa, svd) has its own header beside its .cpp; arguments are assumed valid
// (linalg/ checks them) and laid out as ScaLAPACK requires.

#include <algorithm>
#include <cstdint>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/workspace.hpp"
#include "tartan/dist_matrix.hpp"
#include "tartan/error.hpp"
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
  pooled_vector<T> work;
  pooled_vector<real_t<T>> rwork;
  pooled_vector<int> iwork;
};
template <class T>
WorkArrays<T> allocate_workspace(const Grid& g, std::int64_t lwork, std::int64_t lrwork, std::int64_t liwork,
                                 const char* func, const char* routine);

/// The workspace protocol of every ScaLAPACK routine that queries, over the grid.
/// call(args, &info) calls the routine with args: first as the query (query_workspace in
/// bindings/workspace.hpp, shared with serial LAPACK's local_workspace_call), then with the
/// arrays size(query) asks for, allocated agreed over g. query_rwork is the RWORK length a
/// routine without an LRWORK argument needs even for its query (complex p?gesvd). Returns
/// the agreed INFO (> 0 is the caller's to judge); argument errors and PXERBLA reports
/// throw on every rank (agreed_info).
template <class T, class Call, class Size>
int with_workspace(const Grid& g, Call&& call, Size&& size, const char* func, const char* routine,
                   const std::string& what, std::int64_t query_rwork = 1) {
  ReportScope scope;
  auto [query, info] = query_workspace<T>(call, query_rwork);
  agreed_info(g, info, func, routine, what);
  const Workspace ws = size(query);
  auto a = allocate_workspace<T>(g, ws.lwork, ws.lrwork, ws.liwork, func, routine);
  auto len = [&](std::size_t n) { return workspace_int(static_cast<std::int64_t>(n), func, routine); };
  call(WorkArgs<T>{a.work.data(), len(a.work.size()), a.rwork.data(), len(a.rwork.size()), a.iwork.data(),
                   len(a.iwork.size())},
       &info);
  return agreed_info(g, info, func, routine, what);
}

/// The same for the many routines whose only workspace is WORK, sized from the query with
/// the generic margin (padded): call(work, lwork, &info).
template <class T, class Call>
int call_with_workspace(const Grid& g, Call&& call, const char* func, const char* routine, const std::string& what) {
  return with_workspace<T>(
      g, [&](const WorkArgs<T>& a, int* info) { call(a.work, a.lwork, info); },
      [](const Workspace& q) {
        return Workspace{padded(q.lwork), 1, 1};
      },
      func, routine, what);
}

/// True when W's grid is one process: the local array is all of W, with leading dimension
/// lld_of(W), and the kernels call LAPACK (OpenBLAS's own, faster than ScaLAPACK's
/// algorithms on one process) directly, as numpy does.
template <class T>
bool one_process_grid(const DistMatrix<T>& W) {
  return W.grid().size() == 1;
}
template <class T>
int lld_of(const DistMatrix<T>& W) {
  return static_cast<int>(W.lld());
}

/// A serial LAPACK call f() -> INFO that makes its own workspace (bindings/lapack.hpp), on
/// a one-process grid g: a workspace that cannot be had is an OutOfMemory, a negative INFO
/// or an XERBLA report an internal error (agreed_info). Returns INFO.
template <class F>
int local_lapack(const Grid& g, const char* func, const char* routine, const std::string& what, F&& f) {
  ReportScope scope;
  int info = 0;
  try {
    info = f();
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(std::string(func) + ": the workspace of " + routine + " on " + what + " could not be allocated",
                      0);
  }
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
/// rank decides alike from the layout. On a one-process grid W is already all there, and
/// LAPACK works on it in place (as numpy).
inline bool too_small_to_distribute(std::int64_t m, std::int64_t n, Block b, int ranks) {
  const bool single_block = m <= b.mb && n <= b.nb;
  return single_block || std::min(m, n) < std::int64_t(ranks);
}
inline bool on_one_process(std::int64_t m, std::int64_t n, Block b, int ranks) {
  return ranks == 1 || too_small_to_distribute(m, n, b, ranks);
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

/// Replicates a small result (eigenvalues, singular values) from the process that holds
/// W(0,0), which ScaLAPACK leaves right where other processes' copies may be stale.
template <class R, class T>
void replicate_from_source(std::vector<R>& v, const DistMatrix<T>& W);

}  // namespace tartan::detail
