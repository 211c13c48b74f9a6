#pragma once
// Matrix functions (scipy.linalg.expm, sqrtm, funm; numpy.linalg.matrix_power, multi_dot),
// built from Tartan's distributed products, LU and eigh, so they run wherever those do.

#include <cstdint>
#include <functional>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/linalg/options.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The matrix exponential of square A (scipy.linalg.expm): Al-Mohy & Higham's scaling and
/// squaring with Pade degrees 3, 5, 7, 9 or 13 (SIMAX 31(3), 2009), the algorithm scipy
/// uses. The norms of the powers of A that choose the degree are computed exactly from the
/// products the approximant needs (plus A^8 and A^10 when degree 13 is in question), and
/// the 1-norms of |A|^(2m+1) that guard against overscaling exactly with 2m+1 products by a
/// vector. About 6-9 products of n x n matrices, one LU solve with n right-hand sides and s
/// squarings. Single precision computes in double and rounds the result. Throws
/// InvalidArgument (not square), NonFiniteInput. Collective.
template <class T>
DistMatrix<T> expm(const DistMatrix<T>& A, CheckOptions opts = {});

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

/// Options of funm_hermitian and sqrtm.
struct FunmOptions {
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
};

/// f(A) = V diag(f(w)) V^H for Hermitian (real: symmetric) A = V diag(w) V^H (eigh), f called
/// once per eigenvalue, on every rank alike. A is checked: ||A - A^H||_1 must be within
/// 100 n eps ||A||_1, else InvalidArgument (scipy's funm takes any matrix through its Schur
/// form; Tartan's general Schur form is not there yet). Collective.
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
///   convergence in 64 steps): LinAlgError / NoConvergence saying so, never a wrong answer.
/// Throws InvalidArgument (not square), NonFiniteInput. Collective.
template <class T>
DistMatrix<T> sqrtm(const DistMatrix<T>& A, FunmOptions opts = {});

}  // namespace tartan
