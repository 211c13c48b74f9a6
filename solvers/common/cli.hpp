#pragma once
// Command-line helpers shared by the drivers and the bench (not part of the library): flags, numbers, grid shapes, and the
// exit codes (0 solved and checked, 1 numerical failure, 2 bad usage or input).

#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tartan/tartan.hpp"

namespace cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_numerical = 1;
inline constexpr int exit_usage = 2;

/// A usage error: the driver prints it with its name and exits with code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses "--flag value" and "--flag=value" pairs; "switches" take no value.
class Args {
 public:
  Args(int argc, char** argv, const std::vector<std::string>& with_value, const std::vector<std::string>& switches) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      std::string value;
      bool has_value = false;
      if (const auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
        value = a.substr(eq + 1);
        a = a.substr(0, eq);
        has_value = true;
      }
      if (contains(switches, a)) {
        if (has_value) throw UsageError(a + " takes no value");
        values_[a] = "1";
      } else if (contains(with_value, a)) {
        if (!has_value) {
          if (i + 1 >= argc) throw UsageError(a + " needs a value");
          value = argv[++i];
        }
        values_[a] = value;
      } else {
        throw UsageError("unknown argument '" + a + "' (see --help)");
      }
    }
  }
  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string get(const std::string& flag, const std::string& fallback) const {
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second;
  }
  std::int64_t integer(const std::string& flag, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
    if (!has(flag)) return fallback;
    const std::string s = get(flag, "");
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < lo || v > hi)
      throw UsageError(flag + " is '" + s + "', expected a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi));
    return v;
  }

 private:
  static bool contains(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
      if (x == s) return true;
    return false;
  }
  std::map<std::string, std::string> values_;
};

/// "PxQ" -> (P, Q); throws UsageError unless P * Q == ranks.
inline std::pair<int, int> parse_grid(const std::string& s, int ranks) {
  const auto x = s.find_first_of("xX");
  int p = 0, q = 0;
  if (x != std::string::npos) {
    p = std::atoi(s.substr(0, x).c_str());
    q = std::atoi(s.substr(x + 1).c_str());
  }
  if (p < 1 || q < 1) throw UsageError("--grid is '" + s + "', expected PxQ, for example 2x3");
  if (p * q != ranks)
    throw UsageError("--grid " + s + " needs " + std::to_string(p * q) + " ranks but the job has " +
                     std::to_string(ranks));
  return {p, q};
}

/// True when path ends with suffix.
inline bool ends_with(const std::string& path, const std::string& suffix) {
  return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Loads a matrix from .npy or .mtx (by extension). Collective.
template <class T>
tartan::DistMatrix<T> load_matrix(const tartan::Grid& g, const std::string& path, tartan::Block b, const std::string& flag) {
  if (ends_with(path, ".npy")) return tartan::load_npy<T>(g, path, b);
  if (ends_with(path, ".mtx")) return tartan::load_mtx<T>(g, path, b);
  throw UsageError(flag + " '" + path + "': expected a .npy or .mtx file");
}

/// Saves a matrix as .npy or .mtx (by extension). Collective.
template <class T>
void save_matrix(const tartan::DistMatrix<T>& A, const std::string& path, const std::string& flag) {
  if (ends_with(path, ".npy")) return tartan::save_npy(A, path);
  if (ends_with(path, ".mtx")) return tartan::save_mtx(A, path);
  throw UsageError(flag + " '" + path + "': expected a .npy or .mtx file");
}

/// Runs a driver body and maps errors to one line on stderr and an exit code: usage and
/// input errors 2, numerical failures 1. Every error is raised on every rank alike
/// (argument parsing is replicated; Tartan agrees before it throws), so all ranks leave
/// together and no MPI abort banner appears.
inline int guarded_main(const char* name, const std::function<int()>& body) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int code = exit_ok;
  std::string message;
  try {
    code = body();
  } catch (const UsageError& e) {
    code = exit_usage;
    message = e.what();
  } catch (const tartan::InvalidArgument& e) {
    code = exit_usage;
    message = e.what();
  } catch (const tartan::IoError& e) {
    code = exit_usage;
    message = e.what();
  } catch (const tartan::SingularMatrix& e) {
    code = exit_numerical;
    message = std::string("matrix is singular: ") + e.what();
  } catch (const tartan::LinAlgError& e) {
    code = exit_numerical;
    message = e.what();
  }
  if (!message.empty() && rank == 0) std::fprintf(stderr, "%s: %s\n", name, message.c_str());
  return code;
}

}  // namespace cli
