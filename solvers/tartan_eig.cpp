// tartan-eig: Hermitian eigenproblems and SVDs on a matrix from a file or a generator, in
// the file's element type, timed, with scaled residual and orthogonality checks against
// ScaLAPACK's thresholds.

#include <mpi.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "common/cli.hpp"
#include "tartan/tartan.hpp"

namespace tt = tartan;

namespace {

const char* usage = R"(usage: mpirun -np P tartan-eig [options]

Computes all eigenvalues and eigenvectors of a Hermitian (real symmetric) matrix (eigh;
the lower triangle is read), of a general square one (--general: eig), or the SVD (--svd)
of a general one, times it, and checks
  eigh: ||A V - V diag(w)||_1 / (eps ||A||_1 n) < 50 and ||V^H V - I||_1 / (eps n) < 50
  eig:  ||A V - V diag(w)||_1 / (eps ||A||_1 n) < 50 and max_j | ||v_j||_2 - 1 | / (eps n) < 50
        (eigenvalues and eigenvectors complex; V is not orthogonal)
  svd:  ||A - U diag(s) Vh||_1 / (eps ||A||_1 max(m,n)) < 50, same orthogonality for U and V.
It works in the element type of the file (f4, f8, c8, c16; Matrix Market real, integer
and pattern as f8, complex as c16), else in --dtype.

options (default in brackets):
  --matrix FILE  A from a .npy or .mtx file (else generated: Hermitian random for eigh,
                 random for --svd and --general)
  --n N          size of a generated A                                       [1000]
  --svd          singular value decomposition instead of eigh
  --general      eigenvalues and eigenvectors of a general (nonsymmetric) matrix (eig)
  --driver D     svd: gesdd (divide and conquer) or gesvd (p?gesvd)              [gesdd]
                 eigh: auto, elpa, elpa2 (ELPA), evd (p?syevd) or evr (p?syevr)  [auto]
  --dtype T      element type of a generated A: f4, f8, c8 or c16            [f8]
  --values FILE  write the eigenvalues / singular values (.npy or .mtx, n x 1; complex
                 for --general)
  --vectors FILE write the eigenvectors / the left singular vectors
                 (output files are written only when the checks pass)
  --nb NB        block size                                [TARTAN_NB, else 64]
  --grid PxQ     process grid, P * Q = ranks                          [most square]
  --seed S       seed of the generated matrix                                [1]
  --json         print one JSON object instead of the report
  --dry-run      print the memory plan (peak bytes per rank against what is available) and exit;
                 without it a run whose plan does not fit is refused before anything is allocated
  --progress     a line on stderr every 10 s while the solver runs (on by itself when
                 stderr is a terminal); --progress-every S: every S seconds
  --version      print the program's and Tartan's version and exit
  --help         this text

exit codes: 0 computed and checks passed; 1 numerical failure (no convergence,
failed check); 2 bad usage, unreadable or malformed input, a failed write, or not
enough memory. Every error is one line on stderr.
)";

struct Job {
  std::int64_t n = 0, nb = 0;
  std::uint64_t seed = 1;
  bool svd = false, general = false, json = false, dry_run = false;
  std::string run_info;  // cli::RunInfo's JSON fields
  std::string matrix, values, vectors, driver;
  tt::Dtype dtype = tt::Dtype::f8;
  int P = 1, Q = 1;
};

// ||Q^H Q - I||_1 / (eps n)
template <class T>
double orthogonality(const tt::DistMatrix<T>& Q, double eps) {
  if (Q.cols() == 0) return 0;
  auto E = tt::identity<T>(Q.grid(), Q.cols(), Q.block());
  tt::gemm(T(1), Q, tt::Op::adjoint, Q, tt::Op::none, T(-1), E);
  return tt::norm(E, tt::Norm::one) / (eps * double(Q.rows()));
}

// Q with column j scaled by d[j] (local work).
template <class T>
tt::DistMatrix<T> scale_columns(const tt::DistMatrix<T>& Q, const std::vector<tt::real_t<T>>& d) {
  auto R = Q.copy();
  R.for_each_local([&](std::int64_t, std::int64_t j, T& x) { x *= d[static_cast<std::size_t>(j)]; });
  return R;
}

// The report's timing table (HPL's layout) and one checked quantity's line.
void timing_table(std::ostringstream& o, const char* tag, std::int64_t n, const Job& job, double seconds,
                  double gflops) {
  char line[256];
  o << "================================================================================\n";
  o << "T/V                N    NB     P     Q               Time                 Gflops\n";
  o << "--------------------------------------------------------------------------------\n";
  std::snprintf(line, sizeof line, "%-8s %11lld %5lld %5d %5d %18.2f %22.4e\n", tag, static_cast<long long>(n),
                static_cast<long long>(job.nb), job.P, job.Q, seconds, gflops);
  o << line << "--------------------------------------------------------------------------------\n";
}
void check_line(std::ostringstream& o, const char* what, double value) {
  char line[256];
  std::snprintf(line, sizeof line, "%-38s= %18.7e ...... %s\n", what, value, value < 50 ? "PASSED" : "FAILED");
  o << line;
}

// --general: eig of a nonsymmetric matrix.
template <class T>
int general_as(const Job& job, const tt::Grid& grid, tt::Environment& env, int size, cli::Outputs& outputs) {
  using R = tt::real_t<T>;
  using C = std::complex<R>;
  const tt::Block b{job.nb, job.nb};
  const bool from_file = !job.matrix.empty();
  std::int64_t n = job.n;
  {
    std::int64_t m = n;
    if (from_file) {
      const auto fi = cli::file_info(grid, job.matrix, "--matrix");
      m = fi.rows;
      n = fi.cols;
    }
    const double a = cli::local_bytes<T>(m, n, job.nb, job.P, job.Q);
    auto call = tt::memory_estimate<T>(tt::Operation::eig, grid, n, n, 1, b);
    // The check: V, A V and V diag(w) (complex) beside A.
    const double check = (tt::is_complex_v<T> ? 3.0 : 6.0) * a;
    if (check > double(call.bytes)) {
      call.detail = "the check after it (V, A V, V diag(w)) " + tt::format_bytes(check) + "; the call's own peak is " +
                    tt::format_bytes(double(call.bytes)) + " (" + call.detail + ")";
      call.bytes = static_cast<std::int64_t>(check);
    }
    std::ostringstream what;
    what << "eig of " << (from_file ? "'" + job.matrix + "', " : std::string("a generated ")) << m << "x" << n << " "
         << tt::dtype_name(job.dtype) << " matrix on a " << job.P << "x" << job.Q << " grid in " << job.nb << "x"
         << job.nb << " blocks";
    if (cli::plan_memory("tartan-eig", grid, what.str(), std::max(m, n), a, "A " + tt::format_bytes(a), call,
                         tt::operation_name(tt::Operation::eig), job.dry_run, job.json))
      return cli::exit_ok;
  }
  tt::DistMatrix<T> A =
      from_file ? cli::load_matrix<T>(grid, job.matrix, b, "--matrix") : tt::random<T>(grid, n, n, job.seed, b);
  if (A.rows() != A.cols())
    throw cli::UsageError("--matrix '" + job.matrix + "' is " + std::to_string(A.rows()) + "x" +
                          std::to_string(A.cols()) + ", expected a square matrix for --general");
  n = A.rows();
  const double eps = double(std::numeric_limits<R>::epsilon()) / 2;
  const double anorm = tt::norm(A, tt::Norm::one);
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  tt::EigResult<T> r = [&] {
    const cli::Heartbeat beat("tartan-eig", "eig of a " + std::to_string(n) + "x" + std::to_string(n) + " matrix",
                              grid.rank());
    return tt::eig(A);
  }();
  const double seconds = cli::max_over(MPI_Wtime() - t0);
  double resid = 0, unit = 0;
  if (n > 0) {
    auto Rm = tt::matmul(tt::astype<C>(A), r.v);  // A V - V diag(w)
    tt::axpy(C(-1), tt::scale_columns(r.v, r.w), Rm);
    resid = tt::norm(Rm, tt::Norm::one) / (eps * std::max(anorm, 1e-300) * double(n));
    std::vector<double> sq(static_cast<std::size_t>(n), 0.0);
    r.v.for_each_local([&](std::int64_t, std::int64_t j, const C& x) { sq[std::size_t(j)] += double(std::norm(x)); });
    MPI_Allreduce(MPI_IN_PLACE, sq.data(), static_cast<int>(n), MPI_DOUBLE, MPI_SUM, grid.comm());
    for (double x : sq) unit = std::max(unit, std::abs(std::sqrt(x) - 1));
    unit /= eps * double(n);
  }
  const bool passed = resid < 50 && unit < 50 && resid == resid && unit == unit;
  if (passed && !job.values.empty()) {
    auto w = tt::from_function<C>(
        grid, n, 1, [&](std::int64_t i, std::int64_t) { return r.w[static_cast<std::size_t>(i)]; }, b);
    outputs.write("--values", w);
  }
  if (passed && !job.vectors.empty()) outputs.write("--vectors", r.v);
  if (passed && !outputs.empty()) outputs.commit();
  // Nominal: LAPACK's ?geev with vectors, about 25 n^3 (real; complex counts 4 real flops each).
  const double dn = double(n), flops = (tt::is_complex_v<T> ? 4 : 1) * 25.0 * dn * dn * dn;
  const double gflops = seconds > 0 ? flops / seconds * 1e-9 : 0;
  std::size_t complex_count = 0;
  R wmax = 0;
  for (const auto& x : r.w) {
    complex_count += x.imag() != 0 ? 1 : 0;
    wmax = std::max(wmax, std::abs(x));
  }
  if (grid.rank() == 0) {
    std::ostringstream o;
    if (job.json) {
      o << "{\"program\":\"tartan-eig\"," << job.run_info << ",\"method\":\"eig\",\"dtype\":\""
        << tt::dtype_name(job.dtype) << "\",\"m\":" << n << ",\"n\":" << n << ",\"nb\":" << job.nb << ",\"grid\":\""
        << job.P << "x" << job.Q << "\",\"seconds\":" << seconds << ",\"gflops\":" << gflops
        << ",\"residual\":" << resid << ",\"normalization\":" << unit << ",\"complex_eigenvalues\":" << complex_count
        << ",\"threshold\":50,\"passed\":" << (passed ? "true" : "false") << "}\n";
    } else {
      o << "tartan-eig " << tt::version_string << ": eig of "
        << (from_file ? "'" + job.matrix + "', " : std::string("a generated ")) << n << "x" << n << " "
        << tt::dtype_name(job.dtype) << " matrix\n";
      o << "ranks " << size << " x BLAS threads " << env.blas_threads() << " (" << env.blas_threads_source()
        << "), OpenBLAS kernel " << env.blas_kernel() << "\n";
      timing_table(o, "WR_EIG", n, job, seconds, gflops);
      if (n > 0)
        o << complex_count << " of " << n << " eigenvalues complex, largest modulus " << wmax << " (nominal "
          << "flops 25 n^3)\n";
      check_line(o, "residual  (threshold 50)", resid);
      check_line(o, "unit columns (threshold 50)", unit);
      o << "================================================================================\n";
    }
    std::fputs(o.str().c_str(), stdout);
    std::fflush(stdout);
    if (!passed) std::fprintf(stderr, "tartan-eig: check failed: residual %.3e, unit columns %.3e\n", resid, unit);
  }
  return passed ? cli::exit_ok : cli::exit_numerical;
}

template <class T>
int eig_as(Job job, const tt::Grid& grid, tt::Environment& env, int size, cli::Outputs& outputs) {
  if (job.general) return general_as<T>(job, grid, env, size, outputs);
  using R = tt::real_t<T>;
  const int rank = grid.rank();
  const tt::Block b{job.nb, job.nb};
  const bool from_file = !job.matrix.empty();
  {
    // The memory plan, before A exists: A, the call, then the check (its results with the
    // residual's two n x n copies and the orthogonality test's), whichever is larger.
    std::int64_t m = job.n, n = job.n;
    if (from_file) {
      const auto fi = cli::file_info(grid, job.matrix, "--matrix");
      m = fi.rows;
      n = fi.cols;
    }
    const tt::Operation op = job.svd ? tt::Operation::svd : tt::Operation::eigh;
    const double a = cli::local_bytes<T>(m, n, job.nb, job.P, job.Q);
    auto call = tt::memory_estimate<T>(op, grid, m, n, 1, b);
    const double check = (job.svd ? 5.0 : 4.0) * a;
    const std::string own = "A " + tt::format_bytes(a);
    if (check > double(call.bytes)) {
      call.detail = "the check after it (results, residual, orthogonality) " + tt::format_bytes(check) +
                    "; the call's own peak is less, " + tt::format_bytes(double(call.bytes)) + " (" + call.detail + ")";
      call.bytes = static_cast<std::int64_t>(check);
    }
    std::ostringstream what;
    what << (job.svd ? "svd" : "eigh") << " (driver " << job.driver << ") of "
         << (from_file ? "'" + job.matrix + "', " : std::string("a generated ")) << m << "x" << n << " "
         << tt::dtype_name(job.dtype) << " matrix on a " << job.P << "x" << job.Q << " grid in " << job.nb << "x"
         << job.nb << " blocks";
    if (cli::plan_memory("tartan-eig", grid, what.str(), std::max(m, n), a, own, call, tt::operation_name(op),
                         job.dry_run, job.json))
      return cli::exit_ok;
  }
  tt::DistMatrix<T> A =
      from_file ? cli::load_matrix<T>(grid, job.matrix, b, "--matrix") : tt::random<T>(grid, job.n, job.n, job.seed, b);
  if (!from_file && !job.svd) A = tt::redistribute(T(0.5) * (A + tt::adjoint(A)), grid, b);
  if (!job.svd && A.rows() != A.cols())
    throw cli::UsageError("--matrix '" + job.matrix + "' is " + std::to_string(A.rows()) + "x" +
                          std::to_string(A.cols()) + ", expected a square (Hermitian) matrix for eigh");
  const std::int64_t m = A.rows(), k = std::min(A.rows(), A.cols());
  const double eps = double(std::numeric_limits<R>::epsilon()) / 2;
  const double anorm = tt::norm(A, tt::Norm::one);

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  std::vector<R> values;
  std::string used = "evd", fallback;
  tt::DistMatrix<T> V(grid, 0, 0), Vh(grid, 0, 0);
  const cli::Heartbeat beat("tartan-eig",
                            std::string(job.svd ? "svd" : "eigh") + " of a " + std::to_string(A.rows()) + "x" +
                                std::to_string(A.cols()) + " matrix",
                            grid.rank());
  if (job.svd) {
    auto r = tt::svd(A, {.driver = job.driver == "gesvd" ? tt::SvdDriver::gesvd : tt::SvdDriver::gesdd});
    used = tt::driver_name(r.driver);
    fallback = r.fallback;
    values = std::move(r.s);
    V = std::move(r.u);
    Vh = std::move(r.vh);
  } else {
    auto r = tt::eigh(A, {.driver = *cli::eigh_driver(job.driver)});
    used = tt::driver_name(r.driver);
    fallback = r.fallback;
    values = std::move(r.eigenvalues);
    V = std::move(r.eigenvectors);
  }
  const double seconds = cli::max_over(MPI_Wtime() - t0);

  double resid = 0, orth = 0;
  if (k > 0) {
    // The Hermitian matrix eigh saw: the lower triangle, mirrored.
    if (job.svd) {
      auto Rm = A.copy();  // A - (U diag(s)) Vh
      tt::gemm(T(-1), scale_columns(V, values), tt::Op::none, Vh, tt::Op::none, T(1), Rm);
      resid = tt::norm(Rm, tt::Norm::one) / (eps * std::max(anorm, 1e-300) * double(std::max(m, A.cols())));
      orth = std::max(orthogonality(V, eps), orthogonality(tt::adjoint(Vh), eps));
    } else {
      auto Rm = tt::matmul(A, V);  // A V - V diag(w)
      tt::axpy(T(-1), scale_columns(V, values), Rm);
      resid = tt::norm(Rm, tt::Norm::one) / (eps * std::max(anorm, 1e-300) * double(m));
      orth = orthogonality(V, eps);
    }
  }
  const bool passed = resid < 50 && orth < 50 && resid == resid && orth == orth;
  if (passed && !job.values.empty()) {
    auto w = tt::from_function<R>(
        grid, static_cast<std::int64_t>(values.size()), 1,
        [&](std::int64_t i, std::int64_t) { return values[static_cast<std::size_t>(i)]; }, b);
    outputs.write("--values", w);
  }
  if (passed && !job.vectors.empty()) outputs.write("--vectors", V);
  if (passed && !outputs.empty()) outputs.commit();  // all outputs, or none
  const double dn = double(k), cx = tt::is_complex_v<T> ? 4 : 1;
  const double flops = cx * (job.svd ? (4.0 + 8.0 / 3.0) * dn * dn * dn : (4.0 / 3.0 + 2.0) * dn * dn * dn);  // nominal
  const double gflops = seconds > 0 ? flops / seconds * 1e-9 : 0;
  if (rank == 0) {
    std::ostringstream o;
    const char* what = job.svd ? "svd" : "eigh";
    if (job.json) {
      o << "{\"program\":\"tartan-eig\"," << job.run_info << ",\"method\":\"" << what << "\",\"dtype\":\""
        << tt::dtype_name(job.dtype) << "\",\"m\":" << m << ",\"n\":" << A.cols() << ",\"nb\":" << job.nb
        << ",\"grid\":\"" << job.P << "x" << job.Q << "\",\"driver\":\"" << used
        << "\",\"fallback\":" << (fallback.empty() ? std::string("false") : "\"" + cli::json_escape(fallback) + "\"")
        << ",\"seconds\":" << seconds << ",\"gflops\":" << gflops << ",\"residual\":" << resid
        << ",\"orthogonality\":" << orth << ",\"threshold\":50,\"passed\":" << (passed ? "true" : "false") << "}\n";
    } else {
      o << "tartan-eig " << tt::version_string << ": " << what << " of "
        << (from_file ? "'" + job.matrix + "', " : std::string("a generated ")) << m << "x" << A.cols() << " "
        << tt::dtype_name(job.dtype) << " matrix\n";
      o << "ranks " << size << " x BLAS threads " << env.blas_threads() << " (" << env.blas_threads_source()
        << "), OpenBLAS kernel " << env.blas_kernel() << ", driver " << used << "\n";
      if (!fallback.empty()) o << "fell back to " << used << ": " << fallback << "\n";
      timing_table(o, job.svd ? "WR_SVD" : "WR_EIGH", A.cols(), job, seconds, gflops);
      if (k > 0)
        o << (job.svd ? "s_max, s_min = " : "w_min, w_max = ") << values.front() << ", " << values.back() << "\n";
      check_line(o, "residual  (threshold 50)", resid);
      check_line(o, "orthogonality (threshold 50)", orth);
      o << "================================================================================\n";
    }
    std::fputs(o.str().c_str(), stdout);
    std::fflush(stdout);
    if (!passed) std::fprintf(stderr, "tartan-eig: check failed: residual %.3e, orthogonality %.3e\n", resid, orth);
  }
  return passed ? cli::exit_ok : cli::exit_numerical;
}

int run(int argc, char** argv, tt::Environment& env) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cli::Args args(argc, argv,
                 {"--n", "--matrix", "--values", "--vectors", "--nb", "--grid", "--seed", "--dtype", "--driver",
                  "--progress-every"},
                 {"--svd", "--general", "--json", "--help", "--dry-run", "--version", "--progress"});
  if (args.has("--help")) {
    if (rank == 0) std::fputs(usage, stdout);
    return cli::exit_ok;
  }
  if (cli::version_asked(args, "tartan-eig", rank)) return cli::exit_ok;
  cli::progress_from(args);
  Job job;
  job.run_info = cli::RunInfo(env, argc, argv).json();
  job.n = args.integer("--n", 1000, 0, std::numeric_limits<int>::max());
  job.nb = args.integer("--nb", tt::default_block(), 1, 1 << 20);
  job.seed = static_cast<std::uint64_t>(args.integer("--seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  job.svd = args.has("--svd");
  job.general = args.has("--general");
  if (job.svd && job.general) throw cli::UsageError("--svd and --general both given: choose one");
  if (job.general && args.has("--driver"))
    throw cli::UsageError("--driver is for eigh and --svd; --general has one algorithm");
  job.driver = args.get("--driver", job.svd ? "gesdd" : "auto");
  if (job.svd ? (job.driver != "gesdd" && job.driver != "gesvd") : !cli::eigh_driver(job.driver))
    throw cli::UsageError("--driver '" + job.driver + "': expected " +
                          (job.svd ? "gesdd or gesvd for --svd" : "auto, elpa, elpa2, evd or evr for eigh"));
  if (!job.svd && (job.driver == "elpa" || job.driver == "elpa2") && !tt::have_elpa())
    throw cli::UsageError("--driver " + job.driver +
                          ": this build of Tartan has no ELPA (install libelpa-dev and rebuild)");
  job.json = args.has("--json");
  job.dry_run = args.has("--dry-run");
  job.matrix = args.get("--matrix", "");
  job.values = args.get("--values", "");
  job.vectors = args.get("--vectors", "");
  cli::Outputs outputs;  // checked now, before any work; written together at the end
  if (!job.values.empty()) outputs.add("--values", job.values);
  if (!job.vectors.empty()) outputs.add("--vectors", job.vectors);
  std::tie(job.P, job.Q) = cli::grid_shape(args, size);
  tt::Grid grid(MPI_COMM_WORLD, job.P, job.Q);
  job.dtype = cli::element_type(args, grid, job.matrix, "generated matrices");
  return cli::dispatch(job.dtype, [&]<class T>() { return eig_as<T>(job, grid, env, size, outputs); });
}

}  // namespace

int main(int argc, char** argv) {
  return cli::main("tartan-eig", argc, argv, [&](tt::Environment& env) { return run(argc, argv, env); });
}
