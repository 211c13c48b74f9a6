#pragma once
// Fortran calling conventions shared by every binding: hidden CHARACTER lengths, and the
// macros that stamp one declaration out for the four element types (s, d, c, z).
//
// ScaLAPACK routines are Fortran: every CHARACTER argument has a hidden length argument
// at the end, passed explicitly here (leaving it out is undefined behaviour with
// gfortran). PBLAS routines are C and ignore the extra arguments.

#include <complex>
#include <cstddef>

#include "tartan/types.hpp"

namespace tartan::detail::fortran {

using fchar = const char*;
using flen = std::size_t;
using cfloat = std::complex<float>;
using cdouble = std::complex<double>;

/// The TRANS character of op for element type T: real types have no conjugate, so their
/// adjoint is 'T'.
template <class T>
char op_char(Op op) {
  if constexpr (!is_complex_v<T>)
    if (op == Op::adjoint) return 'T';
  return static_cast<char>(op);
}

/// The UPLO character: 'L' for the lower triangle, 'U' for the upper.
inline char uplo_char(bool lower) { return lower ? 'L' : 'U'; }

}  // namespace tartan::detail::fortran

// X(prefix, T, real type of T) for each element type; the prefix names the routine family.
#define TARTAN_FOR_TYPES(X) X(ps, float, float) X(pd, double, double) X(pc, cfloat, float) X(pz, cdouble, double)
#define TARTAN_FOR_REAL(X) X(ps, float, float) X(pd, double, double)
#define TARTAN_FOR_COMPLEX(X) X(pc, cfloat, float) X(pz, cdouble, double)
