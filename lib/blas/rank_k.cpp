// Rank-k updates of one triangle: herk and syrk (p?herk, p?syrk).

#include <string>

#include "bindings/pblas.hpp"
#include "core/checks.hpp"
#include "core/format.hpp"
#include "core/instantiate.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace {

// PBLAS is called on C in square blocks from process (0, 0) and A in the same blocks;
// arguments in other layouts are copied there (and C's triangle back).
template <class T, class Call>
void rank_k(const char* f, const DistMatrix<T>& A, Op op, DistMatrix<T>& C, bool conj, Call&& call) {
  detail::require_same_grid(A.grid(), C.grid(), f, "A", "C");
  const Op other = conj ? Op::adjoint : Op::transpose;
  const bool real_t_ok = !is_complex_v<T> && (op == Op::adjoint || op == Op::transpose);
  if (op != Op::none && op != other && !real_t_ok)
    throw InvalidArgument(std::string(f) + ": op is " + (op == Op::transpose ? "transpose" : "adjoint") +
                          ", expected none or " + (conj ? "adjoint" : "transpose"));
  const bool trans = op != Op::none;
  const std::int64_t n = trans ? A.cols() : A.rows(), k = trans ? A.rows() : A.cols();
  if (C.rows() != C.cols() || C.rows() != n)
    throw InvalidArgument(std::string(f) + ": op(A) op(A)^H is " + detail::shape(n, n) + " and C is " +
                          detail::shape(C) + ", expected C " + detail::shape(n, n));
  if (n == 0) return;
  const std::int64_t nb = C.block().nb;
  const Block sq{nb, nb};
  const bool c_ok = C.block().mb == nb && C.source() == Source{};
  const bool a_ok = A.block() == sq && A.source() == Source{};
  DistMatrix<T> Cw = c_ok ? DistMatrix<T>(C.grid(), 0, 0) : redistribute(C, C.grid(), sq);
  DistMatrix<T> Aw = a_ok ? DistMatrix<T>(A.grid(), 0, 0) : redistribute(A, A.grid(), sq);
  DistMatrix<T>& c = c_ok ? C : Cw;
  const DistMatrix<T>& a = a_ok ? A : Aw;
  call(trans, static_cast<int>(n), static_cast<int>(k), a, c);
  if (!c_ok) assign<T>(View<T>(C), View<const T>(Cw));
}

}  // namespace

template <class T>
void herk(real_t<T> alpha, const DistMatrix<T>& A, Op op, real_t<T> beta, DistMatrix<T>& C, bool lower) {
  rank_k<T>("herk", A, op, C, true, [&](bool trans, int n, int k, const DistMatrix<T>& a, DistMatrix<T>& c) {
    const char u = detail::fortran::uplo_char(lower);
    if constexpr (is_complex_v<T>)
      detail::pblas::herk(u, trans ? 'C' : 'N', n, k, alpha, a.data(), 1, 1, a.descriptor().data(), beta, c.data(), 1,
                          1, c.descriptor().data());
    else
      detail::pblas::syrk(u, trans ? 'T' : 'N', n, k, alpha, a.data(), 1, 1, a.descriptor().data(), beta, c.data(), 1,
                          1, c.descriptor().data());
  });
}

template <class T>
void syrk(std::type_identity_t<T> alpha, const DistMatrix<T>& A, Op op, std::type_identity_t<T> beta, DistMatrix<T>& C,
          bool lower) {
  rank_k<T>("syrk", A, op, C, false, [&](bool trans, int n, int k, const DistMatrix<T>& a, DistMatrix<T>& c) {
    detail::pblas::syrk(detail::fortran::uplo_char(lower), trans ? 'T' : 'N', n, k, alpha, a.data(), 1, 1,
                        a.descriptor().data(), beta, c.data(), 1, 1, c.descriptor().data());
  });
}

#define TARTAN_INSTANTIATE(T)                                                                  \
  template void herk<T>(real_t<T>, const DistMatrix<T>&, Op, real_t<T>, DistMatrix<T>&, bool); \
  template void syrk<T>(T, const DistMatrix<T>&, Op, T, DistMatrix<T>&, bool);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
