#pragma once
// The raw ScaLAPACK/PBLAS/BLAS routines the bench times as its baselines, declared here
// and nowhere else in the bench. The baselines deliberately bypass the library's own
// binding layer: a figure is a ratio of Tartan against ScaLAPACK called the way a user
// of raw ScaLAPACK calls it, so a fault in Tartan's bindings cannot show up in both columns.
// Double precision, and complex double for the eigenvector pipeline (ScaLAPACK computes
// eigenvectors of complex triangular matrices only). Hidden CHARACTER lengths are passed.

#include <cstddef>

extern "C" {
void dgemm_(const char*, const char*, const int*, const int*, const int*, const double*, const double*, const int*,
            const double*, const int*, const double*, double*, const int*, std::size_t, std::size_t);
void pdgemm_(const char*, const char*, const int*, const int*, const int*, const double*, const double*, const int*,
             const int*, const int*, const double*, const int*, const int*, const int*, const double*, double*,
             const int*, const int*, const int*, std::size_t, std::size_t);
void pdgemr2d_(const int*, const int*, const double*, const int*, const int*, const int*, double*, const int*,
               const int*, const int*, const int*);
void pdgetrf_(const int*, const int*, double*, const int*, const int*, const int*, int*, int*);
void pdgesv_(const int*, const int*, double*, const int*, const int*, const int*, int*, double*, const int*, const int*,
             const int*, int*);
void pdpotrf_(const char*, const int*, double*, const int*, const int*, const int*, int*, std::size_t);
void pdgeqrf_(const int*, const int*, double*, const int*, const int*, const int*, double*, double*, const int*, int*);
void pdorgqr_(const int*, const int*, const int*, double*, const int*, const int*, const int*, const double*, double*,
              const int*, int*);
void pdgels_(const char*, const int*, const int*, const int*, double*, const int*, const int*, const int*, double*,
             const int*, const int*, const int*, double*, const int*, int*, std::size_t);
void pdsyevd_(const char*, const char*, const int*, double*, const int*, const int*, const int*, double*, double*,
              const int*, const int*, const int*, double*, const int*, int*, const int*, int*, std::size_t,
              std::size_t);
// The complex nonsymmetric eigenproblem, ScaLAPACK's pieces (complex double as doubles).
void pzgehrd_(const int*, const int*, const int*, double*, const int*, const int*, const int*, double*, double*,
              const int*, int*);
void pzunmhr_(const char*, const char*, const int*, const int*, const int*, const int*, const double*, const int*,
              const int*, const int*, const double*, double*, const int*, const int*, const int*, double*, const int*,
              int*, std::size_t, std::size_t);
void pzlahqr_(const int*, const int*, const int*, const int*, const int*, double*, const int*, double*, const int*,
              const int*, double*, const int*, double*, const int*, int*, const int*, int*);
void pztrevc_(const char*, const char*, const int*, const int*, double*, const int*, double*, const int*, double*,
              const int*, const int*, int*, double*, double*, int*, std::size_t, std::size_t);
void pdgesvd_(const char*, const char*, const int*, const int*, double*, const int*, const int*, const int*, double*,
              double*, const int*, const int*, const int*, double*, const int*, const int*, const int*, double*,
              const int*, int*, std::size_t, std::size_t);
}
