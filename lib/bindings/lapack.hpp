#pragma once
// Serial LAPACK (from OpenBLAS) for what runs on one process: eigen- and singular value
// decompositions of matrices that fit in one block. Declared once per element type and
// exposed as overloads in tartan::detail::lapack; each driver below makes its own workspace
// query and allocation (std::bad_alloc on failure), so callers only see INFO.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "bindings/fortran.hpp"
#include "bindings/workspace.hpp"

namespace tartan::detail::lapack {

using fortran::cdouble;
using fortran::cfloat;
using fortran::fchar;
using fortran::flen;

#define TARTAN_LP_SYEVD(p, T, R)                                                                                  \
  extern "C" void p##syevd_(fchar, fchar, const int*, T*, const int*, R*, T*, const int*, int*, const int*, int*, \
                            flen, flen);
TARTAN_LP_SYEVD(s, float, float)
TARTAN_LP_SYEVD(d, double, double)
#define TARTAN_LP_HEEVD(p, T, R)                                                                                \
  extern "C" void p##heevd_(fchar, fchar, const int*, T*, const int*, R*, T*, const int*, R*, const int*, int*, \
                            const int*, int*, flen, flen);
TARTAN_LP_HEEVD(c, cfloat, float)
TARTAN_LP_HEEVD(z, cdouble, double)

#define TARTAN_LP_SYEVR(p, T, R)                                                                                    \
  extern "C" void p##syevr_(fchar, fchar, fchar, const int*, T*, const int*, const R*, const R*, const int*,        \
                            const int*, const R*, int*, R*, T*, const int*, int*, T*, const int*, int*, const int*, \
                            int*, flen, flen, flen);
TARTAN_LP_SYEVR(s, float, float)
TARTAN_LP_SYEVR(d, double, double)
#define TARTAN_LP_HEEVR(p, T, R)                                                                                  \
  extern "C" void p##heevr_(fchar, fchar, fchar, const int*, T*, const int*, const R*, const R*, const int*,      \
                            const int*, const R*, int*, R*, T*, const int*, int*, T*, const int*, R*, const int*, \
                            int*, const int*, int*, flen, flen, flen);
TARTAN_LP_HEEVR(c, cfloat, float)
TARTAN_LP_HEEVR(z, cdouble, double)

#define TARTAN_LP_GESDD_REAL(p, T, R)                                                                              \
  extern "C" void p##gesdd_(fchar, const int*, const int*, T*, const int*, R*, T*, const int*, T*, const int*, T*, \
                            const int*, int*, int*, flen);
TARTAN_LP_GESDD_REAL(s, float, float)
TARTAN_LP_GESDD_REAL(d, double, double)
#define TARTAN_LP_GESDD_COMPLEX(p, T, R)                                                                           \
  extern "C" void p##gesdd_(fchar, const int*, const int*, T*, const int*, R*, T*, const int*, T*, const int*, T*, \
                            const int*, R*, int*, int*, flen);
TARTAN_LP_GESDD_COMPLEX(c, cfloat, float)
TARTAN_LP_GESDD_COMPLEX(z, cdouble, double)

#define TARTAN_LP_GESVD_REAL(p, T, R)                                                                                 \
  extern "C" void p##gesvd_(fchar, fchar, const int*, const int*, T*, const int*, R*, T*, const int*, T*, const int*, \
                            T*, const int*, int*, flen, flen);
TARTAN_LP_GESVD_REAL(s, float, float)
TARTAN_LP_GESVD_REAL(d, double, double)
#define TARTAN_LP_GESVD_COMPLEX(p, T, R)                                                                              \
  extern "C" void p##gesvd_(fchar, fchar, const int*, const int*, T*, const int*, R*, T*, const int*, T*, const int*, \
                            T*, const int*, R*, int*, flen, flen);
TARTAN_LP_GESVD_COMPLEX(c, cfloat, float)
TARTAN_LP_GESVD_COMPLEX(z, cdouble, double)

#define TARTAN_LP_GELSD_REAL(p, T, R)                                                                               \
  extern "C" void p##gelsd_(const int*, const int*, const int*, T*, const int*, T*, const int*, R*, const R*, int*, \
                            T*, const int*, int*, int*);
TARTAN_LP_GELSD_REAL(s, float, float)
TARTAN_LP_GELSD_REAL(d, double, double)
#define TARTAN_LP_GELSD_COMPLEX(p, T, R)                                                                            \
  extern "C" void p##gelsd_(const int*, const int*, const int*, T*, const int*, T*, const int*, R*, const R*, int*, \
                            T*, const int*, R*, int*, int*);
TARTAN_LP_GELSD_COMPLEX(c, cfloat, float)
TARTAN_LP_GELSD_COMPLEX(z, cdouble, double)

// Divide and conquer on a real bidiagonal matrix (?bdsdc), the core of ?gesdd.
#define TARTAN_LP_BDSDC(p, R)                                                                                       \
  extern "C" void p##bdsdc_(fchar, fchar, const int*, R*, R*, R*, const int*, R*, const int*, R*, int*, R*, int*,   \
                            int*, flen, flen);                                                                      \
  inline int bdsdc(char uplo, char compq, int n, R* d, R* e, R* u, int ldu, R* vt, int ldvt, R* work, int* iwork) { \
    int info = 0;                                                                                                   \
    R q = 0;                                                                                                        \
    int iq = 0;                                                                                                     \
    p##bdsdc_(&uplo, &compq, &n, d, e, u, &ldu, vt, &ldvt, &q, &iq, work, iwork, &info, 1, 1);                      \
    return info;                                                                                                    \
  }
TARTAN_LP_BDSDC(s, float)
TARTAN_LP_BDSDC(d, double)
/// ?bdsdc's WORK and IWORK sizes: compq 'I' needs 3n^2 + 4n, 'N' 4n.
inline std::int64_t bdsdc_lwork(std::int64_t n, bool vectors) { return vectors ? 3 * n * n + 4 * n : 4 * n + 16; }
inline std::int64_t bdsdc_liwork(std::int64_t n) { return 8 * n + 16; }

namespace raw {
#define TARTAN_LP_RAW_GELSD_REAL(p, T, R)                                                                              \
  inline void gelsd(int m, int n, int nrhs, T* a, int lda, T* b, int ldb, R* s, R rcond, int* rank, T* wk, int lw, R*, \
                    int* iw, int* info) {                                                                              \
    p##gelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, wk, &lw, iw, info);                                    \
  }
TARTAN_LP_RAW_GELSD_REAL(s, float, float)
TARTAN_LP_RAW_GELSD_REAL(d, double, double)
#define TARTAN_LP_RAW_GELSD_COMPLEX(p, T, R)                                                                       \
  inline void gelsd(int m, int n, int nrhs, T* a, int lda, T* b, int ldb, R* s, R rcond, int* rank, T* wk, int lw, \
                    R* rw, int* iw, int* info) {                                                                   \
    p##gelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, wk, &lw, rw, iw, info);                            \
  }
TARTAN_LP_RAW_GELSD_COMPLEX(c, cfloat, float)
TARTAN_LP_RAW_GELSD_COMPLEX(z, cdouble, double)
inline void syevd(char j, char u, int n, float* a, int lda, float* w, float* wk, int lw, float*, int, int* iw, int liw,
                  int* info) {
  ssyevd_(&j, &u, &n, a, &lda, w, wk, &lw, iw, &liw, info, 1, 1);
}
inline void syevd(char j, char u, int n, double* a, int lda, double* w, double* wk, int lw, double*, int, int* iw,
                  int liw, int* info) {
  dsyevd_(&j, &u, &n, a, &lda, w, wk, &lw, iw, &liw, info, 1, 1);
}
inline void syevd(char j, char u, int n, cfloat* a, int lda, float* w, cfloat* wk, int lw, float* rw, int lrw, int* iw,
                  int liw, int* info) {
  cheevd_(&j, &u, &n, a, &lda, w, wk, &lw, rw, &lrw, iw, &liw, info, 1, 1);
}
inline void syevd(char j, char u, int n, cdouble* a, int lda, double* w, cdouble* wk, int lw, double* rw, int lrw,
                  int* iw, int liw, int* info) {
  zheevd_(&j, &u, &n, a, &lda, w, wk, &lw, rw, &lrw, iw, &liw, info, 1, 1);
}
#define TARTAN_LP_RAW_SYEVR(p, T, R, name)                                                                           \
  inline void syevr(char j, char r, char u, int n, T* a, int lda, R vl, R vu, int il, int iu, int* m, R* w, T* z,    \
                    int ldz, int* isuppz, T* wk, int lw, R*, int, int* iw, int liw, int* info) {                     \
    const R abstol = 0;                                                                                              \
    p##name##_(&j, &r, &u, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, m, w, z, &ldz, isuppz, wk, &lw, iw, &liw, info, \
               1, 1, 1);                                                                                             \
  }
TARTAN_LP_RAW_SYEVR(s, float, float, syevr)
TARTAN_LP_RAW_SYEVR(d, double, double, syevr)
#define TARTAN_LP_RAW_HEEVR(p, T, R)                                                                              \
  inline void syevr(char j, char r, char u, int n, T* a, int lda, R vl, R vu, int il, int iu, int* m, R* w, T* z, \
                    int ldz, int* isuppz, T* wk, int lw, R* rw, int lrw, int* iw, int liw, int* info) {           \
    const R abstol = 0;                                                                                           \
    p##heevr_(&j, &r, &u, &n, a, &lda, &vl, &vu, &il, &iu, &abstol, m, w, z, &ldz, isuppz, wk, &lw, rw, &lrw, iw, \
              &liw, info, 1, 1, 1);                                                                               \
  }
TARTAN_LP_RAW_HEEVR(c, cfloat, float)
TARTAN_LP_RAW_HEEVR(z, cdouble, double)
#define TARTAN_LP_RAW_GESDD_REAL(p, T, R)                                                                         \
  inline void gesdd(char j, int m, int n, T* a, int lda, R* s, T* u, int ldu, T* vt, int ldvt, T* wk, int lw, R*, \
                    int* iw, int* info) {                                                                         \
    p##gesdd_(&j, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, wk, &lw, iw, info, 1);                                  \
  }                                                                                                               \
  inline void gesvd(char j, int m, int n, T* a, int lda, R* s, T* u, int ldu, T* vt, int ldvt, T* wk, int lw, R*, \
                    int* info) {                                                                                  \
    p##gesvd_(&j, &j, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, wk, &lw, info, 1, 1);                               \
  }
TARTAN_LP_RAW_GESDD_REAL(s, float, float)
TARTAN_LP_RAW_GESDD_REAL(d, double, double)
#define TARTAN_LP_RAW_GESDD_COMPLEX(p, T, R)                                                                         \
  inline void gesdd(char j, int m, int n, T* a, int lda, R* s, T* u, int ldu, T* vt, int ldvt, T* wk, int lw, R* rw, \
                    int* iw, int* info) {                                                                            \
    p##gesdd_(&j, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, wk, &lw, rw, iw, info, 1);                                 \
  }                                                                                                                  \
  inline void gesvd(char j, int m, int n, T* a, int lda, R* s, T* u, int ldu, T* vt, int ldvt, T* wk, int lw, R* rw, \
                    int* info) {                                                                                     \
    p##gesvd_(&j, &j, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, wk, &lw, rw, info, 1, 1);                              \
  }
TARTAN_LP_RAW_GESDD_COMPLEX(c, cfloat, float)
TARTAN_LP_RAW_GESDD_COMPLEX(z, cdouble, double)
}  // namespace raw

/// All eigenpairs (jobz 'V') or all eigenvalues ('N') of the n x n Hermitian a (lda),
/// ?syevd/?heevd. Returns INFO.
template <class T, class R>
int heevd(char jobz, char uplo, int n, T* a, int lda, R* w) {
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* info) {
        raw::syevd(jobz, uplo, n, a, lda, w, x.work, x.lwork, x.rwork, x.lrwork, x.iwork, x.liwork, info);
      },
      [](const Workspace& q) {
        return Workspace{q.lwork + 16, q.lrwork + 16, q.liwork + 16};
      });
}

/// Eigenpairs by range ('A', 'V' (vl, vu], 'I' il..iu 1-based) by MRRR (?syevr/?heevr):
/// the found count in *found, eigenvectors in z (n x found, ldz) when jobz is 'V'. Returns INFO.
template <class T, class R>
int heevr(char jobz, char range, char uplo, int n, T* a, int lda, R vl, R vu, int il, int iu, int* found, R* w, T* z,
          int ldz) {
  std::vector<int> isuppz(static_cast<std::size_t>(2 * std::max(1, n)));
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* info) {
        raw::syevr(jobz, range, uplo, n, a, lda, vl, vu, il, iu, found, w, z, ldz, isuppz.data(), x.work, x.lwork,
                   x.rwork, x.lrwork, x.iwork, x.liwork, info);
      },
      [](const Workspace& q) {
        return Workspace{q.lwork + 16, q.lrwork + 16, q.liwork + 16};
      });
}

/// SVD of the m x n a (destroyed): jobz 'S' (u m x k, vt k x n) or 'N' (values only).
/// Divide and conquer (?gesdd, numpy's choice); when it fails to converge (INFO > 0) the
/// QR iteration (?gesvd) on a saved copy. Returns INFO of the last attempt.
template <class T, class R>
int gesdd(char jobz, int m, int n, T* a, int lda, R* s, T* u, int ldu, T* vt, int ldvt) {
  const int k = std::min(m, n), mx = std::max(m, n);
  pooled_vector<T> saved(a, a + static_cast<std::size_t>(lda) * static_cast<std::size_t>(n));
  // LAPACK's documented LRWORK for complex ?gesdd (the larger of the two jobz cases; real
  // types have none) and IWORK; the routines take neither length, so RWORK is given in full
  // to the query too.
  const std::int64_t lrwork = is_complex_v<T> ? std::max(1, 5 * k * k + 7 * k + 2 * mx * k + 2 * k * k + 5 * k) : 1;
  auto sizes = [&](const Workspace& q) { return Workspace{q.lwork + 16, lrwork, 8 * std::max(1, k)}; };
  const int info = local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* inf) {
        raw::gesdd(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, x.work, x.lwork, x.rwork, x.iwork, inf);
      },
      sizes, lrwork);
  if (info <= 0) return info;
  std::copy(saved.begin(), saved.end(), a);
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* inf) {
        raw::gesvd(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, x.work, x.lwork, x.rwork, inf);
      },
      sizes, lrwork);
}

/// Minimum-norm least squares by the SVD (?gelsd, numpy's lstsq): a (m x n, destroyed),
/// b (max(m, n) x nrhs, ldb; the solution in its first n rows), s (min(m, n)) and the
/// effective rank for the relative cutoff rcond. Returns INFO.
template <class T, class R>
int gelsd(int m, int n, int nrhs, T* a, int lda, T* b, int ldb, R* s, R rcond, int* rank) {
  // LAPACK's query does not size RWORK or IWORK in every version: the documented minimums.
  const int k = std::max(1, std::min(m, n));
  const int nlvl = std::max(0, static_cast<int>(std::log2(k / 26.0)) + 1);
  const std::int64_t lrwork =
      10 * k + 2 * k * 25 + 8 * k * nlvl + 3 * 25 * nrhs + std::max(26 * 26, k * (1 + nrhs) + 2 * nrhs);
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* info) {
        raw::gelsd(m, n, nrhs, a, lda, b, ldb, s, rcond, rank, x.work, x.lwork, x.rwork, x.iwork, info);
      },
      [&](const Workspace& q) {
        return Workspace{q.lwork + 16, std::max<std::int64_t>(lrwork, q.lrwork + 16),
                         std::max<std::int64_t>(q.liwork, 3 * k * nlvl + 11 * k) + 16};
      });
}

// Cholesky factor of a small matrix on one process (?potrf): CholeskyQR's Gram matrix.
#define TARTAN_LP_POTRF(p, T)                                               \
  extern "C" void p##potrf_(fchar, const int*, T*, const int*, int*, flen); \
  inline int potrf(char uplo, int n, T* a, int lda) {                       \
    int info = 0;                                                           \
    p##potrf_(&uplo, &n, a, &lda, &info, 1);                                \
    return info;                                                            \
  }
TARTAN_LP_POTRF(s, float)
TARTAN_LP_POTRF(d, double)
TARTAN_LP_POTRF(c, cfloat)
TARTAN_LP_POTRF(z, cdouble)

// Reciprocal condition number of a triangular matrix in the 1-norm (?trcon).
#define TARTAN_LP_TRCON_REAL(p, T, R)                                                                              \
  extern "C" void p##trcon_(fchar, fchar, fchar, const int*, const T*, const int*, R*, T*, int*, int*, flen, flen, \
                            flen);                                                                                 \
  inline int trcon_upper(int n, const T* a, int lda, R* rcond, T* work, R*, int* iwork) {                          \
    int info = 0;                                                                                                  \
    p##trcon_("1", "U", "N", &n, a, &lda, rcond, work, iwork, &info, 1, 1, 1);                                     \
    return info;                                                                                                   \
  }
TARTAN_LP_TRCON_REAL(s, float, float)
TARTAN_LP_TRCON_REAL(d, double, double)
#define TARTAN_LP_TRCON_COMPLEX(p, T, R)                                                                         \
  extern "C" void p##trcon_(fchar, fchar, fchar, const int*, const T*, const int*, R*, T*, R*, int*, flen, flen, \
                            flen);                                                                               \
  inline int trcon_upper(int n, const T* a, int lda, R* rcond, T* work, R* rwork, int*) {                        \
    int info = 0;                                                                                                \
    p##trcon_("1", "U", "N", &n, a, &lda, rcond, work, rwork, &info, 1, 1, 1);                                   \
    return info;                                                                                                 \
  }
TARTAN_LP_TRCON_COMPLEX(c, cfloat, float)
TARTAN_LP_TRCON_COMPLEX(z, cdouble, double)

// The factorizations and solvers on a one-process grid, where the local array is the
// whole matrix: OpenBLAS's own ?getrf, ?potrf and the rest, faster than ScaLAPACK's
// algorithms on one process and what numpy calls. Each returns INFO.
#define TARTAN_LP_FACTOR(p, T)                                                                                     \
  extern "C" void p##getrf_(const int*, const int*, T*, const int*, int*, int*);                                   \
  extern "C" void p##getrs_(fchar, const int*, const int*, const T*, const int*, const int*, T*, const int*, int*, \
                            flen);                                                                                 \
  extern "C" void p##getri_(const int*, T*, const int*, const int*, T*, const int*, int*);                         \
  extern "C" void p##potrs_(fchar, const int*, const int*, const T*, const int*, T*, const int*, int*, flen);      \
  extern "C" void p##geqrf_(const int*, const int*, T*, const int*, T*, T*, const int*, int*);                     \
  inline int getrf(int m, int n, T* a, int lda, int* ipiv) {                                                       \
    int info = 0;                                                                                                  \
    p##getrf_(&m, &n, a, &lda, ipiv, &info);                                                                       \
    return info;                                                                                                   \
  }                                                                                                                \
  inline int getrs(char trans, int n, int nrhs, const T* a, int lda, const int* ipiv, T* b, int ldb) {             \
    int info = 0;                                                                                                  \
    p##getrs_(&trans, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1);                                                \
    return info;                                                                                                   \
  }                                                                                                                \
  inline int potrs(char uplo, int n, int nrhs, const T* a, int lda, T* b, int ldb) {                               \
    int info = 0;                                                                                                  \
    p##potrs_(&uplo, &n, &nrhs, a, &lda, b, &ldb, &info, 1);                                                       \
    return info;                                                                                                   \
  }                                                                                                                \
  namespace raw {                                                                                                  \
  inline void getri(int n, T* a, int lda, const int* ipiv, T* wk, int lw, int* info) {                             \
    p##getri_(&n, a, &lda, ipiv, wk, &lw, info);                                                                   \
  }                                                                                                                \
  inline void geqrf(int m, int n, T* a, int lda, T* tau, T* wk, int lw, int* info) {                               \
    p##geqrf_(&m, &n, a, &lda, tau, wk, &lw, info);                                                                \
  }                                                                                                                \
  }
TARTAN_LP_FACTOR(s, float)
TARTAN_LP_FACTOR(d, double)
TARTAN_LP_FACTOR(c, cfloat)
TARTAN_LP_FACTOR(z, cdouble)
// Q from ?geqrf's reflectors: ?orgqr (real), ?ungqr (complex).
#define TARTAN_LP_UNGQR(p, T, name)                                                                               \
  extern "C" void p##name##_(const int*, const int*, const int*, T*, const int*, const T*, T*, const int*, int*); \
  namespace raw {                                                                                                 \
  inline void ungqr(int m, int n, int k, T* a, int lda, const T* tau, T* wk, int lw, int* info) {                 \
    p##name##_(&m, &n, &k, a, &lda, tau, wk, &lw, info);                                                          \
  }                                                                                                               \
  }
TARTAN_LP_UNGQR(s, float, orgqr)
TARTAN_LP_UNGQR(d, double, orgqr)
TARTAN_LP_UNGQR(c, cfloat, ungqr)
TARTAN_LP_UNGQR(z, cdouble, ungqr)

/// W := W^-1 from ?getrf's factors (?getri), its workspace queried. Returns INFO.
template <class T>
int getri(int n, T* a, int lda, const int* ipiv) {
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* info) { raw::getri(n, a, lda, ipiv, x.work, x.lwork, info); },
      [](const Workspace& q) {
        return Workspace{q.lwork + 16, 1, 1};
      });
}
/// QR of the m x n a in place (?geqrf): R above the diagonal, reflectors below, tau. Returns INFO.
template <class T>
int geqrf(int m, int n, T* a, int lda, T* tau) {
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* info) { raw::geqrf(m, n, a, lda, tau, x.work, x.lwork, info); },
      [](const Workspace& q) {
        return Workspace{q.lwork + 16, 1, 1};
      });
}
/// The first n columns of Q from k reflectors (?orgqr / ?ungqr). Returns INFO.
template <class T>
int ungqr(int m, int n, int k, T* a, int lda, const T* tau) {
  return local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* info) { raw::ungqr(m, n, k, a, lda, tau, x.work, x.lwork, info); },
      [](const Workspace& q) {
        return Workspace{q.lwork + 16, 1, 1};
      });
}

}  // namespace tartan::detail::lapack
