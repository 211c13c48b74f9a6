#pragma once
// Scaled residuals of the field's testers (ScaLAPACK, HPL), computed with Eigen on gathered
// matrices: what every correctness check in the suite compares against its threshold. And
// the serial references (reference.cpp), compiled once in double precision.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <limits>
#include <vector>

#include "tartan/types.hpp"

namespace tartan_test {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// Unit roundoff of T's real type.
template <class T>
double eps() {
  return static_cast<double>(std::numeric_limits<tartan::real_t<T>>::epsilon()) / 2;
}

template <class M>
double inf_norm(const M& a) {
  return a.size() == 0 ? 0.0 : double(a.cwiseAbs().rowwise().sum().maxCoeff());
}
template <class M>
double one_norm(const M& a) {
  return a.size() == 0 ? 0.0 : double(a.cwiseAbs().colwise().sum().maxCoeff());
}

/// op(a): a, its transpose or its conjugate transpose.
template <class T>
Mat<T> op_of(const Mat<T>& a, tartan::Op op) {
  if (op == tartan::Op::transpose) return a.transpose();
  if (op == tartan::Op::adjoint) return a.adjoint();
  return a;
}

/// HPL: ||Ax - b||_inf / (eps (||A||_inf ||x||_inf + ||b||_inf) n); 0 for empty systems.
template <class T>
double solve_residual(const Mat<T>& a, const Mat<T>& x, const Mat<T>& b) {
  if (a.rows() == 0 || b.cols() == 0) return 0;
  const double d = eps<T>() * (inf_norm(a) * inf_norm(x) + inf_norm(b)) * double(a.rows());
  const double r = inf_norm(Mat<T>(a * x - b));
  return d == 0 ? (r == 0 ? 0 : HUGE_VAL) : r / d;
}

/// ||Q^H Q - I||_1 / (eps max(rows, 1)).
template <class T>
double orthogonality(const Mat<T>& q) {
  if (q.cols() == 0) return 0;
  const Mat<T> e = q.adjoint() * q - Mat<T>::Identity(q.cols(), q.cols());
  return one_norm(e) / (eps<T>() * double(std::max<Eigen::Index>(q.rows(), 1)));
}

/// ||A - B||_1 / (eps ||A||_1 max(m, n)), with ||A|| = 1 for a zero A.
template <class T>
double recon(const Mat<T>& a, const Mat<T>& b) {
  if (a.size() == 0) return 0;
  const double an = one_norm(a) > 0 ? one_norm(a) : 1.0;
  return one_norm(Mat<T>(a - b)) / (eps<T>() * an * double(std::max(a.rows(), a.cols())));
}

/// Singular values of a, descending (Eigen's BDCSVD in double precision).
template <class T>
std::vector<double> ref_svdvals(const Mat<T>& a);
/// Eigenvalues of the Hermitian a (its lower triangle), ascending.
template <class T>
std::vector<double> ref_eigvalsh(const Mat<T>& a);
/// Eigenvalues of the general a (Eigen's complex Schur form in complex<double>), unordered.
template <class T>
std::vector<std::complex<double>> ref_eigvals(const Mat<T>& a);
/// Eigenvalues of the Hermitian-definite pencil a - w b, ascending.
template <class T>
std::vector<double> ref_eigvalsh(const Mat<T>& a, const Mat<T>& b);
/// The minimum-norm least-squares solution of a x = b, singular values below
/// rcond * s_max dropped (rcond < 0: max(m, n) times double's epsilon).
template <class T>
Mat<T> ref_lstsq(const Mat<T>& a, const Mat<T>& b, double rcond = -1);
/// The first a.cols() columns of the Q of a's Householder QR: orthonormal columns.
template <class T>
Mat<T> ref_orthonormal_columns(const Mat<T>& a);
/// det(a) by partial-pivoting LU in complex<double>; 1 for an empty a.
template <class T>
std::complex<double> ref_det(const Mat<T>& a);
struct RefSlogdet {
  std::complex<double> sign = 1.0;
  double logabsdet = 0;
};
/// sign and log|det| of a, as numpy's slogdet, from the same LU.
template <class T>
RefSlogdet ref_slogdet(const Mat<T>& a);

/// a^-1 by partial-pivoting LU in the wider precision (complex<double> or double).
template <class T>
Mat<T> ref_inverse(const Mat<T>& a);
/// f(h) = V diag(f(w)) V^H for the Hermitian h (its lower triangle), in double precision.
template <class T>
Mat<T> ref_hermitian_apply(const Mat<T>& h, const std::function<double(double)>& f);

/// True for a finite value at most threshold (NaN fails).
inline bool passes(double resid, double threshold) { return resid <= threshold && resid == resid; }

}  // namespace tartan_test
