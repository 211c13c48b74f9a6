#pragma once
// Tartan's exceptions. Every collective function throws the same type with the same
// message on every rank of the grid, so a caller may catch and carry on collectively.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tartan {

/// Base of every exception Tartan throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad argument: shapes that do not conform, matrices on different grids, bad block
/// sizes, sizes beyond ScaLAPACK's 32-bit limits. Detected before any communication.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// NaN or Inf in an input that a routine was asked to check (check_finite).
class NonFiniteInput : public InvalidArgument {
 public:
  using InvalidArgument::InvalidArgument;
};

/// A numerical failure of a linear-algebra routine.
class LinAlgError : public Error {
 public:
  using Error::Error;
};

/// An exactly singular matrix: U(index, index) of the LU factorization is zero
/// (or a triangular matrix has a zero diagonal entry at index). index() is 0-based.
class SingularMatrix : public LinAlgError {
 public:
  SingularMatrix(const std::string& what, std::int64_t index) : LinAlgError(what), index_(index) {}
  std::int64_t index() const noexcept { return index_; }

 private:
  std::int64_t index_;
};

/// A matrix that is not positive definite: order() is the order of the leading minor
/// that is not (1-based, as in LAPACK's INFO).
class NotPositiveDefinite : public LinAlgError {
 public:
  NotPositiveDefinite(const std::string& what, std::int64_t order) : LinAlgError(what), order_(order) {}
  std::int64_t order() const noexcept { return order_; }

 private:
  std::int64_t order_;
};

/// An iterative algorithm (eigenvalues, SVD) did not converge.
class NoConvergence : public LinAlgError {
 public:
  using LinAlgError::LinAlgError;
};

/// Memory for a matrix or a workspace could not be had on some rank. Raised on every rank
/// together (the message names the rank, what was needed and what was available).
class OutOfMemory : public Error {
 public:
  OutOfMemory(const std::string& what, std::int64_t bytes) : Error(what), bytes_(bytes) {}
  /// Bytes the failing rank needed.
  std::int64_t bytes() const noexcept { return bytes_; }

 private:
  std::int64_t bytes_;
};

/// A file could not be opened, read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// A file was read but its contents are not what its format promises.
class FormatError : public IoError {
 public:
  using IoError::IoError;
};

}  // namespace tartan
