#pragma once
// Cholesky factorization and its reusable form (numpy.linalg.cholesky, scipy.linalg.cho_factor).

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

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

}  // namespace tartan
