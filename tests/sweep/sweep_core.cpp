// Sweep: creation, gather/scatter, redistribution, windows (copy and assign at offsets),
// gemm with every op on offset windows, matmul, the element-wise operations, norms, and
// the file round trips, each against an Eigen reference on rank 0.

#include <unistd.h>

#include <filesystem>

#include "sweep.hpp"

using namespace sweep;

namespace {

template <class T>
Mat<T> reference_random(std::int64_t m, std::int64_t n, std::uint64_t seed) {
  return serial_random<T>(m, n, seed);
}

// A scratch directory shared by all ranks, made by rank 0.
std::string scratch() { return scratch_dir("tartan-sweep"); }

}  // namespace

TEST_CASE("sweep: creation, gather and scatter, redistribution") {
  sweep_rect("create", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    const Mat<T> ref = reference_random<T>(m, n, 131);
    auto A = tt::random<T>(g, m, n, 131, c.block, c.src);
    auto I = tt::identity<T>(g, m, c.block, c.src);
    auto Z = tt::zeros<T>(g, m, n, c.block, c.src);
    auto F = tt::from_function<T>(
        g, m, n, [](std::int64_t i, std::int64_t j) { return T(tt::real_t<T>(i * 1000 + j)); }, c.block, c.src);
    const int root = test_size() - 1;
    auto S = tt::from_eigen(g, test_rank() == root ? ref : Mat<T>(), root, c.block);
    const Mat<T> back = tt::to_eigen(S, root);
    bool round_trip = test_rank() != root || back == ref;
    // to another shape of grid, block and source, and back
    tt::Grid h(test_comm(), c.Q, c.P);  // the transposed grid shape
    auto R = tt::redistribute(A, h, tt::Block{5, 2}, tt::Source{c.Q - 1, 0});
    auto R2 = tt::redistribute(R, g, c.block, c.src);
    const Mat<T> a = tt::to_eigen(A, 0), i = tt::to_eigen(I, 0), z = tt::to_eigen(Z, 0), f = tt::to_eigen(F, 0),
                 r = tt::to_eigen(R, 0), r2 = tt::to_eigen(R2, 0);
    round_trip = all_ranks(round_trip);
    if (test_rank() != 0) return "";
    if (a != ref) return "random() differs from the same matrix made on one process";
    if (i != Mat<T>::Identity(m, m)) return "identity()";
    if (z != Mat<T>::Zero(m, n)) return "zeros()";
    for (std::int64_t p = 0; p < m; ++p)
      for (std::int64_t q = 0; q < n; ++q)
        if (f(p, q) != T(tt::real_t<T>(p * 1000 + q))) return "from_function()";
    if (!round_trip) return "from_eigen/to_eigen round trip from the last rank";
    if (r != ref || r2 != ref) return "redistribute()";
    return "";
  });
}

TEST_CASE("sweep: windows: copy out and assign in at offsets") {
  sweep_rect("view", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, m, n, 141, c.block, c.src);
    // a window that starts off the block boundary and ends before the edge
    const std::int64_t i0 = m / 3, j0 = n / 4, wm = m - i0 - m / 5, wn = n - j0 - n / 6;
    auto W = tt::copy(std::as_const(A).view(i0, j0, wm, wn));
    auto D = tt::zeros<T>(g, m + 3, n + 2, c.block, c.src);
    tt::assign<T>(D.view(2, 1, wm, wn), W);
    const Mat<T> a = tt::to_eigen(A, 0), w = tt::to_eigen(W, 0), d = tt::to_eigen(D, 0);
    const Mat<T> vw = tt::to_eigen<T>(std::as_const(A).view(i0, j0, wm, wn), 0);
    if (test_rank() != 0) return "";
    if (w != a.block(i0, j0, wm, wn) || vw != w) return "copy(view) or to_eigen(view)";
    Mat<T> expect = Mat<T>::Zero(m + 3, n + 2);
    expect.block(2, 1, wm, wn) = a.block(i0, j0, wm, wn);
    if (d != expect) return "assign(view)";
    return "";
  });
}

TEST_CASE("sweep: gemm on offset windows with every op, matmul, aliasing") {
  sweep_rect("gemm", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    const std::int64_t k = (m + n) / 2 + 1;
    // The ops vary from case to case, chosen from the case itself so that every rank (and
    // every run of the suite at another rank count) picks the same ones.
    const std::int64_t turn = 7 * m + 3 * n + c.block.mb + 5 * c.src.row + std::int64_t(sizeof(T));
    const tt::Op ops[3] = {tt::Op::none, tt::Op::transpose, tt::Op::adjoint};
    const tt::Op opA = ops[turn % 3], opB = ops[(turn / 3) % 3];
    // op(A) is m x k and op(B) k x n, stored at offset (1, 2) of larger matrices
    const std::int64_t ar = opA == tt::Op::none ? m : k, ac = opA == tt::Op::none ? k : m;
    const std::int64_t br = opB == tt::Op::none ? k : n, bc = opB == tt::Op::none ? n : k;
    auto A = tt::random<T>(g, ar + 1, ac + 2, 151, c.block, c.src);
    auto B = tt::random<T>(g, br + 1, bc + 2, 152, c.block, c.src);
    auto C = tt::random<T>(g, m + 2, n + 1, 153, c.block, c.src);
    const Mat<T> a0 = tt::to_eigen(A, 0), b0 = tt::to_eigen(B, 0), c0 = tt::to_eigen(C, 0);
    const T alpha = T(0.5), beta = T(-2);
    tt::gemm<T>(alpha, std::as_const(A).view(1, 2, ar, ac), opA, std::as_const(B).view(1, 2, br, bc), opB, beta,
                C.view(2, 0, m, n));
    auto M = tt::matmul(tt::random<T>(g, m, k, 154, c.block, c.src), tt::random<T>(g, k, n, 155, c.block, c.src));
    // C := C * C' on overlapping windows of one matrix (square part of C)
    const std::int64_t s = std::min(m, n);
    auto S = tt::random<T>(g, s, s, 156, c.block, c.src);
    const Mat<T> s0 = tt::to_eigen(S, 0);
    tt::gemm<T>(T(1), S, tt::Op::none, S, tt::Op::adjoint, T(1), S);
    const Mat<T> cm = tt::to_eigen(C, 0), mm = tt::to_eigen(M, 0), sm = tt::to_eigen(S, 0);
    if (test_rank() != 0) return "";
    Mat<T> expect = c0;
    const Mat<T> aw = a0.block(1, 2, ar, ac), bw = b0.block(1, 2, br, bc);
    expect.block(2, 0, m, n) = alpha * op_of(aw, opA) * op_of(bw, opB) + beta * c0.block(2, 0, m, n);
    auto resid = [&](const Mat<T>& got, const Mat<T>& ref, double an, double bn, std::int64_t kk) {
      return double((got - ref).norm()) / (std::sqrt(double(kk) + 2) * eps<T>() * std::max(1.0, an * bn));
    };
    if (const double r = resid(cm, expect, double(aw.norm()), double(bw.norm()) + double(c0.norm()), k); !passes(r, 3))
      return fails("gemm", r, 3);
    const Mat<T> mref = reference_random<T>(m, k, 154) * reference_random<T>(k, n, 155);
    if (const double r = resid(mm, mref, double(reference_random<T>(m, k, 154).norm()),
                               double(reference_random<T>(k, n, 155).norm()), k);
        !passes(r, 3))
      return fails("matmul", r, 3);
    const Mat<T> sref = s0 * s0.adjoint() + s0;
    if (const double r = resid(sm, sref, double(s0.norm()), double(s0.norm()) + 1, s); !passes(r, 3))
      return fails("gemm with C aliasing A and B", r, 3);
    return "";
  });
}

TEST_CASE("sweep: transpose, adjoint, sums, scaling, axpy, dot, norms") {
  sweep_rect("elementwise",
             []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
               auto A = tt::random<T>(g, m, n, 161, c.block, c.src);
               auto B = tt::random<T>(g, m, n, 162, tt::Block{4, 3});  // another layout on purpose
               auto Y = B.copy();
               tt::axpy(T(2), A, Y);
               const T d = tt::dot(A, B);
               const double norms[4] = {double(tt::norm(A, tt::Norm::fro)), double(tt::norm(A, tt::Norm::one)),
                                        double(tt::norm(A, tt::Norm::inf)), double(tt::norm(A, tt::Norm::max))};
               const std::int64_t i0 = m / 3, j0 = n / 3;
               const double vnorm = double(tt::norm<T>(std::as_const(A).view(i0, j0, m - i0, n - j0), tt::Norm::one));
               const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0), t = tt::to_eigen(tt::transpose(A), 0),
                            h = tt::to_eigen(tt::adjoint(A), 0), sum = tt::to_eigen(A + B, 0),
                            dif = tt::to_eigen(A - B, 0), sc = tt::to_eigen(T(3) * A, 0), y = tt::to_eigen(Y, 0);
               if (test_rank() != 0) return "";
               const double tol = 8 * eps<T>() * (double(a.norm()) + double(b.norm()) + 1);
               if (t != Mat<T>(a.transpose()) || h != Mat<T>(a.adjoint())) return "transpose/adjoint";
               if ((sum - (a + b)).norm() > tol || (dif - (a - b)).norm() > tol) return "A + B or A - B";
               if ((sc - T(3) * a).norm() > tol) return "scaling";
               if ((y - (T(2) * a + b)).norm() > 2 * tol) return "axpy";
               const T dref = (a.array().conjugate() * b.array()).sum();
               if (std::abs(d - dref) > 100 * eps<T>() * (double(a.norm()) * double(b.norm()) + 1)) return "dot";
               const double ref[4] = {double(a.norm()), one_norm(a), inf_norm(a),
                                      a.size() ? double(a.cwiseAbs().maxCoeff()) : 0.0};
               const double ntol = 10 * eps<T>() * double(m + n + 1);
               for (int q = 0; q < 4; ++q)
                 if (std::abs(norms[q] - ref[q]) > ntol * std::max(1.0, ref[q]))
                   return "norm kind " + std::to_string(q);
               const double vref = one_norm(Mat<T>(a.block(i0, j0, m - i0, n - j0)));
               if (std::abs(vnorm - vref) > ntol * std::max(1.0, vref)) return "norm of a window";
               return "";
             });
}

TEST_CASE("sweep: .npy and Matrix Market round trips between layouts") {
  sweep_rect("files", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, m, n, 171, c.block, c.src);
    const std::string npy = scratch() + "/a.npy", mtx = scratch() + "/a.mtx";
    tt::save_npy(A, npy);
    tt::save_mtx(A, mtx);
    tt::Grid h(test_comm());  // read back on the default grid, in another block
    auto B = tt::load_npy<T>(h, npy, tt::Block{3, 5});
    auto C = tt::load_mtx<T>(h, mtx, tt::Block{5, 3});
    const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0), cc = tt::to_eigen(C, 0);
    if (test_rank() != 0) return "";
    if (b != a) return ".npy round trip";
    if (cc != a) return "Matrix Market round trip";
    return "";
  });
}
