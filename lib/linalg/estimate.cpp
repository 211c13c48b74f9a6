// memory_estimate: the peak bytes per rank of a call, from the shapes alone. Each formula
// follows the call's code path (which copies are alive together, which workspaces it
// allocates, with bindings/workspace.hpp's sizes); ELPA's own arrays were measured.

#include <algorithm>
#include <sstream>

#include "bindings/lapack.hpp"
#include "bindings/workspace.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"
#include "core/pool.hpp"
#include "kernels/cholqr.hpp"
#include "kernels/elpa.hpp"
#include "kernels/qr.hpp"
#include "kernels/svd.hpp"
#include "tartan/layout.hpp"
#include "tartan/linalg/eigh.hpp"
#include "tartan/memory.hpp"

namespace tartan {

const char* operation_name(Operation op) noexcept {
  switch (op) {
    case Operation::lu_factor:
      return "lu_factor";
    case Operation::solve:
      return "solve";
    case Operation::cholesky:
      return "cholesky";
    case Operation::solve_mixed:
      return "solve_mixed";
    case Operation::qr:
      return "qr";
    case Operation::lstsq:
      return "lstsq";
    case Operation::eigh:
      return "eigh";
    case Operation::svd:
      return "svd";
    case Operation::eig:
      return "eig";
  }
  return "unknown";
}

std::int64_t available_memory(const Grid& grid) { return detail::available_bytes(grid.ranks_on_node()); }

std::string format_bytes(double bytes) { return detail::human_bytes(bytes); }

std::int64_t pool_cached_bytes() { return detail::pool::cached_bytes(); }
void pool_trim() { detail::pool::trim(); }

namespace {

// The send and receive buffers of moving x bytes per rank to another layout over p ranks
// (core/redist.cpp): what leaves a rank and what arrives, each about (1 - 1/p) x, plus
// 0.3 x for the pool's size classes (measured for Q's and U's moves, 40000 x 100 and
// 64000 x 160 on 1 x 2 and 1 x 3: 1.1-1.7 x in all).
double move_buffers(double x, int p) { return (2.0 * (1.0 - 1.0 / p) + 0.3) * x; }

// Sums of parts, each with a name for the detail text.
struct Plan {
  std::int64_t bytes = 0;
  std::ostringstream text;
  void add(const char* what, double b) {
    if (b <= 0) return;
    // blocks of 1 MiB and more come from the pool, in 2 MiB size classes
    const auto stored = static_cast<std::size_t>(b) + detail::pool::storage_slack;
    if (stored >= detail::pool::min_bytes) b = double(detail::pool::size_class(stored));
    bytes += static_cast<std::int64_t>(b);
    text << (text.tellp() > 0 ? " + " : "") << what << " " << detail::human_bytes(b);
  }
};

}  // namespace

template <class T>
MemoryEstimate memory_estimate(Operation op, const Grid& g, std::int64_t m, std::int64_t n, std::int64_t nrhs,
                               Block block) {
  using R = real_t<T>;
  const std::int64_t nb = resolve_block(block).nb;  // the working layout: square blocks of the column size
  const int P = g.prows(), Q = g.pcols();
  const double S = sizeof(T), SR = sizeof(R);
  // Local bytes of a rows x cols matrix of element size es on process (0, 0) of a P x Q
  // grid in b x b blocks: the most any process holds.
  auto local = [&](std::int64_t rows, std::int64_t cols, std::int64_t b = 0, int p = -1, int q = -1, double es = 0) {
    b = b > 0 ? b : nb;
    p = p > 0 ? p : P;
    q = q > 0 ? q : Q;
    es = es > 0 ? es : S;
    return double(numroc(rows, b, 0, 0, p)) * double(numroc(cols, b, 0, 0, q)) * es;
  };
  // A tall-skinny QR by CholeskyQR: X, its rows on one process column (in place on a P x 1
  // grid, else one row block per process), two replicated n x n factors, R distributed, and
  // on other grids Q moved back while X is alive.
  auto cholesky_qr = [&](Plan& p) {
    const std::int64_t rows = (m + g.size() - 1) / g.size();
    const double x = Q == 1 ? local(m, n) : double(rows) * double(n) * S;
    p.add("rows of A (X, then Q)", x);
    p.add("replicated R and its product", 2.0 * double(n) * double(n) * S);
    p.add("R", local(n, n));
    return x;
  };
  Plan p;
  const std::int64_t k = std::min(m, n);
  const double ipiv = double(numroc(m, nb, 0, 0, P) + nb) * sizeof(int);
  // One process: LAPACK on the local array itself (kernels/common.hpp, one_process_grid).
  // The factorizations need no panel buffers; eigh and svd work in place with LAPACK's
  // own workspaces, which numpy's calls need as well.
  // (svd takes ?gesdd there at every shape; qr and lstsq keep CholeskyQR when tall-skinny.)
  const bool lapack_here = g.size() == 1 && !detail::tall_skinny(std::max(m, n), std::min(m, n));
  if ((lapack_here && op == Operation::eigh) || (g.size() == 1 && op == Operation::svd)) {
    const double N = double(k), M = double(std::max(m, n));
    if (op == Operation::eigh) {
      // ?syevd: LWORK 1 + 6n + 2n^2 (real) or 2n + n^2 with LRWORK 1 + 5n + 2n^2 (complex)
      p.add("A's copy (then the eigenvectors)", local(n, n));
      const double w =
          is_complex_v<T> ? (2 * N + N * N) * S + (1 + 5 * N + 2 * N * N) * SR : (1 + 6 * N + 2 * N * N) * S;
      p.add("?syevd's workspace", w + (3 + 5 * N) * sizeof(int));
    } else {
      // ?gesdd keeps a copy of A for its ?gesvd fallback; its workspace is about 3 k^2 + 4 k
      // (?bdsdc's), and complex types add LRWORK of 7 k^2 + 2 max(m, n) k.
      p.add("A's copy", local(m, n));
      p.add("U and Vh", local(m, k) + local(k, n));
      p.add("A's copy kept for ?gesvd", local(m, n));
      p.add("?gesdd's workspace", (3 * N * N + 4 * N + 3 * M) * S +
                                      (is_complex_v<T> ? (7 * N * N + 2 * M * N) * SR : 0.0) + 8 * N * sizeof(int));
    }
    return MemoryEstimate{p.bytes, available_memory(g), detail::pool::cached_bytes(), p.text.str()};
  }
  if (op == Operation::eig) {
    // lib/linalg/eig.cpp. One process (and one block): ?geev on A gathered to rank 0, its real
    // eigenvectors and their complex form there, V scattered back. Else: the Hessenberg form
    // and Z; T gathered through rank 0 to every process; T's eigenvectors X (real and
    // imaginary parts for real types) and V = Z X, complex.
    const double nn = double(n) * double(n), C = 2 * SR;  // bytes of a complex element
    if (g.size() == 1 ||
        detail::on_one_process(n, n, {std::max<std::int64_t>(nb, 6), std::max<std::int64_t>(nb, 6)}, g.size())) {
      p.add("A gathered, its eigenvectors and their complex form", nn * (2 * S + C));
      p.add("V", local(n, n) / S * C);
      p.add("?geev's workspace", (4.0 * double(n) + double(n) * 64) * S);
    } else {
      p.add("the Hessenberg form (then T)", local(n, n));
      p.add("the Schur vectors Z", local(n, n));
      p.add("T on every process, gathered through rank 0", 2 * nn * S);
      if (is_complex_v<T>)
        p.add("T's eigenvectors and V", 2 * local(n, n));
      else
        p.add("T's eigenvectors (real and imaginary parts), their products with Z and V", 3 * local(n, n));
      p.add("p?hseqr's workspace", 2.0 * double(nb) * double(numroc(n, nb, 0, 0, P) + numroc(n, nb, 0, 0, Q)) * S);
    }
    return MemoryEstimate{p.bytes, available_memory(g), detail::pool::cached_bytes(), p.text.str()};
  }
  // PBLAS's and ScaLAPACK's panel buffers in the factorizations: about two nb-wide panels
  // of the local rows and columns (measured: 2.3 MiB at n = 1500 on 1x2); LAPACK has none.
  const double panels =
      lapack_here ? 0.0 : 2.0 * double(nb) * double(numroc(m, nb, 0, 0, P) + numroc(n, nb, 0, 0, Q)) * S;
  switch (op) {
    case Operation::lu_factor:
      p.add("the factors (a copy of A)", local(m, n));
      p.add("pivots", ipiv);
      p.add("panel buffers", panels);
      break;
    case Operation::solve:
    case Operation::cholesky:
      p.add(op == Operation::solve ? "the LU factors (a copy of A)" : "the Cholesky factor (a copy of A)", local(n, n));
      p.add("B's copy and X", 2 * local(n, nrhs));
      if (op == Operation::solve) p.add("pivots", ipiv);
      p.add("panel buffers", panels);
      break;
    case Operation::solve_mixed:
      // The single-precision factors are freed before the double-precision fallback's copy.
      p.add("the fallback's double-precision LU (the single-precision one, half of it, before)", local(n, n));
      p.add("B, X, residual and correction", 4 * local(n, nrhs));
      p.add("pivots", ipiv);
      p.add("panel buffers", panels);
      break;
    case Operation::qr:
    case Operation::lstsq: {
      if (detail::tall_skinny(m, n)) {
        const double x = cholesky_qr(p);
        if (Q > 1 && op == Operation::qr)
          p.add("Q moved back to A's grid, with the move's buffers", local(m, n) + move_buffers(x, g.size()));
        if (op == Operation::lstsq) p.add("Q^H B, x, the residual", 3 * local(m, nrhs));
        (void)x;
        break;
      }
      const detail::LocalExtent e{
          n, nb, numroc(m, nb, 0, 0, P), numroc(n, nb, 0, 0, Q), numroc(m, nb, 0, 0, P), numroc(n, nb, 0, 0, Q), P, Q};
      const double ws = double(detail::padded(nb * (e.np0 + e.nq0 + nb))) * S;  // p?geqrf, p?orgqr, p?gebrd
      if (op == Operation::qr) {
        p.add("A's copy (then Q)", local(m, n));
        p.add("R", local(k, n));
        p.add("workspace", ws);
        p.add("panel buffers", panels);
      } else {
        // The values first (a reduction of A's copy, and of R for m >= 1.6 n), then p?gels.
        p.add("A's copy", local(m, n));
        if (5 * m >= 8 * n) p.add("R", local(n, n));
        p.add("workspace", ws);
        p.add("B's copy and x", 2 * local(std::max(m, n), nrhs));
      }
      break;
    }
    case Operation::eigh: {
      // auto's choice (eigh.cpp): ELPA for doubles unless one process does the work or
      // ELPA cannot take the layout
      const std::int64_t eb = detail::elpa_block(nb);
      const bool elpa = have_elpa() && std::is_same_v<R, double> && !detail::on_one_process(n, n, {nb, nb}, g.size()) &&
                        detail::elpa_serves(g, n, eb);
      p.add("A's copy", local(n, n));
      if (elpa) {
        // both triangles (a copy), moved to 32 x 32 blocks; ELPA's eigenvectors and its own
        // arrays (measured: about four local matrices); the eigenvectors moved back
        p.add("A in ELPA's blocks", local(n, n, eb));
        p.add("ELPA's eigenvectors", local(n, n, eb));
        p.add("ELPA's own arrays", 4 * local(n, n, eb));
      } else {
        const detail::LocalExtent e{
            n, nb, numroc(n, nb, 0, 0, P), numroc(n, nb, 0, 0, Q), numroc(n, nb, 0, 0, P), numroc(n, nb, 0, 0, Q),
            P, Q};
        const detail::Workspace w = detail::heevd_workspace(is_complex_v<T>, e, {1, 1, 1});
        p.add("eigenvectors", local(n, n));
        p.add("p?syevd's workspace", double(w.lwork) * S + double(w.lrwork) * SR + double(w.liwork) * sizeof(int));
      }
      break;
    }
    case Operation::eig:
      break;  // above
    case Operation::svd: {
      const std::int64_t M = std::max(m, n), N = std::min(m, n);
      if (m < n) p.add("A^H", local(M, N));
      if (detail::tall_skinny(M, N)) {
        const double x = cholesky_qr(p);  // Q is freed before U moves: X's place holds U
        p.add("R's factors on every process", 2.0 * double(N) * double(N) * S);
        p.add("Vh", local(N, N));
        if (Q > 1)
          p.add("U moved to A's grid, with the move's buffers", local(M, N) + move_buffers(x, g.size()));
        else
          p.add("U on those rows", x);
        break;
      }
      const bool qr_first = 5 * M >= 8 * N;
      p.add("A's copy", local(M, N));
      if (qr_first) p.add("R", local(N, N));
      // ?bdsdc on every process: its two n x n factors and its workspace (3 n^2) together,
      // then the factors with U's and Vh's distributed forms (and U of the QR).
      const double fac = 2.0 * double(N) * double(N) * SR;
      const double work = double(detail::lapack::bdsdc_lwork(N, true)) * SR;
      const double dist = local(qr_first ? N : M, N) + local(N, N) + (qr_first ? local(M, N) : 0.0);
      if (detail::bdsdc_vectors_bytes<T>(N) > available_memory(g)) {  // the guard's own test
        // svd's memory guard then takes p?gesvd: U, Vh and its workspace (about a local A)
        p.add("p?gesvd's U, Vh and workspace (gesdd's replicated factors would not fit)",
              local(M, N) + local(N, N) + local(M, N));
        break;
      }
      p.add("the bidiagonal's factors on every process", fac);
      if (work >= dist)
        p.add("?bdsdc's workspace", work);
      else
        p.add("U and Vh", dist);
      break;
    }
  }
  return MemoryEstimate{p.bytes, available_memory(g), detail::pool::cached_bytes(), p.text.str()};
}

#define TARTAN_INSTANTIATE(T) \
  template MemoryEstimate memory_estimate<T>(Operation, const Grid&, std::int64_t, std::int64_t, std::int64_t, Block);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
