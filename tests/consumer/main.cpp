// Solves a generated system with the installed Tartan and checks the HPL residual.
#include <cstdio>
#include <limits>
#include <tartan/tartan.hpp>

namespace tt = tartan;

int main(int argc, char** argv) {
  tt::Environment env(argc, argv);
  tt::Grid grid;
  const std::int64_t n = 300;
  auto A = tt::random<double>(grid, n, n, 1);
  auto B = tt::random<double>(grid, n, 2, 2);
  auto X = tt::solve(A, B);
  const double eps = std::numeric_limits<double>::epsilon() / 2;
  const double r = tt::norm(tt::matmul(A, X) - B, tt::Norm::inf) /
                   (eps * (tt::norm(A, tt::Norm::inf) * tt::norm(X, tt::Norm::inf) + tt::norm(B, tt::Norm::inf)) * n);
  auto [w, V] = tt::eigh(tt::matmul(tt::transpose(A), A));
  const bool ok = r < 16 && w.front() > 0;
  if (grid.rank() == 0)
    std::printf("consumer: %d ranks, scaled residual %.3e, %s\n", grid.size(), r, ok ? "PASSED" : "FAILED");
  return ok ? 0 : 1;
}
