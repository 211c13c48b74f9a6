// The process-wide pool of large blocks (see pool.hpp).

#include "core/pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/memory.hpp"
#include "tartan/error.hpp"

namespace tartan::detail::pool {

namespace {

struct Settings {
  bool enabled = true;
  std::int64_t max_cached = 0;
};

std::int64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? std::int64_t(pages) * size : std::int64_t(1) << 32;
}

Settings defaults() { return Settings{true, physical_memory() / 8}; }

Settings read_settings() {
  Settings s = defaults();
  if (const char* v = std::getenv("TARTAN_POOL"); v && *v) {
    const std::string t = v;
    if (t == "0")
      s.enabled = false;
    else if (t != "1")
      throw InvalidArgument("TARTAN_POOL='" + t + "', expected 0 (off) or 1 (on)");
  }
  if (const char* v = std::getenv("TARTAN_POOL_MAX"); v && *v) {
    std::int64_t b = 0;
    if (!parse_bytes(v, b))
      throw InvalidArgument(std::string("TARTAN_POOL_MAX='") + v +
                            "', expected bytes, or a number followed by K, M or G (for example 512M)");
    s.max_cached = b;
  }
  return s;
}

struct Pool {
  std::mutex m;
  bool configured = false;
  Settings settings;
  std::map<std::size_t, std::vector<void*>> lists;  // class bytes -> blocks, LIFO
  std::unordered_map<void*, std::size_t> out;       // blocks handed out -> their class
  std::size_t cached = 0;
};

// Never destroyed: matrices with static storage duration may be freed after it would be.
Pool& the_pool() {
  static Pool* p = new Pool;
  return *p;
}

// With the lock held.
const Settings& settings_locked(Pool& p) {
  if (!p.configured) {
    try {
      p.settings = read_settings();
    } catch (const InvalidArgument&) {
      p.settings = defaults();  // Environment reports the error; a library used without it runs on defaults
    }
    p.configured = true;
  }
  return p.settings;
}

void trim_locked(Pool& p) {
  for (auto& [bytes, list] : p.lists)
    for (void* b : list) std::free(b);
  p.lists.clear();
  p.cached = 0;
}

void* fresh(std::size_t bytes) {
  void* b = std::aligned_alloc(class_bytes, bytes);
  if (b) madvise(b, bytes, MADV_HUGEPAGE);  // a hint: harmless where THP is off
  return b;
}

}  // namespace

void configure() {
  Pool& p = the_pool();
  std::lock_guard lock(p.m);
  if (p.configured) return;
  p.settings = read_settings();  // throws before `configured` is set: the next call reads again
  p.configured = true;
}

void* allocate(std::size_t bytes) {
  const std::size_t c = size_class(bytes);
  Pool& p = the_pool();
  {
    std::lock_guard lock(p.m);
    if (settings_locked(p).enabled) {
      // Best fit: the smallest cached class that holds the request and wastes at most a
      // quarter of it (a matrix of slightly different shape in the next call still hits).
      for (auto it = p.lists.lower_bound(c); it != p.lists.end() && it->first <= c + c / 4; ++it) {
        if (it->second.empty()) continue;
        void* b = it->second.back();
        p.out.emplace(b, it->first);  // may throw bad_alloc: then nothing has changed
        it->second.pop_back();
        p.cached -= it->first;
        return b;
      }
      // A miss: the smaller cached blocks were most likely freed earlier in this same call
      // and would only add to its peak; they go back to the system. A call repeated then
      // finds every block it needs from its second run on.
      for (auto it = p.lists.begin(); it != p.lists.end() && it->first < c;) {
        for (void* b : it->second) std::free(b);
        p.cached -= it->first * it->second.size();
        it = p.lists.erase(it);
      }
    }
  }
  void* b = fresh(c);
  if (!b) {
    trim();
    b = fresh(c);
  }
  if (!b) throw std::bad_alloc();
  try {
    std::lock_guard lock(p.m);
    p.out.emplace(b, c);
  } catch (...) {
    std::free(b);
    throw std::bad_alloc();
  }
  return b;
}

void release(void* b, std::size_t bytes) noexcept {
  if (!b) return;
  std::size_t c = size_class(bytes);
  Pool& p = the_pool();
  {
    std::lock_guard lock(p.m);
    if (auto it = p.out.find(b); it != p.out.end()) {  // a best fit may be larger than asked for
      c = it->second;
      p.out.erase(it);
    }
    const Settings& s = settings_locked(p);
    if (s.enabled && std::int64_t(p.cached + c) <= s.max_cached) {
      try {
        p.lists[c].push_back(b);
        p.cached += c;
        return;
      } catch (...) {  // no memory for the list entry: free the block instead
      }
    }
  }
  std::free(b);
}

std::int64_t cached_bytes() noexcept {
  Pool& p = the_pool();
  std::lock_guard lock(p.m);
  return static_cast<std::int64_t>(p.cached);
}

void trim() noexcept {
  Pool& p = the_pool();
  std::lock_guard lock(p.m);
  trim_locked(p);
}

}  // namespace tartan::detail::pool
