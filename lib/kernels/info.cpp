// INFO agreement and the replication of small results: what every kernel ends with.

#include <limits>
#include <string>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "kernels/kernels.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

int agreed_info(const Grid& g, int info, const char* func, const char* routine) {
  const std::int64_t lo = min_over(g.comm(), info);
  if (lo < 0)
    throw Error(std::string(func) + ": internal error: " + routine + " rejected argument " + std::to_string(-lo));
  const std::int64_t pos = min_over(g.comm(), info > 0 ? info : std::numeric_limits<int>::max());
  return pos == std::numeric_limits<int>::max() ? 0 : static_cast<int>(pos);
}

// ScaLAPACK documents eigenvalues and singular values as global output, but p?syevd on
// small matrices (n = 2 and 3 on a 1x2 grid, measured with Debian's 2.2.1) leaves other
// processes' copies wrong: the tridiagonal diagonal instead of the eigenvalues.
template <class R, class T>
void replicate_from_source(std::vector<R>& v, const DistMatrix<T>& W) {
  if (v.empty()) return;
  const Grid& g = W.grid();
  MPI_Bcast(v.data(), static_cast<int>(v.size()), mpi_type<R>(), g.rank_of(W.source().row, W.source().col),
            g.comm());
}

#define TARTAN_INSTANTIATE(T) \
  template void replicate_from_source<real_t<T>, T>(std::vector<real_t<T>>&, const DistMatrix<T>&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
