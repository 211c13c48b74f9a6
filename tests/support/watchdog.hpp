#pragma once
// A per-case deadline for MPI tests: a case that does not finish in time is reported by
// name and the process exits, so a hang fails fast and says where (mpiexec then ends the
// other ranks). The watchdog is a thread that makes no MPI calls.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace tartan_test {

class Watchdog {
 public:
  static Watchdog& instance() {
    static Watchdog w;
    return w;
  }
  /// Marks the start of a case; it must end within `seconds`.
  class Scope {
   public:
    Scope(const std::string& name, int seconds) { instance().begin(name, seconds); }
    ~Scope() { instance().end(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
  };

 private:
  Watchdog() : thread_([this] { loop(); }) { thread_.detach(); }
  void begin(const std::string& name, int seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    name_ = name;
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    active_ = true;
    seconds_ = seconds;
  }
  void end() {
    std::lock_guard<std::mutex> lock(mutex_);
    active_ = false;
  }
  void loop() {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      std::lock_guard<std::mutex> lock(mutex_);
      if (active_ && std::chrono::steady_clock::now() > deadline_) {
        std::fprintf(stderr, "\nHANG: case '%s' did not finish within %d s\n", name_.c_str(), seconds_);
        std::fflush(stderr);
        _exit(124);
      }
    }
  }
  std::mutex mutex_;
  std::string name_;
  std::chrono::steady_clock::time_point deadline_{};
  bool active_ = false;
  int seconds_ = 0;
  std::thread thread_;
};

}  // namespace tartan_test
