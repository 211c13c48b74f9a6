#pragma once
// Helpers shared by the linalg families: working copies in the layout ScaLAPACK needs,
// triangles, and the checks of a single-matrix argument.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/checks.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/dist_matrix.hpp"
#include "tartan/linalg/svd.hpp"

namespace tartan::detail {

/// The layout every ScaLAPACK routine is called on: square blocks of A's column block size
/// (the factorizations need MB == NB) starting at process (0, 0). Several routines of
/// Debian's ScaLAPACK 2.2.1 give wrong results with the first block elsewhere (p?gesvd,
/// p?syevd and p?syevr return values wrong by order 1 with Source{0, 1} on 1x2), so every
/// routine gets this layout and results come out in it.
template <class T>
bool in_working_layout(const DistMatrix<T>& A) {
  return A.block().mb == A.block().nb && A.source() == Source{};
}
template <class T>
DistMatrix<T> working_copy(const DistMatrix<T>& A) {
  if (in_working_layout(A)) return A.copy();
  return redistribute(A, A.grid(), Block{A.block().nb, A.block().nb}, Source{});
}
/// Working storage taken over from an rvalue argument: no copy when it is in the working layout.
template <class T>
DistMatrix<T> working_copy(DistMatrix<T>&& A) {
  if (in_working_layout(A)) return std::move(A);
  return redistribute(A, A.grid(), Block{A.block().nb, A.block().nb}, Source{});
}

/// A copy of B whose rows are distributed like A's (p?getrs, p?potrs and p?gels need the
/// row blocks and the source process row of B to match A's).
template <class T>
DistMatrix<T> rhs_copy(const DistMatrix<T>& B, const DistMatrix<T>& A) {
  if (B.block().mb == A.block().mb && B.source().row == A.source().row) return B.copy();
  return redistribute(B, A.grid(), Block{A.block().mb, B.block().nb}, Source{A.source().row, B.source().col});
}

/// The checks of a single-matrix argument: square when asked, finite when asked.
template <class T>
void check_one(const DistMatrix<T>& A, const char* func, bool square, bool check_finite) {
  if (square) require_square(A, func, "A");
  if (check_finite) require_finite<T>(A, func, "A");
}

/// Zeros the triangle strictly above (upper == true) or below the diagonal.
template <class T>
void zero_triangle(DistMatrix<T>& A, bool upper);

/// A Hermitian (conj) or symmetric matrix rebuilt from one triangle of A.
template <class T>
DistMatrix<T> from_triangle(const DistMatrix<T>& A, bool lower, bool conj);

/// "func: singular matrix: U(i,i) is exactly zero"
std::string singular_message(const char* func, std::int64_t index);

/// The value of an optional tolerance, or fallback when unset. Throws InvalidArgument
/// ("func: name is nan, expected a non-negative number") for NaN or negative values: a NaN
/// cutoff would silently count every singular value as zero.
double checked_tolerance(const std::optional<double>& v, double fallback, const char* func, const char* name);

/// The implementations behind inv, svd and svdvals, named after the function the user
/// called so that errors from nested calls name it (matrix_rank, cond, lstsq, pinv).
template <class T>
DistMatrix<T> inv_impl(const DistMatrix<T>& A, bool check_finite, const char* func);
template <class T>
SvdResult<T> svd_impl(const DistMatrix<T>& A, bool full_matrices, bool check_finite, const char* func,
                      SvdDriver driver = SvdDriver::gesdd);
template <class T>
std::vector<real_t<T>> svdvals_impl(const DistMatrix<T>& A, bool check_finite, const char* func);
/// The singular values of the n x n upper triangle R of a tall-skinny QR, given distributed
/// (r) and as the column-major array every process holds (r_all): LAPACK on one process for
/// n <= r_serial_limit(), where p?gebrd would be latency-bound, else the grid's svdvals.
template <class T>
std::vector<real_t<T>> svdvals_of_r(const DistMatrix<T>& r, const std::vector<T>& r_all, const char* func);

/// numpy's default relative cutoff for singular values: eps * max(m, n).
template <class R>
double default_rtol(std::int64_t m, std::int64_t n) {
  return static_cast<double>(std::numeric_limits<R>::epsilon()) * static_cast<double>(std::max(m, n));
}

/// getrf's pivots (ipiv, this process's ScaLAPACK array for W) as 0-based global rows on
/// every rank, the first k of them: row i was interchanged with row piv[i]. Collective.
template <class T>
std::vector<std::int64_t> global_pivots(const DistMatrix<T>& W, const std::vector<int>& ipiv, std::int64_t k);

}  // namespace tartan::detail
