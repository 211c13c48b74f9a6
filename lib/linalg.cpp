// numpy.linalg / scipy.linalg over ScaLAPACK. Every routine: validate metadata (same on
// every rank), scan for NaN/Inf collectively, copy (ScaLAPACK overwrites), call, agree on
// INFO, throw the same exception everywhere.

#include "tartan/linalg.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "detail.hpp"
#include "scalapack.hpp"

namespace tartan {

namespace {

using detail::shape;

// INFO from a ScaLAPACK driver, agreed over the grid: the smallest positive value any
// rank saw (0 when none), or an internal error when a rank saw an illegal argument.
int agreed_info(const Grid& g, int info, const char* func, const char* routine) {
  const std::int64_t lo = detail::min_over(g.comm(), info);
  if (lo < 0)
    throw Error(std::string(func) + ": internal error: " + routine + " rejected argument " + std::to_string(-lo));
  const std::int64_t pos = detail::min_over(g.comm(), info > 0 ? info : std::numeric_limits<int>::max());
  return pos == std::numeric_limits<int>::max() ? 0 : static_cast<int>(pos);
}

// ScaLAPACK's factorizations need square blocks (MB == NB): a copy of A in blocks of its
// column block size, or a plain copy when A's blocks are square already.
template <class T>
DistMatrix<T> working_copy(const DistMatrix<T>& A) {
  const Block b = A.block();
  if (b.mb == b.nb) return A.copy();
  return redistribute(A, A.grid(), Block{b.nb, b.nb}, A.source());
}

// Working storage taken over from an rvalue argument: no copy when its blocks are square.
template <class T>
DistMatrix<T> working_copy(DistMatrix<T>&& A) {
  const Block b = A.block();
  if (b.mb == b.nb) return std::move(A);
  return redistribute(A, A.grid(), Block{b.nb, b.nb}, A.source());
}

// A copy of B whose rows are distributed like A's (p?getrs, p?potrs and p?gels need the
// row blocks and the source process row of B to match A's).
template <class T>
DistMatrix<T> rhs_copy(const DistMatrix<T>& B, const DistMatrix<T>& A) {
  if (B.block().mb == A.block().mb && B.source().row == A.source().row) return B.copy();
  return redistribute(B, A.grid(), Block{A.block().mb, B.block().nb}, Source{A.source().row, B.source().col});
}

template <class T>
void check_system(const DistMatrix<T>& A, const DistMatrix<T>& B, const char* func, bool check_finite) {
  detail::require_system(A, B, func, /*square=*/true, check_finite);
}

template <class T>
void check_one(const DistMatrix<T>& A, const char* func, bool square, bool check_finite) {
  if (square) detail::require_square(A, func, "A");
  if (check_finite) detail::require_finite<T>(A, func, "A");
}

// Zeros the triangle strictly above (upper == true) or below the diagonal. Local rows
// are in ascending global order, so each local column's part is one contiguous range.
template <class T>
void zero_triangle(DistMatrix<T>& A, bool upper) {
  const Layout& l = A.layout();
  const int myrow = A.grid().myrow(), mycol = A.grid().mycol();
  std::vector<std::int64_t> rows(static_cast<std::size_t>(A.local_rows()));
  for (std::int64_t il = 0; il < A.local_rows(); ++il) rows[static_cast<std::size_t>(il)] = l.global_row(il, myrow);
  for (std::int64_t jl = 0; jl < A.local_cols(); ++jl) {
    const std::int64_t j = l.global_col(jl, mycol);
    T* col = A.data() + jl * A.lld();
    if (upper) {  // rows i < j
      std::fill(col, col + (std::lower_bound(rows.begin(), rows.end(), j) - rows.begin()), T(0));
    } else {      // rows i > j
      std::fill(col + (std::upper_bound(rows.begin(), rows.end(), j) - rows.begin()), col + A.local_rows(), T(0));
    }
  }
}

// A Hermitian (conj) or symmetric matrix rebuilt from one triangle of A.
template <class T>
DistMatrix<T> from_triangle(const DistMatrix<T>& A, bool lower, bool conj) {
  DistMatrix<T> H = working_copy(A);
  zero_triangle(H, /*upper=*/lower);  // keep the triangle that is read
  DistMatrix<T> other = conj ? adjoint(H) : transpose(H);
  other.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
    if (i == j) x = T(0);
  });
  axpy(T(1), other, H);
  return H;
}

// Local workspace sizes of the distributed pieces ScaLAPACK needs beside a matrix.
template <class T>
std::size_t pivot_size(const DistMatrix<T>& A) {
  return static_cast<std::size_t>(A.local_rows() + A.block().mb);
}
template <class T>
std::size_t tau_size(const DistMatrix<T>& A) {
  return static_cast<std::size_t>(A.local_cols() + A.block().nb);
}

template <class T>
std::string singular_message(const char* func, std::int64_t index) {
  return std::string(func) + ": singular matrix: U(" + std::to_string(index) + "," + std::to_string(index) +
         ") is exactly zero";
}

// In-place LU of W; returns the 0-based index of the first zero pivot or -1.
template <class T>
std::int64_t getrf_inplace(DistMatrix<T>& W, std::vector<int>& ipiv, const char* func) {
  ipiv.assign(pivot_size(W), 0);
  if (W.rows() == 0) return -1;
  int info = 0;
  detail::sl::getrf(static_cast<int>(W.rows()), static_cast<int>(W.cols()), W.data(), 1, 1, W.descriptor().data(),
                    ipiv.data(), &info);
  info = agreed_info(W.grid(), info, func, "p?getrf");
  return info > 0 ? info - 1 : -1;
}

template <class T>
void potrf_inplace(DistMatrix<T>& W, bool lower, const char* func, const char* what) {
  if (W.rows() == 0) return;
  int info = 0;
  detail::sl::potrf(lower ? 'L' : 'U', static_cast<int>(W.rows()), W.data(), 1, 1, W.descriptor().data(), &info);
  info = agreed_info(W.grid(), info, func, "p?potrf");
  if (info > 0)
    throw NotPositiveDefinite(std::string(func) + ": " + what + "leading minor of order " + std::to_string(info) +
                                  " is not positive definite",
                              info);
}

template <class T>
DistMatrix<T> potrs_copy(const DistMatrix<T>& C, bool lower, const DistMatrix<T>& B, const char* func) {
  DistMatrix<T> X = rhs_copy(B, C);
  if (C.rows() == 0 || B.cols() == 0) return X;
  int info = 0;
  detail::sl::potrs(lower ? 'L' : 'U', static_cast<int>(C.rows()), static_cast<int>(B.cols()), C.data(), 1, 1,
                    C.descriptor().data(), X.data(), 1, 1, X.descriptor().data(), &info);
  agreed_info(C.grid(), info, func, "p?potrs");
  return X;
}

template <class T>
DistMatrix<T> getrs_copy(const DistMatrix<T>& F, const std::vector<int>& ipiv, Op trans, const DistMatrix<T>& B,
                         const char* func) {
  DistMatrix<T> X = rhs_copy(B, F);
  if (F.rows() == 0 || B.cols() == 0) return X;
  char t = static_cast<char>(trans);
  if (!detail::is_complex_v<T> && t == 'C') t = 'T';
  int info = 0;
  detail::sl::getrs(t, static_cast<int>(F.rows()), static_cast<int>(B.cols()), F.data(), 1, 1, F.descriptor().data(),
                    ipiv.data(), X.data(), 1, 1, X.descriptor().data(), &info);
  agreed_info(F.grid(), info, func, "p?getrs");
  return X;
}

// sign and log|det| from a packed LU: the diagonal of U and the parity of the row swaps,
// each read on the process that owns the diagonal entry, then reduced.
template <class T>
SlogdetResult<T> slogdet_from_lu(const DistMatrix<T>& F, const std::vector<int>& ipiv) {
  using R = real_t<T>;
  const Layout& l = F.layout();
  const Grid& g = F.grid();
  double logsum = 0;
  int negatives = 0, zero = 0;
  T phase(1);
  for (std::int64_t i = 0; i < F.rows(); ++i) {
    if (l.row_owner(i) != g.myrow() || l.col_owner(i) != g.mycol()) continue;
    const std::int64_t il = l.local_row(i), jl = l.local_col(i);
    const T u = F.data()[il + jl * F.lld()];
    if (ipiv[static_cast<std::size_t>(il)] != i + 1) ++negatives;
    const double a = std::abs(u);
    if (a == 0) {
      zero = 1;
      continue;
    }
    logsum += std::log(a);
    if constexpr (detail::is_complex_v<T>)
      phase *= u / static_cast<R>(a);
    else if (u < 0)
      ++negatives;
  }
  double logs = 0;
  int neg = 0, anyzero = 0;
  T ph(1);
  MPI_Allreduce(&logsum, &logs, 1, MPI_DOUBLE, MPI_SUM, g.comm());
  MPI_Allreduce(&negatives, &neg, 1, MPI_INT, MPI_SUM, g.comm());
  MPI_Allreduce(&zero, &anyzero, 1, MPI_INT, MPI_MAX, g.comm());
  if constexpr (detail::is_complex_v<T>) MPI_Allreduce(&phase, &ph, 1, detail::mpi_type<T>(), MPI_PROD, g.comm());
  if (anyzero) return {T(0), -std::numeric_limits<R>::infinity()};
  T sign = (neg % 2 == 0) ? T(1) : T(-1);
  if constexpr (detail::is_complex_v<T>) sign *= ph / std::abs(ph);
  return {sign, static_cast<R>(logs)};
}

// Replicates a small result (eigenvalues, singular values) from the process that holds
// A(0,0). ScaLAPACK documents them as global output, but p?syevd on small matrices (n = 2
// and 3 on a 1x2 grid, measured with Debian's 2.2.1) leaves other processes' copies
// wrong: the tridiagonal diagonal instead of the eigenvalues.
template <class R, class T>
void replicate_from_source(std::vector<R>& v, const DistMatrix<T>& A) {
  if (v.empty()) return;
  const Grid& g = A.grid();
  MPI_Bcast(v.data(), static_cast<int>(v.size()), detail::mpi_type<R>(), g.rank_of(A.source().row, A.source().col),
            g.comm());
}

template <class R>
double default_rtol(std::int64_t m, std::int64_t n) {
  return static_cast<double>(std::numeric_limits<R>::epsilon()) * static_cast<double>(std::max(m, n));
}

}  // namespace

// ---- solve, LU, Cholesky -------------------------------------------------------------------

namespace {
// Src is const DistMatrix<T>& (copied) or DistMatrix<T> (an rvalue, worked on in place).
template <class T, class Src>
LU<T> lu_factor_impl(Src&& A, bool check_finite) {
  check_one(A, "lu_factor", true, check_finite);
  DistMatrix<T> W = working_copy(std::forward<Src>(A));
  std::vector<int> ipiv;
  const std::int64_t singular = getrf_inplace(W, ipiv, "lu_factor");
  return LU<T>::make(std::move(W), std::move(ipiv), singular);
}
template <class T, class Src>
DistMatrix<T> cholesky_impl(Src&& A, CholeskyOptions opts) {
  check_one(A, "cholesky", true, opts.check_finite);
  DistMatrix<T> C = working_copy(std::forward<Src>(A));
  potrf_inplace(C, opts.lower, "cholesky", "");
  zero_triangle(C, opts.lower);
  return C;
}
}  // namespace

template <class T>
LU<T> lu_factor(const DistMatrix<T>& A, bool check_finite) {
  return lu_factor_impl<T>(A, check_finite);
}
template <class T>
LU<T> lu_factor(DistMatrix<T>&& A, bool check_finite) {
  return lu_factor_impl<T>(std::move(A), check_finite);
}

template <class T>
DistMatrix<T> LU<T>::solve(const DistMatrix<T>& B, Op trans) const {
  const char* f = "LU::solve";
  detail::require_same_grid(lu_.grid(), B.grid(), f, "the factorization", "B");
  if (B.rows() != lu_.rows())
    throw InvalidArgument(std::string(f) + ": the factorization is " + shape(lu_) + " and B is " + shape(B) +
                          ", expected B with " + std::to_string(lu_.rows()) + " rows");
  if (singular_ >= 0) throw SingularMatrix(singular_message<T>(f, singular_), singular_);
  return getrs_copy(lu_, ipiv_, trans, B, f);
}

template <class T>
SlogdetResult<T> LU<T>::slogdet() const {
  return slogdet_from_lu(lu_, ipiv_);
}

template <class T>
T LU<T>::det() const {
  const auto s = slogdet();
  return s.sign * static_cast<real_t<T>>(std::exp(static_cast<double>(s.logabsdet)));
}

template <class T>
DistMatrix<T> solve(const DistMatrix<T>& A, const DistMatrix<T>& B, SolveOptions opts) {
  const char* f = "solve";
  check_system(A, B, f, opts.check_finite);
  if (opts.assume == Structure::positive_definite) {
    DistMatrix<T> C = working_copy(A);
    potrf_inplace(C, opts.lower, f, "");
    return potrs_copy(C, opts.lower, B, f);
  }
  DistMatrix<T> W = opts.assume == Structure::general ? working_copy(A)
                                                      : from_triangle(A, opts.lower, opts.assume == Structure::hermitian);
  std::vector<int> ipiv;
  const std::int64_t singular = getrf_inplace(W, ipiv, f);
  if (singular >= 0) throw SingularMatrix(singular_message<T>(f, singular), singular);
  return getrs_copy(W, ipiv, Op::none, B, f);
}

template <class T>
DistMatrix<T> cholesky(const DistMatrix<T>& A, CholeskyOptions opts) {
  return cholesky_impl<T>(A, opts);
}
template <class T>
DistMatrix<T> cholesky(DistMatrix<T>&& A, CholeskyOptions opts) {
  return cholesky_impl<T>(std::move(A), opts);
}

template <class T>
Cholesky<T> cho_factor(const DistMatrix<T>& A, CholeskyOptions opts) {
  check_one(A, "cho_factor", true, opts.check_finite);
  DistMatrix<T> C = working_copy(A);
  potrf_inplace(C, opts.lower, "cho_factor", "");
  return Cholesky<T>(std::move(C), opts.lower);
}

template <class T>
DistMatrix<T> Cholesky<T>::solve(const DistMatrix<T>& B) const {
  const char* f = "Cholesky::solve";
  detail::require_same_grid(c_.grid(), B.grid(), f, "the factorization", "B");
  if (B.rows() != c_.rows())
    throw InvalidArgument(std::string(f) + ": the factorization is " + shape(c_) + " and B is " + shape(B) +
                          ", expected B with " + std::to_string(c_.rows()) + " rows");
  return potrs_copy(c_, lower_, B, f);
}

template <class T>
DistMatrix<T> inv(const DistMatrix<T>& A, bool check_finite) {
  const char* f = "inv";
  check_one(A, f, true, check_finite);
  DistMatrix<T> W = working_copy(A);
  std::vector<int> ipiv;
  const std::int64_t singular = getrf_inplace(W, ipiv, f);
  if (singular >= 0) throw SingularMatrix(singular_message<T>(f, singular), singular);
  if (W.rows() == 0) return W;
  const int n = static_cast<int>(W.rows());
  int info = 0, lwork = -1, liwork = -1, iq = 0;
  T wq{};
  detail::sl::getri(n, W.data(), 1, 1, W.descriptor().data(), ipiv.data(), &wq, lwork, &iq, liwork, &info);
  std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
  std::vector<int> iwork(static_cast<std::size_t>(detail::work_size(iq, W.local_cols() + W.block().nb)));
  detail::sl::getri(n, W.data(), 1, 1, W.descriptor().data(), ipiv.data(), work.data(), static_cast<int>(work.size()),
                    iwork.data(), static_cast<int>(iwork.size()), &info);
  info = agreed_info(W.grid(), info, f, "p?getri");
  if (info > 0) throw SingularMatrix(singular_message<T>(f, info - 1), info - 1);
  return W;
}

template <class T>
SlogdetResult<T> slogdet(const DistMatrix<T>& A, bool check_finite) {
  check_one(A, "slogdet", true, check_finite);
  DistMatrix<T> W = working_copy(A);
  std::vector<int> ipiv;
  getrf_inplace(W, ipiv, "slogdet");
  return slogdet_from_lu(W, ipiv);
}

template <class T>
T det(const DistMatrix<T>& A, bool check_finite) {
  check_one(A, "det", true, check_finite);
  DistMatrix<T> W = working_copy(A);
  std::vector<int> ipiv;
  getrf_inplace(W, ipiv, "det");
  const auto s = slogdet_from_lu(W, ipiv);
  return s.sign * static_cast<real_t<T>>(std::exp(static_cast<double>(s.logabsdet)));
}

// ---- QR and least squares -------------------------------------------------------------------

namespace {

// In-place Householder QR of W; returns tau (distributed like W's columns).
template <class T>
std::vector<T> geqrf_inplace(DistMatrix<T>& W, const char* func) {
  std::vector<T> tau(tau_size(W));
  if (W.rows() == 0 || W.cols() == 0) return tau;
  const int m = static_cast<int>(W.rows()), n = static_cast<int>(W.cols());
  int info = 0;
  T wq{};
  detail::sl::geqrf(m, n, W.data(), 1, 1, W.descriptor().data(), tau.data(), &wq, -1, &info);
  std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
  detail::sl::geqrf(m, n, W.data(), 1, 1, W.descriptor().data(), tau.data(), work.data(),
                    static_cast<int>(work.size()), &info);
  agreed_info(W.grid(), info, func, "p?geqrf");
  return tau;
}

// Forms the first Q.cols() columns of Q from k reflectors stored in Q's leading columns.
template <class T>
void ungqr_inplace(DistMatrix<T>& Q, std::int64_t k, const std::vector<T>& tau, const char* func) {
  if (Q.rows() == 0 || Q.cols() == 0) return;
  const int m = static_cast<int>(Q.rows()), n = static_cast<int>(Q.cols()), kk = static_cast<int>(k);
  int info = 0;
  T wq{};
  detail::sl::ungqr(m, n, kk, Q.data(), 1, 1, Q.descriptor().data(), tau.data(), &wq, -1, &info);
  std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
  detail::sl::ungqr(m, n, kk, Q.data(), 1, 1, Q.descriptor().data(), tau.data(), work.data(),
                    static_cast<int>(work.size()), &info);
  agreed_info(Q.grid(), info, func, "p?orgqr/p?ungqr");
}

}  // namespace

namespace {
template <class T, class Src>
QrResult<T> qr_impl(Src&& A, QrMode mode, bool check_finite) {
  const char* f = "qr";
  check_one(A, f, false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = working_copy(std::forward<Src>(A));
  const std::vector<T> tau = geqrf_inplace(W, f);
  const std::int64_t rrows = mode == QrMode::complete ? m : k;
  if (mode == QrMode::r && rrows == m) {  // R is W itself: no second copy
    zero_triangle(W, false);
    return {DistMatrix<T>(W.grid(), 0, 0, W.block()), std::move(W)};
  }
  DistMatrix<T> R = rrows == m ? W.copy() : copy<T>(std::as_const(W).view(0, 0, rrows, n));
  zero_triangle(R, false);
  if (mode == QrMode::r) return {DistMatrix<T>(W.grid(), 0, 0, W.block()), std::move(R)};
  if (mode == QrMode::reduced && k == n) {  // Q is m x n: form it in W's own storage
    ungqr_inplace(W, k, tau, f);
    return {std::move(W), std::move(R)};
  }
  const std::int64_t qcols = mode == QrMode::complete ? m : k;
  DistMatrix<T> Q(W.grid(), m, qcols, W.block(), W.source());
  if (k > 0) assign<T>(Q.view(0, 0, m, k), std::as_const(W).view(0, 0, m, k));
  ungqr_inplace(Q, k, tau, f);
  return {std::move(Q), std::move(R)};
}
}  // namespace

template <class T>
QrResult<T> qr(const DistMatrix<T>& A, QrMode mode, bool check_finite) {
  return qr_impl<T>(A, mode, check_finite);
}
template <class T>
QrResult<T> qr(DistMatrix<T>&& A, QrMode mode, bool check_finite) {
  return qr_impl<T>(std::move(A), mode, check_finite);
}

template <class T>
LstsqResult<T> lstsq(const DistMatrix<T>& A, const DistMatrix<T>& B, LstsqOptions opts) {
  using R = real_t<T>;
  const char* f = "lstsq";
  detail::require_system(A, B, f, /*square=*/false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), nrhs = B.cols(), k = std::min(m, n);
  LstsqResult<T> res{DistMatrix<T>(A.grid(), n, nrhs, Block{A.block().nb, B.block().nb}), {}, 0, {}};
  if (k == 0) return res;
  res.s = svdvals(A, false);
  const double rcond = opts.rcond < 0 ? default_rtol<R>(m, n) : opts.rcond;
  const double cutoff = rcond * static_cast<double>(res.s[0]);
  res.rank = std::count_if(res.s.begin(), res.s.end(), [&](R v) { return static_cast<double>(v) > cutoff; });
  if (nrhs == 0) return res;
  if (res.rank == k) {
    // Full rank: QR (m >= n) or LQ (m < n) by p?gels, which also gives the minimum norm
    // solution of an under-determined system.
    DistMatrix<T> W = working_copy(A);
    DistMatrix<T> X(A.grid(), std::max(m, n), nrhs, Block{W.block().mb, B.block().nb}, Source{W.source().row, 0});
    assign<T>(X.view(0, 0, m, nrhs), B);
    int info = 0;
    T wq{};
    detail::sl::gels('N', static_cast<int>(m), static_cast<int>(n), static_cast<int>(nrhs), W.data(), 1, 1,
                     W.descriptor().data(), X.data(), 1, 1, X.descriptor().data(), &wq, -1, &info);
    std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
    detail::sl::gels('N', static_cast<int>(m), static_cast<int>(n), static_cast<int>(nrhs), W.data(), 1, 1,
                     W.descriptor().data(), X.data(), 1, 1, X.descriptor().data(), work.data(),
                     static_cast<int>(work.size()), &info);
    agreed_info(A.grid(), info, f, "p?gels");
    res.x = copy<T>(std::as_const(X).view(0, 0, n, nrhs));
    if (m > n)
      for (std::int64_t j = 0; j < nrhs; ++j) {
        const R r = norm<T>(std::as_const(X).view(n, j, m - n, 1));
        res.residuals.push_back(r * r);
      }
    return res;
  }
  // Rank deficient: x = V diag(1/s_i for the first rank values) U^H B.
  auto [U, s, Vh] = svd(A, {.full_matrices = false, .check_finite = false});
  DistMatrix<T> C(A.grid(), k, nrhs, Block{U.block().nb, B.block().nb});
  gemm<T>(T(1), U, Op::adjoint, B, Op::none, T(0), C);
  const std::int64_t rank = res.rank;
  C.for_each_local([&](std::int64_t i, std::int64_t, T& x) { x = i < rank ? x / s[static_cast<std::size_t>(i)] : T(0); });
  gemm<T>(T(1), Vh, Op::adjoint, C, Op::none, T(0), res.x);
  return res;
}

// ---- eigenproblems ------------------------------------------------------------------------

namespace {

struct EigRange {
  char range = 'A';
  double vl = 0, vu = 0;
  int il = 0, iu = 0;  // 1-based
};

template <class T>
EigRange eig_range(const DistMatrix<T>& A, const EighOptions& o, const char* func) {
  EigRange r;
  if (o.subset_by_index && o.subset_by_value)
    throw InvalidArgument(std::string(func) + ": both subset_by_index and subset_by_value given, expected at most one");
  if (o.subset_by_index) {
    const auto [lo, hi] = *o.subset_by_index;
    if (lo < 0 || hi < lo || hi >= A.rows())
      throw InvalidArgument(std::string(func) + ": subset_by_index is [" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "], expected 0 <= lo <= hi < " + std::to_string(A.rows()));
    r.range = 'I';
    r.il = static_cast<int>(lo + 1);
    r.iu = static_cast<int>(hi + 1);
  } else if (o.subset_by_value) {
    const auto [lo, hi] = *o.subset_by_value;
    if (!(lo < hi))
      throw InvalidArgument(std::string(func) + ": subset_by_value is (" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "], expected lo < hi");
    r.range = 'V';
    r.vl = lo;
    r.vu = hi;
  }
  return r;
}

// Eigen-decomposition of the Hermitian matrix W (destroyed). Returns the eigenvalues and,
// when vectors is set, the eigenvectors in W's layout (n x found).
template <class T>
std::pair<std::vector<real_t<T>>, DistMatrix<T>> heev_inplace(DistMatrix<T>& W, bool lower, const EigRange& r,
                                                              bool vectors, const char* func) {
  using R = real_t<T>;
  const std::int64_t n = W.rows();
  const int ni = static_cast<int>(n);
  const char uplo = lower ? 'L' : 'U';
  std::vector<R> w(static_cast<std::size_t>(std::max<std::int64_t>(n, 1)));
  DistMatrix<T> Z(W.grid(), vectors ? n : 0, vectors ? n : 0, W.block(), W.source());
  if (n == 0) return {std::vector<R>{}, std::move(Z)};
  T* z = vectors ? Z.data() : W.data();
  const int* dz = vectors ? Z.descriptor().data() : W.descriptor().data();
  int info = 0, found = ni, nz = 0;
  T wq{};
  R rq{};
  int iq = 0;
  if (r.range == 'A' && vectors) {
    detail::sl::heevd('V', uplo, ni, W.data(), 1, 1, W.descriptor().data(), w.data(), z, 1, 1, dz, &wq, -1, &rq, -1, &iq,
                      -1, &info);
    std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
    std::vector<R> rwork(static_cast<std::size_t>(detail::work_size(rq)));
    std::vector<int> iwork(static_cast<std::size_t>(detail::work_size(iq, 7 * n + 8 * W.grid().pcols() + 2)));
    detail::sl::heevd('V', uplo, ni, W.data(), 1, 1, W.descriptor().data(), w.data(), z, 1, 1, dz, work.data(),
                      static_cast<int>(work.size()), rwork.data(), static_cast<int>(rwork.size()), iwork.data(),
                      static_cast<int>(iwork.size()), &info);
    info = agreed_info(W.grid(), info, func, "p?syevd/p?heevd");
  } else {
    const char jobz = vectors ? 'V' : 'N';
    const R vl = static_cast<R>(r.vl), vu = static_cast<R>(r.vu);
    detail::sl::heevr(jobz, r.range, uplo, ni, W.data(), 1, 1, W.descriptor().data(), vl, vu, r.il, r.iu, &found, &nz,
                      w.data(), z, 1, 1, dz, &wq, -1, &rq, -1, &iq, -1, &info);
    std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
    std::vector<R> rwork(static_cast<std::size_t>(detail::work_size(rq)));
    std::vector<int> iwork(static_cast<std::size_t>(detail::work_size(iq)));
    detail::sl::heevr(jobz, r.range, uplo, ni, W.data(), 1, 1, W.descriptor().data(), vl, vu, r.il, r.iu, &found, &nz,
                      w.data(), z, 1, 1, dz, work.data(), static_cast<int>(work.size()), rwork.data(),
                      static_cast<int>(rwork.size()), iwork.data(), static_cast<int>(iwork.size()), &info);
    info = agreed_info(W.grid(), info, func, "p?syevr/p?heevr");
    found = static_cast<int>(detail::min_over(W.grid().comm(), found));
  }
  if (info > 0)
    throw NoConvergence(std::string(func) + ": the eigensolver did not converge (INFO = " + std::to_string(info) + ")");
  w.resize(static_cast<std::size_t>(found));
  replicate_from_source(w, W);
  if (vectors && found < n) Z = copy<T>(std::as_const(Z).view(0, 0, n, found));
  return {std::move(w), std::move(Z)};
}

template <class T>
std::pair<std::vector<real_t<T>>, DistMatrix<T>> eigh_impl(const DistMatrix<T>& A, const EighOptions& o, bool vectors,
                                                           const char* func) {
  check_one(A, func, true, o.check_finite);
  const EigRange r = eig_range(A, o, func);
  DistMatrix<T> W = working_copy(A);
  return heev_inplace(W, o.lower, r, vectors, func);
}

// A x = lambda B x: B = L L^H, C = L^-1 A L^-H, C y = lambda y, x = L^-H y (or the upper
// variant), the way LAPACK's ?sygv does it.
template <class T>
std::pair<std::vector<real_t<T>>, DistMatrix<T>> eigh_general_impl(const DistMatrix<T>& A, const DistMatrix<T>& B,
                                                                   const EighOptions& o, bool vectors,
                                                                   const char* func) {
  using R = real_t<T>;
  check_system(A, B, func, o.check_finite);
  detail::require_square(B, func, "B");
  const EigRange r = eig_range(A, o, func);
  DistMatrix<T> C = working_copy(A);
  DistMatrix<T> L = redistribute(B, C.grid(), C.block(), C.source());
  const char uplo = o.lower ? 'L' : 'U';
  potrf_inplace(L, o.lower, func, "B is not positive definite: ");
  if (A.rows() == 0) return heev_inplace(C, o.lower, r, vectors, func);
  R scale = 1;
  int info = 0;
  detail::sl::hegst(1, uplo, static_cast<int>(C.rows()), C.data(), 1, 1, C.descriptor().data(), L.data(), 1, 1,
                    L.descriptor().data(), &scale, &info);
  agreed_info(C.grid(), info, func, "p?sygst/p?hegst");
  auto [w, Y] = heev_inplace(C, o.lower, r, vectors, func);
  for (auto& v : w) v *= scale;
  if (vectors && Y.cols() > 0) {
    // x = L^-H y (lower) or U^-1 y (upper)
    const char trans = o.lower ? (detail::is_complex_v<T> ? 'C' : 'T') : 'N';
    detail::sl::trsm('L', uplo, trans, 'N', static_cast<int>(Y.rows()), static_cast<int>(Y.cols()), T(1), L.data(), 1,
                     1, L.descriptor().data(), Y.data(), 1, 1, Y.descriptor().data());
  }
  return {std::move(w), std::move(Y)};
}

}  // namespace

template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, EighOptions opts) {
  auto [w, V] = eigh_impl(A, opts, true, "eigh");
  return {std::move(w), std::move(V)};
}
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts) {
  auto [w, V] = eigh_general_impl(A, B, opts, true, "eigh");
  return {std::move(w), std::move(V)};
}
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, EighOptions opts) {
  return eigh_impl(A, opts, false, "eigvalsh").first;
}
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts) {
  return eigh_general_impl(A, B, opts, false, "eigvalsh").first;
}

// ---- SVD and what is built on it ---------------------------------------------------------------

namespace {

// p?gesvd on W (destroyed): singular values, and U (m x k) and VT (k x n) when vectors.
template <class T>
std::vector<real_t<T>> gesvd_inplace(DistMatrix<T>& W, DistMatrix<T>* U, DistMatrix<T>* VT, const char* func) {
  using R = real_t<T>;
  const std::int64_t m = W.rows(), n = W.cols(), k = std::min(m, n);
  std::vector<R> s(static_cast<std::size_t>(k));
  if (k == 0) return s;
  const bool vec = U != nullptr;
  const char job = vec ? 'V' : 'N';
  T* u = vec ? U->data() : W.data();
  T* vt = vec ? VT->data() : W.data();
  const int* du = vec ? U->descriptor().data() : W.descriptor().data();
  const int* dvt = vec ? VT->descriptor().data() : W.descriptor().data();
  std::vector<R> rwork(static_cast<std::size_t>(1 + 4 * std::max(m, n) + 1024));
  int info = 0;
  T wq{};
  const int mi = static_cast<int>(m), ni = static_cast<int>(n);
  detail::sl::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt, &wq,
                    -1, rwork.data(), &info);
  std::vector<T> work(static_cast<std::size_t>(detail::work_size(wq)));
  detail::sl::gesvd(job, job, mi, ni, W.data(), 1, 1, W.descriptor().data(), s.data(), u, 1, 1, du, vt, 1, 1, dvt,
                    work.data(), static_cast<int>(work.size()), rwork.data(), &info);
  info = agreed_info(W.grid(), info, func, "p?gesvd");
  if (info > 0)
    throw NoConvergence(std::string(func) + ": the SVD did not converge (INFO = " + std::to_string(info) + ")");
  replicate_from_source(s, W);
  return s;
}

// [first k columns of B | the rest of an orthonormal basis]: completes the orthonormal
// columns of B (m x k) to a square unitary matrix with a complete QR.
template <class T>
DistMatrix<T> complete_basis(const DistMatrix<T>& B) {
  const std::int64_t m = B.rows(), k = B.cols();
  auto [Q, R] = qr(B, QrMode::complete, false);
  if (k > 0) assign<T>(Q.view(0, 0, m, k), B);
  return std::move(Q);
}

}  // namespace

template <class T>
SvdResult<T> svd(const DistMatrix<T>& A, SvdOptions opts) {
  const char* f = "svd";
  check_one(A, f, false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols(), k = std::min(m, n);
  DistMatrix<T> W = working_copy(A);
  DistMatrix<T> U(A.grid(), m, k, W.block(), W.source());
  DistMatrix<T> VT(A.grid(), k, n, W.block(), W.source());
  auto s = gesvd_inplace(W, &U, &VT, f);
  if (opts.full_matrices) {
    if (k < m) U = complete_basis(U);
    if (k < n) VT = adjoint(complete_basis(adjoint(VT)));
    if (k == 0) {  // nothing to complete from: identities
      U = identity<T>(A.grid(), m, W.block());
      VT = identity<T>(A.grid(), n, W.block());
    }
  }
  return {std::move(U), std::move(s), std::move(VT)};
}

template <class T>
std::vector<real_t<T>> svdvals(const DistMatrix<T>& A, bool check_finite) {
  check_one(A, "svdvals", false, check_finite);
  DistMatrix<T> W = working_copy(A);
  return gesvd_inplace<T>(W, nullptr, nullptr, "svdvals");
}

template <class T>
DistMatrix<T> pinv(const DistMatrix<T>& A, double rtol, bool check_finite) {
  using R = real_t<T>;
  check_one(A, "pinv", false, check_finite);
  const std::int64_t m = A.rows(), n = A.cols();
  auto [U, s, Vh] = svd(A, {.full_matrices = false, .check_finite = false});
  DistMatrix<T> X(A.grid(), n, m, Block{A.block().nb, A.block().mb});
  if (s.empty()) return X;
  const double cutoff = (rtol < 0 ? default_rtol<R>(m, n) : rtol) * static_cast<double>(s[0]);
  // X = Vh^H diag(1/s) U^H, scaling the columns of U first.
  U.for_each_local([&](std::int64_t, std::int64_t j, T& x) {
    const R v = s[static_cast<std::size_t>(j)];
    x = static_cast<double>(v) > cutoff ? x / v : T(0);
  });
  gemm<T>(T(1), Vh, Op::adjoint, U, Op::adjoint, T(0), X);
  return X;
}

template <class T>
std::int64_t matrix_rank(const DistMatrix<T>& A, double tol, bool check_finite) {
  using R = real_t<T>;
  const auto s = svdvals(A, check_finite);
  if (s.empty()) return 0;
  const double t = tol < 0 ? static_cast<double>(s[0]) * default_rtol<R>(A.rows(), A.cols()) : tol;
  return std::count_if(s.begin(), s.end(), [&](R v) { return static_cast<double>(v) > t; });
}

template <class T>
real_t<T> cond(const DistMatrix<T>& A) {
  using R = real_t<T>;
  if (A.rows() == 0 || A.cols() == 0)
    throw InvalidArgument("cond: A is " + shape(A) + ", expected a non-empty matrix");
  const auto s = svdvals(A, true);
  if (s.back() == R(0)) return std::numeric_limits<R>::infinity();
  return s.front() / s.back();
}

template <class T>
real_t<T> cond(const DistMatrix<T>& A, Norm kind) {
  using R = real_t<T>;
  const char* f = "cond";
  if (kind == Norm::max) throw InvalidArgument("cond: Norm::max is not a matrix norm for condition numbers, expected fro, one or inf");
  detail::require_square(A, f, "A");
  if (A.rows() == 0) throw InvalidArgument("cond: A is 0x0, expected a non-empty matrix");
  try {
    const DistMatrix<T> Ai = inv(A, true);
    return norm(A, kind) * norm(Ai, kind);
  } catch (const SingularMatrix&) {  // thrown on every rank alike
    return std::numeric_limits<R>::infinity();
  }
}

#define TARTAN_INSTANTIATE(T)                                                                   \
  template class LU<T>;                                                                         \
  template class Cholesky<T>;                                                                   \
  template DistMatrix<T> solve<T>(const DistMatrix<T>&, const DistMatrix<T>&, SolveOptions);    \
  template LU<T> lu_factor<T>(const DistMatrix<T>&, bool);                                      \
  template LU<T> lu_factor<T>(DistMatrix<T>&&, bool);                                           \
  template DistMatrix<T> cholesky<T>(DistMatrix<T>&&, CholeskyOptions);                         \
  template QrResult<T> qr<T>(DistMatrix<T>&&, QrMode, bool);                                    \
  template DistMatrix<T> cholesky<T>(const DistMatrix<T>&, CholeskyOptions);                    \
  template Cholesky<T> cho_factor<T>(const DistMatrix<T>&, CholeskyOptions);                    \
  template QrResult<T> qr<T>(const DistMatrix<T>&, QrMode, bool);                               \
  template LstsqResult<T> lstsq<T>(const DistMatrix<T>&, const DistMatrix<T>&, LstsqOptions);   \
  template EighResult<T> eigh<T>(const DistMatrix<T>&, EighOptions);                            \
  template EighResult<T> eigh<T>(const DistMatrix<T>&, const DistMatrix<T>&, EighOptions);      \
  template std::vector<real_t<T>> eigvalsh<T>(const DistMatrix<T>&, EighOptions);               \
  template std::vector<real_t<T>> eigvalsh<T>(const DistMatrix<T>&, const DistMatrix<T>&, EighOptions); \
  template SvdResult<T> svd<T>(const DistMatrix<T>&, SvdOptions);                               \
  template std::vector<real_t<T>> svdvals<T>(const DistMatrix<T>&, bool);                       \
  template DistMatrix<T> inv<T>(const DistMatrix<T>&, bool);                                    \
  template T det<T>(const DistMatrix<T>&, bool);                                                \
  template SlogdetResult<T> slogdet<T>(const DistMatrix<T>&, bool);                             \
  template DistMatrix<T> pinv<T>(const DistMatrix<T>&, double, bool);                           \
  template std::int64_t matrix_rank<T>(const DistMatrix<T>&, double, bool);                     \
  template real_t<T> cond<T>(const DistMatrix<T>&);                                             \
  template real_t<T> cond<T>(const DistMatrix<T>&, Norm);
TARTAN_INSTANTIATE(float)
TARTAN_INSTANTIATE(double)
TARTAN_INSTANTIATE(std::complex<float>)
TARTAN_INSTANTIATE(std::complex<double>)

}  // namespace tartan
