// Layout's index math, exhaustively over small sizes, blocks, grids and sources, against
// a count made from the definition of the block-cyclic distribution. Links only the
// layout arithmetic: no MPI, no ScaLAPACK.

#include <catch2/catch.hpp>
#include <vector>

#include "tartan/error.hpp"
#include "tartan/layout.hpp"

namespace {
// Entries of an n-long dimension held by process p: block b = i / nb lives on (src + b) % np.
std::int64_t count_owned(std::int64_t n, std::int64_t nb, int p, int src, int np) {
  std::int64_t c = 0;
  for (std::int64_t i = 0; i < n; ++i)
    if ((src + i / nb) % np == p) ++c;
  return c;
}
}  // namespace

using tartan::Block;
using tartan::Layout;
using tartan::Source;

TEST_CASE("numroc counts what the block-cyclic definition deals to each process") {
  for (int n = 0; n <= 40; ++n)
    for (int nb = 1; nb <= 9; ++nb)
      for (int np = 1; np <= 5; ++np)
        for (int src = 0; src < np; ++src)
          for (int p = 0; p < np; ++p) REQUIRE(tartan::numroc(n, nb, p, src, np) == count_owned(n, nb, p, src, np));
}

TEST_CASE("global and local indices are inverse maps covering every entry once") {
  for (std::int64_t m = 0; m <= 23; ++m)
    for (std::int64_t mb = 1; mb <= 7; ++mb)
      for (int P = 1; P <= 4; ++P)
        for (int src = 0; src < P; ++src) {
          const Layout l(m, 1, Block{mb, 1}, P, 1, Source{src, 0});
          std::vector<std::vector<int>> seen(P);
          for (int p = 0; p < P; ++p) seen[p].assign(static_cast<std::size_t>(l.local_rows(p)), 0);
          for (std::int64_t i = 0; i < m; ++i) {
            const int p = l.row_owner(i);
            const std::int64_t il = l.local_row(i);
            REQUIRE(il >= 0);
            REQUIRE(il < l.local_rows(p));
            REQUIRE(l.global_row(il, p) == i);
            ++seen[p][il];
          }
          std::int64_t total = 0;
          for (int p = 0; p < P; ++p) {
            total += l.local_rows(p);
            for (int c : seen[p]) REQUIRE(c == 1);
          }
          REQUIRE(total == m);
        }
}

TEST_CASE("columns use the column block size, column grid and source") {
  for (std::int64_t n = 0; n <= 19; ++n)
    for (std::int64_t nb = 1; nb <= 6; ++nb)
      for (int Q = 1; Q <= 3; ++Q)
        for (int src = 0; src < Q; ++src) {
          const Layout l(5, n, Block{2, nb}, 2, Q, Source{1, src});
          std::int64_t total = 0;
          for (int q = 0; q < Q; ++q) total += l.local_cols(q);
          REQUIRE(total == n);
          for (std::int64_t j = 0; j < n; ++j) REQUIRE(l.global_col(l.local_col(j), l.col_owner(j)) == j);
        }
}

TEST_CASE("block defaults") {
  REQUIRE(tartan::resolve_block({}).mb == tartan::default_block_size);
  REQUIRE(tartan::resolve_block({}).nb == tartan::default_block_size);
  REQUIRE(tartan::resolve_block({0, 8}).mb == 8);
  REQUIRE(tartan::resolve_block({5, 0}).nb == 5);
  REQUIRE(tartan::resolve_block({3, 4}).nb == 4);
}

TEST_CASE("descriptor fields") {
  const Layout l(100, 37, Block{8, 5}, 2, 3, Source{1, 2});
  const auto d = l.descriptor(7, 56);
  REQUIRE(d == std::array<int, 9>{1, 7, 100, 37, 8, 5, 1, 2, 56});
}

TEST_CASE("bad layouts throw InvalidArgument naming what is wrong") {
  REQUIRE_THROWS_WITH(Layout(-1, 3, {}, 1, 1), Catch::Contains("-1x3"));
  REQUIRE_THROWS_AS(Layout(3, -2, {}, 1, 1), tartan::InvalidArgument);
  REQUIRE_THROWS_WITH(Layout(3, 3, Block{-1, 4}, 1, 1), Catch::Contains("positive block"));
  REQUIRE_THROWS_WITH(Layout(3, 3, {}, 2, 2, Source{2, 0}), Catch::Contains("outside the 2x2 grid"));
  REQUIRE_THROWS_AS(Layout(3, 3, {}, 0, 2), tartan::InvalidArgument);
}

TEST_CASE("sizes beyond 32 bits are refused by the descriptor, not overflowed") {
  const std::int64_t big = 3'000'000'000LL;
  const Layout l(big, 10, {}, 4, 1);
  REQUIRE_THROWS_WITH(l.descriptor(0, 1), Catch::Contains("32-bit"));
  const Layout ok(1000, 10, {}, 1, 1);
  REQUIRE_THROWS_WITH(ok.descriptor(0, big), Catch::Contains("local leading dimension"));
}
