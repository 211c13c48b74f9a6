// libtartan_commcount: the PMPI counters count exactly what was sent, through any
// communicator and datatype, only between start and stop; and the volumes of Tartan's
// matmul, lu_factor and cholesky never go below the 2D lower bounds, with matmul on a
// square grid within 1.5x of its bound.

#include <dlfcn.h>
#include <mpi.h>

#include <cmath>
#include <vector>

#include "comm_bounds.hpp"
#include "support.hpp"
#include "tartan/commcount.h"

using namespace tartan_test;

namespace {

tartan_comm_counts collect() {
  tartan_comm_counts c{};
  REQUIRE(tartan_comm_collect(&c) == MPI_SUCCESS);
  return c;
}

double max_received(const tartan_comm_counts& c) {
  double v = double(c.p2p_recv_bytes + c.coll_recv_bytes), out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, test_comm());
  return out;
}

unsigned long long log2_ceil(int p) {
  unsigned long long r = 0;
  while ((1 << r) < p) ++r;
  return r;
}

// Bytes received by the busiest rank during f.
template <class F>
double received_by_busiest(F&& f) {
  MPI_Barrier(test_comm());
  tartan_comm_start();
  f();
  tartan_comm_stop();
  return max_received(collect());
}

}  // namespace

TEST_CASE("commcount: the wrappers are in front of MPI") { REQUIRE(tartan_comm_active() == 1); }

TEST_CASE("commcount: point to point counted by destination, through any communicator and datatype") {
  const int p = test_size(), r = test_rank();
  // A communicator with the ranks reversed: destinations must be translated to world ranks.
  MPI_Comm rev;
  MPI_Comm_split(test_comm(), 0, p - 1 - r, &rev);
  const int next = (r + 1) % p, prev = (r + p - 1) % p;
  std::vector<double> out(std::size_t(10 * (r + 1)), 1.0), in(std::size_t(10 * (prev + 1)));
  // Three blocks of two ints, stride 5: 24 bytes per element of this type.
  MPI_Datatype vec;
  MPI_Type_vector(3, 2, 5, MPI_INT, &vec);
  MPI_Type_commit(&vec);
  std::vector<int> vout(2 * 15, 7), vin(12);

  MPI_Barrier(test_comm());
  tartan_comm_start();
  MPI_Request req;
  MPI_Isend(out.data(), int(out.size()), MPI_DOUBLE, p - 1 - next, 1, rev, &req);
  MPI_Recv(in.data(), int(in.size()), MPI_DOUBLE, p - 1 - prev, 1, rev, MPI_STATUS_IGNORE);
  MPI_Wait(&req, MPI_STATUS_IGNORE);
  MPI_Sendrecv(vout.data(), 2, vec, prev, 2, vin.data(), 12, MPI_INT, next, 2, test_comm(), MPI_STATUS_IGNORE);
  tartan_comm_stop();
  MPI_Send(out.data(), 1, MPI_DOUBLE, next, 3, test_comm());  // after stop: not counted
  MPI_Recv(in.data(), 1, MPI_DOUBLE, prev, 3, test_comm(), MPI_STATUS_IGNORE);
  const auto c = collect();

  CHECK(c.p2p_sent_messages == 2);
  CHECK(c.p2p_sent_bytes == 8ull * 10 * (r + 1) + 2 * 24);
  CHECK(c.p2p_recv_messages == 2);
  CHECK(c.p2p_recv_bytes == 8ull * 10 * (prev + 1) + 2 * 24);
  CHECK(c.coll_calls == 0);
  MPI_Type_free(&vec);
  MPI_Comm_free(&rev);
}

TEST_CASE("commcount: collectives counted by the payload from the other ranks") {
  const int p = test_size(), r = test_rank();
  std::vector<double> b(10, double(r)), s(5, 1.0), t(5);
  std::vector<int> mine(3, r), all(std::size_t(3 * p));
  MPI_Barrier(test_comm());
  tartan_comm_start();
  MPI_Bcast(b.data(), 10, MPI_DOUBLE, p - 1, test_comm());
  MPI_Allgather(mine.data(), 3, MPI_INT, all.data(), 3, MPI_INT, test_comm());
  MPI_Allreduce(s.data(), t.data(), 5, MPI_DOUBLE, MPI_SUM, test_comm());
  MPI_Barrier(test_comm());
  tartan_comm_stop();
  const auto c = collect();
  CHECK(t[0] == double(p));
  if (p == 1) {  // a collective of one rank moves nothing
    CHECK(c.coll_calls == 0);
    CHECK(c.coll_recv_bytes == 0);
  } else {
    CHECK(c.coll_calls == 4);
    CHECK(c.coll_rounds == 4 * log2_ceil(p));
    CHECK(c.coll_recv_bytes == (r == p - 1 ? 0ull : 80ull) + 12ull * (p - 1) + 40ull);
  }
  CHECK(c.p2p_recv_bytes == 0);
}

TEST_CASE("commcount: calls through MPI's Fortran bindings are counted too") {
  // ELPA calls MPI from Fortran; Open MPI's Fortran layer calls PMPI_ directly, so the
  // library wraps the Fortran names as well. Reached here the way a Fortran library would.
  void* mpifh = dlopen("libmpi_mpifh.so.40", RTLD_NOW | RTLD_GLOBAL);
  if (!mpifh) {
    WARN("no libmpi_mpifh.so.40: Open MPI without its Fortran bindings, nothing to count");
    return;
  }
  using Bcast = void (*)(void*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*);
  using Send = void (*)(const void*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*);
  using Recv = void (*)(void*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*, MPI_Fint*);
  auto bcast = reinterpret_cast<Bcast>(dlsym(RTLD_DEFAULT, "mpi_bcast_"));
  auto send = reinterpret_cast<Send>(dlsym(RTLD_DEFAULT, "mpi_send_"));
  auto recv = reinterpret_cast<Recv>(dlsym(RTLD_DEFAULT, "mpi_recv_"));
  REQUIRE(bcast);
  REQUIRE(send);
  REQUIRE(recv);
  const int p = test_size(), r = test_rank();
  MPI_Fint dbl = MPI_Type_c2f(MPI_DOUBLE), world = MPI_Comm_c2f(test_comm()), ierr = 0;
  MPI_Fint ten = 10, root = p - 1, tag = 5, next = (r + 1) % p, prev = (r + p - 1) % p, k = 3 * (r + 1);
  MPI_Fint kprev = 3 * (prev + 1);
  std::vector<double> b(10, double(r)), out(static_cast<std::size_t>(k), 1.0), in(static_cast<std::size_t>(kprev));
  std::vector<MPI_Fint> status(16);  // Fortran's MPI_STATUS_SIZE is 6 in Open MPI
  MPI_Barrier(test_comm());
  tartan_comm_start();
  bcast(b.data(), &ten, &dbl, &root, &world, &ierr);
  REQUIRE(ierr == 0);
  if (r % 2 == 0) {  // even ranks send first; with one rank, to itself
    MPI_Request q;
    MPI_Irecv(in.data(), kprev, MPI_DOUBLE, prev, 5, test_comm(), &q);
    send(out.data(), &k, &dbl, &next, &tag, &world, &ierr);
    MPI_Wait(&q, MPI_STATUS_IGNORE);
  } else {
    recv(in.data(), &kprev, &dbl, &prev, &tag, &world, status.data(), &ierr);
    send(out.data(), &k, &dbl, &next, &tag, &world, &ierr);
  }
  REQUIRE(ierr == 0);
  tartan_comm_stop();
  const auto c = collect();
  CHECK(b[0] == double(p - 1));
  CHECK(c.p2p_sent_bytes == 8ull * 3 * (r + 1));
  CHECK(c.p2p_recv_bytes == 8ull * 3 * (prev + 1));
  CHECK(c.p2p_recv_messages == 1);
  CHECK(c.coll_recv_bytes == (p == 1 || r == p - 1 ? 0ull : 80ull));
  CHECK(c.coll_calls == (p == 1 ? 0ull : 1ull));
}

TEST_CASE("commcount: matmul, lu_factor and cholesky against the 2D lower bounds") {
  // n is 6 blocks, so every grid of up to 6 ranks holds an equal share (the bounds assume it).
  const int P = test_size();
  for (auto [pr, pc] : grid_shapes())
    for (std::int64_t nb : {std::int64_t(0), std::int64_t(32)}) {
      const tt::Block blk = nb == 0 ? tt::Block{} : tt::Block{nb, nb};
      const std::int64_t n = 6 * (nb == 0 ? tt::default_block_size : nb);
      const double nn = double(n) * double(n);
      tt::Grid g(test_comm(), pr, pc);
      INFO("grid " << pr << "x" << pc << ", n " << n << ", nb " << nb << " (0: default)");
      auto A = tt::random<double>(g, n, n, 1, blk), B = tt::random<double>(g, n, n, 2, blk);
      auto S = tt::random<double>(g, n, n, 3, blk);
      S.for_each_local([&](std::int64_t i, std::int64_t j, double& x) { x = i == j ? double(n) : 0.1 * (x - 0.5); });
      S = tt::matmul(tt::transpose(S), S);

      const double gemm = received_by_busiest([&] { auto C = tt::matmul(A, B); });
      const double lu = received_by_busiest([&] { auto F = tt::lu_factor(A); });
      const double chol = received_by_busiest([&] { auto L = tt::cholesky(S); });
      if (P == 1) {
        CHECK(gemm == 0);
        CHECK(lu == 0);
        CHECK(chol == 0);
        continue;
      }
      // The bench's bounds (-1 where vacuous); gemm's is never vacuous for P > 1.
      const double gemm_bound = comm_bound_bytes("gemm", double(n), P);
      const double lu_bound = comm_bound_bytes("lu", double(n), P);
      const double chol_bound = comm_bound_bytes("cholesky", double(n), P);
      INFO("received " << gemm << " " << lu << " " << chol << " bytes; gemm bound " << gemm_bound);
      REQUIRE(gemm_bound == Approx(8 * (2 * nn / std::sqrt(double(P)) - 2 * nn / P)));
      CHECK(gemm >= gemm_bound * (1 - 1e-12));
      if (pr == pc) CHECK(gemm <= 1.5 * gemm_bound);
      CHECK(lu >= lu_bound);
      CHECK(chol >= chol_bound);
      CHECK(lu > 0);
      CHECK(chol > 0);
    }
}
