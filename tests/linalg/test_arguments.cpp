// What users try first and the landed tests never did: the default block at sizes around
// it, the first block off process (0,0), NaN tolerances, errors of nested calls, and the
// rvalue overloads' consumption of their argument.

#include <cmath>

#include "support.hpp"

using namespace tartan_test;

namespace {

template <class T>
tt::DistMatrix<T> symmetric(const tt::Grid& g, std::int64_t n, std::uint64_t seed, tt::Block b = {},
                            tt::Source s = {}) {
  auto R = tt::random<T>(g, n, n, seed, b, s);
  auto S = tt::adjoint(R);
  tt::axpy(T(1), R, S);  // S = R + R^H, laid out like R's transpose
  return tt::redistribute(S, g, b, s);
}

template <class T>
double eig_residual(const Mat<T>& a, const Mat<T>& v, const std::vector<tt::real_t<T>>& w) {
  if (v.cols() == 0) return 0;
  Mat<T> d = Mat<T>::Zero(v.cols(), v.cols());
  for (Eigen::Index i = 0; i < v.cols(); ++i) d(i, i) = T(w[std::size_t(i)]);
  return one_norm(Mat<T>(a * v - v * d)) / (eps<T>() * std::max(one_norm(a), 1e-300) * a.rows());
}

}  // namespace

TEMPLATE_TEST_CASE("eigh with the default block at the sizes that returned wrong vectors or hung", "", TARTAN_TYPES) {
  using T = TestType;
  // Real p?syevd let p?ormtr fail on LWORK for n = 3..129 (nb = 64) and returned garbage
  // with INFO = 0; n = 100 made p?lasrt fail on LIWORK and hang on 2 ranks; p?syevr's
  // subsets failed at n = 100, 127, 129.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (std::int64_t n : {3, 10, 33, 63, 64, 65, 100, 127, 129}) {
      auto A = symmetric<T>(g, n, 7);
      const Mat<T> a = gather_all(A);
      auto [w, V] = tt::eigh(A);
      INFO("n=" << n << " grid " << P << "x" << Q);
      REQUIRE(eig_residual<T>(a, gather_all(V), w) < 50);
      REQUIRE(orthogonality<T>(gather_all(V)) < 50);
      auto sub = tt::eigh(
          A, {.subset_by_index = std::pair<std::int64_t, std::int64_t>{n / 2, n / 2 + 1 < n ? n / 2 + 1 : n / 2}});
      REQUIRE(eig_residual<T>(a, gather_all(sub.eigenvectors), sub.eigenvalues) < 50);
      REQUIRE(std::abs(double(sub.eigenvalues[0]) - double(w[std::size_t(n / 2)])) <= 50 * eps<T>() * n * one_norm(a));
    }
  }
}

TEMPLATE_TEST_CASE("svd of 1x2 and 2x1 matrices on every grid", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{1, 2}, {2, 1}})
      for (auto b : std::vector<tt::Block>{{}, {1, 1}}) {
        auto A = tt::random<T>(g, m, n, 3, b);
        const Mat<T> a = gather_all(A);
        auto [U, s, Vh] = tt::svd(A);
        REQUIRE(s.size() == 1);
        REQUIRE(std::abs(double(s[0]) - double(a.norm())) <= 10 * eps<T>() * double(a.norm()));
        const Mat<T> r = gather_all(U) * T(s[0]) * gather_all(Vh);
        REQUIRE(recon<T>(a, r) < 50);
      }
  }
}

TEMPLATE_TEST_CASE("the first block off process (0,0): the same answers as from (0,0)", "", TARTAN_TYPES) {
  using T = TestType;
  // svd, svdvals, lstsq, pinv, eigh and eigh(A, B) were wrong by order 1, and eigvalsh and
  // the subset forms hung on 2x2, with Source{0,1} on 1x2 or {1,1} on 2x2.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    const tt::Source src{P - 1, Q - 1};
    for (tt::Block b : {tt::Block{}, tt::Block{2, 2}}) {
      const std::int64_t n = 9, m = 14;
      auto A = tt::random<T>(g, m, n, 5, b, src);
      auto Bm = tt::random<T>(g, m, 2, 6, b, src);
      auto S = symmetric<T>(g, n, 8, b, src);
      auto SPD = tt::matmul(tt::adjoint(A), A);
      const auto spd = tt::redistribute(SPD, g, b, src);
      const Mat<T> a = gather_all(A), bm = gather_all(Bm), s = gather_all(S), p = gather_all(spd);
      INFO("grid " << P << "x" << Q << " block " << b.mb);
      // svd and svdvals against Eigen
      auto [U, sv, Vh] = tt::svd(A);
      const std::vector<double> ref = ref_svdvals(a);
      for (std::int64_t i = 0; i < n; ++i)
        REQUIRE(std::abs(double(sv[std::size_t(i)]) - ref[std::size_t(i)]) <= 50 * eps<T>() * m * ref[0]);
      const auto sv2 = tt::svdvals(A);
      for (std::int64_t i = 0; i < n; ++i)
        REQUIRE(std::abs(double(sv2[std::size_t(i)]) - double(sv[std::size_t(i)])) <= 50 * eps<T>() * m * sv[0]);
      Mat<T> sig = Mat<T>::Zero(n, n);
      for (std::int64_t i = 0; i < n; ++i) sig(i, i) = T(sv[std::size_t(i)]);
      REQUIRE(recon<T>(a, Mat<T>(gather_all(U) * sig * gather_all(Vh))) < 50);
      // lstsq and pinv against Eigen's minimum-norm solution
      const Mat<T> xref = ref_lstsq(a, bm);
      const double tol = 1e4 * eps<T>() * std::max(1.0, double(xref.norm()));
      REQUIRE(double((gather_all(tt::lstsq(A, Bm).x) - xref).norm()) <= tol);
      REQUIRE(double((gather_all(tt::pinv(A)) * bm - xref).norm()) <= tol);
      // eigh, eigvalsh, subsets, generalized
      auto [w, V] = tt::eigh(S);
      REQUIRE(eig_residual<T>(s, gather_all(V), w) < 50);
      const std::vector<double> wref = ref_eigvalsh(s);
      for (std::int64_t i = 0; i < n; ++i)
        REQUIRE(std::abs(double(w[std::size_t(i)]) - wref[std::size_t(i)]) <= 50 * eps<T>() * n * one_norm(s));
      const auto wv = tt::eigvalsh(S);
      for (std::int64_t i = 0; i < n; ++i)
        REQUIRE(std::abs(double(wv[std::size_t(i)]) - double(w[std::size_t(i)])) <= 50 * eps<T>() * n * one_norm(s));
      auto sub = tt::eigh(S, {.subset_by_index = std::pair<std::int64_t, std::int64_t>{2, 4}});
      REQUIRE(eig_residual<T>(s, gather_all(sub.eigenvectors), sub.eigenvalues) < 50);
      const auto byv = tt::eigvalsh(
          S, {.subset_by_value = std::pair{(double(w[1]) + double(w[2])) / 2, (double(w[5]) + double(w[6])) / 2}});
      REQUIRE(byv.size() == 4);
      auto [gw, GV] = tt::eigh(S, spd);
      const Mat<T> gv = gather_all(GV);
      Mat<T> gd = Mat<T>::Zero(n, n);
      for (std::int64_t i = 0; i < n; ++i) gd(i, i) = T(gw[std::size_t(i)]);
      REQUIRE(one_norm(Mat<T>(s * gv - p * gv * gd)) /
                  (eps<T>() * (one_norm(s) + one_norm(p)) * std::max(1.0, one_norm(gv)) * n) <
              50);
    }
  }
}

TEMPLATE_TEST_CASE("NaN and negative tolerances are refused, as NaN subset bounds are", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 6, 4, 1);
  auto B = tt::random<T>(g, 6, 1, 2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::lstsq(A, B, {.rcond = nan}); }, "lstsq: rcond is");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::lstsq(A, B, {.rcond = -1.0}); },
                                                 "expected a non-negative number");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::pinv(A, {.rtol = nan}); }, "pinv: rtol is");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::pinv(A, {.atol = -2.0}); }, "pinv: atol is");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::matrix_rank(A, {.tol = nan}); }, "matrix_rank: tol is");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::matrix_rank(A, {.tol = 1.0, .rtol = 1.0}); }, "at most one");
  auto S = tt::identity<T>(g, 5);
  require_throws_everywhere<tt::InvalidArgument>(
      [&] {
        tt::eigvalsh(S, {.subset_by_value = std::pair{nan, 1.0}});
      },
      "subset_by_value");
  // a tolerance that is set is used: rcond = 1 leaves only s_max
  REQUIRE(tt::lstsq(A, B, {.rcond = 0.999999}).rank == 1);
  REQUIRE(tt::matrix_rank(A, {.tol = 1e300}) == 0);
}

TEMPLATE_TEST_CASE("errors of nested calls name the function the user called", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 6, 5, 1);
  A.set(2, 3, T(std::numeric_limits<tt::real_t<T>>::quiet_NaN()));
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::matrix_rank(A); }, "matrix_rank: A contains NaN or Inf");
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::pinv(A); }, "pinv: A contains NaN or Inf");
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::cond(A); }, "cond: A contains NaN or Inf");
  auto Sq = tt::random<T>(g, 5, 5, 2);
  Sq.set(0, 0, T(std::numeric_limits<tt::real_t<T>>::infinity()));
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::cond(Sq, tt::Norm::one); }, "cond: A contains NaN or Inf");
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::det(Sq); }, "det: A contains NaN or Inf");
  require_throws_everywhere<tt::NonFiniteInput>([&] { tt::slogdet(Sq); }, "slogdet: A contains NaN or Inf");
}

TEMPLATE_TEST_CASE("rvalue overloads consume their argument, on success and on error, any layout", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (auto b : std::vector<tt::Block>{{4, 4}, {3, 5}}) {
    auto A = tt::random<T>(g, 12, 12, 3, b);
    auto S = tt::matmul(tt::adjoint(A), A);
    tt::axpy(T(12), tt::identity<T>(g, 12, S.block()), S);
    auto lu = tt::lu_factor(A.copy());
    auto a2 = A.copy();
    auto lu2 = tt::lu_factor(std::move(a2));
    REQUIRE(a2.rows() == 0);  // consumed, and still a valid matrix on its grid
    REQUIRE(a2.cols() == 0);
    REQUIRE(a2.grid() == g);
    REQUIRE(tt::norm(a2) == 0);
    REQUIRE(gather_all(lu2.factors()) == gather_all(lu.factors()));
    auto s2 = S.copy();
    auto L = tt::cholesky(std::move(s2));
    REQUIRE(s2.rows() == 0);
    auto q2 = A.copy();
    auto qr = tt::qr(std::move(q2));
    REQUIRE(q2.rows() == 0);
    // on error too
    auto bad = A.copy();
    bad.set(1, 1, T(std::numeric_limits<tt::real_t<T>>::quiet_NaN()));
    require_throws_everywhere<tt::NonFiniteInput>([&] { tt::lu_factor(std::move(bad)); }, "lu_factor: A contains NaN");
    REQUIRE(bad.rows() == 0);
    auto npd = tt::identity<T>(g, 6, b);
    npd.set(2, 2, T(-1));
    require_throws_everywhere<tt::NotPositiveDefinite>([&] { tt::cholesky(std::move(npd)); }, "order 3");
    REQUIRE(npd.rows() == 0);
  }
}
