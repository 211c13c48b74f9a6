// How much memory a rank may still allocate.

#include "core/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/pool.hpp"

namespace tartan::detail {

namespace {
std::int64_t mem_available() {
  std::ifstream f("/proc/meminfo");
  std::string key;
  std::int64_t kb = 0;
  std::string unit;
  while (f >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return std::numeric_limits<std::int64_t>::max();
}

std::int64_t address_space_left() {
  rlimit lim{};
  if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return std::numeric_limits<std::int64_t>::max();
  std::ifstream f("/proc/self/statm");
  std::int64_t pages = 0;
  f >> pages;
  const std::int64_t used = pages * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(lim.rlim_cur) - used);
}
}  // namespace

bool parse_bytes(const char* v, std::int64_t& out) {
  if (!v || !*v) return false;
  char* end = nullptr;
  const double x = std::strtod(v, &end);
  double mult = 1;
  if (end && (*end == 'K' || *end == 'k'))
    mult = 1024.0, ++end;
  else if (end && (*end == 'M' || *end == 'm'))
    mult = 1024.0 * 1024, ++end;
  else if (end && (*end == 'G' || *end == 'g'))
    mult = 1024.0 * 1024 * 1024, ++end;
  if (end == v || (end && *end != '\0') || !(x >= 0) || x * mult > 9e18) return false;
  out = static_cast<std::int64_t>(x * mult);
  return true;
}

// TARTAN_MAX_MEMORY: the most one agreed allocation may take per rank ("512M", "2G",
// bytes), for sharing a node with other jobs; unset, empty or unreadable: no cap.
static std::int64_t user_cap() {
  std::int64_t b = 0;
  return parse_bytes(std::getenv("TARTAN_MAX_MEMORY"), b) ? b : std::numeric_limits<std::int64_t>::max();
}

std::int64_t available_bytes(int ranks_on_node) {
  const std::int64_t node = mem_available();
  const std::int64_t share =
      node == std::numeric_limits<std::int64_t>::max() ? node : node / std::max(1, ranks_on_node);
  // Blocks cached in the pool are this process's to reuse (MemAvailable does not count them).
  const std::int64_t cached = pool::cached_bytes();
  const auto plus = [&](std::int64_t x) {
    return x > std::numeric_limits<std::int64_t>::max() - cached ? x : x + cached;
  };
  return std::min({plus(share), user_cap(), plus(address_space_left())});
}

std::string human_bytes(double bytes) {
  char buf[64];
  if (bytes >= 1024.0 * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  else if (bytes >= 1024.0 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024));
  else
    std::snprintf(buf, sizeof buf, "%.0f bytes", bytes);
  return buf;
}

}  // namespace tartan::detail
