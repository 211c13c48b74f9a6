#pragma once
// The inputs the linalg suites share (tests/linalg/test_*.cpp): a deterministic Hermitian
// pattern, and the sizes and blocks every function is swept over.

#include <cmath>
#include <vector>

#include "support.hpp"

namespace tartan_test::linalg_cases {

template <class T>
inline tt::DistMatrix<T> hermitian_random(const tt::Grid& g, std::int64_t n, std::uint64_t seed, tt::Block b = {},
                                          double shift = 0) {
  return tt::from_function<T>(
      g, n, n,
      [&](std::int64_t i, std::int64_t j) {
        // a deterministic pattern, symmetric in (i, j) up to the sign of the imaginary part
        const std::int64_t lo = std::min(i, j), hi = std::max(i, j);
        double re = std::sin(double(seed) + 0.7 * double(lo) + 1.3 * double(hi) * double(hi % 7 + 1));
        double im = (i == j) ? 0.0 : std::cos(double(seed) + 0.3 * double(lo * hi));
        if (i == j) re += shift;
        if constexpr (std::is_same_v<T, tt::real_t<T>>)
          return T(re);
        else
          return T(tt::real_t<T>(re), tt::real_t<T>(i < j ? im : -im));
      },
      b);
}

inline const std::vector<int> sizes = {0, 1, 2, 13, 31, 57};
inline const std::vector<tt::Block> blocks = {{4, 4}, {3, 5}, {64, 64}};

}  // namespace tartan_test::linalg_cases
