// memory_estimate against the resident set each call really adds: the estimate must be
// within 25 % of the measured peak for lu_factor, cholesky, qr, eigh and svd at two sizes
// (and the tall-skinny paths of qr and svd).

#include <malloc.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "support.hpp"

using namespace tartan_test;

namespace {

long status_kib(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string k, rest;
  long v = 0;
  while (f >> k) {
    if (k == key && f >> v) return v;
    std::getline(f, rest);
  }
  return -1;
}

// Starts a measurement: freed heap memory returned to the system (so that reuse cannot
// hide an allocation) and the high-water mark reset. False where /proc cannot do it.
bool start_measuring(long& rss0) {
  malloc_trim(0);
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  f.close();
  if (!f) return false;
  rss0 = status_kib("VmRSS:");
  return rss0 >= 0 && status_kib("VmHWM:") >= 0;
}

// The input of op: Hermitian positive definite in its lower triangle for cholesky (only
// that triangle is read), random otherwise; made without temporaries.
tt::DistMatrix<double> input(tt::Operation op, const tt::Grid& g, std::int64_t m, std::int64_t n) {
  auto A = tt::random<double>(g, m, n, 1);
  if (op == tt::Operation::cholesky)
    A.for_each_local([&](std::int64_t i, std::int64_t j, double& x) { x += i == j ? double(n) : 0.0; });
  return A;
}

// Runs op on A (and B) and returns the largest growth of the resident set over the ranks,
// in bytes, or -1 when it cannot be measured here.
template <class F>
double measured_peak(F&& op) {
  long rss0 = 0;
  const bool ok = all_ranks(start_measuring(rss0));
  if (!ok) return -1;
  op();
  long grown = (status_kib("VmHWM:") - rss0) * 1024, worst = 0;
  MPI_Allreduce(&grown, &worst, 1, MPI_LONG, MPI_MAX, test_comm());
  return double(worst);
}

// Runs call on a small problem first (the library's and OpenBLAS's buffers), then measures
// it on A (m x n) and B (m x 1) against memory_estimate.
template <class F>
void check(tt::Operation op, const tt::Grid& g, std::int64_t m, std::int64_t n, F&& call) {
  // the same path on a small problem: square stays square, tall-skinny stays tall-skinny
  const std::int64_t sn = std::min<std::int64_t>(n, 30), sm = m == n ? 300 : std::min<std::int64_t>(m, 60 * sn);
  {
    auto a = input(op, g, sm, m == n ? sm : sn), b = tt::random<double>(g, sm, 1, 2);
    call(a, b);
  }
  const auto A = input(op, g, m, n);
  const auto B = tt::random<double>(g, m, 1, 2);
  const auto est = tt::memory_estimate<double>(op, g, m, n);
  const double peak = measured_peak([&] { call(A, B); });
  if (peak < 0) FAIL("/proc/self/clear_refs cannot reset the high-water mark here: nothing to measure with");
  if (test_rank() == 0)
    std::printf("%-10s %7lldx%-5lld on %dx%d: estimate %10.1f MiB, measured %10.1f MiB, ratio %.2f\n",
                tt::operation_name(op), static_cast<long long>(m), static_cast<long long>(n), g.prows(), g.pcols(),
                double(est.bytes) / 1048576, peak / 1048576, peak / double(est.bytes));
  INFO(tt::operation_name(op) << " " << m << "x" << n << " on " << g.prows() << "x" << g.pcols() << ": estimate "
                              << tt::format_bytes(double(est.bytes)) << " (" << est.detail << "), measured "
                              << tt::format_bytes(peak));
  CHECK(std::abs(peak - double(est.bytes)) <= 0.25 * double(est.bytes));
  CHECK(est.available > 0);
}

}  // namespace

TEST_CASE("memory_estimate within 25 % of the measured peak: lu_factor, cholesky, qr, eigh, svd") {
  tt::Grid g(test_comm());
  using M = tt::DistMatrix<double>;
  for (std::int64_t n : {1500, 2500}) {
    check(tt::Operation::lu_factor, g, n, n, [](const M& A, const M&) { auto r = tt::lu_factor(A); });
    check(tt::Operation::solve, g, n, n, [](const M& A, const M& B) { auto r = tt::solve(A, B); });
    check(tt::Operation::cholesky, g, n, n, [](const M& A, const M&) { auto r = tt::cholesky(A); });
    check(tt::Operation::qr, g, n, n, [](const M& A, const M&) { auto r = tt::qr(A); });
    check(tt::Operation::eigh, g, n, n, [](const M& A, const M&) { auto r = tt::eigh(A); });
    check(tt::Operation::svd, g, n, n, [](const M& A, const M&) { auto r = tt::svd(A); });
  }
}

TEST_CASE("memory_estimate of the tall-skinny paths: qr, svd and lstsq by CholeskyQR") {
  for (auto [P, Q] : std::vector<std::pair<int, int>>{{test_size(), 1}, {1, test_size()}}) {
    tt::Grid g(test_comm(), P, Q);
    using M = tt::DistMatrix<double>;
    for (std::int64_t n : {100, 160}) {
      const std::int64_t m = 400 * n;
      check(tt::Operation::qr, g, m, n, [](const M& A, const M&) { auto r = tt::qr(A); });
      check(tt::Operation::svd, g, m, n, [](const M& A, const M&) { auto r = tt::svd(A); });
    }
  }
}
