// Environment, Grid, Layout, DistMatrix and the creation/redistribution functions.

#include <sched.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "detail.hpp"
#include "scalapack.hpp"
#include "tartan/environment.hpp"

namespace tartan {

// ---- Environment -------------------------------------------------------------------------

namespace {

int parse_thread_count(const char* text, const char* var) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < 1 || v > 4096)
    throw InvalidArgument(std::string("Environment: ") + var + "='" + text + "', expected a whole number from 1 to 4096");
  return static_cast<int>(v);
}

// Cores this rank may use, divided among the ranks of its node whose affinity masks
// overlap its own. mpirun binds each rank to a core by default (one thread each); with
// --bind-to none every rank sees every core and they share them.
int threads_from_affinity(int& cores) {
  cpu_set_t mine;
  CPU_ZERO(&mine);
  if (sched_getaffinity(0, sizeof(mine), &mine) != 0) {
    cores = 1;
    return 1;
  }
  cores = std::max(1, CPU_COUNT(&mine));
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int n = 1;
  MPI_Comm_size(node, &n);
  std::vector<cpu_set_t> all(static_cast<std::size_t>(n));
  MPI_Allgather(&mine, sizeof(cpu_set_t), MPI_BYTE, all.data(), sizeof(cpu_set_t), MPI_BYTE, node);
  MPI_Comm_free(&node);
  int sharing = 0;
  for (auto& other : all) {
    cpu_set_t both;
    CPU_AND(&both, &mine, &other);
    if (CPU_COUNT(&both) > 0) ++sharing;
  }
  return std::max(1, cores / std::max(1, sharing));
}

}  // namespace

Environment::Environment(int& argc, char**& argv) { init(&argc, &argv); }
Environment::Environment() { init(nullptr, nullptr); }

void Environment::init(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns_mpi_ = true;
  }
  int cores = 1;
  const int by_affinity = threads_from_affinity(cores);  // collective: every rank calls it
  cores_ = cores;
  if (const char* t = std::getenv("TARTAN_NUM_THREADS"); t && *t) {
    blas_threads_ = parse_thread_count(t, "TARTAN_NUM_THREADS");
    threads_source_ = "TARTAN_NUM_THREADS";
    openblas_set_num_threads(blas_threads_);
  } else if (const char* o = std::getenv("OPENBLAS_NUM_THREADS"); o && *o) {
    blas_threads_ = openblas_get_num_threads();
    threads_source_ = "OPENBLAS_NUM_THREADS";
  } else {
    blas_threads_ = by_affinity;
    threads_source_ = "affinity";
    openblas_set_num_threads(blas_threads_);
  }
}

Environment::~Environment() {
  if (!owns_mpi_) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

std::string Environment::blas_kernel() const {
  const char* name = openblas_get_corename();
  return name ? std::string(name) : std::string("unknown");
}

// ---- Grid ----------------------------------------------------------------------------------

namespace detail {
struct GridState {
  MPI_Comm comm = MPI_COMM_NULL, row = MPI_COMM_NULL, col = MPI_COMM_NULL;
  int handle = -1, ctxt = -1;
  int prows = 1, pcols = 1, myrow = 0, mycol = 0, rank = 0, size = 1;

  GridState(MPI_Comm parent, int p, int q) : prows(p), pcols(q) {
    MPI_Comm_dup(parent, &comm);
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    handle = Csys2blacs_handle(comm);
    ctxt = handle;
    Cblacs_gridinit(&ctxt, "Row", p, q);
    int np = 0, nq = 0;
    Cblacs_gridinfo(ctxt, &np, &nq, &myrow, &mycol);
    MPI_Comm_split(comm, myrow, mycol, &row);
    MPI_Comm_split(comm, mycol, myrow, &col);
  }
  ~GridState() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return;
    Cblacs_gridexit(ctxt);
    Cfree_blacs_system_handle(handle);
    MPI_Comm_free(&row);
    MPI_Comm_free(&col);
    MPI_Comm_free(&comm);
  }
  GridState(const GridState&) = delete;
  GridState& operator=(const GridState&) = delete;
};
}  // namespace detail

std::pair<int, int> Grid::default_shape(int size) {
  int p = 1;
  for (int d = 1; d * d <= size; ++d)
    if (size % d == 0) p = d;
  return {p, size / std::max(p, 1)};
}

Grid::Grid() : Grid(MPI_COMM_WORLD) {}

Grid::Grid(MPI_Comm comm) {
  int size = 0;
  MPI_Comm_size(comm, &size);
  auto [p, q] = default_shape(size);
  s_ = std::make_shared<detail::GridState>(comm, p, q);
}

Grid::Grid(MPI_Comm comm, int prows, int pcols) {
  int size = 0;
  MPI_Comm_size(comm, &size);
  if (prows < 1 || pcols < 1 || static_cast<std::int64_t>(prows) * pcols != size)
    throw InvalidArgument("Grid: a " + std::to_string(prows) + "x" + std::to_string(pcols) +
                          " grid does not cover the communicator's " + std::to_string(size) +
                          " ranks; expected prows * pcols == " + std::to_string(size));
  s_ = std::make_shared<detail::GridState>(comm, prows, pcols);
}

int Grid::prows() const noexcept { return s_->prows; }
int Grid::pcols() const noexcept { return s_->pcols; }
int Grid::myrow() const noexcept { return s_->myrow; }
int Grid::mycol() const noexcept { return s_->mycol; }
int Grid::rank() const noexcept { return s_->rank; }
int Grid::size() const noexcept { return s_->size; }
MPI_Comm Grid::comm() const noexcept { return s_->comm; }
MPI_Comm Grid::row_comm() const noexcept { return s_->row; }
MPI_Comm Grid::col_comm() const noexcept { return s_->col; }
int Grid::blacs_context() const noexcept { return s_->ctxt; }

// ---- Layout ------------------------------------------------------------------------------

Block resolve_block(Block b) noexcept {
  if (b.mb == 0 && b.nb == 0) return {default_block_size, default_block_size};
  if (b.mb == 0) b.mb = b.nb;
  if (b.nb == 0) b.nb = b.mb;
  return b;
}

std::int64_t numroc(std::int64_t n, std::int64_t nb, int iproc, int isrc, int nprocs) noexcept {
  const std::int64_t mydist = (nprocs + iproc - isrc) % nprocs;
  const std::int64_t nblocks = n / nb;
  std::int64_t num = (nblocks / nprocs) * nb;
  const std::int64_t extra = nblocks % nprocs;
  if (mydist < extra) num += nb;
  else if (mydist == extra) num += n % nb;
  return num;
}

Layout::Layout(std::int64_t m, std::int64_t n, Block block, int prows, int pcols, Source src) {
  block = resolve_block(block);
  if (m < 0 || n < 0)
    throw InvalidArgument("Layout: matrix is " + detail::shape(m, n) + ", expected non-negative sizes");
  if (block.mb < 1 || block.nb < 1)
    throw InvalidArgument("Layout: block is " + detail::shape(block.mb, block.nb) +
                          ", expected positive block sizes (or 0 for the default)");
  if (prows < 1 || pcols < 1)
    throw InvalidArgument("Layout: grid is " + detail::shape(prows, pcols) + ", expected at least 1x1");
  if (src.row < 0 || src.row >= prows || src.col < 0 || src.col >= pcols)
    throw InvalidArgument("Layout: source process (" + std::to_string(src.row) + "," + std::to_string(src.col) +
                          ") is outside the " + detail::shape(prows, pcols) + " grid");
  m_ = m;
  n_ = n;
  mb_ = block.mb;
  nb_ = block.nb;
  prows_ = prows;
  pcols_ = pcols;
  src_ = src;
}

int Layout::row_owner(std::int64_t i) const noexcept { return static_cast<int>((src_.row + i / mb_) % prows_); }
int Layout::col_owner(std::int64_t j) const noexcept { return static_cast<int>((src_.col + j / nb_) % pcols_); }
std::int64_t Layout::local_row(std::int64_t i) const noexcept { return (i / mb_) / prows_ * mb_ + i % mb_; }
std::int64_t Layout::local_col(std::int64_t j) const noexcept { return (j / nb_) / pcols_ * nb_ + j % nb_; }
std::int64_t Layout::global_row(std::int64_t il, int prow) const noexcept {
  const std::int64_t dist = (prows_ + prow - src_.row) % prows_;
  return ((il / mb_) * prows_ + dist) * mb_ + il % mb_;
}
std::int64_t Layout::global_col(std::int64_t jl, int pcol) const noexcept {
  const std::int64_t dist = (pcols_ + pcol - src_.col) % pcols_;
  return ((jl / nb_) * pcols_ + dist) * nb_ + jl % nb_;
}
std::int64_t Layout::local_rows(int prow) const noexcept { return numroc(m_, mb_, prow, src_.row, prows_); }
std::int64_t Layout::local_cols(int pcol) const noexcept { return numroc(n_, nb_, pcol, src_.col, pcols_); }

std::array<int, 9> Layout::descriptor(int ctxt, std::int64_t lld) const {
  const char* f = "descriptor";
  return {1,
          ctxt,
          detail::to_int(m_, f, "rows"),
          detail::to_int(n_, f, "columns"),
          detail::to_int(mb_, f, "row block size"),
          detail::to_int(nb_, f, "column block size"),
          src_.row,
          src_.col,
          detail::to_int(lld, f, "local leading dimension")};
}

// ---- helpers -----------------------------------------------------------------------------

namespace detail {

void* local_alloc(std::size_t bytes) {
  constexpr std::size_t huge = std::size_t(2) << 20;
  void* p = nullptr;
  if (bytes >= 2 * huge) {
    const std::size_t rounded = (bytes + huge - 1) / huge * huge;
    p = std::aligned_alloc(huge, rounded);
    if (p) madvise(p, rounded, MADV_HUGEPAGE);  // a hint: harmless where THP is off
  } else {
    p = std::malloc(bytes == 0 ? 1 : bytes);
  }
  if (!p) throw std::bad_alloc();
  return p;
}
void local_free(void* p) noexcept { std::free(p); }

std::string shape(std::int64_t m, std::int64_t n) { return std::to_string(m) + "x" + std::to_string(n); }

int to_int(std::int64_t v, const char* func, const char* what) {
  if (v > std::numeric_limits<int>::max() || v < std::numeric_limits<int>::min())
    throw InvalidArgument(std::string(func) + ": " + what + " is " + std::to_string(v) +
                          ", beyond ScaLAPACK's 32-bit limit of " + std::to_string(std::numeric_limits<int>::max()));
  return static_cast<int>(v);
}

void require_same_grid(const Grid& a, const Grid& b, const char* func, const char* na, const char* nb) {
  if (!(a == b))
    throw InvalidArgument(std::string(func) + ": " + na + " and " + nb +
                          " are on different grids, expected both on the same Grid");
}

bool any_rank(MPI_Comm comm, bool flag) {
  int in = flag ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, comm);
  return out != 0;
}
std::int64_t min_over(MPI_Comm comm, std::int64_t v) {
  std::int64_t out = v;
  MPI_Allreduce(&v, &out, 1, MPI_INT64_T, MPI_MIN, comm);
  return out;
}

// Local index ranges [r0, r1) x [c0, c1) of this process's entries inside a window.
// Global indices grow with local ones, so the owned part of a window is one local block.
LocalWindow local_window(const Layout& l, int myrow, int mycol, std::int64_t i0, std::int64_t j0,
                         std::int64_t m, std::int64_t n) {
  return {numroc(i0, l.mb(), myrow, l.source().row, l.prows()),
          numroc(i0 + m, l.mb(), myrow, l.source().row, l.prows()),
          numroc(j0, l.nb(), mycol, l.source().col, l.pcols()),
          numroc(j0 + n, l.nb(), mycol, l.source().col, l.pcols())};
}

template <class T>
bool has_nonfinite(View<const T> a) {
  const auto& A = a.matrix();
  const auto w = local_window(A.layout(), A.grid().myrow(), A.grid().mycol(), a.row_offset(), a.col_offset(),
                              a.rows(), a.cols());
  bool bad = false;
  for (std::int64_t jl = w.c0; jl < w.c1 && !bad; ++jl)
    for (std::int64_t il = w.r0; il < w.r1; ++il) {
      const T x = A.data()[il + jl * A.lld()];
      if (!std::isfinite(std::real(x)) || !std::isfinite(std::imag(x))) {
        bad = true;
        break;
      }
    }
  return any_rank(A.grid().comm(), bad);
}

}  // namespace detail

// ---- DistMatrix ---------------------------------------------------------------------------

template <class T>
DistMatrix<T>::DistMatrix(const Grid& grid, std::int64_t m, std::int64_t n, Block block, Source src)
    : grid_(grid), layout_(m, n, block, grid.prows(), grid.pcols(), src) {
  local_rows_ = layout_.local_rows(grid_.myrow());
  local_cols_ = layout_.local_cols(grid_.mycol());
  lld_ = std::max<std::int64_t>(1, local_rows_);
  // ScaLAPACK addresses local entries with 32-bit ints: the largest local block on any
  // process (the source row and column hold the most) must fit. Every rank computes the
  // same bound from the layout, so every rank throws together.
  const std::int64_t big_rows = std::max<std::int64_t>(1, layout_.local_rows(src.row));
  const std::int64_t big_cols = layout_.local_cols(src.col);
  if (big_cols > 0 && big_rows > std::numeric_limits<int>::max() / big_cols)
    throw InvalidArgument("DistMatrix: a local block of " + detail::shape(big_rows, big_cols) + " on a " +
                          detail::shape(grid.prows(), grid.pcols()) +
                          " grid exceeds ScaLAPACK's 32-bit local indexing; use more processes");
  desc_ = layout_.descriptor(grid_.blacs_context(), lld_);
  data_.assign(static_cast<std::size_t>(lld_ * local_cols_), T(0));
}

template <class T>
T DistMatrix<T>::get(std::int64_t i, std::int64_t j) const {
  if (i < 0 || i >= rows() || j < 0 || j >= cols())
    throw InvalidArgument("get: index (" + std::to_string(i) + "," + std::to_string(j) + ") is outside the " +
                          detail::shape(*this) + " matrix");
  const int pr = layout_.row_owner(i), pc = layout_.col_owner(j);
  T v{};
  if (pr == grid_.myrow() && pc == grid_.mycol()) v = data_[layout_.local_row(i) + layout_.local_col(j) * lld_];
  MPI_Bcast(&v, 1, detail::mpi_type<T>(), grid_.rank_of(pr, pc), grid_.comm());
  return v;
}

template <class T>
void DistMatrix<T>::set(std::int64_t i, std::int64_t j, T v) {
  if (i < 0 || i >= rows() || j < 0 || j >= cols())
    throw InvalidArgument("set: index (" + std::to_string(i) + "," + std::to_string(j) + ") is outside the " +
                          detail::shape(*this) + " matrix");
  if (layout_.row_owner(i) == grid_.myrow() && layout_.col_owner(j) == grid_.mycol())
    data_[layout_.local_row(i) + layout_.local_col(j) * lld_] = v;
}

template <class T>
DistMatrix<T> DistMatrix<T>::copy() const {
  return DistMatrix<T>(*this, CopyTag{});
}

template <class T>
View<T> DistMatrix<T>::view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) {
  return View<T>(*this, i, j, m, n);
}
template <class T>
View<const T> DistMatrix<T>::view(std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n) const {
  return View<const T>(*this, i, j, m, n);
}

template <class T>
View<T>::View(Matrix& a, std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n)
    : a_(&a), i_(i), j_(j), m_(m), n_(n) {
  if (i < 0 || j < 0 || m < 0 || n < 0 || i + m > a.rows() || j + n > a.cols())
    throw InvalidArgument("view: rows [" + std::to_string(i) + "," + std::to_string(i + m) + ") and columns [" +
                          std::to_string(j) + "," + std::to_string(j + n) + ") do not fit in the " +
                          detail::shape(a) + " matrix");
}

// ---- creation ------------------------------------------------------------------------------

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
DistMatrix<T> random(const Grid& grid, std::int64_t m, std::int64_t n, std::uint64_t seed, Block block,
                     Source src) {
  DistMatrix<T> a(grid, m, n, block, src);
  a.for_each_local([seed](std::int64_t i, std::int64_t j, T& x) {
    if constexpr (detail::is_complex_v<T>)
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
  detail::sl::gemr2d(static_cast<int>(mn[0]), static_cast<int>(mn[1]), src, 1, 1, d.data(), a.data(), 1, 1,
                     a.descriptor().data(), grid.blacs_context());
  return a;
}

template <class T>
Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen(View<const T> A, int root) {
  const Grid& grid = A.grid();
  require_root(grid, root, "to_eigen");
  const std::int64_t m = A.rows(), n = A.cols();
  const auto d = whole_on_root(grid, m, n, root, "to_eigen");
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> out;
  if (grid.rank() == root) out.resize(m, n);
  if (m == 0 || n == 0) return out;
  T dummy{};
  T* dst = grid.rank() == root ? out.data() : &dummy;
  detail::sl::gemr2d(static_cast<int>(m), static_cast<int>(n), A.matrix().data(), A.ia(), A.ja(),
                     A.matrix().descriptor().data(), dst, 1, 1, d.data(), grid.blacs_context());
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
  require_same_processes(A.grid(), grid2, "redistribute");
  DistMatrix<T> b(grid2, A.rows(), A.cols(), block, src);
  if (A.rows() > 0 && A.cols() > 0)
    detail::sl::gemr2d(static_cast<int>(A.rows()), static_cast<int>(A.cols()), A.matrix().data(), A.ia(), A.ja(),
                       A.matrix().descriptor().data(), b.data(), 1, 1, b.descriptor().data(),
                       A.grid().blacs_context());
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
  if (src.rows() == 0 || src.cols() == 0) return;
  detail::sl::gemr2d(static_cast<int>(src.rows()), static_cast<int>(src.cols()), src.matrix().data(), src.ia(),
                     src.ja(), src.matrix().descriptor().data(), dst.matrix().data(), dst.ia(), dst.ja(),
                     dst.matrix().descriptor().data(), src.grid().blacs_context());
}

#define TARTAN_INSTANTIATE(T)                                                                                \
  template class DistMatrix<T>;                                                                              \
  template class View<T>;                                                                                    \
  template class View<const T>;                                                                              \
  template DistMatrix<T> zeros<T>(const Grid&, std::int64_t, std::int64_t, Block, Source);                   \
  template DistMatrix<T> identity<T>(const Grid&, std::int64_t, Block, Source);                              \
  template DistMatrix<T> random<T>(const Grid&, std::int64_t, std::int64_t, std::uint64_t, Block, Source);   \
  template DistMatrix<T> from_eigen<T>(const Grid&, const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>&, \
                                       int, Block);                                                          \
  template Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> to_eigen<T>(View<const T>, int);                 \
  template DistMatrix<T> redistribute<T>(View<const T>, const Grid&, Block, Source);                         \
  template DistMatrix<T> copy<T>(View<const T>);                                                             \
  template void assign<T>(View<T>, View<const T>);                                                           \
  template bool detail::has_nonfinite<T>(View<const T>);
TARTAN_INSTANTIATE(float)
TARTAN_INSTANTIATE(double)
TARTAN_INSTANTIATE(std::complex<float>)
TARTAN_INSTANTIATE(std::complex<double>)

}  // namespace tartan
