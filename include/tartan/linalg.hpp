#pragma once
// numpy.linalg / scipy.linalg for distributed matrices (ScaLAPACK underneath).
//
// Every function is collective over its arguments' grid, leaves its inputs untouched
// (ScaLAPACK works on copies), and throws the same exception with the same message on
// every rank: InvalidArgument for shapes and grids, NonFiniteInput for NaN/Inf when
// check_finite is on (the default; checked before ScaLAPACK sees the data), and the
// LinAlgError family for numerical failures. Small results (eigenvalues, singular values,
// determinants) are returned on every rank.
//
// Results are laid out like their inputs where that is possible; routines that need
// square blocks (ScaLAPACK's MB == NB) work on a copy in A's column block size.

#include "tartan/linalg/cholesky.hpp"
#include "tartan/linalg/eigh.hpp"
#include "tartan/linalg/inv.hpp"
#include "tartan/linalg/lstsq.hpp"
#include "tartan/linalg/lu.hpp"
#include "tartan/linalg/qr.hpp"
#include "tartan/linalg/solve.hpp"
#include "tartan/linalg/svd.hpp"
#include "tartan/linalg/triangular.hpp"

