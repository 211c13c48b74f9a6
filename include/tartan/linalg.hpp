#pragma once
// numpy.linalg / scipy.linalg for distributed matrices (ScaLAPACK underneath).
//
// Every function is collective over its arguments' grid, leaves its inputs untouched
// (ScaLAPACK works on copies), and throws the same exception with the same message on
// every rank: InvalidArgument for shapes and grids, NonFiniteInput for NaN/Inf when
// check_finite is on (the default; checked before ScaLAPACK sees the data), and the
// LinAlgError family for numerical failures. Small results (eigenvalues, singular values,
// determinants) are returned on every rank.
//
// Results are laid out like their inputs where that is possible; routines that need
// square blocks (ScaLAPACK's MB == NB) work on a copy in A's column block size.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "tartan/blas.hpp"
#include "tartan/dist_matrix.hpp"

namespace tartan {

/// What solve() may assume about A (scipy.linalg.solve's assume_a).
enum class Structure { general, symmetric, hermitian, positive_definite };

struct SolveOptions {
  /// general: LU with partial pivoting. positive_definite: Cholesky. symmetric/hermitian:
  /// A is rebuilt from one triangle and solved by LU with partial pivoting (ScaLAPACK has no
  /// distributed Bunch-Kaufman; LU is backward stable for indefinite matrices too).
  Structure assume = Structure::general;
  /// For symmetric, hermitian and positive_definite: read the lower triangle (else upper,
  /// scipy's default).
  bool lower = false;
  bool check_finite = true;
};

/// X with A X = B. Throws InvalidArgument (A not square, rows of B != rows of A),
/// SingularMatrix (index of the first exactly-zero pivot), NotPositiveDefinite.
template <class T>
DistMatrix<T> solve(const DistMatrix<T>& A, const DistMatrix<T>& B, SolveOptions opts = {});

/// sign and log|det| (numpy.linalg.slogdet): det = sign * exp(logabsdet). For a
/// singular matrix sign is 0 and logabsdet is -inf.
template <class T>
struct SlogdetResult {
  T sign;
  real_t<T> logabsdet;
};

/// An LU factorization with partial pivoting, P A = L U, kept to solve many right-hand sides.
template <class T>
class LU {
 public:
  /// X with op(A) X = B. Throws SingularMatrix when U has an exactly zero pivot.
  DistMatrix<T> solve(const DistMatrix<T>& B, Op trans = Op::none) const;
  /// det(A) (0 when singular); computed from log|u_ii| so no intermediate overflow.
  T det() const;
  SlogdetResult<T> slogdet() const;
  /// L (unit lower, not stored on the diagonal) and U packed in one matrix, as LAPACK.
  const DistMatrix<T>& factors() const noexcept { return lu_; }
  /// This process's ScaLAPACK pivot array (1-based global rows), for direct ScaLAPACK calls.
  const std::vector<int>& local_pivots() const noexcept { return ipiv_; }
  /// 0-based index of the first exactly-zero pivot, or -1.
  std::int64_t singular_index() const noexcept { return singular_; }

  /// For the library: wraps factors computed by lu_factor.
  static LU make(DistMatrix<T> lu, std::vector<int> ipiv, std::int64_t singular) {
    return LU(std::move(lu), std::move(ipiv), singular);
  }

 private:
  LU(DistMatrix<T> lu, std::vector<int> ipiv, std::int64_t singular)
      : lu_(std::move(lu)), ipiv_(std::move(ipiv)), singular_(singular) {}
  DistMatrix<T> lu_;
  std::vector<int> ipiv_;
  std::int64_t singular_;
};

/// LU factorization of square A (scipy.linalg.lu_factor). A singular A does not throw
/// here (as scipy); solve() on it does. Throws InvalidArgument, NonFiniteInput.
template <class T>
LU<T> lu_factor(const DistMatrix<T>& A, bool check_finite = true);
/// The same on an rvalue (std::move(A) or a temporary): works in A's storage instead of a
/// copy, as scipy's overwrite_a. The argument is consumed, also when the call throws.
template <class T>
LU<T> lu_factor(DistMatrix<T>&& A, bool check_finite = true);

struct CholeskyOptions {
  bool lower = true;  ///< A = L L^H (numpy's convention); false gives U with A = U^H U
  bool check_finite = true;
};

/// The Cholesky factor of Hermitian positive definite A, the other triangle zero.
/// Only the chosen triangle of A is read. Throws NotPositiveDefinite (order() is the
/// order of the failing leading minor).
template <class T>
DistMatrix<T> cholesky(const DistMatrix<T>& A, CholeskyOptions opts = {});
/// The same on an rvalue: factors in A's storage (no copy); the argument is consumed.
template <class T>
DistMatrix<T> cholesky(DistMatrix<T>&& A, CholeskyOptions opts = {});

/// A Cholesky factorization kept to solve many right-hand sides (scipy.linalg.cho_factor).
template <class T>
class Cholesky {
 public:
  DistMatrix<T> solve(const DistMatrix<T>& B) const;
  /// The factor, with the unused triangle holding A's original entries (as LAPACK).
  const DistMatrix<T>& factor() const noexcept { return c_; }
  bool lower() const noexcept { return lower_; }

 private:
  template <class U>
  friend Cholesky<U> cho_factor(const DistMatrix<U>&, CholeskyOptions);
  Cholesky(DistMatrix<T> c, bool lower) : c_(std::move(c)), lower_(lower) {}
  DistMatrix<T> c_;
  bool lower_;
};
template <class T>
Cholesky<T> cho_factor(const DistMatrix<T>& A, CholeskyOptions opts = {});

/// numpy.linalg.qr's modes: reduced (Q m x k, R k x n), complete (Q m x m, R m x n),
/// r (R only, k x n); k = min(m, n).
enum class QrMode { reduced, complete, r };

template <class T>
struct QrResult {
  DistMatrix<T> q;  ///< 0 x 0 in mode r
  DistMatrix<T> r;
};

/// A = Q R with orthonormal (unitary) columns of Q and upper-triangular R (Householder).
template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrMode mode = QrMode::reduced, bool check_finite = true);
/// The same on an rvalue: factors in A's storage (no copy); the argument is consumed.
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrMode mode = QrMode::reduced, bool check_finite = true);

template <class T>
struct LstsqResult {
  DistMatrix<T> x;                    ///< n x nrhs
  std::vector<real_t<T>> residuals;   ///< squared 2-norms of B - A x per column when rank == n < m; else empty
  std::int64_t rank;                  ///< effective rank of A
  std::vector<real_t<T>> s;           ///< singular values of A, descending
};

struct LstsqOptions {
  /// Singular values below rcond * s_max count as zero; negative means numpy's default,
  /// eps * max(m, n).
  double rcond = -1;
  bool check_finite = true;
};

/// The minimum-norm least-squares solution of A x = B (numpy.linalg.lstsq), correct for
/// rank-deficient and under-determined A. The singular values are always computed (they
/// are part of the result); when A has full rank the solution is taken from QR/LQ
/// (p?gels), otherwise from the SVD.
template <class T>
LstsqResult<T> lstsq(const DistMatrix<T>& A, const DistMatrix<T>& B, LstsqOptions opts = {});

struct EighOptions {
  bool lower = true;  ///< read the lower triangle (numpy's UPLO='L'); else the upper
  /// Only eigenpairs lo..hi (0-based, inclusive, ascending order), as scipy's subset_by_index.
  std::optional<std::pair<std::int64_t, std::int64_t>> subset_by_index;
  /// Only eigenvalues in the half-open interval (lo, hi], as scipy's subset_by_value.
  std::optional<std::pair<double, double>> subset_by_value;
  bool check_finite = true;
};

template <class T>
struct EighResult {
  std::vector<real_t<T>> eigenvalues;  ///< ascending, on every rank
  DistMatrix<T> eigenvectors;          ///< n x k, column i belongs to eigenvalues[i]
};

/// Eigenvalues and eigenvectors of Hermitian (real symmetric) A: all of them by divide
/// and conquer (p?syevd/p?heevd), a subset by MRRR (p?syevr/p?heevr). Throws NoConvergence.
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, EighOptions opts = {});
/// The generalized problem A x = lambda B x with B Hermitian positive definite; the
/// eigenvectors are B-orthonormal. Throws NotPositiveDefinite for B.
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts = {});
/// Eigenvalues only (ascending).
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, EighOptions opts = {});
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts = {});

struct SvdOptions {
  bool full_matrices = false;  ///< u m x m and vh n x n instead of m x k and k x n
  bool check_finite = true;
};

template <class T>
struct SvdResult {
  DistMatrix<T> u;
  std::vector<real_t<T>> s;  ///< descending, on every rank
  DistMatrix<T> vh;
};

/// A = U diag(s) Vh (p?gesvd). Throws NoConvergence.
template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts = {});
/// Singular values only, descending.
template <class T>
std::vector<real_t<T>> svdvals(const DistMatrix<T>& A, bool check_finite = true);

/// The inverse of square A. Throws SingularMatrix.
template <class T>
DistMatrix<T> inv(const DistMatrix<T>& A, bool check_finite = true);
/// det(A) (1 for 0 x 0), via LU.
template <class T>
T det(const DistMatrix<T>& A, bool check_finite = true);
template <class T>
SlogdetResult<T> slogdet(const DistMatrix<T>& A, bool check_finite = true);

/// The Moore-Penrose pseudo-inverse via the SVD; singular values at most
/// rtol * s_max are treated as zero (negative rtol: max(m, n) * eps).
template <class T>
DistMatrix<T> pinv(const DistMatrix<T>& A, double rtol = -1, bool check_finite = true);
/// Number of singular values above tol (negative tol: s_max * max(m, n) * eps, numpy's default).
template <class T>
std::int64_t matrix_rank(const DistMatrix<T>& A, double tol = -1, bool check_finite = true);
/// The 2-norm condition number s_max / s_min (inf when s_min is 0). Throws InvalidArgument
/// for an empty A.
template <class T>
real_t<T> cond(const DistMatrix<T>& A);
/// The condition number in the Frobenius, 1 or inf norm: ||A|| ||inv(A)|| computed
/// exactly (inf for singular A). Square A only.
template <class T>
real_t<T> cond(const DistMatrix<T>& A, Norm kind);

}  // namespace tartan
