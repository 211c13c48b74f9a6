// Matrix functions from distributed products, LU, QR, Cholesky, eigh and schur: expm
// (Al-Mohy & Higham 2009), matrix_power, multi_dot, funm_hermitian, sqrtm and logm (eigh,
// scaled Denman-Beavers, or the complex Schur form), signm (Newton) and polar (QDWH or SVD).

#include "tartan/linalg/functions.hpp"

#include <mpi.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/lu.hpp"
#include "linalg/common.hpp"
#include "linalg/onenormest.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"
#include "tartan/linalg/eig.hpp"
#include "tartan/linalg/eigh.hpp"
#include "tartan/linalg/inv.hpp"
#include "tartan/linalg/lu.hpp"
#include "tartan/linalg/qr.hpp"
#include "tartan/linalg/solve.hpp"

namespace tartan {

namespace detail {

// Higham & Tisseur's block 1-norm estimator (SIMAX 2000, Algorithm 2.4; scipy's onenormest)
// with t = 2 columns, for the product B = F[0] F[1] ... of distributed square matrices,
// never formed: each step applies B and B^H to n x 2 blocks (2 k thin products). A lower
// bound of ||B||_1, almost always within a factor 3 and usually exact. The n x 2 blocks are
// held whole on every rank (small), the products are distributed.
template <class T>
double onenormest_product(const std::vector<const DistMatrix<T>*>& F) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using R = real_t<T>;
  const DistMatrix<T>& first = *F.front();
  const Grid& g = first.grid();
  const std::int64_t n = first.rows();
  const int t = n >= 2 ? 2 : 1;
  const Block thin{first.block().mb, t};
  auto everywhere = [&](const DistMatrix<T>& Y) {  // gathered on rank 0, then to every rank
    M y = to_eigen(Y, 0);
    y.resize(n, t);
    MPI_Bcast(y.data(), static_cast<int>(n * t), mpi_type<T>(), 0, g.comm());
    return y;
  };
  auto apply = [&](const M& x, bool adjoint_op) {  // B x, or B^H x (the factors in reverse)
    DistMatrix<T> Y = from_eigen(g, x, 0, thin);
    for (std::size_t k = 0; k < F.size(); ++k) {
      const DistMatrix<T>& Fk = *F[adjoint_op ? k : F.size() - 1 - k];
      DistMatrix<T> Z = zeros<T>(g, n, t, thin);
      gemm<T>(T(1), Fk, adjoint_op ? Op::adjoint : Op::none, Y, Op::none, T(0), Z);
      Y = std::move(Z);
    }
    return everywhere(Y);
  };
  M x(n, t);
  for (std::int64_t i = 0; i < n; ++i) {
    x(i, 0) = T(R(1) / R(n));
    // the second column: a fixed sign pattern (the same on every rank)
    if (t > 1) x(i, 1) = T(((i * 2654435761u) >> 7) % 2 ? R(1) / R(n) : -R(1) / R(n));
  }
  std::vector<char> used(static_cast<std::size_t>(n), 0);
  std::vector<std::int64_t> ind(static_cast<std::size_t>(t), -1);  // the unit vectors in x, from step 2 on
  double est_old = 0;
  std::int64_t ind_best = -1;
  for (int iter = 0; iter < 5; ++iter) {
    const M y = apply(x, false);
    double est = 0;
    int jmax = 0;
    for (int j = 0; j < t; ++j) {
      const double c = static_cast<double>(y.col(j).cwiseAbs().sum());
      if (c > est) {
        est = c;
        jmax = j;
      }
    }
    if (iter > 0 && est <= est_old) break;
    est_old = est;
    if (iter > 0) ind_best = ind[static_cast<std::size_t>(jmax)];
    if (iter == 4) break;
    M sgn(n, t);
    for (std::int64_t i = 0; i < n; ++i)
      for (int j = 0; j < t; ++j) {
        const R a = std::abs(y(i, j));
        sgn(i, j) = a == 0 ? T(1) : y(i, j) / T(a);
      }
    const M z = apply(sgn, true);
    std::vector<std::pair<double, std::int64_t>> h(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
      h[static_cast<std::size_t>(i)] = {static_cast<double>(z.row(i).cwiseAbs().maxCoeff()), i};
    const double hmax = std::max_element(h.begin(), h.end())->first;
    if (ind_best >= 0 && hmax == h[static_cast<std::size_t>(ind_best)].first) break;
    std::stable_sort(h.begin(), h.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    // the next block: unit vectors at the t largest rows of z not tried yet
    x.setZero();
    int filled = 0;
    for (const auto& [v, i] : h) {
      if (filled == t) break;
      if (used[static_cast<std::size_t>(i)]) continue;
      used[static_cast<std::size_t>(i)] = 1;
      ind[static_cast<std::size_t>(filled)] = i;
      x(i, filled++) = T(1);
    }
    if (filled < t) break;  // every unit vector tried
  }
  return est_old;
}

}  // namespace detail

namespace {

// A += alpha I.
template <class T>
void add_identity(DistMatrix<T>& A, T alpha) {
  A.for_each_local([&](std::int64_t i, std::int64_t j, T& v) {
    if (i == j) v += alpha;
  });
}

// sum_k c[k] * P[k] (+ c0 I), the P[k] of one layout.
template <class T>
DistMatrix<T> combination(const std::vector<std::pair<double, const DistMatrix<T>*>>& terms, double c0,
                          const DistMatrix<T>& like) {
  DistMatrix<T> S = zeros<T>(like.grid(), like.rows(), like.cols(), like.block());
  for (const auto& [c, P] : terms) axpy(T(c), *P, S);
  if (c0 != 0) add_identity(S, T(c0));
  return S;
}

// ||B||_1 of a real nonnegative B = |A|^p, exactly: the largest entry of e^T |A|^p, formed
// with p products of a row vector by |A| (nonnegative, so no cancellation).
template <class T>
double abs_power_norm1(const DistMatrix<T>& A, int p) {
  using R = real_t<T>;
  DistMatrix<R> Abs(A.grid(), A.rows(), A.cols(), A.block(), A.source());
  Abs.local() = A.local().cwiseAbs();
  DistMatrix<R> x(A.grid(), 1, A.rows(), Block{1, A.block().mb}, Source{0, A.source().row});
  x.local().setOnes();
  for (int k = 0; k < p; ++k) x = matmul(x, Abs);
  return static_cast<double>(norm(x, Norm::one));
}

// Al-Mohy & Higham's ell(A, m): how many extra squarings keep the backward error of the
// degree-m approximant at unit roundoff, from ||A||_1 and ||A|^(2m+1)||_1 (their eq. (3.12)
// with the coefficient bounds of Higham's 2005 paper, as scipy's _ell).
template <class T>
int ell(const DistMatrix<T>& A, int m, double A_norm1) {
  double c = 0;
  switch (m) {
    case 3:
      c = 100800.;
      break;
    case 5:
      c = 10059033600.;
      break;
    case 7:
      c = 4487938430976000.;
      break;
    case 9:
      c = 5914384781877411840000.;
      break;
    default:
      c = 113250775606021113483283660800000000.;
  }
  if (A_norm1 == 0) return 0;
  const double p = abs_power_norm1(A, 2 * m + 1);
  if (p == 0) return 0;
  const double alpha = p / (A_norm1 * c);
  const double u = std::ldexp(1.0, -53);
  const double v = std::ceil(std::log2(alpha / u) / (2 * m));
  return v > 0 ? static_cast<int>(v) : 0;
}

// The powers of A that expm needs, formed once each when first asked for, with their exact
// 1-norms.
template <class T>
struct Powers {
  const DistMatrix<T>& A;
  std::optional<DistMatrix<T>> a2, a4, a6, a8, a10;
  const DistMatrix<T>& A2() {
    if (!a2) a2 = matmul(A, A);
    return *a2;
  }
  const DistMatrix<T>& A4() {
    if (!a4) a4 = matmul(A2(), A2());
    return *a4;
  }
  const DistMatrix<T>& A6() {
    if (!a6) a6 = matmul(A4(), A2());
    return *a6;
  }
  const DistMatrix<T>& A8() {
    if (!a8) a8 = matmul(A4(), A4());
    return *a8;
  }
  const DistMatrix<T>& A10() {
    if (!a10) a10 = matmul(A4(), A6());
    return *a10;
  }
  static double d(const DistMatrix<T>& P, int k) { return std::pow(static_cast<double>(norm(P, Norm::one)), 1.0 / k); }
  // ||A^k||_1^(1/k) for k = 8 and 10 without forming the power, as scipy does for n >= 200:
  // the block estimator on the product of the powers already formed (A4 A4, A4 A6); below
  // that, or when the power is formed anyway, exactly.
  double d_of_product(int k) {
    const bool exact = A.rows() < exact_below || (k == 8 && a8) || (k == 10 && a10);
    if (exact) return d(k == 8 ? A8() : A10(), k);
    const double e =
        k == 8 ? detail::onenormest_product<T>({&A4(), &A4()}) : detail::onenormest_product<T>({&A4(), &A6()});
    return std::pow(e, 1.0 / k);
  }
  static constexpr std::int64_t exact_below = 200;
};

// The Pade coefficients b_0..b_m of degree m.
constexpr std::array<double, 4> b3 = {120., 60., 12., 1.};
constexpr std::array<double, 6> b5 = {30240., 15120., 3360., 420., 30., 1.};
constexpr std::array<double, 8> b7 = {17297280., 8648640., 1995840., 277200., 25200., 1512., 56., 1.};
constexpr std::array<double, 10> b9 = {17643225600., 8821612800., 2075673600., 302702400., 30270240.,
                                       2162160.,     110880.,     3960.,       90.,        1.};
constexpr std::array<double, 14> b13 = {64764752532480000.,
                                        32382376266240000.,
                                        7771770303897600.,
                                        1187353796428800.,
                                        129060195264000.,
                                        10559470521600.,
                                        670442572800.,
                                        33522128640.,
                                        1323241920.,
                                        40840800.,
                                        960960.,
                                        16380.,
                                        182.,
                                        1.};

// r_m(A) = (V - U)^-1 (V + U) for degree m <= 9, from U = A sum_odd b_j A^(j-1) and
// V = sum_even b_j A^j.
template <class T, std::size_t N>
DistMatrix<T> pade_low(Powers<T>& P, const std::array<double, N>& b) {
  const int m = static_cast<int>(N) - 1;
  std::vector<std::pair<double, const DistMatrix<T>*>> u, v;
  const DistMatrix<T>* pw[] = {nullptr, &P.A2(), m >= 5 ? &P.A4() : nullptr, m >= 7 ? &P.A6() : nullptr,
                               m >= 9 ? &P.A8() : nullptr};
  for (int j = 1; 2 * j <= m; ++j) {
    u.push_back({b[static_cast<std::size_t>(2 * j + 1)], pw[j]});
    v.push_back({b[static_cast<std::size_t>(2 * j)], pw[j]});
  }
  const DistMatrix<T> U = matmul(P.A, combination(u, b[1], P.A));
  const DistMatrix<T> V = combination(v, b[0], P.A);
  return solve(V - U, V + U, {.check_finite = false});
}

// r_13(A / 2^s) (Higham's evaluation with 3 products besides A2, A4, A6).
template <class T>
DistMatrix<T> pade13_scaled(Powers<T>& P, int s) {
  const double c1 = std::ldexp(1.0, -s), c2 = c1 * c1, c4 = c2 * c2, c6 = c4 * c2;
  const DistMatrix<T>&A2 = P.A2(), &A4 = P.A4(), &A6 = P.A6();
  DistMatrix<T> W = combination<T>({{b13[13] * c6, &A6}, {b13[11] * c4, &A4}, {b13[9] * c2, &A2}}, 0, P.A);
  DistMatrix<T> U2 = matmul(A6, W);
  U2 *= T(c6);
  axpy(T(b13[7] * c6), A6, U2);
  axpy(T(b13[5] * c4), A4, U2);
  axpy(T(b13[3] * c2), A2, U2);
  add_identity(U2, T(b13[1]));
  DistMatrix<T> U = matmul(P.A, U2);
  U *= T(c1);
  DistMatrix<T> Z = combination<T>({{b13[12] * c6, &A6}, {b13[10] * c4, &A4}, {b13[8] * c2, &A2}}, 0, P.A);
  DistMatrix<T> V = matmul(A6, Z);
  V *= T(c6);
  axpy(T(b13[6] * c6), A6, V);
  axpy(T(b13[4] * c4), A4, V);
  axpy(T(b13[2] * c2), A2, V);
  add_identity(V, T(b13[0]));
  return solve(V - U, V + U, {.check_finite = false});
}

// expm in double or complex<double>, on A in the working layout.
template <class T>
DistMatrix<T> expm_double(const DistMatrix<T>& A, FunmReport& rep) {
  const std::int64_t n = A.rows();
  rep.method = "pade";
  if (n == 0) return A.copy();
  const double a1 = static_cast<double>(norm(A, Norm::one));
  if (a1 == 0) {
    rep.method = "zero";
    return identity<T>(A.grid(), n, A.block());
  }
  Powers<T> P{A, {}, {}, {}, {}, {}};
  using Pw = Powers<T>;
  const double d4 = Pw::d(P.A4(), 4), d6 = Pw::d(P.A6(), 6);
  const double eta1 = std::max(d4, d6);
  auto degree = [&](int m) {
    rep.degree = m;
    return true;
  };
  if (eta1 < 1.495585217958292e-002 && ell(A, 3, a1) == 0 && degree(3)) return pade_low(P, b3);
  if (eta1 < 2.539398330063230e-001 && ell(A, 5, a1) == 0 && degree(5)) return pade_low(P, b5);
  const double d8 = P.d_of_product(8);
  const double eta3 = std::max(d6, d8);
  if (eta3 < 9.504178996162932e-001 && ell(A, 7, a1) == 0 && degree(7)) return pade_low(P, b7);
  if (eta3 < 2.097847961257068e+000 && ell(A, 9, a1) == 0 && degree(9)) return pade_low(P, b9);
  const double d10 = P.d_of_product(10);
  const double eta5 = std::min(eta3, std::max(d8, d10));
  const double theta13 = 4.25;
  int s = eta5 == 0 ? 0 : std::max(0, static_cast<int>(std::ceil(std::log2(eta5 / theta13))));
  {
    DistMatrix<T> As = A.copy();
    As *= T(std::ldexp(1.0, -s));
    s += ell(As, 13, a1 * std::ldexp(1.0, -s));
  }
  rep.degree = 13;
  rep.squarings = s;
  DistMatrix<T> X = pade13_scaled(P, s);
  for (int k = 0; k < s; ++k) X = matmul(X, X);
  return X;
}

template <class T>
real_t<T> eps_of() {
  return std::numeric_limits<real_t<T>>::epsilon();
}

// ||A - A^H||_1 <= 100 n eps ||A||_1.
template <class T>
bool nearly_hermitian(const DistMatrix<T>& A) {
  const double a = static_cast<double>(norm(A, Norm::one));
  const double d = static_cast<double>(norm(A - adjoint(A), Norm::one));
  return d <= 100.0 * static_cast<double>(A.rows()) * static_cast<double>(eps_of<T>()) * a;
}

// The report the caller asked for, cleared, or the scratch one.
FunmReport& report_of(const FunmOptions& opts, FunmReport& scratch) {
  FunmReport& r = opts.report ? *opts.report : scratch;
  r = FunmReport{};
  return r;
}

}  // namespace

template <class T>
DistMatrix<T> expm(const DistMatrix<T>& A, FunmOptions opts) {
  const detail::watchdog::Scope watch("expm", [&] { return detail::watchdog::describe(A); });
  detail::check_one(A, "expm", true, opts.check_finite);
  FunmReport scratch;
  FunmReport& rep = report_of(opts, scratch);
  using D = std::conditional_t<is_complex_v<T>, std::complex<double>, double>;
  if constexpr (std::is_same_v<T, D>) {
    return expm_double(detail::working_copy(A), rep);
  } else {
    const DistMatrix<D> X = expm_double(detail::working_copy(astype<D>(A)), rep);
    DistMatrix<T> R(X.grid(), X.rows(), X.cols(), X.block(), X.source());
    R.local() = X.local().template cast<T>();
    return R;
  }
}

template <class T>
DistMatrix<T> matrix_power(const DistMatrix<T>& A, std::int64_t k) {
  detail::require_square(A, "matrix_power", "A");
  if (k == 0) return identity<T>(A.grid(), A.rows(), A.block(), A.source());
  DistMatrix<T> base = k < 0 ? detail::inv_impl(A, true, "matrix_power") : A.copy();
  std::uint64_t e = k < 0 ? static_cast<std::uint64_t>(-(k + 1)) + 1 : static_cast<std::uint64_t>(k);
  std::optional<DistMatrix<T>> result;
  while (true) {
    if (e & 1) result = result ? matmul(*result, base) : base.copy();
    e >>= 1;
    if (e == 0) break;
    base = matmul(base, base);
  }
  return std::move(*result);
}

template <class T>
DistMatrix<T> multi_dot(const std::vector<const DistMatrix<T>*>& factors) {
  const std::size_t k = factors.size();
  if (k == 0) throw InvalidArgument("multi_dot: expected at least one matrix");
  for (std::size_t i = 0; i + 1 < k; ++i) {
    detail::require_same_grid(factors[i]->grid(), factors[i + 1]->grid(), "multi_dot", "one matrix", "the next");
    if (factors[i]->cols() != factors[i + 1]->rows())
      throw InvalidArgument("multi_dot: matrix " + std::to_string(i) + " is " + detail::shape(*factors[i]) +
                            " and matrix " + std::to_string(i + 1) + " is " + detail::shape(*factors[i + 1]) +
                            ": their shapes do not chain");
  }
  if (k == 1) return factors[0]->copy();
  // The matrix-chain rule: cost[i][j] the fewest flops for factors i..j, split[i][j] where.
  std::vector<double> dims(k + 1);
  dims[0] = static_cast<double>(factors[0]->rows());
  for (std::size_t i = 0; i < k; ++i) dims[i + 1] = static_cast<double>(factors[i]->cols());
  std::vector<std::vector<double>> cost(k, std::vector<double>(k, 0));
  std::vector<std::vector<std::size_t>> split(k, std::vector<std::size_t>(k, 0));
  for (std::size_t len = 2; len <= k; ++len)
    for (std::size_t i = 0; i + len <= k; ++i) {
      const std::size_t j = i + len - 1;
      cost[i][j] = std::numeric_limits<double>::infinity();
      for (std::size_t s = i; s < j; ++s) {
        const double c = cost[i][s] + cost[s + 1][j] + dims[i] * dims[s + 1] * dims[j + 1];
        if (c < cost[i][j]) {
          cost[i][j] = c;
          split[i][j] = s;
        }
      }
    }
  std::function<DistMatrix<T>(std::size_t, std::size_t)> product = [&](std::size_t i, std::size_t j) {
    if (i == j) return factors[i]->copy();
    const std::size_t s = split[i][j];
    if (i == s && s + 1 == j) return matmul(*factors[i], *factors[j]);
    if (i == s) return matmul(*factors[i], product(s + 1, j));
    if (s + 1 == j) return matmul(product(i, s), *factors[j]);
    return matmul(product(i, s), product(s + 1, j));
  };
  return product(0, k - 1);
}

template <class T>
DistMatrix<T> compose_eigen(const DistMatrix<T>& V, const std::vector<T>& d) {
  if (static_cast<std::int64_t>(d.size()) != V.cols())
    throw InvalidArgument("compose_eigen: V has " + std::to_string(V.cols()) + " columns and d " +
                          std::to_string(d.size()) + " values");
  DistMatrix<T> W = V.copy();
  W.for_each_local([&](std::int64_t, std::int64_t j, T& v) { v *= d[static_cast<std::size_t>(j)]; });
  DistMatrix<T> C = zeros<T>(V.grid(), V.rows(), V.rows(), Block{V.block().mb, V.block().mb}, V.source());
  gemm(T(1), W, Op::none, V, Op::adjoint, T(0), C);
  return C;
}

namespace {

// The eigh route of the Hermitian matrix functions: V diag(f(w_i, max |w|)) V^H; f throws
// where the function has no value of type T. The report says "eigh".
template <class T, class F>
DistMatrix<T> hermitian_route(const DistMatrix<T>& A, FunmReport& report, F f) {
  report.method = "eigh";
  const auto r = eigh(A, {.check_finite = false});
  std::vector<T> d(r.eigenvalues.size());
  real_t<T> big = 0;
  for (auto x : r.eigenvalues) big = std::max(big, std::abs(x));
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = f(r.eigenvalues[i], big);
  return compose_eigen(r.eigenvectors, d);
}

}  // namespace

template <class T>
DistMatrix<T> funm_hermitian(const DistMatrix<T>& A, const std::function<real_t<T>(real_t<T>)>& f, FunmOptions opts) {
  detail::check_one(A, "funm_hermitian", true, opts.check_finite);
  FunmReport scratch;
  FunmReport& rep = report_of(opts, scratch);
  if (!nearly_hermitian(A))
    throw InvalidArgument(std::string("funm_hermitian: A is not ") + (is_complex_v<T> ? "Hermitian" : "symmetric") +
                          " (||A - A^H||_1 is above 100 n eps ||A||_1)");
  return hermitian_route(A, rep, [&](real_t<T> w, real_t<T>) { return T(f(w)); });
}

namespace {

// M^-1 by p?getrf + p?getri (16 % faster than solving with I at n = 2000 on 2 ranks), and
// log|det M| from U's diagonal; std::nullopt when U has an exactly zero pivot.
template <class T>
std::optional<DistMatrix<T>> inverse_logdet(const DistMatrix<T>& M, double& logabsdet, const char* func) {
  DistMatrix<T> W = M.copy();
  std::vector<int> ipiv;
  if (detail::getrf(W, ipiv, func) >= 0) return std::nullopt;
  double mine = 0;
  W.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
    if (i == j) mine += std::log(static_cast<double>(std::abs(x)));
  });
  MPI_Allreduce(&mine, &logabsdet, 1, MPI_DOUBLE, MPI_SUM, W.grid().comm());
  detail::getri(W, ipiv, func);
  return W;
}

// The steps after which a complex matrix's Denman-Beavers iteration gives way to the Schur
// route: well-separated spectra take 5-12 (tests/linalg/test_functions.cpp).
constexpr int sqrtm_db_fast_steps = 24;

// The product form of Denman-Beavers with determinantal scaling:
//   M <- (I + (mu^2 M + mu^-2 M^-1) / 2) / 2,  X <- mu X (I + mu^-2 M^-1) / 2,  M0 = X0 = A,
// mu = |det M|^(-1/(2n)) while M is far from I. X -> A^(1/2), M -> I.
// steps counts the steps taken; more than max_steps throws NoConvergence.
template <class T>
DistMatrix<T> sqrtm_db(const DistMatrix<T>& A, int& steps, int max_steps = 64) {
  using R = real_t<T>;
  const std::int64_t n = A.rows();
  const R tol = std::sqrt(static_cast<R>(n)) * eps_of<T>();
  DistMatrix<T> M = detail::working_copy(A);
  DistMatrix<T> X = M.copy();
  const DistMatrix<T> I = identity<T>(M.grid(), n, M.block());
  bool scale = true, last = false;
  for (int it = 0; it < max_steps; ++it) {
    ++steps;
    double logdet = 0;
    std::optional<DistMatrix<T>> inverse = inverse_logdet(M, logdet, "sqrtm");
    if (!inverse)
      throw LinAlgError(
          "sqrtm: a step of the Denman-Beavers iteration is singular: A is singular or has "
          "eigenvalues on the negative real axis, where the principal square root is not defined");
    const DistMatrix<T> Minv = std::move(*inverse);
    R mu = 1;
    if (scale) {
      mu = static_cast<R>(std::exp(-logdet / (2 * static_cast<double>(n))));
      if (!std::isfinite(mu)) mu = 1;
    }
    // X <- mu/2 X (I + mu^-2 Minv)
    DistMatrix<T> Q = I.copy();
    axpy(T(1 / (mu * mu)), Minv, Q);
    X = matmul(X, Q);
    X *= T(mu / 2);
    // M <- I/2 + (mu^2 M + mu^-2 Minv) / 4
    M *= T(mu * mu / 4);
    axpy(T(1 / (mu * mu) / 4), Minv, M);
    add_identity(M, T(R(0.5)));
    DistMatrix<T> D = M - I;
    const R dist = norm(D, Norm::fro);
    if (!std::isfinite(dist))
      throw LinAlgError(
          "sqrtm: the Denman-Beavers iteration overflowed: A may have eigenvalues on the negative "
          "real axis");
    // Quadratic convergence: one more step after sqrt(tol) reaches tol, also where rounding
    // keeps M from getting closer (an ill-conditioned root).
    if (dist <= tol || last) return X;
    last = dist <= std::sqrt(tol);
    if (dist < R(1e-2)) scale = false;
  }
  throw NoConvergence(
      "sqrtm: the Denman-Beavers iteration did not converge in " + std::to_string(max_steps) + " steps: A has " +
      (is_complex_v<T> ? "eigenvalues on or near the closed negative real axis"
                       : "eigenvalues on or near the closed negative real axis (a real matrix with "
                         "negative eigenvalues has no real principal square root; pass it as complex)"));
}

// The upper triangular R with R^2 = T, T upper triangular, column by column (Bjorck &
// Hammarling 1983): r_jj = sqrt(t_jj), r_ij = (t_ij - sum_k r_ik r_kj) / (r_ii + r_jj)
// upwards. Where T's diagonal sits on or within rounding of the negative real axis
// (Re t < 0, |Im t| <= axis |t|) no principal root exists and the sign of the rounded
// imaginary part would pick the branch; r_jj = i sqrt(|t|) there, the root scipy gives for
// a real matrix's negative eigenvalues (sqrt(t + 0i)). False where no root exists: a zero
// denominator with a nonzero right-hand side (a singular T with a nilpotent part).
template <class T>
bool sqrt_triangular(const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& t,
                     Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& r, real_t<T> axis) {
  const auto n = t.rows();
  r.setZero(n, n);
  bool ok = true;
  for (Eigen::Index j = 0; j < n; ++j) {
    const T tjj = t(j, j);
    const bool on_axis = std::real(tjj) < 0 && std::abs(std::imag(tjj)) <= axis * std::abs(tjj);
    const T rjj = on_axis ? T(0, std::sqrt(-std::real(tjj))) : std::sqrt(tjj);
    r(j, j) = rjj;
    for (Eigen::Index i = j - 1; i >= 0; --i) {
      T s = t(i, j);
      if (j - i > 1)
        s -= r.row(i).segment(i + 1, j - i - 1).transpose().cwiseProduct(r.col(j).segment(i + 1, j - i - 1)).sum();
      const T d = r(i, i) + rjj;
      if (d == T(0)) {
        ok = ok && s == T(0);
        r(i, j) = T(0);
      } else {
        r(i, j) = s / d;
      }
    }
  }
  return ok;
}

// f(A) = Z f(T) Z^H through the complex Schur form A = Z T Z^H (schur): T gathered on rank 0
// (n^2), f_t(t, out) run there; what it throws is thrown on every rank. Complex types.
template <class T, class F>
DistMatrix<T> through_schur(const DistMatrix<T>& A, F f_t) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const Grid& g = A.grid();
  auto [Tm, Z] = schur(A);
  M t = to_eigen(Tm, 0), r;
  detail::collectively(g.comm(), [&] {
    if (g.rank() == 0) f_t(t, r);
  });
  const DistMatrix<T> Ft = from_eigen(g, r, 0, Tm.block());
  return matmul(matmul(Z, Ft), adjoint(Z));
}

// The principal square root through the complex Schur form (scipy's route), for the
// spectra Denman-Beavers cannot take: eigenvalues on or within 100 n eps of the negative
// real axis take the branch sqrt_triangular describes. Complex types only: a real matrix
// with negative eigenvalues has a complex root.
template <class T>
DistMatrix<T> sqrtm_schur(const DistMatrix<T>& A) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const real_t<T> axis = 100 * static_cast<real_t<T>>(A.rows()) * eps_of<T>();
  return through_schur(A, [&](const M& t, M& r) {
    if (!sqrt_triangular(t, r, axis))
      throw LinAlgError(
          "sqrtm: A is singular and has no square root (its Schur form needs r_ii + r_jj = 0 with a nonzero "
          "entry)");
  });
}

}  // namespace

template <class T>
DistMatrix<T> sqrtm(const DistMatrix<T>& A, FunmOptions opts) {
  using R = real_t<T>;
  detail::check_one(A, "sqrtm", true, opts.check_finite);
  FunmReport scratch;
  FunmReport& rep = report_of(opts, scratch);
  rep.method = "denman_beavers";
  if (A.rows() == 0) return A.copy();
  if (nearly_hermitian(A))
    return hermitian_route(A, rep, [&](R w, R big) -> T {
      if (w >= -static_cast<R>(A.rows()) * eps_of<T>() * big) return T(std::sqrt(std::max(w, R(0))));
      if constexpr (is_complex_v<T>) return std::sqrt(T(w));
      throw LinAlgError("sqrtm: A is symmetric with a negative eigenvalue (" + std::to_string(w) +
                        "): its square root is complex; pass A as a complex matrix");
    });
  if constexpr (is_complex_v<T>) {
    // Denman-Beavers first (products and inverses only). An eigenvalue at angle pi - d
    // from the positive axis costs it about log2(1/d) steps; beyond sqrtm_db_fast_steps
    // the spectrum is taken to touch the negative real axis, where rounding, not A,
    // would pick its root. Then, and where it refuses, or where its root misses Higham's
    // residual ||X^2 - A||_F / ||X||_F^2 <= 1000 n eps, the Schur route.
    try {
      DistMatrix<T> X = sqrtm_db(A, rep.iterations, sqrtm_db_fast_steps);
      const DistMatrix<T> X2 = matmul(X, X);
      const double xn = static_cast<double>(norm(X, Norm::fro));
      const double res = static_cast<double>(norm(X2 - A, Norm::fro));
      if (res <= 1000.0 * static_cast<double>(A.rows()) * static_cast<double>(eps_of<T>()) * xn * xn) return X;
      rep.fallback = "Denman-Beavers' root missed the residual bound ||X^2 - A||_F <= 1000 n eps ||X||_F^2";
    } catch (const LinAlgError& e) {
      rep.fallback = e.what();
    }
    rep.method = "schur";
    return sqrtm_schur(A);
  } else {
    return sqrtm_db(A, rep.iterations);
  }
}

namespace {

// m-point Gauss-Legendre nodes and weights on (0, 1), from the Jacobi matrix (Golub-Welsch).
std::pair<std::vector<double>, std::vector<double>> gauss_legendre01(int m) {
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(m, m);
  for (int k = 1; k < m; ++k) J(k, k - 1) = J(k - 1, k) = k / std::sqrt(4.0 * k * k - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(J);
  std::vector<double> x(static_cast<std::size_t>(m)), w(static_cast<std::size_t>(m));
  for (int k = 0; k < m; ++k) {
    x[static_cast<std::size_t>(k)] = (es.eigenvalues()(k) + 1) / 2;
    w[static_cast<std::size_t>(k)] = es.eigenvectors()(0, k) * es.eigenvectors()(0, k);  // sums to 1 on (0, 1)
  }
  return {x, w};
}

// theta_m, m = 6..12: the largest ||X|| for which the m-point Gauss-Legendre rule (the [m/m]
// Pade approximant of log(1 + x)) meets unit roundoff in double, relative to |log(1 - x)|,
// by Kenney and Laub's bound |r_m(-x) - log(1 - x)| (evaluated to 50 digits; rounded down).
constexpr std::array<double, 7> log_theta = {0.165, 0.245, 0.325, 0.399, 0.466, 0.526, 0.578};

// The fewest Gauss-Legendre points for ||X||_1 = dist, or 0 beyond theta_12 (another root).
// Stopping the roots at theta_12 instead of 1/4 saves one square root (4-8 Denman-Beavers
// steps) for at most 4 more solves.
int log_points(double dist) {
  for (std::size_t i = 0; i < log_theta.size(); ++i)
    if (dist <= log_theta[i]) return 6 + static_cast<int>(i);
  return 0;
}

// Inverse scaling and squaring without a Schur form: A^(1/2^k) close to I by Denman-Beavers
// roots (each at most db_steps steps), then log(I + X) by Gauss-Legendre, times 2^k.
template <class T>
DistMatrix<T> logm_iss(const DistMatrix<T>& A, FunmReport& rep, int db_steps) {
  using R = real_t<T>;
  const std::int64_t n = A.rows();
  DistMatrix<T> S = detail::working_copy(A);
  int k = 0, points = 0;
  for (;; ++k) {
    DistMatrix<T> X = S.copy();
    add_identity(X, T(-1));
    points = log_points(static_cast<double>(norm(X, Norm::one)));
    if (points > 0) break;
    if (k == 60)
      throw NoConvergence(
          "logm: 60 square roots did not bring A near I: A has eigenvalues on or near the closed "
          "negative real axis");
    S = sqrtm_db(S, rep.iterations, db_steps);
    rep.squarings = k + 1;
  }
  add_identity(S, T(-1));  // S is now X = A^(1/2^k) - I
  const auto [x, w] = gauss_legendre01(points);
  rep.degree = points;
  DistMatrix<T> L = zeros<T>(S.grid(), n, n, S.block());
  const DistMatrix<T> I = identity<T>(S.grid(), n, S.block());
  for (std::size_t j = 0; j < x.size(); ++j) {
    DistMatrix<T> M = I.copy();  // I + x_j X
    axpy(T(x[j]), S, M);
    axpy(T(w[j]), solve(M, S, {.check_finite = false}), L);  // w_j (I + x_j X)^-1 X
  }
  L *= T(std::ldexp(R(1), k));
  return L;
}

// The principal logarithm through the complex Schur form A = Z T Z^H, scipy's route: inverse
// scaling and squaring on the triangular T on rank 0 (square roots by sqrt_triangular until
// ||R - I||_1 <= theta_12, the Gauss-Legendre approximant by triangular solves, times 2^k).
// Eigenvalues on or within 100 n eps of the negative real axis take log|t| + i pi, the
// branch of sqrt_triangular (scipy's for a real matrix's negative eigenvalues). A zero
// eigenvalue raises LinAlgError. Complex types.
template <class T>
DistMatrix<T> logm_schur(const DistMatrix<T>& A, FunmReport& rep) {
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using R = real_t<T>;
  const std::int64_t n = A.rows();
  const R axis = 100 * static_cast<R>(n) * eps_of<T>();
  int kp[2] = {0, 0};  // square roots, Gauss-Legendre points (decided on rank 0)
  int &k = kp[0], &points = kp[1];
  DistMatrix<T> L = through_schur(A, [&](const M& t, M& out) {
    for (std::int64_t i = 0; i < n; ++i)
      if (t(i, i) == T(0)) throw LinAlgError("logm: A is singular (a zero eigenvalue): its logarithm is not defined");
    const M I = M::Identity(n, n);
    M s = t, r;
    for (;; ++k) {
      points = log_points(static_cast<double>((s - I).cwiseAbs().colwise().sum().maxCoeff()));
      if (points > 0) break;
      if (k == 60) throw NoConvergence("logm: 60 square roots of the Schur form did not bring it near I");
      sqrt_triangular(s, r, axis);  // T has no zero eigenvalue: the root exists
      s.swap(r);
    }
    const M x = s - I;
    const auto [nodes, weights] = gauss_legendre01(points);
    out = M::Zero(n, n);
    for (std::size_t j = 0; j < nodes.size(); ++j) {
      const M m = I + T(R(nodes[j])) * x;
      out += T(R(weights[j])) * m.template triangularView<Eigen::Upper>().solve(x);
    }
    out *= T(std::ldexp(R(1), k));
  });
  MPI_Bcast(kp, 2, MPI_INT, 0, A.grid().comm());
  rep.squarings = k;
  rep.degree = points;
  return L;
}

}  // namespace

template <class T>
DistMatrix<T> logm(const DistMatrix<T>& A, FunmOptions opts) {
  using R = real_t<T>;
  detail::check_one(A, "logm", true, opts.check_finite);
  FunmReport scratch;
  FunmReport& rep = report_of(opts, scratch);
  rep.method = "inverse_scaling_squaring";
  const std::int64_t n = A.rows();
  if (n == 0) return A.copy();
  if (nearly_hermitian(A))
    return hermitian_route(A, rep, [&](R w, R big) -> T {
      if (w > static_cast<R>(n) * eps_of<T>() * big) return T(std::log(w));
      if constexpr (is_complex_v<T>)
        if (w != 0) return std::log(T(w));
      throw LinAlgError("logm: A is Hermitian with an eigenvalue " + std::to_string(w) +
                        (w == 0 || is_complex_v<T> ? " (singular): its logarithm is not defined"
                                                   : " <= 0: its logarithm is complex; pass A as a complex matrix"));
    });
  if constexpr (is_complex_v<T>) {
    // As sqrtm: where Denman-Beavers refuses or is slow (the spectrum touches the negative
    // real axis), the complex Schur form.
    try {
      return logm_iss(A, rep, sqrtm_db_fast_steps);
    } catch (const LinAlgError& e) {
      const std::string why = e.what();
      rep = FunmReport{};
      rep.method = "schur";
      rep.fallback = why;
      return logm_schur(A, rep);
    }
  } else {
    return logm_iss(A, rep, 64);
  }
}

template <class T>
DistMatrix<T> signm(const DistMatrix<T>& A, FunmOptions opts) {
  using R = real_t<T>;
  detail::check_one(A, "signm", true, opts.check_finite);
  FunmReport scratch;
  FunmReport& rep = report_of(opts, scratch);
  rep.method = "newton";
  const std::int64_t n = A.rows();
  if (n == 0) return A.copy();
  if (nearly_hermitian(A))
    return hermitian_route(A, rep, [&](R w, R big) -> T {
      if (std::abs(w) <= static_cast<R>(n) * eps_of<T>() * big)
        throw LinAlgError("signm: A has an eigenvalue " + std::to_string(w) +
                          " within rounding of zero: its sign is not defined");
      return T(w > 0 ? 1 : -1);
    });
  DistMatrix<T> X = detail::working_copy(A);
  const R tol = static_cast<R>(n) * eps_of<T>();
  bool scale = true, last = false;
  for (int it = 0; it < 100; ++it) {
    ++rep.iterations;
    double logdet = 0;
    std::optional<DistMatrix<T>> inverse = inverse_logdet(X, logdet, "signm");
    if (!inverse)
      throw LinAlgError(
          "signm: a Newton step is singular: A has an eigenvalue on the imaginary axis, where the "
          "sign is not defined");
    R mu = 1;
    if (scale) {
      mu = static_cast<R>(std::exp(-logdet / static_cast<double>(n)));
      if (!std::isfinite(mu)) mu = 1;
    }
    DistMatrix<T> Xn = std::move(*inverse);  // X^-1
    Xn *= T(1 / (2 * mu));
    axpy(T(mu / 2), X, Xn);
    DistMatrix<T> D = Xn - X;
    const R change = norm(D, Norm::one), size = norm(Xn, Norm::one);
    if (!std::isfinite(change))
      throw LinAlgError("signm: the Newton iteration overflowed: A has an eigenvalue on or near the imaginary axis");
    X = std::move(Xn);
    if (change <= tol * size || last) return X;  // one more step after sqrt(tol), as in sqrtm
    last = change <= std::sqrt(tol) * size;
    if (change <= R(1e-2) * size) scale = false;
  }
  throw NoConvergence(
      "signm: the Newton iteration did not converge in 100 steps: A has eigenvalues on or near "
      "the imaginary axis");
}

const char* polar_method_name(PolarMethod m) noexcept {
  switch (m) {
    case PolarMethod::automatic:
      return "automatic";
    case PolarMethod::qdwh:
      return "qdwh";
    case PolarMethod::svd:
      return "svd";
  }
  return "unknown";
}

namespace {

// The weights (a, b, c) of QDWH's step for the lower bound l on the smallest singular
// value of the current iterate (Nakatsukasa, Bai & Gygi 2010, eq. 3.13 and 3.14).
struct QdwhWeights {
  double a, b, c;
};
QdwhWeights qdwh_weights(double l) {
  const double l2 = l * l;
  const double d = std::cbrt(std::max(0.0, 4 * (1 - l2) / (l2 * l2)));
  const double sd = std::sqrt(1 + d);
  const double a = sd + 0.5 * std::sqrt(std::max(0.0, 8 - 4 * d + 8 * (2 - l2) / (l2 * sd)));
  const double b = (a - 1) * (a - 1) / 4;
  return {a, b, a + b - 1};
}

// The unitary polar factor of the square, nonsingular A by QDWH, or std::nullopt with why.
template <class T>
std::optional<DistMatrix<T>> qdwh_unitary(const DistMatrix<T>& A, PolarResult<T>& r, std::string* why) {
  using R = real_t<T>;
  const Grid& g = A.grid();
  const std::int64_t n = A.rows();
  const double eps = static_cast<double>(std::numeric_limits<R>::epsilon());
  const double alpha = static_cast<double>(norm(A, Norm::fro));  // >= ||A||_2
  if (!(alpha > 0)) {
    *why = "A is zero";
    return std::nullopt;
  }
  DistMatrix<T> X = A.copy();
  X *= T(R(1 / alpha));
  // sigma_min(X) = 1 / ||X^-1||_2 >= 1 / ||X^-1||_F: a lower bound, as the iteration needs.
  // It is never below 1 / (sqrt(n) ||X^-1||_1), the papers' choice, and usually far above
  // it (the smallest singular values dominate ||X^-1||_F). In tartan-bench at n = 1000 it
  // saved a QR-based step (random A) and a step (cond 1e8); at n = 2000 the steps stayed.
  double l = 0;
  try {
    l = 1.0 / static_cast<double>(norm(detail::inv_impl(X, false, "polar"), Norm::fro));
  } catch (const SingularMatrix&) {
    *why = "A is singular (QDWH needs full rank)";
    return std::nullopt;
  }
  if (!(l > 0) || !std::isfinite(l)) {
    *why = "the estimate of the smallest singular value was not positive";
    return std::nullopt;
  }
  l = std::min(l, 1.0);
  const double tol = std::cbrt(5 * eps);
  const Block b = X.block();
  for (int k = 0; k < 20; ++k) {
    const QdwhWeights w = qdwh_weights(l);
    DistMatrix<T> Xn = X.copy();
    Xn *= T(R(w.b / w.c));
    if (w.c > 100) {  // QR-based: [sqrt(c) X; I] = [Q1; Q2] R, X := b/c X + (a - b/c)/sqrt(c) Q1 Q2^H
      DistMatrix<T> S = zeros<T>(g, 2 * n, n, b);
      DistMatrix<T> Xs = X.copy();
      Xs *= T(R(std::sqrt(w.c)));
      assign<T>(S.view(0, 0, n, n), Xs);
      assign<T>(S.view(n, 0, n, n), identity<T>(g, n, b));
      Xs = DistMatrix<T>(g, 0, 0, b);
      auto q = qr(std::move(S), {.mode = QrMode::reduced, .check_finite = false, .method = QrMethod::householder}).q;
      gemm(T(R((w.a - w.b / w.c) / std::sqrt(w.c))), copy<T>(std::as_const(q).view(0, 0, n, n)), Op::none,
           copy<T>(std::as_const(q).view(n, 0, n, n)), Op::adjoint, T(1), Xn);
      ++r.qr_iterations;
    } else {  // Cholesky-based: Z = I + c X^H X, X := b/c X + (a - b/c) X Z^-1
      DistMatrix<T> Z = identity<T>(g, n, b);
      herk(R(w.c), X, Op::adjoint, R(1), Z, true);
      DistMatrix<T> Y =
          solve(Z, adjoint(X), {.assume = Structure::positive_definite, .lower = true, .check_finite = false});
      axpy(T(R(w.a - w.b / w.c)), adjoint(Y), Xn);
    }
    const double change = static_cast<double>(norm(Xn - X, Norm::fro));
    X = std::move(Xn);
    l = std::min(1.0, l * (w.a + w.b * l * l) / (1 + w.c * l * l));
    ++r.iterations;
    if (!std::isfinite(change)) {
      *why = "the iteration overflowed";
      return std::nullopt;
    }
    if (change <= tol && std::abs(1 - l) <= 10 * eps) return X;
  }
  *why = "no convergence in 20 steps";
  return std::nullopt;
}

}  // namespace

template <class T>
PolarResult<T> polar(const DistMatrix<T>& A, PolarOptions opts) {
  const detail::watchdog::Scope watch("polar", [&] { return detail::watchdog::describe(A); });
  detail::check_one(A, "polar", false, opts.check_finite);
  const std::int64_t m = A.rows(), n = A.cols();
  PolarResult<T> r{DistMatrix<T>(A.grid(), 0, 0), DistMatrix<T>(A.grid(), 0, 0)};
  std::optional<DistMatrix<T>> u;
  if (opts.method == PolarMethod::qdwh && std::min(m, n) > 0) {
    // The square problem: A itself, the R of A's QR (tall), or of A^H's (wide).
    const bool wide = m<n, tall = std::max(m, n)> std::min(m, n);
    DistMatrix<T> B = wide ? adjoint(A) : A.copy();
    DistMatrix<T> Q(A.grid(), 0, 0);
    if (tall) {
      auto f = qr(std::move(B), {.check_finite = false, .method = QrMethod::householder});
      Q = std::move(f.q);
      B = std::move(f.r);
    }
    u = qdwh_unitary(B, r, &r.fallback);
    if (u && tall) u = matmul(Q, *u);
    if (u && wide) u = adjoint(*u);
  }
  if (u) {
    r.method = PolarMethod::qdwh;
    r.u = std::move(*u);
    DistMatrix<T> p = opts.side == PolarSide::right ? matmul(adjoint(r.u), A) : matmul(A, adjoint(r.u));
    DistMatrix<T> ph = adjoint(p);
    axpy(T(1), ph, p);  // exactly Hermitian: (P + P^H) / 2
    p *= T(real_t<T>(0.5));
    r.p = std::move(p);
    return r;
  }
  auto s = detail::svd_impl(A, false, false, "polar");
  const std::vector<T> sv(s.s.begin(), s.s.end());
  r.method = PolarMethod::svd;
  r.u = matmul(s.u, s.vh);
  r.p = opts.side == PolarSide::right ? compose_eigen(adjoint(s.vh), sv) : compose_eigen(s.u, sv);
  return r;
}

#define TARTAN_INSTANTIATE_EST(T) \
  template double detail::onenormest_product<T>(const std::vector<const DistMatrix<T>*>&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE_EST)
#undef TARTAN_INSTANTIATE_EST

#define TARTAN_INSTANTIATE(T)                                                                                \
  template DistMatrix<T> expm<T>(const DistMatrix<T>&, FunmOptions);                                         \
  template DistMatrix<T> matrix_power<T>(const DistMatrix<T>&, std::int64_t);                                \
  template DistMatrix<T> multi_dot<T>(const std::vector<const DistMatrix<T>*>&);                             \
  template DistMatrix<T> compose_eigen<T>(const DistMatrix<T>&, const std::vector<T>&);                      \
  template DistMatrix<T> funm_hermitian<T>(const DistMatrix<T>&, const std::function<real_t<T>(real_t<T>)>&, \
                                           FunmOptions);                                                     \
  template DistMatrix<T> sqrtm<T>(const DistMatrix<T>&, FunmOptions);                                        \
  template DistMatrix<T> logm<T>(const DistMatrix<T>&, FunmOptions);                                         \
  template DistMatrix<T> signm<T>(const DistMatrix<T>&, FunmOptions);                                        \
  template PolarResult<T> polar<T>(const DistMatrix<T>&, PolarOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
