#pragma once
// Every linalg function that reads matrices also takes windows of them: a View (const or
// not) wherever a DistMatrix is read, e.g. det(A.view(0, 0, k, k)), solve(A.view(...), B),
// lstsq(A, B.view(...)). The window is copied into a matrix of its own and the function
// runs on that copy. That is no extra cost: these functions copy their input anyway so as
// to leave it untouched, and the window's copy is handed over as an rvalue (the overloads
// that take DistMatrix&& factor it in place). Collective, with the same errors as the
// DistMatrix forms.

#include <concepts>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>

#include "tartan/create.hpp"
#include "tartan/linalg/cholesky.hpp"
#include "tartan/linalg/decompositions.hpp"
#include "tartan/linalg/eig.hpp"
#include "tartan/linalg/eigh.hpp"
#include "tartan/linalg/functions.hpp"
#include "tartan/linalg/inv.hpp"
#include "tartan/linalg/lstsq.hpp"
#include "tartan/linalg/lu.hpp"
#include "tartan/linalg/mixed.hpp"
#include "tartan/linalg/qr.hpp"
#include "tartan/linalg/solve.hpp"
#include "tartan/linalg/svd.hpp"
#include "tartan/linalg/triangular.hpp"
#include "tartan/view.hpp"

namespace tartan {

namespace detail {

template <class V>
struct is_view : std::false_type {};
template <class T>
struct is_view<View<T>> : std::true_type {};
/// A View<T> or View<const T>.
template <class V>
concept a_view = is_view<std::remove_cvref_t<V>>::value;
template <class M>
struct is_matrix : std::false_type {};
template <class T>
struct is_matrix<DistMatrix<T>> : std::true_type {};
/// A DistMatrix or a View: what a two-matrix function takes in either place.
template <class M>
concept matrix_or_view = a_view<M> || is_matrix<std::remove_cvref_t<M>>::value;

/// A matrix as it is (no copy); a view as a copy of its window.
template <class T>
const DistMatrix<T>& as_matrix(const DistMatrix<T>& a) {
  return a;
}
template <class T>
DistMatrix<std::remove_const_t<T>> as_matrix(View<T> v) {
  return copy(v);
}

}  // namespace detail

// One-matrix functions: f(view, options) == f(copy(view), options).
#define TARTAN_VIEW_FORM(func, Opts)                    \
  template <detail::a_view V>                           \
  auto func(const V& A, Opts opts = {}) {               \
    return func(detail::as_matrix(A), std::move(opts)); \
  }
TARTAN_VIEW_FORM(cholesky, CholeskyOptions)
TARTAN_VIEW_FORM(cho_factor, CholeskyOptions)
TARTAN_VIEW_FORM(lu, PluOptions)
TARTAN_VIEW_FORM(orth, SubspaceOptions)
TARTAN_VIEW_FORM(null_space, SubspaceOptions)
TARTAN_VIEW_FORM(eigh, EighOptions)
TARTAN_VIEW_FORM(eigvalsh, EighOptions)
TARTAN_VIEW_FORM(expm, FunmOptions)
TARTAN_VIEW_FORM(sqrtm, FunmOptions)
TARTAN_VIEW_FORM(logm, FunmOptions)
TARTAN_VIEW_FORM(signm, FunmOptions)
TARTAN_VIEW_FORM(polar, PolarOptions)
TARTAN_VIEW_FORM(inv, CheckOptions)
TARTAN_VIEW_FORM(lu_factor, LuOptions)
TARTAN_VIEW_FORM(det, CheckOptions)
TARTAN_VIEW_FORM(slogdet, CheckOptions)
TARTAN_VIEW_FORM(qr, QrOptions)
TARTAN_VIEW_FORM(svd, SvdOptions)
TARTAN_VIEW_FORM(svdvals, CheckOptions)
TARTAN_VIEW_FORM(pinv, PinvOptions)
TARTAN_VIEW_FORM(matrix_rank, RankOptions)
TARTAN_VIEW_FORM(rq, RqOptions)
TARTAN_VIEW_FORM(hessenberg, HessenbergOptions)
#undef TARTAN_VIEW_FORM

// Two-matrix functions: either argument a view, the other a view or a matrix.
#define TARTAN_VIEW_FORM2(func, Opts)                                                                      \
  template <detail::matrix_or_view MA, detail::matrix_or_view MB>                                          \
  requires(detail::a_view<MA> || detail::a_view<MB>) auto func(const MA& A, const MB& B, Opts opts = {}) { \
    return func(detail::as_matrix(A), detail::as_matrix(B), std::move(opts));                              \
  }
TARTAN_VIEW_FORM2(solve, SolveOptions)
TARTAN_VIEW_FORM2(lstsq, LstsqOptions)
TARTAN_VIEW_FORM2(solve_triangular, TriangularOptions)
TARTAN_VIEW_FORM2(solve_mixed, MixedOptions)
TARTAN_VIEW_FORM2(eigh, EighOptions)
TARTAN_VIEW_FORM2(eigvalsh, EighOptions)
#undef TARTAN_VIEW_FORM2

// Functions without an options struct: the other arguments (cond's Norm, matrix_power's k)
// pass through.
#define TARTAN_VIEW_FORM_ARGS(func)                                 \
  template <detail::a_view V, class... Args>                        \
  auto func(const V& A, Args&&... args) {                           \
    return func(detail::as_matrix(A), std::forward<Args>(args)...); \
  }
TARTAN_VIEW_FORM_ARGS(eig)
TARTAN_VIEW_FORM_ARGS(eigvals)
TARTAN_VIEW_FORM_ARGS(schur)
TARTAN_VIEW_FORM_ARGS(schur_complex)
TARTAN_VIEW_FORM_ARGS(cond)
TARTAN_VIEW_FORM_ARGS(matrix_power)
#undef TARTAN_VIEW_FORM_ARGS

/// funm_hermitian of a window.
template <detail::a_view V, class F>
auto funm_hermitian(const V& A, F&& f, FunmOptions opts = {}) {
  using T = typename std::remove_cvref_t<V>::value_type;
  return funm_hermitian<T>(detail::as_matrix(A), std::function<real_t<T>(real_t<T>)>(std::forward<F>(f)), opts);
}

}  // namespace tartan
