// Argument checks shared by every public function.

#include "core/checks.hpp"

#include <cmath>
#include <complex>

#include "core/agree.hpp"
#include "core/instantiate.hpp"

namespace tartan::detail {

void require_same_grid(const Grid& a, const Grid& b, const char* func, const char* na, const char* nb) {
  if (!(a == b))
    throw InvalidArgument(std::string(func) + ": " + na + " and " + nb +
                          " are on different grids, expected both on the same Grid");
}

// Global indices grow with local ones, so the owned part of a window is one local block.
LocalWindow local_window(const Layout& l, int myrow, int mycol, std::int64_t i0, std::int64_t j0, std::int64_t m,
                         std::int64_t n) {
  return {
      numroc(i0, l.mb(), myrow, l.source().row, l.prows()), numroc(i0 + m, l.mb(), myrow, l.source().row, l.prows()),
      numroc(j0, l.nb(), mycol, l.source().col, l.pcols()), numroc(j0 + n, l.nb(), mycol, l.source().col, l.pcols())};
}

template <class T>
bool has_nonfinite(View<const T> a) {
  const auto& A = a.matrix();
  const auto w = local_window(a);
  bool bad = false;
  for (std::int64_t jl = w.c0; jl < w.c1 && !bad; ++jl)
    for (std::int64_t il = w.r0; il < w.r1; ++il) {
      const T x = A.data()[il + jl * A.lld()];
      if (!std::isfinite(std::real(x)) || !std::isfinite(std::imag(x))) {
        bad = true;
        break;
      }
    }
  return any_rank(A.grid().comm(), bad);
}

#define TARTAN_INSTANTIATE(T) template bool has_nonfinite<T>(View<const T>);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
