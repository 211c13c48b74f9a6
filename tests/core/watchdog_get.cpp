// The watchdog (TARTAN_WATCHDOG): rank 0 alone asks for an entry another rank holds, the
// classic one-sided collective. Without the watchdog this hangs; with it rank 0 must name
// the call and end the job. Run by CTest at 2 ranks; the expected words are in tests/CMakeLists.txt.
// With the argument "check", every rank makes the call: the watchdog must stay quiet.

#include <mpi.h>

#include <cstdio>
#include <cstring>

#include "tartan/tartan.hpp"

int main(int argc, char** argv) {
  tartan::Environment env(argc, argv);
  tartan::Grid g(MPI_COMM_WORLD, 1, 2);
  auto A = tartan::random<double>(g, 100, 100, 1);
  const bool everyone = argc > 1 && std::strcmp(argv[1], "check") == 0;
  if (everyone || g.rank() == 0) {
    const double v = A.get(0, 80);  // column 80 is in process column 1's second block
    if (g.rank() == 0) std::printf("get returned %g\n", v);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (g.rank() == 0) std::printf("watchdog test: all ranks made the call\n");
  return 0;
}
