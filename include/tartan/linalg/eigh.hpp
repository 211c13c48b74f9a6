#pragma once
// Symmetric and Hermitian eigenproblems, standard and generalized (scipy.linalg.eigh).

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>
#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

struct EighOptions {
  bool lower = true;  ///< read the lower triangle (scipy's and numpy's default); else the upper
  /// Only eigenpairs lo..hi (0-based, inclusive, ascending order), as scipy's subset_by_index.
  std::optional<std::pair<std::int64_t, std::int64_t>> subset_by_index;
  /// Only eigenvalues in the half-open interval (lo, hi], as scipy's subset_by_value.
  /// NaN bounds or lo >= hi throw InvalidArgument.
  std::optional<std::pair<double, double>> subset_by_value;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A (and B)
};

template <class T>
struct EighResult {
  std::vector<real_t<T>> eigenvalues;  ///< ascending, on every rank
  DistMatrix<T> eigenvectors;          ///< n x k, column i belongs to eigenvalues[i]
};

/// Eigenvalues and eigenvectors of Hermitian (real symmetric) A: all of them by divide
/// and conquer (p?syevd/p?heevd), a subset by MRRR (p?syevr/p?heevr). Only the chosen
/// triangle of A is read. Throws InvalidArgument, NonFiniteInput, NoConvergence. Collective.
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

}  // namespace tartan
