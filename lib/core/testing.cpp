// The test hooks (core/testing.hpp): off and at their production values unless a test sets
// them.

#include "core/testing.hpp"

namespace tartan::detail {

bool& inject_elpa_failure() {
  static bool fail = false;
  return fail;
}

bool& inject_bdsdc_failure() {
  static bool fail = false;
  return fail;
}

BdsdcNan& inject_bdsdc_nan() {
  static BdsdcNan where = BdsdcNan::none;
  return where;
}

int& r_serial_limit() {
  static int limit = 512;
  return limit;
}

}  // namespace tartan::detail
