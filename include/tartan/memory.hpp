#pragma once
// Memory planned before a run: the peak bytes per rank of a Tartan call, estimated from
// the shapes alone before anything is allocated, against what the rank may allocate.

#include <cstdint>
#include <string>

#include "tartan/grid.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The calls memory_estimate plans for (their default options).
enum class Operation {
  lu_factor,    ///< lu_factor(A), A m x n
  solve,        ///< solve(A, B), general A n x n, B n x nrhs
  cholesky,     ///< cholesky(A) and solve(A, B, {.assume = positive_definite})
  solve_mixed,  ///< solve_mixed(A, B): the double-precision fallback's peak (the worst case)
  qr,           ///< qr(A), mode reduced
  lstsq,        ///< lstsq(A, B)
  eigh,         ///< eigh(A), all eigenpairs, the driver auto takes
  svd,          ///< svd(A), U, s and Vh (gesdd)
  eig,          ///< eig(A), the nonsymmetric eigenproblem with eigenvectors
};
/// "lu_factor", "solve", ...
const char* operation_name(Operation op) noexcept;

struct MemoryEstimate {
  std::int64_t bytes = 0;      ///< peak bytes the call allocates on the rank that needs most,
                               ///< its results included, its inputs not
  std::int64_t available = 0;  ///< bytes one rank may allocate: the node's MemAvailable shared
                               ///< among its ranks, capped by TARTAN_MAX_MEMORY and ulimit -v,
                               ///< plus the blocks cached in this process's pool
  std::int64_t cached = 0;     ///< of which cached in the pool (pool_cached_bytes())
  std::string detail;          ///< what the bytes are for
  bool fits() const noexcept { return bytes <= available; }
};

/// The peak memory per rank of op on an m x n A (and n x nrhs B where op takes one) of T
/// in blocks of `block` on grid: Tartan's working copies and results, ScaLAPACK's and
/// LAPACK's workspaces and, for eigh, ELPA's own arrays. Measured peaks (bytes allocated)
/// agreed within 25 % at n = 1500 and 2500 on 1 and 2 ranks (tests/core/test_memory.cpp).
/// Allocates nothing and communicates only to learn the ranks per node (collective over grid).
template <class T>
MemoryEstimate memory_estimate(Operation op, const Grid& grid, std::int64_t m, std::int64_t n, std::int64_t nrhs = 1,
                               Block block = {});

/// Bytes this rank may still allocate (the `available` of memory_estimate). Not collective.
std::int64_t available_memory(const Grid& grid);

/// Bytes this process's memory pool holds for reuse. Tartan keeps the large blocks of
/// freed matrices and workspaces (1 MiB and up, in 2 MiB size classes) and hands them to
/// the next call, as a program reusing its arrays would: a loop of solves then costs no
/// page faults. TARTAN_POOL=0 turns it off; TARTAN_POOL_MAX caps it per process ("512M",
/// "2G"; default 1/8 of the node's memory). Not collective.
std::int64_t pool_cached_bytes();
/// Returns the pool's cached blocks to the system. Not collective; thread-safe.
void pool_trim();

/// "3.35 GiB", "12.0 MiB", "512 bytes".
std::string format_bytes(double bytes);

}  // namespace tartan
