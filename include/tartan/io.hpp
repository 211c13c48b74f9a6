#pragma once
// Files: numpy's .npy (parallel, MPI-IO) and Matrix Market (streamed, bounded memory).
// Every function is collective over the grid; errors (IoError, FormatError) are raised on
// every rank with the same message, naming the file and what is wrong. Only regular files
// are read (a FIFO or a device is refused before it is opened, so nothing blocks).
// Writes are crash-safe: a temporary file beside the target is written, every write and
// the final size are checked, it is synced and only then renamed over the target, so a
// full disk or a killed writer leaves the old file or the new one, never a torn one.

#include <cstdint>
#include <string>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The element type of a file, by numpy's name.
enum class Dtype { f4, f8, c8, c16 };

/// "<f4", "<f8", "<c8" or "<c16".
const char* dtype_name(Dtype d) noexcept;

/// The Dtype of T.
template <class T>
constexpr Dtype dtype_of() noexcept {
  if constexpr (std::is_same_v<T, float>)
    return Dtype::f4;
  else if constexpr (std::is_same_v<T, double>)
    return Dtype::f8;
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return Dtype::c8;
  else
    return Dtype::c16;
}

/// What a matrix file holds, from its header alone.
struct FileInfo {
  std::int64_t rows = 0, cols = 0;
  Dtype dtype = Dtype::f8;  ///< integer and bool .npy files: f8, what they are read as
  int ndim = 2;             ///< 1 for a 1-D .npy array (rows x 1); 2 otherwise
};

/// The shape and dtype of an .npy file (1-D arrays are n x 1). Collective: rank 0 reads the
/// header; every rank gets the answer or the same FormatError / IoError.
FileInfo npy_info(const Grid& grid, const std::string& path);

/// The shape and element type of a Matrix Market file: real, integer and pattern are f8,
/// complex is c16. Collective like npy_info.
FileInfo mtx_info(const Grid& grid, const std::string& path);

/// Reads a 1-D (n -> n x 1) or 2-D .npy file (format 1.0, 2.0 or 3.0; dtype <f4, <f8, <c8
/// or <c16; C or Fortran order). Each rank reads only its own blocks. A dtype converts
/// to T when that is lossless (f4 -> f8, real -> complex); otherwise FormatError. Integer
/// and bool files (<i8, numpy's default, and <i4, <i2, |i1, <u8 ... |u1, |b1) are read as
/// float64, as numpy's astype(float64) and from_numpy convert them (exact up to 2^53). The
/// header is parsed as strictly as numpy.load does (a dict of exactly descr, fortran_order
/// and shape), and shapes must be decimal integers: anything else is a FormatError.
template <class T>
DistMatrix<T> load_npy(const Grid& grid, const std::string& path, Block block = {});

/// Options of save_npy.
struct NpySaveOptions {
  bool one_d = false;  ///< write an n x 1 A as numpy's 1-D (n,) array (else InvalidArgument)
};

/// Writes A as a 2-D Fortran-order .npy file that np.load reads (1-D with one_d). Each rank
/// writes its own blocks.
template <class T>
void save_npy(const DistMatrix<T>& A, const std::string& path, NpySaveOptions opts = {});

/// Reads a Matrix Market file: array or coordinate; real, integer, complex or pattern;
/// general, symmetric, skew-symmetric or hermitian. Rank 0 streams the file in chunks and
/// scatters each chunk, so no rank ever holds the whole matrix. Every value is parsed
/// whole (decimal numbers, nan and inf; trailing junk is a FormatError); lines longer than
/// 64 KiB are refused. Complex data into a real T is a FormatError.
template <class T>
DistMatrix<T> load_mtx(const Grid& grid, const std::string& path, Block block = {});

/// Writes A in Matrix Market array format (general), gathering one column panel at a
/// time. NaN and Inf are written as nan, inf and -inf, which load_mtx and scipy read back.
template <class T>
void save_mtx(const DistMatrix<T>& A, const std::string& path);

}  // namespace tartan
