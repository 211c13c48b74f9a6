// tartan-solve: solves a dense linear system or least-squares problem from files or a
// generator, in the files' element type, times the solver itself and checks the scaled
// residual, as HPL does.

#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>

#include "common/cli.hpp"
#include "tartan/tartan.hpp"

namespace tt = tartan;

namespace {

const char* usage = R"(usage: mpirun -np P tartan-solve [options]

Solves A X = B (or min ||A X - B|| for lstsq) for A and B from files or generated, times the solve and
checks the scaled residual  ||A x - b||_oo / (eps (||A||_oo ||x||_oo + ||b||_oo) n) < 16
(lstsq: the normal-equations residual ||A^H (A x - b)||_oo / (eps ||A||_oo (||A||_oo ||x||_oo + ||b||_oo) m)).
The problem is solved in the element type of the files (f4, f8, c8, c16; Matrix Market real, integer and
pattern as f8, complex as c16; A and B promoted to a common type as numpy does), else in --dtype.

options (default in brackets):
  --matrix FILE  A from a .npy or .mtx file (else generated)
  --rhs FILE     B from a .npy or .mtx file (else generated)
  --out FILE     write X to a .npy or .mtx file, in the problem's element type; written only when
                 the residual check passes (a failed run leaves an existing file untouched)
  --n N          columns (and rows) of a generated A                        [2000]
  --m M          rows of A for --method lstsq (M >= 1)                       [n]
  --nrhs K       right-hand sides                                           [1]
  --method M     lu (random A), cholesky (Hermitian positive definite A),
                 lstsq (random A, QR/SVD least squares),
                 lu-mixed (LU in single precision refined to double accuracy;
                 f8 and c16 only; falls back to lu, saying why)             [lu]
  --dtype T      element type of generated problems: f4, f8, c8 or c16      [f8]
  --nb NB        block size                               [TARTAN_NB, else 64]
  --grid PxQ     process grid, P * Q = ranks                         [most square]
  --seed S       seed of the generated matrices                             [1]
  --json         print one JSON object instead of the report
  --dry-run      print the memory plan (peak bytes per rank against what is available) and exit;
                 without it a run whose plan does not fit is refused before anything is allocated
  --progress     a line on stderr every 10 s while the solver runs (on by itself when
                 stderr is a terminal); --progress-every S: every S seconds
  --version      print the program's and Tartan's version and exit
  --help         this text

exit codes: 0 solved and residual check passed; 1 numerical failure (singular,
not positive definite, failed residual check); 2 bad usage, unreadable or malformed
input, a failed write, or not enough memory (refused up front by the plan). Every error is one line on stderr.
BLAS threads per rank: chosen from the cores each rank may use; set TARTAN_NUM_THREADS
to override.
)";

struct Problem {
  std::int64_t m = 0, n = 0, nrhs = 0, nb = 0;
  std::string method, matrix, rhs, out;
  tt::Dtype dtype = tt::Dtype::f8;
  std::uint64_t seed = 1;
  bool json = false, dry_run = false;
  std::string run_info;  // cli::RunInfo's JSON fields
  int p = 1, q = 1;
};

// A Hermitian positive definite matrix: (R + R^H)/2 + n I, diagonally dominant since the
// entries of R are in [-1, 1].
// Built in place so that no more than two n x n matrices exist at once (the memory plan
// counts on it): S = R^H, S += R, then the halving and the diagonal.
template <class T>
tt::DistMatrix<T> hpd(const tt::Grid& g, std::int64_t n, std::uint64_t seed, tt::Block b) {
  tt::DistMatrix<T> S = tt::adjoint(tt::random<T>(g, n, n, seed, b));
  tt::axpy(T(1), tt::random<T>(g, n, n, seed, b), S);
  const T shift = T(tt::real_t<T>(n));
  S.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = T(0.5) * x + (i == j ? shift : T(0)); });
  return S;
}

double flops(const Problem& p) {
  const double n = double(p.n), m = double(p.m), k = double(p.nrhs);
  const double scale = (p.dtype == tt::Dtype::c8 || p.dtype == tt::Dtype::c16) ? 4 : 1;  // complex multiply-adds
  if (p.method == "lu" || p.method == "lu-mixed") return scale * (2.0 / 3.0 * n * n * n + 2.0 * n * n * k);
  if (p.method == "cholesky") return scale * (1.0 / 3.0 * n * n * n + 2.0 * n * n * k);
  return scale * (2.0 * m * n * n - 2.0 / 3.0 * n * n * n + 4.0 * m * n * k);  // QR-based least squares
}

template <class T>
int solve_as(Problem p, const tt::Grid& grid, tt::Environment& env, int size, cli::Outputs& outputs) {
  using R = tt::real_t<T>;
  const int rank = grid.rank();
  const tt::Block b{p.nb, p.nb};
  const bool from_file = !p.matrix.empty();
  {
    // The memory plan, before A and B exist: theirs, the residual check's and the solver's.
    std::int64_t m = p.m, n = p.n, k = p.nrhs;
    if (from_file) {
      const auto fi = cli::file_info(grid, p.matrix, "--matrix");
      m = fi.rows;
      n = fi.cols;
    }
    if (!p.rhs.empty()) k = cli::file_info(grid, p.rhs, "--rhs").cols;
    const tt::Operation op = p.method == "lstsq"      ? tt::Operation::lstsq
                             : p.method == "lu-mixed" ? tt::Operation::solve_mixed
                             : p.method == "cholesky" ? tt::Operation::cholesky
                                                      : tt::Operation::solve;
    const double a = cli::local_bytes<T>(m, n, p.nb, p.p, p.q), rhs = cli::local_bytes<T>(m, k, p.nb, p.p, p.q);
    const std::string own = "A " + tt::format_bytes(a) + " + B and the residual check " + tt::format_bytes(4 * rhs);
    std::ostringstream what;
    what << p.method << " of " << (from_file ? "'" + p.matrix + "', " : std::string("a generated ")) << m << "x" << n
         << " " << tt::dtype_name(p.dtype) << " matrix, " << k << " right-hand side(s), on a " << p.p << "x" << p.q
         << " grid in " << p.nb << "x" << p.nb << " blocks";
    if (cli::plan_memory("tartan-solve", grid, what.str(), std::max(m, n), a + 4 * rhs, own,
                         tt::memory_estimate<T>(op, grid, m, n, k, b), tt::operation_name(op), p.dry_run, p.json))
      return cli::exit_ok;
  }
  auto A = from_file                ? cli::load_matrix<T>(grid, p.matrix, b, "--matrix")
           : p.method == "cholesky" ? hpd<T>(grid, p.n, p.seed, b)
                                    : tt::random<T>(grid, p.m, p.n, p.seed, b);
  if (from_file) {
    p.m = A.rows();
    p.n = A.cols();
    if (p.method != "lstsq" && p.m != p.n)
      throw cli::UsageError("--matrix '" + p.matrix + "' is " + std::to_string(p.m) + "x" + std::to_string(p.n) +
                            ", expected a square matrix for --method " + p.method);
  }
  auto B = !p.rhs.empty() ? cli::load_matrix<T>(grid, p.rhs, b, "--rhs")
                          : tt::random<T>(grid, p.m, p.nrhs, p.seed + 1000003, b);
  p.nrhs = B.cols();
  if (B.rows() != p.m)
    throw cli::UsageError("--rhs has " + std::to_string(B.rows()) + " rows, expected " + std::to_string(p.m) +
                          " (the rows of A)");

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  int iterations = -1;   // refinement steps of lu-mixed
  std::string fallback;  // lu-mixed's reason for falling back, or empty
  auto run_solver = [&]() -> tt::DistMatrix<T> {
    if (p.method == "lstsq") return tt::lstsq(A, B).x;
    if (p.method == "lu-mixed") {
      if constexpr (std::is_same_v<R, double>) {
        auto r = tt::solve_mixed(A, B);
        iterations = r.iterations;
        fallback = r.reason;
        return std::move(r.x);
      }
    }
    return tt::solve(A, B,
                     {.assume = p.method == "cholesky" ? tt::Structure::positive_definite : tt::Structure::general});
  };
  tt::DistMatrix<T> X = [&] {
    const cli::Heartbeat beat(
        "tartan-solve", p.method + " of a " + std::to_string(A.rows()) + "x" + std::to_string(A.cols()) + " matrix",
        grid.rank());
    return run_solver();
  }();
  const double seconds = cli::max_over(MPI_Wtime() - t0);

  // Scaled residual (HPL), or the normal-equations residual for least squares.
  const double eps = double(std::numeric_limits<R>::epsilon()) / 2;
  auto Rm = tt::matmul(A, X) - B;
  const double an = tt::norm(A, tt::Norm::inf), xn = tt::norm(X, tt::Norm::inf), bn = tt::norm(B, tt::Norm::inf);
  double num = 0, den = 1;
  if (p.n > 0 && p.nrhs > 0) {
    if (p.method == "lstsq") {
      auto G = tt::zeros<T>(grid, p.n, p.nrhs, b);
      tt::gemm(T(1), A, tt::Op::adjoint, Rm, tt::Op::none, T(0), G);
      num = tt::norm(G, tt::Norm::inf);
      den = eps * an * (an * xn + bn) * double(p.m);
    } else {
      num = tt::norm(Rm, tt::Norm::inf);
      den = eps * (an * xn + bn) * double(p.n);
    }
  }
  // A zero A (or b) makes both 0: numpy's x = 0 solves it exactly.
  const double resid = num == 0 ? 0.0 : num / den;
  const bool passed = resid < 16.0 && resid == resid;
  if (!outputs.empty() && passed) {
    outputs.write("--out", X);
    outputs.commit();
  }
  const double gflops = seconds > 0 ? flops(p) / seconds * 1e-9 : 0.0;

  if (rank == 0) {
    std::ostringstream o;
    if (p.json) {
      o << "{\"program\":\"tartan-solve\"," << p.run_info << ",\"method\":\"" << p.method << "\",\"dtype\":\""
        << tt::dtype_name(p.dtype) << "\",\"m\":" << p.m << ",\"n\":" << p.n << ",\"nrhs\":" << p.nrhs
        << ",\"nb\":" << p.nb << ",\"grid\":\"" << p.p << "x" << p.q << "\",\"seconds\":" << seconds
        << ",\"gflops\":" << gflops << ",\"residual\":" << resid
        << ",\"threshold\":16,\"passed\":" << (passed ? "true" : "false");
      if (iterations >= 0)
        o << ",\"iterations\":" << iterations
          << ",\"fallback\":" << (fallback.empty() ? std::string("false") : "\"" + cli::json_escape(fallback) + "\"");
      o << "}\n";
    } else {
      char line[256];
      o << "tartan-solve " << tt::version_string << ": " << p.method << " on "
        << (from_file ? "'" + p.matrix + "', " : std::string("a generated ")) << p.m << "x" << p.n << " "
        << tt::dtype_name(p.dtype) << " matrix, " << p.nrhs << " right-hand side(s)\n";
      o << "ranks " << size << " x BLAS threads " << env.blas_threads() << " (" << env.blas_threads_source()
        << "), OpenBLAS kernel " << env.blas_kernel() << "\n";
      o << "================================================================================\n";
      o << "T/V                N    NB     P     Q               Time                 Gflops\n";
      o << "--------------------------------------------------------------------------------\n";
      const char* tv = p.method == "lu"         ? "WR_LU"
                       : p.method == "lu-mixed" ? "WR_LUMX"
                       : p.method == "cholesky" ? "WR_LLT"
                                                : "WR_QR";
      std::snprintf(line, sizeof line, "%-8s %11lld %5lld %5d %5d %18.2f %22.4e\n", tv, static_cast<long long>(p.n),
                    static_cast<long long>(p.nb), p.p, p.q, seconds, gflops);
      o << line;
      std::snprintf(line, sizeof line, "%s= %18.7e ...... %s\n",
                    p.method == "lstsq" ? "||A'(Ax-b)||_oo/(eps*||A||_oo*(||A||_oo*||x||_oo+||b||_oo)*M)"
                                        : "||Ax-b||_oo/(eps*(||A||_oo*||x||_oo+||b||_oo)*N)",
                    resid, passed ? "PASSED" : "FAILED");
      o << "--------------------------------------------------------------------------------\n" << line;
      if (iterations >= 0)
        o << "refinement: " << iterations << " step(s), "
          << (fallback.empty() ? std::string("converged in single-precision LU + double refinement")
                               : "fell back to double-precision LU: " + fallback)
          << "\n";
      o << "================================================================================\n";
    }
    std::fputs(o.str().c_str(), stdout);
    std::fflush(stdout);
  }
  if (!passed && rank == 0)
    std::fprintf(stderr, "tartan-solve: residual check failed: %.3e is not below 16%s\n", resid,
                 p.out.empty() ? "" : "; no output written");
  return passed ? cli::exit_ok : cli::exit_numerical;
}

int run(int argc, char** argv, tt::Environment& env) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cli::Args args(argc, argv,
                 {"--n", "--m", "--nrhs", "--method", "--nb", "--grid", "--seed", "--matrix", "--rhs", "--out",
                  "--dtype", "--progress-every"},
                 {"--json", "--help", "--dry-run", "--version", "--progress"});
  if (args.has("--help")) {
    if (rank == 0) std::fputs(usage, stdout);
    return cli::exit_ok;
  }
  if (cli::version_asked(args, "tartan-solve", rank)) return cli::exit_ok;
  cli::progress_from(args);
  Problem p;
  p.run_info = cli::RunInfo(env, argc, argv).json();
  p.n = args.integer("--n", 2000, 0, std::numeric_limits<int>::max());
  p.m = args.integer("--m", p.n, 1, std::numeric_limits<int>::max());
  p.nrhs = args.integer("--nrhs", 1, 1, 1 << 20);
  p.nb = args.integer("--nb", tt::default_block(), 1, 1 << 20);
  p.seed = static_cast<std::uint64_t>(args.integer("--seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  p.method = args.get("--method", "lu");
  p.json = args.has("--json");
  p.dry_run = args.has("--dry-run");
  p.matrix = args.get("--matrix", "");
  p.rhs = args.get("--rhs", "");
  p.out = args.get("--out", "");
  if (p.method != "lu" && p.method != "cholesky" && p.method != "lstsq" && p.method != "lu-mixed")
    throw cli::UsageError("--method is '" + p.method + "', expected lu, cholesky, lstsq or lu-mixed");
  if (p.method != "lstsq") {
    if (args.has("--m") && p.m != p.n) throw cli::UsageError("--m applies to --method lstsq only");
    p.m = p.n;
  }
  cli::Outputs outputs;  // checked now, before any work; written together at the end
  if (!p.out.empty()) outputs.add("--out", p.out);
  std::tie(p.p, p.q) = cli::grid_shape(args, size);
  tt::Grid grid(MPI_COMM_WORLD, p.p, p.q);
  p.dtype = cli::element_type(args, grid, p.matrix, "generated problems");
  if (!p.rhs.empty()) p.dtype = cli::promote(p.dtype, cli::file_info(grid, p.rhs, "--rhs").dtype);
  if (p.method == "lu-mixed" && p.dtype != tt::Dtype::f8 && p.dtype != tt::Dtype::c16)
    throw cli::UsageError(std::string("--method lu-mixed solves f8 and c16 problems; this one is ") +
                          tt::dtype_name(p.dtype));
  return cli::dispatch(p.dtype, [&]<class T>() { return solve_as<T>(p, grid, env, size, outputs); });
}

}  // namespace

int main(int argc, char** argv) {
  return cli::main("tartan-solve", argc, argv, [&](tt::Environment& env) { return run(argc, argv, env); });
}
