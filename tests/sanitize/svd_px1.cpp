// The complex SVD on a P x 1 grid of all ranks (the grids where complex p?gebrd faulted
// under AddressSanitizer; see tests/README.md, "Sanitizers"): svd by both drivers and
// svdvals, square, tall and wide, sizes 3-129, complex<double> and complex<float>; U S Vh
// must reproduce A. Exits 0 when every case passed. Run by the sanitize tier at 2, 3 and 4
// ranks; repeated by hand (tests/README.md).

#include <cstdio>
#include <limits>
#include <tartan/tartan.hpp>

namespace tt = tartan;

template <class T>
int run(const tt::Grid& g) {
  int bad = 0;
  for (std::int64_t n : {3, 17, 64, 65, 100, 129}) {
    for (auto [m, k] : {std::pair<std::int64_t, std::int64_t>{n, n}, {n + 7, n}, {n, n + 5}}) {
      auto A = tt::random<T>(g, m, k, 7 + n);
      auto [U, s, Vh] = tt::svd(A);
      auto S = tt::zeros<T>(g, std::min(m, k), std::min(m, k));
      for (std::int64_t i = 0; i < std::int64_t(s.size()); ++i) S.set(i, i, T(s[i]));
      auto R = tt::matmul(tt::matmul(U, S), Vh);
      const double r = tt::norm(R - A) / (tt::norm(A) * std::max(m, k) * std::numeric_limits<tt::real_t<T>>::epsilon());
      if (!(r < 50)) ++bad;
      auto s2 = tt::svdvals(A);
      auto [U2, s3, Vh2] = tt::svd(A, {.driver = tt::SvdDriver::gesvd});
      if (s2.size() != s.size() || s3.size() != s.size() || U2.cols() != U.cols() || Vh2.rows() != Vh.rows()) ++bad;
    }
  }
  return bad;
}

int main(int argc, char** argv) {
  tt::Environment env(argc, argv);
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  tt::Grid g(MPI_COMM_WORLD, size, 1);
  const int bad = run<std::complex<double>>(g) + run<std::complex<float>>(g);
  if (g.rank() == 0) std::printf("%dx1: %s\n", size, bad ? "FAILED" : "passed");
  return bad ? 1 : 0;
}
