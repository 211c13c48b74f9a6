// The README's tour of the API, compiled and run by the test suite so it stays true.
#include <cstdio>
#include <tartan/tartan.hpp>
namespace tt = tartan;

int main(int argc, char** argv) {
  tt::Environment env(argc, argv);  // MPI + one BLAS thread per core per rank
  tt::Grid grid;                    // all ranks, most square P x Q
  const std::int64_t n = 1000;
  auto A = tt::random<double>(grid, n, n, /*seed=*/1);  // same matrix on any grid
  auto B = tt::random<double>(grid, n, 2, /*seed=*/2);

  auto X = tt::solve(A, B);  // LU; A and B untouched
  double r = tt::norm(tt::matmul(A, X) - B) / tt::norm(B);

  auto S = tt::matmul(tt::transpose(A), A);  // symmetric positive definite
  auto [w, V] = tt::eigh(S);                 // w: std::vector<double>, every rank
  auto [U, s, Vh] = tt::svd(A);              // s descending
  auto ls = tt::lstsq(tt::random<double>(grid, 2 * n, n, 3), tt::random<double>(grid, 2 * n, 1, 4));

  try {
    auto L = tt::cholesky(A);                   // A is not positive definite
  } catch (const tt::NotPositiveDefinite& e) {  // thrown on every rank alike
    if (grid.rank() == 0) std::printf("%s (order %lld)\n", e.what(), (long long)e.order());
  }
  Eigen::MatrixXd M = tt::to_eigen(X, /*root=*/0);  // whole matrix on rank 0
  if (grid.rank() == 0) std::printf("residual %.2e, rank %lld\n", r, (long long)ls.rank);
}
