// Text and integer helpers for messages and ScaLAPACK's 32-bit fields. No MPI.

#include "core/format.hpp"

#include <limits>

#include "tartan/error.hpp"

namespace tartan::detail {

std::string shape(std::int64_t m, std::int64_t n) { return std::to_string(m) + "x" + std::to_string(n); }

int to_int(std::int64_t v, const char* func, const char* what) {
  if (v > std::numeric_limits<int>::max() || v < std::numeric_limits<int>::min())
    throw InvalidArgument(std::string(func) + ": " + what + " is " + std::to_string(v) +
                          ", beyond ScaLAPACK's 32-bit limit of " + std::to_string(std::numeric_limits<int>::max()));
  return static_cast<int>(v);
}

}  // namespace tartan::detail
