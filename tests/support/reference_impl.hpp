#pragma once
// The serial references of the suite (reference.hpp), compiled once: Eigen's decompositions
// in double precision (complex<double> for complex types), whatever the type under test.
// Computing the reference more accurately than the routine under test only sharpens the
// check, and instantiating Eigen's SVD and eigensolvers here, once, instead of for four
// types in every test file is most of the suite's build time saved. Included by
// reference_real.cpp and reference_complex.cpp, which compile in parallel.

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "reference.hpp"

namespace tartan_test {

namespace {

template <class T>
using wide_t = std::conditional_t<tartan::is_complex_v<T>, std::complex<double>, double>;

template <class T>
Mat<wide_t<T>> widen(const Mat<T>& a) {
  return a.template cast<wide_t<T>>();
}

}  // namespace

template <class T>
std::vector<double> ref_svdvals(const Mat<T>& a) {
  std::vector<double> s;
  if (a.size() == 0) return s;
  Eigen::BDCSVD<Mat<wide_t<T>>> svd(widen(a));
  for (Eigen::Index i = 0; i < svd.singularValues().size(); ++i) s.push_back(svd.singularValues()(i));
  return s;
}

template <class T>
std::vector<double> ref_eigvalsh(const Mat<T>& a) {
  std::vector<double> w;
  if (a.size() == 0) return w;
  Eigen::SelfAdjointEigenSolver<Mat<wide_t<T>>> es(widen(a), Eigen::EigenvaluesOnly);
  for (Eigen::Index i = 0; i < es.eigenvalues().size(); ++i) w.push_back(es.eigenvalues()(i));
  return w;
}

template <class T>
std::vector<double> ref_eigvalsh(const Mat<T>& a, const Mat<T>& b) {
  std::vector<double> w;
  if (a.size() == 0) return w;
  Eigen::GeneralizedSelfAdjointEigenSolver<Mat<wide_t<T>>> es(widen(a), widen(b), Eigen::EigenvaluesOnly);
  for (Eigen::Index i = 0; i < es.eigenvalues().size(); ++i) w.push_back(es.eigenvalues()(i));
  return w;
}

template <class T>
Mat<T> ref_lstsq(const Mat<T>& a, const Mat<T>& b, double rcond) {
  if (a.cols() == 0 || b.cols() == 0) return Mat<T>::Zero(a.cols(), b.cols());
  if (a.rows() == 0) return Mat<T>::Zero(a.cols(), b.cols());
  using W = wide_t<T>;
  Eigen::BDCSVD<Mat<W>> svd(widen(a), Eigen::ComputeThinU | Eigen::ComputeThinV);
  if (rcond < 0) rcond = std::numeric_limits<double>::epsilon() * double(std::max(a.rows(), a.cols()));
  svd.setThreshold(rcond);
  const Mat<W> x = svd.solve(widen(b));
  return x.template cast<T>();
}

template <class T>
Mat<T> ref_orthonormal_columns(const Mat<T>& a) {
  using W = wide_t<T>;
  Eigen::HouseholderQR<Mat<W>> qr(widen(a));
  const Mat<W> q = qr.householderQ() * Mat<W>::Identity(a.rows(), a.cols());
  return q.template cast<T>();
}

template <class T>
std::complex<double> ref_det(const Mat<T>& a) {
  if (a.rows() == 0) return 1.0;
  const Mat<std::complex<double>> w = a.template cast<std::complex<double>>();
  return Eigen::PartialPivLU<Mat<std::complex<double>>>(w).determinant();
}

template <class T>
RefSlogdet ref_slogdet(const Mat<T>& a) {
  RefSlogdet out;
  if (a.rows() == 0) return out;
  const Mat<std::complex<double>> w = a.template cast<std::complex<double>>();
  Eigen::PartialPivLU<Mat<std::complex<double>>> lu(w);
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    const std::complex<double> u = lu.matrixLU()(i, i);
    out.logabsdet += std::log(std::abs(u));
    out.sign *= u / std::abs(u);
  }
  out.sign *= double(lu.permutationP().determinant());
  return out;
}

template <class T>
Mat<T> ref_inverse(const Mat<T>& a) {
  return Mat<T>(widen(a).partialPivLu().inverse().template cast<T>());
}

template <class T>
Mat<T> ref_hermitian_apply(const Mat<T>& h, const std::function<double(double)>& f) {
  if (h.size() == 0) return h;
  Eigen::SelfAdjointEigenSolver<Mat<wide_t<T>>> es(widen(h));
  const Mat<wide_t<T>> v = es.eigenvectors();
  const Eigen::VectorXd fw = es.eigenvalues().unaryExpr(f);
  return Mat<T>((v * fw.cast<wide_t<T>>().asDiagonal() * v.adjoint()).template cast<T>());
}

template <class T>
std::vector<std::complex<double>> ref_eigvals(const Mat<T>& a) {
  const Eigen::ComplexEigenSolver<Mat<std::complex<double>>> es(a.template cast<std::complex<double>>(), false);
  std::vector<std::complex<double>> w(static_cast<std::size_t>(a.rows()));
  for (Eigen::Index i = 0; i < a.rows(); ++i) w[static_cast<std::size_t>(i)] = es.eigenvalues()(i);
  return w;
}

#define TARTAN_TEST_REFERENCE(T)                                              \
  template std::vector<std::complex<double>> ref_eigvals<T>(const Mat<T>&);   \
  template std::vector<double> ref_svdvals<T>(const Mat<T>&);                 \
  template std::vector<double> ref_eigvalsh<T>(const Mat<T>&);                \
  template std::vector<double> ref_eigvalsh<T>(const Mat<T>&, const Mat<T>&); \
  template Mat<T> ref_lstsq<T>(const Mat<T>&, const Mat<T>&, double);         \
  template Mat<T> ref_orthonormal_columns<T>(const Mat<T>&);                  \
  template std::complex<double> ref_det<T>(const Mat<T>&);                    \
  template RefSlogdet ref_slogdet<T>(const Mat<T>&);                          \
  template Mat<T> ref_inverse<T>(const Mat<T>&);                              \
  template Mat<T> ref_hermitian_apply<T>(const Mat<T>&, const std::function<double(double)>&);

}  // namespace tartan_test
