#pragma once
// The opt-in watchdog (TARTAN_WATCHDOG=SECONDS): a rank that has waited that long inside a
// Tartan collective says which call it is in and ends the job, instead of hanging silently.
// The classic cause is a collective called on some ranks only (get, to_eigen or a solve
// inside `if (rank == 0)`). Off, a Scope costs one relaxed atomic load.

#include <atomic>
#include <string>

#include "tartan/dist_matrix.hpp"

namespace tartan::detail::watchdog {

/// Reads TARTAN_WATCHDOG (seconds, a positive number; empty or unset: off) and starts the
/// watchdog thread when it is set. Throws InvalidArgument for another value (the
/// Environment agrees on it over the ranks). Called once, by the Environment.
void configure();

/// When any rank runs the watchdog: every rank of the node publishes the call it is in on a
/// board in the node's shared memory (MPI_Win_allocate_shared), so that a rank that times
/// out can say where the other ranks of its node are. Collective over MPI_COMM_WORLD;
/// called by the Environment after configure() on every rank. release_board() frees it
/// (collective, from ~Environment).
void share_board();
void release_board();

/// True when the watchdog runs.
extern std::atomic<bool> on;

void enter(const char* name, std::string detail);
void leave() noexcept;

/// "a 3x4 matrix on a 1x2 grid".
template <class T>
std::string describe(const DistMatrix<T>& A) {
  return "a " + std::to_string(A.rows()) + "x" + std::to_string(A.cols()) + " matrix on a " +
         std::to_string(A.grid().prows()) + "x" + std::to_string(A.grid().pcols()) + " grid";
}

/// The call this rank is in, name and describe() (called only when the watchdog is on),
/// until the Scope ends; the outermost Scope counts.
class Scope {
 public:
  template <class F>
  Scope(const char* name, F&& describe_call) : active_(on.load(std::memory_order_relaxed)) {
    if (active_) enter(name, describe_call());
  }
  ~Scope() {
    if (active_) leave();
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  bool active_;
};

}  // namespace tartan::detail::watchdog
