#pragma once
// Environment: MPI start-up and shut-down, and the BLAS thread count of each rank.

#include <string>

namespace tartan {

/// RAII over MPI. Construct it first in main() and keep it alive while Tartan is used.
///
/// Initializes MPI with MPI_THREAD_FUNNELED unless the host code already did, in which case
/// MPI is adopted and left running at destruction. Sets the BLAS thread count of this rank
/// to the cores its CPU affinity mask allows, divided among the ranks of the same node
/// whose masks overlap it (at least 1), so ranks × threads never exceeds the cores. The
/// environment variables TARTAN_NUM_THREADS (used as given) or OPENBLAS_NUM_THREADS
/// (OpenBLAS reads it; Tartan leaves it alone) override that choice.
///
/// TARTAN_WATCHDOG=SECONDS turns on the watchdog: a rank that waits that long inside a
/// Tartan collective names the call and ends the job (include/tartan/README.md).
///
/// Collective over MPI_COMM_WORLD. Throws InvalidArgument on every rank when
/// TARTAN_NUM_THREADS is not a whole number from 1 to 4096 (or TARTAN_WATCHDOG not a positive number); MPI then stays
/// initialized (so the error can be reported) and is finalized at program exit.
class Environment {
 public:
  Environment(int& argc, char**& argv);
  Environment();
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  /// BLAS threads this rank uses.
  int blas_threads() const noexcept { return blas_threads_; }
  /// Where the thread count came from: "TARTAN_NUM_THREADS", "OPENBLAS_NUM_THREADS" or
  /// "affinity" (cores in the mask / overlapping ranks on the node).
  const std::string& blas_threads_source() const noexcept { return threads_source_; }
  /// Cores in this rank's CPU affinity mask.
  int cores_available() const noexcept { return cores_; }
  /// The OpenBLAS kernel in use (for example "Haswell"), as OpenBLAS reports it.
  std::string blas_kernel() const;
  /// True when this object initialized MPI (and so finalizes it).
  bool owns_mpi() const noexcept { return owns_mpi_; }

 private:
  void init(int* argc, char*** argv);
  bool owns_mpi_ = false;
  int blas_threads_ = 1;
  int cores_ = 1;
  std::string threads_source_;
};

}  // namespace tartan
