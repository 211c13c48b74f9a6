// Agreed file errors and the temporary-file-then-rename protocol.

#include "io/common.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

namespace tartan::detail::io {

void agree(MPI_Comm comm, int kind, const std::string& msg) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  int mine = kind != err_none ? rank : std::numeric_limits<int>::max(), first = 0;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == std::numeric_limits<int>::max()) return;
  int k = kind;
  MPI_Bcast(&k, 1, MPI_INT, first, comm);
  int len = static_cast<int>(msg.size());
  MPI_Bcast(&len, 1, MPI_INT, first, comm);
  std::string text = msg;
  text.resize(static_cast<std::size_t>(len));
  MPI_Bcast(text.data(), len, MPI_CHAR, first, comm);
  if (k == err_format) throw FormatError(text);
  throw IoError(text);
}

std::string mpi_error_string(int rc) {
  char buf[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, buf, &len);
  return std::string(buf, static_cast<std::size_t>(len));
}

std::string temp_beside(MPI_Comm comm, const std::string& path) {
  long pid = static_cast<long>(getpid());
  MPI_Bcast(&pid, 1, MPI_LONG, 0, comm);
  return path + ".tartan-tmp-" + std::to_string(pid);
}

void commit_rename(MPI_Comm comm, const std::string& tmp, const std::string& path, const char* func) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string msg;
  int kind = err_none;
  if (rank == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) {
    kind = err_io;
    msg = std::string(func) + ": cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(errno);
    std::remove(tmp.c_str());
  }
  agree(comm, kind, msg);
}

}  // namespace tartan::detail::io
