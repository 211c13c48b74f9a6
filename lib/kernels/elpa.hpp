#pragma once
// Hermitian eigenproblems by ELPA (one or two stages), on ScaLAPACK's layout.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "kernels/common.hpp"
#include "kernels/hermitian_eig.hpp"

namespace tartan::detail {

/// Whether ELPA takes W as it is: square, the working layout, every process owning a block
/// row and a block column, more than one process.
template <class T>
bool elpa_serves(const DistMatrix<T>& W);
/// The same for an n x n matrix in nb x nb blocks from process (0, 0) on g.
bool elpa_serves(const Grid& g, std::int64_t n, std::int64_t nb);
/// The block size ELPA is run in for a matrix in nb x nb blocks: at most 32. At n = 2000 on
/// 1x2 its one-stage solver took 0.86 s in blocks of 32 and 0.98-1.09 s in blocks of 64
/// (p?syevd: 1.05-1.17 s in either); the redistributions there and back cost about 0.02 s each.
inline std::int64_t elpa_block(std::int64_t nb) { return std::min<std::int64_t>(nb, 32); }
/// ELPA on the Hermitian matrix H, both triangles set (destroyed; elpa_serves(H)): the lowest
/// nev eigenvalues, and with vectors all n columns of Z, whose first nev are their
/// eigenvectors. std::nullopt, and why, when ELPA reports an error on any process. Collective.
template <class T>
std::optional<EigPair<T>> elpa_eigh(DistMatrix<T>& H, std::int64_t nev, bool two_stage, bool vectors, std::string* why,
                                    const char* func);

}  // namespace tartan::detail
