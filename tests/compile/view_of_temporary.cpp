// Compiles only without TARTAN_EXPECT_ERROR: a view of a temporary matrix (or a View built
// from one) would dangle at the end of the statement, so it must not compile.
#include <tartan/tartan.hpp>

void f(const tartan::Grid& g) {
  auto A = tartan::zeros<double>(g, 4, 4);
  auto ok = A.view(0, 0, 2, 2);
  tartan::View<const double> whole = A;
  (void)ok;
  (void)whole;
#if TARTAN_EXPECT_ERROR == 1
  auto v = tartan::zeros<double>(g, 4, 4).view(0, 0, 2, 2);
  (void)v;
#elif TARTAN_EXPECT_ERROR == 2
  tartan::View<const double> v = tartan::zeros<double>(g, 4, 4);
  (void)v;
#elif TARTAN_EXPECT_ERROR == 3
  const auto& c = A;
  auto v = std::move(c).view(0, 0, 1, 1);
  (void)v;
#endif
}
