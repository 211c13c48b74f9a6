#pragma once
// DistMatrix<T>: a dense matrix distributed 2D block-cyclically over a Grid, its views,
// and the functions that create, gather, scatter and redistribute matrices.

#include <Eigen/Core>
#include <array>
#include <complex>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "tartan/grid.hpp"
#include "tartan/layout.hpp"

namespace tartan {

/// The element types Tartan supports: float, double, complex<float>, complex<double>.
template <class T>
concept Scalar = std::is_same_v<T, float> || std::is_same_v<T, double> ||
                 std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>;

/// The real type of T (float for complex<float>, ...).
template <class T>
using real_t = typename Eigen::NumTraits<T>::Real;

template <class T>
class View;

namespace detail {
/// Storage of local blocks: large blocks are 2 MiB aligned and marked for transparent huge
/// pages, so a fresh matrix costs a few page faults instead of one per 4 KiB (copies of
/// big matrices were dominated by page faults). Small ones come from malloc.
void* local_alloc(std::size_t bytes);
void local_free(void* p) noexcept;
template <class T>
struct LocalAllocator {
  using value_type = T;
  LocalAllocator() = default;
  template <class U>
  LocalAllocator(const LocalAllocator<U>&) noexcept {}  // NOLINT
  T* allocate(std::size_t n) { return static_cast<T*>(local_alloc(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { local_free(p); }
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
  using ConstLocalMap =
      Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0, Eigen::OuterStride<>>;

  /// An m x n zero matrix on grid. Throws InvalidArgument for negative sizes, bad blocks,
  /// a source outside the grid, or sizes beyond ScaLAPACK's 32-bit descriptors.
  /// Collective over grid (allocation only; no communication).
  DistMatrix(const Grid& grid, std::int64_t m, std::int64_t n, Block block = {}, Source src = {});

  DistMatrix(DistMatrix&&) noexcept = default;
  DistMatrix& operator=(DistMatrix&&) noexcept = default;
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
  /// Sets entry (i, j) to v (v as given on the owning rank). Collective like get.
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

  /// A deep copy with the same grid and layout.
  DistMatrix copy() const;

  /// The ScaLAPACK array descriptor, for calling ScaLAPACK routines directly.
  const std::array<int, 9>& descriptor() const noexcept { return desc_; }

  /// The submatrix of rows [i, i+m) and columns [j, j+n), without copying (ScaLAPACK's
  /// IA/JA). Throws InvalidArgument when it does not fit in the matrix. The view refers
  /// to this matrix: it must not outlive it.
  View<T> view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n);
  View<const T> view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) const;

 private:
  Grid grid_;
  Layout layout_;
  // The deep copy behind copy(): copies the local block without zero-filling it first.
  struct CopyTag {};
  DistMatrix(const DistMatrix& other, CopyTag)
      : grid_(other.grid_),
        layout_(other.layout_),
        local_rows_(other.local_rows_),
        local_cols_(other.local_cols_),
        lld_(other.lld_),
        desc_(other.desc_),
        data_(other.data_) {}

  // Global index of each local row (one division per row, not per entry).
  std::vector<std::int64_t> global_rows() const {
    std::vector<std::int64_t> r(static_cast<std::size_t>(local_rows_));
    for (std::int64_t il = 0; il < local_rows_; ++il) r[static_cast<std::size_t>(il)] = layout_.global_row(il, grid_.myrow());
    return r;
  }

  std::int64_t local_rows_ = 0, local_cols_ = 0, lld_ = 1;
  std::array<int, 9> desc_{};
  std::vector<T, detail::LocalAllocator<T>> data_;
};

/// A rectangular window of a DistMatrix (T may be const). Cheap to copy; refers to the
/// matrix it came from. Built implicitly from a whole matrix.
template <class T>
class View {
 public:
  using value_type = std::remove_const_t<T>;
  using Matrix = std::conditional_t<std::is_const_v<T>, const DistMatrix<value_type>, DistMatrix<value_type>>;

  View(Matrix& a) noexcept : a_(&a), i_(0), j_(0), m_(a.rows()), n_(a.cols()) {}  // NOLINT: implicit by design
  /// Throws InvalidArgument when the window does not fit in a.
  View(Matrix& a, std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n);
  /// A view of mutable data is also a read-only view.
  operator View<const value_type>() const noexcept  // NOLINT
    requires(!std::is_const_v<T>)
  {
    return View<const value_type>(*a_, i_, j_, m_, n_, 0);
  }

  std::int64_t rows() const noexcept { return m_; }
  std::int64_t cols() const noexcept { return n_; }
  /// Global index of the view's first row / column in the matrix.
  std::int64_t row_offset() const noexcept { return i_; }
  std::int64_t col_offset() const noexcept { return j_; }
  Matrix& matrix() const noexcept { return *a_; }
  const Grid& grid() const noexcept { return a_->grid(); }
  /// ScaLAPACK's 1-based IA and JA of the view.
  int ia() const noexcept { return static_cast<int>(i_ + 1); }
  int ja() const noexcept { return static_cast<int>(j_ + 1); }

  // Trusted constructor (no checks); the int tag keeps it apart from the checked one.
  View(Matrix& a, std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n, int) noexcept
      : a_(&a), i_(i), j_(j), m_(m), n_(n) {}

 private:
  Matrix* a_;
  std::int64_t i_, j_, m_, n_;
};

// ---------------------------------------------------------------------------------------
// Creation. All collective over the grid; sizes and blocks as for DistMatrix.

/// An m x n zero matrix.
template <class T>
DistMatrix<T> zeros(const Grid& grid, std::int64_t m, std::int64_t n, Block block = {}, Source src = {});

/// The n x n identity.
template <class T>
DistMatrix<T> identity(const Grid& grid, std::int64_t n, Block block = {}, Source src = {});

/// Uniform random entries in [-1, 1] (real and imaginary parts). Entry (i, j) depends only
/// on seed, i and j: the same matrix on every grid, block size, source and rank count.
template <class T>
DistMatrix<T> random(const Grid& grid, std::int64_t m, std::int64_t n, std::uint64_t seed, Block block = {},
                     Source src = {});

/// Entry (i, j) = f(i, j), evaluated on the owning process only (no communication).
template <class T, class F>
DistMatrix<T> from_function(const Grid& grid, std::int64_t m, std::int64_t n, F&& f, Block block = {},
                            Source src = {}) {
  DistMatrix<T> a(grid, m, n, block, src);
  a.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = static_cast<T>(f(i, j)); });
  return a;
}

/// Scatters M, significant on rank root of grid.comm() only, into a new distributed matrix.
/// M's shape is broadcast from root. Throws InvalidArgument for a root outside the grid.
template <class T>
DistMatrix<T> from_eigen(const Grid& grid, const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& M,
                         int root = 0, Block block = {});
template <class Derived>
auto from_eigen(const Grid& grid, const Eigen::MatrixBase<Derived>& M, int root = 0, Block block = {}) {
  using T = typename Derived::Scalar;
  return from_eigen<T>(grid, Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>(M), root, block);
}

/// Gathers A on rank root of A.grid().comm(); other ranks get a 0 x 0 matrix.
template <class T>
Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen(View<const T> A, int root = 0);
template <class T>
Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen(const DistMatrix<T>& A, int root = 0) {
  return to_eigen<T>(View<const T>(A), root);
}

/// A copy of A laid out in blocks `block` from source `src` on grid2, which must span the
/// same processes as A's grid (any shape). Collective over both grids.
template <class T>
DistMatrix<T> redistribute(View<const T> A, const Grid& grid2, Block block = {}, Source src = {});
template <class T>
DistMatrix<T> redistribute(const DistMatrix<T>& A, const Grid& grid2, Block block = {}, Source src = {}) {
  return redistribute<T>(View<const T>(A), grid2, block, src);
}

/// The submatrix A as a new matrix on the same grid with A's block size.
template <class T>
DistMatrix<T> copy(View<const T> A);

/// Copies src (same shape, same grid; any layouts) into the window dst.
template <class T>
void assign(View<T> dst, View<const T> src);
template <class T>
void assign(View<T> dst, const DistMatrix<T>& src) {
  assign<T>(dst, View<const T>(src));
}

}  // namespace tartan
