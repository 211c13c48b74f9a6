// The watchdog thread (core/watchdog.hpp).

#include "core/watchdog.hpp"

#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "tartan/error.hpp"

namespace tartan::detail::watchdog {

std::atomic<bool> on{false};

namespace {

using Clock = std::chrono::steady_clock;

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
                 "only (for example get, to_eigen or a solve inside `if (rank == 0)`) waits forever. Ranks that "
                 "are stuck in another Tartan call report it too. Ending the job (TARTAN_WATCHDOG=%g).\n",
                 s.rank, s.host, waited, s.name, s.detail.c_str(), static_cast<unsigned long long>(s.calls), s.limit);
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

void enter(const char* name, std::string detail) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.m);
  if (s.depth++ > 0) return;
  s.name = name;
  s.detail = std::move(detail);
  s.since = Clock::now();
  ++s.calls;
}

void leave() noexcept {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.m);
  --s.depth;
}

}  // namespace tartan::detail::watchdog
