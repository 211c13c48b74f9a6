// SVD kernel: p?gesvd, or LAPACK's divide and conquer on the one process that holds a
// matrix of a single block.

#include <string>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
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
  Mat a = to_eigen(W, 0), u, vt;
  std::vector<R> s(static_cast<std::size_t>(k));
  int info = 0;
  ReportScope scope;
  collectively(g.comm(), [&] {
    if (g.rank() != 0) return;
    u.resize(vec ? m : 1, vec ? k : 1);
    vt.resize(vec ? k : 1, vec ? n : 1);
    info = lp::gesdd(vec ? 'S' : 'N', m, n, a.data(), std::max(m, 1), s.data(), u.data(), static_cast<int>(u.rows()),
                     vt.data(), static_cast<int>(vt.rows()));
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

template <class T>
std::vector<real_t<T>> gesvd(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func) {
  using R = real_t<T>;
  const std::int64_t m = W.rows(), n = W.cols(), k = std::min(m, n);
  if (k == 0) return {};
  if (on_one_process(W)) return gesvd_serial(W, U, VT, func);
  std::vector<R> s(static_cast<std::size_t>(k));
  const bool vec = U != nullptr;
  const char job = vec ? 'V' : 'N';
  T* u = vec ? U->data() : W.data();
  T* vt = vec ? VT->data() : W.data();
  const int* du = vec ? U->descriptor().data() : W.descriptor().data();
  const int* dvt = vec ? VT->descriptor().data() : W.descriptor().data();
  const int mi = static_cast<int>(m), ni = static_cast<int>(n);
  ReportScope scope;
  std::vector<R> rq(static_cast<std::size_t>(1 + 4 * std::max(m, n)));
  int info = 0;
  T wq{};
  sl::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt, &wq, -1,
            rq.data(), &info);
  agreed_info(W.grid(), info, func, "p?gesvd", describe(W));
  const Workspace ws = gesvd_workspace(m, n, W.block().nb, {from_query(wq), 1, 1});
  auto a = allocate_workspace<T>(W.grid(), ws.lwork, ws.lrwork, 1, func, "p?gesvd");
  sl::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt,
            a.work.data(), static_cast<int>(a.work.size()), a.rwork.data(), &info);
  info = agreed_info(W.grid(), info, func, "p?gesvd", describe(W));
  if (info > 0) no_convergence(func, info);
  replicate_from_source(s, W);
  return s;
}

#define TARTAN_INSTANTIATE(T) \
  template std::vector<real_t<T>> gesvd<T>(DistMatrix<T>&, DistMatrix<T>*, DistMatrix<T>*, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
