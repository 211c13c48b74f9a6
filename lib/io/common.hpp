#pragma once
// What the file formats share: checks of a path before it is opened, and the
// temporary-file-then-rename protocol of crash-safe writes. Errors are agreed with
// core/agree.hpp's collectively().

#include <mpi.h>

#include <string>

#include "tartan/error.hpp"
#include "tartan/io.hpp"

namespace tartan::detail::io {

/// Throws IoError unless path names an existing regular file (a FIFO would block the
/// reader forever, /dev/zero never ends). Local: call it on the rank that reads.
void require_regular_file(const std::string& path, const char* func);

/// Throws IoError when Open MPI's MPI-IO cannot open path: its shared-file-pointer code
/// copies the file's name into a fixed buffer and aborts the job ("buffer overflow
/// detected") on names of about 236 characters. Metadata only: every rank throws alike.
void require_mpiio_name(const std::string& path, const char* func);

/// MPI's text for an error code.
std::string mpi_error_string(int rc);

/// A temporary name in path's directory with a short file name (so MPI-IO can open it
/// whatever the target's name), the same on every rank. Collective.
std::string temp_beside(MPI_Comm comm, const std::string& path);

/// Rank 0 creates tmp and allocates its whole size (posix_fallocate) before any data is
/// written; every rank learns whether that worked (IoError naming func and path). MPI-IO's
/// collective writes do not always report a disk that fills during the write (Open MPI's
/// OMPIO returned a full count on the aggregator that hit ENOSPC, the file then had its
/// full size with a hole), so the space is claimed before, where the error is certain.
/// Collective.
void reserve(MPI_Comm comm, const std::string& tmp, long long bytes, const std::string& path, const char* func);

/// Rank 0 renames tmp over path; every rank learns whether it worked (IoError). Collective.
void commit_rename(MPI_Comm comm, const std::string& tmp, const std::string& path, const char* func);

/// Rank 0 removes tmp (after a failed write). Local.
void discard(MPI_Comm comm, const std::string& tmp);

}  // namespace tartan::detail::io
