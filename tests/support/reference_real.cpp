// The serial references for the real element types (reference_impl.hpp).

#include "reference_impl.hpp"

namespace tartan_test {
TARTAN_TEST_REFERENCE(float)
TARTAN_TEST_REFERENCE(double)

}  // namespace tartan_test
