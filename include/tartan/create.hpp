#pragma once
// Creating matrices (zeros, identity, random, from_function), moving them between ranks and
// layouts (from_eigen, to_eigen, redistribute) and copying windows (copy, assign).
// All collective over the grid; sizes, blocks and sources as for DistMatrix.

#include <Eigen/Core>
#include <cstdint>
#include <exception>

#include "tartan/dist_matrix.hpp"
#include "tartan/grid.hpp"
#include "tartan/types.hpp"
#include "tartan/view.hpp"

namespace tartan {

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

namespace detail {
/// Collective over grid: when f failed on some rank (err set there), every rank throws the
/// same InvalidArgument, "from_function: f failed on rank R: <its message>", of the lowest
/// such rank. Returns on every rank when none failed.
void agree_on_function(const Grid& grid, const std::exception_ptr& err);
}  // namespace detail

/// Entry (i, j) = f(i, j), evaluated on the owning process only. Collective (one small
/// reduction): when f throws on some rank, every rank throws InvalidArgument naming the
/// lowest failing rank and carrying its message.
template <class T, class F>
DistMatrix<T> from_function(const Grid& grid, std::int64_t m, std::int64_t n, F&& f, Block block = {},
                            Source src = {}) {
  DistMatrix<T> a(grid, m, n, block, src);
  std::exception_ptr err;
  try {
    a.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = static_cast<T>(f(i, j)); });
  } catch (...) {
    err = std::current_exception();
  }
  detail::agree_on_function(grid, err);
  return a;
}

/// A copy of A with its entries converted to U, in A's layout (numpy's A.astype(U)):
/// float <-> double, complex<float> <-> complex<double>, and real to complex. As numpy, an
/// entry beyond the range of U becomes +-inf. No communication.
template <class U, class T>
requires(is_complex_v<U> || !is_complex_v<T>) DistMatrix<U> astype(const DistMatrix<T>& A) {
  DistMatrix<U> out(A.grid(), A.rows(), A.cols(), A.block(), A.source());
  const std::int64_t mr = A.local_rows(), mc = A.local_cols();
  for (std::int64_t j = 0; j < mc; ++j) {
    const T* a = A.data() + j * A.lld();
    U* o = out.data() + j * out.lld();
    for (std::int64_t i = 0; i < mr; ++i) o[i] = static_cast<U>(a[i]);
  }
  return out;
}

/// Scatters M, significant on rank root of grid.comm() only, into a new distributed matrix.
/// M's shape is broadcast from root. Throws InvalidArgument for a root outside the grid.
template <class T>
DistMatrix<T> from_eigen(const Grid& grid, const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& M, int root = 0,
                         Block block = {});
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

/// The same for a window of a matrix that is not const: `copy(A.view(i, j, m, n))`, and
/// likewise to_eigen, redistribute, norm and assign on such windows.
template <class T>
requires(!std::is_const_v<T>) DistMatrix<T> copy(View<T> A) { return copy<T>(View<const T>(A)); }
template <class T>
requires(!std::is_const_v<T>) Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen(View<T> A, int root = 0) {
  return to_eigen<T>(View<const T>(A), root);
}
template <class T>
requires(!std::is_const_v<T>) DistMatrix<T> redistribute(View<T> A, const Grid& grid2, Block block = {},
                                                         Source src = {}) {
  return redistribute<T>(View<const T>(A), grid2, block, src);
}

/// Copies src (same shape, same grid; any layouts) into the window dst.
template <class T>
void assign(View<T> dst, View<const T> src);
template <class T>
requires(!std::is_const_v<T>) void assign(View<T> dst, View<T> src) { assign<T>(dst, View<const T>(src)); }
template <class T>
void assign(View<T> dst, const DistMatrix<T>& src) {
  assign<T>(dst, View<const T>(src));
}

}  // namespace tartan
