// Products: gemm on views (p?gemm) and matmul.

#include <string>

#include "bindings/blas.hpp"
#include "bindings/pblas.hpp"
#include "core/checks.hpp"
#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"

namespace tartan {

namespace {

std::int64_t op_rows(std::int64_t m, std::int64_t n, Op op) { return op == Op::none ? m : n; }
std::int64_t op_cols(std::int64_t m, std::int64_t n, Op op) { return op == Op::none ? n : m; }

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

// True when the windows a and c of the same matrix share an entry.
template <class T>
bool overlap(View<const T> a, View<T> c) {
  if (static_cast<const void*>(&a.matrix()) != static_cast<const void*>(&c.matrix())) return false;
  const bool rows = a.row_offset() < c.row_offset() + c.rows() && c.row_offset() < a.row_offset() + a.rows();
  const bool cols = a.col_offset() < c.col_offset() + c.cols() && c.col_offset() < a.col_offset() + a.cols();
  return rows && cols;
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
  // p?gemm reads A and B while it writes C: an operand that shares entries with C is
  // copied first (every rank sees the same views, so every rank copies alike).
  if (overlap<T>(A, C) || overlap<T>(B, C)) {
    const DistMatrix<T> Ac = overlap<T>(A, C) ? copy<T>(A) : DistMatrix<T>(A.grid(), 0, 0);
    const DistMatrix<T> Bc = overlap<T>(B, C) ? copy<T>(B) : DistMatrix<T>(B.grid(), 0, 0);
    gemm<T>(alpha, overlap<T>(A, C) ? View<const T>(Ac) : A, opA, overlap<T>(B, C) ? View<const T>(Bc) : B, opB, beta,
            C);
    return;
  }
  if (C.grid().size() == 1) {  // one process holds every operand whole: BLAS itself, as numpy
    auto at = [](auto v) { return v.matrix().data() + v.row_offset() + v.col_offset() * v.matrix().lld(); };
    detail::blas::gemm(detail::fortran::op_char<T>(opA), detail::fortran::op_char<T>(opB), static_cast<int>(m),
                       static_cast<int>(n), static_cast<int>(k), alpha, at(A), static_cast<int>(A.matrix().lld()),
                       at(B), static_cast<int>(B.matrix().lld()), beta, at(C), static_cast<int>(C.matrix().lld()));
    return;
  }
  detail::pblas::gemm(detail::fortran::op_char<T>(opA), detail::fortran::op_char<T>(opB), static_cast<int>(m),
                      static_cast<int>(n), static_cast<int>(k), alpha, A.matrix().data(), A.ia(), A.ja(),
                      A.matrix().descriptor().data(), B.matrix().data(), B.ia(), B.ja(), B.matrix().descriptor().data(),
                      beta, C.matrix().data(), C.ia(), C.ja(), C.matrix().descriptor().data());
}

template <class T>
DistMatrix<T> matmul(const DistMatrix<T>& A, const DistMatrix<T>& B) {
  const detail::watchdog::Scope watch("matmul", [&] { return detail::watchdog::describe(A); });
  detail::require_same_grid(A.grid(), B.grid(), "matmul", "A", "B");
  if (A.cols() != B.rows())
    throw InvalidArgument("matmul: A is " + detail::shape(A) + " and B is " + detail::shape(B) +
                          ", expected A.cols() == B.rows()");
  DistMatrix<T> C(A.grid(), A.rows(), B.cols(), Block{A.block().mb, B.block().nb});
  gemm<T>(T(1), A, Op::none, B, Op::none, T(0), C);
  return C;
}

#define TARTAN_INSTANTIATE(T)                                                 \
  template void gemm<T>(T, View<const T>, Op, View<const T>, Op, T, View<T>); \
  template DistMatrix<T> matmul<T>(const DistMatrix<T>&, const DistMatrix<T>&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
