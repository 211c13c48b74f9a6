#pragma once
// The process-wide pool of large blocks behind DistMatrix storage and LAPACK/ScaLAPACK
// workspaces.
//
// Why: glibc hands blocks above its mmap threshold back to the kernel at free(), so a
// program calling solve() in a loop paid for fresh pages on every call (page faults, and
// on some VMs transparent huge pages of ~5 ms each at first touch): at n = 2000 that cost
// as much as the factorization. Raw ScaLAPACK users reuse their arrays; the pool does it
// for Tartan's. Peers do alike: Elemental's buffers only grow, DLA-Future and SLATE pool
// device memory.
//
// Requests of 1 MiB or more are rounded up to multiples of 2 MiB (their size class),
// 2 MiB aligned and marked for transparent huge pages. A freed block goes back to the
// list of its class (last in, first out) unless that would put the cached bytes over
// the cap, in which case it is freed. Smaller requests go to malloc.
//
// TARTAN_POOL=0 turns the pool off (every block is freed at once); TARTAN_POOL_MAX caps
// the cached bytes per process ("512M", "2G", bytes; default 1/8 of the node's memory).

#include <cstddef>
#include <cstdint>

namespace tartan::detail::pool {

/// Requests of at least this many bytes are pooled.
inline constexpr std::size_t min_bytes = std::size_t(1) << 20;
/// Size classes are multiples of this, and blocks are aligned to it.
inline constexpr std::size_t class_bytes = std::size_t(2) << 20;

/// Bytes added after every local matrix (core/dist_matrix.cpp: ScaLAPACK 2.2.1 reads one
/// element past the end of some).
inline constexpr std::size_t storage_slack = 4096;
/// The size class of a request: bytes rounded up to a multiple of class_bytes.
inline constexpr std::size_t size_class(std::size_t bytes) {
  return (bytes + class_bytes - 1) / class_bytes * class_bytes;
}

/// Reads TARTAN_POOL and TARTAN_POOL_MAX (once per process; later calls return at once).
/// Throws InvalidArgument naming the variable when a value cannot be read.
void configure();

/// A block of at least `bytes` (>= min_bytes): a cached one of the same class, or a new
/// one. When the system refuses, the cache is trimmed and the request tried once more
/// before std::bad_alloc.
void* allocate(std::size_t bytes);
/// Gives back a block from allocate(bytes).
void release(void* p, std::size_t bytes) noexcept;

/// Bytes cached for reuse in this process.
std::int64_t cached_bytes() noexcept;
/// Frees every cached block.
void trim() noexcept;

}  // namespace tartan::detail::pool
