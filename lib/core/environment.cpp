// Environment: MPI start-up and shut-down, and each rank's BLAS thread count.

#include "tartan/environment.hpp"

#include <mpi.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "bindings/blacs.hpp"
#include "core/agree.hpp"
#include "core/block_default.hpp"
#include "core/pool.hpp"
#include "core/watchdog.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace {

int parse_thread_count(const char* text, const char* var) {
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < 1 || v > 4096)
    throw InvalidArgument(std::string("Environment: ") + var + "='" + text +
                          "', expected a whole number from 1 to 4096");
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

namespace {
void finalize_at_exit() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Finalize();
}
}  // namespace

void Environment::init(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns_mpi_ = true;
  }
  try {
    int cores = 1;
    const int by_affinity = threads_from_affinity(cores);  // collective: every rank calls it
    cores_ = cores;
    // The variable may be set on some ranks only (mpirun -x on one app context): every rank
    // learns whether any rank's value is bad, and all throw the same error.
    const char* t = std::getenv("TARTAN_NUM_THREADS");
    const char* nbv = std::getenv("TARTAN_NB");
    int parsed = 0;
    std::int64_t nb = 0;
    detail::collectively(MPI_COMM_WORLD, [&] {
      if (t && *t) parsed = parse_thread_count(t, "TARTAN_NUM_THREADS");
      if (nbv && *nbv) {
        char* end = nullptr;
        const long long v = std::strtoll(nbv, &end, 10);
        if (end == nbv || *end != '\0' || v < 1 || v > (1 << 20))
          throw InvalidArgument(std::string("Environment: TARTAN_NB='") + nbv +
                                "', expected a whole number from 1 to 1048576 (the default block edge)");
        nb = v;
      }
      detail::pool::configure();      // TARTAN_POOL, TARTAN_POOL_MAX
      detail::watchdog::configure();  // TARTAN_WATCHDOG
    });
    detail::watchdog::share_board();  // collective: the node's board, when any rank watches
    // Block{} must mean the same layout on every rank: TARTAN_NB set alike everywhere.
    std::int64_t lo = nb, hi = nb;
    MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_INT64_T, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
    if (lo != hi)
      throw InvalidArgument("Environment: TARTAN_NB differs between ranks (" +
                            (lo == 0 ? std::string("unset") : std::to_string(lo)) + " and " + std::to_string(hi) +
                            "); set it alike on every rank (mpirun -x TARTAN_NB)");
    detail::set_default_block(nb > 0 ? nb : default_block_size);
    if (parsed > 0) {
      blas_threads_ = parsed;
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
  } catch (...) {
    // The destructor will not run: MPI stays up so the caller can report the error from
    // one rank, and is finalized when the program exits.
    if (owns_mpi_) std::atexit(finalize_at_exit);
    throw;
  }
}

Environment::~Environment() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) detail::watchdog::release_board();
  if (!owns_mpi_) return;
  if (!finalized) MPI_Finalize();
}

std::string Environment::blas_kernel() const {
  const char* name = openblas_get_corename();
  return name ? std::string(name) : std::string("unknown");
}

}  // namespace tartan

// PBLAS's logical block size. PBLAS asks PILAENV for the width of the panels its p?gemm,
// p?trsm and the rest step through K with, and its reference version answers 32 "meant to
// be replaced" (PBLAS/SRC/pilaenv.f): each local update is then a rank-32 DGEMM, which on
// one node reaches 60-73 % of DGEMM's rate (n = 4000 on 1 x 2). Tartan answers with wider
// panels. The symbol replaces ScaLAPACK's for the whole process (its calls go through the
// PLT): a program's own p?gemm calls get the wider panels too. TARTAN_PBLAS_PANEL (8 to
// 4096) sets the width; 32 gives PBLAS's own behaviour back.
namespace {
int pblas_panel_width() {
  static const int width = [] {
    const char* v = std::getenv("TARTAN_PBLAS_PANEL");
    if (v && *v) {
      char* end = nullptr;
      const long w = std::strtol(v, &end, 10);
      if (end != v && *end == '\0' && w >= 8 && w <= 4096) return static_cast<int>(w);
    }
    return 256;
  }();
  return width;
}
}  // namespace

extern "C" int pilaenv_(const int* /*ictxt*/, const char* /*prec*/) { return pblas_panel_width(); }