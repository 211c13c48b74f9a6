#pragma once
// The nonsymmetric family: Hessenberg reduction, Schur forms and eigenvectors (ScaLAPACK
// and serial LAPACK), pivoted QR and RQ. Kept apart from scalapack.hpp and lapack.hpp so
// that the routines with the pitfalls listed in kernels/schur.hpp are reached from one
// place only.
//
// What Debian 12's ScaLAPACK 2.2.1 offers here: p?gehrd, p?ormhr/p?unmhr, pdhseqr and
// pshseqr (real only), p?lahqr (complex: no p?hseqr), p?geqpf, p?gerqf, p?orgrq/p?ungrq.
// There is no p?gebak, p?orghr, p?trevc for real types or p?geev.

#include <array>

#include "bindings/fortran.hpp"

namespace tartan::detail {

namespace scalapack {
using fortran::cdouble;
using fortran::cfloat;
using fortran::fchar;
using fortran::flen;

#define TARTAN_GEHRD(p, T, R)                                                                                   \
  extern "C" void p##gehrd_(const int*, const int*, const int*, T*, const int*, const int*, const int*, T*, T*, \
                            const int*, int*);                                                                  \
  inline void gehrd(int n, int ilo, int ihi, T* a, const int* da, T* tau, T* work, int lwork, int* info) {      \
    const int one = 1;                                                                                          \
    p##gehrd_(&n, &ilo, &ihi, a, &one, &one, da, tau, work, &lwork, info);                                      \
  }
TARTAN_FOR_TYPES(TARTAN_GEHRD)

// C := Q C (side 'L', trans 'N') with Q from p?gehrd's reflectors: p?ormhr, p?unmhr.
#define TARTAN_UNMHR(p, T, R, name)                                                                                    \
  extern "C" void p##name##_(fchar, fchar, const int*, const int*, const int*, const int*, const T*, const int*,       \
                             const int*, const int*, const T*, T*, const int*, const int*, const int*, T*, const int*, \
                             int*, flen, flen);                                                                        \
  inline void unmhr(char side, char trans, int m, int n, int ilo, int ihi, const T* a, const int* da, const T* tau,    \
                    T* c, const int* dc, T* work, int lwork, int* info) {                                              \
    const int one = 1;                                                                                                 \
    p##name##_(&side, &trans, &m, &n, &ilo, &ihi, a, &one, &one, da, tau, c, &one, &one, dc, work, &lwork, info, 1,    \
               1);                                                                                                     \
  }
TARTAN_UNMHR(ps, float, float, ormhr)
TARTAN_UNMHR(pd, double, double, ormhr)
TARTAN_UNMHR(pc, cfloat, float, unmhr)
TARTAN_UNMHR(pz, cdouble, double, unmhr)

// The real Schur form by the multishift QR algorithm with aggressive early deflation.
#define TARTAN_HSEQR(p, T, R)                                                                                         \
  extern "C" void p##hseqr_(fchar, fchar, const int*, const int*, const int*, T*, const int*, T*, T*, T*, const int*, \
                            T*, const int*, int*, const int*, int*, flen, flen);                                      \
  inline void hseqr(char job, char compz, int n, T* h, const int* dh, T* wr, T* wi, T* z, const int* dz, T* work,     \
                    int lwork, int* iwork, int liwork, int* info) {                                                   \
    const int one = 1;                                                                                                \
    p##hseqr_(&job, &compz, &n, &one, &n, h, dh, wr, wi, z, dz, work, &lwork, iwork, &liwork, info, 1, 1);            \
  }
TARTAN_FOR_REAL(TARTAN_HSEQR)

// p?hseqr's small-matrix algorithm alone (p?laqr1: multishift QR without aggressive early
// deflation), for the grids where p?hseqr's large-matrix one hangs.
#define TARTAN_LAQR1(p, T, R)                                                                                      \
  extern "C" void p##laqr1_(const int*, const int*, const int*, const int*, const int*, T*, const int*, T*, T*,    \
                            const int*, const int*, T*, const int*, T*, const int*, int*, const int*, int*);       \
  inline void laqr1(bool wantz, int n, T* h, const int* dh, T* wr, T* wi, T* z, const int* dz, T* work, int lwork, \
                    int* iwork, int liwork, int* info) {                                                           \
    const int t = 1, zz = wantz ? 1 : 0, one = 1;                                                                  \
    p##laqr1_(&t, &zz, &n, &one, &n, h, dh, wr, wi, &one, &n, z, dz, work, &lwork, iwork, &liwork, info);          \
  }
TARTAN_FOR_REAL(TARTAN_LAQR1)

// The complex Schur form (p?lahqr; LOGICAL arguments are Fortran default integers).
#define TARTAN_LAHQR(p, T, R)                                                                                          \
  extern "C" void p##lahqr_(const int*, const int*, const int*, const int*, const int*, T*, const int*, T*,            \
                            const int*, const int*, T*, const int*, T*, const int*, int*, const int*, int*);           \
  inline void lahqr(bool wantt, bool wantz, int n, T* h, const int* dh, T* w, T* z, const int* dz, T* work, int lwork, \
                    int* iwork, int liwork, int* info) {                                                               \
    const int t = wantt ? 1 : 0, zz = wantz ? 1 : 0, one = 1;                                                          \
    p##lahqr_(&t, &zz, &n, &one, &n, h, dh, w, &one, &n, z, dz, work, &lwork, iwork, &liwork, info);                   \
  }
TARTAN_FOR_COMPLEX(TARTAN_LAHQR)

// QR with column pivoting (p?geqpf): IPIV is local over the columns this process holds.
#define TARTAN_GEQPF_REAL(p, T, R)                                                                                    \
  extern "C" void p##geqpf_(const int*, const int*, T*, const int*, const int*, const int*, int*, T*, T*, const int*, \
                            int*);                                                                                    \
  inline void geqpf(int m, int n, T* a, const int* da, int* ipiv, T* tau, T* work, int lwork, R*, int, int* info) {   \
    const int one = 1;                                                                                                \
    p##geqpf_(&m, &n, a, &one, &one, da, ipiv, tau, work, &lwork, info);                                              \
  }
TARTAN_FOR_REAL(TARTAN_GEQPF_REAL)
#define TARTAN_GEQPF_COMPLEX(p, T, R)                                                                                 \
  extern "C" void p##geqpf_(const int*, const int*, T*, const int*, const int*, const int*, int*, T*, T*, const int*, \
                            R*, const int*, int*);                                                                    \
  inline void geqpf(int m, int n, T* a, const int* da, int* ipiv, T* tau, T* work, int lwork, R* rwork, int lrwork,   \
                    int* info) {                                                                                      \
    const int one = 1;                                                                                                \
    p##geqpf_(&m, &n, a, &one, &one, da, ipiv, tau, work, &lwork, rwork, &lrwork, info);                              \
  }
TARTAN_FOR_COMPLEX(TARTAN_GEQPF_COMPLEX)

#define TARTAN_GERQF(p, T, R)                                                                                          \
  extern "C" void p##gerqf_(const int*, const int*, T*, const int*, const int*, const int*, T*, T*, const int*, int*); \
  inline void gerqf(int m, int n, T* a, const int* da, T* tau, T* work, int lwork, int* info) {                        \
    const int one = 1;                                                                                                 \
    p##gerqf_(&m, &n, a, &one, &one, da, tau, work, &lwork, info);                                                     \
  }
TARTAN_FOR_TYPES(TARTAN_GERQF)

// Q from p?gerqf's reflectors (the last k rows of the m x n array): p?orgrq, p?ungrq.
#define TARTAN_UNGRQ(p, T, R, name)                                                                                    \
  extern "C" void p##name##_(const int*, const int*, const int*, T*, const int*, const int*, const int*, const T*, T*, \
                             const int*, int*);                                                                        \
  inline void ungrq(int m, int n, int k, T* a, int ia, const int* da, const T* tau, T* work, int lwork, int* info) {   \
    const int one = 1;                                                                                                 \
    p##name##_(&m, &n, &k, a, &ia, &one, da, tau, work, &lwork, info);                                                 \
  }
TARTAN_UNGRQ(ps, float, float, orgrq)
TARTAN_UNGRQ(pd, double, double, orgrq)
TARTAN_UNGRQ(pc, cfloat, float, ungrq)
TARTAN_UNGRQ(pz, cdouble, double, ungrq)
}  // namespace scalapack

namespace lapack::raw {
using fortran::cdouble;
using fortran::cfloat;
using fortran::fchar;
using fortran::flen;

// Eigenvalues and right eigenvectors (?geev), the Schur form (?gees, no sorting), the
// Hessenberg form (?gehrd, ?orghr/?unghr), and eigenvectors of a (quasi-)triangular T
// (?trevc3). The real forms return eigenvalues as (wr, wi) pairs.
#define TARTAN_LP_NONSYM_REAL(p, T)                                                                                  \
  extern "C" void p##geev_(fchar, fchar, const int*, T*, const int*, T*, T*, T*, const int*, T*, const int*, T*,     \
                           const int*, int*, flen, flen);                                                            \
  extern "C" void p##gees_(fchar, fchar, void*, const int*, T*, const int*, int*, T*, T*, T*, const int*, T*,        \
                           const int*, int*, int*, flen, flen);                                                      \
  extern "C" void p##trevc3_(fchar, fchar, const int*, const int*, const T*, const int*, T*, const int*, T*,         \
                             const int*, const int*, int*, T*, const int*, int*, flen, flen);                        \
  extern "C" void p##lanv2_(T*, T*, T*, T*, T*, T*, T*, T*, T*, T*);                                                 \
  inline void geev(char jobvr, int n, T* a, int lda, T* w, T* vr, int ldvr, T* work, int lwork, T*, int* info) {     \
    T dummy{};                                                                                                       \
    const int one = 1;                                                                                               \
    p##geev_("N", &jobvr, &n, a, &lda, w, w + n, &dummy, &one, vr, &ldvr, work, &lwork, info, 1, 1);                 \
  }                                                                                                                  \
  inline void gees(char jobvs, int n, T* a, int lda, T* w, T* vs, int ldvs, T* work, int lwork, T*, int* bwork,      \
                   int* info) {                                                                                      \
    int sdim = 0;                                                                                                    \
    p##gees_(&jobvs, "N", nullptr, &n, a, &lda, &sdim, w, w + n, vs, &ldvs, work, &lwork, bwork, info, 1, 1);        \
  }                                                                                                                  \
  inline void trevc3(int n, const T* t, int ldt, int* select, T* x, int ldx, int mm, int* m, T* work, int lwork, T*, \
                     int, int* info) {                                                                               \
    T dummy{};                                                                                                       \
    const int one = 1;                                                                                               \
    p##trevc3_("R", "S", select, &n, t, &ldt, &dummy, &one, x, &ldx, &mm, m, work, &lwork, info, 1, 1);              \
  }                                                                                                                  \
  /* The standard form of [a b; c d] in place, its rotation (cs, sn) and eigenvalues (re, im, re, im). */            \
  inline std::array<T, 4> lanv2(T& a, T& b, T& c, T& d, T& cs, T& sn) {                                              \
    std::array<T, 4> e{};                                                                                            \
    p##lanv2_(&a, &b, &c, &d, &e[0], &e[1], &e[2], &e[3], &cs, &sn);                                                 \
    return e;                                                                                                        \
  }
TARTAN_LP_NONSYM_REAL(s, float)
TARTAN_LP_NONSYM_REAL(d, double)
#define TARTAN_LP_NONSYM_COMPLEX(p, T, R)                                                                              \
  extern "C" void p##geev_(fchar, fchar, const int*, T*, const int*, T*, T*, const int*, T*, const int*, T*,           \
                           const int*, R*, int*, flen, flen);                                                          \
  extern "C" void p##gees_(fchar, fchar, void*, const int*, T*, const int*, int*, T*, T*, const int*, T*, const int*,  \
                           R*, int*, int*, flen, flen);                                                                \
  extern "C" void p##trevc3_(fchar, fchar, const int*, const int*, T*, const int*, T*, const int*, T*, const int*,     \
                             const int*, int*, T*, const int*, R*, const int*, int*, flen, flen);                      \
  inline void geev(char jobvr, int n, T* a, int lda, T* w, T* vr, int ldvr, T* work, int lwork, R* rwork, int* info) { \
    T dummy{};                                                                                                         \
    const int one = 1;                                                                                                 \
    p##geev_("N", &jobvr, &n, a, &lda, w, &dummy, &one, vr, &ldvr, work, &lwork, rwork, info, 1, 1);                   \
  }                                                                                                                    \
  inline void gees(char jobvs, int n, T* a, int lda, T* w, T* vs, int ldvs, T* work, int lwork, R* rwork, int* bwork,  \
                   int* info) {                                                                                        \
    int sdim = 0;                                                                                                      \
    p##gees_(&jobvs, "N", nullptr, &n, a, &lda, &sdim, w, vs, &ldvs, work, &lwork, rwork, bwork, info, 1, 1);          \
  }                                                                                                                    \
  /* ?trevc3 takes T as writable for complex types (it shifts the diagonal and restores it). */                        \
  inline void trevc3(int n, const T* t, int ldt, int* select, T* x, int ldx, int mm, int* m, T* work, int lwork,       \
                     R* rwork, int lrwork, int* info) {                                                                \
    T dummy{};                                                                                                         \
    const int one = 1;                                                                                                 \
    p##trevc3_("R", "S", select, &n, const_cast<T*>(t), &ldt, &dummy, &one, x, &ldx, &mm, m, work, &lwork, rwork,      \
               &lrwork, info, 1, 1);                                                                                   \
  }
TARTAN_LP_NONSYM_COMPLEX(c, cfloat, float)
TARTAN_LP_NONSYM_COMPLEX(z, cdouble, double)

#define TARTAN_LP_GEHRD(p, T, name)                                                                               \
  extern "C" void p##gehrd_(const int*, const int*, const int*, T*, const int*, T*, T*, const int*, int*);        \
  extern "C" void p##name##_(const int*, const int*, const int*, T*, const int*, const T*, T*, const int*, int*); \
  inline void gehrd(int n, T* a, int lda, T* tau, T* work, int lwork, int* info) {                                \
    const int one = 1;                                                                                            \
    p##gehrd_(&n, &one, &n, a, &lda, tau, work, &lwork, info);                                                    \
  }                                                                                                               \
  inline void unghr(int n, T* a, int lda, const T* tau, T* work, int lwork, int* info) {                          \
    const int one = 1;                                                                                            \
    p##name##_(&n, &one, &n, a, &lda, tau, work, &lwork, info);                                                   \
  }
// QR with column pivoting (?geqp3, numpy's and scipy's), RQ (?gerqf) and its Q (?orgrq/?ungrq).
#define TARTAN_LP_GEQP3_REAL(p, T, R)                                                                    \
  extern "C" void p##geqp3_(const int*, const int*, T*, const int*, int*, T*, T*, const int*, int*);     \
  inline void geqp3(int m, int n, T* a, int lda, int* jpvt, T* tau, T* work, int lwork, R*, int* info) { \
    p##geqp3_(&m, &n, a, &lda, jpvt, tau, work, &lwork, info);                                           \
  }
TARTAN_LP_GEQP3_REAL(s, float, float)
TARTAN_LP_GEQP3_REAL(d, double, double)
#define TARTAN_LP_GEQP3_COMPLEX(p, T, R)                                                                       \
  extern "C" void p##geqp3_(const int*, const int*, T*, const int*, int*, T*, T*, const int*, R*, int*);       \
  inline void geqp3(int m, int n, T* a, int lda, int* jpvt, T* tau, T* work, int lwork, R* rwork, int* info) { \
    p##geqp3_(&m, &n, a, &lda, jpvt, tau, work, &lwork, rwork, info);                                          \
  }
TARTAN_LP_GEQP3_COMPLEX(c, cfloat, float)
TARTAN_LP_GEQP3_COMPLEX(z, cdouble, double)
#define TARTAN_LP_GERQF(p, T, name)                                                                               \
  extern "C" void p##gerqf_(const int*, const int*, T*, const int*, T*, T*, const int*, int*);                    \
  extern "C" void p##name##_(const int*, const int*, const int*, T*, const int*, const T*, T*, const int*, int*); \
  inline void gerqf(int m, int n, T* a, int lda, T* tau, T* work, int lwork, int* info) {                         \
    p##gerqf_(&m, &n, a, &lda, tau, work, &lwork, info);                                                          \
  }                                                                                                               \
  inline void ungrq(int m, int n, int k, T* a, int lda, const T* tau, T* work, int lwork, int* info) {            \
    p##name##_(&m, &n, &k, a, &lda, tau, work, &lwork, info);                                                     \
  }
TARTAN_LP_GERQF(s, float, orgrq)
TARTAN_LP_GERQF(d, double, orgrq)
TARTAN_LP_GERQF(c, cfloat, ungrq)
TARTAN_LP_GERQF(z, cdouble, ungrq)

TARTAN_LP_GEHRD(s, float, orghr)
TARTAN_LP_GEHRD(d, double, orghr)
TARTAN_LP_GEHRD(c, cfloat, unghr)
TARTAN_LP_GEHRD(z, cdouble, unghr)
}  // namespace lapack::raw

}  // namespace tartan::detail
