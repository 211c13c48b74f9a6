// The shared Catch2 main of the MPI tests. One launch runs the whole suite once per rank
// count: on the first k ranks of MPI_COMM_WORLD for k = 1, 2, ... up to the launch's size
// (or the counts in TARTAN_TEST_RANKS, e.g. "6"), with the other ranks asleep meanwhile.
// So one 4-rank launch covers every grid of 1-4 ranks (1x1, 1x2, 2x1, 1x3, 3x1, 1x4, 2x2,
// 4x1), as four launches did, without starting MPI four times. A failure on any rank at
// any count fails the launch on every rank.

#define CATCH_CONFIG_RUNNER
#include <mpi.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"
#include "tartan/environment.hpp"

namespace {

// The rank counts to run the suite at: TARTAN_TEST_RANKS ("1,2,4"), or 1 .. world.
std::vector<int> rank_counts(int world) {
  std::vector<int> counts;
  if (const char* env = std::getenv("TARTAN_TEST_RANKS"); env && *env) {
    std::stringstream in(env);
    for (std::string item; std::getline(in, item, ',');) {
      const int k = std::atoi(item.c_str());
      if (k < 1 || k > world) {
        std::fprintf(stderr, "TARTAN_TEST_RANKS: %s is not a rank count of this %d-rank launch\n", item.c_str(), world);
        std::exit(2);
      }
      counts.push_back(k);
    }
    return counts;
  }
  for (int k = 1; k <= world; ++k) counts.push_back(k);
  return counts;
}

// MPI_MAX of v over the world, waiting without spinning: the ranks outside the current
// count wait here while the others test, and must not take their (oversubscribed) cores.
int world_max_asleep(int v) {
  int out = 0;
  MPI_Request req;
  MPI_Iallreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &req);
  for (int done = 0;;) {
    MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (done) return out;
    ::usleep(1000);
  }
}

}  // namespace

int main(int argc, char** argv) {
  tartan::Environment env(argc, argv);
  Catch::Session session;
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  int world = 1, me = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  tartan_test::launch_id() = static_cast<long>(::getpid());
  MPI_Bcast(&tartan_test::launch_id(), 1, MPI_LONG, 0, MPI_COMM_WORLD);
  int any_failed = 0;
  for (const int k : rank_counts(world)) {
    MPI_Comm sub = MPI_COMM_NULL;
    MPI_Comm_split(MPI_COMM_WORLD, me < k ? 0 : MPI_UNDEFINED, me, &sub);
    int failed = 0;
    if (sub != MPI_COMM_NULL) {
      if (me == 0) std::printf("=== the suite at %d rank%s ===\n", k, k == 1 ? "" : "s");
      std::fflush(stdout);
      tartan_test::test_comm_slot() = sub;
      failed = session.run();
      tartan_test::test_comm_slot() = MPI_COMM_WORLD;
      MPI_Comm_free(&sub);
    }
    if (world_max_asleep(failed) > 0) {
      if (me == 0) std::printf("=== failed at %d rank%s ===\n", k, k == 1 ? "" : "s");
      any_failed = 1;
    }
  }
  return any_failed;
}
