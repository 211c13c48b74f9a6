// tartan-bench: each kernel through Tartan and through raw ScaLAPACK on the same data in
// the same run, next to the node's DGEMM rate measured at start-up.

#include <mpi.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "baseline.hpp"
#include "comm_bounds.hpp"
#include "common/cli.hpp"
#include "tartan/commcount.h"
#include "tartan/tartan.hpp"

namespace tt = tartan;

namespace {

const char* usage = R"(usage: mpirun -np P tartan-bench [options]

Times each kernel through Tartan and through the raw ScaLAPACK routine on the same data,
best of R repetitions, and compares both with the node's DGEMM rate measured at start-up.

options (default in brackets):
  --ops LIST     comma-separated: gemm,lu,cholesky,qr,eigh,svd      [gemm,lu,cholesky,qr]
                 eigh_elpa, eigh_elpa2, eigh_evd, eigh_evr: eigh with that driver (eigh: auto)
                 svd_gesvd: svd with the p?gesvd driver; svd_tall: svd of a (100 n) x n matrix
                 mixed: solve_mixed of a random system (one right-hand side) against pdgesv;
                 mixed_ill: the same with cond(A) = 1e10, where solve_mixed must fall back
                 tsqr: qr (Q and R) of an m x n matrix (automatic: CholeskyQR2 when m >= 50 n)
                 against pdgeqrf + pdorgqr; lstsq_tall: lstsq of that matrix and one
                 right-hand side (x, singular values, rank, residual) against pdgels (x only)
                 redistribute: n x n from the P x Q grid in nb blocks to Q x P in 2nb blocks;
                 redistribute_tall: m x n to one process column, one row block per process;
                 both against pdgemr2d (a move: the ratio is the figure, GFLOP/s read 0)
                 eig: eig (values and vectors) of a complex n x n matrix against the raw
                 pipeline pzgehrd + pzunmhr + pzlahqr + pztrevc (back-transformed);
                 eig_vectors: the eigenvectors of its Schur form alone, Tartan's replicated
                 ?trevc3 and one product against pztrevc (back-transformed)
                 polar, polar_ill: polar (U and P) by QDWH against the SVD route (Tartan's
                 svd, U = W V^H, P = V S V^H) in the ScaLAPACK column, of a random matrix and
                 of one with cond(A) = 1e8
                 expm: expm of a random matrix of spectral radius about 1 against the
                 raw calls its algorithm makes on the same data: as many pdgemm as its
                 products and squarings, and pdgesv with n right-hand sides
  --n LIST       matrix sizes                                       [2000]
  --m M          rows of tsqr's and lstsq_tall's matrix             [100 n]
  --nb LIST      block sizes                          [TARTAN_NB, else 64]
  --grid LIST    grids PxQ (P * Q = ranks)                          [most square]
  --reps R       repetitions, best is reported                      [3]
  --csv FILE     also write the results as CSV (tartan-bench-plot FILE draws it; tartan-bench-model
                 extrapolates its communication to more ranks)
  --json FILE    also write the results as JSON; --json - prints it on stdout at the end in
                 place of the report (as the drivers' --json); --csv - likewise
  --link         also measure the link between rank 0 and the last rank (ping-pong), fit
                 the alpha-beta model to it, and give each call's modelled communication
                 time: alpha * messages + beta * bytes (busiest rank)
  --dry-run      print every row's memory plan (per rank, against what is available) and exit;
                 without it the plan's largest row is printed first, and a row that cannot
                 fit stops the run before anything is timed
  --version      print the program's and Tartan's version and exit
  --help         this text
)";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ','))
    if (!x.empty()) out.push_back(x);
  return out;
}

double max_over(double v) {
  double out = v;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

// Results of timed Tartan calls are parked here and freed untimed before the next
// measurement: the raw baselines free nothing inside their timings either.
std::vector<std::shared_ptr<void>> graveyard;
template <class X>
void keep(X&& x) {
  graveyard.push_back(std::make_shared<std::decay_t<X>>(std::forward<X>(x)));
}

// Communication of one call, busiest rank: what it received (bytes, point to point and
// collectives' payload) and its messages (point-to-point messages received plus
// ceil(log2 p) rounds per collective). libtartan_commcount counts (tartan/commcount.h).
struct Comm {
  double bytes = -1, messages = -1;  // -1: not counted
  bool counted() const { return bytes >= 0; }
};

Comm collect_comm() {
  tartan_comm_counts c{};
  if (tartan_comm_collect(&c) != MPI_SUCCESS) return {};
  return {max_over(double(c.p2p_recv_bytes + c.coll_recv_bytes)),
          max_over(double(c.p2p_recv_messages + c.coll_rounds))};
}

// Wall time of f over all ranks (slowest rank); prepare() runs untimed first. With comm,
// the call's communication is counted too (the counting costs a branch per MPI call).
// Minor page faults of this process so far (fresh pages touched).
long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

double timed(const std::function<void()>& prepare, const std::function<void()>& f, Comm* comm = nullptr,
             double* faults = nullptr) {
  graveyard.clear();
  prepare();
  MPI_Barrier(MPI_COMM_WORLD);
  if (comm) tartan_comm_start();
  const long f0 = minor_faults();
  const double t0 = MPI_Wtime();
  f();
  const double t = MPI_Wtime() - t0;
  if (faults) *faults = max_over(double(minor_faults() - f0));
  if (comm) {
    tartan_comm_stop();
    *comm = collect_comm();
  }
  return max_over(t);
}

// Best-of-reps times of Tartan, of raw ScaLAPACK and (when given) of Tartan on an rvalue,
// interleaved rep by rep so that a noisy stretch of the shared machine hits all alike.
struct Times {
  double tartan = 1e300, raw = 1e300, rvalue = 0;
  double first = 0;            // Tartan's first call (a driver calls once; a loop reaches the best)
  double faults = 0;           // minor page faults of Tartan's last call, busiest rank
  Comm tartan_comm, raw_comm;  // of the first repetition
};
Times last_times;  // of the last best_of, for the row
Times best_of(int reps, const std::function<void()>& tartan, const std::function<void()>& prepare,
              const std::function<void()>& raw, const std::function<void()>& rvalue_prepare = {},
              const std::function<void()>& rvalue = {}) {
  Times t;
  if (rvalue) t.rvalue = 1e300;
  for (int r = 0; r < reps; ++r) {
    const double tt = timed([] {}, tartan, r == 0 ? &t.tartan_comm : nullptr, &t.faults);
    if (r == 0) t.first = tt;
    t.tartan = std::min(t.tartan, tt);
    t.raw = std::min(t.raw, timed(prepare, raw, r == 0 ? &t.raw_comm : nullptr));
    if (rvalue) t.rvalue = std::min(t.rvalue, timed(rvalue_prepare, rvalue));
  }
  last_times = t;
  return t;
}

// Every rank runs a local DGEMM of order n at the same time with its own BLAS threads;
// the sum over the ranks of one node is the node's DGEMM rate.
double node_dgemm_gflops(int n, int reps) {
  std::vector<double> a(std::size_t(n) * n, 0.5), b(std::size_t(n) * n, 0.25), c(std::size_t(n) * n, 0.0);
  const double one = 1, zero = 0;
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    dgemm_("N", "N", &n, &n, &n, &one, a.data(), &n, b.data(), &n, &zero, c.data(), &n, 1, 1);
    best = std::min(best, MPI_Wtime() - t0);
  }
  double mine = 2.0 * n * n * double(n) / best * 1e-9, node = 0;
  MPI_Comm shm;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &shm);
  MPI_Allreduce(&mine, &node, 1, MPI_DOUBLE, MPI_SUM, shm);
  MPI_Comm_free(&shm);
  return node;
}

// The link between rank 0 and the last rank (on a cluster mapped by node: two nodes).
// alpha: half round trip of 8 bytes; beta: the further time per byte at 8 MiB. Best of
// reps for each size, 8 B to 8 MiB.
struct Link {
  double alpha = 0, beta = 0;                     // seconds, seconds per byte
  std::vector<std::pair<double, double>> points;  // bytes, half round trip
};

Link measure_link(int reps) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Link link;
  if (size < 2) return link;
  const int peer = size - 1;
  std::vector<char> buf(std::size_t(8) << 20, 1);
  for (std::size_t bytes = 8; bytes <= buf.size(); bytes *= 4) {
    const int iters = bytes <= 65536 ? 100 : 10, b = static_cast<int>(bytes);
    double best = 1e300;
    for (int r = 0; r < std::max(reps, 3); ++r) {
      MPI_Barrier(MPI_COMM_WORLD);
      const double t0 = MPI_Wtime();
      for (int i = 0; i < iters; ++i) {
        if (rank == 0) {
          MPI_Send(buf.data(), b, MPI_BYTE, peer, 7, MPI_COMM_WORLD);
          MPI_Recv(buf.data(), b, MPI_BYTE, peer, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == peer) {
          MPI_Recv(buf.data(), b, MPI_BYTE, 0, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          MPI_Send(buf.data(), b, MPI_BYTE, 0, 7, MPI_COMM_WORLD);
        }
      }
      best = std::min(best, (MPI_Wtime() - t0) / (2.0 * iters));
    }
    MPI_Bcast(&best, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    link.points.emplace_back(double(bytes), best);
  }
  link.alpha = link.points.front().second;
  link.beta = std::max(0.0, (link.points.back().second - link.alpha) / link.points.back().first);
  return link;
}

struct Row {
  std::string op;
  std::int64_t n, nb;
  int p, q;
  double tartan_s, scalapack_s, flops;
  double inplace_s;  // Tartan on an rvalue (no input copy); 0 where not measured
  Comm tartan_comm{}, raw_comm{};
  double first_s = 0, faults = 0;  // Tartan's first call; page faults of its last
};

int expm_products = 0;  // the n x n products of the last expm row (its Pade degree's, plus squarings)

double flops_of(const std::string& op, double n, double m = 0) {
  if (op == "gemm") return 2 * n * n * n;
  if (op == "expm") return expm_products * 2 * n * n * n + 8.0 / 3.0 * n * n * n;  // + LU and n solves
  if (op == "lu" || op.rfind("mixed", 0) == 0) return 2.0 / 3.0 * n * n * n;
  if (op == "tsqr") return 2 * 2.0 * m * n * n - 4.0 / 3.0 * n * n * n;    // Householder's geqrf + orgqr
  if (op == "lstsq_tall") return 2.0 * m * n * n - 2.0 / 3.0 * n * n * n;  // pdgels' QR
  if (op == "cholesky") return 1.0 / 3.0 * n * n * n;
  if (op.rfind("redistribute", 0) == 0) return 0;  // a move: only the time ratio means anything
  if (op == "qr") return 4.0 / 3.0 * n * n * n;
  if (op.rfind("eigh", 0) == 0)
    return 4.0 / 3.0 * n * n * n + 2 * n * n * n;  // tridiagonalization + back-transformation
  if (op.rfind("polar", 0) == 0) return 4 * n * n * n + 8.0 / 3.0 * n * n * n;  // the SVD route's, nominal
  if (op == "eig") return 4 * 25.0 * n * n * n;  // complex ?geev with vectors, nominal 25 n^3 real flops x 4
  if (op == "eig_vectors") return 4 * (n * n * n / 3.0 + 2 * n * n * n);       // triangular solves + V = Z X
  if (op == "svd_tall") return 4 * (100 * n) * n * n + 8.0 / 3.0 * n * n * n;  // (100 n) x n, nominal
  return 4 * n * n * n + 8.0 / 3.0 * n * n * n;  // svd: bidiagonalization + both bases (nominal)
}

// eig of a complex matrix against ScaLAPACK's own pipeline on the same data: pzgehrd,
// pzunmhr (Q from the identity), pzlahqr (T and Z) and pztrevc back-transforming Z into the
// eigenvectors (normalized by largest component, not by 2-norm: the raw route does less).
// eig_vectors: the Schur form computed once, untimed; then Tartan's eigenvector stage
// (eig_from_schur: T replicated, ?trevc3 on each process's columns, V = Z X) against
// pztrevc alone.
Times time_eig(const std::string& op, const tt::Grid& g, std::int64_t n, std::int64_t nb, int reps) {
  using C = std::complex<double>;
  const tt::Block b{nb, nb};
  const int ni = static_cast<int>(n), i1 = 1, query = -1, yes = 1;
  auto A = tt::random<C>(g, n, n, 1, b);
  tt::DistMatrix<C> W = A.copy(), Z = tt::identity<C>(g, n, b), X = tt::zeros<C>(g, n, n, b);
  const int* d = W.descriptor().data();
  const int* dz = Z.descriptor().data();
  auto D = [](tt::DistMatrix<C>& M) { return reinterpret_cast<double*>(M.data()); };
  std::vector<C> tau(static_cast<std::size_t>(W.local_cols() + nb)), w(static_cast<std::size_t>(n));
  int info = 0, m_found = 0, iw = 0;
  C wq{};
  pzgehrd_(&ni, &i1, &ni, D(W), &i1, &i1, d, reinterpret_cast<double*>(tau.data()), reinterpret_cast<double*>(&wq),
           &query, &info);
  std::size_t lw = std::size_t(wq.real()) + 1024;
  pzunmhr_("L", "N", &ni, &ni, &i1, &ni, D(W), &i1, &i1, d, reinterpret_cast<double*>(tau.data()), D(Z), &i1, &i1, dz,
           reinterpret_cast<double*>(&wq), &query, &info, 1, 1);
  lw = std::max(lw, std::size_t(wq.real()) + 1024);
  pzlahqr_(&yes, &yes, &ni, &i1, &ni, D(W), d, reinterpret_cast<double*>(w.data()), &i1, &ni, D(Z), dz,
           reinterpret_cast<double*>(&wq), &query, &iw, &i1, &info);
  lw = std::max(lw, std::size_t(wq.real() * 1.5) + 1024);
  std::vector<C> work(std::max<std::size_t>(lw, 2 * std::size_t(W.lld()) + 1024));
  std::vector<double> rwork(std::size_t(W.lld()) + 1024);
  std::vector<int> select(static_cast<std::size_t>(n), 1);
  auto schur = [&] {  // W := T, Z := the Schur vectors, from A
    W.local() = A.local();
    Z = tt::identity<C>(g, n, b);
    const int lwork = int(work.size());
    pzgehrd_(&ni, &i1, &ni, D(W), &i1, &i1, d, reinterpret_cast<double*>(tau.data()),
             reinterpret_cast<double*>(work.data()), &lwork, &info);
    pzunmhr_("L", "N", &ni, &ni, &i1, &ni, D(W), &i1, &i1, d, reinterpret_cast<double*>(tau.data()), D(Z), &i1, &i1, dz,
             reinterpret_cast<double*>(work.data()), &lwork, &info, 1, 1);
    W.for_each_local([](std::int64_t i, std::int64_t j, C& x) {
      if (i > j + 1) x = 0;
    });
    pzlahqr_(&yes, &yes, &ni, &i1, &ni, D(W), d, reinterpret_cast<double*>(w.data()), &i1, &ni, D(Z), dz,
             reinterpret_cast<double*>(work.data()), &lwork, &iw, &i1, &info);
  };
  auto vectors = [&] {  // X := Z times the eigenvectors of T (HOWMNY 'B')
    X.local() = Z.local();
    pztrevc_("R", "B", select.data(), &ni, D(W), d, D(X), X.descriptor().data(), D(X), X.descriptor().data(), &ni,
             &m_found, reinterpret_cast<double*>(work.data()), rwork.data(), &info, 1, 1);
  };
  if (op == "eig")
    return best_of(
        reps, [&] { keep(tt::eig(A)); }, [] {},
        [&] {
          schur();
          vectors();
        });
  schur();  // untimed: T and Z for both sides
  if (g.rank() == 0 && info != 0) std::fprintf(stderr, "[bench] eig_vectors: pzlahqr INFO = %d\n", info);
  vectors();
  if (g.rank() == 0) std::fprintf(stderr, "[bench] eig_vectors: pztrevc INFO = %d, M = %d\n", info, m_found);
  return best_of(
      reps, [&] { keep(tt::eig_from_schur(W, Z)); }, [] {}, vectors);
}

Row run_op_timed(const std::string& op, const tt::Grid& g, std::int64_t n, std::int64_t nb, int reps,
                 std::int64_t m_arg) {
  const tt::Block b{nb, nb};
  const int ni = static_cast<int>(n);
  const bool eigh = op.rfind("eigh", 0) == 0;
  auto A = op == "cholesky" || eigh
               ? tt::matmul(tt::transpose(tt::random<double>(g, n, n, 1, b)), tt::random<double>(g, n, n, 1, b))
               : tt::random<double>(g, n, n, 1, b);
  if (op == "cholesky") tt::axpy(double(n), tt::identity<double>(g, n, b), A);
  auto B = tt::random<double>(g, n, n, 2, b);
  tt::DistMatrix<double> W = A.copy();  // raw ScaLAPACK overwrites: refreshed before each rep
  auto refresh = [&] { W.local() = A.local(); };
  const int* d = W.descriptor().data();
  int info = 0;
  const int i1 = 1, query = -1;
  const double one = 1, zero = 0;
  Times tm;
  std::optional<tt::DistMatrix<double>> fresh;  // the rvalue handed to Tartan, refreshed untimed
  auto refill = [&] { fresh.emplace(A.copy()); };
  if (op == "gemm") {
    auto C = tt::zeros<double>(g, n, n, b);
    tm = best_of(
        reps, [&] { keep(tt::matmul(A, B)); }, [] {},
        [&] {
          pdgemm_("N", "N", &ni, &ni, &ni, &one, A.data(), &i1, &i1, A.descriptor().data(), B.data(), &i1, &i1,
                  B.descriptor().data(), &zero, C.data(), &i1, &i1, C.descriptor().data(), 1, 1);
        });
  } else if (op == "lu") {
    std::vector<int> ipiv(std::size_t(W.local_rows() + nb));
    tm = best_of(
        reps, [&] { keep(tt::lu_factor(A)); }, refresh,
        [&] { pdgetrf_(&ni, &ni, W.data(), &i1, &i1, d, ipiv.data(), &info); }, refill,
        [&] { keep(tt::lu_factor(std::move(*fresh))); });
  } else if (op == "mixed" || op == "mixed_ill") {
    // solve_mixed against pdgesv on the same A and b. mixed_ill: singular values logspaced
    // from 1 to 1e-10 between two random orthogonal factors (its fallback's cost).
    if (op == "mixed_ill") {
      auto Q1 = tt::qr(tt::random<double>(g, n, n, 5, b)).q;
      auto Q2 = tt::qr(tt::random<double>(g, n, n, 6, b)).q;
      for (std::int64_t jl = 0; jl < Q1.local_cols(); ++jl) {  // Q1 := Q1 diag(s)
        const double sj =
            std::pow(1e10, -double(Q1.layout().global_col(jl, g.mycol())) / double(std::max<std::int64_t>(n - 1, 1)));
        for (std::int64_t il = 0; il < Q1.local_rows(); ++il) Q1.data()[il + jl * Q1.lld()] *= sj;
      }
      A = tt::matmul(Q1, Q2);
      W.local() = A.local();
    }
    auto x = tt::random<double>(g, n, 1, 3, b), bx = x.copy();
    std::vector<int> ipiv(std::size_t(W.local_rows() + nb));
    {
      const auto r = tt::solve_mixed(A, x);  // untimed: what it does here
      if (g.rank() == 0)
        std::fprintf(stderr, "[bench] %s: %d refinement step(s), %s, backward error %.2e\n", op.c_str(), r.iterations,
                     r.reason.empty() ? "converged" : r.reason.c_str(), r.backward_error);
    }
    tm = best_of(
        reps, [&] { keep(tt::solve_mixed(A, x)); },
        [&] {
          refresh();
          bx.local() = x.local();
        },
        [&] {
          pdgesv_(&ni, &i1, W.data(), &i1, &i1, d, ipiv.data(), bx.data(), &i1, &i1, bx.descriptor().data(), &info);
        });
  } else if (op == "tsqr") {
    // qr (reduced: Q and R) of a tall-skinny matrix against pdgeqrf + pdorgqr on the same data.
    const std::int64_t m = m_arg > 0 ? m_arg : 100 * n;
    const int mi = static_cast<int>(m);
    auto At = tt::random<double>(g, m, n, 1, b);
    tt::DistMatrix<double> Wt = At.copy();
    const int* dt = Wt.descriptor().data();
    std::vector<double> tau(std::size_t(Wt.local_cols() + nb));
    double wq = 0, wq2 = 0;
    pdgeqrf_(&mi, &ni, Wt.data(), &i1, &i1, dt, tau.data(), &wq, &query, &info);
    pdorgqr_(&mi, &ni, &ni, Wt.data(), &i1, &i1, dt, tau.data(), &wq2, &query, &info);
    std::vector<double> work(std::size_t(std::max(wq, wq2) * 1.1) + 1024);
    {
      const auto r = tt::qr(At);  // untimed: which method runs
      if (g.rank() == 0)
        std::fprintf(stderr, "[bench] tsqr %lldx%lld: %s%s%s\n", (long long)m, (long long)n,
                     tt::qr_method_name(r.method), r.fallback.empty() ? "" : ": ", r.fallback.c_str());
    }
    tm = best_of(
        reps, [&] { keep(tt::qr(At)); }, [&] { Wt.local() = At.local(); },
        [&] {
          const int lwork = int(work.size());
          pdgeqrf_(&mi, &ni, Wt.data(), &i1, &i1, dt, tau.data(), work.data(), &lwork, &info);
          pdorgqr_(&mi, &ni, &ni, Wt.data(), &i1, &i1, dt, tau.data(), work.data(), &lwork, &info);
        });
    return {op,         n,
            nb,         g.prows(),
            g.pcols(),  tm.tartan,
            tm.raw,     flops_of(op, double(n), double(m)),
            0,          tm.tartan_comm,
            tm.raw_comm};
  } else if (op == "redistribute" || op == "redistribute_tall") {
    // redistribute against pdgemr2d on the same data. redistribute: n x n from the bench's
    // P x Q grid in nb blocks to the Q x P grid in 2nb blocks. redistribute_tall: m x n
    // (m = --m, default 100 n) to one process column in one row block per process, the
    // move tall-skinny qr makes.
    const bool tall = op == "redistribute_tall";
    const std::int64_t m = tall ? (m_arg > 0 ? m_arg : 100 * n) : n;
    const int mi = static_cast<int>(m);
    const tt::Grid h(MPI_COMM_WORLD, tall ? g.size() : g.pcols(), tall ? 1 : g.prows());
    const tt::Block b2 = tall ? tt::Block{(m + g.size() - 1) / g.size(), n} : tt::Block{2 * nb, 2 * nb};
    auto As = tall ? tt::random<double>(g, m, n, 1, b) : A.copy();
    auto Bs = tt::zeros<double>(h, m, n, b2);
    const int ctxt = g.blacs_context();
    tm = best_of(
        reps, [&] { keep(tt::redistribute(As, h, b2)); }, [] {},
        [&] {
          pdgemr2d_(&mi, &ni, As.data(), &i1, &i1, As.descriptor().data(), Bs.data(), &i1, &i1, Bs.descriptor().data(),
                    &ctxt);
        });
    if (tt::norm(tt::redistribute(As, h, b2) - Bs) != 0)  // untimed: both land the same entries
      throw std::runtime_error("tartan-bench: redistribute and pdgemr2d differ");
  } else if (op == "lstsq_tall") {
    // lstsq (which also gives the singular values, rank and residual) against pdgels, which
    // gives x alone: the ratio flatters pdgels.
    const std::int64_t m = m_arg > 0 ? m_arg : 100 * n;
    const int mi = static_cast<int>(m), one_rhs = 1;
    auto At = tt::random<double>(g, m, n, 1, b);
    auto Bt = tt::random<double>(g, m, 1, 2, b);
    tt::DistMatrix<double> Wt = At.copy(), Xt = Bt.copy();
    const int *dt = Wt.descriptor().data(), *dx = Xt.descriptor().data();
    double wq = 0;
    pdgels_("N", &mi, &ni, &one_rhs, Wt.data(), &i1, &i1, dt, Xt.data(), &i1, &i1, dx, &wq, &query, &info, 1);
    std::vector<double> work(std::size_t(wq * 1.1) + 1024);
    tm = best_of(
        reps, [&] { keep(tt::lstsq(At, Bt)); },
        [&] {
          Wt.local() = At.local();
          Xt.local() = Bt.local();
        },
        [&] {
          const int lwork = int(work.size());
          pdgels_("N", &mi, &ni, &one_rhs, Wt.data(), &i1, &i1, dt, Xt.data(), &i1, &i1, dx, work.data(), &lwork, &info,
                  1);
        });
    return {op,         n,
            nb,         g.prows(),
            g.pcols(),  tm.tartan,
            tm.raw,     flops_of(op, double(n), double(m)),
            0,          tm.tartan_comm,
            tm.raw_comm};
  } else if (op == "cholesky") {
    tm = best_of(
        reps, [&] { keep(tt::cholesky(A)); }, refresh, [&] { pdpotrf_("L", &ni, W.data(), &i1, &i1, d, &info, 1); },
        refill, [&] { keep(tt::cholesky(std::move(*fresh))); });
  } else if (op == "qr") {
    std::vector<double> tau(std::size_t(W.local_cols() + nb));
    double wq = 0;
    pdgeqrf_(&ni, &ni, W.data(), &i1, &i1, d, tau.data(), &wq, &query, &info);
    std::vector<double> work(std::size_t(wq) + 1024);
    tm = best_of(
        reps, [&] { keep(tt::qr(A, {.mode = tt::QrMode::r})); }, refresh,
        [&] {
          const int lwork = int(work.size());
          pdgeqrf_(&ni, &ni, W.data(), &i1, &i1, d, tau.data(), work.data(), &lwork, &info);
        },
        refill, [&] { keep(tt::qr(std::move(*fresh), {.mode = tt::QrMode::r})); });
  } else if (eigh) {
    // eigh: the default driver (auto); eigh_<driver>: that driver. All against raw pdsyevd.
    const auto drv = op == "eigh"                ? std::optional{tt::EighDriver::automatic}
                     : op.rfind("eigh_", 0) == 0 ? cli::eigh_driver(op.substr(5))
                                                 : std::nullopt;
    if (!drv || (op != "eigh" && *drv == tt::EighDriver::automatic))
      throw cli::UsageError("unknown op '" + op + "', expected eigh, eigh_elpa, eigh_elpa2, eigh_evd or eigh_evr");
    tt::EighOptions o;
    o.driver = *drv;
    {
      const auto r = tt::eigh(A, o);  // untimed: which driver runs, and any fallback
      if (g.rank() == 0 && !r.fallback.empty())
        std::fprintf(stderr, "[bench] %s ran %s: %s\n", op.c_str(), tt::driver_name(r.driver), r.fallback.c_str());
    }
    auto Z = tt::zeros<double>(g, n, n, b);
    std::vector<double> w(static_cast<std::size_t>(n));
    double wq = 0;
    int iq = 0;
    pdsyevd_("V", "L", &ni, W.data(), &i1, &i1, d, w.data(), Z.data(), &i1, &i1, Z.descriptor().data(), &wq, &query,
             &iq, &query, &info, 1, 1);
    std::vector<double> work(std::size_t(wq * 1.1) + 1024);
    std::vector<int> iwork(std::size_t(std::max<double>(iq, 7.0 * n + 8 * g.pcols() + 2)) + 1024);
    tm = best_of(
        reps, [&] { keep(tt::eigh(A, o)); }, refresh,
        [&] {
          const int lwork = int(work.size()), liwork = int(iwork.size());
          pdsyevd_("V", "L", &ni, W.data(), &i1, &i1, d, w.data(), Z.data(), &i1, &i1, Z.descriptor().data(),
                   work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
        });
  } else if (op == "eig" || op == "eig_vectors") {
    tm = time_eig(op, g, n, nb, reps);
  } else if (op == "polar" || op == "polar_ill") {
    if (op == "polar_ill") {  // singular values log-spaced from 1 to 1e-8 between random orthogonal factors
      auto Q1 = tt::qr(tt::random<double>(g, n, n, 5, b)).q;
      auto Q2 = tt::qr(tt::random<double>(g, n, n, 6, b)).q;
      std::vector<double> sv(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i)
        sv[std::size_t(i)] = std::pow(1e8, -double(i) / double(std::max<std::int64_t>(n - 1, 1)));
      A = tt::matmul(tt::scale_columns(Q1, sv), Q2);
    }
    {
      const auto r = tt::polar(A, {.method = tt::PolarMethod::qdwh});  // untimed: its steps
      if (g.rank() == 0)
        std::fprintf(stderr, "[bench] %s: QDWH took %d steps (%d QR-based)%s%s\n", op.c_str(), r.iterations,
                     r.qr_iterations, r.fallback.empty() ? "" : ", fell back: ", r.fallback.c_str());
    }
    tm = best_of(
        reps, [&] { keep(tt::polar(A, {.method = tt::PolarMethod::qdwh})); }, [] {},
        [&] { keep(tt::polar(A, {.method = tt::PolarMethod::svd})); });
  } else if (op == "expm") {
    A *= std::sqrt(3.0 / double(n));  // uniform entries: spectral radius about 1, degree 13 with squarings
    tt::FunmReport rep;
    keep(tt::expm(A, {.report = &rep}));  // untimed: the degree and squarings, hence the raw calls
    const int pade_products = rep.degree == 13 ? 6 : rep.degree == 9 ? 5 : rep.degree / 2 + 1;
    expm_products = pade_products + rep.squarings;
    if (g.rank() == 0)
      std::fprintf(stderr, "[bench] expm: Pade degree %d, %d squarings: %d products against raw pdgemm\n", rep.degree,
                   rep.squarings, expm_products);
    auto C = tt::zeros<double>(g, n, n, b);
    auto X = B.copy();
    std::vector<int> ipiv(std::size_t(W.local_rows() + nb));
    tm = best_of(
        reps, [&] { keep(tt::expm(A)); },
        [&] {
          refresh();
          X.local() = B.local();
        },
        [&] {
          for (int k = 0; k < expm_products; ++k)
            pdgemm_("N", "N", &ni, &ni, &ni, &one, A.data(), &i1, &i1, A.descriptor().data(), B.data(), &i1, &i1,
                    B.descriptor().data(), &zero, C.data(), &i1, &i1, C.descriptor().data(), 1, 1);
          pdgesv_(&ni, &ni, W.data(), &i1, &i1, d, ipiv.data(), X.data(), &i1, &i1, X.descriptor().data(), &info);
        });
  } else if (op == "svd" || op == "svd_gesvd" || op == "svd_tall") {
    // svd: the default driver (divide and conquer); svd_gesvd: p?gesvd through Tartan;
    // svd_tall: the default driver on a (100 n) x n matrix. All against raw pdgesvd.
    const std::int64_t m = op == "svd_tall" ? 100 * n : n;
    const int mi = static_cast<int>(m);
    auto At = op == "svd_tall" ? tt::random<double>(g, m, n, 1, b) : A.copy();
    tt::DistMatrix<double> Wt = At.copy();
    const int* dt = Wt.descriptor().data();
    auto U = tt::zeros<double>(g, m, n, b);
    auto VT = tt::zeros<double>(g, n, n, b);
    std::vector<double> s(static_cast<std::size_t>(n));
    double wq = 0;
    pdgesvd_("V", "V", &mi, &ni, Wt.data(), &i1, &i1, dt, s.data(), U.data(), &i1, &i1, U.descriptor().data(),
             VT.data(), &i1, &i1, VT.descriptor().data(), &wq, &query, &info, 1, 1);
    std::vector<double> work(std::size_t(wq * 1.1) + 1024);
    const tt::SvdOptions o{.driver = op == "svd_gesvd" ? tt::SvdDriver::gesvd : tt::SvdDriver::gesdd};
    tm = best_of(
        reps, [&] { keep(tt::svd(At, o)); }, [&] { Wt.local() = At.local(); },
        [&] {
          const int lwork = int(work.size());
          pdgesvd_("V", "V", &mi, &ni, Wt.data(), &i1, &i1, dt, s.data(), U.data(), &i1, &i1, U.descriptor().data(),
                   VT.data(), &i1, &i1, VT.descriptor().data(), work.data(), &lwork, &info, 1, 1);
        });
  } else {
    throw cli::UsageError(
        "unknown op '" + op +
        "', expected gemm, lu, mixed, mixed_ill, tsqr, lstsq_tall, cholesky, qr, eigh, eigh_elpa, "
        "eigh_elpa2, eigh_evd, eigh_evr, eig, eig_vectors, polar, polar_ill, expm, svd, svd_gesvd, svd_tall, "
        "redistribute or redistribute_tall");
  }
  return {
      op,         n, nb, g.prows(), g.pcols(), tm.tartan, tm.raw, flops_of(op, double(n)), tm.rvalue, tm.tartan_comm,
      tm.raw_comm};
}

// The memory plan of one row, per rank: the bench's own matrices (A, B, the raw call's copy
// W, and what the op adds) plus the larger of Tartan's call (memory_estimate) and the raw
// call, which do not overlap. Throws UsageError for an op the bench does not know, so that
// a typo stops the sweep before it starts.
struct Plan {
  double bytes = 0;
  std::string detail;
};
Plan plan_of(const std::string& op, const tt::Grid& g, std::int64_t n, std::int64_t nb, std::int64_t m_arg) {
  const double P = g.prows(), Q = g.pcols(), S = sizeof(double);
  auto local = [&](double rows, double cols) {  // a block-cyclic local array, rounded up by a block
    return (std::ceil(rows / P / double(nb)) * double(nb)) * (std::ceil(cols / Q / double(nb)) * double(nb)) * S;
  };
  const double square = local(double(n), double(n));
  const std::int64_t m = m_arg > 0 ? m_arg : 100 * n;
  Plan p{3 * square, "A, B and the raw call's copy of A"};
  auto call = [&](tt::Operation o, std::int64_t rows, std::int64_t cols) {
    const auto e = tt::memory_estimate<double>(o, g, rows, cols, 1, tt::Block{nb, nb});
    p.bytes += 2 * double(e.bytes);  // Tartan's result kept alive while the raw call's outputs exist
    p.detail += std::string(" + ") + tt::operation_name(o) + " (Tartan's call and the raw one's outputs)";
  };
  if (op == "gemm") {
    p.bytes += 2 * square;
    p.detail += " + C and Tartan's product";
  } else if (op == "lu") {
    call(tt::Operation::lu_factor, n, n);
  } else if (op == "mixed" || op == "mixed_ill") {
    call(tt::Operation::solve_mixed, n, n);
  } else if (op == "cholesky") {
    call(tt::Operation::cholesky, n, n);
  } else if (op == "qr") {
    call(tt::Operation::qr, n, n);
  } else if (op == "eigh" || op == "eigh_elpa" || op == "eigh_elpa2" || op == "eigh_evd" || op == "eigh_evr") {
    call(tt::Operation::eigh, n, n);
  } else if (op == "polar" || op == "polar_ill") {
    call(tt::Operation::svd, n, n);
    p.bytes += 4 * square;
    p.detail += " + QDWH's iterate, its stacked QR and P";
  } else if (op == "expm") {
    p.bytes += 9 * square;
    p.detail += " + expm's powers A^2, A^4, A^6, its Pade terms and the raw side's C, X and pivots";
  } else if (op == "eig" || op == "eig_vectors") {
    // complex: the matrices count twice; the raw side's H, Z and X
    p.bytes = 2 * (p.bytes + 3 * square);
    p.detail += " (complex) + the raw pipeline's H, Z and X";
    const auto e = tt::memory_estimate<std::complex<double>>(tt::Operation::eig, g, n, n, 1, tt::Block{nb, nb});
    p.bytes += double(e.bytes);
    p.detail += " + eig";
  } else if (op == "svd" || op == "svd_gesvd") {
    call(tt::Operation::svd, n, n);
  } else if (op == "svd_tall") {
    p.bytes += 2 * local(double(100 * n), double(n));
    call(tt::Operation::svd, 100 * n, n);
  } else if (op == "tsqr" || op == "lstsq_tall") {
    p.bytes += 2 * local(double(m), double(n));
    call(op == "tsqr" ? tt::Operation::qr : tt::Operation::lstsq, m, n);
  } else if (op == "redistribute" || op == "redistribute_tall") {
    const double x = op == "redistribute" ? square : local(double(m), double(n));
    p.bytes += 5 * x;
    p.detail += " + the matrix, its two moved copies and the move's buffers";
  } else {
    throw cli::UsageError(
        "unknown op '" + op +
        "', expected gemm, lu, mixed, mixed_ill, tsqr, lstsq_tall, cholesky, qr, eigh, eigh_elpa, "
        "eigh_elpa2, eigh_evd, eigh_evr, eig, eig_vectors, polar, polar_ill, expm, svd, svd_gesvd, svd_tall, "
        "redistribute or redistribute_tall");
  }
  return p;
}

Row run_op(const std::string& op, const tt::Grid& g, std::int64_t n, std::int64_t nb, int reps, std::int64_t m_arg) {
  Row r = run_op_timed(op, g, n, nb, reps, m_arg);
  r.first_s = last_times.first;
  r.faults = last_times.faults;
  return r;
}

int run(int argc, char** argv, tt::Environment& env) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cli::Args args(argc, argv, {"--ops", "--n", "--m", "--nb", "--grid", "--reps", "--csv", "--json"},
                 {"--help", "--link", "--version", "--dry-run"});
  if (args.has("--help")) {
    if (rank == 0) std::fputs(usage, stdout);
    return 0;
  }
  if (cli::version_asked(args, "tartan-bench", rank)) return 0;
  // --json - : the JSON on stdout at the end, in place of the report (the drivers' --json);
  // the report then goes nowhere (stderr keeps the progress lines).
  const bool json_stdout = args.get("--json", "") == "-";
  if (json_stdout && args.get("--csv", "") == "-")
    throw cli::UsageError("--csv - and --json - both ask for stdout; give one of them a file");
  const bool csv_stdout = args.get("--csv", "") == "-";
  static FILE* const devnull = std::fopen("/dev/null", "w");
  FILE* const report = json_stdout || csv_stdout ? devnull : stdout;
  const cli::RunInfo info(env, argc, argv);
  if (args.has("--link") && size < 2) throw cli::UsageError("--link needs at least 2 ranks");
  const auto ops = split(args.get("--ops", "gemm,lu,cholesky,qr"));
  const int reps = static_cast<int>(args.integer("--reps", 3, 1, 1000));
  const std::int64_t m_arg = args.integer("--m", 0, 1, std::numeric_limits<int>::max());
  std::vector<std::int64_t> ns, nbs;
  for (auto& s : split(args.get("--n", "2000"))) ns.push_back(std::stoll(s));
  for (auto& s : split(args.get("--nb", std::to_string(tt::default_block())))) nbs.push_back(std::stoll(s));
  std::vector<std::pair<int, int>> grids;
  if (args.has("--grid"))
    for (auto& s : split(args.get("--grid", ""))) grids.push_back(cli::parse_grid(s, size));
  else
    grids.push_back(tt::Grid::default_shape(size));

  // The memory plan of every row, before anything is timed: a row that cannot fit stops
  // the sweep here, with its numbers, instead of an OutOfMemory after an hour of rows.
  {
    std::int64_t avail = tt::available_memory(tt::Grid(MPI_COMM_WORLD));
    MPI_Allreduce(MPI_IN_PLACE, &avail, 1, MPI_INT64_T, MPI_MIN, MPI_COMM_WORLD);
    double worst = 0;
    std::string worst_row, refused;
    for (auto [p, q] : grids) {
      tt::Grid g(MPI_COMM_WORLD, p, q);
      for (auto n : ns)
        for (auto nb : nbs)
          for (auto& op : ops) {
            const Plan pl = plan_of(op, g, n, nb, m_arg);
            char row[160];
            std::snprintf(row, sizeof row, "%s n=%lld nb=%lld grid %dx%d", op.c_str(), (long long)n, (long long)nb, p,
                          q);
            if (rank == 0 && args.has("--dry-run"))
              std::fprintf(report, "%-44s about %10s per rank (%s)%s\n", row, tt::format_bytes(pl.bytes).c_str(),
                           pl.detail.c_str(), pl.bytes > double(avail) ? ": does not fit" : "");
            if (pl.bytes > worst) {
              worst = pl.bytes;
              worst_row = row;
            }
            if (pl.bytes > double(avail) && refused.empty())
              refused =
                  std::string(row) + " needs about " + tt::format_bytes(pl.bytes) + " per rank (" + pl.detail + ")";
          }
    }
    if (rank == 0) {
      std::fprintf(report, "tartan-bench %s: memory per rank at most about %s (%s) of %s available\n",
                   tt::version_string, tt::format_bytes(worst).c_str(), worst_row.c_str(),
                   tt::format_bytes(double(avail)).c_str());
      std::fflush(report);
    }
    if (args.has("--dry-run")) return 0;
    if (!refused.empty())
      throw cli::UsageError("not enough memory: " + refused + ", " + tt::format_bytes(double(avail)) +
                            " available per rank (--dry-run prints every row's plan)");
  }

  // The node's DGEMM rate: best of at least 5 runs, measured again at the end (the larger
  // counts), so a noisy moment of a shared machine does not pass for the node's speed.
  double dgemm = node_dgemm_gflops(2000, std::max(reps, 5));
  int nodes_leaders = 0;
  {
    MPI_Comm shm;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &shm);
    int r = 0;
    MPI_Comm_rank(shm, &r);
    int leader = r == 0 ? 1 : 0;
    MPI_Allreduce(&leader, &nodes_leaders, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Comm_free(&shm);
  }
  const double peak = dgemm * nodes_leaders;  // DGEMM rate of all nodes of the job
  if (rank == 0) {
    std::fprintf(report, "tartan-bench %s: %d ranks x %d BLAS threads, OpenBLAS %s, %d node(s)\n", tt::version_string,
                 size, env.blas_threads(), env.blas_kernel().c_str(), nodes_leaders);
    std::fprintf(report, "node DGEMM rate (n=2000, all ranks at once): %.2f GFLOP/s\n\n", dgemm);
    std::fprintf(report, "%-9s %6s %4s %5s %10s %10s %9s %9s %8s %8s %10s %9s %8s\n", "op", "n", "nb", "grid",
                 "tartan_s", "scalapack_s", "tartan_GF", "scal_GF", "ratio", "%dgemm", "rvalue_rat", "first_rat",
                 "faults");
  }
  std::vector<Row> rows;
  // --csv and --json are rewritten after every row (rank 0), so a sweep that dies keeps the
  // rows it finished; the last write adds the link figures.
  auto save = [&](const std::optional<Link>& link, bool last) {
    if (rank != 0) return;
    // a file is rewritten after every row; stdout ("-") gets the whole at the end
    auto open = [&](const std::string& path) {
      return path == "-" ? std::unique_ptr<std::ostream>() : std::make_unique<std::ofstream>(path);
    };
    if (args.has("--csv") && (!csv_stdout || last)) {
      const auto file = open(args.get("--csv", ""));
      std::ostream& f = file ? *file : std::cout;
      f << std::setprecision(12);
      f << "op,n,nb,grid,tartan_s,scalapack_s,tartan_gflops,scalapack_gflops,ratio,dgemm_gflops,efficiency,rvalue_s,"
           "tartan_recv_bytes,tartan_messages,scalapack_recv_bytes,scalapack_messages,bound_bytes,"
        << cli::RunInfo::csv_header() << '\n';
      for (auto& r : rows)
        f << r.op << ',' << r.n << ',' << r.nb << ',' << r.p << 'x' << r.q << ',' << r.tartan_s << ',' << r.scalapack_s
          << ',' << r.flops / r.tartan_s * 1e-9 << ',' << r.flops / r.scalapack_s * 1e-9 << ','
          << r.scalapack_s / r.tartan_s << ',' << peak << ',' << r.flops / r.tartan_s * 1e-9 / peak << ','
          << r.inplace_s << ',' << r.tartan_comm.bytes << ',' << r.tartan_comm.messages << ',' << r.raw_comm.bytes
          << ',' << r.raw_comm.messages << ',' << comm_bound_bytes(r.op, double(r.n), r.p * r.q) << ',' << info.csv()
          << '\n';
      if (!f) throw tt::IoError("tartan-bench: cannot write " + args.get("--csv", ""));
    }
    if (args.has("--json") && (!json_stdout || last)) {
      const auto file = open(args.get("--json", ""));
      std::ostream& f = file ? *file : std::cout;
      f << "{\"program\":\"tartan-bench\"," << info.json() << ",\"dgemm_gflops\":" << peak;
      if (link) f << ",\"link_alpha_s\":" << link->alpha << ",\"link_beta_s_per_byte\":" << link->beta;
      f << ",\"results\":[";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        f << (i ? "," : "") << "{\"op\":\"" << r.op << "\",\"n\":" << r.n << ",\"nb\":" << r.nb << ",\"grid\":\"" << r.p
          << 'x' << r.q << "\",\"tartan_s\":" << r.tartan_s << ",\"scalapack_s\":" << r.scalapack_s
          << ",\"tartan_gflops\":" << r.flops / r.tartan_s * 1e-9 << ",\"ratio\":" << r.scalapack_s / r.tartan_s;
        if (r.tartan_comm.counted())
          f << ",\"tartan_recv_bytes\":" << r.tartan_comm.bytes << ",\"tartan_messages\":" << r.tartan_comm.messages;
        if (r.raw_comm.counted())
          f << ",\"scalapack_recv_bytes\":" << r.raw_comm.bytes << ",\"scalapack_messages\":" << r.raw_comm.messages;
        const double bound = comm_bound_bytes(r.op, double(r.n), r.p * r.q);
        if (bound > 0) f << ",\"bound_bytes\":" << bound;
        f << "}";
      }
      f << "]}\n";
      if (!f) throw tt::IoError("tartan-bench: cannot write " + args.get("--json", ""));
    }
  };
  for (auto [p, q] : grids) {
    tt::Grid g(MPI_COMM_WORLD, p, q);
    for (auto n : ns)
      for (auto nb : nbs)
        for (auto& op : ops) {
          if (rank == 0)
            std::fprintf(stderr, "[bench] %s n=%lld nb=%lld grid %dx%d ...\n", op.c_str(), (long long)n, (long long)nb,
                         p, q);
          Row r = run_op(op, g, n, nb, reps, m_arg);
          rows.push_back(r);
          save(std::nullopt, false);
          if (rank == 0) {
            const double gt = r.flops / r.tartan_s * 1e-9, gs = r.flops / r.scalapack_s * 1e-9;
            char inplace[32] = "-";
            if (r.inplace_s > 0) std::snprintf(inplace, sizeof inplace, "%.3f", r.scalapack_s / r.inplace_s);
            std::fprintf(report, "%-9s %6lld %4lld %2dx%-2d %10.4f %10.4f %9.2f %9.2f %8.3f %7.1f%% %10s %9.3f %8.0f\n",
                         r.op.c_str(), (long long)r.n, (long long)r.nb, r.p, r.q, r.tartan_s, r.scalapack_s, gt, gs,
                         r.scalapack_s / r.tartan_s, 100 * gt / peak, inplace, r.scalapack_s / r.first_s, r.faults);
            std::fflush(report);
          }
        }
  }
  const double dgemm_end = node_dgemm_gflops(2000, std::max(reps, 5));
  const bool counting = tartan_comm_active() == 1;
  std::optional<Link> link;
  if (args.has("--link")) link = measure_link(reps);
  if (rank == 0) {
    auto mb = [](double b) {
      char t[24] = "-";
      if (b >= 0) std::snprintf(t, sizeof t, "%.3f", b / 1e6);
      return std::string(t);
    };
    auto count = [](double m) {
      char t[24] = "-";
      if (m >= 0) std::snprintf(t, sizeof t, "%.0f", m);
      return std::string(t);
    };
    if (link) {
      std::fprintf(report, "\nlink rank 0 <-> rank %d (ping-pong, half round trip, best of %d):\n", size - 1,
                   std::max(reps, 3));
      for (auto [b, t] : link->points)
        std::fprintf(report, "  %9.0f B  %10.2f us  %8.3f GB/s\n", b, t * 1e6, b / t * 1e-9);
      std::fprintf(report, "alpha = %.2f us, beta = %.4f ns/B (%.3f GB/s)\n", link->alpha * 1e6, link->beta * 1e9,
                   link->beta > 0 ? 1e-9 / link->beta : 0.0);
    }
    if (counting) {
      std::fprintf(report, "\ncommunication per rank, one call, busiest rank (received MB and messages):\n");
      std::fprintf(report, "%-9s %6s %4s %5s %11s %8s %11s %8s %10s %8s%s\n", "op", "n", "nb", "grid", "tartan_MB",
                   "msgs", "scal_MB", "msgs", "bound_MB", "/bound", link ? "   model_s" : "");
      for (auto& r : rows) {
        const double bound = comm_bound_bytes(r.op, double(r.n), r.p * r.q);
        char ratio[24] = "-";
        if (bound > 0 && r.tartan_comm.counted())
          std::snprintf(ratio, sizeof ratio, "%.3f", r.tartan_comm.bytes / bound);
        char model[24] = "";
        if (link && r.tartan_comm.counted())
          std::snprintf(model, sizeof model, " %9.4f",
                        link->alpha * r.tartan_comm.messages + link->beta * r.tartan_comm.bytes);
        std::fprintf(report, "%-9s %6lld %4lld %2dx%-2d %11s %8s %11s %8s %10s %8s%s\n", r.op.c_str(), (long long)r.n,
                     (long long)r.nb, r.p, r.q, mb(r.tartan_comm.bytes).c_str(), count(r.tartan_comm.messages).c_str(),
                     mb(r.raw_comm.bytes).c_str(), count(r.raw_comm.messages).c_str(), mb(bound).c_str(), ratio, model);
      }
      std::fprintf(
          report,
          "received = point-to-point bytes addressed to the rank + collectives' payload from the others;\n"
          "msgs = point-to-point messages received + ceil(log2 p) per collective; bound_MB = the least some\n"
          "rank must receive in 2D (gemm, lu, cholesky; bench/comm_bounds.hpp); /bound = tartan_MB / bound_MB\n");
      if (link)
        std::fprintf(report,
                     "model_s = alpha * msgs + beta * tartan_MB: the alpha-beta model's communication time on the\n"
                     "measured link, with nothing overlapped (a model, not a measurement)\n");
    }
    std::fprintf(
        report, "\nnode DGEMM rate at the end: %.2f GFLOP/s%s\n", dgemm_end,
        dgemm_end > 1.1 * dgemm ? " (start figure was low: the machine was busy; %dgemm above uses the start)" : "");
    std::fprintf(
        report,
        "ratio = ScaLAPACK time / Tartan time (1 = no overhead); %%dgemm = Tartan GFLOP/s / DGEMM rate;\n"
        "rvalue_rat = the same ratio when Tartan is handed an rvalue (std::move(A)) and skips the input copy;\n"
        "first_rat = the same ratio for Tartan's first call; faults = minor page faults of Tartan's last call\n"
        "(busiest rank)\n");
    save(link, true);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::main("tartan-bench", argc, argv, [&](tt::Environment& env) {
    try {
      return run(argc, argv, env);
    } catch (const std::invalid_argument&) {
      throw cli::UsageError("--n and --nb take comma-separated whole numbers");
    }
  });
}
