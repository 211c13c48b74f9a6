#pragma once
// Argument checks shared by every public function. Shape and grid checks read metadata
// every rank holds, so every rank throws at once; the NaN/Inf scan is agreed over the grid.

#include <cstdint>
#include <string>

#include "core/format.hpp"
#include "tartan/dist_matrix.hpp"
#include "tartan/error.hpp"
#include "tartan/view.hpp"

namespace tartan::detail {

/// Throws InvalidArgument("func: ...") unless a and b live on the same Grid.
void require_same_grid(const Grid& a, const Grid& b, const char* func, const char* na, const char* nb);

/// Throws InvalidArgument unless a is square.
template <class M>
void require_square(const M& a, const char* func, const char* name) {
  if (a.rows() != a.cols())
    throw InvalidArgument(std::string(func) + ": " + name + " is " + shape(a) + ", expected a square matrix");
}

/// Local index ranges [r0, r1) x [c0, c1) of this process's entries inside the window of
/// rows [i0, i0+m) and columns [j0, j0+n).
struct LocalWindow {
  std::int64_t r0, r1, c0, c1;
};
LocalWindow local_window(const Layout& l, int myrow, int mycol, std::int64_t i0, std::int64_t j0, std::int64_t m,
                         std::int64_t n);
template <class T>
LocalWindow local_window(View<T> a) {
  const auto& A = a.matrix();
  return local_window(A.layout(), A.grid().myrow(), A.grid().mycol(), a.row_offset(), a.col_offset(), a.rows(),
                      a.cols());
}

/// True when any entry of the window is NaN or Inf; agreed over the grid.
template <class T>
bool has_nonfinite(View<const T> a);

/// Throws NonFiniteInput("func: name contains NaN or Inf") on every rank when any rank
/// holds a non-finite entry of a.
template <class T>
void require_finite(View<const T> a, const char* func, const char* name) {
  if (has_nonfinite<T>(a)) throw NonFiniteInput(std::string(func) + ": " + name + " contains NaN or Inf");
}

/// The checks of a system A X = B, in order: A square (when asked), same grid, rows of B
/// equal to rows of A, and (when asked) no NaN/Inf in A or B.
template <class T>
void require_system(const DistMatrix<T>& A, const DistMatrix<T>& B, const char* func, bool square, bool check_finite) {
  if (square) require_square(A, func, "A");
  require_same_grid(A.grid(), B.grid(), func, "A", "B");
  if (B.rows() != A.rows())
    throw InvalidArgument(std::string(func) + ": A is " + shape(A) + " and B is " + shape(B) + ", expected B with " +
                          std::to_string(A.rows()) + " rows");
  if (check_finite) {
    require_finite<T>(A, func, "A");
    require_finite<T>(B, func, "B");
  }
}

}  // namespace tartan::detail
