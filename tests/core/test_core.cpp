// Grid, DistMatrix, creation, gather/scatter, redistribution and views, at every grid shape
// of the current rank count.

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>

#include "support.hpp"

using namespace tartan_test;

TEST_CASE("Environment chooses at least one BLAS thread and never oversubscribes") {
  // The shared main built the Environment; a second one adopts MPI. It is collective over
  // MPI_COMM_WORLD, so it runs when the suite runs on every rank of the launch.
  int world = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  if (test_size() != world) return;
  tt::Environment env;
  REQUIRE_FALSE(env.owns_mpi());
  REQUIRE(env.blas_threads() >= 1);
  REQUIRE_FALSE(env.blas_kernel().empty());
  if (env.blas_threads_source() == "affinity") {
    // ranks x threads on this rank's cores never exceeds them
    REQUIRE(env.blas_threads() <= env.cores_available());
  }
}

TEST_CASE("Grid shapes") {
  REQUIRE(tt::Grid::default_shape(1) == std::pair{1, 1});
  REQUIRE(tt::Grid::default_shape(4) == std::pair{2, 2});
  REQUIRE(tt::Grid::default_shape(6) == std::pair{2, 3});
  REQUIRE(tt::Grid::default_shape(7) == std::pair{1, 7});
  REQUIRE(tt::Grid::default_shape(12) == std::pair{3, 4});

  tt::Grid g(test_comm());
  const auto [p, q] = tt::Grid::default_shape(test_size());
  REQUIRE(g.prows() == p);
  REQUIRE(g.pcols() == q);
  REQUIRE(g.size() == test_size());
  REQUIRE(g.rank_of(g.myrow(), g.mycol()) == g.rank());
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid h(test_comm(), P, Q);
    REQUIRE(h.myrow() == h.rank() / Q);
    REQUIRE(h.mycol() == h.rank() % Q);
    int rs = 0, cs = 0;
    MPI_Comm_size(h.row_comm(), &rs);
    MPI_Comm_size(h.col_comm(), &cs);
    REQUIRE(rs == Q);
    REQUIRE(cs == P);
    REQUIRE_FALSE(h == g);
    tt::Grid copy = h;
    REQUIRE(copy == h);
  }
}

TEST_CASE("A grid that does not cover the communicator is refused on every rank") {
  const int n = test_size();
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::Grid g(test_comm(), n + 1, 1); },
                                                 "does not cover the communicator");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::Grid g(test_comm(), 0, n); }, "0x");
}

TEMPLATE_TEST_CASE("DistMatrix local blocks partition the matrix", "", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 0}, {0, 5}, {1, 1}, {7, 3}, {13, 17}, {64, 65}})
      for (auto b : std::vector<tt::Block>{{1, 1}, {2, 3}, {4, 4}, {64, 64}, {}, {100, 7}}) {
        tt::DistMatrix<T> A(g, m, n, b);
        std::int64_t local = A.local_rows() * A.local_cols(), total = 0;
        MPI_Allreduce(&local, &total, 1, MPI_INT64_T, MPI_SUM, test_comm());
        REQUIRE(total == std::int64_t(m) * n);
        REQUIRE(all_ranks(A.lld() >= std::max<std::int64_t>(1, A.local_rows())));
        REQUIRE(all_ranks(A.local().rows() == A.local_rows()));
        REQUIRE(A.descriptor()[2] == m);
        // every owned entry visited once, with its global coordinates in range
        std::int64_t visits = 0;
        bool in_range = true;
        A.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
          ++visits;
          in_range = in_range && i >= 0 && i < m && j >= 0 && j < n;
          x = T(static_cast<tt::real_t<T>>(i * 1000 + j));
        });
        REQUIRE(all_ranks(in_range && visits == local));
        if (m > 0 && n > 0) {
          REQUIRE(A.get(m - 1, n - 1) == T(static_cast<tt::real_t<T>>((m - 1) * 1000 + n - 1)));
          REQUIRE(A.get(0, n / 2) == T(static_cast<tt::real_t<T>>(n / 2)));
        }
      }
  }
}

TEMPLATE_TEST_CASE("random() is the same matrix on every grid, block and source", "", TARTAN_TYPES) {
  using T = TestType;
  const std::int64_t m = 23, n = 17;
  const Mat<T> ref = serial_random<T>(m, n, 42);
  REQUIRE(ref.real().cwiseAbs().maxCoeff() <= 1);
  REQUIRE(ref.imag().cwiseAbs().maxCoeff() <= 1);
  REQUIRE(ref.cwiseAbs().minCoeff() > 0);
  REQUIRE((ref - serial_random<T>(m, n, 43)).norm() > 1);  // the seed matters
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : std::vector<tt::Block>{{1, 1}, {3, 5}, {8, 8}, {64, 64}})
      for (auto s : std::vector<tt::Source>{{0, 0}, {P - 1, Q - 1}}) {
        auto A = tt::random<T>(g, m, n, 42, b, s);
        const Mat<T> M = gather_all(A);
        REQUIRE(M == ref);
      }
  }
}

TEMPLATE_TEST_CASE("from_eigen and to_eigen round trip from any root", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {5, 0}, {9, 4}, {31, 57}})
    for (int root : {0, test_size() - 1}) {
      const Mat<T> M = Mat<T>::Random(m, n);
      Mat<T> mine = test_rank() == root ? M : Mat<T>();
      auto A = tt::from_eigen(g, mine, root, tt::Block{4, 3});
      REQUIRE(A.rows() == m);
      REQUIRE(A.cols() == n);
      const Mat<T> back = tt::to_eigen(A, root);
      REQUIRE(all_ranks(test_rank() == root ? back == M : back.size() == 0));
    }
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::to_eigen(tt::zeros<T>(g, 2, 2), test_size()); }, "root is");
}

TEMPLATE_TEST_CASE("redistribute between grids, blocks and sources", "", TARTAN_TYPES) {
  using T = TestType;
  const std::int64_t m = 31, n = 19;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, m, n, 7, tt::Block{4, 4});
  const Mat<T> ref = gather_all(A);
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid h(test_comm(), P, Q);
    for (auto b : std::vector<tt::Block>{{1, 2}, {5, 5}, {64, 64}}) {
      auto B = tt::redistribute(A, h, b, tt::Source{P - 1, 0});
      REQUIRE(B.grid() == h);
      REQUIRE(B.block().mb == b.mb);
      REQUIRE(gather_all(B) == ref);
      auto C = tt::redistribute(B, g, tt::Block{3, 2});
      REQUIRE(gather_all(C) == ref);
    }
  }
  if (test_size() > 1) {
    tt::Grid self(MPI_COMM_SELF);
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::redistribute(A, self); }, "different processes");
  }
}

TEMPLATE_TEST_CASE("redistribute of windows, over a duplicated and a reordered communicator", "", TARTAN_TYPES) {
  // Windows at offsets, into every grid shape over the same processes: the world, a
  // duplicate of it, and its ranks in reverse order (BLACS numbers that grid differently).
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 40, 33, 9, tt::Block{5, 3}, tt::Source{0, g.pcols() - 1});
  const Mat<T> ref = gather_all(A);
  MPI_Comm dup, reversed;
  MPI_Comm_dup(test_comm(), &dup);
  MPI_Comm_split(test_comm(), 0, test_size() - 1 - test_rank(), &reversed);
  const char* names[] = {"world", "a duplicate", "reversed"};
  int which = 0;
  for (MPI_Comm comm : {test_comm(), dup, reversed}) {
    const char* cname = names[which++];
    for (auto [P, Q] : grid_shapes()) {
      tt::Grid h(comm, P, Q);
      for (auto [i, j, m, n] :
           std::vector<std::array<std::int64_t, 4>>{{0, 0, 40, 33}, {7, 4, 20, 25}, {39, 0, 1, 33}, {3, 32, 30, 1}}) {
        for (auto b : std::vector<tt::Block>{{1, 1}, {4, 7}, {64, 64}}) {
          auto B = tt::redistribute(std::as_const(A).view(i, j, m, n), h, b, tt::Source{P - 1, Q - 1});
          INFO(cname << " grid " << P << "x" << Q << " window " << i << "," << j << " " << m << "x" << n << " block "
                     << b.mb << "x" << b.nb);
          // gather_all roots at world rank 0; on the reversed grid B is checked through C
          if (comm != reversed) REQUIRE(gather_all(B) == Mat<T>(ref.block(i, j, m, n)));
          auto C = tt::redistribute(B, g, tt::Block{3, 2}, tt::Source{});
          REQUIRE(gather_all(C) == Mat<T>(ref.block(i, j, m, n)));
        }
      }
    }
  }
  MPI_Comm_free(&dup);
  MPI_Comm_free(&reversed);
}

TEMPLATE_TEST_CASE("redistribution checked entry by entry where it lands; overlapping windows of one matrix", "",
                   TARTAN_TYPES) {
  // Entries that name their own coordinates, checked on the rank that holds them (no
  // gather, which moves data by the same code), and assign() between overlapping windows
  // of the same matrix, which must read every source entry before writing any.
  using T = TestType;
  auto value = [](std::int64_t i, std::int64_t j) { return T(tt::real_t<T>(1000 * i + j)); };
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto b : std::vector<tt::Block>{{1, 1}, {3, 5}, {}}) {
      INFO("grid " << P << "x" << Q << " block " << b.mb << "x" << b.nb);
      auto A = tt::zeros<T>(g, 37, 29, tt::Block{4, 3}, tt::Source{P - 1, 0});
      A.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { x = value(i, j); });
      tt::Grid h(test_comm(), Q, P);
      auto B = tt::redistribute(std::as_const(A).view(5, 2, 30, 27), h, b, tt::Source{0, P - 1});
      bool ok = true;
      B.for_each_local([&](std::int64_t i, std::int64_t j, T& x) { ok = ok && x == value(i + 5, j + 2); });
      REQUIRE(all_ranks(ok));
      // shift a window down and right by (2, 1) inside A: windows overlap
      tt::assign(A.view(2, 1, 30, 25), std::as_const(A).view(0, 0, 30, 25));
      A.for_each_local([&](std::int64_t i, std::int64_t j, T& x) {
        const bool moved = i >= 2 && i < 32 && j >= 1 && j < 26;
        ok = ok && x == (moved ? value(i - 2, j - 1) : value(i, j));
      });
      REQUIRE(all_ranks(ok));
    }
  }
}

TEMPLATE_TEST_CASE("get, set, copy and zeros/identity", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto I = tt::identity<T>(g, 11, tt::Block{2, 2});
  REQUIRE(gather_all(I) == Mat<T>::Identity(11, 11));
  auto Z = tt::zeros<T>(g, 4, 6);
  REQUIRE(gather_all(Z) == Mat<T>::Zero(4, 6));
  auto C = I.copy();
  C.set(3, 4, T(5));
  REQUIRE(C.get(3, 4) == T(5));
  REQUIRE(I.get(3, 4) == T(0));  // the copy is deep
  require_throws_everywhere<tt::InvalidArgument>([&] { C.get(11, 0); }, "outside the 11x11 matrix");
  require_throws_everywhere<tt::InvalidArgument>([&] { C.set(0, -1, T(1)); }, "outside");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::zeros<T>(g, -3, 2); }, "non-negative");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::zeros<T>(g, 3, 2, tt::Block{0, -4}); }, "positive block");
  require_throws_everywhere<tt::InvalidArgument>(
      [&] {
        tt::zeros<T>(g, 3, 2, {}, tt::Source{g.prows(), 0});
      },
      "outside the");
  require_throws_everywhere<tt::InvalidArgument>(
      [&] {
        tt::zeros<T>(g, 100000, 100000, tt::Block{100000, 100000});
      },
      "32-bit");
}

TEMPLATE_TEST_CASE("views: copy out, assign in", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 20, 15, 3, tt::Block{3, 4});
  const Mat<T> ref = gather_all(A);
  auto v = std::as_const(A).view(5, 2, 9, 11);
  REQUIRE(v.ia() == 6);
  REQUIRE(v.ja() == 3);
  auto S = tt::copy(v);
  REQUIRE(gather_all(S) == ref.block(5, 2, 9, 11));
  auto Z = tt::zeros<T>(g, 30, 30, tt::Block{5, 5});
  tt::assign(Z.view(10, 12, 9, 11), S);
  Mat<T> expect = Mat<T>::Zero(30, 30);
  expect.block(10, 12, 9, 11) = ref.block(5, 2, 9, 11);
  REQUIRE(gather_all(Z) == expect);
  REQUIRE(all_ranks(tt::to_eigen(v, 0).size() == (test_rank() == 0 ? 99 : 0)));
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(15, 0, 6, 1); }, "does not fit in the 20x15 matrix");
  require_throws_everywhere<tt::InvalidArgument>([&] { tt::assign(Z.view(0, 0, 2, 2), S); }, "expected equal shapes");
}

TEMPLATE_TEST_CASE("a moved-from matrix is a valid empty matrix on its grid", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 9, 7, 1, tt::Block{2, 3});
  const Mat<T> a = gather_all(A);
  auto B = std::move(A);
  REQUIRE(gather_all(B) == a);
  REQUIRE(A.rows() == 0);
  REQUIRE(A.cols() == 0);
  REQUIRE(A.grid() == g);  // used to dereference null
  REQUIRE(A.block().mb == 2);
  REQUIRE(all_ranks(A.local_rows() == 0 && A.local_cols() == 0 && A.lld() == 1));
  REQUIRE(A.descriptor()[2] == 0);
  REQUIRE(tt::norm(A) == 0);
  REQUIRE(tt::to_eigen(A, 0).size() == 0);
  REQUIRE(A.copy().rows() == 0);
  A = tt::zeros<T>(g, 3, 3);  // and usable again
  REQUIRE(gather_all(A) == Mat<T>::Zero(3, 3));
  tt::DistMatrix<T> C(g, 0, 0);
  C = std::move(B);
  REQUIRE(B.rows() == 0);
  REQUIRE(gather_all(C) == a);
}

TEMPLATE_TEST_CASE("views whose bounds overflow 64 bits are refused", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 20, 15, 3);
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  // i + m wrapped around: view(INT64_MAX, 0, 1, 1) was accepted with ia() = 0
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(big, 0, 1, 1); }, "does not fit in the 20x15 matrix");
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(1, 0, big, 1); }, "does not fit");
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(0, big, 1, 1); }, "does not fit");
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(0, 1, 1, big); }, "does not fit");
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(big, big, big, big); }, "does not fit");
  require_throws_everywhere<tt::InvalidArgument>([&] { A.view(-1, 0, 1, 1); }, "does not fit");
  REQUIRE(A.view(20, 15, 0, 0).rows() == 0);  // an empty window at the corner is fine
}

TEMPLATE_TEST_CASE("from_function: f failing on one rank fails on every rank with its message", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  const int victim = test_size() - 1;  // the last rank owns entries on every grid here (20 x 20, 2 x 2 blocks)
  auto f = [&](std::int64_t i, std::int64_t j) {
    if (test_rank() == victim)
      throw std::runtime_error("no value for (" + std::to_string(i) + ", " + std::to_string(j) + ")");
    return T(double(i + j));
  };
  require_throws_everywhere<tt::InvalidArgument>(
      [&] {
        tt::from_function<T>(g, 20, 20, f, tt::Block{2, 2});
      },
      "from_function: f failed on rank " + std::to_string(victim) + ": no value for (");
  // the grid is still usable: nobody was left in a collective
  auto A = tt::from_function<T>(g, 20, 20, [](std::int64_t i, std::int64_t j) { return T(double(i - j)); });
  REQUIRE(tt::norm(A) > 0);
}

TEMPLATE_TEST_CASE("a view whose matrix was moved from or shrunk refuses every use", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 20, 15, 3);
  const auto whole = tt::to_eigen<T>(A, 0);
  tt::View<T> v = A.view(2, 3, 10, 8);
  tt::View<const T> c = std::as_const(A).view(0, 0, 20, 15);
  REQUIRE(tt::norm<T>(v) > 0);
  auto B = std::move(A);  // A is now 0 x 0; v and c still point at A
  require_throws_everywhere<tt::InvalidArgument>([&] { (void)tt::norm<T>(v); }, "no longer fits its matrix, now 0x0");
  require_throws_everywhere<tt::InvalidArgument>([&] { (void)tt::to_eigen<T>(c, 0); }, "take the view after the move");
  require_throws_everywhere<tt::InvalidArgument>([&] { (void)v.grid(); }, "10x8 window at (2, 3)");
  // the data moved with B, untouched
  const auto after = tt::to_eigen<T>(B, 0);
  if (test_rank() == 0) REQUIRE(after == whole);
  // a view of the matrix now holding the data works; one of a smaller matrix assigned in is refused
  auto w = B.view(2, 3, 10, 8);
  REQUIRE(tt::norm<T>(w) > 0);
  B = tt::random<T>(g, 5, 5, 4);
  require_throws_everywhere<tt::InvalidArgument>([&] { (void)tt::norm<T>(w); }, "now 5x5");
}

TEMPLATE_TEST_CASE("an allocation that fails on one rank fails on every rank as OutOfMemory", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  // The last rank may grow its address space by 64 MiB only (ulimit -v); every rank's block
  // needs 128 MiB. That rank cannot allocate, the others can: all must throw, none hang.
  const int victim = test_size() - 1;
  rlimit old{};
  getrlimit(RLIMIT_AS, &old);
  if (test_rank() == victim) {
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    statm >> pages;
    rlimit lim = old;
    lim.rlim_cur = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + (64u << 20);
    setrlimit(RLIMIT_AS, &lim);
  }
  const auto n = static_cast<std::int64_t>(std::sqrt(double(128 << 20) * test_size() / sizeof(T)));
  std::string msg;
  std::int64_t bytes = 0;
  try {
    tt::DistMatrix<T> A(g, n, n, tt::Block{(n + g.prows() - 1) / g.prows(), (n + g.pcols() - 1) / g.pcols()});
  } catch (const tt::OutOfMemory& e) {
    msg = e.what();
    bytes = e.bytes();
  }
  if (test_rank() == victim) setrlimit(RLIMIT_AS, &old);
  INFO(msg);
  REQUIRE(all_ranks(bytes > 0));
  REQUIRE(all_ranks(msg.find("on rank " + std::to_string(victim)) != std::string::npos));
  REQUIRE(all_ranks(msg.find("MiB available") != std::string::npos));
  // and the grid is still usable afterwards
  REQUIRE(gather_all(tt::identity<T>(g, 4)) == Mat<T>::Identity(4, 4));
}

TEMPLATE_TEST_CASE("windows of non-const matrices work where const ones do", "", TARTAN_TYPES) {
  using T = TestType;
  tt::Grid g(test_comm());
  auto A = tt::random<T>(g, 30, 20, 5, tt::Block{4, 3});  // not const
  const Mat<T> a = gather_all(A);
  const Mat<T> w = a.block(3, 2, 10, 7);
  REQUIRE(gather_all(tt::copy(A.view(3, 2, 10, 7))) == w);
  REQUIRE(gather_all(tt::redistribute(A.view(3, 2, 10, 7), g, tt::Block{2, 2})) == w);
  const auto e = tt::to_eigen(A.view(3, 2, 10, 7));
  if (test_rank() == 0) REQUIRE(e == w);
  REQUIRE(std::abs(double(tt::norm(A.view(3, 2, 10, 7), tt::Norm::one)) - one_norm(w)) <= 1e-5 * one_norm(w));
  auto B = tt::zeros<T>(g, 30, 20, tt::Block{5, 5});
  tt::assign(B.view(0, 0, 10, 7), A.view(3, 2, 10, 7));
  REQUIRE(gather_all(B).block(0, 0, 10, 7) == w);
}
