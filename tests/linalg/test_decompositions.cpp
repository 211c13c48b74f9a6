// lu (P, L, U), orth and null_space (lib/linalg/decompositions.cpp) on every grid shape,
// default and small blocks, square, tall and wide.

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("lu: A = P L U, L unit lower, U upper, perm as indices, every grid", "", TARTAN_TYPES) {
  using T = TestType;
  const double t = std::is_same_v<tt::real_t<T>, float> ? 1e-4 : 1e-12;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : {std::pair{0, 0}, {1, 1}, {13, 13}, {65, 30}, {30, 65}, {129, 129}})
      for (auto b : {tt::Block{}, tt::Block{4, 4}}) {
        if (m > 100 && b.mb == 4) continue;  // the large size with the default block only
        INFO(m << "x" << n << " grid " << P << "x" << Q << " block " << b.mb);
        auto A = tt::random<T>(g, m, n, 3 + m, b);
        const Mat<T> a = gather_all(A);
        auto r = tt::lu(A);
        const Mat<T> p = gather_all(r.p), l = gather_all(r.l), u = gather_all(r.u);
        const int k = std::min(m, n);
        REQUIRE((l.rows() == m && l.cols() == k && u.rows() == k && u.cols() == n));
        REQUIRE(one_norm(Mat<T>(p * l * u - a)) <= t * std::max(1.0, one_norm(a)) * std::max(m, 1));
        bool shapes_ok = true;  // L unit lower trapezoidal, U upper trapezoidal
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < k; ++j) shapes_ok = shapes_ok && (j < i || l(i, j) == T(j == i ? 1 : 0));
        for (int i = 0; i < k; ++i)
          for (int j = 0; j < i; ++j) shapes_ok = shapes_ok && u(i, j) == T(0);
        REQUIRE(shapes_ok);
        Mat<T> lu_rows(m, n);
        const Mat<T> prod = l * u;
        for (int i = 0; i < m; ++i) lu_rows.row(i) = prod.row(r.perm[static_cast<std::size_t>(i)]);
        REQUIRE(one_norm(Mat<T>(lu_rows - a)) <= t * std::max(1.0, one_norm(a)) * std::max(m, 1));
        auto pl = tt::lu(A, {.permute_l = true});
        REQUIRE(pl.p.rows() == 0);
        REQUIRE(one_norm(Mat<T>(gather_all(pl.l) * gather_all(pl.u) - a)) <=
                t * std::max(1.0, one_norm(a)) * std::max(m, 1));
        REQUIRE(gather_all(A) == a);
        if (m == n) {  // lu_factor's pivots (scipy's piv), applied as interchanges, give lu's perm
          const std::vector<std::int64_t> piv = tt::lu_factor(A).pivots();
          std::vector<std::int64_t> rows(static_cast<std::size_t>(m)), inv(static_cast<std::size_t>(m));
          for (int i = 0; i < m; ++i) rows[std::size_t(i)] = i;
          for (int i = 0; i < m; ++i) std::swap(rows[std::size_t(i)], rows[std::size_t(piv[std::size_t(i)])]);
          for (int i = 0; i < m; ++i) inv[std::size_t(rows[std::size_t(i)])] = i;  // row i of A is row inv[i] of L U
          REQUIRE(inv == r.perm);
        }
      }
  }
}

TEMPLATE_TEST_CASE("orth and null_space of rank-deficient matrices, every grid", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n, r] : {std::tuple{40, 25, 7}, {25, 40, 7}, {30, 30, 30}, {5, 5, 0}}) {
      INFO(m << "x" << n << " rank " << r << " grid " << P << "x" << Q);
      auto A = tt::matmul(tt::random<T>(g, m, r, 1), tt::random<T>(g, r, n, 2));
      const Mat<T> a = gather_all(A);
      const Mat<T> q = gather_all(tt::orth(A)), z = gather_all(tt::null_space(A));
      REQUIRE(q.cols() == r);
      REQUIRE(z.cols() == n - r);
      REQUIRE(orthogonality<T>(q) < 100);
      REQUIRE(orthogonality<T>(z) < 100);
      const double scale = std::max(1.0, one_norm(a)) * (std::is_same_v<tt::real_t<T>, float> ? 1e-4 : 1e-12);
      REQUIRE(one_norm(Mat<T>(q * (q.adjoint() * a) - a)) <= scale * m);
      REQUIRE(one_norm(Mat<T>(a * z)) <= scale * n);
    }
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::orth(tt::random<T>(g, 3, 3, 1), {.rcond = -1.0}); },
                                                   "rcond");
  }
}

TEMPLATE_TEST_CASE("qr with pivoting: A[:, perm] = Q R, |R_ii| non-increasing, every grid", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n, r] : {std::tuple{1, 1, 1}, {13, 13, 13}, {65, 30, 30}, {30, 65, 30}, {40, 40, 9}, {70, 70, 70}})
      for (auto b : {tt::Block{}, tt::Block{4, 4}}) {
        INFO(m << "x" << n << " rank " << r << " grid " << P << "x" << Q << " block " << b.mb);
        auto A = r == std::min(m, n) ? tt::random<T>(g, m, n, 5 + m, b)
                                     : tt::matmul(tt::random<T>(g, m, r, 1, b), tt::random<T>(g, r, n, 2, b));
        const Mat<T> a = gather_all(A);
        for (auto mode : {tt::QrMode::reduced, tt::QrMode::complete, tt::QrMode::r}) {
          auto res = tt::qr(A, {.mode = mode, .pivoting = true});
          std::vector<std::int64_t> sorted = res.perm;
          std::sort(sorted.begin(), sorted.end());
          bool is_perm = static_cast<int>(sorted.size()) == n;
          for (int j = 0; j < n && is_perm; ++j) is_perm = sorted[std::size_t(j)] == j;
          REQUIRE(all_ranks(is_perm));
          const Mat<T> rr = gather_all(res.r);
          bool shape = true;
          for (int j = 0; j < rr.cols(); ++j)
            for (int i = j + 1; i < rr.rows(); ++i) shape = shape && rr(i, j) == T(0);
          for (int i = 1; i < std::min<int>(rr.rows(), n); ++i)
            shape = shape && std::abs(rr(i, i)) <= std::abs(rr(i - 1, i - 1)) * (1 + 1e-3) + 1e-5 * one_norm(a);
          REQUIRE(all_ranks(shape));
          if (mode == tt::QrMode::r) continue;
          const Mat<T> q = gather_all(res.q);
          Mat<T> ap(m, n);
          for (int j = 0; j < n; ++j) ap.col(j) = a.col(res.perm[std::size_t(j)]);
          REQUIRE(all_ranks(passes(recon<T>(ap, Mat<T>(q * rr)), 30) && passes(orthogonality<T>(q), 30)));
        }
        require_throws_everywhere<tt::InvalidArgument>(
            [&] { tt::qr(A, {.method = tt::QrMethod::cholesky_qr, .pivoting = true}); }, "pivoting");
        REQUIRE(gather_all(A) == a);
      }
  }
}

TEMPLATE_TEST_CASE("rq: A = R Q in scipy's modes, every grid", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : {std::pair{1, 1}, {13, 13}, {30, 65}, {65, 30}, {9, 70}, {129, 129}})
      for (auto b : {tt::Block{}, tt::Block{4, 4}}) {
        if (m > 100 && b.mb == 4) continue;
        INFO(m << "x" << n << " grid " << P << "x" << Q << " block " << b.mb);
        auto A = tt::random<T>(g, m, n, 9 + n, b);
        const Mat<T> a = gather_all(A);
        const int k = std::min(m, n);
        for (auto mode : {tt::RqMode::full, tt::RqMode::economic, tt::RqMode::r}) {
          INFO("mode " << static_cast<int>(mode));
          auto [R, Qm] = tt::rq(A, {.mode = mode});
          const Mat<T> r = gather_all(R);
          const bool square_r = mode == tt::RqMode::economic && n >= m;
          REQUIRE(all_ranks(r.rows() == m && r.cols() == (square_r ? m : n)));
          const int shift = square_r ? 0 : n - m;
          bool upper = true;
          for (int i = 0; i < m; ++i)
            for (int j = 0; j < r.cols(); ++j) upper = upper && (j - i >= shift || r(i, j) == T(0));
          REQUIRE(all_ranks(upper));
          if (mode == tt::RqMode::r) {
            REQUIRE(Qm.rows() == 0);
            continue;
          }
          const Mat<T> q = gather_all(Qm);
          const int qrows = n < m ? n : (mode == tt::RqMode::economic ? m : n);
          REQUIRE(all_ranks(q.rows() == qrows && q.cols() == n));
          const Mat<T> qa = q.adjoint();
          REQUIRE(all_ranks(passes(orthogonality<T>(qa), 30)));
          // R Q reproduces A (full: R m x n times Q n x n; economic: m x m times m x n).
          REQUIRE(all_ranks(passes(recon<T>(a, Mat<T>(r * q)), 30)));
          (void)k;
        }
        REQUIRE(gather_all(A) == a);
      }
  }
}
