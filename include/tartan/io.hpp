#pragma once
// Files: numpy's .npy (parallel, MPI-IO) and Matrix Market (streamed, bounded memory).
// Every function is collective over the grid; errors (IoError, FormatError) are raised on
// every rank with the same message, naming the file and what is wrong. Writes are
// crash-safe: a temporary file beside the target is written, synced and renamed, so a
// killed writer leaves the old file or the new one, never a torn one.

#include <string>

#include "tartan/dist_matrix.hpp"

namespace tartan {

/// Reads a 1-D (n -> n x 1) or 2-D .npy file (format 1.0, 2.0 or 3.0; dtype <f4, <f8, <c8
/// or <c16; C or Fortran order). Each rank reads only its own blocks. A dtype converts
/// to T when that is lossless (f4 -> f8, real -> complex); otherwise FormatError.
template <class T>
DistMatrix<T> load_npy(const Grid& grid, const std::string& path, Block block = {});

/// Writes A as a 2-D Fortran-order .npy file that np.load reads. Each rank writes its own blocks.
template <class T>
void save_npy(const DistMatrix<T>& A, const std::string& path);

/// Reads a Matrix Market file: array or coordinate; real, integer, complex or pattern;
/// general, symmetric, skew-symmetric or hermitian. Rank 0 streams the file in chunks and
/// scatters each chunk, so no rank ever holds the whole matrix. Complex data into a real
/// T is a FormatError.
template <class T>
DistMatrix<T> load_mtx(const Grid& grid, const std::string& path, Block block = {});

/// Writes A in Matrix Market array format (general), gathering one column panel at a time.
template <class T>
void save_mtx(const DistMatrix<T>& A, const std::string& path);

}  // namespace tartan
