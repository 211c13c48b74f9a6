#pragma once
// ScaLAPACK: the distributed factorizations, solvers and eigensolvers Tartan calls,
// declared once for the four element types and exposed as C++ overloads in
// tartan::detail::scalapack, so every algorithm above is written once, over T.
//
// Never add p?gecon, p?pocon, p?trcon, p?gerfs, p?porfs, p?trrfs, p?gesvx or p?posvx:
// Debian 12's ScaLAPACK 2.2.1 hangs intermittently inside them (p?lacon reads an
// uninitialized value, so ranks take different branches).

#include "bindings/fortran.hpp"

namespace tartan::detail::scalapack {

using fortran::cdouble;
using fortran::cfloat;
using fortran::fchar;
using fortran::flen;
using fortran::op_char;
using fortran::uplo_char;

#define TARTAN_LASET(p, T, R)                                                                                          \
  extern "C" void p##laset_(fchar, const int*, const int*, const T*, const T*, T*, const int*, const int*, const int*, \
                            flen);                                                                                     \
  inline void laset(char uplo, int m, int n, T alpha, T beta, T* a, int ia, int ja, const int* da) {                   \
    p##laset_(&uplo, &m, &n, &alpha, &beta, a, &ia, &ja, da, 1);                                                       \
  }
TARTAN_FOR_TYPES(TARTAN_LASET)

#define TARTAN_GETRF(p, T, R)                                                                            \
  extern "C" void p##getrf_(const int*, const int*, T*, const int*, const int*, const int*, int*, int*); \
  inline void getrf(int m, int n, T* a, int ia, int ja, const int* da, int* ipiv, int* info) {           \
    p##getrf_(&m, &n, a, &ia, &ja, da, ipiv, info);                                                      \
  }
TARTAN_FOR_TYPES(TARTAN_GETRF)

#define TARTAN_GETRS(p, T, R)                                                                                        \
  extern "C" void p##getrs_(fchar, const int*, const int*, const T*, const int*, const int*, const int*, const int*, \
                            T*, const int*, const int*, const int*, int*, flen);                                     \
  inline void getrs(char trans, int n, int nrhs, const T* a, int ia, int ja, const int* da, const int* ipiv, T* b,   \
                    int ib, int jb, const int* db, int* info) {                                                      \
    p##getrs_(&trans, &n, &nrhs, a, &ia, &ja, da, ipiv, b, &ib, &jb, db, info, 1);                                   \
  }
TARTAN_FOR_TYPES(TARTAN_GETRS)

#define TARTAN_GETRI(p, T, R)                                                                                     \
  extern "C" void p##getri_(const int*, T*, const int*, const int*, const int*, const int*, T*, const int*, int*, \
                            const int*, int*);                                                                    \
  inline void getri(int n, T* a, int ia, int ja, const int* da, const int* ipiv, T* work, int lwork, int* iwork,  \
                    int liwork, int* info) {                                                                      \
    p##getri_(&n, a, &ia, &ja, da, ipiv, work, &lwork, iwork, &liwork, info);                                     \
  }
TARTAN_FOR_TYPES(TARTAN_GETRI)

#define TARTAN_POTRF(p, T, R)                                                                       \
  extern "C" void p##potrf_(fchar, const int*, T*, const int*, const int*, const int*, int*, flen); \
  inline void potrf(char uplo, int n, T* a, int ia, int ja, const int* da, int* info) {             \
    p##potrf_(&uplo, &n, a, &ia, &ja, da, info, 1);                                                 \
  }
TARTAN_FOR_TYPES(TARTAN_POTRF)

#define TARTAN_POTRS(p, T, R)                                                                                    \
  extern "C" void p##potrs_(fchar, const int*, const int*, const T*, const int*, const int*, const int*, T*,     \
                            const int*, const int*, const int*, int*, flen);                                     \
  inline void potrs(char uplo, int n, int nrhs, const T* a, int ia, int ja, const int* da, T* b, int ib, int jb, \
                    const int* db, int* info) {                                                                  \
    p##potrs_(&uplo, &n, &nrhs, a, &ia, &ja, da, b, &ib, &jb, db, info, 1);                                      \
  }
TARTAN_FOR_TYPES(TARTAN_POTRS)

#define TARTAN_GEQRF(p, T, R)                                                                                          \
  extern "C" void p##geqrf_(const int*, const int*, T*, const int*, const int*, const int*, T*, T*, const int*, int*); \
  inline void geqrf(int m, int n, T* a, int ia, int ja, const int* da, T* tau, T* work, int lwork, int* info) {        \
    p##geqrf_(&m, &n, a, &ia, &ja, da, tau, work, &lwork, info);                                                       \
  }
TARTAN_FOR_TYPES(TARTAN_GEQRF)

// Forms Q from geqrf's reflectors: p?orgqr (real), p?ungqr (complex).
#define TARTAN_UNGQR(p, T, R, name)                                                                                    \
  extern "C" void p##name##_(const int*, const int*, const int*, T*, const int*, const int*, const int*, const T*, T*, \
                             const int*, int*);                                                                        \
  inline void ungqr(int m, int n, int k, T* a, int ia, int ja, const int* da, const T* tau, T* work, int lwork,        \
                    int* info) {                                                                                       \
    p##name##_(&m, &n, &k, a, &ia, &ja, da, tau, work, &lwork, info);                                                  \
  }
TARTAN_UNGQR(ps, float, float, orgqr)
TARTAN_UNGQR(pd, double, double, orgqr)
TARTAN_UNGQR(pc, cfloat, float, ungqr)
TARTAN_UNGQR(pz, cdouble, double, ungqr)

#define TARTAN_GELS(p, T, R)                                                                                      \
  extern "C" void p##gels_(fchar, const int*, const int*, const int*, T*, const int*, const int*, const int*, T*, \
                           const int*, const int*, const int*, T*, const int*, int*, flen);                       \
  inline void gels(char trans, int m, int n, int nrhs, T* a, int ia, int ja, const int* da, T* b, int ib, int jb, \
                   const int* db, T* work, int lwork, int* info) {                                                \
    p##gels_(&trans, &m, &n, &nrhs, a, &ia, &ja, da, b, &ib, &jb, db, work, &lwork, info, 1);                     \
  }
TARTAN_FOR_TYPES(TARTAN_GELS)

// Divide-and-conquer symmetric/Hermitian eigensolver, all eigenpairs. rwork is ignored
// for real types.
#define TARTAN_SYEVD_REAL(p, T, R)                                                                                \
  extern "C" void p##syevd_(fchar, fchar, const int*, T*, const int*, const int*, const int*, R*, T*, const int*, \
                            const int*, const int*, T*, const int*, int*, const int*, int*, flen, flen);          \
  inline void heevd(char jobz, char uplo, int n, T* a, int ia, int ja, const int* da, R* w, T* z, int iz, int jz, \
                    const int* dz, T* work, int lwork, R*, int, int* iwork, int liwork, int* info) {              \
    p##syevd_(&jobz, &uplo, &n, a, &ia, &ja, da, w, z, &iz, &jz, dz, work, &lwork, iwork, &liwork, info, 1, 1);   \
  }
TARTAN_FOR_REAL(TARTAN_SYEVD_REAL)
#define TARTAN_HEEVD(p, T, R)                                                                                      \
  extern "C" void p##heevd_(fchar, fchar, const int*, T*, const int*, const int*, const int*, R*, T*, const int*,  \
                            const int*, const int*, T*, const int*, R*, const int*, int*, const int*, int*, flen,  \
                            flen);                                                                                 \
  inline void heevd(char jobz, char uplo, int n, T* a, int ia, int ja, const int* da, R* w, T* z, int iz, int jz,  \
                    const int* dz, T* work, int lwork, R* rwork, int lrwork, int* iwork, int liwork, int* info) {  \
    p##heevd_(&jobz, &uplo, &n, a, &ia, &ja, da, w, z, &iz, &jz, dz, work, &lwork, rwork, &lrwork, iwork, &liwork, \
              info, 1, 1);                                                                                         \
  }
TARTAN_FOR_COMPLEX(TARTAN_HEEVD)

// MRRR symmetric/Hermitian eigensolver: subsets by index or value, and values only.
#define TARTAN_SYEVR_REAL(p, T, R)                                                                                    \
  extern "C" void p##syevr_(fchar, fchar, fchar, const int*, T*, const int*, const int*, const int*, const R*,        \
                            const R*, const int*, const int*, int*, int*, R*, T*, const int*, const int*, const int*, \
                            T*, const int*, int*, const int*, int*, flen, flen, flen);                                \
  inline void heevr(char jobz, char range, char uplo, int n, T* a, int ia, int ja, const int* da, R vl, R vu, int il, \
                    int iu, int* m, int* nz, R* w, T* z, int iz, int jz, const int* dz, T* work, int lwork, R*, int,  \
                    int* iwork, int liwork, int* info) {                                                              \
    p##syevr_(&jobz, &range, &uplo, &n, a, &ia, &ja, da, &vl, &vu, &il, &iu, m, nz, w, z, &iz, &jz, dz, work, &lwork, \
              iwork, &liwork, info, 1, 1, 1);                                                                         \
  }
TARTAN_FOR_REAL(TARTAN_SYEVR_REAL)
#define TARTAN_HEEVR(p, T, R)                                                                                         \
  extern "C" void p##heevr_(fchar, fchar, fchar, const int*, T*, const int*, const int*, const int*, const R*,        \
                            const R*, const int*, const int*, int*, int*, R*, T*, const int*, const int*, const int*, \
                            T*, const int*, R*, const int*, int*, const int*, int*, flen, flen, flen);                \
  inline void heevr(char jobz, char range, char uplo, int n, T* a, int ia, int ja, const int* da, R vl, R vu, int il, \
                    int iu, int* m, int* nz, R* w, T* z, int iz, int jz, const int* dz, T* work, int lwork, R* rwork, \
                    int lrwork, int* iwork, int liwork, int* info) {                                                  \
    p##heevr_(&jobz, &range, &uplo, &n, a, &ia, &ja, da, &vl, &vu, &il, &iu, m, nz, w, z, &iz, &jz, dz, work, &lwork, \
              rwork, &lrwork, iwork, &liwork, info, 1, 1, 1);                                                         \
  }
TARTAN_FOR_COMPLEX(TARTAN_HEEVR)

// QR-iteration symmetric/Hermitian eigensolver; Tartan uses it for eigenvalues only
// (tridiagonal reduction, then the serial ?steqr2 on every process). rwork is ignored for real types.
#define TARTAN_SYEV_REAL(p, T, R)                                                                                \
  extern "C" void p##syev_(fchar, fchar, const int*, T*, const int*, const int*, const int*, R*, T*, const int*, \
                           const int*, const int*, T*, const int*, int*, flen, flen);                            \
  inline void heev(char jobz, char uplo, int n, T* a, int ia, int ja, const int* da, R* w, T* z, int iz, int jz, \
                   const int* dz, T* work, int lwork, R*, int, int* info) {                                      \
    p##syev_(&jobz, &uplo, &n, a, &ia, &ja, da, w, z, &iz, &jz, dz, work, &lwork, info, 1, 1);                   \
  }
TARTAN_FOR_REAL(TARTAN_SYEV_REAL)
#define TARTAN_HEEV(p, T, R)                                                                                     \
  extern "C" void p##heev_(fchar, fchar, const int*, T*, const int*, const int*, const int*, R*, T*, const int*, \
                           const int*, const int*, T*, const int*, R*, const int*, int*, flen, flen);            \
  inline void heev(char jobz, char uplo, int n, T* a, int ia, int ja, const int* da, R* w, T* z, int iz, int jz, \
                   const int* dz, T* work, int lwork, R* rwork, int lrwork, int* info) {                         \
    p##heev_(&jobz, &uplo, &n, a, &ia, &ja, da, w, z, &iz, &jz, dz, work, &lwork, rwork, &lrwork, info, 1, 1);   \
  }
TARTAN_FOR_COMPLEX(TARTAN_HEEV)

// Reduces the generalized problem A x = lambda B x (B already Cholesky-factored) to standard form.
#define TARTAN_HEGST(p, T, R, name)                                                                                \
  extern "C" void p##name##_(const int*, fchar, const int*, T*, const int*, const int*, const int*, const T*,      \
                             const int*, const int*, const int*, R*, int*, flen);                                  \
  inline void hegst(int ibtype, char uplo, int n, T* a, int ia, int ja, const int* da, const T* b, int ib, int jb, \
                    const int* db, R* scale, int* info) {                                                          \
    p##name##_(&ibtype, &uplo, &n, a, &ia, &ja, da, b, &ib, &jb, db, scale, info, 1);                              \
  }
TARTAN_HEGST(ps, float, float, sygst)
TARTAN_HEGST(pd, double, double, sygst)
TARTAN_HEGST(pc, cfloat, float, hegst)
TARTAN_HEGST(pz, cdouble, double, hegst)

// Singular value decomposition; rwork is ignored for real types.
#define TARTAN_GESVD_REAL(p, T, R)                                                                                    \
  extern "C" void p##gesvd_(fchar, fchar, const int*, const int*, T*, const int*, const int*, const int*, R*, T*,     \
                            const int*, const int*, const int*, T*, const int*, const int*, const int*, T*,           \
                            const int*, int*, flen, flen);                                                            \
  inline void gesvd(char jobu, char jobvt, int m, int n, T* a, int ia, int ja, const int* da, R* s, T* u, int iu,     \
                    int ju, const int* du, T* vt, int ivt, int jvt, const int* dvt, T* work, int lwork, R*,           \
                    int* info) {                                                                                      \
    p##gesvd_(&jobu, &jobvt, &m, &n, a, &ia, &ja, da, s, u, &iu, &ju, du, vt, &ivt, &jvt, dvt, work, &lwork, info, 1, \
              1);                                                                                                     \
  }
TARTAN_FOR_REAL(TARTAN_GESVD_REAL)
#define TARTAN_GESVD_COMPLEX(p, T, R)                                                                               \
  extern "C" void p##gesvd_(fchar, fchar, const int*, const int*, T*, const int*, const int*, const int*, R*, T*,   \
                            const int*, const int*, const int*, T*, const int*, const int*, const int*, T*,         \
                            const int*, R*, int*, flen, flen);                                                      \
  inline void gesvd(char jobu, char jobvt, int m, int n, T* a, int ia, int ja, const int* da, R* s, T* u, int iu,   \
                    int ju, const int* du, T* vt, int ivt, int jvt, const int* dvt, T* work, int lwork, R* rwork,   \
                    int* info) {                                                                                    \
    p##gesvd_(&jobu, &jobvt, &m, &n, a, &ia, &ja, da, s, u, &iu, &ju, du, vt, &ivt, &jvt, dvt, work, &lwork, rwork, \
              info, 1, 1);                                                                                          \
  }
TARTAN_FOR_COMPLEX(TARTAN_GESVD_COMPLEX)

// Reduction to bidiagonal form, Q^H A P = B (upper when m >= n); D and E are real.
#define TARTAN_GEBRD(p, T, R)                                                                                   \
  extern "C" void p##gebrd_(const int*, const int*, T*, const int*, const int*, const int*, R*, R*, T*, T*, T*, \
                            const int*, int*);                                                                  \
  inline void gebrd(int m, int n, T* a, int ia, int ja, const int* da, R* d, R* e, T* tauq, T* taup, T* work,   \
                    int lwork, int* info) {                                                                     \
    p##gebrd_(&m, &n, a, &ia, &ja, da, d, e, tauq, taup, work, &lwork, info);                                   \
  }
TARTAN_FOR_TYPES(TARTAN_GEBRD)

// Applies gebrd's Q or P to C: p?ormbr (real), p?unmbr (complex).
#define TARTAN_UNMBR(p, T, R, name)                                                                                    \
  extern "C" void p##name##_(fchar, fchar, fchar, const int*, const int*, const int*, const T*, const int*,            \
                             const int*, const int*, const T*, T*, const int*, const int*, const int*, T*, const int*, \
                             int*, flen, flen, flen);                                                                  \
  inline void unmbr(char vect, char side, char trans, int m, int n, int k, const T* a, int ia, int ja, const int* da,  \
                    const T* tau, T* c, int ic, int jc, const int* dc, T* work, int lwork, int* info) {                \
    p##name##_(&vect, &side, &trans, &m, &n, &k, a, &ia, &ja, da, tau, c, &ic, &jc, dc, work, &lwork, info, 1, 1, 1);  \
  }
TARTAN_UNMBR(ps, float, float, ormbr)
TARTAN_UNMBR(pd, double, double, ormbr)
TARTAN_UNMBR(pc, cfloat, float, unmbr)
TARTAN_UNMBR(pz, cdouble, double, unmbr)

// Applies geqrf's Q to C: p?ormqr (real), p?unmqr (complex).
#define TARTAN_UNMQR(p, T, R, name)                                                                                    \
  extern "C" void p##name##_(fchar, fchar, const int*, const int*, const int*, const T*, const int*, const int*,       \
                             const int*, const T*, T*, const int*, const int*, const int*, T*, const int*, int*, flen, \
                             flen);                                                                                    \
  inline void unmqr(char side, char trans, int m, int n, int k, const T* a, int ia, int ja, const int* da,             \
                    const T* tau, T* c, int ic, int jc, const int* dc, T* work, int lwork, int* info) {                \
    p##name##_(&side, &trans, &m, &n, &k, a, &ia, &ja, da, tau, c, &ic, &jc, dc, work, &lwork, info, 1, 1);            \
  }
TARTAN_UNMQR(ps, float, float, ormqr)
TARTAN_UNMQR(pd, double, double, ormqr)
TARTAN_UNMQR(pc, cfloat, float, unmqr)
TARTAN_UNMQR(pz, cdouble, double, unmqr)

}  // namespace tartan::detail::scalapack
