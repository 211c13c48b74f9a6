#pragma once
// Hermitian eigenproblems by ScaLAPACK: p?syevd/p?heevd, p?syevr/p?heevr, p?syev/p?heev,
// and the reduction of the generalized problem (p?sygst/p?hegst).

#include <utility>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

/// Which eigenpairs heev computes: all ('A'), by value range ('V', (vl, vu]) or by 1-based index ('I', il..iu).
struct EigRange {
  char range = 'A';
  double vl = 0, vu = 0;
  int il = 0, iu = 0;
};
/// The eigenvalues (ascending, the same on every rank) and eigenvectors of a Hermitian problem.
template <class T>
using EigPair = std::pair<std::vector<real_t<T>>, DistMatrix<T>>;
/// Eigen-decomposition of the Hermitian matrix W (destroyed): all pairs by p?syevd/p?heevd
/// (by p?syevr/p?heevr when mrrr is set), subsets by p?syevr/p?heevr, values only by
/// p?syev/p?heev. Returns the eigenvalues (ascending, the same on every rank) and, when
/// vectors is set, the eigenvectors (n x found) in W's layout.
template <class T>
EigPair<T> heev(DistMatrix<T>& W, bool lower, const EigRange& r, bool vectors, const char* func, bool mrrr = false);
/// C := L^-1 C L^-H (or U^-H C U^-1) for the generalized problem (p?sygst/p?hegst); returns
/// the scale the eigenvalues must be multiplied by.
template <class T>
real_t<T> hegst(DistMatrix<T>& C, const DistMatrix<T>& L, bool lower, const char* func);

}  // namespace tartan::detail
