// copy_window (core/redist.hpp): block-cyclic to block-cyclic in one MPI_Alltoallv.

#include "core/redist.hpp"

#include <mpi.h>

#include <climits>
#include <complex>
#include <cstring>
#include <vector>

#include "bindings/pblas.hpp"
#include "bindings/workspace.hpp"
#include "core/agree.hpp"
#include "core/format.hpp"
#include "core/instantiate.hpp"
#include "core/memory.hpp"

namespace tartan::detail {

namespace {

// One dimension of one side: global index g (0-based, within the whole matrix) to the
// process coordinate that owns it and its local index there.
struct Axis {
  std::int64_t block, src, procs;
  int owner(std::int64_t g) const { return static_cast<int>((g / block + src) % procs); }
  std::int64_t local(std::int64_t g) const { return (g / block / procs) * block + g % block; }
};

// A run of window indices that are contiguous locally on both sides.
struct Run {
  std::int64_t from, to, len;
};

// For one dimension of the window (length len, starting at global index a0 in A and b0 in
// B): the runs this rank sends to each B coordinate (where A's owner is mine_a) and receives
// from each A coordinate (where B's owner is mine_b), in increasing window order.
struct Plan1d {
  std::vector<std::vector<Run>> send, recv;  // send[B coord], recv[A coord]
  std::vector<std::int64_t> send_count, recv_count;
};

Plan1d plan_axis(std::int64_t len, std::int64_t a0, const Axis& ax, int mine_a, std::int64_t b0, const Axis& bx,
                 int mine_b) {
  Plan1d p;
  p.send.resize(static_cast<std::size_t>(bx.procs));
  p.recv.resize(static_cast<std::size_t>(ax.procs));
  p.send_count.assign(static_cast<std::size_t>(bx.procs), 0);
  p.recv_count.assign(static_cast<std::size_t>(ax.procs), 0);
  // Walk the window in pieces that stay inside one block on both sides.
  for (std::int64_t k = 0; k < len;) {
    const std::int64_t ga = a0 + k, gb = b0 + k;
    const std::int64_t step = std::min({len - k, ax.block - ga % ax.block, bx.block - gb % bx.block});
    const int oa = ax.owner(ga), ob = bx.owner(gb);
    if (oa == mine_a || ob == mine_b) {
      const Run r{ax.local(ga), bx.local(gb), step};
      auto add = [&](std::vector<Run>& runs, std::int64_t& count) {
        if (!runs.empty() && runs.back().from + runs.back().len == r.from && runs.back().to + runs.back().len == r.to)
          runs.back().len += step;
        else
          runs.push_back(r);
        count += step;
      };
      if (oa == mine_a) add(p.send[static_cast<std::size_t>(ob)], p.send_count[static_cast<std::size_t>(ob)]);
      if (ob == mine_b) add(p.recv[static_cast<std::size_t>(oa)], p.recv_count[static_cast<std::size_t>(oa)]);
    }
    k += step;
  }
  return p;
}

// Calls f(from_row, to_row, len, from_col, to_col) for every (row run, column) pair of a
// rows x cols product, columns outermost: the one order packer and unpacker share.
template <class F>
void for_each_piece(const std::vector<Run>& rows, const std::vector<Run>& cols, F&& f) {
  for (const Run& c : cols)
    for (std::int64_t j = 0; j < c.len; ++j)
      for (const Run& r : rows) f(r.from, r.to, r.len, c.from + j, c.to + j);
}

}  // namespace

template <class T>
void copy_window(std::int64_t m, std::int64_t n, const T* a, std::int64_t ia, std::int64_t ja, const int* desca,
                 const Grid& ga, T* b, std::int64_t ib, std::int64_t jb, const int* descb, const Grid& gb) {
  if (m <= 0 || n <= 0) return;
  if (m * n > INT_MAX) {  // the same on every rank: MPI's int counts may not hold a rank's share
    pblas::gemr2d(static_cast<int>(m), static_cast<int>(n), a, static_cast<int>(ia), static_cast<int>(ja), desca, b,
                  static_cast<int>(ib), static_cast<int>(jb), descb, ga.blacs_context());
    return;
  }
  const Axis ar{desca[4], desca[6], ga.prows()}, ac{desca[5], desca[7], ga.pcols()};
  const Axis br{descb[4], descb[6], gb.prows()}, bc{descb[5], descb[7], gb.pcols()};
  const std::int64_t lda = desca[8], ldb = descb[8];
  const Plan1d rows = plan_axis(m, ia - 1, ar, ga.myrow(), ib - 1, br, gb.myrow());
  const Plan1d cols = plan_axis(n, ja - 1, ac, ga.mycol(), jb - 1, bc, gb.mycol());

  // Ranks in ga's communicator of gb's processes (the same processes, perhaps numbered
  // differently when gb was built over another communicator).
  const int size = ga.size();
  std::vector<int> b_rank(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r) b_rank[static_cast<std::size_t>(r)] = r;
  if (gb.comm() != ga.comm()) {
    int cmp = MPI_UNEQUAL;
    MPI_Comm_compare(ga.comm(), gb.comm(), &cmp);
    if (cmp == MPI_SIMILAR) {
      MPI_Group g1, g2;
      MPI_Comm_group(gb.comm(), &g1);
      MPI_Comm_group(ga.comm(), &g2);
      std::vector<int> in(static_cast<std::size_t>(size));
      for (int r = 0; r < size; ++r) in[static_cast<std::size_t>(r)] = r;
      MPI_Group_translate_ranks(g1, size, in.data(), g2, b_rank.data());
      MPI_Group_free(&g1);
      MPI_Group_free(&g2);
    }
  }
  const int me = ga.rank();

  std::vector<int> scount(static_cast<std::size_t>(size), 0), rcount(static_cast<std::size_t>(size), 0);
  std::vector<int> sdisp(static_cast<std::size_t>(size), 0), rdisp(static_cast<std::size_t>(size), 0);
  const bool same_storage = static_cast<const void*>(a) == static_cast<const void*>(b);
  auto self_direct = [&](int dest) { return dest == me && !same_storage; };
  for (int p = 0; p < gb.prows(); ++p)
    for (int q = 0; q < gb.pcols(); ++q) {
      const int dest = b_rank[static_cast<std::size_t>(gb.rank_of(p, q))];
      if (!self_direct(dest))
        scount[static_cast<std::size_t>(dest)] =
            static_cast<int>(rows.send_count[std::size_t(p)] * cols.send_count[std::size_t(q)]);
    }
  for (int p = 0; p < ga.prows(); ++p)
    for (int q = 0; q < ga.pcols(); ++q) {
      const int src = ga.rank_of(p, q);
      if (!self_direct(src))
        rcount[static_cast<std::size_t>(src)] =
            static_cast<int>(rows.recv_count[std::size_t(p)] * cols.recv_count[std::size_t(q)]);
    }
  std::int64_t stotal = 0, rtotal = 0;
  for (int r = 0; r < size; ++r) {
    sdisp[static_cast<std::size_t>(r)] = static_cast<int>(stotal);
    rdisp[static_cast<std::size_t>(r)] = static_cast<int>(rtotal);
    stotal += scount[static_cast<std::size_t>(r)];
    rtotal += rcount[static_cast<std::size_t>(r)];
  }

  pooled_vector<T> sbuf, rbuf;
  const std::int64_t bytes = (stotal + rtotal) * static_cast<std::int64_t>(sizeof(T));
  agreed_allocation(ga, bytes, "redistribution of a " + shape(m, n) + " window: its send and receive buffers",
                    m * n * static_cast<std::int64_t>(sizeof(T)) >= agreed_allocation_threshold, [&] {
                      sbuf.resize(static_cast<std::size_t>(stotal));
                      rbuf.resize(static_cast<std::size_t>(rtotal));
                    });

  // Pack, destination by destination, in the order the receiver unpacks.
  for (int p = 0; p < gb.prows(); ++p)
    for (int q = 0; q < gb.pcols(); ++q) {
      const int dest = b_rank[static_cast<std::size_t>(gb.rank_of(p, q))];
      if (scount[static_cast<std::size_t>(dest)] == 0) continue;
      T* out = sbuf.data() + sdisp[static_cast<std::size_t>(dest)];
      for_each_piece(rows.send[std::size_t(p)], cols.send[std::size_t(q)],
                     [&](std::int64_t fr, std::int64_t, std::int64_t len, std::int64_t fc, std::int64_t) {
                       std::memcpy(out, a + fr + fc * lda, static_cast<std::size_t>(len) * sizeof(T));
                       out += len;
                     });
    }
  // What stays on this rank, straight across.
  if (!same_storage) {
    const int bp = gb.myrow(), bq = gb.mycol();
    for_each_piece(rows.send[std::size_t(bp)], cols.send[std::size_t(bq)],
                   [&](std::int64_t fr, std::int64_t tr, std::int64_t len, std::int64_t fc, std::int64_t tc) {
                     std::memcpy(b + tr + tc * ldb, a + fr + fc * lda, static_cast<std::size_t>(len) * sizeof(T));
                   });
  }
  MPI_Alltoallv(sbuf.data(), scount.data(), sdisp.data(), mpi_type<T>(), rbuf.data(), rcount.data(), rdisp.data(),
                mpi_type<T>(), ga.comm());
  for (int p = 0; p < ga.prows(); ++p)
    for (int q = 0; q < ga.pcols(); ++q) {
      const int src = ga.rank_of(p, q);
      if (rcount[static_cast<std::size_t>(src)] == 0) continue;
      const T* in = rbuf.data() + rdisp[static_cast<std::size_t>(src)];
      for_each_piece(rows.recv[std::size_t(p)], cols.recv[std::size_t(q)],
                     [&](std::int64_t, std::int64_t tr, std::int64_t len, std::int64_t, std::int64_t tc) {
                       std::memcpy(b + tr + tc * ldb, in, static_cast<std::size_t>(len) * sizeof(T));
                       in += len;
                     });
    }
}

#define TARTAN_INSTANTIATE(T)                                                                                \
  template void copy_window<T>(std::int64_t, std::int64_t, const T*, std::int64_t, std::int64_t, const int*, \
                               const Grid&, T*, std::int64_t, std::int64_t, const int*, const Grid&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
