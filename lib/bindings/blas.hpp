#pragma once
// Serial BLAS (OpenBLAS) on one process's own data: the local steps of CholeskyQR (the Gram
// matrix, the triangular solve and product) and the products with a replicated factor that
// follow it. Overloads per element type in tartan::detail::blas; hidden CHARACTER lengths
// passed. (The small LAPACK steps, Cholesky and condition estimate, are in lapack.hpp.)

#include "bindings/fortran.hpp"

namespace tartan::detail::blas {

using fortran::cdouble;
using fortran::cfloat;
using fortran::fchar;
using fortran::flen;

#define TARTAN_LB_DECL(p, T, R)                                                                                        \
  extern "C" void p##trsm_(fchar, fchar, fchar, fchar, const int*, const int*, const T*, const T*, const int*, T*,     \
                           const int*, flen, flen, flen, flen);                                                        \
  extern "C" void p##trmm_(fchar, fchar, fchar, fchar, const int*, const int*, const T*, const T*, const int*, T*,     \
                           const int*, flen, flen, flen, flen);                                                        \
  extern "C" void p##gemm_(fchar, fchar, const int*, const int*, const int*, const T*, const T*, const int*, const T*, \
                           const int*, const T*, T*, const int*, flen, flen);                                          \
  /* C := alpha A B + beta C, no transposes */                                                                         \
  inline void gemm(int m, int n, int k, T alpha, const T* a, int lda, const T* b, int ldb, T beta, T* c, int ldc) {    \
    p##gemm_("N", "N", &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc, 1, 1);                                    \
  }                                                                                                                    \
  /* C := alpha op(A) op(B) + beta C */                                                                                \
  inline void gemm(char ta, char tb, int m, int n, int k, T alpha, const T* a, int lda, const T* b, int ldb, T beta,   \
                   T* c, int ldc) {                                                                                    \
    p##gemm_(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc, 1, 1);                                    \
  }                                                                                                                    \
  inline void trsm(char side, char uplo, char trans, char diag, int m, int n, T alpha, const T* a, int lda, T* b,      \
                   int ldb) {                                                                                          \
    p##trsm_(&side, &uplo, &trans, &diag, &m, &n, &alpha, a, &lda, b, &ldb, 1, 1, 1, 1);                               \
  }                                                                                                                    \
  inline void trmm(char side, char uplo, char trans, char diag, int m, int n, T alpha, const T* a, int lda, T* b,      \
                   int ldb) {                                                                                          \
    p##trmm_(&side, &uplo, &trans, &diag, &m, &n, &alpha, a, &lda, b, &ldb, 1, 1, 1, 1);                               \
  }
TARTAN_LB_DECL(s, float, float)
TARTAN_LB_DECL(d, double, double)
TARTAN_LB_DECL(c, cfloat, float)
TARTAN_LB_DECL(z, cdouble, double)

// The Gram matrix C := alpha A^H A + beta C on the upper triangle: ?syrk for real, ?herk for complex.
#define TARTAN_LB_GRAM(p, f, T, R)                                                                            \
  extern "C" void p##f##_(fchar, fchar, const int*, const int*, const R*, const T*, const int*, const R*, T*, \
                          const int*, flen, flen);                                                            \
  inline void gram_upper(int n, int k, R alpha, const T* a, int lda, R beta, T* c, int ldc) {                 \
    const char trans = sizeof(T) == sizeof(R) ? 'T' : 'C';                                                    \
    p##f##_("U", &trans, &n, &k, &alpha, a, &lda, &beta, c, &ldc, 1, 1);                                      \
  }
TARTAN_LB_GRAM(s, syrk, float, float)
TARTAN_LB_GRAM(d, syrk, double, double)
TARTAN_LB_GRAM(c, herk, cfloat, float)
TARTAN_LB_GRAM(z, herk, cdouble, double)

}  // namespace tartan::detail::blas
