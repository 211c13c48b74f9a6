#pragma once
// Text and integer helpers for messages and ScaLAPACK's 32-bit fields. No MPI.

#include <cstdint>
#include <string>

namespace tartan::detail {

/// "m x n" as messages print shapes.
std::string shape(std::int64_t m, std::int64_t n);
template <class M>
std::string shape(const M& a) {
  return shape(a.rows(), a.cols());
}

/// Converts a 64-bit size to ScaLAPACK's int, naming it when it does not fit.
int to_int(std::int64_t v, const char* func, const char* what);

}  // namespace tartan::detail
