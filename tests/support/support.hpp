#pragma once
// Helpers for the MPI tests: agreement across ranks before asserting, the grids to try at
// the current rank count, tolerances per element type, and collective error checks.

#include <mpi.h>

#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <complex>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "reference.hpp"
#include "tartan/tartan.hpp"

namespace tt = tartan;

namespace tartan_test {

/// The communicator the tests run on: the first k ranks of MPI_COMM_WORLD while the shared
/// main (mpi_main.cpp) runs the suite at k ranks. Tests use it wherever they would use
/// MPI_COMM_WORLD; every helper below agrees over it.
inline MPI_Comm& test_comm_slot() {
  static MPI_Comm c = MPI_COMM_WORLD;
  return c;
}
inline MPI_Comm test_comm() { return test_comm_slot(); }
/// This rank in test_comm(), and test_comm()'s size.
inline int test_rank() {
  int r = 0;
  MPI_Comm_rank(test_comm(), &r);
  return r;
}
inline int test_size() {
  int s = 0;
  MPI_Comm_size(test_comm(), &s);
  return s;
}

/// True on every rank when cond holds on every rank. Assert on this, never on a local
/// condition: a REQUIRE that fails on one rank only skips that rank's next collectives.
inline bool all_ranks(bool cond) {
  int in = cond ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LAND, test_comm());
  return out != 0;
}

/// True on every rank when v is the same on every rank.
inline bool same_on_all_ranks(long v) {
  long lo = 0, hi = 0;
  MPI_Allreduce(&v, &lo, 1, MPI_LONG, MPI_MIN, test_comm());
  MPI_Allreduce(&v, &hi, 1, MPI_LONG, MPI_MAX, test_comm());
  return lo == hi;
}

/// World rank 0's process id, the same on every rank of the launch (set by the shared main).
inline long& launch_id() {
  static long id = 0;
  return id;
}

/// A folder every rank of the launch shares, /tmp/<name>-<launch id>: made by rank 0 on
/// first use, removed when rank 0 exits. Collective over test_comm().
inline std::string scratch_dir(const std::string& name) {
  struct Made {
    std::vector<std::string> dirs;
    ~Made() {
      std::error_code ec;
      for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
    }
  };
  static Made made;
  const std::string d = (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(launch_id()))).string();
  if (test_rank() == 0 && !std::filesystem::exists(d)) {
    std::filesystem::create_directories(d);
    made.dirs.push_back(d);
  }
  MPI_Barrier(test_comm());
  return d;
}

/// Every grid shape P x Q with P * Q = test_size() (1xP, Px1 and the rest).
inline std::vector<std::pair<int, int>> grid_shapes() {
  std::vector<std::pair<int, int>> s;
  const int n = test_size();
  for (int p = 1; p <= n; ++p)
    if (n % p == 0) s.emplace_back(p, n / p);
  return s;
}

/// A reference copy of a distributed matrix on every rank (gathered to root, broadcast).
template <class T>
Mat<T> gather_all(const tt::DistMatrix<T>& A) {
  Mat<T> M = tt::to_eigen(A, 0);
  std::int64_t mn[2] = {A.rows(), A.cols()};
  if (test_rank() != 0) M.resize(mn[0], mn[1]);
  if (M.size() > 0) {
    MPI_Bcast(M.data(), static_cast<int>(M.size() * sizeof(T)), MPI_BYTE, 0, test_comm());
  }
  return M;
}

/// The same random matrix as tt::random, built serially on a 1x1 grid of this rank alone.
template <class T>
Mat<T> serial_random(std::int64_t m, std::int64_t n, std::uint64_t seed) {
  tt::Grid self(MPI_COMM_SELF);
  return tt::to_eigen(tt::random<T>(self, m, n, seed), 0);
}

/// Runs f on every rank and checks that every rank threw E, with the same message, which
/// contains `expect`. Returns that message.
template <class E, class F>
std::string require_throws_everywhere(F&& f, const std::string& expect) {
  std::string msg;
  bool threw = false;
  try {
    f();
  } catch (const E& e) {
    threw = true;
    msg = e.what();
  } catch (const std::exception& e) {
    msg = std::string("wrong exception type: ") + e.what();
  }
  INFO("rank " << test_rank() << " message: " << msg);
  REQUIRE(all_ranks(threw));
  const std::size_t h = std::hash<std::string>{}(msg);
  unsigned long long lo = h, hi = h, hv = h;
  MPI_Allreduce(&hv, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, test_comm());
  MPI_Allreduce(&hv, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, test_comm());
  REQUIRE(lo == hi);  // the same message on every rank
  REQUIRE(all_ranks(msg.find(expect) != std::string::npos));
  return msg;
}

}  // namespace tartan_test

#define TARTAN_TYPES float, double, std::complex<float>, std::complex<double>
