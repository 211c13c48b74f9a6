// solve, lu_factor, cholesky and inv (lib/linalg/{solve,lu,cholesky,inv}.cpp): scaled
// residuals with ScaLAPACK/HPL thresholds, every element type, awkward sizes and blocks.

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("solve (general) on random matrices, every grid and block", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes)
      for (auto b : blocks)
        for (int nrhs : {1, 3}) {
          auto A = tt::random<T>(g, n, n, 100 + n, b, tt::Source{P - 1, Q - 1});
          auto B = tt::random<T>(g, n, nrhs, 200 + n, tt::Block{b.mb, 2});
          const Mat<T> a = gather_all(A), bb = gather_all(B);
          auto X = tt::solve(A, B);
          REQUIRE(X.rows() == n);
          REQUIRE(X.cols() == nrhs);
          INFO("n=" << n << " block " << b.mb << "x" << b.nb << " grid " << P << "x" << Q);
          REQUIRE(solve_residual<T>(a, gather_all(X), bb) < 16);
          REQUIRE(gather_all(A) == a);  // inputs untouched
          REQUIRE(gather_all(B) == bb);
        }
  }
}

TEMPLATE_TEST_CASE("solve with positive definite, symmetric and hermitian structure", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (int n : {1, 13, 57})
    for (bool lower : {false, true}) {
      auto A = hermitian_random<T>(g, n, 3, tt::Block{4, 4}, n + 1.0);  // diagonally shifted: positive definite
      auto B = tt::random<T>(g, n, 2, 5, tt::Block{4, 4});
      const Mat<T> a = gather_all(A), bb = gather_all(B);
      auto X = tt::solve(A, B, {.assume = tt::Structure::positive_definite, .lower = lower});
      REQUIRE(solve_residual<T>(a, gather_all(X), bb) < 16);
      auto S = hermitian_random<T>(g, n, 4, tt::Block{3, 3});  // indefinite
      // Spoil the unused triangle: the result must not depend on it.
      auto Sp = S.copy();
      Sp.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
        if (lower ? j > i : i > j) x = T(1e3);
      });
      const Mat<T> s = gather_all(S);
      const auto kind = !std::is_same_v<T, tt::real_t<T>> ? tt::Structure::hermitian : tt::Structure::symmetric;
      auto Y = tt::solve(Sp, B, {.assume = kind, .lower = lower});
      REQUIRE(solve_residual<T>(s, gather_all(Y), bb) < 16);
    }
}

TEMPLATE_TEST_CASE("lu_factor: many right-hand sides, transposed solves, det and slogdet", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : {0, 1, 2, 17, 31}) {
      auto A = tt::random<T>(g, n, n, 7, tt::Block{4, 4});
      const Mat<T> a = gather_all(A);
      auto lu = tt::lu_factor(A);
      REQUIRE(lu.singular_index() == -1);
      for (auto op : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint}) {
        auto B = tt::random<T>(g, n, 3, 8, tt::Block{4, 3});
        auto X = lu.solve(B, op);
        const Mat<T> opa =
            op == tt::Op::none ? a : (op == tt::Op::transpose ? Mat<T>(a.transpose()) : Mat<T>(a.adjoint()));
        REQUIRE(solve_residual<T>(opa, gather_all(X), gather_all(B)) < 16);
      }
      const T d = lu.det();
      const std::complex<double> dref = ref_det(a);
      INFO("n=" << n << " det " << d << " ref " << dref);
      REQUIRE(std::abs(std::complex<double>(d) - dref) <=
              1e3 * eps<T>() * n * std::max<double>(1, std::abs(dref)) + 1e-30);
      REQUIRE(std::abs(tt::det(A) - d) <= 10 * eps<T>() * std::max<double>(1, std::abs(d)));
      const auto sl = tt::slogdet(A);
      if (n > 0) {
        REQUIRE(std::abs(double(sl.logabsdet) - std::log(std::abs(dref))) <= 1e3 * eps<T>() * n);
        REQUIRE(std::abs(std::complex<double>(sl.sign) - dref / std::abs(dref)) <= 1e3 * eps<T>() * n);
      } else {
        REQUIRE(sl.sign == T(1));
        REQUIRE(sl.logabsdet == 0);
      }
    }
  }
  // slogdet does not overflow where det does
  tt::Grid g(test_comm());
  auto big = tt::from_function<T>(g, 200, 200, [](std::int64_t i, std::int64_t j) { return i == j ? T(1e4) : T(0); });
  const auto sl = tt::slogdet(big);
  REQUIRE(std::abs(double(sl.logabsdet) - 200 * std::log(1e4)) < 1e-3);
  REQUIRE(std::isinf(std::abs(tt::det(big))));
}

TEMPLATE_TEST_CASE("cholesky and cho_factor", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes)
      for (bool lower : {true, false}) {
        auto A = hermitian_random<T>(g, n, 9, tt::Block{3, 3}, n + 2.0);
        const Mat<T> a = gather_all(A);
        auto C = tt::cholesky(A, {.lower = lower});
        const Mat<T> c = gather_all(C);
        const Mat<T> prod = lower ? Mat<T>(c * c.adjoint()) : Mat<T>(c.adjoint() * c);
        REQUIRE(recon<T>(a, prod) < 16);
        if (n > 1) {
          REQUIRE((lower ? c(0, n - 1) : c(n - 1, 0)) == T(0));  // the other triangle is zero
        }
        auto f = tt::cho_factor(A, {.lower = lower});
        auto B = tt::random<T>(g, n, 3, 10, tt::Block{3, 2});
        REQUIRE(solve_residual<T>(a, gather_all(f.solve(B)), gather_all(B)) < 16);
      }
  }
}

TEMPLATE_TEST_CASE("inv", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (int n : sizes) {
      auto A = tt::random<T>(g, n, n, 71, tt::Block{4, 4});
      const Mat<T> a = gather_all(A);
      const Mat<T> x = gather_all(tt::inv(A));
      if (n == 0) continue;
      // ||A inv(A) - I||_1 / (eps ||A||_1 ||inv(A)||_1 n)
      const double r = one_norm(Mat<T>(a * x - Mat<T>::Identity(n, n))) / (eps<T>() * one_norm(a) * one_norm(x) * n);
      REQUIRE(r < 16);
    }
  }
}
