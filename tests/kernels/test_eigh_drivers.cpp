// The eigh drivers (auto, elpa, elpa2, evd, evr) on the spectra that break eigensolvers
// (graded, clustered, random), with the unused triangle spoiled, against Eigen on rank 0;
// every fallback from ELPA (too small a matrix for the grid, an ELPA error on one rank)
// and every refused combination. Built against lib/ for the failure injection.

#include "core/testing.hpp"
#include "kernels/elpa.hpp"
#include "reference.hpp"
#include "support.hpp"

using namespace tartan_test;

namespace {

enum class Spectrum { random, graded, clustered };
const char* spectrum_name(Spectrum s) {
  return s == Spectrum::random ? "random" : s == Spectrum::graded ? "graded" : "clustered";
}

// A = Q diag(lambda) Q^H with Q from the QR of a random matrix. graded: +-10^(-12 i/n),
// alternating signs; clustered: 1 + 1e-10 i; random: a random Hermitian matrix itself.
template <class T>
tt::DistMatrix<T> hermitian(const tt::Grid& g, std::int64_t n, Spectrum s, tt::Block b) {
  auto X = tt::random<T>(g, n, n, 11, b);
  if (s == Spectrum::random) return X + tt::adjoint(X);
  auto Q = tt::qr(X).q;
  auto QL = Q.copy();
  QL.for_each_local([&](std::int64_t, std::int64_t j, T& x) {
    double l = s == Spectrum::graded ? std::pow(10.0, -12.0 * double(j) / double(std::max<std::int64_t>(n - 1, 1)))
                                     : 1 + 1e-10 * double(j);
    x *= T(tt::real_t<T>(l));
  });
  return tt::matmul(QL, tt::adjoint(Q));
}

// The other triangle of A overwritten with large garbage: a driver that reads it fails.
template <class T>
tt::DistMatrix<T> spoiled(const tt::DistMatrix<T>& A, bool lower) {
  auto S = A.copy();
  S.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
    if (lower ? j > i : i > j) x = T(tt::real_t<T>(3e5 + double(i - j)));
  });
  return S;
}

template <class T>
std::string check(const Mat<T>& a, const tt::EighResult<T>& r, const Mat<T>& v, std::int64_t first) {
  const std::int64_t n = a.rows(), k = std::int64_t(r.eigenvalues.size());
  if (v.rows() != n || v.cols() != k)
    return "eigenvectors are " + std::to_string(v.rows()) + "x" + std::to_string(v.cols());
  Mat<T> d = Mat<T>::Zero(k, k);
  for (std::int64_t i = 0; i < k; ++i) d(i, i) = T(r.eigenvalues[std::size_t(i)]);
  const double an = std::max(one_norm(a), 1e-300);
  if (const double res = one_norm(Mat<T>(a * v - v * d)) / (eps<T>() * an * double(n)); !passes(res, 50))
    return "||AV - VW|| = " + std::to_string(res);
  if (const double o = orthogonality<T>(v); !passes(o, 50)) return "||V^H V - I|| = " + std::to_string(o);
  const std::vector<double> es_w = ref_eigvalsh(a);
  for (std::int64_t i = 0; i < k; ++i)
    if (std::abs(double(r.eigenvalues[std::size_t(i)]) - es_w[std::size_t(first + i)]) > 50 * eps<T>() * double(n) * an)
      return "eigenvalue " + std::to_string(i) + " differs from Eigen's";
  for (std::int64_t i = 1; i < k; ++i)
    if (r.eigenvalues[std::size_t(i)] < r.eigenvalues[std::size_t(i - 1)]) return "eigenvalues not ascending";
  return "";
}

const std::vector<tt::EighDriver> all_drivers = {tt::EighDriver::automatic, tt::EighDriver::elpa, tt::EighDriver::elpa2,
                                                 tt::EighDriver::evd, tt::EighDriver::evr};

template <class T>
void every_driver(const tt::Grid& g, std::int64_t n, Spectrum s, tt::Block b) {
  auto A = hermitian<T>(g, n, s, b);
  const Mat<T> a = tt::to_eigen(A, 0);
  for (auto d : all_drivers) {
    if ((d == tt::EighDriver::elpa || d == tt::EighDriver::elpa2) && !tt::have_elpa()) continue;
    for (bool lower : {true, false}) {
      auto r = tt::eigh(spoiled(A, lower), {.lower = lower, .driver = d});
      const Mat<T> v = tt::to_eigen(r.eigenvectors, 0);
      std::string fail;
      if (test_rank() == 0) fail = check<T>(a, r, v, 0);
      INFO("grid " << g.prows() << "x" << g.pcols() << " n " << n << " " << spectrum_name(s) << " driver "
                   << tt::driver_name(d) << " ran " << tt::driver_name(r.driver) << " lower " << lower << " fallback '"
                   << r.fallback << "': " << fail);
      REQUIRE(all_ranks(fail.empty()));
      // auto on a matrix ELPA serves is ELPA, where Tartan has it
      if (d == tt::EighDriver::automatic && tt::have_elpa() && tt::detail::elpa_serves(A) &&
          !tt::detail::on_one_process(A) && std::is_same_v<tt::real_t<T>, double>)
        CHECK(r.driver == tt::EighDriver::elpa);
      if (d == tt::EighDriver::elpa || d == tt::EighDriver::elpa2) CHECK((r.driver == d || !r.fallback.empty()));
      if (d == tt::EighDriver::elpa2 && tt::is_complex_v<T>) CHECK(r.driver != tt::EighDriver::elpa2);
      if (d == tt::EighDriver::evd || d == tt::EighDriver::evr) CHECK(r.driver == d);
      if (r.driver == d || d == tt::EighDriver::automatic)
        CHECK(r.fallback.empty());
      else
        CHECK_FALSE(r.fallback.empty());
    }
    const auto w = tt::eigvalsh(A, {.driver = d});
    std::string fail;
    if (test_rank() == 0) {
      const std::vector<double> es_w = ref_eigvalsh(a);
      const double an = std::max(one_norm(a), 1e-300);
      for (std::int64_t i = 0; i < n && fail.empty(); ++i)
        if (std::abs(double(w[std::size_t(i)]) - es_w[std::size_t(i)]) > 50 * eps<T>() * double(n) * an)
          fail = "eigvalsh value " + std::to_string(i);
    }
    INFO("eigvalsh driver " << tt::driver_name(d) << ": " << fail);
    REQUIRE(all_ranks(fail.empty()));
  }
}

}  // namespace

TEST_CASE("every driver on random, graded and clustered spectra, either triangle, the other spoiled") {
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (Spectrum s : {Spectrum::random, Spectrum::graded, Spectrum::clustered}) {
      every_driver<double>(g, 150, s, tt::Block{32, 32});
      every_driver<std::complex<double>>(g, 97, s, tt::Block{16, 16});
    }
    every_driver<std::complex<double>>(g, 33, Spectrum::random, tt::Block{16, 16});  // ELPA2 complex was wrong here
    every_driver<float>(g, 130, Spectrum::random, tt::Block{});
    every_driver<std::complex<float>>(g, 70, Spectrum::random, tt::Block{16, 16});
  }
}

TEST_CASE("ELPA asked for where it cannot serve falls back to p?syevd and says why; auto says nothing") {
  if (!tt::have_elpa()) return;
  for (auto [P, Q] : grid_shapes()) {
    if (std::max(P, Q) < 2) continue;
    tt::Grid g(test_comm(), P, Q);
    // Two blocks of 32 on a 3- or 4-wide grid leave a process without columns.
    const std::int64_t n = 32 * (std::max(P, Q) - 1);
    auto A = hermitian<double>(g, n, Spectrum::random, tt::Block{32, 32});
    if (tt::detail::on_one_process(A)) continue;
    REQUIRE_FALSE(tt::detail::elpa_serves(A));
    auto r = tt::eigh(A, {.driver = tt::EighDriver::elpa});
    INFO("grid " << P << "x" << Q << " fallback: " << r.fallback);
    CHECK(r.driver == tt::EighDriver::evd);
    CHECK(r.fallback.find("ELPA needs rows and columns of A on every process") != std::string::npos);
    auto ra = tt::eigh(A);
    CHECK(ra.driver == tt::EighDriver::evd);
    CHECK(ra.fallback.empty());
    const Mat<double> a = tt::to_eigen(A, 0), v = tt::to_eigen(r.eigenvectors, 0);
    std::string fail;
    if (test_rank() == 0) fail = check<double>(a, r, v, 0);
    REQUIRE(all_ranks(fail.empty()));
  }
}

TEST_CASE("an ELPA error on one rank falls back on every rank, says so, and the next call is not affected") {
  if (!tt::have_elpa()) return;
  for (auto [P, Q] : grid_shapes()) {
    if (P * Q == 1) continue;  // auto takes LAPACK's ?heevd on one process, not ELPA
    tt::Grid g(test_comm(), P, Q);
    auto A = hermitian<std::complex<double>>(g, 120, Spectrum::graded, tt::Block{16, 16});
    tt::detail::inject_elpa_failure() = true;
    auto r = tt::eigh(A);
    INFO("grid " << P << "x" << Q << " fallback: " << r.fallback);
    CHECK(r.driver == tt::EighDriver::evd);
    CHECK(r.fallback.find("ELPA_ERROR_SETUP") != std::string::npos);
    CHECK_FALSE(tt::detail::inject_elpa_failure());
    const Mat<std::complex<double>> a = tt::to_eigen(A, 0), v = tt::to_eigen(r.eigenvectors, 0);
    std::string fail;
    if (test_rank() == 0) fail = check<std::complex<double>>(a, r, v, 0);
    REQUIRE(all_ranks(fail.empty()));
    auto again = tt::eigh(A);
    CHECK(again.driver == tt::EighDriver::elpa);
    CHECK(again.fallback.empty());
  }
}

TEST_CASE("subsets by index through ELPA's nev agree with p?syevr") {
  if (!tt::have_elpa()) return;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    auto A = hermitian<double>(g, 140, Spectrum::random, tt::Block{32, 32});
    const Mat<double> a = tt::to_eigen(A, 0);
    for (auto range :
         std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 0}, {0, 9}, {5, 20}, {139, 139}, {0, 139}}) {
      auto re = tt::eigh(A, {.subset_by_index = range, .driver = tt::EighDriver::elpa});
      auto rr = tt::eigh(A, {.subset_by_index = range});
      CHECK(rr.driver == tt::EighDriver::evr);
      const Mat<double> v = tt::to_eigen(re.eigenvectors, 0);
      std::string fail;
      if (test_rank() == 0) {
        fail = check<double>(a, re, v, range.first);
        for (std::size_t i = 0; i < re.eigenvalues.size() && fail.empty(); ++i)
          if (std::abs(re.eigenvalues[i] - rr.eigenvalues[i]) > 1e-10) fail = "differs from evr";
      }
      INFO("grid " << P << "x" << Q << " [" << range.first << ", " << range.second << "] ran "
                   << tt::driver_name(re.driver) << " (" << re.fallback << "): " << fail);
      // 140 rows in blocks of 32 are 5 block rows: on 1x6 and 6x1 a process holds none,
      // and ELPA is not asked; the fallback says why.
      if (std::max(P, Q) <= 5)
        CHECK(re.driver == tt::EighDriver::elpa);
      else
        CHECK((re.driver == tt::EighDriver::evr &&
               re.fallback.find("ELPA needs rows and columns of A on every process") != std::string::npos));
      REQUIRE(all_ranks(fail.empty()));
    }
  }
}

TEST_CASE("the generalized problem through each driver") {
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    const std::int64_t n = 110;
    auto A = hermitian<double>(g, n, Spectrum::random, tt::Block{16, 16});
    auto X = tt::random<double>(g, n, n, 13, tt::Block{16, 16});
    auto B = tt::matmul(X, tt::adjoint(X));
    B.for_each_local([&](std::int64_t i, std::int64_t j, double& x) {
      if (i == j) x += double(n);
    });
    const Mat<double> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0);
    for (auto d : all_drivers) {
      if ((d == tt::EighDriver::elpa || d == tt::EighDriver::elpa2) && !tt::have_elpa()) continue;
      auto r = tt::eigh(A, B, {.driver = d});
      const Mat<double> v = tt::to_eigen(r.eigenvectors, 0);
      std::string fail;
      if (test_rank() == 0) {
        Mat<double> w = Mat<double>::Zero(n, n);
        for (std::int64_t i = 0; i < n; ++i) w(i, i) = r.eigenvalues[std::size_t(i)];
        const double scale = (one_norm(a) + one_norm(b)) * std::max(1.0, one_norm(v)) * double(n) * eps<double>();
        if (const double res = one_norm(Mat<double>(a * v - b * v * w)) / scale; !passes(res, 50))
          fail = "||AV - BVW|| = " + std::to_string(res);
        else if (const double o = one_norm(Mat<double>(v.transpose() * b * v - Mat<double>::Identity(n, n))) /
                                  (eps<double>() * one_norm(b) * double(n));
                 !passes(o, 50))
          fail = "||V^T B V - I|| = " + std::to_string(o);
      }
      INFO("grid " << P << "x" << Q << " driver " << tt::driver_name(d) << " ran " << tt::driver_name(r.driver) << ": "
                   << fail);
      REQUIRE(all_ranks(fail.empty()));
    }
  }
}

TEST_CASE("combinations no driver serves are refused alike on every rank") {
  tt::Grid g(test_comm());
  auto A = hermitian<double>(g, 50, Spectrum::random, tt::Block{16, 16});
  require_throws_everywhere<tt::InvalidArgument>(
      [&] {
        tt::eigh(A, {.subset_by_index = std::pair<std::int64_t, std::int64_t>{0, 3}, .driver = tt::EighDriver::evd});
      },
      "eigh: driver evd computes every eigenpair; use evr or auto for a subset");
  if (tt::have_elpa()) {
    require_throws_everywhere<tt::InvalidArgument>(
        [&] {
          tt::eigvalsh(A, {.subset_by_value = std::pair{0.0, 1.0}, .driver = tt::EighDriver::elpa2});
        },
        "eigvalsh: driver elpa2 has no subset_by_value; use evr or auto");
  } else {
    require_throws_everywhere<tt::InvalidArgument>(
        [&] { tt::eigh(A, {.driver = tt::EighDriver::elpa}); },
        "eigh: driver elpa needs ELPA, and this libtartan was built without it");
  }
  CHECK(std::string(tt::driver_name(tt::EighDriver::automatic)) == "auto");
  auto [w, V] = tt::eigh(A);  // still unpacks as a pair
  CHECK(std::int64_t(w.size()) == 50);
  CHECK(V.cols() == 50);
}
