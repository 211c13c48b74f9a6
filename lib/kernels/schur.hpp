#pragma once
// Nonsymmetric kernels: Hessenberg reduction (p?gehrd, p?ormhr/p?unmhr), the Schur form
// (pdhseqr/pshseqr for real types, p?lahqr for complex ones: 2.2.1 has no p?hseqr), the
// eigenvectors of a replicated (quasi-)triangular T (LAPACK's ?trevc3 on the columns each
// process holds) and the one-process LAPACK drivers (?geev, ?gees, ?gehrd + ?orghr).
//
// Pitfalls of Debian's ScaLAPACK 2.2.1 each guarded here (and tested in
// tests/linalg/test_eig.cpp):
//  - pdhseqr fails with exactly the queried LWORK (INFO = -13, or an inner PDLAQR1 error
//    and a hang): it gets twice the query;
//  - its query writes IWORK past element 1 (inside pdtrord): the query already gets N + 64
//    integers, the call the larger of the query and 2N;
//  - H and Z get their own descriptor arrays;
//  - a block below 6 is refused by pdhseqr and p?lahqr: the working block is at least 6;
//  - pdhseqr deadlocked on 1 x 4 and 4 x 1 grids: schur_grid gives a near-square one;
//  - a NaN makes pdhseqr loop for ever: the callers check the input first.

#include <complex>
#include <cstdint>
#include <vector>

#include "kernels/common.hpp"

namespace tartan::detail {

template <class T>
using complex_of = std::complex<real_t<T>>;

/// The grid the Hessenberg QR runs on: g itself, or the most square shape of the same
/// processes when g is one row or one column of more than two.
Grid schur_grid(const Grid& g);

/// The Hessenberg reduction of W (n x n, working layout, more than one process) in place:
/// H on and above the subdiagonal, the reflectors below it (for hessenberg_q; then
/// clear_below_subdiagonal). Returns tau.
template <class T>
std::vector<T> gehrd(DistMatrix<T>& W, const char* func);

/// Q of the Hessenberg reduction, n x n in W's layout (p?ormhr/p?unmhr applied to I).
template <class T>
DistMatrix<T> hessenberg_q(const DistMatrix<T>& W, const std::vector<T>& tau, const char* func);

/// Zeros W below its first subdiagonal.
template <class T>
void clear_below_subdiagonal(DistMatrix<T>& W);

/// The Schur form of the upper Hessenberg H, in place (always computed: pdhseqr's
/// eigenvalues-only mode returned wrong values). When Z is given (Q of the reduction on entry) it is multiplied by the
/// Schur vectors. The eigenvalues: schur_values. Throws NoConvergence.
template <class T>
void hqr(DistMatrix<T>& H, DistMatrix<T>* Z, const char* func);

/// The eigenvalues of the Schur form S (real: quasi-triangular, a 2 x 2 block's pair by
/// ?lanv2; complex: triangular, or a 2 x 2 block p?lahqr left), in diagonal order, the same
/// on every rank. pdhseqr's own WR and WI were wrong (by 1e-3 relative, at n = 40 in 8 x 8
/// blocks and n = 300 on 1 x 2) while its Schur form was right, so the values are always
/// read from the form.
template <class T>
std::vector<complex_of<T>> schur_values(const DistMatrix<T>& S);

/// The right eigenvectors of the upper (quasi-)triangular n x n t (column-major, the same
/// on every process) for the columns this process holds in X's layout: X (n x n, complex)
/// gets them, each scaled to largest component 1 by ?trevc3. t must be in standard form
/// (real 2 x 2 blocks with equal diagonal). w: its eigenvalues (pairs with positive
/// imaginary part first).
template <class T>
void triangular_eigenvectors(const std::vector<T>& t, const std::vector<complex_of<T>>& w, DistMatrix<T>* Xr,
                             DistMatrix<T>* Xi, const char* func);

/// One-process LAPACK drivers on the column-major n x n a (lda n, destroyed); each returns
/// INFO (> 0: the QR algorithm did not converge).
///  - geev: eigenvalues w and, when vr is not null, right eigenvectors (?geev's packed real
///    form for real T: a pair is two columns, real and imaginary part);
///  - gees: the Schur form in a, Schur vectors in vs, eigenvalues w;
///  - gehrd: the Hessenberg form in a, and Q in q when not null.
template <class T>
int geev_local(int n, T* a, std::vector<complex_of<T>>& w, T* vr);
template <class T>
int gees_local(int n, T* a, std::vector<complex_of<T>>& w, T* vs);
template <class T>
int gehrd_local(int n, T* a, T* q);

}  // namespace tartan::detail
