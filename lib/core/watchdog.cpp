// The watchdog thread (core/watchdog.hpp).

#include "core/watchdog.hpp"

#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "tartan/error.hpp"

namespace tartan::detail::watchdog {

std::atomic<bool> on{false};

namespace {

using Clock = std::chrono::steady_clock;

// One rank's entry on its node's board: plain data in shared memory, written by its owner
// in enter/leave and read by a peer's watchdog only when that one times out (a torn read
// there can only garble a diagnostic).
struct Slot {
  std::atomic<int> watching;  // 1 when this rank's watchdog runs (its entries are kept up to date)
  std::atomic<int> inside;    // 1 inside a Tartan call
  std::atomic<std::uint64_t> calls;
  std::atomic<double> since;  // the call's start, steady-clock seconds (one clock per machine)
  int world_rank;
  char name[40];
  char detail[160];
};

struct State {
  std::mutex m;
  int depth = 0;
  const char* name = "";
  std::string detail;
  Clock::time_point since;
  std::uint64_t calls = 0;  // outermost calls entered by this rank
  double limit = 0;
  int rank = 0;
  char host[256] = {};
  // the node's board (share_board): own slot and every slot of the node, by node rank
  Slot* mine = nullptr;
  std::vector<Slot*> node;
  MPI_Win win = MPI_WIN_NULL;
  MPI_Comm node_comm = MPI_COMM_NULL;
};

State& state() {
  static State* s = new State();  // never destroyed: the thread may outlive static destruction
  return *s;
}

[[noreturn]] void watch() {
  State& s = state();
  const auto tick = std::chrono::duration<double>(std::min(1.0, std::max(0.05, s.limit / 10)));
  for (;;) {
    std::this_thread::sleep_for(tick);
    std::lock_guard<std::mutex> lock(s.m);
    if (s.depth == 0) continue;
    const double waited = std::chrono::duration<double>(Clock::now() - s.since).count();
    if (waited < s.limit) continue;
    std::fprintf(stderr,
                 "tartan watchdog: rank %d (%s) has waited %.0f s inside %s (%s), its call number %llu. The ranks "
                 "of a grid must make the same Tartan calls in the same order: a collective called on some ranks "
                 "only (for example get, to_eigen or a solve inside `if (rank == 0)`) waits forever. The other "
                 "ranks of this node follow; ranks on other nodes report for themselves if they time out. Ending the "
                 "job (TARTAN_WATCHDOG=%g).\n",
                 s.rank, s.host, waited, s.name, s.detail.c_str(), static_cast<unsigned long long>(s.calls), s.limit);
    // where the other ranks of this node are, from the board
    const double now = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    for (Slot* o : s.node) {
      if (!o || o == s.mine) continue;
      char where[300];
      if (!o->watching.load())
        std::snprintf(where, sizeof where, "unknown (its watchdog is off)");
      else if (o->inside.load())
        std::snprintf(where, sizeof where, "%s %.40s (%.160s), its call number %llu, for %.0f s",
                      std::strncmp(o->name, s.name, sizeof o->name) == 0 ? "also inside" : "inside", o->name, o->detail,
                      static_cast<unsigned long long>(o->calls.load()), now - o->since.load());
      else
        std::snprintf(where, sizeof where,
                      "not in a Tartan call (after %llu calls): it has not arrived, or left this call's "
                      "collective path",
                      static_cast<unsigned long long>(o->calls.load()));
      std::fprintf(stderr, "tartan watchdog: rank %d (%s) is %s\n", o->world_rank, s.host, where);
    }
    std::fflush(stderr);
    std::_Exit(124);
  }
}

}  // namespace

void configure() {
  const char* v = std::getenv("TARTAN_WATCHDOG");
  if (!v || !*v) return;
  char* end = nullptr;
  const double seconds = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(seconds) || seconds <= 0)
    throw InvalidArgument(std::string("TARTAN_WATCHDOG is '") + v + "', expected a positive number of seconds");
  if (on.exchange(true)) return;  // a second Environment: the first one's thread runs
  State& s = state();
  s.limit = seconds;
  MPI_Comm_rank(MPI_COMM_WORLD, &s.rank);
  gethostname(s.host, sizeof s.host - 1);
  std::thread(watch).detach();
}

void share_board() {
  State& st = state();
  {
    std::lock_guard<std::mutex> lock(st.m);
    if (st.win != MPI_WIN_NULL) return;  // a second Environment: the board exists (on every rank alike)
  }
  int any = on.load() ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  if (!any) return;
  State& s = state();
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int size = 1, world = 0;
  MPI_Comm_size(node, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &world);
  Slot* mine = nullptr;
  MPI_Win win;
  MPI_Win_allocate_shared(static_cast<MPI_Aint>(sizeof(Slot)), 1, MPI_INFO_NULL, node, &mine, &win);
  new (mine) Slot{};
  mine->world_rank = world;
  mine->watching.store(on.load() ? 1 : 0);
  std::vector<Slot*> peers(static_cast<std::size_t>(size));
  MPI_Barrier(node);  // every slot is constructed before anyone looks at it
  for (int r = 0; r < size; ++r) {
    MPI_Aint bytes = 0;
    int unit = 1;
    void* base = nullptr;
    MPI_Win_shared_query(win, r, &bytes, &unit, &base);
    peers[static_cast<std::size_t>(r)] = static_cast<Slot*>(base);
  }
  std::lock_guard<std::mutex> lock(s.m);
  s.mine = mine;
  s.node = std::move(peers);
  s.win = win;
  s.node_comm = node;
}

void release_board() {
  State& s = state();
  MPI_Win win = MPI_WIN_NULL;
  MPI_Comm node = MPI_COMM_NULL;
  {
    std::lock_guard<std::mutex> lock(s.m);
    win = s.win;
    node = s.node_comm;
    s.mine = nullptr;
    s.node.clear();
    s.win = MPI_WIN_NULL;
    s.node_comm = MPI_COMM_NULL;
  }
  if (win != MPI_WIN_NULL) MPI_Win_free(&win);
  if (node != MPI_COMM_NULL) MPI_Comm_free(&node);
}

void enter(const char* name, std::string detail) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.m);
  if (s.depth++ > 0) return;
  s.name = name;
  s.detail = std::move(detail);
  s.since = Clock::now();
  ++s.calls;
  if (Slot* b = s.mine) {
    std::snprintf(b->name, sizeof b->name, "%s", name);
    std::snprintf(b->detail, sizeof b->detail, "%s", s.detail.c_str());
    b->calls.store(s.calls);
    b->since.store(std::chrono::duration<double>(s.since.time_since_epoch()).count());
    b->inside.store(1);
  }
}

void leave() noexcept {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.m);
  if (--s.depth == 0 && s.mine) s.mine->inside.store(0);
}

}  // namespace tartan::detail::watchdog
