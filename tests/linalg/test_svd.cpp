// svd, svdvals, pinv, matrix_rank and cond (lib/linalg/svd.cpp).

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("svd, svdvals, pinv, matrix_rank, cond", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {13, 8}, {8, 13}, {31, 31}, {57, 17}})
      for (bool full : {false, true}) {
        auto A = tt::random<T>(g, m, n, 51, tt::Block{4, 4});
        const Mat<T> a = gather_all(A);
        const int k = std::min(m, n);
        auto [U, s, Vh] = tt::svd(A, {.full_matrices = full});
        REQUIRE(s.size() == std::size_t(k));
        REQUIRE(std::is_sorted(s.rbegin(), s.rend()));
        REQUIRE(U.cols() == (full ? m : k));
        REQUIRE(Vh.rows() == (full ? n : k));
        const Mat<T> u = gather_all(U), vh = gather_all(Vh);
        Mat<T> sig = Mat<T>::Zero(u.cols(), vh.rows());
        for (int i = 0; i < k; ++i) sig(i, i) = T(s[i]);
        REQUIRE(recon<T>(a, u * sig * vh) < 50);
        REQUIRE(orthogonality<T>(u) < 50);
        REQUIRE(orthogonality<T>(Mat<T>(vh.adjoint())) < 50);
        const auto sv = tt::svdvals(A);
        for (int i = 0; i < k; ++i) REQUIRE(std::abs(sv[i] - s[i]) <= 50 * eps<T>() * k * s[0]);
      }
    // pinv: Moore-Penrose conditions on a rank-deficient product
    auto U = tt::random<T>(g, 17, 4, 61, tt::Block{3, 3});
    auto V = tt::random<T>(g, 4, 9, 62, tt::Block{3, 3});
    auto A = tt::matmul(U, V);
    const Mat<T> a = gather_all(A);
    REQUIRE(tt::matrix_rank(A) == 4);
    const Mat<T> x = gather_all(tt::pinv(A));
    REQUIRE(x.rows() == 9);
    REQUIRE(one_norm(Mat<T>(a * x * a - a)) <= 1e3 * eps<T>() * one_norm(a) * 17);
    REQUIRE(one_norm(Mat<T>(x * a * x - x)) <= 1e3 * eps<T>() * one_norm(x) * 17);
    REQUIRE(tt::matrix_rank(tt::identity<T>(g, 7)) == 7);
    REQUIRE(tt::matrix_rank(tt::zeros<T>(g, 5, 3)) == 0);
    // cond of a diagonal matrix with known condition
    auto D = tt::from_function<T>(g, 10, 10, [](std::int64_t i, std::int64_t j) {
      return i == j ? T(tt::real_t<T>(std::pow(10.0, -double(i) / 3))) : T(0);
    });
    const double c = std::pow(10.0, 3.0);
    REQUIRE(std::abs(tt::cond(D) - c) <= 1e3 * eps<T>() * c);
    REQUIRE(std::abs(tt::cond(D, tt::Norm::one) - c) <= 1e3 * eps<T>() * c);
    REQUIRE(std::abs(tt::cond(D, tt::Norm::inf) - c) <= 1e3 * eps<T>() * c);
    auto Z = tt::identity<T>(g, 6);
    Z.set(4, 4, T(0));
    REQUIRE(std::isinf(tt::cond(Z)));
    REQUIRE(std::isinf(tt::cond(Z, tt::Norm::one)));
  }
}
