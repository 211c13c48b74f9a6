#pragma once
// Singular value decomposition and what is built on it: svdvals, pinv, matrix_rank, cond.

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/linalg/options.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The algorithm of svd (scipy.linalg.svd's lapack_driver).
enum class SvdDriver {
  gesdd,  ///< divide and conquer on the bidiagonal (numpy's and scipy's default): p?gebrd, LAPACK
          ///< ?bdsdc on every process, p?ormbr back-transformations; QR first for m >= 1.6 n.
          ///< Tall-skinny A (m >= 50 n, n <= 2048, or the transpose): CholeskyQR (qr's, with
          ///< its fallbacks), R's SVD by LAPACK ?gesdd, U = Q U_R locally
  gesvd,  ///< ScaLAPACK's p?gesvd (QR iteration): slower, no replicated n x n factors
};
/// "gesdd" or "gesvd".
const char* driver_name(SvdDriver d);

struct SvdOptions {
  bool full_matrices = false;           ///< u m x m and vh n x n instead of m x k and k x n (numpy's default is true;
                                        ///< false saves the memory of the completion, as scipy users ask for)
  bool check_finite = true;             ///< throw NonFiniteInput for NaN/Inf in A
  SvdDriver driver = SvdDriver::gesdd;  ///< gesdd falls back to gesvd when its replicated factors do
                                        ///< not fit in memory or ?bdsdc fails; the result says so
};

/// u, s, vh, and which algorithm made them. Unpacks as `auto [u, s, vh] = svd(A)`.
template <class T>
struct SvdResult {
  DistMatrix<T> u;
  std::vector<real_t<T>> s;  ///< descending, on every rank
  DistMatrix<T> vh;
  SvdDriver driver = SvdDriver::gesdd;  ///< the algorithm that produced the result
  std::string fallback;                 ///< why gesdd fell back to gesvd; empty when it did not

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return u;
    else if constexpr (I == 1)
      return s;
    else
      return vh;
  }
  template <std::size_t I>
  const auto& get() const& {
    if constexpr (I == 0)
      return u;
    else if constexpr (I == 1)
      return s;
    else
      return vh;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(u);
    else if constexpr (I == 1)
      return std::move(s);
    else
      return std::move(vh);
  }
};

/// A = U diag(s) Vh. Throws NoConvergence, NonFiniteInput. Collective.
template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts = {});
/// Singular values only, descending (scipy.linalg.svdvals): the values-only path of
/// the divide-and-conquer driver (p?gebrd and the bidiagonal's dqds), p?gesvd on fallback;
/// for tall-skinny A, the values of CholeskyQR's R.
template <class T>
std::vector<real_t<T>> svdvals(const DistMatrix<T>& A, CheckOptions opts = {});

/// Options of pinv (scipy.linalg.pinv's): singular values at most atol + rtol * s_max
/// are treated as zero.
struct PinvOptions {
  std::optional<double> atol;  ///< absolute cutoff; unset: 0
  std::optional<double> rtol;  ///< relative cutoff; unset: max(m, n) * eps
  bool check_finite = true;
};
/// The Moore-Penrose pseudo-inverse via the SVD. NaN or negative tolerances throw
/// InvalidArgument. Collective.
template <class T>
DistMatrix<T> pinv(const DistMatrix<T>& A, PinvOptions opts = {});

/// Options of matrix_rank (numpy.linalg.matrix_rank's): at most one of tol and rtol.
struct RankOptions {
  std::optional<double> tol;   ///< absolute cutoff
  std::optional<double> rtol;  ///< relative cutoff, times s_max
  bool check_finite = true;    ///< neither given: s_max * max(m, n) * eps, numpy's default
};
/// Number of singular values above the cutoff. NaN, negative or both tolerances throw
/// InvalidArgument. Collective.
template <class T>
std::int64_t matrix_rank(const DistMatrix<T>& A, RankOptions opts = {});

/// The 2-norm condition number s_max / s_min (inf when s_min is 0), numpy.linalg.cond(A).
/// Throws InvalidArgument for an empty A. Collective.
template <class T>
real_t<T> cond(const DistMatrix<T>& A);
/// The condition number in the Frobenius, 1 or inf norm: ||A|| ||inv(A)|| computed
/// exactly (inf for singular A), numpy.linalg.cond(A, p). Square A only. Collective.
template <class T>
real_t<T> cond(const DistMatrix<T>& A, Norm kind);

}  // namespace tartan

// The tuple protocol of SvdResult: `auto [u, s, vh] = svd(A)` binds the three factors.
template <class T>
struct std::tuple_size<tartan::SvdResult<T>> : std::integral_constant<std::size_t, 3> {};
template <std::size_t I, class T>
struct std::tuple_element<I, tartan::SvdResult<T>> {
  using type = std::conditional_t<I == 1, std::vector<tartan::real_t<T>>, tartan::DistMatrix<T>>;
};
