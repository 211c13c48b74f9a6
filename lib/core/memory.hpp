#pragma once
// Memory that every rank agrees it has: large allocations are checked against what the
// node and the process limits allow, and a failure on one rank is an OutOfMemory on all.

#include <cstdint>
#include <new>
#include <string>

#include "core/agree.hpp"
#include "tartan/error.hpp"
#include "tartan/grid.hpp"

namespace tartan::detail {

/// Bytes this process may still allocate: the node's MemAvailable shared among the grid's
/// ranks on the node, and what the address-space limit (ulimit -v) leaves. The environment
/// variable TARTAN_MAX_MEMORY ("512M", "2G", bytes) caps the node's share per rank.
std::int64_t available_bytes(int ranks_on_node);

/// Reads "512M", "2G", "1.5k" or a byte count into out; false when v is empty or unreadable.
bool parse_bytes(const char* v, std::int64_t& out);

/// "3.35 GiB", "12.0 MiB", "512 bytes".
std::string human_bytes(double bytes);

/// Below this many bytes on every rank, allocations are not agreed (a failure there means
/// the process is out of memory anyway); at or above it, they are.
inline constexpr std::int64_t agreed_allocation_threshold = std::int64_t(1) << 20;

/// Collective over g when agree is set: runs alloc() (which allocates about my_bytes on
/// this rank) unless my_bytes exceeds what is available, and throws OutOfMemory on every
/// rank when any rank could not allocate. what names the object ("eigh: workspace").
template <class F>
void agreed_allocation(const Grid& g, std::int64_t my_bytes, const std::string& what, bool agree_over_grid, F&& alloc) {
  Failure mine;
  const std::int64_t avail = available_bytes(g.ranks_on_node());
  if (my_bytes > avail) {
    mine = {Failure::out_of_memory, my_bytes,
            what + " needs " + human_bytes(double(my_bytes)) + " on rank " + std::to_string(g.rank()) + ", " +
                human_bytes(double(avail)) + " available there"};
  } else {
    try {
      alloc();
    } catch (const std::bad_alloc&) {
      mine = {Failure::out_of_memory, my_bytes,
              what + " needs " + human_bytes(double(my_bytes)) + " on rank " + std::to_string(g.rank()) +
                  " and the allocation failed (" + human_bytes(double(avail)) + " available there)"};
    }
  }
  if (agree_over_grid)
    agree(g.comm(), mine);
  else if (mine)
    throw_failure(mine);
}

}  // namespace tartan::detail
