#pragma once
// The library's test hooks, in one place: failures injected into one call, and the limits a
// test lowers to reach a path at a small size. Production code reads them; only tests set
// them. Each injection is consumed by the call it affects.

namespace tartan::detail {

/// The next ELPA setup fails on rank 0 of the grid (ELPA_ERROR_SETUP), once.
bool& inject_elpa_failure();

/// The next ?bdsdc with vectors reports failure (INFO = 1), once.
bool& inject_bdsdc_failure();

/// The next ?bdsdc (with vectors, or values alone, as set) leaves a NaN in its first
/// singular value, once: a NaN produced inside the algorithm, not in the input.
enum class BdsdcNan { none, with_vectors, values_alone };
BdsdcNan& inject_bdsdc_nan();

/// The order up to which an n x n triangular factor R (of a tall-skinny QR, or of p?geqrf
/// before p?gebrd) has its SVD computed by LAPACK on one process rather than on the grid,
/// where it would be latency-bound: 512. Tests lower it to reach the grid's path.
int& r_serial_limit();

}  // namespace tartan::detail
