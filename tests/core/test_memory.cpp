// memory_estimate against the memory each call really allocates: the estimate must be
// within 25 % of the measured peak for lu_factor, cholesky, qr, eigh and svd at two sizes
// (and the tall-skinny paths of qr and svd).
//
// The peak is counted at malloc: this program replaces malloc and its relatives with
// glibc's own, plus a count of the bytes live (malloc_usable_size) and their high-water
// mark. Every allocation of libtartan, ScaLAPACK, ELPA, LAPACK and MPI goes through them.
// The resident set (VmHWM) was the first yardstick and is not a machine-independent one:
// transparent huge pages, where the kernel enables them for every mapping, round each
// region up to 2 MiB, and OpenBLAS's one-time buffers are touched further by larger
// kernels' blocking; eigh at n = 1500 on 1 x 2 grew by 65 MiB here and by 78 MiB on an
// AVX-512 machine with the same allocations.
//
// Not built under the sanitizers, which own malloc themselves.

#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/memory.hpp"
#include "support.hpp"

using namespace tartan_test;

extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
}

namespace {

std::atomic<long long> g_live{0}, g_peak{0};

void counted(void* p) {
  if (!p) return;
  const auto size = static_cast<long long>(malloc_usable_size(p));
  const long long v = g_live.fetch_add(size) + size;
  long long high = g_peak.load(std::memory_order_relaxed);
  while (v > high && !g_peak.compare_exchange_weak(high, v)) {
  }
}

void released(void* p) {
  if (p) g_live.fetch_sub(static_cast<long long>(malloc_usable_size(p)));
}

}  // namespace

extern "C" {
void* malloc(std::size_t n) {
  void* p = __libc_malloc(n);
  counted(p);
  return p;
}
void free(void* p) {
  released(p);
  __libc_free(p);
}
void* calloc(std::size_t k, std::size_t n) {
  void* p = __libc_calloc(k, n);
  counted(p);
  return p;
}
void* realloc(void* old, std::size_t n) {
  const long long before = old ? static_cast<long long>(malloc_usable_size(old)) : 0;
  void* p = __libc_realloc(old, n);
  if (p || n == 0) {
    g_live.fetch_sub(before);
    counted(p);
  }
  return p;
}
void* memalign(std::size_t a, std::size_t n) {
  void* p = __libc_memalign(a, n);
  counted(p);
  return p;
}
void* aligned_alloc(std::size_t a, std::size_t n) { return memalign(a, n); }
int posix_memalign(void** out, std::size_t a, std::size_t n) {
  if (a < sizeof(void*) || (a & (a - 1)) != 0) return 22;  // EINVAL
  void* p = memalign(a, n);
  if (!p && n) return 12;  // ENOMEM
  *out = p;
  return 0;
}
void* valloc(std::size_t n) { return memalign(4096, n); }
}

namespace {

// The input of op: Hermitian positive definite in its lower triangle for cholesky (only
// that triangle is read), random otherwise; made without temporaries.
tt::DistMatrix<double> input(tt::Operation op, const tt::Grid& g, std::int64_t m, std::int64_t n) {
  auto A = tt::random<double>(g, m, n, 1);
  if (op == tt::Operation::cholesky)
    A.for_each_local([&](std::int64_t i, std::int64_t j, double& x) { x += i == j ? double(n) : 0.0; });
  return A;
}

// Runs op and returns the largest growth of the bytes allocated over the ranks, from
// before the call to its high-water mark.
template <class F>
double measured_peak(F&& op) {
  MPI_Barrier(test_comm());
  const long long live0 = g_live.load();
  g_peak.store(live0);
  op();
  long long grown = g_peak.load() - live0, worst = 0;
  MPI_Allreduce(&grown, &worst, 1, MPI_LONG_LONG, MPI_MAX, test_comm());
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
  tt::pool_trim();  // the call's own peak: nothing cached from the ones before
  const double peak = measured_peak([&] { call(A, B); });
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

// The sizes: one in the default tier, two (to see the estimate scale) in the full one
// (TARTAN_MEMORY_SIZES=all).
std::vector<std::int64_t> sizes(std::int64_t small, std::int64_t large) {
  const char* all = std::getenv("TARTAN_MEMORY_SIZES");
  if (all && std::string(all) == "all") return {small, large};
  return {small};
}

}  // namespace

TEST_CASE("memory_estimate within 25 % of the measured peak: lu_factor, cholesky, qr, eigh, svd") {
  tt::Grid g(test_comm());
  using M = tt::DistMatrix<double>;
  for (std::int64_t n : sizes(1500, 2500)) {
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
    for (std::int64_t n : sizes(100, 160)) {
      const std::int64_t m = 400 * n;
      check(tt::Operation::qr, g, m, n, [](const M& A, const M&) { auto r = tt::qr(A); });
      check(tt::Operation::svd, g, m, n, [](const M& A, const M&) { auto r = tt::svd(A); });
    }
  }
}

TEST_CASE("the pool: a call repeated takes its large blocks from the pool, and trim returns them") {
  tt::Grid g(test_comm());
  const auto A = input(tt::Operation::solve, g, 800, 800);
  const auto B = tt::random<double>(g, 800, 1, 2);
  auto call = [&] { auto x = tt::solve(A, B); };
  // TARTAN_POOL=0, or a cap below the blocks this solve frees (TARTAN_POOL_MAX=1M): nothing kept.
  const char* env = std::getenv("TARTAN_POOL");
  const char* cap = std::getenv("TARTAN_POOL_MAX");
  std::int64_t cap_bytes = 0;  // read as the library reads it
  const bool off = (env && std::string(env) == "0") ||
                   (cap && *cap && tt::detail::parse_bytes(cap, cap_bytes) && cap_bytes < (std::int64_t(16) << 20));
  call();  // fills the pool with what solve frees
  const std::int64_t cached = tt::pool_cached_bytes();
  CHECK(tt::memory_estimate<double>(tt::Operation::solve, g, 800, 800).cached == cached);
  const double again = measured_peak(call);
  INFO("the second call allocated " << tt::format_bytes(again) << " more at malloc; "
                                    << tt::format_bytes(double(cached)) << " were cached; TARTAN_POOL="
                                    << (env ? env : "(unset)") << " TARTAN_POOL_MAX=" << (cap ? cap : "(unset)"));
  if (off) {  // nothing is kept, and the second call allocates its copy of A again
    CHECK(cached == 0);
    CHECK(again >= double(std::int64_t(1) << 20));
  } else {
    // The working copy of A (800 x 800 doubles is 5 MiB over the ranks) is a pooled block.
    CHECK(cached >= std::int64_t(1) << 20);
    CHECK(again < double(std::int64_t(1) << 20));  // small buffers only
  }
  tt::pool_trim();
  CHECK(tt::pool_cached_bytes() == 0);
}
