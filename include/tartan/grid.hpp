#pragma once
// Grid: a P x Q process grid over an MPI communicator (a BLACS context underneath).

#include <mpi.h>

#include <memory>

namespace tartan {

namespace detail {
struct GridState;
}

/// A prows x pcols process grid covering every rank of a communicator, in row-major
/// order: rank r sits at (r / pcols, r % pcols). Copies are cheap handles to the same grid;
/// the duplicated communicator and the BLACS context are released with the last handle.
/// To work on a subset of ranks, build the Grid over a sub-communicator.
class Grid {
 public:
  /// MPI_COMM_WORLD, most square shape with prows <= pcols.
  Grid();
  /// All ranks of comm, most square shape with prows <= pcols. Collective over comm.
  explicit Grid(MPI_Comm comm);
  /// All ranks of comm as prows x pcols. Throws InvalidArgument unless
  /// prows * pcols equals the size of comm. Collective over comm.
  Grid(MPI_Comm comm, int prows, int pcols);

  int prows() const noexcept;
  int pcols() const noexcept;
  int myrow() const noexcept;
  int mycol() const noexcept;
  /// This process's rank in comm().
  int rank() const noexcept;
  int size() const noexcept;
  /// The grid's own (duplicated) communicator.
  MPI_Comm comm() const noexcept;
  /// Communicator of this process's grid row (ranks ordered by column).
  MPI_Comm row_comm() const noexcept;
  /// Communicator of this process's grid column (ranks ordered by row).
  MPI_Comm col_comm() const noexcept;
  /// Ranks of this grid on this process's node (shared memory), this one included.
  int ranks_on_node() const noexcept;
  /// The BLACS context, for calling ScaLAPACK directly.
  int blacs_context() const noexcept;
  /// Rank in comm() of the process at grid coordinates (prow, pcol).
  int rank_of(int prow, int pcol) const noexcept { return prow * pcols() + pcol; }

  /// Same grid object (not merely the same shape).
  friend bool operator==(const Grid& a, const Grid& b) noexcept { return a.s_ == b.s_; }

  /// The most square shape prows x pcols with prows <= pcols and prows * pcols == size.
  static std::pair<int, int> default_shape(int size);

 private:
  std::shared_ptr<detail::GridState> s_;
};

}  // namespace tartan
