#pragma once
// What the file formats share: errors seen by one rank raised on every rank, and the
// temporary-file-then-rename protocol of crash-safe writes.

#include <mpi.h>

#include <exception>
#include <string>

#include "tartan/error.hpp"

namespace tartan::detail::io {

enum ErrKind : int { err_none = 0, err_io = 1, err_format = 2 };

/// Raises on every rank the error of the lowest rank that saw one (kind != err_none).
void agree(MPI_Comm comm, int kind, const std::string& msg);

/// Runs f on this rank and records what it threw as an agreed-error kind and message
/// (FormatError -> err_format, any other exception -> err_io), for agree() to raise.
template <class F>
void capture(int& kind, std::string& msg, F&& f) {
  try {
    f();
  } catch (const FormatError& e) {
    kind = err_format;
    msg = e.what();
  } catch (const std::exception& e) {
    kind = err_io;
    msg = e.what();
  }
}

/// MPI's text for an error code.
std::string mpi_error_string(int rc);

/// A temporary name beside path, the same on every rank (rank 0's pid).
std::string temp_beside(MPI_Comm comm, const std::string& path);

/// Rank 0 renames tmp over path; every rank learns whether it worked.
void commit_rename(MPI_Comm comm, const std::string& tmp, const std::string& path, const char* func);

}  // namespace tartan::detail::io
