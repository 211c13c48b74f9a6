// eig, eigvals, schur, schur_complex and hessenberg: balancing, the Hessenberg and Schur
// kernels (kernels/schur.hpp), the replicated Schur form's fix-ups and eigenvectors.

#include "tartan/linalg/eig.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "bindings/nonsymmetric.hpp"
#include "bindings/reports.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"
#include "core/watchdog.hpp"
#include "kernels/schur.hpp"
#include "linalg/common.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace {

using detail::complex_of;

// pdhseqr and p?lahqr refuse blocks below 6.
constexpr std::int64_t min_schur_block = 6;

template <class T>
Block schur_block(const DistMatrix<T>& A) {
  const std::int64_t nb = std::max<std::int64_t>(A.block().nb, min_schur_block);
  return Block{nb, nb};
}

// True when the problem runs in LAPACK on one process: one process, one block, or fewer
// rows than processes.
template <class T>
bool serial(const DistMatrix<T>& A) {
  return detail::on_one_process(A.rows(), A.cols(), schur_block(A), A.grid().size());
}

template <class T>
void check_input(const DistMatrix<T>& A, const char* func) {
  // Always on: a NaN makes pdhseqr iterate for ever.
  detail::check_one(A, func, true, true);
}

// A result in the layout every linalg result has (A's grid, square blocks of the working
// block size, source (0, 0)).
template <class U>
DistMatrix<U> to_result_layout(DistMatrix<U>&& X, const Grid& g) {
  if (X.grid() == g) return std::move(X);
  return redistribute(X, g, X.block(), Source{});
}

// Rank 0's INFO of a LAPACK call made inside collectively(), agreed; NoConvergence for > 0.
void agree_serial_info(const Grid& g, int info, const char* func, const char* routine, const std::string& what) {
  MPI_Bcast(&info, 1, MPI_INT, 0, g.comm());
  detail::agreed_info(g, g.rank() == 0 ? info : 0, func, routine, what);
  if (info > 0)
    throw NoConvergence(std::string(func) + ": the QR algorithm (" + routine +
                        ") did not converge (INFO = " + std::to_string(info) + ")");
}

template <class R>
void bcast_values(std::vector<std::complex<R>>& w, std::int64_t n, const Grid& g) {
  w.resize(static_cast<std::size_t>(n));
  if (n > 0) MPI_Bcast(w.data(), static_cast<int>(n), detail::mpi_type<std::complex<R>>(), 0, g.comm());
}

// ---------------------------------------------------------------------------------------
// Balancing: W := D^-1 W D with D a diagonal of powers of 2 (exact), so that each row and
// column pair has comparable norms, as LAPACK's ?gebal does for ?geev. pdgebal deadlocks on
// graded matrices (its ranks branch on pivot searches only some of them hold), so this is
// Tartan's own: all row and column norms from one reduction per sweep, every index scaled
// at once (LAPACK updates one index at a time), at most 20 sweeps. Returns D.
template <class T>
std::vector<real_t<T>> balance(DistMatrix<T>& W) {
  using R = real_t<T>;
  const std::int64_t n = W.rows();
  std::vector<R> d(static_cast<std::size_t>(n), R(1));
  if (n <= 1) return d;
  const double sfmin =
      static_cast<double>(std::numeric_limits<R>::min()) / static_cast<double>(std::numeric_limits<R>::epsilon());
  const double sfmax = 1.0 / sfmin;
  std::vector<double> sums(2 * static_cast<std::size_t>(n));
  std::vector<R> f(static_cast<std::size_t>(n));
  for (int sweep = 0; sweep < 20; ++sweep) {
    std::fill(sums.begin(), sums.end(), 0.0);
    W.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
      if (i == j) return;
      const double a = static_cast<double>(std::norm(x));
      sums[static_cast<std::size_t>(j)] += a;      // column j
      sums[static_cast<std::size_t>(n + i)] += a;  // row i
    });
    MPI_Allreduce(MPI_IN_PLACE, sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, MPI_SUM, W.grid().comm());
    bool changed = false;
    for (std::int64_t i = 0; i < n; ++i) {
      double c = std::sqrt(sums[static_cast<std::size_t>(i)]), r = std::sqrt(sums[static_cast<std::size_t>(n + i)]);
      f[static_cast<std::size_t>(i)] = R(1);
      if (c == 0 || r == 0) continue;
      const double s = c + r;
      double scale = 1;
      while (c < r / 2 && scale < sfmax && c < sfmax / 2 && r > 2 * sfmin) {
        scale *= 2;
        c *= 2;
        r /= 2;
      }
      while (c / 2 >= r && scale > sfmin && r < sfmax / 2 && c > 2 * sfmin) {
        scale /= 2;
        c /= 2;
        r *= 2;
      }
      if (c + r >= 0.95 * s) continue;
      const double total = static_cast<double>(d[static_cast<std::size_t>(i)]) * scale;
      if (total <= sfmin || total >= sfmax) continue;
      f[static_cast<std::size_t>(i)] = static_cast<R>(scale);
      d[static_cast<std::size_t>(i)] = static_cast<R>(total);
      changed = true;
    }
    if (!changed) break;
    // Column j times f_j, row i divided by f_i.
    W.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
      x = x * (f[static_cast<std::size_t>(j)] / f[static_cast<std::size_t>(i)]);
    });
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// The replicated Schur form and its fix-ups.

// All of W on every rank, column-major, after agreeing that n^2 fits on each.
template <class T>
std::vector<T> replicate(const DistMatrix<T>& W, const char* func) {
  const std::int64_t n = W.rows();
  std::vector<T> t;
  detail::agreed_allocation(W.grid(), static_cast<std::int64_t>(sizeof(T)) * n * n * 2,
                            std::string(func) + ": the Schur form replicated on every rank", true,
                            [&] { t.resize(static_cast<std::size_t>(n * n)); });
  auto e = to_eigen(W, 0);
  if (W.grid().rank() == 0) std::copy(e.data(), e.data() + e.size(), t.begin());
  const std::int64_t chunk = std::int64_t(1) << 28;
  for (std::int64_t off = 0; off < n * n; off += chunk)
    MPI_Bcast(t.data() + off, static_cast<int>(std::min(chunk, n * n - off)), detail::mpi_type<T>(), 0,
              W.grid().comm());
  return t;
}

// A plane rotation of columns (k, k+1): [z_k, z_k+1] := [z_k, z_k+1] G with
// G = [c, -conj(s); s, conj(c)] (unitary; for real types [c -s; s c]).
template <class U>
struct Rotation {
  std::int64_t k;
  U c, s;
};

template <class U>
U conj_of(U x) {
  if constexpr (is_complex_v<U>)
    return std::conj(x);
  else
    return x;
}

// t := G^H t G for the rotation r of the n x n column-major t.
template <class U>
void rotate_similar(std::vector<U>& t, std::int64_t n, const Rotation<U>& r) {
  const std::int64_t k = r.k;
  auto at = [&](std::int64_t i, std::int64_t j) -> U& { return t[static_cast<std::size_t>(i + j * n)]; };
  const U c = r.c, s = r.s, cc = conj_of(c), cs = conj_of(s);
  for (std::int64_t j = 0; j < n; ++j) {  // rows: G^H [x; y] = [conj(c) x + conj(s) y; -s x + c y]
    const U x = at(k, j), y = at(k + 1, j);
    at(k, j) = cc * x + cs * y;
    at(k + 1, j) = -s * x + c * y;
  }
  for (std::int64_t i = 0; i < n; ++i) {  // columns: [x, y] G = [c x + s y, -conj(s) x + conj(c) y]
    const U x = at(i, k), y = at(i, k + 1);
    at(i, k) = c * x + s * y;
    at(i, k + 1) = -cs * x + cc * y;
  }
}

// Z := Z G for disjoint rotations (one product with the sparse unitary G).
template <class U>
void rotate_columns(DistMatrix<U>& Z, const std::vector<Rotation<U>>& rots) {
  if (rots.empty()) return;
  const std::int64_t n = Z.cols();
  std::vector<std::int64_t> where(static_cast<std::size_t>(n), -1);
  for (std::size_t r = 0; r < rots.size(); ++r) where[static_cast<std::size_t>(rots[r].k)] = std::int64_t(r);
  DistMatrix<U> G(Z.grid(), n, n, Z.block(), Z.source());
  auto rot = [&](std::int64_t k) -> const Rotation<U>* {
    if (k < 0 || k >= n || where[static_cast<std::size_t>(k)] < 0) return nullptr;
    return &rots[static_cast<std::size_t>(where[static_cast<std::size_t>(k)])];
  };
  G.for_each_local([&](std::int64_t i, std::int64_t j, U& g) {
    g = U(i == j ? 1 : 0);
    if (i == j) {
      if (const auto* r = rot(j))
        g = r->c;
      else if (const auto* r1 = rot(j - 1))
        g = conj_of(r1->c);
    } else if (i == j + 1) {
      if (const auto* r = rot(j)) g = r->s;
    } else if (j == i + 1) {
      if (const auto* r = rot(i)) g = -conj_of(r->s);
    }
  });
  Z = matmul(Z, G);
}

// Puts every 2 x 2 block of the real quasi-triangular t in standard form (equal diagonal,
// off-diagonals of opposite signs; a block with real eigenvalues is split), as ?trevc3
// assumes: pdhseqr returns some that are not. Returns the rotations to apply to Z.
template <class T>
std::vector<Rotation<T>> standardize(std::vector<T>& t, std::int64_t n) {
  std::vector<Rotation<T>> rots;
  auto at = [&](std::int64_t i, std::int64_t j) -> T& { return t[static_cast<std::size_t>(i + j * n)]; };
  for (std::int64_t k = 0; k + 1 < n; ++k) {
    if (at(k + 1, k) == T(0)) continue;
    const bool standard = at(k, k) == at(k + 1, k + 1) && at(k, k + 1) * at(k + 1, k) < T(0);
    if (!standard) {
      T a = at(k, k), b = at(k, k + 1), c = at(k + 1, k), d = at(k + 1, k + 1), cs = 1, sn = 0;
      detail::lapack::raw::lanv2(a, b, c, d, cs, sn);
      // [a b; c d]_old = [cs -sn; sn cs] [a b; c d]_new [cs sn; -sn cs]: G = [cs -sn; sn cs].
      const Rotation<T> r{k, cs, sn};
      rotate_similar(t, n, r);
      at(k, k) = a;
      at(k, k + 1) = b;
      at(k + 1, k) = c;
      at(k + 1, k + 1) = d;
      rots.push_back(r);
    }
    if (at(k + 1, k) != T(0)) ++k;  // a complex pair: skip its second row
  }
  return rots;
}

// The eigenvalues of the standardized quasi-triangular (real) or triangular t.
template <class T>
std::vector<complex_of<T>> diagonal_values(const std::vector<T>& t, std::int64_t n) {
  using R = real_t<T>;
  std::vector<complex_of<T>> w(static_cast<std::size_t>(n));
  auto at = [&](std::int64_t i, std::int64_t j) { return t[static_cast<std::size_t>(i + j * n)]; };
  for (std::int64_t k = 0; k < n; ++k) {
    if constexpr (!is_complex_v<T>) {
      if (k + 1 < n && at(k + 1, k) != T(0)) {
        const R im = std::sqrt(std::abs(at(k, k + 1))) * std::sqrt(std::abs(at(k + 1, k)));
        w[static_cast<std::size_t>(k)] = {at(k, k), im};
        w[static_cast<std::size_t>(k + 1)] = {at(k, k), -im};
        ++k;
        continue;
      }
    }
    w[static_cast<std::size_t>(k)] = complex_of<T>(at(k, k));
  }
  return w;
}

// Makes the complex t upper triangular where a 2 x 2 block remains (the complex form of a
// real pair, or a block p?lahqr left): a unitary rotation whose first column is an
// eigenvector of the block. Returns the rotations.
template <class C>
std::vector<Rotation<C>> triangularize(std::vector<C>& t, std::int64_t n) {
  using R = real_t<C>;
  std::vector<Rotation<C>> rots;
  auto at = [&](std::int64_t i, std::int64_t j) -> C& { return t[static_cast<std::size_t>(i + j * n)]; };
  for (std::int64_t k = 0; k + 1 < n; ++k) {
    const C c = at(k + 1, k);
    if (c == C(0)) continue;
    const C a = at(k, k), b = at(k, k + 1), d = at(k + 1, k + 1);
    const C half = (a - d) / R(2);
    C root = std::sqrt(half * half + b * c);
    if (std::imag(root) < 0 || (std::imag(root) == 0 && std::real(root) < 0)) root = -root;
    const C lambda = (a + d) / R(2) + root;  // the eigenvalue with the larger imaginary part first
    C u1 = lambda - d, u2 = c;
    const R norm = std::hypot(std::abs(u1), std::abs(u2));
    u1 /= norm;
    u2 /= norm;
    const Rotation<C> r{k, u1, u2};
    rotate_similar(t, n, r);
    at(k + 1, k) = C(0);
    rots.push_back(r);
    ++k;
  }
  return rots;
}

// Unit 2-norm columns whose largest component is real and positive, as LAPACK's ?geev.
template <class C>
void normalize_columns(DistMatrix<C>& V) {
  const std::int64_t n = V.cols();
  std::vector<double> sq(static_cast<std::size_t>(n), 0.0);
  struct MaxLoc {
    double v;
    int i;
  };
  std::vector<MaxLoc> big(static_cast<std::size_t>(n), MaxLoc{-1.0, 0});
  V.for_each_local([&](std::int64_t i, std::int64_t j, C& x) {
    const double a = static_cast<double>(std::norm(x));
    sq[static_cast<std::size_t>(j)] += a;
    auto& b = big[static_cast<std::size_t>(j)];
    if (a > b.v || (a == b.v && i < b.i)) b = {a, static_cast<int>(i)};
  });
  MPI_Allreduce(MPI_IN_PLACE, sq.data(), static_cast<int>(n), MPI_DOUBLE, MPI_SUM, V.grid().comm());
  // MAXLOC keeps the smallest index: among equal moduli the first row wins, as LAPACK's.
  MPI_Allreduce(MPI_IN_PLACE, big.data(), static_cast<int>(n), MPI_DOUBLE_INT, MPI_MAXLOC, V.grid().comm());
  // The phase of each column's largest component, from the rank that holds it.
  std::vector<std::complex<double>> phase(static_cast<std::size_t>(n), 0.0);
  V.for_each_local([&](std::int64_t i, std::int64_t j, C& x) {
    if (big[static_cast<std::size_t>(j)].i == i) phase[static_cast<std::size_t>(j)] = std::complex<double>(x);
  });
  // One process holds each column's largest entry: the sum over the grid is that entry.
  std::vector<std::complex<double>> all(static_cast<std::size_t>(n));
  MPI_Allreduce(phase.data(), all.data(), static_cast<int>(n), MPI_C_DOUBLE_COMPLEX, MPI_SUM, V.grid().comm());
  V.for_each_local([&](std::int64_t, std::int64_t j, C& x) {
    const std::size_t jj = static_cast<std::size_t>(j);
    const double nrm = std::sqrt(sq[jj]);
    if (nrm == 0) return;
    const std::complex<double> p = all[jj];
    const double ap = std::abs(p);
    const std::complex<double> rot = ap > 0 ? std::conj(p) / ap : 1.0;
    x = C(std::complex<double>(x) * rot / nrm);
  });
}

// ---------------------------------------------------------------------------------------
// The one-process paths: LAPACK on rank 0 of A's grid, results scattered back.

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

template <class T>
EigResult<T> eig_serial(const DistMatrix<T>& A, bool vectors, const char* func) {
  using C = complex_of<T>;
  const Grid& g = A.grid();
  const std::int64_t n = A.rows();
  const int ni = static_cast<int>(n);
  Mat<T> a = to_eigen(A, 0);
  Mat<C> v;
  std::vector<C> w;
  int info = 0;
  {
    detail::ReportScope scope;
    detail::collectively(g.comm(), [&] {
      if (g.rank() != 0) return;
      Mat<T> vr(vectors ? n : 1, vectors ? n : 1);
      info = detail::geev_local(ni, a.data(), w, vectors ? vr.data() : nullptr);
      if (!vectors || info != 0) return;
      v.resize(n, n);
      if constexpr (is_complex_v<T>) {
        v = vr;
      } else {
        for (std::int64_t j = 0; j < n; ++j) {
          if (w[std::size_t(j)].imag() > 0 && j + 1 < n) {
            for (std::int64_t i = 0; i < n; ++i) {
              v(i, j) = C(vr(i, j), vr(i, j + 1));
              v(i, j + 1) = C(vr(i, j), -vr(i, j + 1));
            }
            ++j;
          } else {
            for (std::int64_t i = 0; i < n; ++i) v(i, j) = C(vr(i, j));
          }
        }
      }
    });
    agree_serial_info(g, info, func, "LAPACK ?geev", detail::describe(A));
  }
  bcast_values(w, n, g);
  EigResult<T> r{std::move(w), DistMatrix<C>(g, 0, 0)};
  if (vectors) r.v = from_eigen(g, v, 0, schur_block(A));
  return r;
}

template <class T>
SchurResult<T> schur_serial(const DistMatrix<T>& A, const char* func, std::vector<complex_of<T>>* values) {
  const Grid& g = A.grid();
  const std::int64_t n = A.rows();
  Mat<T> a = to_eigen(A, 0), z;
  std::vector<complex_of<T>> w;
  int info = 0;
  {
    detail::ReportScope scope;
    detail::collectively(g.comm(), [&] {
      if (g.rank() != 0) return;
      z.resize(n, n);
      info = detail::gees_local(static_cast<int>(n), a.data(), w, z.data());
    });
    agree_serial_info(g, info, func, "LAPACK ?gees", detail::describe(A));
  }
  if (values != nullptr) {
    bcast_values(w, n, g);
    *values = std::move(w);
  }
  return {from_eigen(g, a, 0, schur_block(A)), from_eigen(g, z, 0, schur_block(A))};
}

// ---------------------------------------------------------------------------------------
// The distributed paths.

// W (A on the Schur grid in the working layout), Q of its Hessenberg reduction when asked,
// and W reduced to H.
template <class T>
struct Reduced {
  DistMatrix<T> h, q;
  std::vector<real_t<T>> d;  // the balancing D (ones when not balanced)
};
template <class T>
Reduced<T> reduce(const DistMatrix<T>& A, bool balanced, bool calc_q, const char* func) {
  const Grid wg = detail::schur_grid(A.grid());
  DistMatrix<T> W = redistribute(A, wg, schur_block(A), Source{});
  std::vector<real_t<T>> d =
      balanced ? balance(W) : std::vector<real_t<T>>(static_cast<std::size_t>(A.rows()), real_t<T>(1));
  const std::vector<T> tau = detail::gehrd(W, func);
  DistMatrix<T> Q = calc_q ? detail::hessenberg_q(W, tau, func) : DistMatrix<T>(wg, 0, 0, W.block());
  detail::clear_below_subdiagonal(W);
  return {std::move(W), std::move(Q), std::move(d)};
}

// The eigenvectors from a Schur form on the working grid: T (H, replicated and fixed up),
// Z, the balancing d, the result moved to home.
template <class T>
EigResult<T> vectors_from_schur(DistMatrix<T>&& H, DistMatrix<T>&& Z, const std::vector<real_t<T>>& d, const Grid& home,
                                const char* func) {
  using C = complex_of<T>;
  const std::int64_t n = H.rows();
  std::vector<T> t = replicate(H, func);
  H = DistMatrix<T>(H.grid(), 0, 0, H.block());
  DistMatrix<C> V(Z.grid(), 0, 0, Z.block());
  std::vector<C> w;
  if constexpr (!is_complex_v<T>) {
    const auto rots = standardize(t, n);
    rotate_columns(Z, rots);
    w = diagonal_values(t, n);
    DistMatrix<T> Xr(Z.grid(), n, n, Z.block()), Xi(Z.grid(), n, n, Z.block());
    detail::triangular_eigenvectors(t, w, &Xr, &Xi, func);
    t = {};
    DistMatrix<T> Vr = matmul(Z, Xr);
    Xr = DistMatrix<T>(Z.grid(), 0, 0, Z.block());
    DistMatrix<T> Vi = matmul(Z, Xi);
    Xi = DistMatrix<T>(Z.grid(), 0, 0, Z.block());
    Z = DistMatrix<T>(Z.grid(), 0, 0, Z.block());
    V = DistMatrix<C>(Vr.grid(), n, n, Vr.block());
    const T* pr = Vr.data();
    const T* pi = Vi.data();
    const std::int64_t ld = Vr.lld();
    auto lv = V.local();
    for (std::int64_t jl = 0; jl < V.local_cols(); ++jl)
      for (std::int64_t il = 0; il < V.local_rows(); ++il) lv(il, jl) = C(pr[il + jl * ld], pi[il + jl * ld]);
  } else {
    const auto rots = triangularize(t, n);
    rotate_columns(Z, rots);
    w = diagonal_values(t, n);
    DistMatrix<T> X(Z.grid(), n, n, Z.block());
    detail::triangular_eigenvectors(t, w, &X, static_cast<DistMatrix<T>*>(nullptr), func);
    t = {};
    V = matmul(Z, X);
  }
  // Back to A's scaling: V := D V.
  V.for_each_local([&](std::int64_t i, std::int64_t, C& x) { x *= d[static_cast<std::size_t>(i)]; });
  normalize_columns(V);
  return {std::move(w), to_result_layout(std::move(V), home)};
}

template <class T>
EigResult<T> eig_dist(const DistMatrix<T>& A, bool vectors, const char* func) {
  using C = complex_of<T>;
  Reduced<T> red = reduce(A, true, vectors, func);
  detail::hqr(red.h, vectors ? &red.q : nullptr, func);
  if (!vectors) return {detail::schur_values(red.h), DistMatrix<C>(A.grid(), 0, 0)};
  return vectors_from_schur(std::move(red.h), std::move(red.q), red.d, A.grid(), func);
}

}  // namespace

template <class T>
EigResult<T> eig(const DistMatrix<T>& A) {
  const detail::watchdog::Scope watch("eig", [&] { return detail::watchdog::describe(A); });
  check_input(A, "eig");
  if (serial(A)) return eig_serial(A, true, "eig");
  return eig_dist(A, true, "eig");
}

template <class T>
EigResult<T> eig_from_schur(const DistMatrix<T>& T_, const DistMatrix<T>& Z) {
  const detail::watchdog::Scope watch("eig_from_schur", [&] { return detail::watchdog::describe(T_); });
  detail::check_one(T_, "eig_from_schur", true, true);
  detail::check_one(Z, "eig_from_schur", true, true);
  if (Z.rows() != T_.rows())
    throw InvalidArgument("eig_from_schur: T is " + std::to_string(T_.rows()) + "x" + std::to_string(T_.cols()) +
                          " and Z " + std::to_string(Z.rows()) + "x" + std::to_string(Z.cols()) +
                          ", expected the same order");
  detail::require_same_grid(T_.grid(), Z.grid(), "eig_from_schur", "T", "Z");
  const std::int64_t n = T_.rows();
  bool shape = true;
  T_.for_each_local([&](std::int64_t i, std::int64_t j, const T& x) { shape = shape && (i <= j + 1 || x == T(0)); });
  if (detail::any_rank(T_.grid().comm(), !shape))
    throw InvalidArgument("eig_from_schur: T has entries below its first subdiagonal: not a Schur form");
  const Grid wg = detail::schur_grid(T_.grid());
  const Block wb = schur_block(T_);
  return vectors_from_schur(redistribute(T_, wg, wb, Source{}), redistribute(Z, wg, wb, Source{}),
                            std::vector<real_t<T>>(static_cast<std::size_t>(n), real_t<T>(1)), T_.grid(),
                            "eig_from_schur");
}

template <class T>
std::vector<std::complex<real_t<T>>> eigvals(const DistMatrix<T>& A) {
  const detail::watchdog::Scope watch("eigvals", [&] { return detail::watchdog::describe(A); });
  check_input(A, "eigvals");
  if (serial(A)) return eig_serial(A, false, "eigvals").w;
  return eig_dist(A, false, "eigvals").w;
}

namespace {

// The Schur form on the distributed path, T replicated for the fix-ups.
template <class T>
SchurResult<T> schur_dist(const DistMatrix<T>& A, std::vector<T>& t, const char* func) {
  const std::int64_t n = A.rows();
  Reduced<T> red = reduce(A, false, true, func);
  detail::hqr(red.h, &red.q, func);
  t = replicate(red.h, func);
  if constexpr (!is_complex_v<T>)
    rotate_columns(red.q, standardize(t, n));
  else
    rotate_columns(red.q, triangularize(t, n));
  red.h.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = t[static_cast<std::size_t>(i + j * n)]; });
  return {std::move(red.h), std::move(red.q)};
}

}  // namespace

template <class T>
SchurResult<T> schur(const DistMatrix<T>& A) {
  const detail::watchdog::Scope watch("schur", [&] { return detail::watchdog::describe(A); });
  check_input(A, "schur");
  if (serial(A)) return schur_serial(A, "schur", nullptr);
  std::vector<T> t;
  SchurResult<T> s = schur_dist(A, t, "schur");
  return {to_result_layout(std::move(s.t), A.grid()), to_result_layout(std::move(s.z), A.grid())};
}

template <class T>
SchurResult<std::complex<real_t<T>>> schur_complex(const DistMatrix<T>& A) {
  using C = complex_of<T>;
  const detail::watchdog::Scope watch("schur", [&] { return detail::watchdog::describe(A); });
  check_input(A, "schur");
  if constexpr (is_complex_v<T>) {
    return schur(A);
  } else {
    const std::int64_t n = A.rows();
    std::vector<T> t;
    SchurResult<T> s = serial(A) ? schur_serial(A, "schur", nullptr) : schur_dist(A, t, "schur");
    if (t.empty() && n > 0) t = replicate(s.t, "schur");
    std::vector<C> tc(t.begin(), t.end());
    t = {};
    const auto rots = triangularize(tc, n);
    DistMatrix<C> Z = astype<C>(s.z);
    rotate_columns(Z, rots);
    DistMatrix<C> Tc(s.t.grid(), n, n, s.t.block(), s.t.source());
    Tc.for_each_local([&](std::int64_t i, std::int64_t j, C& x) { x = tc[static_cast<std::size_t>(i + j * n)]; });
    return {to_result_layout(std::move(Tc), A.grid()), to_result_layout(std::move(Z), A.grid())};
  }
}

template <class T>
HessenbergResult<T> hessenberg(const DistMatrix<T>& A, HessenbergOptions opts) {
  const detail::watchdog::Scope watch("hessenberg", [&] { return detail::watchdog::describe(A); });
  detail::check_one(A, "hessenberg", true, true);
  const Grid& g = A.grid();
  const std::int64_t n = A.rows();
  if (serial(A)) {
    Mat<T> a = to_eigen(A, 0), q;
    int info = 0;
    {
      detail::ReportScope scope;
      detail::collectively(g.comm(), [&] {
        if (g.rank() != 0) return;
        if (opts.calc_q) q.resize(n, n);
        info = detail::gehrd_local(static_cast<int>(n), a.data(), opts.calc_q ? q.data() : nullptr);
        for (std::int64_t j = 0; j < n; ++j)
          for (std::int64_t i = j + 2; i < n; ++i) a(i, j) = T(0);
      });
      agree_serial_info(g, info, "hessenberg", "LAPACK ?gehrd/?orghr", detail::describe(A));
    }
    HessenbergResult<T> r{from_eigen(g, a, 0, schur_block(A)), DistMatrix<T>(g, 0, 0)};
    if (opts.calc_q) r.q = from_eigen(g, q, 0, schur_block(A));
    return r;
  }
  Reduced<T> red = reduce(A, false, opts.calc_q, "hessenberg");
  HessenbergResult<T> r{to_result_layout(std::move(red.h), g), DistMatrix<T>(g, 0, 0)};
  if (opts.calc_q) r.q = to_result_layout(std::move(red.q), g);
  return r;
}

#define TARTAN_INSTANTIATE(T)                                                           \
  template EigResult<T> eig<T>(const DistMatrix<T>&);                                   \
  template EigResult<T> eig_from_schur<T>(const DistMatrix<T>&, const DistMatrix<T>&);  \
  template std::vector<std::complex<real_t<T>>> eigvals<T>(const DistMatrix<T>&);       \
  template SchurResult<T> schur<T>(const DistMatrix<T>&);                               \
  template SchurResult<std::complex<real_t<T>>> schur_complex<T>(const DistMatrix<T>&); \
  template HessenbergResult<T> hessenberg<T>(const DistMatrix<T>&, HessenbergOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
