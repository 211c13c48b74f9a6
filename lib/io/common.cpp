// Path checks and the temporary-file-then-rename protocol of crash-safe writes.

#include "io/common.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/agree.hpp"

namespace tartan::detail::io {

namespace {
std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}
std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
}
}  // namespace

void require_regular_file(const std::string& path, const char* func) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw IoError(std::string(func) + ": cannot open '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    const char* what = S_ISFIFO(st.st_mode)   ? "a FIFO"
                       : S_ISDIR(st.st_mode)  ? "a directory"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    throw IoError(std::string(func) + ": '" + path + "' is " + what + ", expected a regular file");
  }
}

void require_mpiio_name(const std::string& path, const char* func) {
  constexpr std::size_t limit = 200;
  const std::string name = base_name(path);
  if (name.size() > limit)
    throw IoError(std::string(func) + ": the file name '" + name.substr(0, 40) + "...' is " +
                  std::to_string(name.size()) +
                  " characters long; Open MPI's MPI-IO aborts on names over about 236, "
                  "so Tartan reads names of at most " +
                  std::to_string(limit) + ": rename the file or link to it");
}

std::string mpi_error_string(int rc) {
  char buf[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, buf, &len);
  return std::string(buf, static_cast<std::size_t>(len));
}

std::string temp_beside(MPI_Comm comm, const std::string& path) {
  static long counter = 0;
  long id[2] = {static_cast<long>(getpid()), counter++};
  MPI_Bcast(id, 2, MPI_LONG, 0, comm);
  return directory_of(path) + "/.tartan-" + std::to_string(id[0]) + "-" + std::to_string(id[1]) + ".tmp";
}

void commit_rename(MPI_Comm comm, const std::string& tmp, const std::string& path, const char* func) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  collectively(comm, [&] {
    if (rank == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      std::remove(tmp.c_str());
      throw IoError(std::string(func) + ": cannot rename the finished file to '" + path + "': " + why);
    }
  });
}

void reserve(MPI_Comm comm, const std::string& tmp, long long bytes, const std::string& path, const char* func) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  collectively(comm, [&] {
    if (rank != 0) return;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
      throw IoError(std::string(func) + ": cannot create a file beside '" + path + "': " + std::strerror(errno));
    const int rc = bytes > 0 ? ::posix_fallocate(fd, 0, static_cast<off_t>(bytes)) : 0;
    ::close(fd);
    if (rc != 0) {
      std::remove(tmp.c_str());
      throw IoError(std::string(func) + ": cannot reserve " + std::to_string(bytes) + " bytes for '" + path +
                    "': " + std::strerror(rc) + "; '" + path + "' is unchanged");
    }
  });
}

void discard(MPI_Comm comm, const std::string& tmp) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank == 0) std::remove(tmp.c_str());
}

}  // namespace tartan::detail::io
