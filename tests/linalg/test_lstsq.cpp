// lstsq (lib/linalg/lstsq.cpp): over-determined, under-determined and rank-deficient.

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("lstsq: over-determined, under-determined and rank-deficient", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  // Full rank over-determined: x agrees with the normal equations' answer; residuals as numpy.
  for (auto [m, n] : std::vector<std::pair<int, int>>{{31, 13}, {13, 31}, {17, 17}}) {
    auto A = tt::random<T>(g, m, n, 31, tt::Block{4, 4});
    auto B = tt::random<T>(g, m, 3, 32, tt::Block{4, 4});
    const Mat<T> a = gather_all(A), b = gather_all(B);
    auto res = tt::lstsq(A, B);
    REQUIRE(res.rank == std::min(m, n));
    REQUIRE(res.s.size() == std::size_t(std::min(m, n)));
    const Mat<T> x = gather_all(res.x);
    const Mat<T> ref = ref_lstsq(a, b);  // minimum norm solution
    REQUIRE((x - ref).norm() <= 1e3 * eps<T>() * std::max<double>(1, ref.norm()) * n);
    if (m > n) {
      REQUIRE(res.residuals.size() == 3);
      for (int j = 0; j < 3; ++j) {
        const double rr = double((a * x.col(j) - b.col(j)).squaredNorm());
        REQUIRE(std::abs(double(res.residuals[j]) - rr) <= 1e3 * eps<T>() * std::max(1.0, rr) * m);
      }
    } else {
      REQUIRE(res.residuals.empty());
    }
  }
  // Rank-deficient: A = U V with rank 5; minimum norm solution, no residuals.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid h(test_comm(), P, Q);
    auto U = tt::random<T>(h, 23, 5, 41, tt::Block{3, 3});
    auto V = tt::random<T>(h, 5, 11, 42, tt::Block{3, 3});
    auto A = tt::matmul(U, V);
    auto B = tt::random<T>(h, 23, 2, 43, tt::Block{3, 3});
    const Mat<T> a = gather_all(A), b = gather_all(B);
    auto res = tt::lstsq(A, B, {.rcond = 1e3 * eps<T>()});
    REQUIRE(res.rank == 5);
    REQUIRE(res.residuals.empty());
    const Mat<T> ref = ref_lstsq(a, b, 1e3 * eps<T>());
    REQUIRE((gather_all(res.x) - ref).norm() <= 1e4 * eps<T>() * std::max<double>(1, ref.norm()) * 23);
  }
}
