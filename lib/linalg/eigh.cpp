// eigh / eigvalsh: standard and generalized Hermitian eigenproblems.

#include "tartan/linalg/eigh.hpp"

#include <string>
#include <type_traits>

#include "bindings/pblas.hpp"
#include "core/instantiate.hpp"
#include "core/watchdog.hpp"
#include "kernels/cholesky.hpp"
#include "kernels/elpa.hpp"
#include "kernels/hermitian_eig.hpp"
#include "linalg/common.hpp"

namespace tartan {

const char* driver_name(EighDriver d) {
  switch (d) {
    case EighDriver::automatic:
      return "auto";
    case EighDriver::elpa:
      return "elpa";
    case EighDriver::elpa2:
      return "elpa2";
    case EighDriver::evd:
      return "evd";
    case EighDriver::evr:
      return "evr";
  }
  return "?";
}

bool have_elpa() { return TARTAN_HAVE_ELPA != 0; }

namespace {

bool is_elpa(EighDriver d) { return d == EighDriver::elpa || d == EighDriver::elpa2; }

// The combinations of driver and subset that no driver serves, refused before any work.
void check_driver(const EighOptions& o, const detail::EigRange& r, const char* func) {
  const std::string f(func);
  if (is_elpa(o.driver) && !have_elpa())
    throw InvalidArgument(f + ": driver " + driver_name(o.driver) +
                          " needs ELPA, and this libtartan was built without it (install libelpa-dev and rebuild)");
  if (o.driver == EighDriver::evd && r.range != 'A')
    throw InvalidArgument(f + ": driver evd computes every eigenpair; use evr or auto for a subset");
  if (is_elpa(o.driver) && r.range == 'V')
    throw InvalidArgument(f + ": driver " + std::string(driver_name(o.driver)) +
                          " has no subset_by_value; use evr or auto");
}

// The Hermitian problem in C (the working copy, destroyed) by the driver of o: ELPA where it
// was asked for or chosen and can serve, ScaLAPACK otherwise, LAPACK on one process.
template <class T>
EighResult<T> solve(DistMatrix<T>& C, const EighOptions& o, const detail::EigRange& r, bool vectors, const char* func) {
  EighResult<T> res{{}, DistMatrix<T>(C.grid(), 0, 0), EighDriver::evd, {}};
  const std::int64_t n = C.rows();
  const bool mrrr = o.driver == EighDriver::evr || r.range != 'A';
  // auto takes ELPA for eigenvectors in double precision only. Debian's libelpa19 is built
  // without single precision ("ELPA is not compiled with single-precision support", an
  // error at solve time); for eigenvalues alone p?syev was faster (n = 3000 on 1x2: 1.75-1.83 s,
  // ELPA 2.52-2.70 s).
  const bool doubles = std::is_same_v<real_t<T>, double>;
  // On one process auto takes LAPACK's ?syevd, as numpy; ELPA runs there when asked for.
  const bool wants_elpa = is_elpa(o.driver) || (o.driver == EighDriver::automatic && have_elpa() && doubles &&
                                                vectors && r.range == 'A' && !detail::on_one_process(C));
  if (wants_elpa && n > 0) {
    std::string why;
    bool failed = false;  // ELPA ran and reported an error
    const Block eb{detail::elpa_block(C.block().nb), detail::elpa_block(C.block().nb)};
    if (detail::too_small_to_distribute(C.rows(), C.cols(), C.block(), C.grid().size())) {
      why = "A is one block or has fewer rows than processes: LAPACK on one process";
    } else if (!detail::elpa_serves(C.grid(), n, eb.nb)) {
      why = "ELPA needs rows and columns of A on every process (n = " + std::to_string(n) + " in blocks of " +
            std::to_string(eb.nb) + " on " + std::to_string(C.grid().prows()) + "x" + std::to_string(C.grid().pcols()) +
            ")";
    } else {
      // ELPA reads both triangles: the other one is rebuilt from the one the caller chose.
      DistMatrix<T> H = detail::from_triangle(C, o.lower, is_complex_v<T>);
      if (eb != C.block()) H = redistribute(H, C.grid(), eb, Source{});
      const std::int64_t nev = r.range == 'I' ? r.iu : n;
      // ELPA 2022.11's two-stage complex solver returns wrong eigenvectors without an error
      // for some sizes (n = 33, 65, 97 in blocks of 16 on 2x1, 3x1, 4x1, 2x2: residuals of
      // 1e11-1e12; the one-stage solver and the real two-stage one are right there):
      // complex problems take the one-stage solver, and say so.
      bool two = o.driver == EighDriver::elpa2;
      if (two && is_complex_v<T>) {
        two = false;
        res.fallback = "ELPA's two-stage complex solver is wrong for some sizes: its one-stage solver was used";
      }
      if (auto e = detail::elpa_eigh(H, nev, two, vectors, &why, func)) {
        res.driver = two ? EighDriver::elpa2 : EighDriver::elpa;
        const std::int64_t first = r.range == 'I' ? r.il - 1 : 0;
        res.eigenvalues.assign(e->first.begin() + first, e->first.end());
        if (vectors) {
          const std::int64_t k = nev - first;
          res.eigenvectors = redistribute(std::as_const(e->second).view(0, first, n, k), C.grid(), C.block(), Source{});
        }
        return res;
      }
      failed = true;
    }
    // auto promises no particular driver: it only says why when ELPA failed
    if (is_elpa(o.driver) || failed) res.fallback = res.fallback.empty() ? why : res.fallback + "; " + why;
  }
  auto [w, V] = detail::heev(C, o.lower, r, vectors, func, mrrr);
  res.eigenvalues = std::move(w);
  res.eigenvectors = std::move(V);
  res.driver = mrrr ? EighDriver::evr : EighDriver::evd;
  if (n == 0 && o.driver != EighDriver::automatic) res.driver = o.driver;  // nothing to compute: as asked
  return res;
}

template <class T>
detail::EigRange eig_range(const DistMatrix<T>& A, const EighOptions& o, const char* func) {
  detail::EigRange r;
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

template <class T>
EighResult<T> eigh_impl(const DistMatrix<T>& A, const EighOptions& o, bool vectors, const char* func) {
  detail::check_one(A, func, true, o.check_finite);
  const detail::EigRange r = eig_range(A, o, func);
  check_driver(o, r, func);
  DistMatrix<T> W = detail::working_copy(A);
  return solve(W, o, r, vectors, func);
}

// A x = lambda B x: B = L L^H, C = L^-1 A L^-H, C y = lambda y, x = L^-H y (or the upper
// variant), the way LAPACK's ?sygv does it.
template <class T>
EighResult<T> eigh_general_impl(const DistMatrix<T>& A, const DistMatrix<T>& B, const EighOptions& o, bool vectors,
                                const char* func) {
  detail::require_system(A, B, func, /*square=*/true, o.check_finite);
  detail::require_square(B, func, "B");
  const detail::EigRange r = eig_range(A, o, func);
  check_driver(o, r, func);
  DistMatrix<T> C = detail::working_copy(A);
  DistMatrix<T> L = redistribute(B, C.grid(), C.block(), C.source());
  const char uplo = o.lower ? 'L' : 'U';
  detail::potrf(L, o.lower, func, "B is not positive definite: ");
  if (A.rows() == 0) return solve(C, o, r, vectors, func);
  const real_t<T> scale = detail::hegst(C, L, o.lower, func);
  EighResult<T> res = solve(C, o, r, vectors, func);
  for (auto& v : res.eigenvalues) v *= scale;
  DistMatrix<T>& Y = res.eigenvectors;
  if (vectors && Y.cols() > 0) {
    // x = L^-H y (lower) or U^-1 y (upper)
    const char trans = o.lower ? (is_complex_v<T> ? 'C' : 'T') : 'N';
    detail::pblas::trsm('L', uplo, trans, 'N', static_cast<int>(Y.rows()), static_cast<int>(Y.cols()), T(1), L.data(),
                        1, 1, L.descriptor().data(), Y.data(), 1, 1, Y.descriptor().data());
  }
  return res;
}

}  // namespace

template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, EighOptions opts) {
  const detail::watchdog::Scope watch("eigh", [&] { return detail::watchdog::describe(A); });
  return eigh_impl(A, opts, true, "eigh");
}
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts) {
  const detail::watchdog::Scope watch("eigh", [&] { return detail::watchdog::describe(A); });
  return eigh_general_impl(A, B, opts, true, "eigh");
}
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, EighOptions opts) {
  return eigh_impl(A, opts, false, "eigvalsh").eigenvalues;
}
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts) {
  return eigh_general_impl(A, B, opts, false, "eigvalsh").eigenvalues;
}

#define TARTAN_INSTANTIATE(T)                                                              \
  template EighResult<T> eigh<T>(const DistMatrix<T>&, EighOptions);                       \
  template EighResult<T> eigh<T>(const DistMatrix<T>&, const DistMatrix<T>&, EighOptions); \
  template std::vector<real_t<T>> eigvalsh<T>(const DistMatrix<T>&, EighOptions);          \
  template std::vector<real_t<T>> eigvalsh<T>(const DistMatrix<T>&, const DistMatrix<T>&, EighOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
