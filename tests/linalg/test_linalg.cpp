// What every linalg function shares: hard matrices (graded spectrum, Hilbert, clustered
// eigenvalues), every error on every rank with the inputs intact, and rvalue arguments
// factored in place. The families have their own files (test_solve.cpp, test_qr.cpp, ...),
// built into the same test_linalg program.

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("hard matrices: graded spectrum, Hilbert, clustered eigenvalues", "", TARTAN_TYPES) {
  using T = TestType;
  using R = tt::real_t<T>;
  tt::Grid g(test_comm());
  const int n = 40;
  // Graded: Q1 diag(1 .. 1/cond) Q2 with cond 1e8 (1e4 in single precision): no throw, backward error small.
  const double condition = std::is_same_v<R, float> ? 1e4 : 1e8;
  auto Q1 = tt::qr(tt::random<T>(g, n, n, 81, tt::Block{4, 4})).q;
  auto Q2 = tt::qr(tt::random<T>(g, n, n, 82, tt::Block{4, 4})).q;
  auto D = tt::from_function<T>(
      g, n, n,
      [&](std::int64_t i, std::int64_t j) { return i == j ? T(R(std::pow(condition, -double(i) / (n - 1)))) : T(0); },
      tt::Block{4, 4});
  auto A = tt::matmul(tt::matmul(Q1, D), Q2);
  auto B = tt::random<T>(g, n, 2, 83, tt::Block{4, 4});
  const Mat<T> a = gather_all(A), b = gather_all(B);
  REQUIRE(solve_residual<T>(a, gather_all(tt::solve(A, B)), b) < 16);
  const auto s = tt::svdvals(A);
  REQUIRE(std::abs(double(s.front() / s.back()) / condition - 1) < 0.1);
  // Hilbert matrix: positive definite and very ill-conditioned; Cholesky solve backward-stable.
  const int h = std::is_same_v<R, float> ? 6 : 10;
  auto H = tt::from_function<T>(
      g, h, h, [](std::int64_t i, std::int64_t j) { return T(R(1.0 / double(i + j + 1))); }, tt::Block{3, 3});
  auto Bh = tt::random<T>(g, h, 1, 84, tt::Block{3, 3});
  auto Xh = tt::solve(H, Bh, {.assume = tt::Structure::positive_definite});
  REQUIRE(solve_residual<T>(gather_all(H), gather_all(Xh), gather_all(Bh)) < 16);
  // Clustered eigenvalues: Q diag(1, 1+d, 1+2d, ..., 2) Q^H with d tiny.
  auto Q = tt::qr(tt::random<T>(g, n, n, 85, tt::Block{4, 4})).q;
  auto L = tt::from_function<T>(
      g, n, n,
      [&](std::int64_t i, std::int64_t j) {
        return i == j ? T(R(i + 1 < n ? 1.0 + 1e3 * eps<T>() * double(i) : 2.0)) : T(0);
      },
      tt::Block{4, 4});
  auto S = tt::matmul(tt::matmul(Q, L), tt::adjoint(Q));
  auto [w, V] = tt::eigh(S);
  const Mat<T> v = gather_all(V), sm = gather_all(S);
  REQUIRE(orthogonality<T>(v) < 50);
  Mat<T> wl = Mat<T>::Zero(n, n);
  for (int i = 0; i < n; ++i) wl(i, i) = T(w[i]);
  REQUIRE(one_norm(Mat<T>(sm * v - v * wl)) / (eps<T>() * one_norm(sm) * n) < 50);
}

TEMPLATE_TEST_CASE("linalg errors: same exception and message on every rank, inputs intact", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto rect = tt::random<T>(g, 6, 5, 1);
  auto sq = tt::random<T>(g, 6, 6, 2);
  auto b6 = tt::random<T>(g, 6, 1, 3);
  auto b5 = tt::random<T>(g, 5, 1, 4);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(rect, b6); },
                                                 "solve: A is 6x5, expected a square matrix");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(sq, b5); }, "solve: A is 6x6 and B is 5x1");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::inv(rect); }, "inv: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::det(rect); }, "det: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::cholesky(rect); }, "cholesky: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::eigh(rect); }, "eigh: A is 6x5");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::lstsq(rect, b5); }, "lstsq: A is 6x5 and B is 5x1");
  require_throws_everywhere<tt::InvalidArgument>(
      [&] {
        tt::eigh(sq, {.subset_by_index = std::pair<std::int64_t, std::int64_t>{3, 6}});
      },
      "subset_by_index");
  tt::Grid other(test_comm());
  auto elsewhere = tt::random<T>(other, 6, 1, 5);
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(sq, elsewhere); }, "different grids");

  // Exactly singular: a zero column. The pivot index is reported, on every rank.
  auto sing = sq.copy();
  sing.for_each_local([](std::int64_t, std::int64_t j, T& x) {
    if (j == 3) x = T(0);
  });
  const Mat<T> before = gather_all(sing);
  const auto msg = require_throws_everywhere<tt::SingularMatrix>([&] { tt::solve(sing, b6); }, "singular matrix");
  REQUIRE(gather_all(sing) == before);
  std::int64_t index = -1;
  try {
    tt::inv(sing);
  } catch (const tt::SingularMatrix& e) {
    index = e.index();
  }
  REQUIRE(all_ranks(index == 3));  // thrown, with the pivot, on every rank
  auto lu = tt::lu_factor(sing);   // no throw, as scipy
  REQUIRE(lu.singular_index() == 3);
  REQUIRE(lu.det() == T(0));
  require_throws_everywhere<tt::SingularMatrix>([&] { lu.solve(b6); }, "U(3,3) is exactly zero");

  // Not positive definite: the order of the failing minor.
  auto npd = tt::identity<T>(g, 6);
  npd.set(4, 4, T(-1));
  require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::cholesky(npd); },
                                                     "leading minor of order 5 is not positive definite");
  std::int64_t order = -1;
  try {
    tt::cho_factor(npd);
  } catch (const tt::NotPositiveDefinite& e) {
    order = e.order();
  }
  REQUIRE(all_ranks(order == 5));
  require_throws_everywhere<tt::NotPositiveDefinite>(
      [&] { tt::solve(npd, b6, {.assume = tt::Structure::positive_definite}); }, "order 5");
  require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::eigh(sq, npd); }, "B is not positive definite");

  // NaN and Inf are caught before ScaLAPACK sees them (p?potrf would return garbage,
  // p?syevd would abort the job).
  auto nan = sq.copy();
  nan.set(5, 2, T(std::numeric_limits<tt::real_t<T>>::quiet_NaN()));
  auto inf = sq.copy();
  inf.set(0, 0, T(std::numeric_limits<tt::real_t<T>>::infinity()));
  for (auto* bad : {&nan, &inf}) {
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::solve(*bad, b6); }, "solve: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::cholesky(*bad); }, "cholesky: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::eigh(*bad); }, "eigh: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::svd(*bad); }, "svd: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::qr(*bad); }, "qr: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::lstsq(*bad, b6); }, "lstsq: A contains NaN or Inf");
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::inv(*bad); }, "inv: A contains NaN or Inf");
  }
  // Ill-conditioned but nonsingular: no throw.
  auto ill = tt::identity<T>(g, 6);
  ill.set(5, 5, T(tt::real_t<T>(1e-30)));
  REQUIRE_NOTHROW(tt::solve(ill, b6));
  // numpy's empty-matrix conventions
  auto e = tt::zeros<T>(g, 0, 0);
  REQUIRE(tt::det(e) == T(1));
  REQUIRE(tt::inv(e).rows() == 0);
  REQUIRE(tt::eigh(e).eigenvalues.empty());
  REQUIRE(tt::svdvals(e).empty());
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::cond(e); }, "expected a non-empty matrix");
}

TEMPLATE_TEST_CASE("rvalue arguments are factored in place with the same results", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : std::vector<tt::Block>{{4, 4}, {3, 5}}) {  // square blocks move, others redistribute
      auto A = tt::random<T>(g, 31, 31, 91, b);
      auto S = hermitian_random<T>(g, 31, 92, b, 40.0);
      const Mat<T> a = gather_all(A);
      auto B = tt::random<T>(g, 31, 2, 93, tt::Block{b.mb, 2});
      const Mat<T> x_ref = gather_all(tt::lu_factor(A).solve(B));
      auto lu = tt::lu_factor(A.copy());  // a temporary: no second copy inside
      REQUIRE(gather_all(lu.solve(B)) == x_ref);
      const Mat<T> l_ref = gather_all(tt::cholesky(S));
      auto S2 = S.copy();
      REQUIRE(gather_all(tt::cholesky(std::move(S2))) == l_ref);
      auto [q, r] = tt::qr(A.copy());
      REQUIRE(recon<T>(a, gather_all(q) * gather_all(r)) < 50);
      REQUIRE(gather_all(tt::qr(A.copy(), {.mode = tt::QrMode::r}).r) ==
              gather_all(tt::qr(A, {.mode = tt::QrMode::r}).r));
      // the 0.1 form qr(A, mode), deprecated in 0.2: the same factors
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      REQUIRE(gather_all(tt::qr(A, tt::QrMode::complete).q) == gather_all(tt::qr(A, {.mode = tt::QrMode::complete}).q));
#pragma GCC diagnostic pop
    }
  }
  tt::Grid g(test_comm());
  auto npd = tt::identity<T>(g, 6);
  npd.set(2, 2, T(-1));
  require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::cholesky(npd.copy()); }, "order 3");
}
