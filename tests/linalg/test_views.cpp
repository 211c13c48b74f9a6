// Every linalg function on a window (tartan/linalg/views.hpp): the same answer as on a copy
// of the window (to rounding: two runs of one ScaLAPACK call need not agree bit for bit), for const and non-const
// views, either argument of the two-matrix functions, on every grid; the matrix the window is in is left untouched; a
// window's errors are the function's own.

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

namespace {

template <class T>
double tol() {
  return std::is_same_v<tt::real_t<T>, float> ? 1e-4 : 1e-11;
}

template <class T>
bool same(const tt::DistMatrix<T>& a, const tt::DistMatrix<T>& b) {
  const Mat<T> x = gather_all(a), y = gather_all(b);
  return x.rows() == y.rows() && x.cols() == y.cols() &&
         double((x - y).norm()) <= tol<T>() * std::max(1.0, double(y.norm()));
}

template <class R>
bool same(const std::vector<R>& a, const std::vector<R>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(double(a[i]) - double(b[i])) > tol<R>() * std::max(1.0, std::abs(double(b[i])))) return false;
  return true;
}

template <class S>
bool near(S a, S b) {
  return std::abs(a - b) <= tol<S>() * std::max<double>(1.0, std::abs(b));
}

}  // namespace

TEMPLATE_TEST_CASE("linalg functions take views: the same as on a copy of the window", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    INFO("grid " << P << "x" << Q);
    // a 23 x 23 window at (4, 3) of a larger matrix, made well conditioned and Hermitian
    // positive definite so that every function has a defined answer
    auto big = tt::random<T>(g, 31, 29, 5, tt::Block{4, 4});
    auto H = hermitian_random<T>(g, 23, 6, tt::Block{4, 4}, 46.0);
    tt::assign(big.view(4, 3, 23, 23), H);
    const Mat<T> before = gather_all(big);
    auto v = big.view(4, 3, 23, 23);                  // View<T>
    auto cv = std::as_const(big).view(4, 3, 23, 23);  // View<const T>
    const auto A = tt::copy(cv);
    auto rhs = tt::random<T>(g, 31, 3, 7, tt::Block{4, 4});
    auto bv = std::as_const(rhs).view(2, 0, 23, 3);
    const auto B = tt::copy(bv);

    REQUIRE(near(tt::det(v), tt::det(A)));
    REQUIRE(near(tt::det(cv), tt::det(A)));
    REQUIRE(near(tt::slogdet(v).logabsdet, tt::slogdet(A).logabsdet));
    REQUIRE(same(tt::inv(v), tt::inv(A)));
    REQUIRE(same(tt::cholesky(cv), tt::cholesky(A)));
    REQUIRE(same(tt::cho_factor(v).factor(), tt::cho_factor(A).factor()));
    REQUIRE(same(tt::lu_factor(v).factors(), tt::lu_factor(A).factors()));
    REQUIRE(same(tt::lu(cv).u, tt::lu(A).u));
    REQUIRE(same(tt::qr(v).r, tt::qr(A).r));
    REQUIRE(same(tt::eigvalsh(v), tt::eigvalsh(A)));
    REQUIRE(same(tt::eigh(cv, {.lower = false}).eigenvalues, tt::eigh(A, {.lower = false}).eigenvalues));
    REQUIRE(same(tt::svdvals(v), tt::svdvals(A)));
    REQUIRE(same(tt::hessenberg(cv).h, tt::hessenberg(A).h));
    REQUIRE(same(tt::rq(v).r, tt::rq(A).r));
    {  // H is Hermitian: real eigenvalues, compared in ascending order
      auto real_sorted = [](const auto& w) {
        std::vector<tt::real_t<T>> r;
        for (auto x : w) r.push_back(x.real());
        std::sort(r.begin(), r.end());
        return r;
      };
      REQUIRE(same(real_sorted(tt::eigvals(v)), real_sorted(tt::eigvals(A))));
      REQUIRE(same(real_sorted(tt::eig(cv).w), real_sorted(tt::eig(A).w)));
      REQUIRE(tt::schur(v).t.rows() == 23);
      REQUIRE(tt::schur_complex(cv).z.rows() == 23);
    }
    REQUIRE(same(tt::svd(cv).s, tt::svd(A).s));
    REQUIRE(same(tt::pinv(v), tt::pinv(A)));
    REQUIRE(tt::matrix_rank(v) == 23);
    REQUIRE(near(tt::cond(v), tt::cond(A)));
    REQUIRE(near(tt::cond(cv, tt::Norm::one), tt::cond(A, tt::Norm::one)));
    {  // a basis of the range: compare the projectors (a basis of clustered values is not unique)
      const auto Q1 = tt::orth(v), Q2 = tt::orth(A);
      REQUIRE(same(tt::matmul(Q1, tt::adjoint(Q1)), tt::matmul(Q2, tt::adjoint(Q2))));
    }
    REQUIRE(tt::null_space(cv).cols() == 0);
    REQUIRE(same(tt::expm(v), tt::expm(A)));
    REQUIRE(same(tt::sqrtm(cv), tt::sqrtm(A)));
    REQUIRE(same(tt::logm(v), tt::logm(A)));
    REQUIRE(same(tt::signm(v), tt::signm(A)));
    REQUIRE(same(tt::polar(cv).u, tt::polar(A).u));
    REQUIRE(same(tt::matrix_power(v, 3), tt::matrix_power(A, 3)));
    using R = tt::real_t<T>;
    REQUIRE(same(tt::funm_hermitian(v, [](R x) { return x / R(2); }),
                 tt::funm_hermitian<T>(A, [](R x) { return x / R(2); })));
    // two-matrix functions: a view in either place, or both
    REQUIRE(same(tt::solve(v, B), tt::solve(A, B)));
    REQUIRE(same(tt::solve(A, bv), tt::solve(A, B)));
    const tt::SolveOptions pd{.assume = tt::Structure::positive_definite};
    REQUIRE(same(tt::solve(cv, bv, pd), tt::solve(A, B, pd)));
    REQUIRE(same(tt::lstsq(v, bv).x, tt::lstsq(A, B).x));
    REQUIRE(same(tt::solve_triangular(cv, B), tt::solve_triangular(A, B)));
    REQUIRE(same(tt::eigvalsh(v, tt::identity<T>(g, 23)), tt::eigvalsh(A, tt::identity<T>(g, 23))));
    if constexpr (std::is_same_v<R, double>) REQUIRE(same(tt::solve_mixed(v, bv).x, tt::solve_mixed(A, B).x));
    REQUIRE(gather_all(big) == before);  // the matrix the windows are in is untouched
    // a window's errors are the function's: a non-square window, on every rank
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::det(big.view(0, 0, 5, 6)); }, "square");
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::solve(v, big.view(0, 0, 5, 2)); }, "");
  }
}
