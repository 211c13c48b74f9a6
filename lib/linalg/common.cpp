// Helpers shared by the linalg families.

#include "linalg/common.hpp"

#include "core/instantiate.hpp"

namespace tartan::detail {

// Local rows are in ascending global order, so each local column's part is one contiguous range.
template <class T>
void zero_triangle(DistMatrix<T>& A, bool upper) {
  const Layout& l = A.layout();
  const int myrow = A.grid().myrow(), mycol = A.grid().mycol();
  std::vector<std::int64_t> rows(static_cast<std::size_t>(A.local_rows()));
  for (std::int64_t il = 0; il < A.local_rows(); ++il) rows[static_cast<std::size_t>(il)] = l.global_row(il, myrow);
  for (std::int64_t jl = 0; jl < A.local_cols(); ++jl) {
    const std::int64_t j = l.global_col(jl, mycol);
    T* col = A.data() + jl * A.lld();
    if (upper) {  // rows i < j
      std::fill(col, col + (std::lower_bound(rows.begin(), rows.end(), j) - rows.begin()), T(0));
    } else {  // rows i > j
      std::fill(col + (std::upper_bound(rows.begin(), rows.end(), j) - rows.begin()), col + A.local_rows(), T(0));
    }
  }
}

template <class T>
DistMatrix<T> from_triangle(const DistMatrix<T>& A, bool lower, bool conj) {
  DistMatrix<T> H = working_copy(A);
  zero_triangle(H, /*upper=*/lower);  // keep the triangle that is read
  DistMatrix<T> other = conj ? adjoint(H) : transpose(H);
  other.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
    if (i == j) x = T(0);
  });
  axpy(T(1), other, H);
  return H;
}

double checked_tolerance(const std::optional<double>& v, double fallback, const char* func, const char* name) {
  if (!v) return fallback;
  if (!(*v >= 0))  // also catches NaN
    throw InvalidArgument(std::string(func) + ": " + name + " is " + std::to_string(*v) +
                          ", expected a non-negative number");
  return *v;
}

std::string singular_message(const char* func, std::int64_t index) {
  return std::string(func) + ": singular matrix: U(" + std::to_string(index) + "," + std::to_string(index) +
         ") is exactly zero";
}

#define TARTAN_INSTANTIATE(T)                           \
  template void zero_triangle<T>(DistMatrix<T>&, bool); \
  template DistMatrix<T> from_triangle<T>(const DistMatrix<T>&, bool, bool);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
