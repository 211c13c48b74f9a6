// ScaLAPACK's argument reports (PXERBLA) reach the library even from routines nested inside
// a driver, and become one Error on every rank. This test reaches into the library's
// private binding and kernel layers (lib/), which it is built against.

#include "bindings/reports.hpp"
#include "bindings/scalapack.hpp"
#include "kernels/common.hpp"
#include "support.hpp"

using namespace tartan_test;

TEST_CASE("a report from inside p?syevd (its p?ormtr) becomes an Error on every rank") {
  // p?syevd's own workspace query at n = 33 with nb = 64 is too small for the p?ormtr it
  // calls: p?ormtr reports argument 16 through PXERBLA and p?syevd returns INFO = 0 with
  // wrong eigenvectors. Called the way the library once called it, the report must be seen.
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    const int n = 33;
    auto A = tt::random<double>(g, n, n, 1);
    auto Z = tt::zeros<double>(g, n, n);
    std::vector<double> w(n);
    const long before = tt::detail::reports_seen();
    std::string msg;
    {
      tt::detail::ReportScope scope;
      int info = 0, iq = 0;
      double wq = 0, rq = 0;
      tt::detail::scalapack::heevd('V', 'L', n, A.data(), 1, 1, A.descriptor().data(), w.data(), Z.data(), 1, 1,
                                   Z.descriptor().data(), &wq, -1, &rq, -1, &iq, -1, &info);
      std::vector<double> work(static_cast<std::size_t>(wq));  // exactly what the query asked for
      std::vector<int> iwork(static_cast<std::size_t>(iq));
      tt::detail::scalapack::heevd('V', 'L', n, A.data(), 1, 1, A.descriptor().data(), w.data(), Z.data(), 1, 1,
                                   Z.descriptor().data(), work.data(), int(work.size()), nullptr, 0, iwork.data(),
                                   int(iwork.size()), &info);
      INFO("grid " << P << "x" << Q << " info " << info);
      REQUIRE(all_ranks(info == 0));  // p?syevd itself says all is well
      try {
        tt::detail::agreed_info(g, info, "test", "p?syevd", "33x33");
      } catch (const tt::Error& e) {
        msg = e.what();
      }
    }
    INFO(msg);
    REQUIRE(all_ranks(msg.find("PDORMTR reported an illegal value in argument 16") != std::string::npos));
    REQUIRE(all_ranks(msg.rfind("test: internal error", 0) == 0));
    // the same message everywhere
    const std::size_t h = std::hash<std::string>{}(msg);
    unsigned long long lo = h, hi = h, hv = h;
    MPI_Allreduce(&hv, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, test_comm());
    MPI_Allreduce(&hv, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, test_comm());
    REQUIRE(lo == hi);
    REQUIRE(tt::detail::reports_seen() > before);
    // and the library's own eigh of the same matrix is right
    auto [w2, V] = tt::eigh(A);
    const Mat<double> a = gather_all(A), v = gather_all(V);
    Mat<double> d = Mat<double>::Zero(n, n);
    for (int i = 0; i < n; ++i) d(i, i) = w2[std::size_t(i)];
    const Mat<double> sym = a.selfadjointView<Eigen::Lower>();
    REQUIRE(one_norm(Mat<double>(sym * v - v * d)) / (eps<double>() * one_norm(sym) * n) < 50);
  }
}

TEST_CASE("outside the library a report is printed, not recorded") {
  tt::Grid g(test_comm());
  auto A = tt::random<double>(g, 8, 8, 1);
  std::vector<int> ipiv(64);
  int info = 0;
  const long before = tt::detail::reports_seen();
  // IA = 0 is illegal: p?getrf reports argument 4 through PXERBLA and returns INFO < 0.
  tt::detail::scalapack::getrf(8, 8, A.data(), 0, 1, A.descriptor().data(), ipiv.data(), &info);
  REQUIRE(all_ranks(info < 0));
  REQUIRE(tt::detail::reports_seen() > before);
  REQUIRE(!tt::detail::take_report().seen);  // nothing recorded without a scope
}

TEST_CASE("PBLAS's process-wide topologies are left as found, so grids over fewer ranks cannot desynchronize") {
  // Debian's p?orgqr leaves the row broadcast topology at 'D'. A process that ran it on a
  // smaller grid then broadcast differently from the others on the next grid they shared,
  // and both hung (a qr on 1 rank, then a solve on 2). Every rank must hold the same
  // topologies after any factorization on any subset of the ranks.
  const std::string initial = tt::detail::pblas_topologies();
  for (int k = 1; k <= test_size(); ++k) {
    MPI_Comm sub = MPI_COMM_NULL;
    MPI_Comm_split(test_comm(), test_rank() < k ? 0 : MPI_UNDEFINED, test_rank(), &sub);
    if (sub != MPI_COMM_NULL) {
      tt::Grid g(sub);
      auto A = tt::random<double>(g, 37, 21, 1, tt::Block{4, 4});
      auto [Q, R] = tt::qr(A);
      auto S = tt::random<std::complex<float>>(g, 21, 21, 2, tt::Block{4, 4});
      auto lu = tt::lu_factor(S);
      auto [U, s, Vh] = tt::svd(tt::random<double>(g, 40, 30, 3, tt::Block{4, 4}));
      (void)lu;
      MPI_Comm_free(&sub);
    }
    const std::string now = tt::detail::pblas_topologies();
    INFO("after factorizations on the first " << k << " ranks: '" << now << "', was '" << initial << "'");
    REQUIRE(all_ranks(now == initial));
  }
  // And the solve on every rank that once hung after them.
  tt::Grid g(test_comm());
  auto A = tt::random<float>(g, 50, 50, 4, tt::Block{4, 4});
  auto X = tt::solve(A, tt::random<float>(g, 50, 1, 5, tt::Block{4, 4}));
  REQUIRE(X.rows() == 50);
}
