// tartan-solve: solves a dense linear system or least-squares problem on a generated
// matrix, times the solver itself and checks the scaled residual, as HPL does.

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
(lstsq: the normal-equations residual ||A^T (A x - b)||_oo / (eps ||A||_oo (||A||_oo ||x||_oo + ||b||_oo) m)).

options (default in brackets):
  --matrix FILE  A from a .npy or .mtx file (else generated)
  --rhs FILE     B from a .npy or .mtx file (else generated)
  --out FILE     write X to a .npy or .mtx file
  --n N          columns (and rows) of a generated A                        [2000]
  --m M          rows of A for --method lstsq (M >= 1)                       [n]
  --nrhs K       right-hand sides                                           [1]
  --method M     lu (random A), cholesky (symmetric positive definite A),
                 lstsq (random A, QR/SVD least squares)                     [lu]
  --nb NB        block size                                                 [64]
  --grid PxQ     process grid, P * Q = ranks                         [most square]
  --seed S       seed of the generated matrices                             [1]
  --json         print one JSON object instead of the report
  --help         this text

exit codes: 0 solved and residual check passed; 1 numerical failure (singular,
not positive definite, failed residual check); 2 bad usage.
BLAS threads per rank: chosen from the cores each rank may use; set TARTAN_NUM_THREADS
to override.
)";

struct Problem {
  std::int64_t m, n, nrhs, nb;
  std::string method;
  std::uint64_t seed;
  bool json;
  int p, q;
};

double max_over(double v) {
  double out = v;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

// A symmetric positive definite matrix: (R + R^T)/2 + n I, diagonally dominant since the
// entries of R are in [-1, 1].
tt::DistMatrix<double> spd(const tt::Grid& g, std::int64_t n, std::uint64_t seed, tt::Block b) {
  auto R = tt::random<double>(g, n, n, seed, b);
  auto S = 0.5 * (R + tt::transpose(R));
  auto I = tt::identity<double>(g, n, b);
  tt::axpy(double(n), I, S);
  return S;
}

double flops(const Problem& p) {
  const double n = double(p.n), m = double(p.m), k = double(p.nrhs);
  if (p.method == "lu") return 2.0 / 3.0 * n * n * n + 2.0 * n * n * k;
  if (p.method == "cholesky") return 1.0 / 3.0 * n * n * n + 2.0 * n * n * k;
  return 2.0 * m * n * n - 2.0 / 3.0 * n * n * n + 4.0 * m * n * k;  // QR-based least squares
}

int run(int argc, char** argv, tt::Environment& env) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cli::Args args(argc, argv, {"--n", "--m", "--nrhs", "--method", "--nb", "--grid", "--seed", "--matrix", "--rhs", "--out"},
                 {"--json", "--help"});
  if (args.has("--help")) {
    if (rank == 0) std::fputs(usage, stdout);
    return cli::exit_ok;
  }
  Problem p{};
  p.n = args.integer("--n", 2000, 0, std::numeric_limits<int>::max());
  p.m = args.integer("--m", p.n, 1, std::numeric_limits<int>::max());
  p.nrhs = args.integer("--nrhs", 1, 1, 1 << 20);
  p.nb = args.integer("--nb", tt::default_block_size, 1, 1 << 20);
  p.seed = static_cast<std::uint64_t>(args.integer("--seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  p.method = args.get("--method", "lu");
  p.json = args.has("--json");
  if (p.method != "lu" && p.method != "cholesky" && p.method != "lstsq")
    throw cli::UsageError("--method is '" + p.method + "', expected lu, cholesky or lstsq");
  if (p.method != "lstsq") {
    if (args.has("--m") && p.m != p.n) throw cli::UsageError("--m applies to --method lstsq only");
    p.m = p.n;
  }
  std::tie(p.p, p.q) = args.has("--grid") ? cli::parse_grid(args.get("--grid", ""), size) : tt::Grid::default_shape(size);

  tt::Grid grid(MPI_COMM_WORLD, p.p, p.q);
  const tt::Block b{p.nb, p.nb};
  const bool from_file = args.has("--matrix");
  auto A = from_file ? cli::load_matrix<double>(grid, args.get("--matrix", ""), b, "--matrix")
           : p.method == "cholesky" ? spd(grid, p.n, p.seed, b)
                                    : tt::random<double>(grid, p.m, p.n, p.seed, b);
  if (from_file) {
    p.m = A.rows();
    p.n = A.cols();
    if (p.method != "lstsq" && p.m != p.n)
      throw cli::UsageError("--matrix '" + args.get("--matrix", "") + "' is " + std::to_string(p.m) + "x" +
                            std::to_string(p.n) + ", expected a square matrix for --method " + p.method);
  }
  auto B = args.has("--rhs") ? cli::load_matrix<double>(grid, args.get("--rhs", ""), b, "--rhs")
                             : tt::random<double>(grid, p.m, p.nrhs, p.seed + 1000003, b);
  p.nrhs = B.cols();
  if (B.rows() != p.m)
    throw cli::UsageError("--rhs has " + std::to_string(B.rows()) + " rows, expected " + std::to_string(p.m) +
                          " (the rows of A)");

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  tt::DistMatrix<double> X = p.method == "lstsq" ? tt::lstsq(A, B).x
                             : tt::solve(A, B, {.assume = p.method == "cholesky" ? tt::Structure::positive_definite
                                                                                 : tt::Structure::general});
  const double seconds = max_over(MPI_Wtime() - t0);

  // Scaled residual (HPL), or the normal-equations residual for least squares.
  const double eps = std::numeric_limits<double>::epsilon() / 2;
  auto Rm = tt::matmul(A, X) - B;
  const double an = tt::norm(A, tt::Norm::inf), xn = tt::norm(X, tt::Norm::inf), bn = tt::norm(B, tt::Norm::inf);
  double resid = 0;
  if (p.n > 0) {
    if (p.method == "lstsq") {
      auto G = tt::zeros<double>(grid, p.n, p.nrhs, b);
      tt::gemm(1.0, A, tt::Op::transpose, Rm, tt::Op::none, 0.0, G);
      resid = tt::norm(G, tt::Norm::inf) / (eps * an * (an * xn + bn) * double(p.m));
    } else {
      resid = tt::norm(Rm, tt::Norm::inf) / (eps * (an * xn + bn) * double(p.n));
    }
  }
  const bool passed = resid < 16.0 && resid == resid;
  if (args.has("--out")) cli::save_matrix(X, args.get("--out", ""), "--out");
  const double gflops = seconds > 0 ? flops(p) / seconds * 1e-9 : 0.0;

  if (rank == 0) {
    std::ostringstream o;
    if (p.json) {
      o << "{\"program\":\"tartan-solve\",\"method\":\"" << p.method << "\",\"m\":" << p.m << ",\"n\":" << p.n
        << ",\"nrhs\":" << p.nrhs << ",\"nb\":" << p.nb << ",\"grid\":\"" << p.p << "x" << p.q
        << "\",\"ranks\":" << size << ",\"threads_per_rank\":" << env.blas_threads() << ",\"blas_kernel\":\""
        << env.blas_kernel() << "\",\"seconds\":" << seconds << ",\"gflops\":" << gflops
        << ",\"residual\":" << resid << ",\"threshold\":16,\"passed\":" << (passed ? "true" : "false") << "}\n";
    } else {
      char line[256];
      o << "tartan-solve " << tt::version_string << ": " << p.method << " on "
        << (from_file ? "'" + args.get("--matrix", "") + "', " : std::string("a generated ")) << p.m << "x" << p.n
        << " matrix, " << p.nrhs << " right-hand side(s)\n";
      o << "ranks " << size << " x BLAS threads " << env.blas_threads() << " (" << env.blas_threads_source()
        << "), OpenBLAS kernel " << env.blas_kernel() << "\n";
      o << "================================================================================\n";
      o << "T/V                N    NB     P     Q               Time                 Gflops\n";
      o << "--------------------------------------------------------------------------------\n";
      std::snprintf(line, sizeof line, "%-8s %11lld %5lld %5d %5d %18.2f %22.4e\n",
                    p.method == "lu" ? "WR_LU" : (p.method == "cholesky" ? "WR_LLT" : "WR_QR"),
                    static_cast<long long>(p.n), static_cast<long long>(p.nb), p.p, p.q, seconds, gflops);
      o << line;
      std::snprintf(line, sizeof line, "%s= %18.7e ...... %s\n",
                    p.method == "lstsq" ? "||A'(Ax-b)||_oo/(eps*||A||_oo*(||A||_oo*||x||_oo+||b||_oo)*M)"
                                        : "||Ax-b||_oo/(eps*(||A||_oo*||x||_oo+||b||_oo)*N)",
                    resid, passed ? "PASSED" : "FAILED");
      o << "--------------------------------------------------------------------------------\n" << line;
      o << "================================================================================\n";
    }
    std::fputs(o.str().c_str(), stdout);
    std::fflush(stdout);
  }
  if (!passed && rank == 0)
    std::fprintf(stderr, "tartan-solve: residual check failed: %.3e is not below 16\n", resid);
  return passed ? cli::exit_ok : cli::exit_numerical;
}

}  // namespace

int main(int argc, char** argv) {
  tt::Environment env(argc, argv);
  return cli::guarded_main("tartan-solve", [&] { return run(argc, argv, env); });
}
