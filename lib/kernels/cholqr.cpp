// CholeskyQR2 and shifted CholeskyQR3 for tall-skinny matrices: local BLAS-3 on whole rows,
// one n x n allreduce and one broadcast per pass.

#include "kernels/cholqr.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "bindings/blas.hpp"
#include "bindings/lapack.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "linalg/common.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

namespace {

std::string sci(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1e", v);
  return b;
}

// One CholeskyQR pass on the whole rows X (this process's m_loc x n, leading dimension ld):
// G = X^H X summed over comm (plus shift on the diagonal), G = R^H R on rank 0 of comm,
// R and the outcome broadcast, then X := X R^-1. Returns false (X untouched) when G is not
// numerically positive definite; rcond is R's reciprocal 1-norm condition estimate and
// trace the trace of G (||X||_F^2) before the shift.
template <class T>
bool pass(MPI_Comm comm, T* X, std::int64_t m_loc, std::int64_t ld, int n, double shift, std::vector<T>& R,
          double& rcond, double& trace) {
  using Re = real_t<T>;
  R.assign(std::size_t(n) * std::size_t(n), T(0));
  if (m_loc > 0) blas::gram_upper(n, static_cast<int>(m_loc), Re(1), X, static_cast<int>(ld), Re(0), R.data(), n);
  MPI_Allreduce(MPI_IN_PLACE, R.data(), n * n, mpi_type<T>(), MPI_SUM, comm);
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  double status[3] = {0, 0, 0};  // info, rcond, trace
  if (rank == 0) {
    double tr = 0;
    for (int i = 0; i < n; ++i) tr += static_cast<double>(std::real(R[std::size_t(i) * (n + 1)]));
    for (int i = 0; i < n; ++i) R[std::size_t(i) * (n + 1)] += T(Re(shift));
    int info = lapack::potrf('U', n, R.data(), n);
    Re rc = 0;
    if (info == 0) {
      std::vector<T> work(std::size_t(3) * n + 8);  // ?trcon: 3 n (real), 2 n (complex)
      std::vector<Re> rwork(std::size_t(n) + 8);
      std::vector<int> iwork(std::size_t(n) + 8);
      lapack::trcon_upper(n, R.data(), n, &rc, work.data(), rwork.data(), iwork.data());
      if (!(rc > 0)) info = n + 1;  // numerically singular R (or NaN)
    }
    status[0] = info;
    status[1] = static_cast<double>(rc);
    status[2] = tr;
  }
  MPI_Bcast(status, 3, MPI_DOUBLE, 0, comm);
  trace = status[2];
  rcond = status[1];
  if (status[0] != 0) return false;
  MPI_Bcast(R.data(), n * n, mpi_type<T>(), 0, comm);
  for (int j = 0; j < n; ++j)  // potrf leaves the strictly lower part as it was: clear it
    for (int i = j + 1; i < n; ++i) R[std::size_t(i) + std::size_t(j) * n] = T(0);
  if (m_loc > 0) blas::trsm('R', 'U', 'N', 'N', static_cast<int>(m_loc), n, T(1), R.data(), n, X, static_cast<int>(ld));
  return true;
}

// Rtot := R Rtot (upper triangular n x n products).
template <class T>
void accumulate(const std::vector<T>& R, std::vector<T>& Rtot, int n) {
  blas::trmm('L', 'U', 'N', 'N', n, n, T(1), R.data(), n, Rtot.data(), n);
}

}  // namespace

template <class T>
std::optional<TallQr<T>> cholesky_qr(const DistMatrix<T>& A, bool want_q, std::string* note, QPlace place) {
  const Grid& g = A.grid();
  const std::int64_t m = A.rows();
  const int n = static_cast<int>(A.cols());
  const Block wb{A.block().nb, A.block().nb};
  // Whole rows on every process: A's own grid when it has one process column, else one
  // column of all its processes.
  const bool in_place = g.pcols() == 1;
  std::optional<Grid> column;
  if (!in_place) column.emplace(g.comm(), g.size(), 1);
  const Grid& cg = in_place ? g : *column;
  auto rows_of_A = [&] {
    if (in_place) return working_copy(A);
    // one row block per process: p?gemr2d moves few large pieces (64-row blocks made
    // the transfer of a 200000 x 100 matrix from 1x2 to 2x1 cost 10 times the QR itself)
    const std::int64_t mb = std::max<std::int64_t>(1, (m + cg.size() - 1) / cg.size());
    return redistribute(A, cg, Block{mb, A.block().nb});
  };
  const double u = std::numeric_limits<real_t<T>>::epsilon() / 2;
  std::vector<T> R, Rtot;
  collectively(g.comm(), [&] {  // n x n twice on every process, or OutOfMemory on all
    R.reserve(std::size_t(n) * std::size_t(n));
    Rtot.reserve(std::size_t(n) * std::size_t(n));
  });
  double rcond = 0, trace = 0;
  auto identity_n = [&] {
    Rtot.assign(std::size_t(n) * n, T(0));
    for (int i = 0; i < n; ++i) Rtot[std::size_t(i) * (n + 1)] = T(1);
  };
  // Passes until one finds X already orthonormal to working accuracy (its R has condition
  // at most 2: then G was near the identity and its factor exact enough), at least two.
  // Returns false when a Cholesky factorization fails or the passes run out.
  double traceA = 0;  // ||A||_F^2, from the first pass
  // Shifted CholeskyQR's shift for X with ||X||_F^2 = tr: 11 (m n + n (n + 1)) u tr.
  auto shift_for = [&](double tr) { return 11.0 * (double(m) * n + double(n) * (n + 1)) * u * tr; };
  // Passes until one finds X already orthonormal to working accuracy (its R has condition
  // at most 2: then G was near the identity and its factor exact enough), at least two.
  // With reshift, a pass whose Gram matrix is not positive definite is repeated with a
  // shift (each shifted pass divides cond(X) by about sqrt(shift); in single precision one
  // shift may not be enough). Returns false when a Cholesky factorization fails or the
  // passes run out.
  auto passes = [&](DistMatrix<T>& X, double shift, int most, bool reshift, int& used) {
    used = 0;
    for (int k = 0; k < most; ++k) {
      bool fine = pass(cg.comm(), X.data(), X.local_rows(), X.lld(), n, k == 0 ? shift : 0.0, R, rcond, trace);
      if (k == 0 && shift == 0) traceA = trace;
      if (!fine && reshift && k > 0 && trace > 0)
        fine = pass(cg.comm(), X.data(), X.local_rows(), X.lld(), n, shift_for(trace), R, rcond, trace);
      if (!fine) return false;
      accumulate(R, Rtot, n);
      ++used;
      if (k >= 1 && rcond >= 0.5) return true;
    }
    return false;
  };

  DistMatrix<T> X = rows_of_A();
  identity_n();
  int used = 0;
  std::string why;
  bool ok = passes(X, 0.0, 3, false, used);
  if (!ok) {
    why = used == 0 ? "CholeskyQR2: the Gram matrix is not numerically positive definite (cond(A) beyond about 1e8)"
                    : "CholeskyQR2: " + std::to_string(used) + " passes left Q short of orthogonality (last R cond " +
                          sci(rcond > 0 ? 1 / rcond : HUGE_VAL) + ")";
    // Shifted CholeskyQR3: the shift 11 (m n + n (n + 1)) u ||A||_F^2 makes G + s I safely
    // positive definite and leaves cond(Q) near u^-1/2, which two more passes repair.
    X = rows_of_A();
    identity_n();
    const double shift = shift_for(traceA);
    if (!(traceA > 0)) {
      *note = why + "; A is zero, or its Gram matrix overflows";
      return std::nullopt;
    }
    ok = passes(X, shift, 5, true, used);
    if (!ok) {
      *note = why + "; shifted CholeskyQR3 did not reach orthogonality either (cond(A) near 1/eps or beyond)";
      return std::nullopt;
    }
    why += "; used shifted CholeskyQR3 (" + std::to_string(used) + " passes)";
  }
  // The final R is rank 0's product, broadcast so that every process holds the same bits.
  MPI_Bcast(Rtot.data(), n * n, mpi_type<T>(), 0, cg.comm());
  DistMatrix<T> Rd(g, n, n, wb);
  Rd.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = i <= j ? Rtot[std::size_t(i + j * n)] : T(0); });
  *note = why;
  if (!want_q) return TallQr<T>{DistMatrix<T>(g, 0, 0, wb), std::move(Rd), std::move(Rtot)};
  if (in_place || place == QPlace::whole_rows) return TallQr<T>{std::move(X), std::move(Rd), std::move(Rtot)};
  return TallQr<T>{redistribute(X, g, wb), std::move(Rd), std::move(Rtot)};
}

#define TARTAN_INSTANTIATE(T) \
  template std::optional<TallQr<T>> cholesky_qr<T>(const DistMatrix<T>&, bool, std::string*, QPlace);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
