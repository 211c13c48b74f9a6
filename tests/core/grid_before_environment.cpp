// A Grid made before the Environment (MPI not initialized) throws a Tartan error that says
// what to do, instead of MPI's own abort. Runs without mpiexec, as a newcomer's first
// program would.

#include <cstdio>
#include <string>

#include "tartan/tartan.hpp"

int main() {
  try {
    tartan::Grid g;
  } catch (const tartan::InvalidArgument& e) {
    const std::string want = "Grid: MPI is not initialized: create a tartan::Environment first";
    if (std::string(e.what()) == want) {
      std::puts("grid_before_environment: passed");
      return 0;
    }
    std::fprintf(stderr, "grid_before_environment: message '%s', expected '%s'\n", e.what(), want.c_str());
    return 1;
  }
  std::fputs("grid_before_environment: no exception\n", stderr);
  return 1;
}
