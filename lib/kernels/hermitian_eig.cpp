// Hermitian eigen kernels: p?syevd/p?heevd (all pairs), p?syevr/p?heevr (subsets, values
// only), p?sygst/p?hegst (reduction of the generalized problem), and LAPACK on the one
// process that holds a matrix of a single block.

#include "kernels/hermitian_eig.hpp"

#include <string>
#include <utility>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "bindings/workspace.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

namespace {

template <class T>
LocalExtent extent_of(const DistMatrix<T>& W) {
  const Layout& l = W.layout();
  return {W.rows(),
          W.block().nb,
          W.local_rows(),
          W.local_cols(),
          l.local_rows(l.source().row),
          l.local_cols(l.source().col),
          W.grid().prows(),
          W.grid().pcols()};
}

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

[[noreturn]] void no_convergence(const char* func, int info) {
  throw NoConvergence(std::string(func) + ": the eigensolver did not converge (INFO = " + std::to_string(info) + ")");
}

// The first `found` columns of Z (all of them when found == n), as the result.
template <class T>
DistMatrix<T> leading_columns(DistMatrix<T>&& Z, std::int64_t first, std::int64_t count) {
  if (first == 0 && count == Z.cols()) return std::move(Z);
  return copy<T>(std::as_const(Z).view(0, first, Z.rows(), count));
}

// LAPACK on rank 0 of the grid: W gathered there, eigenvectors scattered back in W's layout.
template <class T>
EigPair<T> heev_serial(DistMatrix<T>& W, bool lower, const EigRange& r, bool vectors, const char* func) {
  using R = real_t<T>;
  const Grid& g = W.grid();
  const int n = static_cast<int>(W.rows());
  if (one_process_grid(W) && r.range == 'A' && vectors) {  // all of W is here: in place, as numpy
    std::vector<R> w(static_cast<std::size_t>(n));
    const int info = local_lapack(g, func, "LAPACK ?syevd", describe(W), [&] {
      return lapack::heevd('V', fortran::uplo_char(lower), n, W.data(), lld_of(W), w.data());
    });
    if (info > 0) no_convergence(func, info);
    return {std::move(w), std::move(W)};
  }
  Mat<T> a = to_eigen(W, 0);
  std::vector<R> w(static_cast<std::size_t>(n));
  Mat<T> z;
  int counts[2] = {0, 0};  // info, found
  {
    ReportScope scope;
    collectively(g.comm(), [&] {
      if (g.rank() != 0) return;
      if (r.range == 'A' && vectors) {
        counts[0] = lapack::heevd('V', fortran::uplo_char(lower), n, a.data(), std::max(n, 1), w.data());
        counts[1] = n;
        z = std::move(a);
      } else {
        z.resize(n, vectors ? n : 1);
        counts[0] = lapack::heevr(vectors ? 'V' : 'N', r.range, fortran::uplo_char(lower), n, a.data(), std::max(n, 1),
                                  static_cast<R>(r.vl), static_cast<R>(r.vu), r.il, r.iu, &counts[1], w.data(),
                                  z.data(), std::max(n, 1));
        z.conservativeResize(n, vectors ? counts[1] : 0);
      }
    });
    MPI_Bcast(counts, 2, MPI_INT, 0, g.comm());
    agreed_info(g, g.rank() == 0 ? counts[0] : 0, func, "LAPACK ?syevd/?syevr", describe(W));
  }
  if (counts[0] > 0) no_convergence(func, counts[0]);
  w.resize(static_cast<std::size_t>(counts[1]));
  if (!w.empty()) MPI_Bcast(w.data(), static_cast<int>(w.size()), mpi_type<R>(), 0, g.comm());
  if (!vectors) return {std::move(w), DistMatrix<T>(g, 0, 0, W.block(), W.source())};
  DistMatrix<T> Z(g, n, counts[1], W.block(), W.source());
  assign<T>(Z, from_eigen(g, z, 0, W.block()));
  return {std::move(w), std::move(Z)};
}

template <class T>
EigPair<T> heevd_parallel(DistMatrix<T>& W, bool lower, const char* func) {
  using R = real_t<T>;
  const std::int64_t n = W.rows();
  const int ni = static_cast<int>(n);
  const char uplo = fortran::uplo_char(lower);
  std::vector<R> w(static_cast<std::size_t>(n));
  DistMatrix<T> Z(W.grid(), n, n, W.block(), W.source());
  const int info = with_workspace<T>(
      W.grid(),
      [&](const WorkArgs<T>& a, int* inf) {
        scalapack::heevd('V', uplo, ni, W.data(), 1, 1, W.descriptor().data(), w.data(), Z.data(), 1, 1,
                         Z.descriptor().data(), a.work, a.lwork, a.rwork, a.lrwork, a.iwork, a.liwork, inf);
      },
      [&](const Workspace& q) { return heevd_workspace(is_complex_v<T>, extent_of(W), q); }, func, "p?syevd/p?heevd",
      describe(W));
  if (info > 0) no_convergence(func, info);
  replicate_from_source(w, W);
  return {std::move(w), std::move(Z)};
}

template <class T>
EigPair<T> heevr_parallel(DistMatrix<T>& W, bool lower, EigRange r, bool vectors, const char* func) {
  using R = real_t<T>;
  const std::int64_t n = W.rows(), nb = W.block().nb;
  const int ni = static_cast<int>(n);
  // Real p?syevr hands p?ormtr a fixed max(18 n, NP00 * MQ00 + 2 nb^2) of its workspace,
  // MQ00 counting the wanted eigenvectors; p?ormtr needs about (NP + NQ + 2 nb) nb + nb^2.
  // That falls short when fewer than nb vectors are wanted of a matrix wider than nb
  // (n = 100, 127, 129 at nb = 64 on one process), whatever LWORK is. Ask for a range at
  // least nb wide around the wanted one and keep the wanted columns.
  std::int64_t skip = 0, keep = -1;
  if (vectors && r.range == 'I' && !is_complex_v<T> && r.iu - r.il + 1 < nb && n > nb) {
    keep = r.iu - r.il + 1;
    const std::int64_t lo = std::max<std::int64_t>(1, std::min<std::int64_t>(r.il, n - nb + 1));
    skip = r.il - lo;
    r.il = static_cast<int>(lo);
    r.iu = static_cast<int>(lo + nb - 1);
  }
  std::vector<R> w(static_cast<std::size_t>(n));
  DistMatrix<T> Z(W.grid(), vectors ? n : 0, vectors ? n : 0, W.block(), W.source());
  T* z = vectors ? Z.data() : W.data();
  const int* dz = vectors ? Z.descriptor().data() : W.descriptor().data();
  const char jobz = vectors ? 'V' : 'N';
  const R vl = static_cast<R>(r.vl), vu = static_cast<R>(r.vu);
  int found = 0, nz = 0;
  const int info = with_workspace<T>(
      W.grid(),
      [&](const WorkArgs<T>& a, int* inf) {
        scalapack::heevr(jobz, r.range, fortran::uplo_char(lower), ni, W.data(), 1, 1, W.descriptor().data(), vl, vu,
                         r.il, r.iu, &found, &nz, w.data(), z, 1, 1, dz, a.work, a.lwork, a.rwork, a.lrwork, a.iwork,
                         a.liwork, inf);
      },
      [&](const Workspace& q) { return heevr_workspace(is_complex_v<T>, extent_of(W), q); }, func, "p?syevr/p?heevr",
      describe(W));
  if (info > 0) no_convergence(func, info);
  found = static_cast<int>(min_over(W.grid().comm(), found));
  w.resize(static_cast<std::size_t>(found));
  replicate_from_source(w, W);
  if (keep >= 0) {
    w.erase(w.begin(), w.begin() + skip);
    w.resize(static_cast<std::size_t>(keep));
  } else {
    keep = found;
  }
  if (vectors) Z = leading_columns(std::move(Z), skip, keep);
  return {std::move(w), std::move(Z)};
}

// Eigenvalues only: p?syev/p?heev with JOBZ = 'N' (tridiagonal reduction, then the
// implicit QL/QR of ?steqr2 on every process), as accurate as LAPACK's ?syev; the MRRR of
// p?syevr lost a digit there (n = 4 in 1x1 blocks on 1x2: 59 n eps ||A|| off). Then the
// wanted range is picked from all of them: the reduction dominates the cost either way.
template <class T>
EigPair<T> heev_values(DistMatrix<T>& W, bool lower, const EigRange& r, const char* func) {
  using R = real_t<T>;
  const std::int64_t n = W.rows();
  const int ni = static_cast<int>(n);
  std::vector<R> w(static_cast<std::size_t>(n));
  const int* d = W.descriptor().data();
  const int info = with_workspace<T>(
      W.grid(),
      [&](const WorkArgs<T>& a, int* inf) {
        scalapack::heev('N', fortran::uplo_char(lower), ni, W.data(), 1, 1, d, w.data(), W.data(), 1, 1, d, a.work,
                        a.lwork, a.rwork, a.lrwork, inf);
      },
      [&](const Workspace& q) { return heev_values_workspace(is_complex_v<T>, extent_of(W), q); }, func,
      "p?syev/p?heev", describe(W));
  if (info > 0) no_convergence(func, info);
  replicate_from_source(w, W);
  if (r.range == 'I') {
    w = std::vector<R>(w.begin() + (r.il - 1), w.begin() + r.iu);
  } else if (r.range == 'V') {
    std::vector<R> in;
    for (R v : w)
      if (static_cast<double>(v) > r.vl && static_cast<double>(v) <= r.vu) in.push_back(v);
    w = std::move(in);
  }
  return {std::move(w), DistMatrix<T>(W.grid(), 0, 0, W.block(), W.source())};
}

}  // namespace

template <class T>
EigPair<T> heev(DistMatrix<T>& W, bool lower, const EigRange& r, bool vectors, const char* func, bool mrrr) {
  if (W.rows() == 0) return {std::vector<real_t<T>>{}, DistMatrix<T>(W.grid(), 0, 0, W.block(), W.source())};
  if (on_one_process(W)) return heev_serial(W, lower, r, vectors, func);
  if (!vectors) return heev_values(W, lower, r, func);
  if (r.range == 'A' && !mrrr) return heevd_parallel(W, lower, func);
  return heevr_parallel(W, lower, r, vectors, func);
}

template <class T>
real_t<T> hegst(DistMatrix<T>& C, const DistMatrix<T>& L, bool lower, const char* func) {
  real_t<T> scale = 1;
  if (C.rows() == 0) return scale;
  ReportScope scope;
  int info = 0;
  scalapack::hegst(1, fortran::uplo_char(lower), static_cast<int>(C.rows()), C.data(), 1, 1, C.descriptor().data(),
                   L.data(), 1, 1, L.descriptor().data(), &scale, &info);
  agreed_info(C.grid(), info, func, "p?sygst/p?hegst", describe(C));
  return scale;
}

#define TARTAN_INSTANTIATE(T)                                                                  \
  template EigPair<T> heev<T>(DistMatrix<T>&, bool, const EigRange&, bool, const char*, bool); \
  template real_t<T> hegst<T>(DistMatrix<T>&, const DistMatrix<T>&, bool, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
