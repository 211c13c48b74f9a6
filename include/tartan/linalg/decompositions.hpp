#pragma once
// scipy.linalg's explicit decompositions and subspaces: lu (P, L, U), rq, orth, null_space.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// Options of lu (scipy.linalg.lu's keywords).
struct PluOptions {
  bool permute_l = false;    ///< return P L in l (p empty), as scipy's permute_l=True
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
};

/// A = P L U for any m x n A (k = min(m, n)): P m x m, L m x k unit lower trapezoidal,
/// U k x n upper trapezoidal. perm holds the same permutation as indices on every rank:
/// row i of A is row perm[i] of L U (scipy 1.11's p_indices: A = L[perm] @ U).
template <class T>
struct PluResult {
  DistMatrix<T> p, l, u;
  std::vector<std::int64_t> perm;
};

/// LU with partial pivoting, unpacked (scipy.linalg.lu): p?getrf on a copy, then L and U
/// split out and P built from the pivots. A singular A is factored (U has a zero on its
/// diagonal), as scipy. With permute_l, l is P L (one product) and p is 0 x 0. Throws
/// InvalidArgument, NonFiniteInput. Collective.
template <class T>
PluResult<T> lu(const DistMatrix<T>& A, PluOptions opts = {});

/// scipy.linalg.rq's modes for an m x n A (k = min(m, n)): full (R m x n, Q n x n), r (R
/// only, m x n), economic (R m x k, Q k x n).
enum class RqMode { full, r, economic };
struct RqOptions {
  RqMode mode = RqMode::full;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
};
/// A = R Q with R upper trapezoidal (its diagonal ends at the bottom-right corner) and Q
/// with orthonormal rows. Unpacks as `auto [r, q] = rq(A)`, as scipy returns them.
template <class T>
struct RqResult {
  DistMatrix<T> r;
  DistMatrix<T> q;  ///< 0 x 0 in mode r

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return r;
    else
      return q;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(r);
    else
      return std::move(q);
  }
};
/// RQ (scipy.linalg.rq): p?gerqf on a copy, Q by p?orgrq/p?ungrq (LAPACK's on one
/// process). Throws InvalidArgument, NonFiniteInput. Collective.
template <class T>
RqResult<T> rq(const DistMatrix<T>& A, RqOptions opts = {});

/// Options of orth and null_space (scipy.linalg's).
struct SubspaceOptions {
  /// Singular values below rcond * s_max count as zero; unset: eps * max(m, n), as scipy.
  std::optional<double> rcond;
  bool check_finite = true;
};

/// An orthonormal basis of A's range (scipy.linalg.orth): the left singular vectors of the
/// singular values above the cutoff, m x r. Collective.
template <class T>
DistMatrix<T> orth(const DistMatrix<T>& A, SubspaceOptions opts = {});

/// An orthonormal basis of A's null space (scipy.linalg.null_space): the right singular
/// vectors (of the full SVD) past the last singular value above the cutoff, n x (n - r).
/// Collective.
template <class T>
DistMatrix<T> null_space(const DistMatrix<T>& A, SubspaceOptions opts = {});

}  // namespace tartan

template <class T>
struct std::tuple_size<tartan::RqResult<T>> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I, class T>
struct std::tuple_element<I, tartan::RqResult<T>> {
  using type = tartan::DistMatrix<T>;
};
