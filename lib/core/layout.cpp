// Layout: block-cyclic index arithmetic and the ScaLAPACK descriptor. Builds without MPI.

#include "tartan/layout.hpp"

#include <atomic>
#include <string>

#include "core/block_default.hpp"
#include "core/format.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace {
std::atomic<std::int64_t> block_default{default_block_size};
}  // namespace

std::int64_t default_block() noexcept { return block_default.load(std::memory_order_relaxed); }

namespace detail {
void set_default_block(std::int64_t nb) noexcept { block_default.store(nb, std::memory_order_relaxed); }
}  // namespace detail

Block resolve_block(Block b) noexcept {
  if (b.mb == 0 && b.nb == 0) return {default_block(), default_block()};
  if (b.mb == 0) b.mb = b.nb;
  if (b.nb == 0) b.nb = b.mb;
  return b;
}

std::int64_t numroc(std::int64_t n, std::int64_t nb, int iproc, int isrc, int nprocs) noexcept {
  const std::int64_t mydist = (nprocs + iproc - isrc) % nprocs;
  const std::int64_t nblocks = n / nb;
  std::int64_t num = (nblocks / nprocs) * nb;
  const std::int64_t extra = nblocks % nprocs;
  if (mydist < extra)
    num += nb;
  else if (mydist == extra)
    num += n % nb;
  return num;
}

Layout::Layout(std::int64_t m, std::int64_t n, Block block, int prows, int pcols, Source src) {
  block = resolve_block(block);
  if (m < 0 || n < 0)
    throw InvalidArgument("Layout: matrix is " + detail::shape(m, n) + ", expected non-negative sizes");
  if (block.mb < 1 || block.nb < 1)
    throw InvalidArgument("Layout: block is " + detail::shape(block.mb, block.nb) +
                          ", expected positive block sizes (or 0 for the default)");
  if (prows < 1 || pcols < 1)
    throw InvalidArgument("Layout: grid is " + detail::shape(prows, pcols) + ", expected at least 1x1");
  if (src.row < 0 || src.row >= prows || src.col < 0 || src.col >= pcols)
    throw InvalidArgument("Layout: source process (" + std::to_string(src.row) + "," + std::to_string(src.col) +
                          ") is outside the " + detail::shape(prows, pcols) + " grid");
  m_ = m;
  n_ = n;
  mb_ = block.mb;
  nb_ = block.nb;
  prows_ = prows;
  pcols_ = pcols;
  src_ = src;
}

int Layout::row_owner(std::int64_t i) const noexcept { return static_cast<int>((src_.row + i / mb_) % prows_); }
int Layout::col_owner(std::int64_t j) const noexcept { return static_cast<int>((src_.col + j / nb_) % pcols_); }
std::int64_t Layout::local_row(std::int64_t i) const noexcept { return (i / mb_) / prows_ * mb_ + i % mb_; }
std::int64_t Layout::local_col(std::int64_t j) const noexcept { return (j / nb_) / pcols_ * nb_ + j % nb_; }
std::int64_t Layout::global_row(std::int64_t il, int prow) const noexcept {
  const std::int64_t dist = (prows_ + prow - src_.row) % prows_;
  return ((il / mb_) * prows_ + dist) * mb_ + il % mb_;
}
std::int64_t Layout::global_col(std::int64_t jl, int pcol) const noexcept {
  const std::int64_t dist = (pcols_ + pcol - src_.col) % pcols_;
  return ((jl / nb_) * pcols_ + dist) * nb_ + jl % nb_;
}
std::int64_t Layout::local_rows(int prow) const noexcept { return numroc(m_, mb_, prow, src_.row, prows_); }
std::int64_t Layout::local_cols(int pcol) const noexcept { return numroc(n_, nb_, pcol, src_.col, pcols_); }

std::array<int, 9> Layout::descriptor(int ctxt, std::int64_t lld) const {
  const char* f = "descriptor";
  return {1,
          ctxt,
          detail::to_int(m_, f, "rows"),
          detail::to_int(n_, f, "columns"),
          detail::to_int(mb_, f, "row block size"),
          detail::to_int(nb_, f, "column block size"),
          src_.row,
          src_.col,
          detail::to_int(lld, f, "local leading dimension")};
}

}  // namespace tartan
