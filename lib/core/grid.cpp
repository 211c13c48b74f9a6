// Grid: a P x Q process grid over a duplicated communicator, with its BLACS context.

#include "tartan/grid.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "bindings/blacs.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace detail {
struct GridState {
  MPI_Comm comm = MPI_COMM_NULL, row = MPI_COMM_NULL, col = MPI_COMM_NULL;
  int handle = -1, ctxt = -1;
  int prows = 1, pcols = 1, myrow = 0, mycol = 0, rank = 0, size = 1, node_ranks = 1;

  GridState(MPI_Comm parent, int p, int q) : prows(p), pcols(q) {
    MPI_Comm_dup(parent, &comm);
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    handle = Csys2blacs_handle(comm);
    ctxt = handle;
    Cblacs_gridinit(&ctxt, "Row", p, q);
    int np = 0, nq = 0;
    Cblacs_gridinfo(ctxt, &np, &nq, &myrow, &mycol);
    MPI_Comm_split(comm, myrow, mycol, &row);
    MPI_Comm_split(comm, mycol, myrow, &col);
    MPI_Comm node;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &node_ranks);
    MPI_Comm_free(&node);
  }
  ~GridState() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return;
    Cblacs_gridexit(ctxt);
    Cfree_blacs_system_handle(handle);
    MPI_Comm_free(&row);
    MPI_Comm_free(&col);
    MPI_Comm_free(&comm);
  }
  GridState(const GridState&) = delete;
  GridState& operator=(const GridState&) = delete;
};
}  // namespace detail

std::pair<int, int> Grid::default_shape(int size) {
  int p = 1;
  for (int d = 1; d * d <= size; ++d)
    if (size % d == 0) p = d;
  return {p, size / std::max(p, 1)};
}

Grid::Grid() : Grid(MPI_COMM_WORLD) {}

namespace {
// Before MPI_Init, Open MPI's own message ("MPI_Comm_size() called before MPI_INIT") does
// not say what to do; after MPI_Finalize it aborts.
void require_mpi_running() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized) throw InvalidArgument("Grid: MPI is not initialized: create a tartan::Environment first");
  if (finalized)
    throw InvalidArgument(
        "Grid: MPI has been finalized: keep the tartan::Environment alive while "
        "Tartan is used");
}
}  // namespace

Grid::Grid(MPI_Comm comm) {
  require_mpi_running();
  int size = 0;
  MPI_Comm_size(comm, &size);
  auto [p, q] = default_shape(size);
  s_ = std::make_shared<detail::GridState>(comm, p, q);
}

Grid::Grid(MPI_Comm comm, int prows, int pcols) {
  require_mpi_running();
  int size = 0;
  MPI_Comm_size(comm, &size);
  if (prows < 1 || pcols < 1 || static_cast<std::int64_t>(prows) * pcols != size)
    throw InvalidArgument("Grid: a " + std::to_string(prows) + "x" + std::to_string(pcols) +
                          " grid does not cover the communicator's " + std::to_string(size) +
                          " ranks; expected prows * pcols == " + std::to_string(size));
  s_ = std::make_shared<detail::GridState>(comm, prows, pcols);
}

int Grid::prows() const noexcept { return s_->prows; }
int Grid::pcols() const noexcept { return s_->pcols; }
int Grid::myrow() const noexcept { return s_->myrow; }
int Grid::mycol() const noexcept { return s_->mycol; }
int Grid::rank() const noexcept { return s_->rank; }
int Grid::size() const noexcept { return s_->size; }
MPI_Comm Grid::comm() const noexcept { return s_->comm; }
MPI_Comm Grid::row_comm() const noexcept { return s_->row; }
MPI_Comm Grid::col_comm() const noexcept { return s_->col; }
int Grid::blacs_context() const noexcept { return s_->ctxt; }
int Grid::ranks_on_node() const noexcept { return s_->node_ranks; }

}  // namespace tartan
