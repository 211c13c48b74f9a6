// BLAS-like operations over PBLAS.

#include "tartan/blas.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "detail.hpp"
#include "scalapack.hpp"

namespace tartan {

namespace {

std::int64_t op_rows(std::int64_t m, std::int64_t n, Op op) { return op == Op::none ? m : n; }
std::int64_t op_cols(std::int64_t m, std::int64_t n, Op op) { return op == Op::none ? n : m; }

// Real matrices have no conjugate: adjoint is the transpose.
template <class T>
char op_char(Op op) {
  if constexpr (!detail::is_complex_v<T>)
    if (op == Op::adjoint) return 'T';
  return static_cast<char>(op);
}

template <class T>
void scale_window(View<T> C, T beta) {
  auto& M = C.matrix();
  const auto w = detail::local_window(C);
  for (std::int64_t jl = w.c0; jl < w.c1; ++jl)
    for (std::int64_t il = w.r0; il < w.r1; ++il) {
      T& x = M.data()[il + jl * M.lld()];
      x = beta == T(0) ? T(0) : beta * x;
    }
}

}  // namespace

template <class T>
void gemm(std::type_identity_t<T> alpha, View<const T> A, Op opA, std::type_identity_t<View<const T>> B, Op opB,
          std::type_identity_t<T> beta, std::type_identity_t<View<T>> C) {
  detail::require_same_grid(A.grid(), B.grid(), "gemm", "A", "B");
  detail::require_same_grid(A.grid(), C.grid(), "gemm", "A", "C");
  const std::int64_t m = op_rows(A.rows(), A.cols(), opA), k = op_cols(A.rows(), A.cols(), opA);
  const std::int64_t kb = op_rows(B.rows(), B.cols(), opB), n = op_cols(B.rows(), B.cols(), opB);
  if (k != kb || C.rows() != m || C.cols() != n)
    throw InvalidArgument("gemm: op(A) is " + detail::shape(m, k) + ", op(B) is " + detail::shape(kb, n) +
                          " and C is " + detail::shape(C) + ", expected op(A) mxk, op(B) kxn and C mxn");
  if (m == 0 || n == 0) return;
  if (k == 0) {
    scale_window<T>(C, beta);
    return;
  }
  detail::sl::gemm(op_char<T>(opA), op_char<T>(opB), static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
                   alpha, A.matrix().data(), A.ia(), A.ja(), A.matrix().descriptor().data(), B.matrix().data(),
                   B.ia(), B.ja(), B.matrix().descriptor().data(), beta, C.matrix().data(), C.ia(), C.ja(),
                   C.matrix().descriptor().data());
}

template <class T>
DistMatrix<T> matmul(const DistMatrix<T>& A, const DistMatrix<T>& B) {
  detail::require_same_grid(A.grid(), B.grid(), "matmul", "A", "B");
  if (A.cols() != B.rows())
    throw InvalidArgument("matmul: A is " + detail::shape(A) + " and B is " + detail::shape(B) +
                          ", expected A.cols() == B.rows()");
  DistMatrix<T> C(A.grid(), A.rows(), B.cols(), Block{A.block().mb, B.block().nb});
  gemm<T>(T(1), A, Op::none, B, Op::none, T(0), C);
  return C;
}

namespace {
template <class T>
DistMatrix<T> transposed(const DistMatrix<T>& A, bool conj) {
  DistMatrix<T> C(A.grid(), A.cols(), A.rows(), Block{A.block().nb, A.block().mb});
  if (A.rows() > 0 && A.cols() > 0)
    detail::sl::tran(conj, static_cast<int>(A.cols()), static_cast<int>(A.rows()), T(1), A.data(), 1, 1,
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
  detail::sl::geadd('N', static_cast<int>(A.rows()), static_cast<int>(A.cols()), alpha, A.data(), 1, 1,
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

template <class T>
real_t<T> norm(View<const T> A, Norm kind) {
  if (A.rows() == 0 || A.cols() == 0) return real_t<T>(0);
  const auto& M = A.matrix();
  std::vector<real_t<T>> work(static_cast<std::size_t>(M.local_rows() + M.local_cols() + M.block().mb +
                                                       M.block().nb + 1));
  return detail::sl::lange(static_cast<char>(kind), static_cast<int>(A.rows()), static_cast<int>(A.cols()),
                           M.data(), A.ia(), A.ja(), M.descriptor().data(), work.data());
}

template <class T>
DistMatrix<T> solve_triangular(const DistMatrix<T>& A, const DistMatrix<T>& B, TriangularOptions opts) {
  const char* f = "solve_triangular";
  detail::require_system(A, B, f, /*square=*/true, opts.check_finite);
  if (!opts.unit_diagonal) {
    // First zero on the diagonal, agreed over the grid (LAPACK's ?trtrs does the same check).
    std::int64_t first = A.rows();
    A.for_each_local([&](std::int64_t i, std::int64_t j, const T& x) {
      if (i == j && x == T(0)) first = std::min(first, i);
    });
    first = detail::min_over(A.grid().comm(), first);
    if (first < A.rows())
      throw SingularMatrix(std::string(f) + ": singular matrix: diagonal entry " + std::to_string(first) +
                               " is exactly zero",
                           first);
  }
  DistMatrix<T> X = B.copy();
  if (A.rows() == 0 || B.cols() == 0) return X;
  detail::sl::trsm('L', opts.lower ? 'L' : 'U', op_char<T>(opts.trans), opts.unit_diagonal ? 'U' : 'N',
                   static_cast<int>(B.rows()), static_cast<int>(B.cols()), T(1), A.data(), 1, 1,
                   A.descriptor().data(), X.data(), 1, 1, X.descriptor().data());
  return X;
}

#define TARTAN_INSTANTIATE(T)                                                                              \
  template void gemm<T>(T, View<const T>, Op, View<const T>, Op, T, View<T>);                              \
  template DistMatrix<T> matmul<T>(const DistMatrix<T>&, const DistMatrix<T>&);                            \
  template DistMatrix<T> transpose<T>(const DistMatrix<T>&);                                               \
  template DistMatrix<T> adjoint<T>(const DistMatrix<T>&);                                                 \
  template DistMatrix<T> operator+ <T>(const DistMatrix<T>&, const DistMatrix<T>&);                        \
  template DistMatrix<T> operator- <T>(const DistMatrix<T>&, const DistMatrix<T>&);                        \
  template DistMatrix<T> operator* <T>(T, const DistMatrix<T>&);                                           \
  template void axpy<T>(T, const DistMatrix<T>&, DistMatrix<T>&);                                          \
  template T dot<T>(const DistMatrix<T>&, const DistMatrix<T>&);                                           \
  template real_t<T> norm<T>(View<const T>, Norm);                                                         \
  template DistMatrix<T> solve_triangular<T>(const DistMatrix<T>&, const DistMatrix<T>&, TriangularOptions);
TARTAN_INSTANTIATE(float)
TARTAN_INSTANTIATE(double)
TARTAN_INSTANTIATE(std::complex<float>)
TARTAN_INSTANTIATE(std::complex<double>)

}  // namespace tartan
