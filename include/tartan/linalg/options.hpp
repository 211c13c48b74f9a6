#pragma once
// What every linalg function shares: the option struct of functions that take no other
// options, and the conventions all of them follow.
//
// Conventions. Every function is collective over its arguments' grid and throws the same
// exception with the same message on every rank. Options are small structs with designated
// initializers, named after scipy's keywords (check_finite, lower, ...), with scipy's
// defaults unless a header says why not. Inputs taken by const& are never modified; the
// rvalue overloads (lu_factor(std::move(A)), cholesky(std::move(A)), qr(std::move(A)))
// are scipy's overwrite_a: they take the argument's storage, and the argument is left an
// empty 0x0 matrix on its grid whether the call returns or throws.

namespace tartan {

/// Options of functions whose only option is the NaN/Inf check (inv, det, slogdet, svdvals).
struct CheckOptions {
  /// Scan the inputs for NaN and Inf first and throw NonFiniteInput (scipy's check_finite).
  /// ScaLAPACK itself returns garbage or aborts the job on them.
  bool check_finite = true;
};

}  // namespace tartan
