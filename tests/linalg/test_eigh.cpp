// eigh, eigvalsh, subsets and the generalized problem (lib/linalg/eigh.cpp).

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("eigh, eigvalsh and subsets", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes)
      for (bool lower : {true, false}) {
        auto A = hermitian_random<T>(g, n, 5, tt::Block{4, 4});
        const Mat<T> a = gather_all(A);
        INFO("n=" << n << " lower=" << lower << " grid " << P << "x" << Q);
        auto [w, V] = tt::eigh(A, {.lower = lower});
        REQUIRE(w.size() == std::size_t(n));
        REQUIRE(std::is_sorted(w.begin(), w.end()));
        const Mat<T> v = gather_all(V);
        if (n > 0) {
          Mat<T> wl = Mat<T>::Zero(n, n);
          for (int i = 0; i < n; ++i) wl(i, i) = T(w[i]);
          const double res = one_norm(Mat<T>(a * v - v * wl)) / (eps<T>() * std::max(1.0, one_norm(a)) * n);
          REQUIRE(res < 50);
          REQUIRE(orthogonality<T>(v) < 50);
          const std::vector<double> wref = ref_eigvalsh(a);
          for (int i = 0; i < n; ++i)
            REQUIRE(std::abs(double(w[i]) - wref[std::size_t(i)]) <= 50 * eps<T>() * n * std::max(1.0, one_norm(a)));
          const auto wv = tt::eigvalsh(A, {.lower = lower});
          for (int i = 0; i < n; ++i) REQUIRE(std::abs(wv[i] - w[i]) <= 50 * eps<T>() * n * std::max(1.0, one_norm(a)));
        }
        if (n >= 13) {
          auto sub = tt::eigh(A, {.lower = lower, .subset_by_index = std::pair<std::int64_t, std::int64_t>{2, 6}});
          REQUIRE(sub.eigenvalues.size() == 5);
          REQUIRE(sub.eigenvectors.cols() == 5);
          for (int i = 0; i < 5; ++i)
            REQUIRE(std::abs(sub.eigenvalues[i] - w[2 + i]) <= 50 * eps<T>() * n * std::max(1.0, one_norm(a)));
          const double lo = (double(w[3]) + double(w[4])) / 2, hi = (double(w[8]) + double(w[9])) / 2;
          auto byv = tt::eigvalsh(A, {.lower = lower, .subset_by_value = std::pair{lo, hi}});
          REQUIRE(byv.size() == 5);  // w[4] .. w[8]
          REQUIRE(std::abs(byv[0] - w[4]) <= R(50 * eps<T>() * n * std::max(1.0, one_norm(a))));
        }
      }
  }
}

TEMPLATE_TEST_CASE("generalized eigh(A, B)", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (int n : {1, 13, 31}) {
    auto A = hermitian_random<T>(g, n, 11, tt::Block{4, 4});
    auto B = hermitian_random<T>(g, n, 12, tt::Block{4, 4}, n + 1.0);
    const Mat<T> a = gather_all(A), b = gather_all(B);
    for (bool lower : {true, false}) {
      auto [w, V] = tt::eigh(A, B, {.lower = lower});
      const Mat<T> v = gather_all(V);
      Mat<T> wl = Mat<T>::Zero(n, n);
      for (int i = 0; i < n; ++i) wl(i, i) = T(w[i]);
      const double res = one_norm(Mat<T>(a * v - b * v * wl)) /
                         (eps<T>() * (one_norm(a) + one_norm(b)) * std::max(1.0, one_norm(v)) * n);
      REQUIRE(res < 50);
      const Mat<T> vbv = v.adjoint() * b * v - Mat<T>::Identity(n, n);  // B-orthonormal
      REQUIRE(one_norm(vbv) / (eps<T>() * one_norm(b) * n) < 50);
      const auto wv = tt::eigvalsh(A, B, {.lower = lower});
      REQUIRE(wv.size() == std::size_t(n));
      const std::vector<double> gref = ref_eigvalsh(a, b);
      for (int i = 0; i < n; ++i) {
        REQUIRE(std::abs(double(wv[i]) - gref[std::size_t(i)]) <=
                1e3 * eps<T>() * n * (one_norm(a) + one_norm(b)) * std::max(1.0, one_norm(v)));
        REQUIRE(std::abs(double(wv[i]) - double(w[i])) <= 1e3 * eps<T>() * n * (one_norm(a) + one_norm(b)));
      }
    }
  }
}
