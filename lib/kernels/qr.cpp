// QR kernels: p?geqrf, p?orgqr/p?ungqr, p?gels.

#include "kernels/qr.hpp"

#include <algorithm>

#include "bindings/lapack.hpp"
#include "bindings/nonsymmetric.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"

namespace tartan::detail {

template <class T>
std::vector<T> geqrf(DistMatrix<T>& W, const char* func) {
  std::vector<T> tau(tau_size(W));
  if (W.rows() == 0 || W.cols() == 0) return tau;
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols());
  if (one_process_grid(W)) {  // LAPACK's ?geqrf on the whole local array, as numpy
    local_lapack(W.grid(), func, "?geqrf", describe(W),
                 [&] { return lapack::geqrf(m, n, W.data(), lld_of(W), tau.data()); });
    return tau;
  }
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::geqrf(m, n, W.data(), 1, 1, W.descriptor().data(), tau.data(), w, lw, info);
      },
      func, "p?geqrf", describe(W));
  return tau;
}

template <class T>
void ungqr(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func) {
  if (Q.rows() == 0 || Q.cols() == 0) return;
  const int m = static_cast<int>(Q.rows()), n = static_cast<int>(Q.cols()), kk = static_cast<int>(k);
  if (one_process_grid(Q)) {
    local_lapack(Q.grid(), func, "?orgqr/?ungqr", describe(Q),
                 [&] { return lapack::ungqr(m, n, kk, Q.data(), lld_of(Q), tau.data()); });
    return;
  }
  call_with_workspace<T>(
      Q.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::ungqr(m, n, kk, Q.data(), 1, 1, Q.descriptor().data(), tau.data(), w, lw, info);
      },
      func, "p?orgqr/p?ungqr", describe(Q));
}

template <class T>
std::vector<T> geqpf(DistMatrix<T>& W, std::vector<std::int64_t>& perm, const char* func) {
  std::vector<T> tau(tau_size(W));
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols());
  perm.assign(static_cast<std::size_t>(n), 0);
  for (int j = 0; j < n; ++j) perm[static_cast<std::size_t>(j)] = j;
  if (m == 0 || n == 0) return tau;
  if (one_process_grid(W)) {
    std::vector<int> jpvt(static_cast<std::size_t>(n), 0);
    local_lapack(W.grid(), func, "?geqp3", describe(W), [&] {
      return local_workspace_call<T>(
          [&](const WorkArgs<T>& x, int* info) {
            lapack::raw::geqp3(m, n, W.data(), lld_of(W), jpvt.data(), tau.data(), x.work, x.lwork, x.rwork, info);
          },
          [&](const Workspace& q) {
            return Workspace{q.lwork + 16, 2 * std::int64_t(n) + 16, 1};
          },
          2 * std::int64_t(n));
    });
    for (int j = 0; j < n; ++j) perm[static_cast<std::size_t>(j)] = jpvt[static_cast<std::size_t>(j)] - 1;
    return tau;
  }
  // IPIV is local over this process's columns (global 1-based indices), the same in every
  // process row: process row 0 reports it.
  std::vector<int> ipiv(static_cast<std::size_t>(W.local_cols() + W.block().nb), 0);
  with_workspace<T>(
      W.grid(),
      [&](const WorkArgs<T>& a, int* info) {
        scalapack::geqpf(m, n, W.data(), W.descriptor().data(), ipiv.data(), tau.data(), a.work, a.lwork, a.rwork,
                         a.lrwork, info);
      },
      [](const Workspace& q) {
        return Workspace{padded(q.lwork), padded(q.lrwork), 1};
      },
      func, "p?geqpf", describe(W));
  std::vector<std::int64_t> mine(static_cast<std::size_t>(n), 0);
  if (W.grid().myrow() == 0)
    for (std::int64_t jl = 0; jl < W.local_cols(); ++jl)
      mine[static_cast<std::size_t>(W.layout().global_col(jl, W.grid().mycol()))] =
          ipiv[static_cast<std::size_t>(jl)] - 1;
  MPI_Allreduce(mine.data(), perm.data(), n, MPI_INT64_T, MPI_SUM, W.grid().comm());
  return tau;
}

template <class T>
std::vector<T> gerqf(DistMatrix<T>& W, const char* func) {
  const std::int64_t m = W.rows(), n = W.cols(), k = std::min(m, n);
  std::vector<T> all(static_cast<std::size_t>(k), T(0));
  if (k == 0) return all;
  std::vector<T> tau(static_cast<std::size_t>(W.local_rows() + W.block().mb));
  if (one_process_grid(W)) {
    local_lapack(W.grid(), func, "?gerqf", describe(W), [&] {
      return local_workspace_call<T>(
          [&](const WorkArgs<T>& x, int* info) {
            lapack::raw::gerqf(int(m), int(n), W.data(), lld_of(W), tau.data(), x.work, x.lwork, info);
          },
          [](const Workspace& q) {
            return Workspace{q.lwork + 16, 1, 1};
          });
    });
    std::copy(tau.begin(), tau.begin() + k, all.begin());
    return all;
  }
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::gerqf(int(m), int(n), W.data(), W.descriptor().data(), tau.data(), w, lw, info);
      },
      func, "p?gerqf", describe(W));
  // TAU is tied to W's rows: reflector i's value sits with the process holding its row's
  // diagonal element (row m - k + i, column n - k + i). One reduction gathers them.
  const std::int64_t row0 = m - k, col0 = n - k;
  std::vector<std::int64_t> cols(static_cast<std::size_t>(W.local_cols()));
  for (std::int64_t jl = 0; jl < W.local_cols(); ++jl)
    cols[static_cast<std::size_t>(jl)] = W.layout().global_col(jl, W.grid().mycol());
  for (std::int64_t il = 0; il < W.local_rows(); ++il) {
    const std::int64_t i = W.layout().global_row(il, W.grid().myrow());
    if (i >= row0 && std::binary_search(cols.begin(), cols.end(), col0 + (i - row0)))
      all[static_cast<std::size_t>(i - row0)] = tau[static_cast<std::size_t>(il)];
  }
  MPI_Allreduce(MPI_IN_PLACE, all.data(), static_cast<int>(k), mpi_type<T>(), MPI_SUM, W.grid().comm());
  return all;
}

template <class T>
void ungrq(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func) {
  const std::int64_t m = Q.rows(), n = Q.cols();
  if (m == 0 || n == 0) return;
  // ScaLAPACK's TAU is tied to Q's rows (reflector i belongs to row m - k + i); LAPACK's
  // is the k values in order.
  std::vector<T> local(static_cast<std::size_t>(Q.local_rows() + Q.block().mb), T(0));
  for (std::int64_t il = 0; il < Q.local_rows(); ++il) {
    const std::int64_t i = Q.layout().global_row(il, Q.grid().myrow());
    if (i >= m - k) local[static_cast<std::size_t>(il)] = tau[static_cast<std::size_t>(i - (m - k))];
  }
  if (one_process_grid(Q)) {
    local_lapack(Q.grid(), func, "?orgrq/?ungrq", describe(Q), [&] {
      return local_workspace_call<T>(
          [&](const WorkArgs<T>& x, int* info) {
            lapack::raw::ungrq(int(m), int(n), int(k), Q.data(), lld_of(Q), tau.data(), x.work, x.lwork, info);
          },
          [](const Workspace& q) {
            return Workspace{q.lwork + 16, 1, 1};
          });
    });
    return;
  }
  call_with_workspace<T>(
      Q.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::ungrq(int(m), int(n), int(k), Q.data(), 1, Q.descriptor().data(), local.data(), w, lw, info);
      },
      func, "p?orgrq/p?ungrq", describe(Q));
}

template <class T>
void gels(DistMatrix<T>& W, DistMatrix<T>& X, const char* func) {
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols()), nrhs = static_cast<int>(X.cols());
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::gels('N', m, n, nrhs, W.data(), 1, 1, W.descriptor().data(), X.data(), 1, 1, X.descriptor().data(),
                        w, lw, info);
      },
      func, "p?gels", describe(W));
}

#define TARTAN_INSTANTIATE(T)                                                                \
  template std::vector<T> geqrf<T>(DistMatrix<T>&, const char*);                             \
  template void ungqr<T>(DistMatrix<T>&, std::int64_t, const std::vector<T>&, const char*);  \
  template void gels<T>(DistMatrix<T>&, DistMatrix<T>&, const char*);                        \
  template std::vector<T> geqpf<T>(DistMatrix<T>&, std::vector<std::int64_t>&, const char*); \
  template std::vector<T> gerqf<T>(DistMatrix<T>&, const char*);                             \
  template void ungrq<T>(DistMatrix<T>&, std::int64_t, const std::vector<T>&, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
