#pragma once
// The small vocabulary types every other header uses: element types, operation and norm
// flags, block sizes and the source process. No MPI, no Eigen.

#include <complex>
#include <cstdint>
#include <type_traits>

namespace tartan {

/// The element types Tartan supports: float, double, complex<float>, complex<double>.
template <class T>
concept Scalar = std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, std::complex<float>> ||
    std::is_same_v<T, std::complex<double>>;

namespace detail {
template <class T>
struct RealOf {
  using type = T;
};
template <class T>
struct RealOf<std::complex<T>> {
  using type = T;
};
}  // namespace detail

/// The real type of T: float for float and complex<float>, double for double and complex<double>.
template <class T>
using real_t = typename detail::RealOf<T>::type;

/// True for complex<float> and complex<double>.
template <class T>
inline constexpr bool is_complex_v = !std::is_same_v<T, real_t<T>>;

/// How an operand enters a product or a solve: as is, transposed, or conjugate-transposed.
/// For real types adjoint and transpose are the same.
enum class Op : char { none = 'N', transpose = 'T', adjoint = 'C' };

/// Matrix norms: Frobenius, max column sum (1), max row sum (inf), max |a_ij|.
enum class Norm : char { fro = 'F', one = '1', inf = 'I', max = 'M' };

/// Block size of a distribution. 0 means the library default: a zero member takes the
/// other member's value, and both zero give 64 x 64 (measured fastest for LU on 2-4 ranks
/// of small nodes; pass larger blocks for big nodes).
struct Block {
  std::int64_t mb = 0;
  std::int64_t nb = 0;
  friend bool operator==(const Block&, const Block&) = default;
};

/// The built-in default block edge (measured fastest for LU on small nodes: nb 32-96 at
/// n = 4000 on 1x2 and 2x1 here, bench/README.md).
inline constexpr std::int64_t default_block_size = 64;
/// The block edge a Block member of 0 resolves to: TARTAN_NB when it is set (a whole number
/// from 1 to 1048576, the same on every rank; read by the Environment, which refuses
/// anything else on every rank), else default_block_size. The cluster's HPL.dat NB, for
/// every matrix a program creates without a block of its own.
std::int64_t default_block() noexcept;

/// Grid coordinates of the process that holds the first block (ScaLAPACK's RSRC, CSRC).
struct Source {
  int row = 0;
  int col = 0;
  friend bool operator==(const Source&, const Source&) = default;
};

}  // namespace tartan
