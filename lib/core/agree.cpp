// Agreement over a communicator.

#include "core/agree.hpp"

namespace tartan::detail {

bool any_rank(MPI_Comm comm, bool flag) {
  int in = flag ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, comm);
  return out != 0;
}

std::int64_t min_over(MPI_Comm comm, std::int64_t v) {
  std::int64_t out = v;
  MPI_Allreduce(&v, &out, 1, MPI_INT64_T, MPI_MIN, comm);
  return out;
}

}  // namespace tartan::detail
