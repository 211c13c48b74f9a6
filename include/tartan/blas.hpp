#pragma once
// BLAS-like operations on distributed matrices (PBLAS underneath).

#include <cstddef>
#include <ranges>
#include <type_traits>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"
#include "tartan/view.hpp"

namespace tartan {

/// C := alpha * op(A) * op(B) + beta * C, in place. A, B and C must be on the same grid
/// with conforming shapes (InvalidArgument naming all three shapes otherwise). C may be a
/// window of the same matrix as A or B, overlapping or not: an operand that shares
/// entries with C is copied first. Collective over the grid.
template <class T>
void gemm(std::type_identity_t<T> alpha, View<const T> A, Op opA, std::type_identity_t<View<const T>> B, Op opB,
          std::type_identity_t<T> beta, std::type_identity_t<View<T>> C);
template <class T>
void gemm(std::type_identity_t<T> alpha, const DistMatrix<T>& A, Op opA, const DistMatrix<T>& B, Op opB,
          std::type_identity_t<T> beta, DistMatrix<T>& C) {
  gemm<T>(alpha, View<const T>(A), opA, View<const T>(B), opB, beta, View<T>(C));
}

/// The product A * B as a new matrix on A's grid, in blocks of A.mb x B.nb.
/// Throws InvalidArgument when A.cols() != B.rows(). Collective.
template <class T>
DistMatrix<T> matmul(const DistMatrix<T>& A, const DistMatrix<T>& B);

/// A^T and A^H as new matrices (block sizes swapped). Collective.
template <class T>
DistMatrix<T> transpose(const DistMatrix<T>& A);
template <class T>
DistMatrix<T> adjoint(const DistMatrix<T>& A);

/// Element-wise sum and difference of matrices of equal shape on the same grid (any
/// block sizes); the result takes A's layout. Collective.
template <class T>
DistMatrix<T> operator+(const DistMatrix<T>& A, const DistMatrix<T>& B);
template <class T>
DistMatrix<T> operator-(const DistMatrix<T>& A, const DistMatrix<T>& B);
/// alpha * A (local work only).
template <class T>
DistMatrix<T> operator*(std::type_identity_t<T> alpha, const DistMatrix<T>& A);

/// A * alpha, A / alpha and -A as new matrices (local work only).
template <class T>
DistMatrix<T> operator*(const DistMatrix<T>& A, std::type_identity_t<T> alpha) {
  return alpha * A;
}
template <class T>
DistMatrix<T> operator/(const DistMatrix<T>& A, std::type_identity_t<T> alpha) {
  DistMatrix<T> C = A.copy();
  C.local() /= alpha;
  return C;
}
template <class T>
DistMatrix<T> operator-(const DistMatrix<T>& A) {
  return T(-1) * A;
}
/// The product of two matrices is matmul(A, B) (numpy's A @ B); * between two matrices
/// does not compile, so that it is never mistaken for the element-wise product.
template <class T>
DistMatrix<T> operator*(const DistMatrix<T>&, const DistMatrix<T>&) {
  static_assert(sizeof(T) == 0, "A * B of two DistMatrix: use tartan::matmul(A, B) (numpy's A @ B)");
  return {};
}

/// Y := alpha * X + Y, in place (same shape, same grid). Collective.
template <class T>
void axpy(std::type_identity_t<T> alpha, const DistMatrix<T>& X, DistMatrix<T>& Y);

/// In place: A += B and A -= B (same shape and grid, any block sizes; collective), A *= alpha
/// and A /= alpha (local work only).
template <class T>
DistMatrix<T>& operator+=(DistMatrix<T>& A, const DistMatrix<T>& B) {
  axpy<T>(T(1), B, A);
  return A;
}
template <class T>
DistMatrix<T>& operator-=(DistMatrix<T>& A, const DistMatrix<T>& B) {
  axpy<T>(T(-1), B, A);
  return A;
}
template <class T>
DistMatrix<T>& operator*=(DistMatrix<T>& A, std::type_identity_t<T> alpha) {
  A.local() *= alpha;
  return A;
}
template <class T>
DistMatrix<T>& operator/=(DistMatrix<T>& A, std::type_identity_t<T> alpha) {
  A.local() /= alpha;
  return A;
}

namespace detail {
template <class T, class S>
DistMatrix<T> scale_by(const DistMatrix<T>& A, const S* d, std::size_t len, bool rows);
template <class R, class T>
concept scale_range = std::ranges::contiguous_range<R> &&
    (std::is_same_v<std::ranges::range_value_t<R>, T> || std::is_same_v<std::ranges::range_value_t<R>, real_t<T>>);
}  // namespace detail

/// diag(d) * A as a new matrix: row i of A times d[i] (numpy's d[:, None] * A). d is any
/// contiguous range (std::vector, std::span, Eigen vector's data via std::span) of A.rows()
/// numbers of A's type, or real numbers for a complex A (eigenvalues), the same on every
/// rank. Local work after one check that every rank passed as many. Collective: a wrong
/// length is InvalidArgument on every rank.
template <class T, class R>
requires detail::scale_range<R, T> DistMatrix<T> scale_rows(const R& d, const DistMatrix<T>& A) {
  return detail::scale_by(A, std::ranges::data(d), std::ranges::size(d), true);
}
/// A * diag(d) as a new matrix: column j of A times d[j] (numpy's A * d), d as in
/// scale_rows with A.cols() numbers. A V = V diag(w) reads matmul(A, V) == scale_columns(V, w).
template <class T, class R>
requires detail::scale_range<R, T> DistMatrix<T> scale_columns(const DistMatrix<T>& A, const R& d) {
  return detail::scale_by(A, std::ranges::data(d), std::ranges::size(d), false);
}

/// sum_ij conj(x_ij) * y_ij of two matrices (or vectors) of equal shape, on every rank.
template <class T>
T dot(const DistMatrix<T>& X, const DistMatrix<T>& Y);

/// C := alpha op(A) op(A)^H + beta C on one triangle of the square C (BLAS ?herk; for real T
/// the same as ?syrk). op is none (C = A A^H, m x m) or adjoint (C = A^H A, n x n, numpy's
/// A.conj().T @ A; Op::transpose means the same for real T). alpha and beta are real; the
/// other triangle of C is left as it was. Throws InvalidArgument for shapes, grids or ops.
/// Collective.
template <class T>
void herk(real_t<T> alpha, const DistMatrix<T>& A, Op op, real_t<T> beta, DistMatrix<T>& C, bool lower = true);
/// C := alpha op(A) op(A)^T + beta C on one triangle of the square C (BLAS ?syrk): no
/// conjugation, also for complex T (complex symmetric C). op is none or transpose.
template <class T>
void syrk(std::type_identity_t<T> alpha, const DistMatrix<T>& A, Op op, std::type_identity_t<T> beta, DistMatrix<T>& C,
          bool lower = true);

/// The norm of A, returned on every rank (0 for an empty matrix). Collective.
template <class T>
real_t<T> norm(View<const T> A, Norm kind = Norm::fro);
template <class T>
real_t<T> norm(const DistMatrix<T>& A, Norm kind = Norm::fro) {
  return norm<T>(View<const T>(A), kind);
}
template <class T>
requires(!std::is_const_v<T>) real_t<T> norm(View<T> A, Norm kind = Norm::fro) {
  return norm<T>(View<const T>(A), kind);
}

}  // namespace tartan
