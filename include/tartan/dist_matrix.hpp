#pragma once
// DistMatrix<T>: a dense matrix distributed 2D block-cyclically over a Grid. Its windows
// (View) are in view.hpp, the functions that create and move matrices in create.hpp.

#include <Eigen/Core>
#include <array>
#include <complex>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "tartan/grid.hpp"
#include "tartan/layout.hpp"
#include "tartan/types.hpp"

namespace tartan {

template <class T>
class View;

namespace detail {
/// Storage of local blocks: blocks of 1 MiB or more come from Tartan's pool (reused from
/// call to call, 2 MiB aligned, transparent huge pages), so a loop of calls does not pay
/// for fresh pages each time; small ones from malloc. local_free takes the size given to
/// local_alloc.
void* local_alloc(std::size_t bytes);
void local_free(void* p, std::size_t bytes) noexcept;
template <class T>
struct LocalAllocator {
  using value_type = T;
  LocalAllocator() = default;
  template <class U>
  LocalAllocator(const LocalAllocator<U>&) noexcept {}  // NOLINT
  T* allocate(std::size_t n) { return static_cast<T*>(local_alloc(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { local_free(p, n * sizeof(T)); }
  friend bool operator==(const LocalAllocator&, const LocalAllocator&) noexcept { return true; }
};
}  // namespace detail

/// A dense m x n matrix of T distributed over a Grid in blocks (ScaLAPACK's layout).
/// Each process owns a column-major local block with leading dimension lld().
/// Move-only: copies are explicit (copy()) because they allocate on every rank.
template <class T>
class DistMatrix {
  static_assert(Scalar<T>, "DistMatrix<T>: T must be float, double, complex<float> or complex<double>");

 public:
  using value_type = T;
  using LocalMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;
  using ConstLocalMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;

  /// An m x n zero matrix on grid. Throws InvalidArgument for negative sizes, bad blocks,
  /// a source outside the grid, or sizes beyond ScaLAPACK's 32-bit descriptors, and
  /// OutOfMemory when a rank cannot hold its block. Collective over grid: every rank of
  /// the grid constructs it (a large matrix's allocation is agreed, so a failure on one
  /// rank throws on all).
  DistMatrix(const Grid& grid, std::int64_t m, std::int64_t n, Block block = {}, Source src = {});

  /// Moves leave the source a valid empty matrix: 0 x 0 on the same grid, with the same
  /// block and source, so every accessor of a moved-from matrix still works.
  DistMatrix(DistMatrix&& other) noexcept
      : grid_(other.grid_),
        layout_(other.layout_),
        local_rows_(other.local_rows_),
        local_cols_(other.local_cols_),
        lld_(other.lld_),
        desc_(other.desc_),
        data_(std::move(other.data_)) {
    other.make_empty();
  }
  DistMatrix& operator=(DistMatrix&& other) noexcept {
    if (this != &other) {
      grid_ = other.grid_;
      layout_ = other.layout_;
      local_rows_ = other.local_rows_;
      local_cols_ = other.local_cols_;
      lld_ = other.lld_;
      desc_ = other.desc_;
      data_ = std::move(other.data_);
      other.make_empty();
    }
    return *this;
  }
  DistMatrix(const DistMatrix&) = delete;
  DistMatrix& operator=(const DistMatrix&) = delete;

  std::int64_t rows() const noexcept { return layout_.rows(); }
  std::int64_t cols() const noexcept { return layout_.cols(); }
  Block block() const noexcept { return layout_.block(); }
  Source source() const noexcept { return layout_.source(); }
  const Grid& grid() const noexcept { return grid_; }
  const Layout& layout() const noexcept { return layout_; }

  /// Rows and columns of this process's local block, and its leading dimension (>= 1).
  std::int64_t local_rows() const noexcept { return local_rows_; }
  std::int64_t local_cols() const noexcept { return local_cols_; }
  std::int64_t lld() const noexcept { return lld_; }
  T* data() noexcept { return data_.data(); }
  const T* data() const noexcept { return data_.data(); }

  /// The local block as an Eigen map (local_rows() x local_cols(), outer stride lld()).
  LocalMap local() noexcept { return LocalMap(data_.data(), local_rows_, local_cols_, Eigen::OuterStride<>(lld_)); }
  ConstLocalMap local() const noexcept {
    return ConstLocalMap(data_.data(), local_rows_, local_cols_, Eigen::OuterStride<>(lld_));
  }

  /// Entry (i, j), returned on every rank. Collective: every rank passes the same i, j.
  T get(std::int64_t i, std::int64_t j) const;
  /// Sets entry (i, j) to v on the rank that owns it; the others do nothing. No
  /// communication: every rank may call it (the owner's v counts), so the same loop runs
  /// on every rank. Throws InvalidArgument for an index outside the matrix.
  void set(std::int64_t i, std::int64_t j, T v);

  /// Calls f(i, j, T& a_ij) with global indices for every entry this process owns.
  template <class F>
  void for_each_local(F&& f) {
    const std::vector<std::int64_t> rows = global_rows();
    for (std::int64_t jl = 0; jl < local_cols_; ++jl) {
      const std::int64_t j = layout_.global_col(jl, grid_.mycol());
      T* col = data_.data() + jl * lld_;
      for (std::int64_t il = 0; il < local_rows_; ++il) f(rows[static_cast<std::size_t>(il)], j, col[il]);
    }
  }
  template <class F>
  void for_each_local(F&& f) const {
    const std::vector<std::int64_t> rows = global_rows();
    for (std::int64_t jl = 0; jl < local_cols_; ++jl) {
      const std::int64_t j = layout_.global_col(jl, grid_.mycol());
      const T* col = data_.data() + jl * lld_;
      for (std::int64_t il = 0; il < local_rows_; ++il) f(rows[static_cast<std::size_t>(il)], j, col[il]);
    }
  }

  /// A deep copy with the same grid and layout. Collective like the constructor.
  DistMatrix copy() const;

  /// The ScaLAPACK array descriptor, for calling ScaLAPACK routines directly.
  const std::array<int, 9>& descriptor() const noexcept { return desc_; }

  /// The submatrix of rows [i, i+m) and columns [j, j+n), without copying (ScaLAPACK's
  /// IA/JA). Throws InvalidArgument when it does not fit in the matrix. The view refers
  /// to this matrix: it must not outlive it.
  View<T> view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) &;
  View<const T> view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) const&;
  /// A view of a temporary would dangle at the end of the statement: not allowed.
  View<T> view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) && = delete;
  View<const T> view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) const&& = delete;

 private:
  Grid grid_;
  Layout layout_;
  // The deep copy behind copy(): copies the local block without zero-filling it first.
  struct CopyTag {};
  DistMatrix(const DistMatrix& other, CopyTag);

  // 0 x 0 on the same grid, block and source (what a moved-from matrix becomes).
  void make_empty() noexcept {
    layout_ = Layout::empty_like(layout_);
    local_rows_ = local_cols_ = 0;
    lld_ = 1;
    desc_[2] = desc_[3] = 0;  // M and N; the context, blocks, sources and LLD = 1 stay valid
    desc_[8] = 1;
    data_.clear();
    data_.shrink_to_fit();
  }

  // Global index of each local row (one division per row, not per entry).
  std::vector<std::int64_t> global_rows() const {
    std::vector<std::int64_t> r(static_cast<std::size_t>(local_rows_));
    for (std::int64_t il = 0; il < local_rows_; ++il)
      r[static_cast<std::size_t>(il)] = layout_.global_row(il, grid_.myrow());
    return r;
  }

  std::int64_t local_rows_ = 0, local_cols_ = 0, lld_ = 1;
  std::array<int, 9> desc_{};
  std::vector<T, detail::LocalAllocator<T>> data_;
};

}  // namespace tartan

// View is used by DistMatrix::view(); included last so either header may come first.
#include "tartan/view.hpp"
