// The block 1-norm estimator expm uses for n >= 200 (linalg/onenormest.hpp) against the
// exact 1-norm of the formed product: never above it, never below a third of it, exact on a
// matrix whose norm sits in one column; the same figure on every rank; every grid shape.
// Built against lib/: the estimator is internal.

#include "linalg/onenormest.hpp"
#include "support.hpp"

using namespace tartan_test;

TEMPLATE_TEST_CASE("onenormest_product: a lower bound within a factor 3 of ||F0 F1 ...||_1", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (std::int64_t n : {1, 2, 7, 64, 201}) {
      for (auto b : {tt::Block{}, tt::Block{5, 5}}) {
        auto A = tt::random<T>(g, n, n, 11 + n, b), B = tt::random<T>(g, n, n, 12 + n, b);
        auto C = tt::random<T>(g, n, n, 13 + n, b);
        C.for_each_local([](std::int64_t i, std::int64_t, T& x) { x *= T(i % 7 == 0 ? 10 : 1); });  // uneven rows
        const std::vector<std::vector<const tt::DistMatrix<T>*>> products = {{&A}, {&A, &B}, {&C, &A, &B}};
        for (const auto& F : products) {
          tt::DistMatrix<T> exact_p = F[0]->copy();
          for (std::size_t k = 1; k < F.size(); ++k) exact_p = tt::matmul(exact_p, *F[k]);
          const double exact = double(tt::norm(exact_p, tt::Norm::one));
          const double est = tt::detail::onenormest_product<T>(F);
          INFO("n=" << n << " grid " << P << "x" << Q << " block " << b.mb << ", " << F.size()
                    << " factor(s): estimate " << est << ", exact " << exact);
          const double slack = 1 + 100 * eps<T>() * n;  // the estimate's own rounding
          REQUIRE(est <= exact * slack);
          REQUIRE(est >= exact / 3);
          double lo = est, hi = est;
          MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_DOUBLE, MPI_MIN, test_comm());
          MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_DOUBLE, MPI_MAX, test_comm());
          REQUIRE(lo == hi);
        }
        // ||A||_1 held by one column: found exactly
        auto D = tt::zeros<T>(g, n, n, b);
        D.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = T(j == n / 2 ? 1 + i : 0); });
        const double dn = double(tt::norm(D, tt::Norm::one));
        REQUIRE(std::abs(tt::detail::onenormest_product<T>({&D}) - dn) <= 1e-5 * dn);
      }
    }
  }
}
