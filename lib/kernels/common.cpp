// What every kernel ends with: INFO and ScaLAPACK's argument reports agreed over the grid,
// workspace allocated alike on every rank, and small results replicated.

#include "kernels/common.hpp"

#include <limits>
#include <string>

#include "bindings/reports.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

int agreed_info(const Grid& g, int info, const char* func, const char* routine, const std::string& what) {
  const ArgumentReport report = take_report();
  constexpr int none = std::numeric_limits<int>::max();
  // Lowest rank with a report or a negative INFO, and the smallest positive INFO.
  int in[2] = {(report.seen || info < 0) ? g.rank() : none, info > 0 ? info : none}, out[2] = {none, none};
  MPI_Allreduce(in, out, 2, MPI_INT, MPI_MIN, g.comm());
  if (out[0] != none) {
    std::string msg;
    if (g.rank() == out[0]) {
      msg = std::string(func) + ": internal error: ";
      if (report.seen)
        msg += report.routine + " reported an illegal value in argument " + std::to_string(report.argument);
      else
        msg += std::string(routine) + " reported an illegal value in argument " + std::to_string(-info);
      msg += " (" + std::string(routine) + " on " + what + ", rank " + std::to_string(g.rank()) +
             "); no result is returned because it would be wrong";
    }
    int len = static_cast<int>(msg.size());
    MPI_Bcast(&len, 1, MPI_INT, out[0], g.comm());
    msg.resize(static_cast<std::size_t>(len));
    MPI_Bcast(msg.data(), len, MPI_CHAR, out[0], g.comm());
    throw Error(msg);
  }
  return out[1] == none ? 0 : out[1];
}

int workspace_int(std::int64_t size, const char* func, const char* routine) {
  if (size > std::numeric_limits<int>::max())
    throw InvalidArgument(std::string(func) + ": " + routine + " needs a workspace of " + std::to_string(size) +
                          " elements on one process, beyond ScaLAPACK's 32-bit limit; use more processes");
  return static_cast<int>(std::max<std::int64_t>(size, 1));
}

template <class T>
WorkArrays<T> allocate_workspace(const Grid& g, std::int64_t lwork, std::int64_t lrwork, std::int64_t liwork,
                                 const char* func, const char* routine) {
  // Validate every size first: every rank sees its own sizes, so agree on the verdict.
  collectively(g.comm(), [&] {
    workspace_int(lwork, func, routine);
    workspace_int(lrwork, func, routine);
    workspace_int(liwork, func, routine);
  });
  WorkArrays<T> a;
  const std::int64_t bytes =
      lwork * std::int64_t(sizeof(T)) + lrwork * std::int64_t(sizeof(real_t<T>)) + liwork * std::int64_t(sizeof(int));
  agreed_allocation(g, bytes, std::string(func) + ": the workspace of " + routine, true, [&] {
    a.work.resize(static_cast<std::size_t>(std::max<std::int64_t>(lwork, 1)));
    a.rwork.resize(static_cast<std::size_t>(std::max<std::int64_t>(lrwork, 1)));
    a.iwork.resize(static_cast<std::size_t>(std::max<std::int64_t>(liwork, 1)));
  });
  return a;
}

// ScaLAPACK documents eigenvalues and singular values as global output, but p?syevd on
// small matrices (n = 2 and 3 on a 1x2 grid, measured with Debian's 2.2.1) leaves other
// processes' copies wrong: the tridiagonal diagonal instead of the eigenvalues.
template <class R, class T>
void replicate_from_source(std::vector<R>& v, const DistMatrix<T>& W) {
  if (v.empty()) return;
  const Grid& g = W.grid();
  MPI_Bcast(v.data(), static_cast<int>(v.size()), mpi_type<R>(), g.rank_of(W.source().row, W.source().col), g.comm());
}

#define TARTAN_INSTANTIATE(T)                                                                                      \
  template void replicate_from_source<real_t<T>, T>(std::vector<real_t<T>>&, const DistMatrix<T>&);                \
  template WorkArrays<T> allocate_workspace<T>(const Grid&, std::int64_t, std::int64_t, std::int64_t, const char*, \
                                               const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
