// Nonsymmetric kernels: p?gehrd, p?ormhr/p?unmhr, pdhseqr/p?lahqr, ?trevc3 on the
// replicated Schur form, and the one-process LAPACK drivers.

#include "kernels/schur.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "bindings/nonsymmetric.hpp"
#include "bindings/reports.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "tartan/create.hpp"

namespace tartan::detail {

Grid schur_grid(const Grid& g) {
  const bool one_d = g.prows() == 1 || g.pcols() == 1;
  if (!one_d || g.size() <= 2) return g;
  const auto [p, q] = Grid::default_shape(g.size());
  if (p == 1) return g;  // a prime number of processes has no other shape
  return Grid(g.comm(), p, q);
}

template <class T>
std::vector<T> gehrd(DistMatrix<T>& W, const char* func) {
  std::vector<T> tau(tau_size(W));
  const int n = static_cast<int>(W.rows());
  if (n <= 1) return tau;
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::gehrd(n, 1, n, W.data(), W.descriptor().data(), tau.data(), w, lw, info);
      },
      func, "p?gehrd", describe(W));
  return tau;
}

template <class T>
DistMatrix<T> hessenberg_q(const DistMatrix<T>& W, const std::vector<T>& tau, const char* func) {
  DistMatrix<T> Q = identity<T>(W.grid(), W.rows(), W.block(), W.source());
  const int n = static_cast<int>(W.rows());
  if (n <= 2) return Q;
  call_with_workspace<T>(
      W.grid(),
      [&](T* w, int lw, int* info) {
        scalapack::unmhr('L', 'N', n, n, 1, n, W.data(), W.descriptor().data(), tau.data(), Q.data(),
                         Q.descriptor().data(), w, lw, info);
      },
      func, "p?ormhr/p?unmhr", describe(W));
  return Q;
}

template <class T>
void clear_below_subdiagonal(DistMatrix<T>& W) {
  W.for_each_local([](std::int64_t i, std::int64_t j, T& x) {
    if (i > j + 1) x = T(0);
  });
}

namespace {

[[noreturn]] void hqr_failed(const char* func, const char* routine, int info) {
  throw NoConvergence(std::string(func) + ": the QR algorithm (" + routine +
                      ") did not converge: " + std::to_string(info) + " eigenvalues were left uncomputed");
}

}  // namespace

template <class T>
std::vector<complex_of<T>> schur_values(const DistMatrix<T>& S) {
  using R = real_t<T>;
  using C = complex_of<T>;
  const std::int64_t n = S.rows();
  // The diagonal, subdiagonal and superdiagonal on every rank: one reduction of 3n numbers
  // (each entry is held by one process).
  std::vector<T> band(3 * static_cast<std::size_t>(n), T(0));
  S.for_each_local([&](std::int64_t i, std::int64_t j, const T& x) {
    if (i == j) band[static_cast<std::size_t>(i)] = x;
    if (i == j + 1) band[static_cast<std::size_t>(n + j)] = x;
    if (j == i + 1) band[static_cast<std::size_t>(2 * n + i)] = x;
  });
  MPI_Allreduce(MPI_IN_PLACE, band.data(), static_cast<int>(band.size()), mpi_type<T>(), MPI_SUM, S.grid().comm());
  const T* d = band.data();
  const T* sub = band.data() + n;
  const T* sup = band.data() + 2 * n;
  std::vector<C> w(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) {
    if (k + 1 < n && sub[k] != T(0)) {  // a 2 x 2 block
      if constexpr (!is_complex_v<T>) {
        T a = d[k], b = sup[k], c = sub[k], dd = d[k + 1], cs = 1, sn = 0;
        const auto e = lapack::raw::lanv2(a, b, c, dd, cs, sn);
        w[static_cast<std::size_t>(k)] = {e[0], e[1]};
        w[static_cast<std::size_t>(k + 1)] = {e[2], e[3]};
      } else {
        const C half = (d[k] - d[k + 1]) / R(2), mid = (d[k] + d[k + 1]) / R(2);
        const C root = std::sqrt(half * half + sup[k] * sub[k]);
        w[static_cast<std::size_t>(k)] = mid + root;
        w[static_cast<std::size_t>(k + 1)] = mid - root;
      }
      ++k;
      continue;
    }
    w[static_cast<std::size_t>(k)] = C(d[k]);
  }
  return w;
}

template <class T>
void hqr(DistMatrix<T>& H, DistMatrix<T>* Z, const char* func) {
  using R = real_t<T>;
  const Grid& g = H.grid();
  const int n = static_cast<int>(H.rows());
  if (n == 0) return;
  // H and Z each get their own descriptor array; without Z, H's storage with a copy of its
  // descriptor stands in (not referenced by the routines).
  const std::array<int, 9> dh = H.descriptor();
  const std::array<int, 9> dz = Z != nullptr ? Z->descriptor() : H.descriptor();
  T* z = Z != nullptr ? Z->data() : H.data();
  const std::string what = describe(H);
  if constexpr (!is_complex_v<T>) {
    const char job = 'S', compz = Z != nullptr ? 'V' : 'N';
    std::vector<R> wr(static_cast<std::size_t>(n)), wi(static_cast<std::size_t>(n));  // not used: see schur_values
    // pdhseqr's large-matrix algorithm (p?laqr0, beyond n = 220) never returned on a 1 x 3
    // grid (n = 300); its small-matrix one (p?laqr1) did. One row or column of more than two
    // processes, which schur_grid could not reshape (a prime count), gets p?laqr1 directly.
    const bool one_d = (g.prows() == 1 || g.pcols() == 1) && g.size() > 2;
    const char* routine = one_d ? "p?laqr1" : "p?hseqr";
    auto call = [&](T* work, int lwork, int* iwork, int liwork, int* inf) {
      if (one_d)
        scalapack::laqr1(Z != nullptr, n, H.data(), dh.data(), wr.data(), wi.data(), z, dz.data(), work, lwork, iwork,
                         liwork, inf);
      else
        scalapack::hseqr(job, compz, n, H.data(), dh.data(), wr.data(), wi.data(), z, dz.data(), work, lwork, iwork,
                         liwork, inf);
    };
    // The query itself writes IWORK beyond element 1 (pdtrord's query).
    std::vector<int> iq(static_cast<std::size_t>(n) + 64, 0);
    T wq{};
    int info = 0;
    {
      ReportScope scope;
      call(&wq, -1, iq.data(), -1, &info);
      agreed_info(g, info, func, routine, what);
    }
    // Exactly the query fails (INFO = -13, or PDLAQR1 errors and hangs): twice it.
    const std::int64_t lwork = 2 * from_query(wq) + 1024;
    const std::int64_t liwork = std::max<std::int64_t>(iq[0], 2 * std::int64_t(n)) + 1024;
    auto a = allocate_workspace<T>(g, lwork, 1, liwork, func, routine);
    ReportScope scope;
    call(a.work.data(), workspace_int(lwork, func, routine), a.iwork.data(), workspace_int(liwork, func, routine),
         &info);
    // -7777 and -8888 mean one of its two algorithms stood in for the other and succeeded.
    if (info == -7777 || info == -8888) info = 0;
    info = agreed_info(g, info, func, routine, what);
    if (info > 0) hqr_failed(func, routine, info);
    if (one_d && n > 2) clear_below_subdiagonal(H);
  } else {
    std::vector<T> w(static_cast<std::size_t>(n));  // not used: see schur_values
    int info = 0;
    T wq{};
    int iw = 0;
    {
      ReportScope scope;
      scalapack::lahqr(true, Z != nullptr, n, H.data(), dh.data(), w.data(), z, dz.data(), &wq, -1, &iw, 1, &info);
      agreed_info(g, info, func, "p?lahqr", what);
    }
    const std::int64_t lwork = from_query(wq) + std::int64_t(n) + 1024;
    auto a = allocate_workspace<T>(g, lwork, 1, 1, func, "p?lahqr");
    ReportScope scope;
    scalapack::lahqr(true, Z != nullptr, n, H.data(), dh.data(), w.data(), z, dz.data(), a.work.data(),
                     workspace_int(lwork, func, "p?lahqr"), a.iwork.data(), 1, &info);
    info = agreed_info(g, info, func, "p?lahqr", what);
    if (info > 0) hqr_failed(func, "p?lahqr", info);
  }
}

template <class T>
void triangular_eigenvectors(const std::vector<T>& t, const std::vector<complex_of<T>>& w, DistMatrix<T>* Xr,
                             DistMatrix<T>* Xi, const char* func) {
  const Grid& g = Xr->grid();
  const int n = static_cast<int>(Xr->rows());
  // The global columns this process holds, and what ?trevc3 must compute for them: the
  // eigenvalue of the column, or for the second column of a real pair the pair's first.
  std::vector<std::int64_t> cols;
  Xr->for_each_local([&](std::int64_t, std::int64_t j, T&) {
    if (cols.empty() || cols.back() != j) cols.push_back(j);
  });
  std::vector<int> select(static_cast<std::size_t>(n), 0);
  auto first_of = [&](std::int64_t j) {
    if constexpr (!is_complex_v<T>)
      if (w[std::size_t(j)].imag() < 0) return j - 1;
    return j;
  };
  for (auto j : cols) select[std::size_t(first_of(j))] = 1;
  int mm = 0;
  for (int j = 0; j < n; ++j) {
    if (!select[std::size_t(j)]) continue;
    const bool pair = !is_complex_v<T> && w[std::size_t(j)].imag() > 0;
    mm += pair ? 2 : 1;
  }
  std::vector<int> position(static_cast<std::size_t>(n), -1);  // column of x holding eigenvector j
  {
    int p = 0;
    for (int j = 0; j < n; ++j) {
      if (!select[std::size_t(j)]) continue;
      position[std::size_t(j)] = p;
      p += (!is_complex_v<T> && w[std::size_t(j)].imag() > 0) ? 2 : 1;
    }
  }
  std::vector<T> x;
  Failure mine;
  int info = 0;
  {
    ReportScope scope;
    try {
      if (mm > 0) {
        x.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(mm), T(0));
        std::vector<T> tt = t;  // complex ?trevc3 shifts the diagonal in place
        int found = 0;
        info = local_workspace_call<T>(
            [&](const WorkArgs<T>& a, int* inf) {
              lapack::raw::trevc3(n, tt.data(), n, select.data(), x.data(), n, mm, &found, a.work, a.lwork, a.rwork,
                                  a.lrwork, inf);
            },
            [&](const Workspace& q) {
              return Workspace{std::max<std::int64_t>(q.lwork, 3 * std::int64_t(n)) + 16,
                               std::max<std::int64_t>(q.lrwork, n) + 16, 1};
            },
            std::max(n, 1));
      }
    } catch (const std::bad_alloc&) {
      mine = {Failure::out_of_memory, 0,
              std::string(func) + ": the eigenvectors of the Schur form (" + std::to_string(n) + " x " +
                  std::to_string(mm) + ") could not be allocated"};
    }
    agree(g.comm(), mine);
    agreed_info(g, info, func, "LAPACK ?trevc3", "the replicated Schur form");
  }
  Xr->for_each_local([&](std::int64_t i, std::int64_t j, T& v) {
    const std::int64_t f = first_of(j);
    const std::size_t p = static_cast<std::size_t>(position[std::size_t(f)]);
    const std::size_t row = static_cast<std::size_t>(i), ld = static_cast<std::size_t>(n);
    v = x[row + p * ld];
  });
  if (Xi != nullptr) {
    Xi->for_each_local([&](std::int64_t i, std::int64_t j, T& v) {
      v = T(0);
      if constexpr (!is_complex_v<T>) {
        const std::int64_t f = first_of(j);
        if (w[std::size_t(f)].imag() == 0) return;
        const std::size_t p = static_cast<std::size_t>(position[std::size_t(f)]);
        const std::size_t row = static_cast<std::size_t>(i), ld = static_cast<std::size_t>(n);
        const T im = x[row + (p + 1) * ld];
        v = f == j ? im : -im;  // the second of a pair is the conjugate
      }
    });
  }
}

namespace {

// LAPACK's eigenvalues as complex numbers: complex types' w as they are, real types' (wr, wi)
// stored as wv[0:n] and wv[n:2n].
template <class T>
std::vector<complex_of<T>> lapack_values(const std::vector<T>& wv, int n) {
  std::vector<complex_of<T>> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    if constexpr (is_complex_v<T>)
      w[std::size_t(i)] = wv[std::size_t(i)];
    else
      w[std::size_t(i)] = {wv[std::size_t(i)], wv[std::size_t(n + i)]};
  }
  return w;
}

}  // namespace

template <class T>
int geev_local(int n, T* a, std::vector<complex_of<T>>& w, T* vr) {
  std::vector<T> wv(static_cast<std::size_t>(2 * std::max(n, 1)));
  T none{};
  const int info = local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* inf) {
        lapack::raw::geev(vr != nullptr ? 'V' : 'N', n, a, std::max(n, 1), wv.data(), vr != nullptr ? vr : &none,
                          vr != nullptr ? std::max(n, 1) : 1, x.work, x.lwork, x.rwork, inf);
      },
      [&](const Workspace& q) {
        return Workspace{q.lwork + 16, 2 * std::int64_t(n) + 16, 1};
      },
      2 * std::int64_t(std::max(n, 1)));
  w = lapack_values(wv, n);
  return info;
}

template <class T>
int gees_local(int n, T* a, std::vector<complex_of<T>>& w, T* vs) {
  std::vector<T> wv(static_cast<std::size_t>(2 * std::max(n, 1)));
  std::vector<int> bwork(static_cast<std::size_t>(std::max(n, 1)));
  const int info = local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* inf) {
        lapack::raw::gees('V', n, a, std::max(n, 1), wv.data(), vs, std::max(n, 1), x.work, x.lwork, x.rwork,
                          bwork.data(), inf);
      },
      [&](const Workspace& q) {
        return Workspace{q.lwork + 16, std::int64_t(n) + 16, 1};
      },
      std::int64_t(std::max(n, 1)));
  w = lapack_values(wv, n);
  return info;
}

template <class T>
int gehrd_local(int n, T* a, T* q) {
  const int ld = std::max(n, 1);
  std::vector<T> tau(static_cast<std::size_t>(ld));
  auto size = [](const Workspace& s) { return Workspace{s.lwork + 16, 1, 1}; };
  int info = local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* inf) { lapack::raw::gehrd(n, a, ld, tau.data(), x.work, x.lwork, inf); }, size);
  if (info != 0 || q == nullptr) return info;
  std::copy(a, a + static_cast<std::size_t>(ld) * static_cast<std::size_t>(n), q);
  info = local_workspace_call<T>(
      [&](const WorkArgs<T>& x, int* inf) { lapack::raw::unghr(n, q, ld, tau.data(), x.work, x.lwork, inf); }, size);
  return info;
}

#define TARTAN_INSTANTIATE(T)                                                                                        \
  template std::vector<T> gehrd<T>(DistMatrix<T>&, const char*);                                                     \
  template DistMatrix<T> hessenberg_q<T>(const DistMatrix<T>&, const std::vector<T>&, const char*);                  \
  template void clear_below_subdiagonal<T>(DistMatrix<T>&);                                                          \
  template std::vector<complex_of<T>> schur_values<T>(const DistMatrix<T>&);                                         \
  template void hqr<T>(DistMatrix<T>&, DistMatrix<T>*, const char*);                                                 \
  template void triangular_eigenvectors<T>(const std::vector<T>&, const std::vector<complex_of<T>>&, DistMatrix<T>*, \
                                           DistMatrix<T>*, const char*);                                             \
  template int geev_local<T>(int, T*, std::vector<complex_of<T>>&, T*);                                              \
  template int gees_local<T>(int, T*, std::vector<complex_of<T>>&, T*);                                              \
  template int gehrd_local<T>(int, T*, T*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
