#pragma once
// The one list of element types every template of the library is instantiated for:
// each .cpp defines its own TARTAN_INSTANTIATE(T) and applies this to it.

#include <complex>

#define TARTAN_FOR_EACH_SCALAR(X) X(float) X(double) X(std::complex<float>) X(std::complex<double>)
