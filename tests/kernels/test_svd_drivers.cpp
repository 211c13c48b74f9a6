// The two SVD drivers on the matrices that break SVDs (graded, clustered, rank-deficient,
// zero, tall, wide) against Eigen's SVD on rank 0, and every fallback of the divide-and-
// conquer driver: ?bdsdc failing, the memory guard, and one-process problems. Built
// against lib/ for the failure injection of core/testing.hpp.

#include <cstdlib>

#include "core/testing.hpp"
#include "kernels/svd.hpp"
#include "linalg/common.hpp"
#include "reference.hpp"
#include "support.hpp"

using namespace tartan_test;

namespace {

enum class Kind { random, graded, clustered, rank_deficient, zero };
const char* kind_name(Kind k) {
  switch (k) {
    case Kind::random:
      return "random";
    case Kind::graded:
      return "graded";
    case Kind::clustered:
      return "clustered";
    case Kind::rank_deficient:
      return "rank-deficient";
    default:
      return "zero";
  }
}

// A = Q1 diag(sigma) Q2^H with orthonormal Q1, Q2 from QR of random matrices: the singular
// values are known. graded: 10^(-12 i/k); clustered: 1 + 1e-10 i; rank-deficient: half zero.
template <class T>
tt::DistMatrix<T> test_matrix(const tt::Grid& g, std::int64_t m, std::int64_t n, Kind kind, tt::Block b) {
  const std::int64_t k = std::min(m, n);
  if (kind == Kind::random) return tt::random<T>(g, m, n, 5, b);
  if (kind == Kind::zero) return tt::zeros<T>(g, m, n, b);
  auto Q1 = tt::qr(tt::random<T>(g, m, k, 6, b)).q;
  auto Q2 = tt::qr(tt::random<T>(g, n, k, 7, b)).q;
  Q1.for_each_local([&](std::int64_t, std::int64_t j, T& x) {
    double s = 1;
    if (kind == Kind::graded) s = std::pow(10.0, -12.0 * double(j) / double(std::max<std::int64_t>(k - 1, 1)));
    if (kind == Kind::clustered) s = 1 + 1e-10 * double(j);
    if (kind == Kind::rank_deficient) s = j < k / 2 ? 1.0 / double(j + 1) : 0.0;
    x *= T(tt::real_t<T>(s));
  });
  return tt::matmul(Q1, tt::adjoint(Q2));
}

// Residual, orthogonality and the values against Eigen, all scaled like the sweeping tester.
template <class T>
void check(const tt::DistMatrix<T>& A, const tt::SvdResult<T>& r, const std::string& what) {
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  const Mat<T> a = tt::to_eigen(A, 0), u = tt::to_eigen(r.u, 0), vh = tt::to_eigen(r.vh, 0);
  std::string fail;
  if (test_rank() == 0) {
    Mat<T> sig = Mat<T>::Zero(k, k);
    for (std::int64_t i = 0; i < k; ++i) sig(i, i) = T(r.s[std::size_t(i)]);
    const std::vector<double> ref_s = ref_svdvals(a);
    const double smax = k > 0 ? ref_s[std::size_t(0)] : 0.0;
    double dv = 0;
    for (std::int64_t i = 0; i < k; ++i)
      dv = std::max(dv, std::abs(double(r.s[std::size_t(i)]) - ref_s[std::size_t(i)]));
    const double vtol = 50 * eps<T>() * double(std::max(m, n)) * std::max(smax, 1e-300);
    if (!passes(recon<T>(a, Mat<T>(u * sig * vh)), 50))
      fail = "||A - U S Vh|| = " + std::to_string(recon<T>(a, Mat<T>(u * sig * vh)));
    else if (!passes(orthogonality<T>(u), 50))
      fail = "||U^H U - I|| = " + std::to_string(orthogonality<T>(u));
    else if (!passes(orthogonality<T>(Mat<T>(vh.adjoint())), 50))
      fail = "||V^H V - I||";
    else if (!(dv <= vtol) && !(smax == 0 && dv == 0))
      fail = "values differ from Eigen's by " + std::to_string(dv);
    for (std::size_t i = 1; i < r.s.size() && fail.empty(); ++i)
      if (r.s[i] > r.s[i - 1]) fail = "values not descending";
  }
  INFO(what << ": " << fail);
  REQUIRE(all_ranks(fail.empty()));
}

}  // namespace

TEST_CASE("both drivers on graded, clustered, rank-deficient and zero matrices, tall, wide and square") {
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] :
         std::vector<std::pair<std::int64_t, std::int64_t>>{{150, 150}, {300, 120}, {120, 300}, {900, 40}, {40, 900}})
      for (Kind kind : {Kind::random, Kind::graded, Kind::clustered, Kind::rank_deficient, Kind::zero})
        for (auto drv : {tt::SvdDriver::gesdd, tt::SvdDriver::gesvd}) {
          std::ostringstream w;
          w << "grid " << P << "x" << Q << " " << m << "x" << n << " " << kind_name(kind) << " "
            << tt::driver_name(drv);
          {
            auto A = test_matrix<double>(g, m, n, kind, tt::Block{32, 32});
            auto r = tt::svd(A, {.driver = drv});
            CHECK(r.fallback.empty());
            check<double>(A, r, w.str() + " d");
          }
          if (kind == Kind::graded || kind == Kind::rank_deficient) {
            auto A = test_matrix<std::complex<double>>(g, m, n, kind, tt::Block{32, 32});
            check<std::complex<double>>(A, tt::svd(A, {.driver = drv}), w.str() + " z");
          }
        }
  }
}

TEST_CASE("svdvals and the values of svd agree with each other and with both drivers") {
  tt::Grid g(test_comm());
  for (auto [m, n] : std::vector<std::pair<std::int64_t, std::int64_t>>{{200, 200}, {500, 60}, {60, 500}}) {
    auto A = test_matrix<double>(g, m, n, Kind::graded, tt::Block{});
    const auto sv = tt::svdvals(A);
    const auto s1 = tt::svd(A).s, s2 = tt::svd(A, {.driver = tt::SvdDriver::gesvd}).s;
    REQUIRE(sv.size() == s1.size());
    for (std::size_t i = 0; i < sv.size(); ++i) {
      INFO(m << "x" << n << " i " << i);
      CHECK(std::abs(sv[i] - s1[i]) <= 100 * 1.1e-16 * double(std::max(m, n)) * sv[0]);
      CHECK(std::abs(sv[i] - s2[i]) <= 100 * 1.1e-16 * double(std::max(m, n)) * sv[0]);
    }
  }
}

TEST_CASE("a ?bdsdc failure falls back to p?gesvd, says so, and gives the right answer") {
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<std::int64_t, std::int64_t>>{{200, 200}, {150, 200}, {300, 250}}) {
      auto A = tt::random<double>(g, m, n, 3, tt::Block{32, 32});
      if (tt::detail::on_one_process(A)) continue;
      tt::detail::inject_bdsdc_failure() = true;
      auto r = tt::svd(A);
      INFO("grid " << P << "x" << Q << " " << m << "x" << n << " fallback: " << r.fallback);
      CHECK(r.driver == tt::SvdDriver::gesvd);
      CHECK(r.fallback.find("?bdsdc did not converge") != std::string::npos);
      CHECK_FALSE(tt::detail::inject_bdsdc_failure());  // consumed
      check<double>(A, r, "after a ?bdsdc failure");
      auto again = tt::svd(A);  // the next call is not affected
      CHECK(again.driver == tt::SvdDriver::gesdd);
      CHECK(again.fallback.empty());
    }
  }
}

TEST_CASE("a NaN produced inside ?bdsdc never passes: svd falls back, svdvals and the ranks stay right") {
  // ?bdsdc's values with vectors are checked against its values alone; a NaN difference
  // once passed that check (std::max(0, NaN) is 0) and svd returned a NaN singular value.
  // A NaN among the values alone once decided matrix_rank (NaN > tol is false).
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<std::int64_t, std::int64_t>>{{200, 200}, {150, 200}}) {
      auto A = tt::random<double>(g, m, n, 5, tt::Block{32, 32});
      if (tt::detail::on_one_process(A)) continue;
      INFO("grid " << P << "x" << Q << " " << m << "x" << n);
      const auto ref = tt::svd(A).s;
      tt::detail::inject_bdsdc_nan() = tt::detail::BdsdcNan::with_vectors;
      auto r = tt::svd(A);
      INFO("fallback: " << r.fallback);
      CHECK(tt::detail::inject_bdsdc_nan() == tt::detail::BdsdcNan::none);  // consumed
      CHECK(r.driver == tt::SvdDriver::gesvd);
      CHECK(r.fallback.find("differ from the values alone") != std::string::npos);
      check<double>(A, r, "after a NaN inside ?bdsdc");
      tt::detail::inject_bdsdc_nan() = tt::detail::BdsdcNan::values_alone;
      const auto s = tt::svdvals(A);
      CHECK(tt::detail::inject_bdsdc_nan() == tt::detail::BdsdcNan::none);
      REQUIRE(s.size() == ref.size());
      for (std::size_t i = 0; i < s.size(); ++i) CHECK(std::abs(s[i] - ref[i]) <= 1e-12 * ref[0]);
      tt::detail::inject_bdsdc_nan() = tt::detail::BdsdcNan::values_alone;
      CHECK(tt::matrix_rank(A) == std::min(m, n));
    }
  }
}

TEST_CASE("one-process problems use LAPACK's ?gesdd, whichever driver is asked for") {
  tt::Grid g(test_comm());
  for (auto [m, n] : std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 1}, {1, 2}, {2, 1}, {3, 3}, {40, 30}}) {
    auto A = tt::random<double>(g, m, n, 4);
    for (auto drv : {tt::SvdDriver::gesdd, tt::SvdDriver::gesvd}) {
      auto r = tt::svd(A, {.driver = drv});
      CHECK(r.fallback.empty());
      check<double>(A, r, std::to_string(m) + "x" + std::to_string(n));
    }
  }
}

TEST_CASE("the memory guard: replicated factors that do not fit fall back to p?gesvd, on every rank alike") {
  // TARTAN_MAX_MEMORY caps what one allocation may take per rank. Rank 0 alone gets a cap
  // below the 5 n^2 reals of replicated factors and workspace (19.6 MB at n = 700) and above
  // everything p?gesvd needs: the fallback must still be agreed by every rank.
  tt::Grid g(test_comm());
  const std::int64_t n = 700;
  auto A = tt::random<double>(g, n, n, 9, tt::Block{32, 32});
  if (tt::detail::on_one_process(A)) return;
  if (test_rank() == 0) setenv("TARTAN_MAX_MEMORY", "16M", 1);
  auto r = tt::svd(A);
  unsetenv("TARTAN_MAX_MEMORY");
  INFO("fallback: " << r.fallback);
  CHECK(all_ranks(r.driver == tt::SvdDriver::gesvd));
  CHECK(all_ranks(r.fallback.find("replicated bidiagonal SVD factors needs") != std::string::npos));
  check<double>(A, r, "after the memory guard");
  // and with room again, divide and conquer
  CHECK(all_ranks(tt::svd(A).driver == tt::SvdDriver::gesdd));
}

TEST_CASE("tall-skinny svd and svdvals through CholeskyQR: every kind, tall and wide, every grid, default block") {
  // m >= 50 n: the QR by CholeskyQR2 (shifted CholeskyQR3 for the graded and rank-deficient
  // kinds, Householder for the zero matrix), R's SVD by LAPACK on one process, U = Q Ur.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<std::int64_t, std::int64_t>>{{2000, 40}, {40, 2000}, {3250, 65}, {100, 2}})
      for (Kind kind : {Kind::random, Kind::graded, Kind::clustered, Kind::rank_deficient, Kind::zero})
        for (tt::Source src : {tt::Source{}, tt::Source{P - 1, Q - 1}}) {
          std::ostringstream w;
          w << "grid " << P << "x" << Q << " " << m << "x" << n << " " << kind_name(kind) << " source " << src.row
            << "," << src.col;
          auto A = tt::redistribute(test_matrix<double>(g, m, n, kind, tt::Block{}), g, tt::Block{}, src);
          const Mat<double> a = tt::to_eigen(A, 0);
          auto r = tt::svd(A);
          CHECK(r.fallback.empty());
          check<double>(A, r, w.str());
          REQUIRE(all_ranks(tt::to_eigen(A, 0) == a));  // input untouched
          const auto sv = tt::svdvals(A);
          REQUIRE(sv.size() == r.s.size());
          for (std::size_t i = 0; i < sv.size(); ++i)
            CHECK(std::abs(sv[i] - r.s[i]) <= 100 * 1.1e-16 * double(std::max(m, n)) * std::max(sv[0], 1e-300));
          if (kind == Kind::graded || kind == Kind::random) {
            auto Az = test_matrix<std::complex<double>>(g, m, n, kind, tt::Block{});
            check<std::complex<double>>(Az, tt::svd(Az), w.str() + " z");
          }
        }
  }
}

TEST_CASE("tall-skinny svd with R's SVD on the grid (above the one-process limit), and full_matrices") {
  tt::Grid g(test_comm());
  const int saved = tt::detail::r_serial_limit();
  tt::detail::r_serial_limit() = 8;  // R of 40 x 40 then goes through the grid's divide and conquer
  for (Kind kind : {Kind::random, Kind::graded, Kind::rank_deficient}) {
    auto A = test_matrix<double>(g, 2000, 40, kind, tt::Block{});
    check<double>(A, tt::svd(A), std::string("grid path, ") + kind_name(kind));
    auto sv = tt::svdvals(A);
    check<double>(tt::adjoint(A), tt::svd(tt::adjoint(A)), std::string("grid path, wide ") + kind_name(kind));
    auto ref = tt::svd(A).s;
    for (std::size_t i = 0; i < sv.size(); ++i) CHECK(std::abs(sv[i] - ref[i]) <= 1e-12 * ref[0]);
  }
  tt::detail::r_serial_limit() = saved;
  auto A = test_matrix<double>(g, 150, 3, Kind::graded, tt::Block{});
  auto r = tt::svd(A, {.full_matrices = true});
  REQUIRE(r.u.rows() == 150);
  REQUIRE(r.u.cols() == 150);
  const Mat<double> u = tt::to_eigen(r.u, 0);
  REQUIRE(all_ranks(test_rank() != 0 || passes(orthogonality<double>(u), 50)));
}
