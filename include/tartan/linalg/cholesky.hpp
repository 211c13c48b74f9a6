#pragma once
// Cholesky factorization and its reusable form (numpy.linalg.cholesky, scipy.linalg.cho_factor).

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

struct CholeskyOptions {
  /// Read the lower triangle and return L with A = L L^H; false reads the upper and gives
  /// U with A = U^H U. The default is numpy.linalg.cholesky's (which returns L);
  /// scipy.linalg.cholesky and cho_factor default to the upper triangle: pass
  /// .lower = false for their behaviour.
  bool lower = true;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
};

/// The Cholesky factor of Hermitian positive definite A, the other triangle zero.
/// Only the chosen triangle of A is read. Throws NotPositiveDefinite (order() is the
/// order of the failing leading minor), InvalidArgument, NonFiniteInput. Collective.
template <class T>
DistMatrix<T> cholesky(const DistMatrix<T>& A, CholeskyOptions opts = {});
/// The same on an rvalue, as scipy's overwrite_a=True: factors in A's storage when its
/// layout serves ScaLAPACK. A is left an empty 0x0 matrix whether the call returns or throws.
template <class T>
DistMatrix<T> cholesky(DistMatrix<T>&& A, CholeskyOptions opts = {});

/// A Cholesky factorization kept to solve many right-hand sides (scipy.linalg.cho_factor).
template <class T>
class Cholesky {
 public:
  /// X with A X = B. Throws InvalidArgument for B on another grid or with the wrong rows.
  DistMatrix<T> solve(const DistMatrix<T>& B) const;
  /// The factor, with the unused triangle holding A's original entries (as LAPACK).
  const DistMatrix<T>& factor() const noexcept { return c_; }
  bool lower() const noexcept { return lower_; }

  /// For the library: wraps a factor computed by cho_factor.
  static Cholesky make(DistMatrix<T> c, bool lower) { return Cholesky(std::move(c), lower); }

 private:
  Cholesky(DistMatrix<T> c, bool lower) : c_(std::move(c)), lower_(lower) {}
  DistMatrix<T> c_;
  bool lower_;
};

/// Factors A for repeated solves; options and errors as cholesky(). Collective.
template <class T>
Cholesky<T> cho_factor(const DistMatrix<T>& A, CholeskyOptions opts = {});

}  // namespace tartan
