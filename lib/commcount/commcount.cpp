// libtartan_commcount: MPI profiling-interface wrappers that count the bytes and messages
// each rank receives (tartan/commcount.h has the rules). Each wrapper counts, when counting
// is on, and calls its PMPI_ twin: a branch when off, a short locked update when on.

#include "tartan/commcount.h"

#include <dlfcn.h>
#include <mpi.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace {

using u64 = unsigned long long;

struct State {
  std::mutex lock;
  std::atomic<bool> on{false};
  int world_size = 0;
  std::vector<u64> bytes_to, messages_to;  // point to point, by destination's world rank
  tartan_comm_counts local{};              // everything but the received point to point
  // A communicator's ranks as world ranks, looked up once per communicator.
  std::unordered_map<MPI_Comm, std::vector<int>> to_world;
  bool report_at_finalize = false;
};

State& state() {
  static State s;
  return s;
}

u64 type_bytes(MPI_Datatype t) {
  if (t == MPI_DATATYPE_NULL) return 0;
  int s = 0;
  if (PMPI_Type_size(t, &s) != MPI_SUCCESS || s < 0) return 0;
  return static_cast<u64>(s);
}

int comm_size(MPI_Comm c) {
  int p = 1, inter = 0;
  PMPI_Comm_test_inter(c, &inter);
  if (inter) return 1;  // intercommunicators are not counted
  PMPI_Comm_size(c, &p);
  return p;
}

int comm_rank(MPI_Comm c) {
  int r = 0;
  PMPI_Comm_rank(c, &r);
  return r;
}

u64 rounds(int p) {
  u64 r = 0;
  while ((1 << r) < p) ++r;
  return r;
}

// The world ranks of the ranks a send on c addresses (an intercommunicator's remote group).
// Caller holds the lock.
const std::vector<int>& world_ranks(State& s, MPI_Comm c) {
  auto it = s.to_world.find(c);
  if (it != s.to_world.end()) return it->second;
  int inter = 0, p = 0;
  PMPI_Comm_test_inter(c, &inter);
  MPI_Group g, wg;
  if (inter) {
    PMPI_Comm_remote_group(c, &g);
  } else {
    PMPI_Comm_group(c, &g);
  }
  PMPI_Group_size(g, &p);
  std::vector<int> mine(static_cast<std::size_t>(p)), world(static_cast<std::size_t>(p), MPI_UNDEFINED);
  for (int i = 0; i < p; ++i) mine[std::size_t(i)] = i;
  PMPI_Comm_group(MPI_COMM_WORLD, &wg);
  PMPI_Group_translate_ranks(g, p, mine.data(), wg, world.data());
  PMPI_Group_free(&g);
  PMPI_Group_free(&wg);
  return s.to_world.emplace(c, std::move(world)).first->second;
}

void count_send(int count, MPI_Datatype t, int dest, MPI_Comm c) {
  State& s = state();
  if (!s.on || dest == MPI_PROC_NULL || count <= 0) return;
  const u64 b = static_cast<u64>(count) * type_bytes(t);
  std::lock_guard<std::mutex> hold(s.lock);
  if (!s.on) return;
  const auto& w = world_ranks(s, c);
  if (dest < 0 || std::size_t(dest) >= w.size() || w[std::size_t(dest)] == MPI_UNDEFINED) return;
  const auto d = std::size_t(w[std::size_t(dest)]);
  s.bytes_to[d] += b;
  s.messages_to[d] += 1;
  s.local.p2p_sent_bytes += b;
  s.local.p2p_sent_messages += 1;
}

// A collective on c whose payload from the others at this rank is `bytes`.
void count_collective(MPI_Comm c, u64 bytes) {
  State& s = state();
  if (!s.on) return;
  const int p = comm_size(c);
  if (p <= 1) return;
  std::lock_guard<std::mutex> hold(s.lock);
  if (!s.on) return;
  s.local.coll_recv_bytes += bytes;
  s.local.coll_calls += 1;
  s.local.coll_rounds += rounds(p);
}

// Sum of counts[i] * size over the ranks other than `me`.
u64 others(const int counts[], int p, int me, MPI_Datatype t) {
  u64 sum = 0;
  for (int i = 0; i < p; ++i)
    if (i != me && counts[i] > 0) sum += static_cast<u64>(counts[i]);
  return sum * type_bytes(t);
}

u64 payload(int count, MPI_Datatype t) { return count > 0 ? u64(count) * type_bytes(t) : 0; }

// The kinds of collective, by what each rank gets from the others.
void count_except_root(MPI_Comm c, int root, int count, MPI_Datatype t) {  // Bcast, Scatter, Scan
  if (state().on) count_collective(c, comm_rank(c) == root ? 0 : payload(count, t));
}
void count_at_root(MPI_Comm c, int root, int count, MPI_Datatype t) {  // Reduce
  if (state().on) count_collective(c, comm_rank(c) == root ? payload(count, t) : 0);
}
void count_everywhere(MPI_Comm c, int count, MPI_Datatype t) {  // Allreduce, Reduce_scatter
  if (state().on) count_collective(c, payload(count, t));
}
void count_block_from_each(MPI_Comm c, int count, MPI_Datatype t) {  // Allgather, Alltoall
  if (state().on) count_collective(c, u64(comm_size(c) - 1) * payload(count, t));
}
void count_blocks_from_others(MPI_Comm c, const int counts[], MPI_Datatype t) {  // Allgatherv, Alltoallv
  if (state().on) count_collective(c, others(counts, comm_size(c), comm_rank(c), t));
}

void start_counting() {
  State& s = state();
  int init = 0;
  PMPI_Initialized(&init);
  std::lock_guard<std::mutex> hold(s.lock);
  if (init && s.world_size == 0) PMPI_Comm_size(MPI_COMM_WORLD, &s.world_size);
  s.bytes_to.assign(std::size_t(s.world_size), 0);
  s.messages_to.assign(std::size_t(s.world_size), 0);
  s.local = {};
  s.on = s.world_size > 0;
}

void after_init() {
  const char* e = std::getenv("TARTAN_COMMCOUNT");
  if (e && *e && *e != '0') {
    state().report_at_finalize = true;
    start_counting();
  }
}

}  // namespace

extern "C" {

void tartan_comm_start(void) { start_counting(); }

void tartan_comm_stop(void) {
  State& s = state();
  std::lock_guard<std::mutex> hold(s.lock);
  s.on = false;
}

int tartan_comm_active(void) {
  // In front of MPI when the process's first MPI_Barrier is this library's.
  return dlsym(RTLD_DEFAULT, "MPI_Barrier") == reinterpret_cast<void*>(&MPI_Barrier) ? 1 : 0;
}

int tartan_comm_collect(tartan_comm_counts* out) {
  State& s = state();
  int p = 0;
  int rc = PMPI_Comm_size(MPI_COMM_WORLD, &p);
  if (rc != MPI_SUCCESS) return rc;
  std::vector<u64> bytes(std::size_t(p), 0), messages(std::size_t(p), 0);
  tartan_comm_counts c{};
  {
    std::lock_guard<std::mutex> hold(s.lock);
    if (s.bytes_to.size() == std::size_t(p)) {
      bytes = s.bytes_to;
      messages = s.messages_to;
    }
    c = s.local;
  }
  u64 rb = 0, rm = 0;
  rc = PMPI_Reduce_scatter_block(bytes.data(), &rb, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (rc != MPI_SUCCESS) return rc;
  rc = PMPI_Reduce_scatter_block(messages.data(), &rm, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (rc != MPI_SUCCESS) return rc;
  c.p2p_recv_bytes = rb;
  c.p2p_recv_messages = rm;
  if (out) *out = c;
  return MPI_SUCCESS;
}

// ---- set-up --------------------------------------------------------------------------
int MPI_Init(int* argc, char*** argv) {
  const int rc = PMPI_Init(argc, argv);
  if (rc == MPI_SUCCESS) after_init();
  return rc;
}

int MPI_Init_thread(int* argc, char*** argv, int required, int* provided) {
  const int rc = PMPI_Init_thread(argc, argv, required, provided);
  if (rc == MPI_SUCCESS) after_init();
  return rc;
}

int MPI_Finalize(void) {
  State& s = state();
  if (s.report_at_finalize) {
    tartan_comm_stop();
    tartan_comm_counts c{};
    if (tartan_comm_collect(&c) == MPI_SUCCESS) {
      int r = 0;
      PMPI_Comm_rank(MPI_COMM_WORLD, &r);
      std::fprintf(stderr,
                   "[commcount] rank %d: received %llu bytes (point to point %llu in %llu messages, collectives %llu "
                   "in %llu calls, %llu rounds); sent %llu bytes in %llu messages\n",
                   r, c.p2p_recv_bytes + c.coll_recv_bytes, c.p2p_recv_bytes, c.p2p_recv_messages, c.coll_recv_bytes,
                   c.coll_calls, c.coll_rounds, c.p2p_sent_bytes, c.p2p_sent_messages);
    }
  }
  return PMPI_Finalize();
}

int MPI_Comm_free(MPI_Comm* comm) {  // a freed handle can come back for a new communicator
  if (comm) {
    State& s = state();
    std::lock_guard<std::mutex> hold(s.lock);
    s.to_world.erase(*comm);
  }
  return PMPI_Comm_free(comm);
}

// ---- point to point ------------------------------------------------------------------
// One wrapper per send mode, counted alike.
#define TARTAN_SEND(mode)                                                                     \
  int MPI_##mode(const void* buf, int count, MPI_Datatype t, int dest, int tag, MPI_Comm c) { \
    count_send(count, t, dest, c);                                                            \
    return PMPI_##mode(buf, count, t, dest, tag, c);                                          \
  }
#define TARTAN_ISEND(mode)                                                                                    \
  int MPI_##mode(const void* buf, int count, MPI_Datatype t, int dest, int tag, MPI_Comm c, MPI_Request* r) { \
    count_send(count, t, dest, c);                                                                            \
    return PMPI_##mode(buf, count, t, dest, tag, c, r);                                                       \
  }
TARTAN_SEND(Send)
TARTAN_SEND(Ssend)
TARTAN_SEND(Rsend)
TARTAN_SEND(Bsend)
TARTAN_ISEND(Isend)
TARTAN_ISEND(Issend)
TARTAN_ISEND(Irsend)
TARTAN_ISEND(Ibsend)
#undef TARTAN_SEND
#undef TARTAN_ISEND
int MPI_Sendrecv(const void* sbuf, int scount, MPI_Datatype st, int dest, int stag, void* rbuf, int rcount,
                 MPI_Datatype rt, int source, int rtag, MPI_Comm c, MPI_Status* status) {
  count_send(scount, st, dest, c);
  return PMPI_Sendrecv(sbuf, scount, st, dest, stag, rbuf, rcount, rt, source, rtag, c, status);
}
int MPI_Sendrecv_replace(void* buf, int count, MPI_Datatype t, int dest, int stag, int source, int rtag, MPI_Comm c,
                         MPI_Status* status) {
  count_send(count, t, dest, c);
  return PMPI_Sendrecv_replace(buf, count, t, dest, stag, source, rtag, c, status);
}

// ---- collectives ---------------------------------------------------------------------
int MPI_Barrier(MPI_Comm c) {
  count_collective(c, 0);
  return PMPI_Barrier(c);
}
int MPI_Bcast(void* buf, int count, MPI_Datatype t, int root, MPI_Comm c) {
  count_except_root(c, root, count, t);
  return PMPI_Bcast(buf, count, t, root, c);
}
int MPI_Reduce(const void* sbuf, void* rbuf, int count, MPI_Datatype t, MPI_Op op, int root, MPI_Comm c) {
  count_at_root(c, root, count, t);
  return PMPI_Reduce(sbuf, rbuf, count, t, op, root, c);
}
int MPI_Allreduce(const void* sbuf, void* rbuf, int count, MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  count_everywhere(c, count, t);
  return PMPI_Allreduce(sbuf, rbuf, count, t, op, c);
}
int MPI_Scan(const void* sbuf, void* rbuf, int count, MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  count_except_root(c, 0, count, t);
  return PMPI_Scan(sbuf, rbuf, count, t, op, c);
}
int MPI_Exscan(const void* sbuf, void* rbuf, int count, MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  count_except_root(c, 0, count, t);
  return PMPI_Exscan(sbuf, rbuf, count, t, op, c);
}
int MPI_Reduce_scatter_block(const void* sbuf, void* rbuf, int rcount, MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  count_everywhere(c, rcount, t);
  return PMPI_Reduce_scatter_block(sbuf, rbuf, rcount, t, op, c);
}
int MPI_Reduce_scatter(const void* sbuf, void* rbuf, const int rcounts[], MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  if (state().on) count_everywhere(c, rcounts[comm_rank(c)], t);
  return PMPI_Reduce_scatter(sbuf, rbuf, rcounts, t, op, c);
}
int MPI_Allgather(const void* sbuf, int scount, MPI_Datatype st, void* rbuf, int rcount, MPI_Datatype rt, MPI_Comm c) {
  count_block_from_each(c, rcount, rt);
  return PMPI_Allgather(sbuf, scount, st, rbuf, rcount, rt, c);
}
int MPI_Allgatherv(const void* sbuf, int scount, MPI_Datatype st, void* rbuf, const int rcounts[], const int displs[],
                   MPI_Datatype rt, MPI_Comm c) {
  count_blocks_from_others(c, rcounts, rt);
  return PMPI_Allgatherv(sbuf, scount, st, rbuf, rcounts, displs, rt, c);
}
int MPI_Gather(const void* sbuf, int scount, MPI_Datatype st, void* rbuf, int rcount, MPI_Datatype rt, int root,
               MPI_Comm c) {
  if (state().on) count_collective(c, comm_rank(c) == root ? u64(comm_size(c) - 1) * payload(rcount, rt) : 0);
  return PMPI_Gather(sbuf, scount, st, rbuf, rcount, rt, root, c);
}
int MPI_Gatherv(const void* sbuf, int scount, MPI_Datatype st, void* rbuf, const int rcounts[], const int displs[],
                MPI_Datatype rt, int root, MPI_Comm c) {
  if (state().on) count_collective(c, comm_rank(c) == root ? others(rcounts, comm_size(c), root, rt) : 0);
  return PMPI_Gatherv(sbuf, scount, st, rbuf, rcounts, displs, rt, root, c);
}
int MPI_Scatter(const void* sbuf, int scount, MPI_Datatype st, void* rbuf, int rcount, MPI_Datatype rt, int root,
                MPI_Comm c) {
  count_except_root(c, root, rcount, rt);
  return PMPI_Scatter(sbuf, scount, st, rbuf, rcount, rt, root, c);
}
int MPI_Scatterv(const void* sbuf, const int scounts[], const int displs[], MPI_Datatype st, void* rbuf, int rcount,
                 MPI_Datatype rt, int root, MPI_Comm c) {
  count_except_root(c, root, rcount, rt);
  return PMPI_Scatterv(sbuf, scounts, displs, st, rbuf, rcount, rt, root, c);
}
int MPI_Alltoall(const void* sbuf, int scount, MPI_Datatype st, void* rbuf, int rcount, MPI_Datatype rt, MPI_Comm c) {
  count_block_from_each(c, rcount, rt);
  return PMPI_Alltoall(sbuf, scount, st, rbuf, rcount, rt, c);
}
int MPI_Alltoallv(const void* sbuf, const int scounts[], const int sdispls[], MPI_Datatype st, void* rbuf,
                  const int rcounts[], const int rdispls[], MPI_Datatype rt, MPI_Comm c) {
  count_blocks_from_others(c, rcounts, rt);
  return PMPI_Alltoallv(sbuf, scounts, sdispls, st, rbuf, rcounts, rdispls, rt, c);
}
int MPI_Alltoallw(const void* sbuf, const int scounts[], const int sdispls[], const MPI_Datatype stypes[], void* rbuf,
                  const int rcounts[], const int rdispls[], const MPI_Datatype rtypes[], MPI_Comm c) {
  if (state().on) {
    const int p = comm_size(c), me = comm_rank(c);
    u64 b = 0;
    for (int i = 0; i < p; ++i)
      if (i != me && rcounts[i] > 0) b += u64(rcounts[i]) * type_bytes(rtypes[i]);
    count_collective(c, b);
  }
  return PMPI_Alltoallw(sbuf, scounts, sdispls, stypes, rbuf, rcounts, rdispls, rtypes, c);
}

int MPI_Ibcast(void* buf, int count, MPI_Datatype t, int root, MPI_Comm c, MPI_Request* r) {
  count_except_root(c, root, count, t);
  return PMPI_Ibcast(buf, count, t, root, c, r);
}
int MPI_Iallreduce(const void* sbuf, void* rbuf, int count, MPI_Datatype t, MPI_Op op, MPI_Comm c, MPI_Request* r) {
  count_everywhere(c, count, t);
  return PMPI_Iallreduce(sbuf, rbuf, count, t, op, c, r);
}

// ---- the Fortran bindings (mpif.h / use mpi names) -----------------------------------
// Open MPI's Fortran layer calls PMPI_ directly, so a Fortran caller (ELPA) is counted here,
// by the same rules, and forwarded to the next definition of the symbol (libmpi_mpifh).
#define TARTAN_FORWARD(name, ...)                                                  \
  using fn = void (*)(__VA_ARGS__);                                                \
  static fn next = reinterpret_cast<fn>(dlsym(RTLD_NEXT, name));                   \
  if (!next) {                                                                     \
    std::fprintf(stderr, "libtartan_commcount: no %s after this library\n", name); \
    PMPI_Abort(MPI_COMM_WORLD, 1);                                                 \
  }

using F = MPI_Fint;

void mpi_send_(const void* buf, F* count, F* t, F* dest, F* tag, F* c, F* ierr) {
  TARTAN_FORWARD("mpi_send_", const void*, F*, F*, F*, F*, F*, F*)
  count_send(*count, PMPI_Type_f2c(*t), *dest, PMPI_Comm_f2c(*c));
  next(buf, count, t, dest, tag, c, ierr);
}
void mpi_isend_(const void* buf, F* count, F* t, F* dest, F* tag, F* c, F* req, F* ierr) {
  TARTAN_FORWARD("mpi_isend_", const void*, F*, F*, F*, F*, F*, F*, F*)
  count_send(*count, PMPI_Type_f2c(*t), *dest, PMPI_Comm_f2c(*c));
  next(buf, count, t, dest, tag, c, req, ierr);
}
void mpi_sendrecv_(const void* sbuf, F* scount, F* st, F* dest, F* stag, void* rbuf, F* rcount, F* rt, F* source,
                   F* rtag, F* c, F* status, F* ierr) {
  TARTAN_FORWARD("mpi_sendrecv_", const void*, F*, F*, F*, F*, void*, F*, F*, F*, F*, F*, F*, F*)
  count_send(*scount, PMPI_Type_f2c(*st), *dest, PMPI_Comm_f2c(*c));
  next(sbuf, scount, st, dest, stag, rbuf, rcount, rt, source, rtag, c, status, ierr);
}
void mpi_sendrecv_replace_(void* buf, F* count, F* t, F* dest, F* stag, F* source, F* rtag, F* c, F* status, F* ierr) {
  TARTAN_FORWARD("mpi_sendrecv_replace_", void*, F*, F*, F*, F*, F*, F*, F*, F*, F*)
  count_send(*count, PMPI_Type_f2c(*t), *dest, PMPI_Comm_f2c(*c));
  next(buf, count, t, dest, stag, source, rtag, c, status, ierr);
}
void mpi_comm_free_(F* c, F* ierr) {  // a freed handle can come back for a new communicator
  TARTAN_FORWARD("mpi_comm_free_", F*, F*) {
    State& s = state();
    std::lock_guard<std::mutex> hold(s.lock);
    s.to_world.erase(PMPI_Comm_f2c(*c));
  }
  next(c, ierr);
}
void mpi_barrier_(F* c, F* ierr) {
  TARTAN_FORWARD("mpi_barrier_", F*, F*)
  count_collective(PMPI_Comm_f2c(*c), 0);
  next(c, ierr);
}
void mpi_bcast_(void* buf, F* count, F* t, F* root, F* c, F* ierr) {
  TARTAN_FORWARD("mpi_bcast_", void*, F*, F*, F*, F*, F*)
  count_except_root(PMPI_Comm_f2c(*c), *root, *count, PMPI_Type_f2c(*t));
  next(buf, count, t, root, c, ierr);
}
void mpi_ibcast_(void* buf, F* count, F* t, F* root, F* c, F* req, F* ierr) {
  TARTAN_FORWARD("mpi_ibcast_", void*, F*, F*, F*, F*, F*, F*)
  count_except_root(PMPI_Comm_f2c(*c), *root, *count, PMPI_Type_f2c(*t));
  next(buf, count, t, root, c, req, ierr);
}
void mpi_allreduce_(const void* sbuf, void* rbuf, F* count, F* t, F* op, F* c, F* ierr) {
  TARTAN_FORWARD("mpi_allreduce_", const void*, void*, F*, F*, F*, F*, F*)
  count_everywhere(PMPI_Comm_f2c(*c), *count, PMPI_Type_f2c(*t));
  next(sbuf, rbuf, count, t, op, c, ierr);
}
void mpi_iallreduce_(const void* sbuf, void* rbuf, F* count, F* t, F* op, F* c, F* req, F* ierr) {
  TARTAN_FORWARD("mpi_iallreduce_", const void*, void*, F*, F*, F*, F*, F*, F*)
  count_everywhere(PMPI_Comm_f2c(*c), *count, PMPI_Type_f2c(*t));
  next(sbuf, rbuf, count, t, op, c, req, ierr);
}
void mpi_reduce_(const void* sbuf, void* rbuf, F* count, F* t, F* op, F* root, F* c, F* ierr) {
  TARTAN_FORWARD("mpi_reduce_", const void*, void*, F*, F*, F*, F*, F*, F*)
  count_at_root(PMPI_Comm_f2c(*c), *root, *count, PMPI_Type_f2c(*t));
  next(sbuf, rbuf, count, t, op, root, c, ierr);
}
void mpi_allgather_(const void* sbuf, F* scount, F* st, void* rbuf, F* rcount, F* rt, F* c, F* ierr) {
  TARTAN_FORWARD("mpi_allgather_", const void*, F*, F*, void*, F*, F*, F*, F*)
  count_block_from_each(PMPI_Comm_f2c(*c), *rcount, PMPI_Type_f2c(*rt));
  next(sbuf, scount, st, rbuf, rcount, rt, c, ierr);
}
void mpi_alltoall_(const void* sbuf, F* scount, F* st, void* rbuf, F* rcount, F* rt, F* c, F* ierr) {
  TARTAN_FORWARD("mpi_alltoall_", const void*, F*, F*, void*, F*, F*, F*, F*)
  count_block_from_each(PMPI_Comm_f2c(*c), *rcount, PMPI_Type_f2c(*rt));
  next(sbuf, scount, st, rbuf, rcount, rt, c, ierr);
}
void mpi_alltoallv_(const void* sbuf, F* scounts, F* sdispls, F* st, void* rbuf, F* rcounts, F* rdispls, F* rt, F* c,
                    F* ierr) {
  TARTAN_FORWARD("mpi_alltoallv_", const void*, F*, F*, F*, void*, F*, F*, F*, F*, F*)
  count_blocks_from_others(PMPI_Comm_f2c(*c), rcounts, PMPI_Type_f2c(*rt));
  next(sbuf, scounts, sdispls, st, rbuf, rcounts, rdispls, rt, c, ierr);
}
#undef TARTAN_FORWARD

}  // extern "C"
