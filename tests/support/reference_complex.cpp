// The serial references for the complex element types (reference_impl.hpp).

#include "reference_impl.hpp"

namespace tartan_test {
TARTAN_TEST_REFERENCE(std::complex<float>)
TARTAN_TEST_REFERENCE(std::complex<double>)

}  // namespace tartan_test
