#pragma once
// Workspace sizes for ScaLAPACK routines: the one place that turns a routine's workspace
// query into the size Tartan allocates.
//
// Debian 12's ScaLAPACK 2.2.1 answers several queries with less than its own routines
// need: p?syevd passes p?ormtr and p?stedc/p?lasrt the tail of its workspace, and its
// query covers neither p?ormtr's (NB * (local rows + cols) + NB^2) nor p?lasrt's
// (NP * (NB + NQ)) when the local blocks are narrow; complex p?gesvd reports its size
// through a single-precision float. Each size below is the largest of the query, the
// documented minimum and what every nested routine needs at its offset in the array,
// read from the routines' source (v2.2.1).

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan::detail {

/// The sizes one ScaLAPACK call is given: WORK, RWORK (complex routines) and IWORK.
struct Workspace {
  std::int64_t lwork = 1, lrwork = 1, liwork = 1;
};

/// The value of a query's WORK(1), rounded up, with a relative margin for answers that
/// went through a float.
template <class T>
std::int64_t from_query(T query) {
  const double q = static_cast<double>(std::real(query));
  if (!(q > 0)) return 1;
  return static_cast<std::int64_t>(std::ceil(q * (1 + 1e-6))) + 1;
}

/// The workspace arguments of one call: WORK, RWORK (complex routines) and IWORK with their
/// lengths. A routine without RWORK or IWORK ignores them.
template <class T>
struct WorkArgs {
  T* work;
  int lwork;
  real_t<T>* rwork;
  int lrwork;
  int* iwork;
  int liwork;
};

/// A vector whose storage of 1 MiB or more comes from Tartan's pool (core/pool.hpp), for
/// workspaces: a call repeated in a loop reuses the pages of the last one.
template <class T>
using pooled_vector = std::vector<T, LocalAllocator<T>>;

/// The query half of the workspace protocol, written once for ScaLAPACK and LAPACK alike:
/// call(args, &info) with every length -1, WORK(1), RWORK(1) and IWORK(1) read back. A
/// routine with no LRWORK argument may need RWORK at its full length even to answer
/// (complex p?gesvd): query_rwork. Returns the sizes asked for and INFO.
template <class T, class Call>
std::pair<Workspace, int> query_workspace(Call&& call, std::int64_t query_rwork = 1) {
  int info = 0, iq = 0;
  T wq{};
  std::vector<real_t<T>> rq(static_cast<std::size_t>(std::max<std::int64_t>(query_rwork, 1)));
  call(WorkArgs<T>{&wq, -1, rq.data(), -1, &iq, -1}, &info);
  return {Workspace{from_query(wq), from_query(rq[0]), iq}, info};
}

/// The whole protocol on one process, for serial LAPACK: the query, the arrays size(query)
/// asks for (std::bad_alloc when they cannot be had; callers run inside an agreement), the
/// call. Returns its INFO. The grid's version, agreed over the ranks, is
/// kernels/common.hpp's with_workspace.
template <class T, class Call, class Size>
int local_workspace_call(Call&& call, Size&& size, std::int64_t query_rwork = 1) {
  const auto [query, qinfo] = query_workspace<T>(call, query_rwork);
  if (qinfo < 0) return qinfo;
  const Workspace w = size(query);
  pooled_vector<T> work(static_cast<std::size_t>(std::max<std::int64_t>(w.lwork, 1)));
  pooled_vector<real_t<T>> rwork(static_cast<std::size_t>(std::max<std::int64_t>(w.lrwork, 1)));
  pooled_vector<int> iwork(static_cast<std::size_t>(std::max<std::int64_t>(w.liwork, 1)));
  int info = 0;
  call(WorkArgs<T>{work.data(), static_cast<int>(work.size()), rwork.data(), static_cast<int>(rwork.size()),
                   iwork.data(), static_cast<int>(iwork.size())},
       &info);
  return info;
}

/// What this process holds of the routine's matrix, for the formulas.
struct LocalExtent {
  std::int64_t n;         ///< order of the (square) matrix
  std::int64_t nb;        ///< block size (MB == NB)
  std::int64_t np, nq;    ///< local rows and columns here
  std::int64_t np0, nq0;  ///< local rows and columns of process (0, 0): the most any process holds
  int nprow, npcol;
};

/// An upper bound on p?ormtr's / p?unmtr's LWMIN for C with nq local columns (side L).
inline std::int64_t ormtr_need(const LocalExtent& e, std::int64_t nq) {
  return std::max(e.nb * (e.nb - 1) / 2, (e.np + e.nb + nq + e.nb) * e.nb) + e.nb * e.nb;
}
/// p?lasrt's LWMIN and LIWMIN (called by p?stedc with p?stedc's own workspace).
inline std::int64_t lasrt_need(const LocalExtent& e) { return std::max(e.n, e.np * (e.nb + e.nq)); }
inline std::int64_t lasrt_ineed(const LocalExtent& e) { return e.n + 2 * (e.nb + e.npcol); }

/// p?syevd / p?heevd, all eigenpairs.
inline Workspace heevd_workspace(bool complex, const LocalExtent& e, const Workspace& query) {
  const std::int64_t n = e.n, nb = e.nb;
  const std::int64_t stedc = std::max({6 * n + 2 * e.np * e.nq, lasrt_need(e)});
  Workspace w;
  if (!complex) {
    // WORK = tau | e | d | e2 | work: p?sytrd at offset 4n, p?stedc and p?ormtr at offset 2n.
    const std::int64_t trd = std::max(nb * (e.np + 1), 3 * nb);
    const std::int64_t lwmin = std::max(1 + 6 * n + 2 * e.np * e.nq, 3 * n + trd) + 2 * n;
    w.lwork = std::max({query.lwork, lwmin, 2 * n + stedc, 2 * n + ormtr_need(e, e.nq), 4 * n + trd});
  } else {
    // WORK = tau | work (p?hetrd, p?unmtr at offset n); RWORK = e | z | work (p?stedc at n + np0 nq0).
    const std::int64_t lwmin = n + (e.np0 + e.nq + nb) * nb;
    w.lwork = std::max({query.lwork, lwmin, n + ormtr_need(e, e.nq)});
    const std::int64_t lrwmin = 1 + 9 * n + 3 * e.np0 * e.nq0;
    w.lrwork = std::max({query.lrwork, lrwmin, 2 * n + e.np0 * e.nq0 + stedc});
  }
  w.liwork = std::max({query.liwork, 7 * n + 8 * e.npcol + 2, lasrt_ineed(e)});
  w.lwork += nb * nb + 64;
  w.lrwork += 64;
  w.liwork += 64;
  return w;
}

/// p?syevr / p?heevr. Its p?ormtr gets a fixed share of WORK that no LWORK enlarges (see
/// the kernel, which widens narrow index ranges instead); the rest grows with LWORK.
inline Workspace heevr_workspace(bool complex, const LocalExtent& e, const Workspace& query) {
  const std::int64_t n = e.n;
  const std::int64_t nnp = std::max<std::int64_t>({n, std::int64_t(e.nprow) * e.npcol + 1, 4});
  Workspace w;
  w.lwork = query.lwork;
  if (complex) w.lwork = std::max(w.lwork, n + ormtr_need(e, e.nq0));
  w.lrwork = query.lrwork;
  w.liwork = std::max(query.liwork, 12 * nnp + 2 * n);
  w.lwork += e.nb * e.nb + 64;
  w.lrwork += 64;
  w.liwork += 64;
  return w;
}

/// p?syev / p?heev with eigenvalues only (JOBZ = 'N'): p?sytrd's share at offset 5n (3n complex).
inline Workspace heev_values_workspace(bool complex, const LocalExtent& e, const Workspace& query) {
  const std::int64_t trd = std::max(e.nb * (e.np0 + 1), 3 * e.nb);
  Workspace w;
  w.lwork = std::max(query.lwork, 5 * e.n + trd + 1) + e.nb * e.nb + 64;
  if (complex) w.lrwork = std::max(query.lrwork, 4 * e.n) + 64;
  return w;
}

/// p?gesvd: the query (complex routines report it through a float) with a margin.
inline Workspace gesvd_workspace(std::int64_t m, std::int64_t n, std::int64_t nb, const Workspace& query) {
  Workspace w;
  w.lwork = query.lwork + query.lwork / 100 + nb * nb + 1024;
  w.lrwork = 1 + 4 * std::max(m, n) + 1024;
  return w;
}

/// A routine's generic workspace from its query (p?geqrf, p?orgqr, p?gels, p?getri).
inline std::int64_t padded(std::int64_t query, std::int64_t at_least = 1) {
  return std::max(query + query / 10 + 1024, at_least);
}

}  // namespace tartan::detail
