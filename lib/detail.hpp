#pragma once
// Private helpers shared by the library's translation units.

#include <mpi.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "tartan/dist_matrix.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
inline constexpr bool is_complex_v = !std::is_same_v<T, real_t<T>>;

/// The MPI datatype of T.
template <class T>
MPI_Datatype mpi_type() {
  if constexpr (std::is_same_v<T, float>) return MPI_FLOAT;
  else if constexpr (std::is_same_v<T, double>) return MPI_DOUBLE;
  else if constexpr (std::is_same_v<T, std::complex<float>>) return MPI_C_FLOAT_COMPLEX;
  else if constexpr (std::is_same_v<T, std::complex<double>>) return MPI_C_DOUBLE_COMPLEX;
  else if constexpr (std::is_same_v<T, int>) return MPI_INT;
  else if constexpr (std::is_same_v<T, std::int64_t>) return MPI_INT64_T;
  else static_assert(sizeof(T) == 0, "no MPI type");
}

/// "m x n" as messages print shapes.
std::string shape(std::int64_t m, std::int64_t n);
template <class M>
std::string shape(const M& a) {
  return shape(a.rows(), a.cols());
}

/// Converts a 64-bit size to ScaLAPACK's int, naming it when it does not fit.
int to_int(std::int64_t v, const char* func, const char* what);

/// Throws InvalidArgument("func: ...") unless a and b live on the same Grid.
void require_same_grid(const Grid& a, const Grid& b, const char* func, const char* na, const char* nb);

/// Throws InvalidArgument unless a is square.
template <class M>
void require_square(const M& a, const char* func, const char* name) {
  if (a.rows() != a.cols())
    throw InvalidArgument(std::string(func) + ": " + name + " is " + shape(a) + ", expected a square matrix");
}

/// Workspace size from a query's answer, with slack: several ScaLAPACK queries
/// under-report (rounding through a float, p?stedc, p?syevd).
template <class T>
int work_size(T query, std::int64_t at_least = 1) {
  const double q = std::ceil(static_cast<double>(std::real(query)));
  const double padded = q * 1.1 + 1024.0;
  const double v = std::max(padded, static_cast<double>(at_least));
  if (v > static_cast<double>(std::numeric_limits<int>::max())) return std::numeric_limits<int>::max();
  return static_cast<int>(v);
}

/// Logical OR of flag over comm.
bool any_rank(MPI_Comm comm, bool flag);
/// Smallest v over comm.
std::int64_t min_over(MPI_Comm comm, std::int64_t v);

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
void require_system(const DistMatrix<T>& A, const DistMatrix<T>& B, const char* func, bool square,
                    bool check_finite) {
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
