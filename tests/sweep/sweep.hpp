#pragma once
// The sweeping tester: every public routine against an Eigen reference on rank 0, over
// sizes around the default block (0, 1, 2, 3, nb-1, nb, nb+1, 2nb-1, 2nb+1 and 97), the
// default block, small and non-square blocks, every grid shape of the rank count, the first
// block on (0,0) and elsewhere, views with offsets, and the four element types.
//
// Two tiers, chosen by TARTAN_SWEEP (quick, the default, or full). The quick tier runs in
// CI: every element type, the default block at the sizes users try first with both
// sources, small blocks at a few sizes, and a list of tall and wide shapes. The full tier crosses everything:
// more blocks and sources, every size with every block, every m x n pair.
// Every case runs under a watchdog: a hang fails with the case's name.

#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support.hpp"
#include "watchdog.hpp"

namespace sweep {

using namespace tartan_test;

inline bool full_tier() {
  static const bool full = [] {
    const char* t = std::getenv("TARTAN_SWEEP");
    return t && std::string(t) == "full";
  }();
  return full;
}

/// Seconds a single case may take before it counts as a hang.
inline int case_deadline() { return full_tier() ? 300 : 120; }

constexpr std::int64_t nb = tt::default_block_size;

/// The sizes users try first.
inline const std::vector<std::int64_t>& sizes() {
  static const std::vector<std::int64_t> s = {0, 1, 2, 3, nb - 1, nb, nb + 1, 2 * nb - 1, 2 * nb + 1, 97};
  return s;
}

/// One distribution to test on: a grid shape, a block, a source process.
struct Config {
  int P, Q;
  tt::Block block;
  tt::Source src;
  bool small;         ///< a small or non-square block (fewer sizes in the quick tier)
  bool tiny = false;  ///< 1x1 blocks: tiny sizes only, where every process holds a piece
  std::string str() const {
    std::ostringstream o;
    o << "grid " << P << "x" << Q << " block "
      << (block.mb == 0 ? std::string("default") : std::to_string(block.mb) + "x" + std::to_string(block.nb))
      << " source (" << src.row << "," << src.col << ")";
    return o.str();
  }
};

/// Every grid shape of the rank count, each with the default block at source (0,0) and at
/// the last process, small blocks (3x3 at the last process, 2x3 at (0,0)) and 1x1 blocks
/// at tiny sizes; the full tier adds the other combinations and a wide non-square block.
inline std::vector<Config> configs() {
  std::vector<Config> c;
  for (auto [P, Q] : grid_shapes()) {
    const tt::Source last{P - 1, Q - 1};
    c.push_back({P, Q, {}, {}, false});
    c.push_back({P, Q, {}, last, false});
    c.push_back({P, Q, {3, 3}, last, true});
    c.push_back({P, Q, {2, 3}, {}, true});
    c.push_back({P, Q, {1, 1}, last, true, true});
    if (full_tier()) {
      c.push_back({P, Q, {3, 3}, {}, true});
      c.push_back({P, Q, {2, 3}, last, true});
      c.push_back({P, Q, {nb, 5}, {0, Q - 1}, true});
    }
  }
  return c;
}

/// Square sizes for a config: all of them in the full tier. In the quick tier the default
/// block takes the sizes users try first (0, 1, 2, 3, nb-1, nb, nb+1, 2nb+1), plus 97 from
/// source (0,0), and small blocks a few.
inline std::vector<std::int64_t> square_sizes(const Config& c) {
  if (c.tiny) return {1, 2, 3, 4, 5, 9};
  if (full_tier()) return sizes();
  if (c.small) return {1, 3, 13, 65};
  std::vector<std::int64_t> s = {0, 1, 2, 3, nb - 1, nb, nb + 1, 2 * nb + 1};
  if (c.src.row == 0 && c.src.col == 0) s.push_back(97);
  return s;
}

/// m x n shapes for a config: all pairs of sizes in the full tier; tall, wide, 1x2, 2x1
/// and shapes around the block in the quick tier (half of them from the second source).
inline std::vector<std::pair<std::int64_t, std::int64_t>> shapes(const Config& c) {
  std::vector<std::pair<std::int64_t, std::int64_t>> s;
  if (c.tiny) return {{1, 2}, {2, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {1, 5}, {5, 1}, {2, 5}, {9, 4}};
  if (full_tier()) {
    for (auto m : sizes())
      for (auto n : sizes()) s.emplace_back(m, n);
    return s;
  }
  if (c.small) return {{1, 2}, {2, 1}, {13, 8}, {8, 13}, {65, 3}};
  if (c.src.row != 0 || c.src.col != 0)  // the second source: the edges and one of each kind
    return {{0, 3}, {3, 0}, {1, 2}, {2, 1}, {nb + 1, 3}, {2, 2 * nb + 1}, {nb, 97}};
  return {{0, 3},
          {3, 0},
          {1, 1},
          {1, 2},
          {2, 1},
          {3, nb + 1},
          {nb + 1, 3},
          {2, 2 * nb + 1},
          {2 * nb + 1, 2},
          {nb - 1, 2 * nb + 1},
          {2 * nb + 1, nb - 1},
          {nb, 97},
          {97, nb},
          {97, 97}};
}

/// Runs f.template operator()<T>() for each of the four element types.
template <class F>
void for_types(F&& f) {
  f.template operator()<float>();
  f.template operator()<double>();
  f.template operator()<std::complex<float>>();
  f.template operator()<std::complex<double>>();
}

template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, float>)
    return "s";
  else if constexpr (std::is_same_v<T, double>)
    return "d";
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return "c";
  else
    return "z";
}

/// Runs one case on every rank: f returns "" when its check passed (rank 0 judges against
/// the reference; other ranks return ""), or what failed. An exception is a failure too.
/// Every rank reports the same verdict; a hang trips the watchdog.
inline int run_case(const std::string& name, const std::function<std::string()>& f) {
  static const bool trace = std::getenv("TARTAN_SWEEP_TRACE") != nullptr;  // names each case before it runs
  if (trace && test_rank() == 0) std::fprintf(stderr, "[sweep] %s\n", name.c_str());
  Watchdog::Scope scope(name, case_deadline());
  std::string fail;
  try {
    fail = f();
  } catch (const std::exception& e) {
    fail = std::string("threw: ") + e.what();
  }
  const bool ok = all_ranks(fail.empty());
  INFO(name << " :: " << (fail.empty() ? "failed on another rank" : fail));
  CHECK(ok);
  return ok ? 0 : 1;
}

/// Runs body.template operator()<T>(grid, n, config) for every config, square size and
/// element type, each as one named case.
template <class F>
void sweep_square(const char* routine, F&& body) {
  for (const Config& c : configs()) {
    tt::Grid g(test_comm(), c.P, c.Q);
    for (std::int64_t n : square_sizes(c))
      for_types([&]<class T>() {
        std::ostringstream name;
        name << routine << " " << type_name<T>() << " n=" << n << " " << c.str();
        run_case(name.str(), [&] { return body.template operator()<T>(g, n, c); });
      });
  }
}

/// The same over m x n shapes: body.template operator()<T>(grid, m, n, config).
template <class F>
void sweep_rect(const char* routine, F&& body) {
  for (const Config& c : configs()) {
    tt::Grid g(test_comm(), c.P, c.Q);
    for (auto [m, n] : shapes(c))
      for_types([&]<class T>() {
        std::ostringstream name;
        name << routine << " " << type_name<T>() << " " << m << "x" << n << " " << c.str();
        run_case(name.str(), [&] { return body.template operator()<T>(g, m, n, c); });
      });
  }
}

/// Deterministic entries in [-1, 1], the same for every layout: a hash of (seed, i, j).
inline double unit(std::uint64_t seed, std::int64_t i, std::int64_t j) {
  std::uint64_t h = seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(i) * 0xbf58476d1ce4e5b9ULL +
                    static_cast<std::uint64_t>(j) * 0x94d049bb133111ebULL;
  h ^= h >> 31;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  return static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
}

/// A Hermitian matrix (real symmetric for real T) with shift on the diagonal; in
/// positive definite form when shift > n.
template <class T>
tt::DistMatrix<T> hermitian(const tt::Grid& g, std::int64_t n, std::uint64_t seed, const Config& c, double shift = 0) {
  return tt::from_function<T>(
      g, n, n,
      [&](std::int64_t i, std::int64_t j) {
        const std::int64_t lo = std::min(i, j), hi = std::max(i, j);
        const double re = unit(seed, lo, hi) + (i == j ? shift : 0.0);
        if constexpr (tt::is_complex_v<T>) {
          const double im = i == j ? 0.0 : unit(seed + 7, lo, hi);
          return T(tt::real_t<T>(re), tt::real_t<T>(i < j ? im : -im));
        } else {
          return T(re);
        }
      },
      c.block, c.src);
}

/// The same as A with the triangle that must not be read (above the diagonal when lower)
/// spoiled with large values.
template <class T>
tt::DistMatrix<T> spoil_triangle(const tt::DistMatrix<T>& A, bool lower) {
  auto S = A.copy();
  S.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
    if (lower ? j > i : i > j) x = T(1e3);
  });
  return S;
}

/// "what = value" for failure messages.
inline std::string fails(const std::string& what, double value, double threshold) {
  std::ostringstream o;
  o << what << " = " << value << " (threshold " << threshold << ")";
  return o.str();
}

}  // namespace sweep
