#pragma once
// PBLAS: distributed BLAS (p?gemm, p?gemr2d, p?lange, p?tran, p?geadd, p?trsm), declared
// once for the four element types and exposed as C++ overloads in tartan::detail::pblas.

#include "bindings/fortran.hpp"

namespace tartan::detail::pblas {

using fortran::cdouble;
using fortran::cfloat;
using fortran::fchar;
using fortran::flen;
using fortran::op_char;
using fortran::uplo_char;

#define TARTAN_GEMM(p, T, R)                                                                                   \
  extern "C" void p##gemm_(fchar, fchar, const int*, const int*, const int*, const T*, const T*, const int*,   \
                           const int*, const int*, const T*, const int*, const int*, const int*, const T*, T*, \
                           const int*, const int*, const int*, flen, flen);                                    \
  inline void gemm(char ta, char tb, int m, int n, int k, T alpha, const T* a, int ia, int ja, const int* da,  \
                   const T* b, int ib, int jb, const int* db, T beta, T* c, int ic, int jc, const int* dc) {   \
    p##gemm_(&ta, &tb, &m, &n, &k, &alpha, a, &ia, &ja, da, b, &ib, &jb, db, &beta, c, &ic, &jc, dc, 1, 1);    \
  }
TARTAN_FOR_TYPES(TARTAN_GEMM)

#define TARTAN_GEMR2D(p, T, R)                                                                                     \
  extern "C" void p##gemr2d_(const int*, const int*, const T*, const int*, const int*, const int*, T*, const int*, \
                             const int*, const int*, const int*);                                                  \
  inline void gemr2d(int m, int n, const T* a, int ia, int ja, const int* da, T* b, int ib, int jb, const int* db, \
                     int ctxt) {                                                                                   \
    p##gemr2d_(&m, &n, a, &ia, &ja, da, b, &ib, &jb, db, &ctxt);                                                   \
  }
TARTAN_FOR_TYPES(TARTAN_GEMR2D)

#define TARTAN_LANGE(p, T, R)                                                                                    \
  extern "C" R p##lange_(fchar, const int*, const int*, const T*, const int*, const int*, const int*, R*, flen); \
  inline R lange(char norm, int m, int n, const T* a, int ia, int ja, const int* da, R* work) {                  \
    return p##lange_(&norm, &m, &n, a, &ia, &ja, da, work, 1);                                                   \
  }
TARTAN_FOR_TYPES(TARTAN_LANGE)

// p?tran (real), p?tranu and p?tranc (complex): C := beta*C + alpha*op(A).
#define TARTAN_TRAN_REAL(p, T, R)                                                                                    \
  extern "C" void p##tran_(const int*, const int*, const T*, const T*, const int*, const int*, const int*, const T*, \
                           T*, const int*, const int*, const int*);                                                  \
  inline void tran(bool /*conj*/, int m, int n, T alpha, const T* a, int ia, int ja, const int* da, T beta, T* c,    \
                   int ic, int jc, const int* dc) {                                                                  \
    p##tran_(&m, &n, &alpha, a, &ia, &ja, da, &beta, c, &ic, &jc, dc);                                               \
  }
TARTAN_FOR_REAL(TARTAN_TRAN_REAL)
#define TARTAN_TRAN_COMPLEX(p, T, R)                                                                                  \
  extern "C" void p##tranu_(const int*, const int*, const T*, const T*, const int*, const int*, const int*, const T*, \
                            T*, const int*, const int*, const int*);                                                  \
  extern "C" void p##tranc_(const int*, const int*, const T*, const T*, const int*, const int*, const int*, const T*, \
                            T*, const int*, const int*, const int*);                                                  \
  inline void tran(bool conj, int m, int n, T alpha, const T* a, int ia, int ja, const int* da, T beta, T* c, int ic, \
                   int jc, const int* dc) {                                                                           \
    if (conj)                                                                                                         \
      p##tranc_(&m, &n, &alpha, a, &ia, &ja, da, &beta, c, &ic, &jc, dc);                                             \
    else                                                                                                              \
      p##tranu_(&m, &n, &alpha, a, &ia, &ja, da, &beta, c, &ic, &jc, dc);                                             \
  }
TARTAN_FOR_COMPLEX(TARTAN_TRAN_COMPLEX)

#define TARTAN_GEADD(p, T, R)                                                                                      \
  extern "C" void p##geadd_(fchar, const int*, const int*, const T*, const T*, const int*, const int*, const int*, \
                            const T*, T*, const int*, const int*, const int*, flen);                               \
  inline void geadd(char trans, int m, int n, T alpha, const T* a, int ia, int ja, const int* da, T beta, T* c,    \
                    int ic, int jc, const int* dc) {                                                               \
    p##geadd_(&trans, &m, &n, &alpha, a, &ia, &ja, da, &beta, c, &ic, &jc, dc, 1);                                 \
  }
TARTAN_FOR_TYPES(TARTAN_GEADD)

#define TARTAN_TRSM(p, T, R)                                                                                        \
  extern "C" void p##trsm_(fchar, fchar, fchar, fchar, const int*, const int*, const T*, const T*, const int*,      \
                           const int*, const int*, T*, const int*, const int*, const int*, flen, flen, flen, flen); \
  inline void trsm(char side, char uplo, char trans, char diag, int m, int n, T alpha, const T* a, int ia, int ja,  \
                   const int* da, T* b, int ib, int jb, const int* db) {                                            \
    p##trsm_(&side, &uplo, &trans, &diag, &m, &n, &alpha, a, &ia, &ja, da, b, &ib, &jb, db, 1, 1, 1, 1);            \
  }
TARTAN_FOR_TYPES(TARTAN_TRSM)

// C := alpha op(A) op(A)^T + beta C (p?syrk, every type) and C := alpha op(A) op(A)^H + beta C
// (p?herk, complex types; alpha and beta real), on one triangle of C.
#define TARTAN_SYRK(p, T, R)                                                                                        \
  extern "C" void p##syrk_(fchar, fchar, const int*, const int*, const T*, const T*, const int*, const int*,        \
                           const int*, const T*, T*, const int*, const int*, const int*, flen, flen);               \
  inline void syrk(char uplo, char trans, int n, int k, T alpha, const T* a, int ia, int ja, const int* da, T beta, \
                   T* c, int ic, int jc, const int* dc) {                                                           \
    p##syrk_(&uplo, &trans, &n, &k, &alpha, a, &ia, &ja, da, &beta, c, &ic, &jc, dc, 1, 1);                         \
  }
TARTAN_FOR_TYPES(TARTAN_SYRK)
#define TARTAN_HERK(p, T, R)                                                                                        \
  extern "C" void p##herk_(fchar, fchar, const int*, const int*, const R*, const T*, const int*, const int*,        \
                           const int*, const R*, T*, const int*, const int*, const int*, flen, flen);               \
  inline void herk(char uplo, char trans, int n, int k, R alpha, const T* a, int ia, int ja, const int* da, R beta, \
                   T* c, int ic, int jc, const int* dc) {                                                           \
    p##herk_(&uplo, &trans, &n, &k, &alpha, a, &ia, &ja, da, &beta, c, &ic, &jc, dc, 1, 1);                         \
  }
TARTAN_FOR_COMPLEX(TARTAN_HERK)

}  // namespace tartan::detail::pblas
