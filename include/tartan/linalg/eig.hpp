#pragma once
// The nonsymmetric eigenproblem (numpy.linalg.eig, eigvals) and scipy.linalg's schur and
// hessenberg.
//
// How: A is balanced (diagonal scaling by powers of 2, as LAPACK's ?gebal does; no
// permutation), reduced to Hessenberg form (p?gehrd, Q by p?ormhr/p?unmhr) and to Schur
// form, T = Z^H A Z: pdhseqr (multishift QR with aggressive early deflation) for real
// types; for complex types p?lahqr, since ScaLAPACK 2.2.1 has no p?hseqr (p?lahqr has no
// aggressive early deflation and is several times slower than the real routine). T is then
// replicated on every process (n^2 per rank, agreed before it is allocated) and each
// process runs LAPACK's ?trevc3 for the eigenvectors it holds, V = Z X by one product:
// ScaLAPACK's own p?trevc was 40-50x slower and has no overflow scaling. On one process, and
// for matrices in one block, LAPACK's ?geev, ?gees and ?gehrd run directly, as numpy.
//
// Every function refuses NaN and Inf with NonFiniteInput (pdhseqr never returns on them;
// this check cannot be switched off), and throws NoConvergence when the QR algorithm
// fails. Results come out on A's grid in square blocks of A's column block size (at least
// 6, the smallest pdhseqr and p?lahqr accept), starting at process (0, 0).

#include <complex>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// Eigenvalues and right eigenvectors: A v[:, i] = w[i] v[:, i]. Unpacks as
/// `auto [w, v] = eig(A)`.
template <class T>
struct EigResult {
  using C = std::complex<real_t<T>>;
  std::vector<C> w;  ///< on every rank, in the order of the Schur form's diagonal; a real
                     ///< matrix's complex pairs come as (a + bi, a - bi)
  DistMatrix<C> v;   ///< n x n, unit 2-norm columns, largest component real (as numpy)

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return w;
    else
      return v;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(w);
    else
      return std::move(v);
  }
};

/// numpy.linalg.eig. Throws InvalidArgument (not square), NonFiniteInput, NoConvergence,
/// OutOfMemory (when the replicated Schur form does not fit). Collective.
template <class T>
EigResult<T> eig(const DistMatrix<T>& A);

/// The eigenvalues and eigenvectors of Z T Z^H from its Schur form: T upper triangular, or
/// for real types quasi-triangular (as schur returns it; 2 x 2 blocks are brought to
/// standard form), Z unitary, both n x n on one grid. The second half of eig: T replicated
/// on every process, LAPACK's ?trevc3 on each process's columns, V = Z X, unit columns.
/// For users who keep a Schur form. Throws InvalidArgument (shapes, grids, entries below
/// the subdiagonal), NonFiniteInput, OutOfMemory. Collective.
template <class T>
EigResult<T> eig_from_schur(const DistMatrix<T>& T_, const DistMatrix<T>& Z);

/// numpy.linalg.eigvals: the eigenvalues alone (no Schur vectors, no replication).
template <class T>
std::vector<std::complex<real_t<T>>> eigvals(const DistMatrix<T>& A);

/// A = Z T Z^H. Unpacks as `auto [t, z] = schur(A)`.
template <class U>
struct SchurResult {
  DistMatrix<U> t;  ///< the Schur form
  DistMatrix<U> z;  ///< unitary (orthogonal) Schur vectors

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return t;
    else
      return z;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(t);
    else
      return std::move(z);
  }
};

/// scipy.linalg.schur(a, output='real'): for real A the real Schur form (upper
/// quasi-triangular, 2 x 2 blocks in standard form for complex pairs: equal diagonal,
/// off-diagonal of opposite signs); for complex A the complex one. No balancing (scipy's
/// ?gees permutes only). Collective.
template <class T>
SchurResult<T> schur(const DistMatrix<T>& A);

/// scipy.linalg.schur(a, output='complex'): the upper triangular complex Schur form, for real
/// A by turning each 2 x 2 block triangular with a unitary rotation (scipy's rsf2csf). A
/// separate name because a C++ result type is fixed at compile time. Collective.
template <class T>
SchurResult<std::complex<real_t<T>>> schur_complex(const DistMatrix<T>& A);

/// Options of hessenberg (scipy.linalg.hessenberg's calc_q).
struct HessenbergOptions {
  bool calc_q = false;
};
/// A = Q H Q^H with H upper Hessenberg (zeros below the first subdiagonal).
template <class T>
struct HessenbergResult {
  DistMatrix<T> h;
  DistMatrix<T> q;  ///< 0 x 0 unless calc_q
};
/// scipy.linalg.hessenberg. Collective.
template <class T>
HessenbergResult<T> hessenberg(const DistMatrix<T>& A, HessenbergOptions opts = {});

}  // namespace tartan

template <class T>
struct std::tuple_size<tartan::EigResult<T>> : std::integral_constant<std::size_t, 2> {};
template <class T>
struct std::tuple_element<0, tartan::EigResult<T>> {
  using type = std::vector<std::complex<tartan::real_t<T>>>;
};
template <class T>
struct std::tuple_element<1, tartan::EigResult<T>> {
  using type = tartan::DistMatrix<std::complex<tartan::real_t<T>>>;
};
template <class U>
struct std::tuple_size<tartan::SchurResult<U>> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I, class U>
struct std::tuple_element<I, tartan::SchurResult<U>> {
  using type = tartan::DistMatrix<U>;
};
