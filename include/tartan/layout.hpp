#pragma once
// Layout: the index math of a 2D block-cyclic distribution. Pure arithmetic, no MPI.

#include <array>
#include <cstdint>

#include "tartan/types.hpp"

namespace tartan {

/// Global m x n matrix in mb x nb blocks dealt cyclically over a prows x pcols grid,
/// starting at process (src.row, src.col). All indices are 0-based; sizes are 64-bit.
class Layout {
 public:
  Layout() = default;
  /// Throws InvalidArgument for negative sizes, blocks < 1, an empty grid or a source
  /// outside the grid. A Block with zero members is resolved to the default first.
  Layout(std::int64_t m, std::int64_t n, Block block, int prows, int pcols, Source src = {});

  std::int64_t rows() const noexcept { return m_; }
  std::int64_t cols() const noexcept { return n_; }
  std::int64_t mb() const noexcept { return mb_; }
  std::int64_t nb() const noexcept { return nb_; }
  Block block() const noexcept { return {mb_, nb_}; }
  int prows() const noexcept { return prows_; }
  int pcols() const noexcept { return pcols_; }
  Source source() const noexcept { return src_; }

  /// Process row holding global row i / process column holding global column j.
  int row_owner(std::int64_t i) const noexcept;
  int col_owner(std::int64_t j) const noexcept;
  /// Local index of global row i (column j) on the process that holds it.
  std::int64_t local_row(std::int64_t i) const noexcept;
  std::int64_t local_col(std::int64_t j) const noexcept;
  /// Global index of local row il on process row prow (local column jl on pcol).
  std::int64_t global_row(std::int64_t il, int prow) const noexcept;
  std::int64_t global_col(std::int64_t jl, int pcol) const noexcept;
  /// Rows held by process row prow / columns held by process column pcol (ScaLAPACK's NUMROC).
  std::int64_t local_rows(int prow) const noexcept;
  std::int64_t local_cols(int pcol) const noexcept;

  /// The ScaLAPACK array descriptor for leading dimension lld in BLACS context ctxt.
  /// Throws InvalidArgument when a field does not fit ScaLAPACK's 32-bit integers.
  std::array<int, 9> descriptor(int ctxt, std::int64_t lld) const;

  /// The 0 x 0 layout with l's blocks, grid shape and source.
  static Layout empty_like(const Layout& l) noexcept {
    Layout e = l;
    e.m_ = e.n_ = 0;
    return e;
  }

  friend bool operator==(const Layout&, const Layout&) = default;

 private:
  std::int64_t m_ = 0, n_ = 0, mb_ = 1, nb_ = 1;
  int prows_ = 1, pcols_ = 1;
  Source src_{};
};

/// Resolves zero members of a Block to the default (see Block).
Block resolve_block(Block b) noexcept;

/// Number of rows/columns of an n-long dimension in blocks of nb, held by process iproc
/// of nprocs when the first block is on isrc (ScaLAPACK's NUMROC in 64 bits).
std::int64_t numroc(std::int64_t n, std::int64_t nb, int iproc, int isrc, int nprocs) noexcept;

}  // namespace tartan
