// Sweep: solve (general, positive definite, symmetric/Hermitian), lu_factor with
// transposed solves, det and slogdet, cholesky and cho_factor, solve_triangular and inv.

#include "sweep.hpp"

using namespace sweep;

TEST_CASE("sweep: solve, general and positive definite and symmetric") {
  sweep_square("solve", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, n, n, 11, c.block, c.src);
    auto B = tt::random<T>(g, n, 3, 12, c.block, c.src);
    auto S = hermitian<T>(g, n, 13, c, double(n) + 2);  // positive definite
    auto X = tt::solve(A, B);
    auto Y = tt::solve(spoil_triangle(S, true), B, {.assume = tt::Structure::positive_definite, .lower = true});
    auto H = hermitian<T>(g, n, 14, c);  // indefinite
    const auto kind = tt::is_complex_v<T> ? tt::Structure::hermitian : tt::Structure::symmetric;
    auto Z = tt::solve(spoil_triangle(H, false), B, {.assume = kind, .lower = false});
    const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0), x = tt::to_eigen(X, 0), s = tt::to_eigen(S, 0),
                 y = tt::to_eigen(Y, 0), h = tt::to_eigen(H, 0), z = tt::to_eigen(Z, 0);
    if (test_rank() != 0) return "";
    if (x.rows() != n || x.cols() != 3) return "X has the wrong shape";
    if (const double r = solve_residual<T>(a, x, b); !passes(r, 16)) return fails("general residual", r, 16);
    if (const double r = solve_residual<T>(s, y, b); !passes(r, 16)) return fails("positive definite residual", r, 16);
    if (const double r = solve_residual<T>(h, z, b); !passes(r, 16)) return fails("symmetric residual", r, 16);
    return "";
  });
}

TEST_CASE("sweep: lu_factor, transposed solves, det, slogdet") {
  sweep_square("lu_factor", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, n, n, 21, c.block, c.src);
    auto B = tt::random<T>(g, n, 2, 22, c.block, c.src);
    auto lu = tt::lu_factor(A);
    std::vector<Mat<T>> xs;
    for (auto op : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint}) xs.push_back(tt::to_eigen(lu.solve(B, op), 0));
    const T d = tt::det(A);
    const auto sl = tt::slogdet(A);
    const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0);
    if (test_rank() != 0) return "";
    int k = 0;
    for (auto op : {tt::Op::none, tt::Op::transpose, tt::Op::adjoint})
      if (const double r = solve_residual<T>(op_of(a, op), xs[k++], b); !passes(r, 16))
        return fails("op " + std::to_string(k) + " residual", r, 16);
    // slogdet against Eigen's LU in double precision, and det against exp(logabsdet)
    // where the determinant is representable in T (a 129 x 129 random matrix's is not in float).
    const RefSlogdet ref = ref_slogdet(a);
    const double logref = ref.logabsdet;
    const std::complex<double> phase = ref.sign;
    const double tol = 1e3 * eps<T>() * double(std::max<std::int64_t>(n, 1));
    if (std::abs(double(sl.logabsdet) - logref) > tol)
      return fails("|logabsdet - ref|", std::abs(double(sl.logabsdet) - logref), tol);
    if (n > 0 && std::abs(std::complex<double>(sl.sign) - phase) > tol) return "slogdet's sign differs from Eigen's";
    if (logref < std::log(double(std::numeric_limits<tt::real_t<T>>::max())) - 10) {
      const std::complex<double> dref = phase * std::exp(logref);
      if (std::abs(std::complex<double>(d) - dref) > tol * std::abs(dref)) return "det differs from Eigen's";
    }
    return "";
  });
}

TEST_CASE("sweep: cholesky, cho_factor") {
  sweep_square("cholesky", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = hermitian<T>(g, n, 31, c, double(n) + 2);
    auto B = tt::random<T>(g, n, 3, 32, c.block, c.src);
    auto L = tt::cholesky(spoil_triangle(A, true), {.lower = true});
    auto U = tt::cholesky(spoil_triangle(A, false), {.lower = false});
    auto f = tt::cho_factor(A, {.lower = false});
    const Mat<T> x = tt::to_eigen(f.solve(B), 0);
    const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0), l = tt::to_eigen(L, 0), u = tt::to_eigen(U, 0);
    if (test_rank() != 0) return "";
    if (const double r = recon<T>(a, Mat<T>(l * l.adjoint())); !passes(r, 16)) return fails("||A - L L^H||", r, 16);
    if (const double r = recon<T>(a, Mat<T>(u.adjoint() * u)); !passes(r, 16)) return fails("||A - U^H U||", r, 16);
    if (n > 1 && (l(0, n - 1) != T(0) || u(n - 1, 0) != T(0))) return "the other triangle is not zero";
    if (const double r = solve_residual<T>(a, x, b); !passes(r, 16)) return fails("cho_factor solve residual", r, 16);
    return "";
  });
}

TEST_CASE("sweep: solve_triangular") {
  sweep_square("solve_triangular", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    // A well-conditioned triangle: unit-sized off-diagonal entries, diagonal n + 1.
    auto A = tt::from_function<T>(
        g, n, n, [&](std::int64_t i, std::int64_t j) { return i == j ? T(tt::real_t<T>(n + 1)) : T(unit(41, i, j)); },
        c.block, c.src);
    auto B = tt::random<T>(g, n, 2, 42, c.block, c.src);
    std::vector<Mat<T>> xs;
    for (bool lower : {true, false})
      for (auto op : {tt::Op::none, tt::Op::adjoint})
        xs.push_back(tt::to_eigen(tt::solve_triangular(A, B, {.lower = lower, .trans = op}), 0));
    const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0);
    if (test_rank() != 0) return "";
    int k = 0;
    for (bool lower : {true, false})
      for (auto op : {tt::Op::none, tt::Op::adjoint}) {
        const Mat<T> tri = lower ? Mat<T>(a.template triangularView<Eigen::Lower>())
                                 : Mat<T>(a.template triangularView<Eigen::Upper>());
        if (const double r = solve_residual<T>(op_of(tri, op), xs[k++], b); !passes(r, 16))
          return fails(std::string(lower ? "lower" : "upper") + " residual", r, 16);
      }
    return "";
  });
}

TEST_CASE("sweep: inv") {
  sweep_square("inv", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, n, n, 51, c.block, c.src);
    auto X = tt::inv(A);
    const Mat<T> a = tt::to_eigen(A, 0), x = tt::to_eigen(X, 0);
    if (test_rank() != 0 || n == 0) return "";
    // ||A inv(A) - I||_1 / (eps ||A||_1 ||inv(A)||_1 n)
    const double r = one_norm(Mat<T>(a * x - Mat<T>::Identity(n, n))) / (eps<T>() * one_norm(a) * one_norm(x) * n);
    return passes(r, 16) ? "" : fails("||A inv(A) - I||", r, 16);
  });
}
