// The C++ side of bench/python/overhead.py: tartan::solve on the same generated system,
// best of reps, timed the same way (barrier, wall clock, barrier).
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "tartan/tartan.hpp"

int main(int argc, char** argv) {
  tartan::Environment env(argc, argv);
  const long n = argc > 1 ? std::atol(argv[1]) : 2000;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  tartan::Grid g;
  auto A = tartan::random<double>(g, n, n, 1);
  auto B = tartan::random<double>(g, n, 1, 2);
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t = MPI_Wtime();
    auto X = tartan::solve(A, B);
    MPI_Barrier(MPI_COMM_WORLD);
    best = std::min(best, MPI_Wtime() - t);
  }
  if (g.rank() == 0)
    std::printf("C++ tartan::solve n=%ld grid %dx%d: best of %d %.4f s\n", n, g.prows(), g.pcols(), reps, best);
}
