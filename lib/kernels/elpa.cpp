// ELPA's Hermitian eigensolvers (one and two stages) on a DistMatrix.
//
// ELPA (Eigenvalue SoLvers for Petaflop Applications) is the eigensolver the large
// electronic-structure codes run on distributed matrices; on this machine Debian's build of
// it runs at about p?syevd's pace, 0.8-1.3x by grid shape (README, "eigh: ELPA and
// ScaLAPACK"). It takes
// ScaLAPACK's block-cyclic layout as it is, with conditions Tartan meets here:
//   - one block size (MB = NB) and the first block on process (0, 0): the working layout;
//   - a leading dimension equal to the local row count, which holds when every process
//     owns rows; it must own columns too (elpa_serves);
//   - both triangles of the matrix: the caller symmetrizes from the one the user chose
//     (garbage in the other triangle moved the eigenvalues by 3e5 in ELPA);
//   - the parent communicator as a Fortran handle, and its own process row and column
//     (BLACS's), from which it splits the row and column communicators;
//   - elpa_init once per process.
// Debian's libelpa19 is built for MPI and ScaLAPACK, without OpenMP, with ELPA's generic
// kernels only.

#include "kernels/elpa.hpp"

#include <limits>
#include <mutex>
#include <string>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "core/testing.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

#if TARTAN_HAVE_ELPA
#include <elpa/elpa.h>
#endif

namespace tartan::detail {

bool elpa_serves(const Grid& g, std::int64_t n, std::int64_t nb) {
  // Every process owns at least one row and one column of A. With a process left empty ELPA
  // stops the program (1x4, n = 70 in blocks of 32: "ELPA1: solve step encountered an
  // error. Aborting...") or fails its setup (4x1).
  return n > nb * (std::max(g.prows(), g.pcols()) - 1);
}

template <class T>
bool elpa_serves(const DistMatrix<T>& W) {
  return W.rows() == W.cols() && W.block().mb == W.block().nb && W.source() == Source{} &&
         elpa_serves(W.grid(), W.rows(), W.block().nb);
}

#if TARTAN_HAVE_ELPA

namespace {

// elpa_init once per process; its error, if any, is remembered.
int elpa_started() {
  static std::once_flag once;
  static int status = ELPA_ERROR;
  std::call_once(once, [] { status = elpa_init(ELPA_API_VERSION); });
  return status;
}

// The name of an ELPA error code (elpa.h declares elpa_strerr without C linkage, so the
// library's own function cannot be called from C++).
std::string elpa_message(int code) {
  const char* name = "unknown error";
#define TARTAN_ELPA_ERROR_NAME(n, v) \
  if (code == (v)) name = #n;
  ELPA_FOR_ALL_ERRORS(TARTAN_ELPA_ERROR_NAME)
#undef TARTAN_ELPA_ERROR_NAME
  return std::string("ELPA: ") + name + " (" + std::to_string(code) + ")";
}

// The worst (lowest) ELPA error code over the grid: ELPA_OK (0) only when every process succeeded.
int agreed_code(const Grid& g, int code) {
  int worst = code;
  MPI_Allreduce(&code, &worst, 1, MPI_INT, MPI_MIN, g.comm());
  return worst;
}

// An ELPA object for H's layout, deallocated on every path.
class Handle {
 public:
  Handle() : h_(elpa_allocate(&error_)) {}
  ~Handle() {
    if (h_ != nullptr) {
      int e = 0;
      elpa_deallocate(h_, &e);
    }
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  elpa_t get() const { return h_; }
  int error() const { return error_; }
  // Sets one integer option; the first failure is kept.
  void set(const char* name, int value) {
    if (error_ != ELPA_OK) return;
    elpa_set_integer(h_, name, value, &error_);
    if (error_ != ELPA_OK) what_ = name;
  }
  const std::string& what() const { return what_; }

 private:
  int error_ = ELPA_OK;
  elpa_t h_;
  std::string what_;
};

}  // namespace

template <class T>
std::optional<EigPair<T>> elpa_eigh(DistMatrix<T>& H, std::int64_t nev, bool two_stage, bool vectors, std::string* why,
                                    const char* func) {
  using R = real_t<T>;
  const Grid& g = H.grid();
  const std::int64_t n = H.rows();
  const std::string what = describe(H);
  if (int s = agreed_code(g, elpa_started()); s != ELPA_OK) {
    *why = "elpa_init: " + elpa_message(s);
    return std::nullopt;
  }
  DistMatrix<T> Z(g, vectors ? n : 0, vectors ? n : 0, H.block(), Source{});
  std::vector<R> w(static_cast<std::size_t>(n));
  Handle e;
  int code = e.error();
  if (code == ELPA_OK) {
    e.set("na", static_cast<int>(n));
    e.set("nev", static_cast<int>(nev));
    e.set("local_nrows", static_cast<int>(H.local_rows()));
    e.set("local_ncols", static_cast<int>(H.local_cols()));
    e.set("nblk", static_cast<int>(H.block().nb));
    e.set("mpi_comm_parent", static_cast<int>(MPI_Comm_c2f(g.comm())));
    e.set("process_row", g.myrow());
    e.set("process_col", g.mycol());
    e.set("blacs_context", g.blacs_context());
    code = e.error();
    if (code == ELPA_OK) code = elpa_setup(e.get());
    if (code == ELPA_OK) {
      e.set("solver", two_stage ? ELPA_SOLVER_2STAGE : ELPA_SOLVER_1STAGE);
      code = e.error();
    }
  }
  if (inject_elpa_failure() && g.rank() == 0) code = ELPA_ERROR_SETUP;  // one rank only: the agreement is tested
  inject_elpa_failure() = false;
  // Setup and option errors are local: agreed before the collective solve begins.
  if (int c = agreed_code(g, code); c != ELPA_OK) {
    *why = elpa_message(c) + (e.what().empty() ? "" : std::string(" setting ") + e.what()) + " for " + what;
    return std::nullopt;
  }
  if (vectors)
    elpa_eigenvectors(e.get(), H.data(), w.data(), Z.data(), &code);
  else
    elpa_eigenvalues(e.get(), H.data(), w.data(), &code);
  if (int c = agreed_code(g, code); c != ELPA_OK) {
    *why = elpa_message(c) + " in " + (two_stage ? "the two-stage" : "the one-stage") + " solver for " + what;
    return std::nullopt;
  }
  // ELPA replicates the eigenvalues; rank 0's are taken, so that every rank holds the same.
  w.resize(static_cast<std::size_t>(nev));
  MPI_Bcast(w.data(), static_cast<int>(nev), mpi_type<R>(), 0, g.comm());
  (void)func;
  return EigPair<T>{std::move(w), std::move(Z)};
}

#else  // built without ELPA: the drivers that need it were refused before this point

template <class T>
std::optional<EigPair<T>> elpa_eigh(DistMatrix<T>&, std::int64_t, bool, bool, std::string* why, const char* func) {
  *why = std::string(func) + ": this libtartan was built without ELPA";
  return std::nullopt;
}

#endif

#define TARTAN_INSTANTIATE(T)                         \
  template bool elpa_serves<T>(const DistMatrix<T>&); \
  template std::optional<EigPair<T>> elpa_eigh<T>(DistMatrix<T>&, std::int64_t, bool, bool, std::string*, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
