// tartan-eig: symmetric eigenproblems and SVDs on a matrix from a file or a generator,
// timed, with scaled residual and orthogonality checks against ScaLAPACK's thresholds.

#include <mpi.h>

#include <cstdio>
#include <limits>
#include <sstream>
#include <string>

#include "common/cli.hpp"
#include "tartan/tartan.hpp"

namespace tt = tartan;

namespace {

const char* usage = R"(usage: mpirun -np P tartan-eig [options]

Computes all eigenvalues and eigenvectors of a symmetric matrix (eigh; the lower
triangle is read) or the SVD (--svd) of a general one, times it, and checks
  eigh: ||A V - V diag(w)||_1 / (eps ||A||_1 n) < 50 and ||V^T V - I||_1 / (eps n) < 50
  svd:  ||A - U diag(s) Vh||_1 / (eps ||A||_1 max(m,n)) < 50, same orthogonality for U and V.

options (default in brackets):
  --matrix FILE  A from a .npy or .mtx file (else generated: symmetric random for eigh,
                 random for --svd)
  --n N          size of a generated A                                       [1000]
  --svd          singular value decomposition instead of eigh
  --values FILE  write the eigenvalues / singular values (.npy or .mtx, n x 1)
  --vectors FILE write the eigenvectors / the left singular vectors
  --nb NB        block size                                                  [64]
  --grid PxQ     process grid, P * Q = ranks                          [most square]
  --seed S       seed of the generated matrix                                [1]
  --json         print one JSON object instead of the report
  --help         this text

exit codes: 0 computed and checks passed; 1 numerical failure (no convergence,
failed check); 2 bad usage or input.
)";

double max_over(double v) {
  double out = v;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

// ||Q^H Q - I||_1 / (eps n)
double orthogonality(const tt::DistMatrix<double>& Q) {
  if (Q.cols() == 0) return 0;
  auto E = tt::identity<double>(Q.grid(), Q.cols(), Q.block());
  tt::gemm(1.0, Q, tt::Op::transpose, Q, tt::Op::none, -1.0, E);
  return tt::norm(E, tt::Norm::one) / (std::numeric_limits<double>::epsilon() / 2 * double(Q.rows()));
}

// Q with column j scaled by d[j] (local work).
tt::DistMatrix<double> scale_columns(const tt::DistMatrix<double>& Q, const std::vector<double>& d) {
  auto R = Q.copy();
  R.for_each_local([&](std::int64_t, std::int64_t j, double& x) { x *= d[static_cast<std::size_t>(j)]; });
  return R;
}

tt::DistMatrix<double> as_column(const tt::Grid& g, const std::vector<double>& v, tt::Block b) {
  return tt::from_function<double>(g, static_cast<std::int64_t>(v.size()), 1,
                                   [&](std::int64_t i, std::int64_t) { return v[static_cast<std::size_t>(i)]; }, b);
}

int run(int argc, char** argv, tt::Environment& env) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cli::Args args(argc, argv, {"--n", "--matrix", "--values", "--vectors", "--nb", "--grid", "--seed"},
                 {"--svd", "--json", "--help"});
  if (args.has("--help")) {
    if (rank == 0) std::fputs(usage, stdout);
    return cli::exit_ok;
  }
  const std::int64_t n = args.integer("--n", 1000, 0, std::numeric_limits<int>::max());
  const std::int64_t nb = args.integer("--nb", tt::default_block_size, 1, 1 << 20);
  const auto seed = static_cast<std::uint64_t>(args.integer("--seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  const bool svd = args.has("--svd");
  auto [P, Q] = args.has("--grid") ? cli::parse_grid(args.get("--grid", ""), size) : tt::Grid::default_shape(size);
  tt::Grid grid(MPI_COMM_WORLD, P, Q);
  const tt::Block b{nb, nb};
  tt::DistMatrix<double> A = args.has("--matrix") ? cli::load_matrix<double>(grid, args.get("--matrix", ""), b, "--matrix")
                                                  : tt::random<double>(grid, n, n, seed, b);
  if (!args.has("--matrix") && !svd) A = 0.5 * (A + tt::transpose(A));
  if (!svd && A.rows() != A.cols())
    throw cli::UsageError("--matrix '" + args.get("--matrix", "") + "' is " + std::to_string(A.rows()) + "x" +
                          std::to_string(A.cols()) + ", expected a square (symmetric) matrix for eigh");
  const std::int64_t m = A.rows(), k = std::min(A.rows(), A.cols());
  const double eps = std::numeric_limits<double>::epsilon() / 2;
  const double anorm = tt::norm(A, tt::Norm::one);

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  std::vector<double> values;
  tt::DistMatrix<double> V(grid, 0, 0), Vh(grid, 0, 0);
  if (svd) {
    auto r = tt::svd(A);
    values = std::move(r.s);
    V = std::move(r.u);
    Vh = std::move(r.vh);
  } else {
    auto r = tt::eigh(A);
    values = std::move(r.eigenvalues);
    V = std::move(r.eigenvectors);
  }
  const double seconds = max_over(MPI_Wtime() - t0);

  double resid = 0, orth = 0;
  if (k > 0) {
    if (svd) {
      auto R = A.copy();  // A - (U diag(s)) Vh
      tt::gemm(-1.0, scale_columns(V, values), tt::Op::none, Vh, tt::Op::none, 1.0, R);
      resid = tt::norm(R, tt::Norm::one) / (eps * std::max(anorm, 1e-300) * double(std::max(m, A.cols())));
      orth = std::max(orthogonality(V), orthogonality(tt::transpose(Vh)));
    } else {
      auto R = tt::matmul(A, V);  // A V - V diag(w)
      tt::axpy(-1.0, scale_columns(V, values), R);
      resid = tt::norm(R, tt::Norm::one) / (eps * std::max(anorm, 1e-300) * double(m));
      orth = orthogonality(V);
    }
  }
  const bool passed = resid < 50 && orth < 50 && resid == resid && orth == orth;
  if (args.has("--values")) cli::save_matrix(as_column(grid, values, b), args.get("--values", ""), "--values");
  if (args.has("--vectors")) cli::save_matrix(V, args.get("--vectors", ""), "--vectors");
  const double dn = double(k);
  const double flops = svd ? (4.0 + 8.0 / 3.0) * dn * dn * dn : (4.0 / 3.0 + 2.0) * dn * dn * dn;  // nominal
  const double gflops = seconds > 0 ? flops / seconds * 1e-9 : 0;
  if (rank == 0) {
    std::ostringstream o;
    const char* what = svd ? "svd" : "eigh";
    if (args.has("--json")) {
      o << "{\"program\":\"tartan-eig\",\"method\":\"" << what << "\",\"m\":" << m << ",\"n\":" << A.cols()
        << ",\"nb\":" << nb << ",\"grid\":\"" << P << "x" << Q << "\",\"ranks\":" << size
        << ",\"threads_per_rank\":" << env.blas_threads() << ",\"blas_kernel\":\"" << env.blas_kernel()
        << "\",\"seconds\":" << seconds << ",\"gflops\":" << gflops << ",\"residual\":" << resid
        << ",\"orthogonality\":" << orth << ",\"threshold\":50,\"passed\":" << (passed ? "true" : "false") << "}\n";
    } else {
      char line[256];
      o << "tartan-eig " << tt::version_string << ": " << what << " of "
        << (args.has("--matrix") ? "'" + args.get("--matrix", "") + "', " : std::string("a generated ")) << m << "x"
        << A.cols() << " matrix\n";
      o << "ranks " << size << " x BLAS threads " << env.blas_threads() << " (" << env.blas_threads_source()
        << "), OpenBLAS kernel " << env.blas_kernel() << "\n";
      o << "================================================================================\n";
      o << "T/V                N    NB     P     Q               Time                 Gflops\n";
      o << "--------------------------------------------------------------------------------\n";
      std::snprintf(line, sizeof line, "%-8s %11lld %5lld %5d %5d %18.2f %22.4e\n", svd ? "WR_SVD" : "WR_EIGH",
                    static_cast<long long>(A.cols()), static_cast<long long>(nb), P, Q, seconds, gflops);
      o << line << "--------------------------------------------------------------------------------\n";
      if (k > 0) o << (svd ? "s_max, s_min = " : "w_min, w_max = ") << values.front() << ", " << values.back() << "\n";
      std::snprintf(line, sizeof line, "%-38s= %18.7e ...... %s\n", "residual  (threshold 50)", resid,
                    resid < 50 ? "PASSED" : "FAILED");
      o << line;
      std::snprintf(line, sizeof line, "%-38s= %18.7e ...... %s\n", "orthogonality (threshold 50)", orth,
                    orth < 50 ? "PASSED" : "FAILED");
      o << line << "================================================================================\n";
    }
    std::fputs(o.str().c_str(), stdout);
    std::fflush(stdout);
    if (!passed) std::fprintf(stderr, "tartan-eig: check failed: residual %.3e, orthogonality %.3e\n", resid, orth);
  }
  return passed ? cli::exit_ok : cli::exit_numerical;
}

}  // namespace

int main(int argc, char** argv) {
  tt::Environment env(argc, argv);
  return cli::guarded_main("tartan-eig", [&] { return run(argc, argv, env); });
}
