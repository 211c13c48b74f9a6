// Creation (zeros, identity, random), scatter and gather (from_eigen, to_eigen),
// redistribution between layouts and grids, and copies of windows. All over copy_window
// (core/redist.hpp), one MPI_Alltoallv in place of p?gemr2d.

#include "tartan/create.hpp"

#include <mpi.h>

#include <algorithm>
#include <limits>
#include <string>

#include "core/agree.hpp"
#include "core/format.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"
#include "core/redist.hpp"
#include "core/watchdog.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace detail {

void agree_on_function(const Grid& grid, const std::exception_ptr& err) {
  Failure mine;
  if (err)  // f's message, whatever it threw, under the one type every rank can rethrow
    mine = {Failure::invalid_argument, 0,
            "from_function: f failed on rank " + std::to_string(grid.rank()) + ": " + failure_of(err).message};
  agree(grid.comm(), mine);
}

}  // namespace detail

template <class T>
DistMatrix<T> zeros(const Grid& grid, std::int64_t m, std::int64_t n, Block block, Source src) {
  return DistMatrix<T>(grid, m, n, block, src);
}

template <class T>
DistMatrix<T> identity(const Grid& grid, std::int64_t n, Block block, Source src) {
  DistMatrix<T> a(grid, n, n, block, src);
  a.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
    if (i == j) x = T(1);
  });
  return a;
}

namespace {

// A counter-based generator: a strong 64-bit mix of (seed, i, j, part), so an entry
// depends on nothing but its coordinates. Gives 53 random bits mapped to [-1, 1).
inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}
inline double uniform_entry(std::uint64_t seed, std::int64_t i, std::int64_t j, std::uint64_t part) {
  std::uint64_t h = mix64(seed + 0x9e3779b97f4a7c15ULL);
  h = mix64(h ^ (static_cast<std::uint64_t>(i) * 0xd1b54a32d192ed03ULL));
  h = mix64(h ^ (static_cast<std::uint64_t>(j) * 0x8cb92ba72f3d8dd7ULL + part));
  return static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
}

}  // namespace

template <class T>
DistMatrix<T> random(const Grid& grid, std::int64_t m, std::int64_t n, std::uint64_t seed, Block block, Source src) {
  DistMatrix<T> a(grid, m, n, block, src);
  a.for_each_local([seed](std::int64_t i, std::int64_t j, T& x) {
    if constexpr (is_complex_v<T>)
      x = T(static_cast<real_t<T>>(uniform_entry(seed, i, j, 0)), static_cast<real_t<T>>(uniform_entry(seed, i, j, 1)));
    else
      x = static_cast<T>(uniform_entry(seed, i, j, 0));
  });
  return a;
}

namespace {

void require_root(const Grid& grid, int root, const char* func) {
  if (root < 0 || root >= grid.size())
    throw InvalidArgument(std::string(func) + ": root is " + std::to_string(root) + ", expected a rank in [0, " +
                          std::to_string(grid.size()) + ")");
}

// Descriptor of an m x n column-major matrix held whole by rank root of grid: one block
// that covers it, starting at root's grid coordinates.
std::array<int, 9> whole_on_root(const Grid& grid, std::int64_t m, std::int64_t n, int root, const char* func) {
  if (m > 0 && n > std::numeric_limits<int>::max() / m)
    throw InvalidArgument(std::string(func) + ": a " + detail::shape(m, n) +
                          " matrix on one rank exceeds ScaLAPACK's 32-bit local indexing");
  const Layout whole(m, n, Block{std::max<std::int64_t>(m, 1), std::max<std::int64_t>(n, 1)}, grid.prows(),
                     grid.pcols(), Source{root / grid.pcols(), root % grid.pcols()});
  return whole.descriptor(grid.blacs_context(), std::max<std::int64_t>(m, 1));
}

}  // namespace

template <class T>
DistMatrix<T> from_eigen(const Grid& grid, const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& M, int root,
                         Block block) {
  require_root(grid, root, "from_eigen");
  std::int64_t mn[2] = {M.rows(), M.cols()};
  MPI_Bcast(mn, 2, MPI_INT64_T, root, grid.comm());
  DistMatrix<T> a(grid, mn[0], mn[1], block);
  if (mn[0] == 0 || mn[1] == 0) return a;
  const auto d = whole_on_root(grid, mn[0], mn[1], root, "from_eigen");
  T dummy{};
  const T* src = grid.rank() == root ? M.data() : &dummy;
  detail::copy_window(mn[0], mn[1], src, 1, 1, d.data(), grid, a.data(), 1, 1, a.descriptor().data(), grid);
  return a;
}

template <class T>
Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen(View<const T> A, int root) {
  const detail::watchdog::Scope watch("to_eigen", [&] { return detail::watchdog::describe(A.matrix()); });
  const Grid& grid = A.grid();
  require_root(grid, root, "to_eigen");
  const std::int64_t m = A.rows(), n = A.cols();
  const auto d = whole_on_root(grid, m, n, root, "to_eigen");
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> out;
  // Only root allocates, so a failure there must reach the others before the copy starts.
  const std::int64_t bytes = m * n * static_cast<std::int64_t>(sizeof(T));
  detail::agreed_allocation(grid, grid.rank() == root ? bytes : 0,
                            "to_eigen: the whole " + detail::shape(m, n) + " matrix on rank " + std::to_string(root),
                            bytes >= detail::agreed_allocation_threshold, [&] {
                              if (grid.rank() == root) out.resize(m, n);
                            });
  if (m == 0 || n == 0) return out;
  T dummy{};
  T* dst = grid.rank() == root ? out.data() : &dummy;
  detail::copy_window(m, n, A.matrix().data(), A.ia(), A.ja(), A.matrix().descriptor().data(), grid, dst, 1, 1,
                      d.data(), grid);
  return out;
}

namespace {

void require_same_processes(const Grid& a, const Grid& b, const char* func) {
  if (a == b) return;
  int cmp = MPI_UNEQUAL;
  MPI_Comm_compare(a.comm(), b.comm(), &cmp);
  if (cmp == MPI_UNEQUAL)
    throw InvalidArgument(std::string(func) + ": the grids span different processes (" + std::to_string(a.size()) +
                          " and " + std::to_string(b.size()) + " ranks), expected grids over the same processes");
}

}  // namespace

template <class T>
DistMatrix<T> redistribute(View<const T> A, const Grid& grid2, Block block, Source src) {
  const detail::watchdog::Scope watch("redistribute", [&] { return detail::watchdog::describe(A.matrix()); });
  require_same_processes(A.grid(), grid2, "redistribute");
  DistMatrix<T> b(grid2, A.rows(), A.cols(), block, src);
  detail::copy_window(A.rows(), A.cols(), A.matrix().data(), A.ia(), A.ja(), A.matrix().descriptor().data(), A.grid(),
                      b.data(), 1, 1, b.descriptor().data(), grid2);
  return b;
}

template <class T>
DistMatrix<T> copy(View<const T> A) {
  const auto& M = A.matrix();
  if (A.rows() == M.rows() && A.cols() == M.cols()) return M.copy();
  return redistribute<T>(A, A.grid(), M.block(), M.source());
}

template <class T>
void assign(View<T> dst, View<const T> src) {
  if (dst.rows() != src.rows() || dst.cols() != src.cols())
    throw InvalidArgument("assign: destination is " + detail::shape(dst) + " but source is " + detail::shape(src) +
                          ", expected equal shapes");
  require_same_processes(src.grid(), dst.grid(), "assign");
  detail::copy_window(src.rows(), src.cols(), src.matrix().data(), src.ia(), src.ja(), src.matrix().descriptor().data(),
                      src.grid(), dst.matrix().data(), dst.ia(), dst.ja(), dst.matrix().descriptor().data(),
                      dst.grid());
}

#define TARTAN_INSTANTIATE(T)                                                                                     \
  template DistMatrix<T> zeros<T>(const Grid&, std::int64_t, std::int64_t, Block, Source);                        \
  template DistMatrix<T> identity<T>(const Grid&, std::int64_t, Block, Source);                                   \
  template DistMatrix<T> random<T>(const Grid&, std::int64_t, std::int64_t, std::uint64_t, Block, Source);        \
  template DistMatrix<T> from_eigen<T>(const Grid&, const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>&, int, \
                                       Block);                                                                    \
  template Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen<T>(View<const T>, int);                      \
  template DistMatrix<T> redistribute<T>(View<const T>, const Grid&, Block, Source);                              \
  template DistMatrix<T> copy<T>(View<const T>);                                                                  \
  template void assign<T>(View<T>, View<const T>);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
