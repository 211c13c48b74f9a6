#pragma once
// A block 1-norm estimator for products of distributed matrices (lib/linalg/functions.cpp).

#include <vector>

#include "tartan/dist_matrix.hpp"

namespace tartan::detail {

/// An estimate of ||F[0] F[1] ... F[k-1]||_1 for square matrices of one size on one grid,
/// never forming the product: Higham & Tisseur's block estimator (SIMAX 2000, Algorithm
/// 2.4; scipy's onenormest) with 2 columns, at most 5 steps, each applying the product and
/// its adjoint to n x 2 blocks. A lower bound, almost always within a factor 3 and usually
/// exact. Collective; the result is the same on every rank.
template <class T>
double onenormest_product(const std::vector<const DistMatrix<T>*>& F);

}  // namespace tartan::detail
