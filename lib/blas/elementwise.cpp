// Transposes (p?tran), sums (p?geadd), scaling, axpy and dot.

#include <string>

#include "bindings/pblas.hpp"
#include "core/agree.hpp"
#include "core/checks.hpp"
#include "core/format.hpp"
#include "core/instantiate.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"

namespace tartan {

namespace {

template <class T>
DistMatrix<T> transposed(const DistMatrix<T>& A, bool conj) {
  DistMatrix<T> C(A.grid(), A.cols(), A.rows(), Block{A.block().nb, A.block().mb});
  if (A.rows() > 0 && A.cols() > 0)
    detail::pblas::tran(conj, static_cast<int>(A.cols()), static_cast<int>(A.rows()), T(1), A.data(), 1, 1,
                        A.descriptor().data(), T(0), C.data(), 1, 1, C.descriptor().data());
  return C;
}

// C := alpha * A + beta * C over PBLAS (any two distributions on one grid).
template <class T>
void add_into(T alpha, const DistMatrix<T>& A, T beta, DistMatrix<T>& C, const char* func) {
  detail::require_same_grid(A.grid(), C.grid(), func, "A", "B");
  if (A.rows() != C.rows() || A.cols() != C.cols())
    throw InvalidArgument(std::string(func) + ": A is " + detail::shape(A) + " and B is " + detail::shape(C) +
                          ", expected equal shapes");
  if (A.rows() == 0 || A.cols() == 0) return;
  detail::pblas::geadd('N', static_cast<int>(A.rows()), static_cast<int>(A.cols()), alpha, A.data(), 1, 1,
                       A.descriptor().data(), beta, C.data(), 1, 1, C.descriptor().data());
}

}  // namespace

template <class T>
DistMatrix<T> transpose(const DistMatrix<T>& A) {
  return transposed(A, false);
}
template <class T>
DistMatrix<T> adjoint(const DistMatrix<T>& A) {
  return transposed(A, true);
}

template <class T>
DistMatrix<T> operator+(const DistMatrix<T>& A, const DistMatrix<T>& B) {
  detail::require_same_grid(A.grid(), B.grid(), "operator+", "A", "B");
  DistMatrix<T> C = A.copy();
  add_into(T(1), B, T(1), C, "operator+");
  return C;
}
template <class T>
DistMatrix<T> operator-(const DistMatrix<T>& A, const DistMatrix<T>& B) {
  detail::require_same_grid(A.grid(), B.grid(), "operator-", "A", "B");
  DistMatrix<T> C = A.copy();
  add_into(T(-1), B, T(1), C, "operator-");
  return C;
}
template <class T>
DistMatrix<T> operator*(std::type_identity_t<T> alpha, const DistMatrix<T>& A) {
  DistMatrix<T> C = A.copy();
  C.local() *= alpha;
  return C;
}

template <class T>
void axpy(std::type_identity_t<T> alpha, const DistMatrix<T>& X, DistMatrix<T>& Y) {
  add_into(alpha, X, T(1), Y, "axpy");
}

template <class T>
T dot(const DistMatrix<T>& X, const DistMatrix<T>& Y) {
  detail::require_same_grid(X.grid(), Y.grid(), "dot", "X", "Y");
  if (X.rows() != Y.rows() || X.cols() != Y.cols())
    throw InvalidArgument("dot: X is " + detail::shape(X) + " and Y is " + detail::shape(Y) +
                          ", expected equal shapes");
  // Same layout: a local dot product and one reduction. Otherwise bring Y to X's layout.
  T local{0};
  if (X.layout() == Y.layout()) {
    local = (X.local().array().conjugate() * Y.local().array()).sum();
  } else {
    auto Yx = redistribute(Y, X.grid(), X.block(), X.source());
    local = (X.local().array().conjugate() * Yx.local().array()).sum();
  }
  T sum{0};
  MPI_Allreduce(&local, &sum, 1, detail::mpi_type<T>(), MPI_SUM, X.grid().comm());
  return sum;
}

namespace detail {

template <class T, class S>
DistMatrix<T> scale_by(const DistMatrix<T>& A, const S* d, std::size_t len, bool rows) {
  const char* func = rows ? "scale_rows" : "scale_columns";
  const auto want = static_cast<std::size_t>(rows ? A.rows() : A.cols());
  const auto n = static_cast<std::int64_t>(len);
  const std::int64_t lo = min_over(A.grid().comm(), n), hi = max_over(A.grid().comm(), n);
  if (lo != hi)
    throw InvalidArgument(std::string(func) + ": the ranks passed vectors of different lengths (" + std::to_string(lo) +
                          " to " + std::to_string(hi) + "); every rank must pass the same vector");
  if (len != want)
    throw InvalidArgument(std::string(func) + ": A is " + shape(A) + " but the vector has " + std::to_string(len) +
                          " entries, expected " + std::to_string(want) +
                          (rows ? " (one per row)" : " (one per column)"));
  DistMatrix<T> C = A.copy();
  C.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x *= T(d[static_cast<std::size_t>(rows ? i : j)]); });
  return C;
}

}  // namespace detail

#define TARTAN_INSTANTIATE(T)                                                                       \
  template DistMatrix<T> detail::scale_by<T, T>(const DistMatrix<T>&, const T*, std::size_t, bool); \
  template DistMatrix<T> transpose<T>(const DistMatrix<T>&);                                        \
  template DistMatrix<T> adjoint<T>(const DistMatrix<T>&);                                          \
  template DistMatrix<T> operator+<T>(const DistMatrix<T>&, const DistMatrix<T>&);                  \
  template DistMatrix<T> operator-<T>(const DistMatrix<T>&, const DistMatrix<T>&);                  \
  template DistMatrix<T> operator*<T>(T, const DistMatrix<T>&);                                     \
  template void axpy<T>(T, const DistMatrix<T>&, DistMatrix<T>&);                                   \
  template T dot<T>(const DistMatrix<T>&, const DistMatrix<T>&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)
template DistMatrix<std::complex<float>> detail::scale_by<std::complex<float>, float>(
    const DistMatrix<std::complex<float>>&, const float*, std::size_t, bool);
template DistMatrix<std::complex<double>> detail::scale_by<std::complex<double>, double>(
    const DistMatrix<std::complex<double>>&, const double*, std::size_t, bool);

}  // namespace tartan
