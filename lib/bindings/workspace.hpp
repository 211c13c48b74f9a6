#pragma once
// Workspace sizes for ScaLAPACK routines: the one place that turns a routine's workspace
// query into the size Tartan allocates.

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>

namespace tartan::detail {

/// Workspace size from a query's answer, with slack: several ScaLAPACK queries
/// under-report (rounding through a float, p?stedc, p?syevd).
template <class T>
int work_size(T query, std::int64_t at_least = 1) {
  const double q = std::ceil(static_cast<double>(std::real(query)));
  const double padded = q * 1.1 + 1024.0;
  const double v = std::max(padded, static_cast<double>(at_least));
  if (v > static_cast<double>(std::numeric_limits<int>::max())) return std::numeric_limits<int>::max();
  return static_cast<int>(v);
}

}  // namespace tartan::detail
