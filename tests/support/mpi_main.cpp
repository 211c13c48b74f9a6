// The shared Catch2 main of the MPI tests: starts MPI through tartan::Environment, runs
// the tests on every rank, and fails on every rank when any rank saw a failure.

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <mpi.h>

#include "tartan/environment.hpp"

int main(int argc, char** argv) {
  tartan::Environment env(argc, argv);
  Catch::Session session;
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  const int failed = session.run();
  int any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any_failed > 0 ? 1 : 0;
}
