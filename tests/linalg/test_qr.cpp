// qr in every mode (lib/linalg/qr.cpp), tall and wide.

#include <cmath>

#include "linalg_cases.hpp"

using namespace tartan_test;
using namespace tartan_test::linalg_cases;

TEMPLATE_TEST_CASE("qr in every mode, tall and wide", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {13, 8}, {8, 13}, {31, 31}, {57, 17}, {5, 0}})
      for (auto b : std::vector<tt::Block>{{4, 4}, {2, 3}}) {
        auto A = tt::random<T>(g, m, n, 21, b);
        const Mat<T> a = gather_all(A);
        const int k = std::min(m, n);
        auto [q, r] = tt::qr(A);
        REQUIRE(q.rows() == m);
        REQUIRE(q.cols() == k);
        REQUIRE(r.rows() == k);
        REQUIRE(r.cols() == n);
        const Mat<T> qm = gather_all(q), rm = gather_all(r);
        REQUIRE(recon<T>(a, qm * rm) < 50);
        REQUIRE(orthogonality<T>(qm) < 50);
        REQUIRE(Mat<T>(rm.template triangularView<Eigen::StrictlyLower>()).isZero(0));
        auto [qc, rc] = tt::qr(A, {.mode = tt::QrMode::complete});
        REQUIRE(qc.cols() == m);
        REQUIRE(rc.rows() == m);
        const Mat<T> qcm = gather_all(qc);
        REQUIRE(recon<T>(a, qcm * gather_all(rc)) < 50);
        REQUIRE(orthogonality<T>(qcm) < 50);
        auto only_r = tt::qr(A, {.mode = tt::QrMode::r});
        REQUIRE(only_r.q.rows() == 0);
        REQUIRE(gather_all(only_r.r) == rm);
      }
  }
}
