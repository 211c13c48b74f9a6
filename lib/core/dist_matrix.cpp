// DistMatrix: allocation of the local block, single-entry access, copies and views.

#include "tartan/dist_matrix.hpp"

#include <mpi.h>

#include <algorithm>
#include <complex>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>
#include <type_traits>

#include "core/agree.hpp"
#include "core/format.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"
#include "core/pool.hpp"
#include "core/watchdog.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace detail {

// ScaLAPACK 2.2.1 reads past the end of a local matrix: p?labrd (inside p?gebrd) reads
// one element beyond the last (valgrind: "Invalid read of size 16, 16 bytes after a block"
// in zgemv, from a 129x127 matrix in 3x3 blocks on 1x2), which crashes when the block
// ends at a page boundary. A page of slack after every local matrix makes such reads
// harmless.
constexpr std::size_t slack = pool::storage_slack;

void* local_alloc(std::size_t bytes) {
  bytes += slack;
  if (bytes >= pool::min_bytes) return pool::allocate(bytes);
  void* p = std::malloc(bytes);
  if (!p) throw std::bad_alloc();
  return p;
}
void local_free(void* p, std::size_t bytes) noexcept {
  bytes += slack;
  if (bytes >= pool::min_bytes)
    pool::release(p, bytes);
  else
    std::free(p);
}

}  // namespace detail

namespace {
// Bytes of the largest local block of a layout on any process: the source process row and
// column hold the most. Every rank computes the same value.
std::int64_t largest_block_bytes(const Layout& l, std::size_t elem) {
  return std::max<std::int64_t>(1, l.local_rows(l.source().row)) * l.local_cols(l.source().col) *
         static_cast<std::int64_t>(elem);
}
std::string describe(const Layout& l, const char* type) {
  return "a " + detail::shape(l.rows(), l.cols()) + " DistMatrix<" + type + "> in " + detail::shape(l.mb(), l.nb()) +
         " blocks";
}
template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, float>)
    return "float";
  else if constexpr (std::is_same_v<T, double>)
    return "double";
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return "complex<float>";
  else
    return "complex<double>";
}
}  // namespace

template <class T>
DistMatrix<T>::DistMatrix(const Grid& grid, std::int64_t m, std::int64_t n, Block block, Source src)
    : grid_(grid), layout_(m, n, block, grid.prows(), grid.pcols(), src) {
  local_rows_ = layout_.local_rows(grid_.myrow());
  local_cols_ = layout_.local_cols(grid_.mycol());
  lld_ = std::max<std::int64_t>(1, local_rows_);
  // ScaLAPACK addresses local entries with 32-bit ints: the largest local block on any
  // process (the source row and column hold the most) must fit. Every rank computes the
  // same bound from the layout, so every rank throws together.
  const std::int64_t big_rows = std::max<std::int64_t>(1, layout_.local_rows(src.row));
  const std::int64_t big_cols = layout_.local_cols(src.col);
  if (big_cols > 0 && big_rows > std::numeric_limits<int>::max() / big_cols)
    throw InvalidArgument("DistMatrix: a local block of " + detail::shape(big_rows, big_cols) + " on a " +
                          detail::shape(grid.prows(), grid.pcols()) +
                          " grid exceeds ScaLAPACK's 32-bit local indexing; use more processes");
  desc_ = layout_.descriptor(grid_.blacs_context(), lld_);
  const std::int64_t largest = largest_block_bytes(layout_, sizeof(T));
  detail::agreed_allocation(grid_, lld_ * local_cols_ * static_cast<std::int64_t>(sizeof(T)),
                            "DistMatrix: " + describe(layout_, type_name<T>()),
                            largest >= detail::agreed_allocation_threshold,
                            [&] { data_.assign(static_cast<std::size_t>(lld_ * local_cols_), T(0)); });
}

template <class T>
DistMatrix<T>::DistMatrix(const DistMatrix& other, CopyTag)
    : grid_(other.grid_),
      layout_(other.layout_),
      local_rows_(other.local_rows_),
      local_cols_(other.local_cols_),
      lld_(other.lld_),
      desc_(other.desc_) {
  const std::int64_t largest = largest_block_bytes(layout_, sizeof(T));
  detail::agreed_allocation(grid_, static_cast<std::int64_t>(other.data_.size() * sizeof(T)),
                            "copy: " + describe(layout_, type_name<T>()),
                            largest >= detail::agreed_allocation_threshold, [&] { data_ = other.data_; });
}

template <class T>
T DistMatrix<T>::get(std::int64_t i, std::int64_t j) const {
  if (i < 0 || i >= rows() || j < 0 || j >= cols())
    throw InvalidArgument("get: index (" + std::to_string(i) + "," + std::to_string(j) + ") is outside the " +
                          detail::shape(*this) + " matrix");
  const detail::watchdog::Scope scope("get", [&] {
    return "(" + std::to_string(i) + ", " + std::to_string(j) + ") of " + detail::watchdog::describe(*this) +
           ", held by grid process (" + std::to_string(layout_.row_owner(i)) + ", " +
           std::to_string(layout_.col_owner(j)) + ")";
  });
  const int pr = layout_.row_owner(i), pc = layout_.col_owner(j);
  T v{};
  if (pr == grid_.myrow() && pc == grid_.mycol()) v = data_[layout_.local_row(i) + layout_.local_col(j) * lld_];
  MPI_Bcast(&v, 1, detail::mpi_type<T>(), grid_.rank_of(pr, pc), grid_.comm());
  return v;
}

template <class T>
void DistMatrix<T>::set(std::int64_t i, std::int64_t j, T v) {
  if (i < 0 || i >= rows() || j < 0 || j >= cols())
    throw InvalidArgument("set: index (" + std::to_string(i) + "," + std::to_string(j) + ") is outside the " +
                          detail::shape(*this) + " matrix");
  if (layout_.row_owner(i) == grid_.myrow() && layout_.col_owner(j) == grid_.mycol())
    data_[layout_.local_row(i) + layout_.local_col(j) * lld_] = v;
}

template <class T>
DistMatrix<T> DistMatrix<T>::copy() const {
  return DistMatrix<T>(*this, CopyTag{});
}

template <class T>
View<T> DistMatrix<T>::view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) & {
  return View<T>(*this, i, j, m, n);
}
template <class T>
View<const T> DistMatrix<T>::view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) const& {
  return View<const T>(*this, i, j, m, n);
}

template <class T>
View<T>::View(Matrix& a, std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n)
    : a_(&a), i_(i), j_(j), m_(m), n_(n) {
  // Written so that nothing overflows: i + m could wrap for huge arguments.
  if (i < 0 || j < 0 || m < 0 || n < 0 || m > a.rows() || i > a.rows() - m || n > a.cols() || j > a.cols() - n)
    throw InvalidArgument("view: a " + detail::shape(m, n) + " window at (" + std::to_string(i) + ", " +
                          std::to_string(j) + ") does not fit in the " + detail::shape(a) +
                          " matrix, expected 0 <= i, i + m <= rows, 0 <= j, j + n <= cols");
}

#define TARTAN_INSTANTIATE(T)   \
  template class DistMatrix<T>; \
  template class View<T>;       \
  template class View<const T>;
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
