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
// Layout of results: ScaLAPACK runs on a copy of A in square blocks of A's column block
// size starting at process (0, 0) (its factorizations need MB == NB, and several of its
// routines are wrong with the first block elsewhere), and factors, Q, R, eigenvectors,
// singular vectors, inverses and solutions come out in that layout. redistribute()
// moves a result to any other.
//
// Every function also takes views (windows) of matrices: tartan/linalg/views.hpp.

#include "tartan/linalg/cholesky.hpp"
#include "tartan/linalg/decompositions.hpp"
#include "tartan/linalg/eig.hpp"
#include "tartan/linalg/eigh.hpp"
#include "tartan/linalg/functions.hpp"
#include "tartan/linalg/inv.hpp"
#include "tartan/linalg/lstsq.hpp"
#include "tartan/linalg/lu.hpp"
#include "tartan/linalg/mixed.hpp"
#include "tartan/linalg/qr.hpp"
#include "tartan/linalg/solve.hpp"
#include "tartan/linalg/svd.hpp"
#include "tartan/linalg/triangular.hpp"
#include "tartan/linalg/views.hpp"
