#pragma once
// Matrix functions (scipy.linalg.expm, sqrtm, funm; numpy.linalg.matrix_power, multi_dot),
// built from Tartan's distributed products, LU and eigh, so they run wherever those do.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/linalg/options.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// A^k (numpy.linalg.matrix_power) by repeated squaring: about 2 log2(k) products. k = 0
/// gives the identity, k < 0 the |k|-th power of inv(A) (SingularMatrix when A is singular).
/// Throws InvalidArgument (not square). Collective.
template <class T>
DistMatrix<T> matrix_power(const DistMatrix<T>& A, std::int64_t k);

/// The product of the matrices in order, associated in the order that costs the fewest
/// flops (numpy.linalg.multi_dot: the matrix-chain rule). At least one matrix; shapes must
/// chain. Throws InvalidArgument naming the first pair that does not. Collective.
template <class T>
DistMatrix<T> multi_dot(const std::vector<const DistMatrix<T>*>& factors);
/// multi_dot(A, B, C, ...).
template <class T, class... More>
DistMatrix<T> multi_dot(const DistMatrix<T>& A, const DistMatrix<T>& B, const More&... more) {
  return multi_dot(std::vector<const DistMatrix<T>*>{&A, &B, &more...});
}

/// What a matrix function did: its route, its steps, and why it left its first route.
/// Filled on every rank alike when FunmOptions::report points to one.
struct FunmReport {
  /// "eigh" (Hermitian A), "pade" (expm), "denman_beavers" or "schur" (sqrtm),
  /// "inverse_scaling_squaring" or "schur" (logm), "newton" (signm), "zero" (expm of 0).
  std::string method;
  int degree = 0;        ///< expm: the Pade degree (3-13); logm: Gauss-Legendre points (6-12)
  int squarings = 0;     ///< expm: squarings s; logm: square roots taken
  int iterations = 0;    ///< Denman-Beavers or Newton steps (logm: over all its square roots)
  std::string fallback;  ///< why the first route was left for method; else empty
};

/// Options of expm, sqrtm, logm, signm and funm_hermitian.
struct FunmOptions {
  bool check_finite = true;      ///< throw NonFiniteInput for NaN/Inf in A
  FunmReport* report = nullptr;  ///< if set, receives what the call did
};

/// The matrix exponential of square A (scipy.linalg.expm): Al-Mohy & Higham's scaling and
/// squaring with Pade degrees 3, 5, 7, 9 or 13 (SIMAX 31(3), 2009), the algorithm scipy
/// uses. The norms of the powers of A that choose the degree come from the products the
/// approximant needs; those of A^8 and A^10 (degree 13 in question) are, from n = 200 on,
/// estimated with Higham and Tisseur's block 1-norm estimator on A4 A4 and A4 A6 without
/// forming them (scipy's choice), and computed exactly below. The 1-norms of |A|^(2m+1)
/// that guard against overscaling are exact (2m+1 products by a vector). About 6-7
/// products of n x n matrices, one LU solve with n right-hand sides and s squarings. Single
/// precision computes in double and rounds the result. opts.report receives the degree and
/// s. Throws InvalidArgument (not square), NonFiniteInput. Collective.
template <class T>
DistMatrix<T> expm(const DistMatrix<T>& A, FunmOptions opts = {});

/// f(A) = V diag(f(w)) V^H for Hermitian (real: symmetric) A = V diag(w) V^H (eigh), f called
/// once per eigenvalue, on every rank alike. A is checked: ||A - A^H||_1 must be within
/// 100 n eps ||A||_1, else InvalidArgument (scipy's funm takes any matrix through Schur-Parlett,
/// which Tartan does not have). Collective.
template <class T>
DistMatrix<T> funm_hermitian(const DistMatrix<T>& A, const std::function<real_t<T>(real_t<T>)>& f,
                             FunmOptions opts = {});

/// V diag(d) V^H: a matrix from eigenvectors V (n x k) and k values d, as eigh's results
/// give back A with d = w. Collective.
template <class T>
DistMatrix<T> compose_eigen(const DistMatrix<T>& V, const std::vector<T>& d);

/// The principal square root of square A (scipy.linalg.sqrtm), X with X X = A.
/// - Hermitian A (as funm_hermitian checks it): through eigh. Positive semidefinite A gives
///   the positive semidefinite root (eigenvalues above -n eps max|w| count as zero); a real
///   symmetric A with a negative eigenvalue has no real root: LinAlgError saying so (pass a
///   complex matrix for the complex root).
/// - Otherwise: the product form of the Denman-Beavers iteration with determinantal scaling
///   (Higham, Functions of Matrices, 2008, section 6.3), one LU and one product per step,
///   quadratic convergence; it is the stable form, unlike Newton's X <- (X + X^-1 A) / 2.
///   Eigenvalues on the closed negative real axis defeat it (a singular step, or no
///   convergence). A real A then raises LinAlgError / NoConvergence saying so (its
///   principal root is complex: pass it as complex).
/// - Complex A goes through its complex Schur form A = Z T Z^H (schur, scipy's route) where
///   Denman-Beavers refuses, takes more than 24 steps (an eigenvalue at angle pi - d takes
///   about log2(1/d); well-separated spectra take 5-14), or its root misses Higham's residual
///   ||X^2 - A||_F <= 1000 n eps ||X||_F^2: the triangular root of T by Bjorck and
///   Hammarling's recurrence on rank 0 (T gathered there, n^2), X = Z R Z^H.
/// - On the negative real axis no principal root exists, and rounding gives such an
///   eigenvalue an imaginary part of either sign. Tartan takes sqrt(-r) = i sqrt(r) for every
///   eigenvalue with Re < 0 and |Im| <= 100 n eps |lambda|: the root scipy returns for a real
///   matrix with negative eigenvalues, whatever rounding did to the complex copy.
/// - A singular A without a square root (a nilpotent part) raises LinAlgError.
/// opts.report receives the route ("eigh", "denman_beavers", "schur"), the Denman-Beavers
/// steps, and why the Schur route was taken.
/// Throws InvalidArgument (not square), NonFiniteInput. Collective.
template <class T>
DistMatrix<T> sqrtm(const DistMatrix<T>& A, FunmOptions opts = {});

/// Which side the Hermitian factor of polar() is on (scipy.linalg.polar's side).
enum class PolarSide { right, left };

/// How polar computes the unitary factor.
///  - svd: from the SVD A = W S V^H (svd's default driver), u = W V^H.
///  - qdwh: the QR-based dynamically weighted Halley iteration (Nakatsukasa, Bai & Gygi,
///    SIMAX 31(5), 2010; Nakatsukasa & Higham, SIMAX 34(3), 2013): X_0 = A / ||A||_F,
///    each step one QR of [sqrt(c) X; I] (2n x n) while the weight c > 100, then one
///    Cholesky of I + c X^H X; at most 6 steps for cond(A) <= 1e16 in double. Only
///    matrix products, QR and Cholesky: no eigensolver. A tall A is reduced by QR first; a
///    wide one goes through its adjoint. The first estimate of sigma_min comes from inv of
///    the (reduced) square A, so a singular A falls back to svd (the result says why).
///  - automatic: svd. On one 2-core node QDWH took 1.3-1.9x the SVD route's time at n = 1000
///    and 2000 (lib/README.md): it does more flops (about 35 n^3 against 20 n^3) and wins
///    where the SVD's bidiagonal reduction is bound by communication, on many nodes.
enum class PolarMethod { automatic, qdwh, svd };
/// "automatic", "qdwh", "svd".
const char* polar_method_name(PolarMethod m) noexcept;

/// Options of polar.
struct PolarOptions {
  PolarSide side = PolarSide::right;  ///< right: A = U P (P n x n); left: A = P U (P m x m)
  bool check_finite = true;           ///< throw NonFiniteInput for NaN/Inf in A
  PolarMethod method = PolarMethod::automatic;
};

/// polar's factors: u (m x n, orthonormal columns, or rows when m < n) and the Hermitian
/// positive semidefinite p, and what made them. `auto [u, p] = polar(A)`.
template <class T>
struct PolarResult {
  DistMatrix<T> u, p;
  PolarMethod method = PolarMethod::svd;  ///< qdwh or svd, never automatic
  int iterations = 0;                     ///< qdwh: steps taken (QR-based ones included)
  int qr_iterations = 0;                  ///< qdwh: of which QR-based
  std::string fallback;                   ///< why qdwh fell back to svd; else empty

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return u;
    else
      return p;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(u);
    else
      return std::move(p);
  }
};

/// The polar decomposition (scipy.linalg.polar) of any m x n A by the method of opts: u
/// as above, p = u^H A (right) or A u^H (left), made exactly Hermitian. Throws
/// InvalidArgument, NonFiniteInput, NoConvergence (as svd). Collective.
template <class T>
PolarResult<T> polar(const DistMatrix<T>& A, PolarOptions opts = {});

/// The principal logarithm of square A (scipy.linalg.logm), X with expm(X) = A.
/// - Hermitian A: through eigh (positive definite A gives a Hermitian log; a real
///   symmetric A with an eigenvalue <= 0 has no real log: LinAlgError saying so).
/// - Otherwise: inverse scaling and squaring without a Schur form (Cheng, Higham, Kenney &
///   Laub, SIMAX 22(4), 2001): square roots (sqrtm's Denman-Beavers) until
///   ||X||_1 = ||A^(1/2^k) - I||_1 <= 0.578, then log(I + X) by the m-point Gauss-Legendre
///   rule, the [m/m] Pade approximant (m LU solves), times 2^k; m (6-12) is the fewest whose
///   Kenney-Laub error bound at ||X||_1 is below unit roundoff.
///   For a real A, eigenvalues on the closed negative real axis (or zero) raise LinAlgError
///   / NoConvergence, as in sqrtm.
/// - Complex A where a square root refuses or is slow, as in sqrtm: the complex Schur form,
///   inverse scaling and squaring on the triangular T on rank 0 (Bjorck-Hammarling roots,
///   the same approximant by triangular solves), X = Z log(T) Z^H. Eigenvalues on or within
///   100 n eps of the negative axis get log(r) + i pi (scipy's logm of a real matrix); a zero
///   eigenvalue raises LinAlgError.
/// opts.report receives the route ("eigh", "inverse_scaling_squaring", "schur"), the square
/// roots taken (squarings), their Denman-Beavers steps and the approximant's degree m.
/// Throws InvalidArgument (not square), NonFiniteInput. Collective.
template <class T>
DistMatrix<T> logm(const DistMatrix<T>& A, FunmOptions opts = {});

/// The matrix sign function of square A (scipy.linalg.signm): S with S^2 = I, commuting with
/// A, the sign of each eigenvalue's real part.
/// - Hermitian A: through eigh.
/// - Otherwise: Newton's iteration X <- (mu X + (mu X)^-1) / 2 with determinantal scaling
///   (Higham 2008, section 5.5), one LU per step.
/// An eigenvalue on (or within rounding of) the imaginary axis leaves the sign undefined:
/// LinAlgError / NoConvergence saying so. opts.report receives the route ("eigh", "newton")
/// and the Newton steps. Throws InvalidArgument, NonFiniteInput. Collective.
template <class T>
DistMatrix<T> signm(const DistMatrix<T>& A, FunmOptions opts = {});

}  // namespace tartan

template <class T>
struct std::tuple_size<tartan::PolarResult<T>> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I, class T>
struct std::tuple_element<I, tartan::PolarResult<T>> {
  using type = tartan::DistMatrix<T>;
};
