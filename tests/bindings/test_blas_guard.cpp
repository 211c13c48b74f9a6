// OpenBLAS 0.3.21's complex ?gemv 'N' reads past the end of x; libtartan's zgemv_/cgemv_
// give it slack. Each x here ends against a protected page, so a read past it faults the
// test, and each product is checked against a plain loop. No MPI: the guard sits under it.

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <complex>
#include <cstring>
#include <string>

extern "C" {
void zgemv_(const char*, const int*, const int*, const std::complex<double>*, const std::complex<double>*, const int*,
            const std::complex<double>*, const int*, const std::complex<double>*, std::complex<double>*, const int*,
            std::size_t);
void cgemv_(const char*, const int*, const int*, const std::complex<float>*, const std::complex<float>*, const int*,
            const std::complex<float>*, const int*, const std::complex<float>*, std::complex<float>*, const int*,
            std::size_t);
}

namespace {

// count elements of T whose last one ends where a PROT_NONE page begins.
template <class T>
struct Fenced {
  explicit Fenced(std::size_t count) {
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    pages = (count * sizeof(T) + page - 1) / page + 1;
    base = static_cast<char*>(mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(base != MAP_FAILED);
    REQUIRE(mprotect(base + (pages - 1) * page, page, PROT_NONE) == 0);
    data = reinterpret_cast<T*>(base + (pages - 1) * page - count * sizeof(T));
    bytes = pages * page;
  }
  ~Fenced() { munmap(base, bytes); }
  Fenced(const Fenced&) = delete;
  Fenced& operator=(const Fenced&) = delete;
  char* base;
  std::size_t pages, bytes;
  T* data;
};

template <class T, class F>
void sweep(F gemv) {
  using R = typename T::value_type;
  const T alpha(R(0.5), R(-1)), beta(R(2), R(0.25));
  int checked = 0;
  for (int m = 1; m <= 14; ++m)
    for (int n = 1; n <= 14; ++n)
      for (int incx : {1, 2, 3, -1, -2}) {
        const int ax = incx < 0 ? -incx : incx;
        const std::size_t span = static_cast<std::size_t>(1 + (n - 1) * ax);
        Fenced<T> x(span);
        std::vector<T> a(static_cast<std::size_t>(m * n)), y(static_cast<std::size_t>(m)), want(y.size());
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = T(R(i % 7) - R(3), R(i % 5) * R(0.5));
        for (std::size_t i = 0; i < span; ++i) x.data[i] = T(R(1) + R(i % 3), R(i % 2));
        for (int i = 0; i < m; ++i) y[static_cast<std::size_t>(i)] = want[static_cast<std::size_t>(i)] = T(R(i), R(1));
        for (int i = 0; i < m; ++i) {
          T s(0);
          for (int j = 0; j < n; ++j) {
            const int k = incx > 0 ? j * incx : (n - 1 - j) * ax;  // BLAS: a negative stride starts at the far end
            s += a[static_cast<std::size_t>(i + j * m)] * x.data[k];
          }
          want[static_cast<std::size_t>(i)] = alpha * s + beta * want[static_cast<std::size_t>(i)];
        }
        const int one = 1;
        gemv("N", &m, &n, &alpha, a.data(), &m, x.data, &incx, &beta, y.data(), &one, 1);
        R err = 0;
        for (int i = 0; i < m; ++i)
          err = std::max(err, std::abs(y[static_cast<std::size_t>(i)] - want[static_cast<std::size_t>(i)]));
        INFO("m " << m << " n " << n << " incx " << incx);
        REQUIRE(err <= R(1e-4) * R(n + 1) * R(8));
        ++checked;
      }
  CHECK(checked == 14 * 14 * 5);
}

std::string owner(const char* symbol) {
  Dl_info info{};
  void* f = dlsym(RTLD_DEFAULT, symbol);
  if (f == nullptr || dladdr(f, &info) == 0 || info.dli_fname == nullptr) return "?";
  return info.dli_fname;
}

}  // namespace

TEST_CASE("zgemv_ and cgemv_ resolve to libtartan's guard, before OpenBLAS") {
  CHECK(owner("zgemv_").find("libtartan") != std::string::npos);
  CHECK(owner("cgemv_").find("libtartan") != std::string::npos);
}

TEST_CASE("complex gemv 'N' never reads past x, and computes y = alpha A x + beta y") {
  sweep<std::complex<double>>(zgemv_);
  sweep<std::complex<float>>(cgemv_);
}
