// zgemv_ and cgemv_, interposed: OpenBLAS's complex GEMV without transpose reads past the
// end of its vector x.
//
// Debian 12's OpenBLAS 0.3.21 (its Haswell kernel, the one this machine's environment
// selects) reads up to three elements beyond x(1 + (n-1)*incx) in ?gemv 'N' whenever m is
// 2 modulo 4 (tests/bindings/test_blas_guard.cpp places x against a protected page: 1160 of
// 4800 small shapes fault). The real types and the 'T'/'C' forms are clean. Inside
// ScaLAPACK, pzgemv hands zgemv the exact-sized buffers it mallocs, so p?labrd (p?gebrd,
// p?gesvd, the SVD) reads freed or unmapped memory: valgrind reports it on every complex
// SVD, AddressSanitizer stops there, and a plain build crashes when such a buffer ends on a
// page boundary.
//
// Every process that loads libtartan resolves zgemv_/cgemv_ here first (as for pxerbla_),
// ScaLAPACK's calls included. The wrapper copies x into a buffer with slack and calls
// OpenBLAS's routine on it: O(n) extra work beside the O(mn) product, and only for 'N'.

#include <dlfcn.h>

#include <complex>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

template <class T>
using Gemv = void (*)(const char*, const int*, const int*, const T*, const T*, const int*, const T*, const int*,
                      const T*, T*, const int*, std::size_t);

template <class T>
Gemv<T> next_gemv(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (f == nullptr) {
    std::fprintf(stderr, "tartan: no %s after libtartan in the symbol lookup order (%s)\n", name, dlerror());
    std::abort();
  }
  return reinterpret_cast<Gemv<T>>(f);
}

// Elements the kernel may read past the end of x, with room to spare.
constexpr std::size_t slack = 8;

template <class T>
void guarded_gemv(Gemv<T> real, const char* trans, const int* m, const int* n, const T* alpha, const T* a,
                  const int* lda, const T* x, const int* incx, const T* beta, T* y, const int* incy, std::size_t len) {
  const char t = *trans;
  if ((t != 'N' && t != 'n') || *m <= 0 || *n <= 0 || *incx == 0) {
    real(trans, m, n, alpha, a, lda, x, incx, beta, y, incy, len);
    return;
  }
  // x's span: 1 + (n-1)|incx| elements from x (BLAS starts a negative stride at the far end).
  const std::size_t span = 1 + static_cast<std::size_t>(*n - 1) * static_cast<std::size_t>(std::abs(*incx));
  thread_local std::vector<T> padded;
  if (padded.size() < span + slack) padded.resize(span + slack);
  std::memcpy(static_cast<void*>(padded.data()), x, span * sizeof(T));
  real(trans, m, n, alpha, a, lda, padded.data(), incx, beta, y, incy, len);
}

}  // namespace

extern "C" void zgemv_(const char* trans, const int* m, const int* n, const std::complex<double>* alpha,
                       const std::complex<double>* a, const int* lda, const std::complex<double>* x, const int* incx,
                       const std::complex<double>* beta, std::complex<double>* y, const int* incy, std::size_t len) {
  static const Gemv<std::complex<double>> real = next_gemv<std::complex<double>>("zgemv_");
  guarded_gemv(real, trans, m, n, alpha, a, lda, x, incx, beta, y, incy, len);
}

extern "C" void cgemv_(const char* trans, const int* m, const int* n, const std::complex<float>* alpha,
                       const std::complex<float>* a, const int* lda, const std::complex<float>* x, const int* incx,
                       const std::complex<float>* beta, std::complex<float>* y, const int* incy, std::size_t len) {
  static const Gemv<std::complex<float>> real = next_gemv<std::complex<float>>("cgemv_");
  guarded_gemv(real, trans, m, n, alpha, a, lda, x, incx, beta, y, incy, len);
}
