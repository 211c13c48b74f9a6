#pragma once
// Command-line helpers shared by the drivers and the bench (not part of the library):
// flags, numbers, grid shapes, element types, files by extension, and the main that maps
// every error to one line on stderr and an exit code (0 solved and checked, 1 numerical
// failure or failed check, 2 bad usage, input, files or memory).

#include <mpi.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
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
    std::int64_t v = 0;
    if (!whole_number(s, v) || v < lo || v > hi)
      throw UsageError(flag + " is '" + s + "', expected a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi));
    return v;
  }

  /// A decimal whole number with nothing after it.
  static bool whole_number(const std::string& s, std::int64_t& v) {
    if (s.empty() || s.size() > 18) return false;
    for (char c : s)
      if (c < '0' || c > '9') return false;
    v = std::stoll(s);
    return true;
  }

 private:
  static bool contains(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
      if (x == s) return true;
    return false;
  }
  std::map<std::string, std::string> values_;
};

/// "PxQ" -> (P, Q), both whole numbers; throws UsageError unless P * Q == ranks.
inline std::pair<int, int> parse_grid(const std::string& s, int ranks) {
  const auto x = s.find_first_of("xX");
  std::int64_t p = 0, q = 0;
  if (x == std::string::npos || !Args::whole_number(s.substr(0, x), p) || !Args::whole_number(s.substr(x + 1), q) ||
      p < 1 || q < 1)
    throw UsageError("--grid is '" + s + "', expected PxQ with whole numbers P and Q, for example 2x3");
  if (p * q != ranks)
    throw UsageError("--grid " + s + " needs " + std::to_string(p * q) + " ranks but the job has " +
                     std::to_string(ranks));
  return {static_cast<int>(p), static_cast<int>(q)};
}

/// True when path ends with suffix.
/// s as the inside of a JSON string: quotes, backslashes and control characters escaped.
inline std::string json_escape(const std::string& s) {
  std::string o;
  for (const char c : s) {
    if (c == '"' || c == '\\')
      o += '\\', o += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      o += buf;
    } else
      o += c;
  }
  return o;
}

/// --version: prints "<program> <Tartan's version>" on rank 0; the caller exits 0.
inline bool version_asked(const Args& args, const char* program, int rank) {
  if (!args.has("--version")) return false;
  if (rank == 0) std::printf("%s %s\n", program, tartan::version_string);
  return true;
}

/// The facts of a run every JSON and CSV output carries, gathered once (collective): Tartan's
/// version, ranks, nodes and their host names, BLAS threads and kernel, the UTC start time
/// and the command line.
struct RunInfo {
  std::string version, hosts, kernel, timestamp, command_line;
  int ranks = 1, nodes = 1, threads = 1;

  RunInfo(const tartan::Environment& env, int argc, char** argv) : version(tartan::version_string) {
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    char name[MPI_MAX_PROCESSOR_NAME + 1] = {};
    int len = 0;
    MPI_Get_processor_name(name, &len);
    std::vector<char> all(static_cast<std::size_t>(ranks) * (MPI_MAX_PROCESSOR_NAME + 1));
    MPI_Allgather(name, MPI_MAX_PROCESSOR_NAME + 1, MPI_CHAR, all.data(), MPI_MAX_PROCESSOR_NAME + 1, MPI_CHAR,
                  MPI_COMM_WORLD);
    std::vector<std::string> seen;
    for (int r = 0; r < ranks; ++r) {
      std::string h(all.data() + static_cast<std::size_t>(r) * (MPI_MAX_PROCESSOR_NAME + 1));
      bool known = false;
      for (const auto& x : seen) known = known || x == h;
      if (!known) seen.push_back(h);
    }
    nodes = static_cast<int>(seen.size());
    for (const auto& h : seen) hosts += (hosts.empty() ? "" : ";") + h;
    threads = env.blas_threads();
    kernel = env.blas_kernel();
    std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    timestamp = buf;
    for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  }

  /// "key":value pairs for the inside of a JSON object (no braces).
  std::string json() const {
    std::string h;
    std::size_t start = 0;
    while (start <= hosts.size()) {
      const auto end = std::min(hosts.find(';', start), hosts.size());
      h += (h.empty() ? "\"" : ",\"") + json_escape(hosts.substr(start, end - start)) + '"';
      start = end + 1;
    }
    return "\"tartan_version\":\"" + version + "\",\"ranks\":" + std::to_string(ranks) +
           ",\"nodes\":" + std::to_string(nodes) + ",\"hosts\":[" + h +
           "],\"threads_per_rank\":" + std::to_string(threads) + ",\"blas_kernel\":\"" + json_escape(kernel) +
           "\",\"timestamp\":\"" + timestamp + "\",\"command_line\":\"" + json_escape(command_line) + '"';
  }
  /// The CSV header and values of the same fields (to append to each row).
  static const char* csv_header() {
    return "tartan_version,ranks,nodes,hosts,threads_per_rank,blas_kernel,timestamp,command_line";
  }
  std::string csv() const {
    std::string cmd = command_line, q;
    for (char c : cmd) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return version + ',' + std::to_string(ranks) + ',' + std::to_string(nodes) + ',' + hosts + ',' +
           std::to_string(threads) + ',' + kernel + ',' + timestamp + ",\"" + q + '"';
  }
};

inline bool ends_with(const std::string& path, const std::string& suffix) {
  return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// "f4", "f8", "c8" or "c16" -> Dtype.
inline tartan::Dtype parse_dtype(const std::string& s, const std::string& flag) {
  if (s == "f4") return tartan::Dtype::f4;
  if (s == "f8") return tartan::Dtype::f8;
  if (s == "c8") return tartan::Dtype::c8;
  if (s == "c16") return tartan::Dtype::c16;
  throw UsageError(flag + " is '" + s + "', expected f4, f8, c8 or c16");
}

/// The element type a .npy or .mtx file holds (collective).
inline tartan::FileInfo file_info(const tartan::Grid& g, const std::string& path, const std::string& flag) {
  if (ends_with(path, ".npy")) return tartan::npy_info(g, path);
  if (ends_with(path, ".mtx")) return tartan::mtx_info(g, path);
  throw UsageError(flag + " '" + path + "': expected a .npy or .mtx file");
}

/// The grid shape: --grid PxQ, or the most square one of `ranks`.
inline std::pair<int, int> grid_shape(const Args& args, int ranks) {
  return args.has("--grid") ? parse_grid(args.get("--grid", ""), ranks) : tartan::Grid::default_shape(ranks);
}

/// The element type to work in: the --matrix file's when one is given (then --dtype is a
/// usage error), else --dtype's (f8 by default) for generated data, called `generated`.
inline tartan::Dtype element_type(const Args& args, const tartan::Grid& g, const std::string& matrix,
                                  const std::string& generated) {
  const tartan::Dtype d = parse_dtype(args.get("--dtype", "f8"), "--dtype");
  if (matrix.empty()) return d;
  if (args.has("--dtype")) throw UsageError("--dtype applies to " + generated + "; --matrix sets the type");
  return file_info(g, matrix, "--matrix").dtype;
}

/// An eigh driver by its name (tartan::driver_name: auto, elpa, elpa2, evd, evr);
/// std::nullopt for any other name.
inline std::optional<tartan::EighDriver> eigh_driver(const std::string& name) {
  using tartan::EighDriver;
  for (auto d : {EighDriver::automatic, EighDriver::elpa, EighDriver::elpa2, EighDriver::evd, EighDriver::evr})
    if (name == tartan::driver_name(d)) return d;
  return std::nullopt;
}

/// The type both a and b convert to without loss (numpy's promotion).
inline tartan::Dtype promote(tartan::Dtype a, tartan::Dtype b) {
  using tartan::Dtype;
  const bool complex = a == Dtype::c8 || a == Dtype::c16 || b == Dtype::c8 || b == Dtype::c16;
  const bool wide = a == Dtype::f8 || a == Dtype::c16 || b == Dtype::f8 || b == Dtype::c16;
  return complex ? (wide ? Dtype::c16 : Dtype::c8) : (wide ? Dtype::f8 : Dtype::f4);
}

/// Calls f.template operator()<T>() with the element type of d.
template <class F>
int dispatch(tartan::Dtype d, F&& f) {
  switch (d) {
    case tartan::Dtype::f4:
      return f.template operator()<float>();
    case tartan::Dtype::f8:
      return f.template operator()<double>();
    case tartan::Dtype::c8:
      return f.template operator()<std::complex<float>>();
    case tartan::Dtype::c16:
      return f.template operator()<std::complex<double>>();
  }
  return exit_usage;
}

/// Loads a matrix from .npy or .mtx (by extension), converting losslessly to T. Collective.
template <class T>
tartan::DistMatrix<T> load_matrix(const tartan::Grid& g, const std::string& path, tartan::Block b,
                                  const std::string& flag) {
  if (ends_with(path, ".npy")) return tartan::load_npy<T>(g, path, b);
  if (ends_with(path, ".mtx")) return tartan::load_mtx<T>(g, path, b);
  throw UsageError(flag + " '" + path + "': expected a .npy or .mtx file");
}

/// The same string on every rank: rank 0's. Collective over MPI_COMM_WORLD.
inline std::string from_rank0(std::string s) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  unsigned long long len = s.size();
  MPI_Bcast(&len, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  s.resize(static_cast<std::size_t>(len));
  if (len > 0) MPI_Bcast(s.data(), static_cast<int>(len), MPI_CHAR, 0, MPI_COMM_WORLD);
  return s;
}

/// A run's output files (--out, --values, --vectors). Each is checked before any work is
/// done: a .npy or .mtx name, a folder that exists and can be written, not a folder itself,
/// and no two outputs on one file. Each is written to a temporary beside its target, and
/// commit() renames them into place only when every one was written: a run that fails at
/// any point, or is killed, leaves the old files as they were and no temporary behind.
/// Collective over MPI_COMM_WORLD.
class Outputs {
 public:
  Outputs() = default;
  Outputs(const Outputs&) = delete;
  Outputs& operator=(const Outputs&) = delete;
  ~Outputs() {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0) return;
    for (const auto& f : files_)
      if (!f.committed) std::remove(f.temp.c_str());
  }

  /// Checks path for flag; throws UsageError on every rank when it cannot be written.
  void add(const std::string& flag, const std::string& path) {
    std::string why;
    if (!ends_with(path, ".npy") && !ends_with(path, ".mtx")) why = "expected a .npy or .mtx file";
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0 && why.empty()) why = check_place(dir, path);
    std::string key = dir + "/" + base;
    if (rank == 0 && why.empty()) {
      if (char* real = ::realpath(dir.c_str(), nullptr)) {
        key = std::string(real) + "/" + base;
        std::free(real);
      }
      for (const auto& f : files_)
        if (f.key == key) why = "the same file as " + f.flag;
    }
    why = from_rank0(why);
    if (!why.empty()) throw UsageError(flag + " '" + path + "': " + why);
    // A short name (the target's may be near the file system's limit), unique per run.
    const std::string ext = path.substr(path.size() - 4);
    const std::string temp =
        dir + "/.tartan-out-" + from_rank0(std::to_string(::getpid())) + "-" + std::to_string(files_.size()) + ext;
    files_.push_back({flag, path, temp, key, false});
  }

  bool empty() const { return files_.empty(); }

  /// Writes A for flag (added before) to its temporary. Collective.
  template <class T>
  void write(const std::string& flag, const tartan::DistMatrix<T>& A) {
    const File& f = find(flag);
    if (ends_with(f.path, ".npy"))
      tartan::save_npy(A, f.temp);
    else
      tartan::save_mtx(A, f.temp);
  }

  /// Renames every temporary into place; throws UsageError on every rank if one cannot be.
  void commit() {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    std::string why;
    if (rank == 0)
      for (auto& f : files_) {
        if (std::rename(f.temp.c_str(), f.path.c_str()) != 0) {
          why = f.flag + " '" + f.path + "': cannot rename the finished file into place: " + std::strerror(errno);
          break;
        }
        f.committed = true;
      }
    why = from_rank0(why);
    if (!why.empty()) throw UsageError(why);
  }

 private:
  struct File {
    std::string flag, path, temp, key;
    bool committed = false;
  };
  const File& find(const std::string& flag) const {
    for (const auto& f : files_)
      if (f.flag == flag) return f;
    throw std::logic_error("Outputs: no output " + flag);
  }
  // Why a file at path in dir cannot be written, or "".
  static std::string check_place(const std::string& dir, const std::string& path) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return "the folder '" + dir + "' does not exist";
    if (!S_ISDIR(st.st_mode)) return "'" + dir + "' is not a folder";
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return "the folder '" + dir + "' cannot be written";
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "it is a folder";
    return "";
  }
  std::vector<File> files_;
};

/// The slowest rank's value.
inline double max_over(double v) {
  double out = v;
  MPI_Allreduce(&v, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

/// Bytes of a rows x cols matrix of T in nb x nb blocks that process (0, 0) of a p x q grid
/// holds when the first block is there: the most any process holds.
template <class T>
double local_bytes(std::int64_t rows, std::int64_t cols, std::int64_t nb, int p, int q) {
  return double(tartan::numroc(rows, nb, 0, 0, p)) * double(tartan::numroc(cols, nb, 0, 0, q)) * double(sizeof(T));
}

/// A driver's memory plan, before anything large is allocated: its own matrices (own, named
/// in own_detail) plus the library call's estimate, per rank, against the smallest
/// available memory of any rank. With dry_run it prints the plan (rank 0; JSON with json)
/// and returns true: the caller exits 0. Without, a plan that does not fit throws
/// UsageError (exit 2) on every rank alike, with both numbers, the n that would fit here
/// and how many nodes like this one the run needs; a plan that fits returns false.
inline bool plan_memory(const char* program, const tartan::Grid& g, const std::string& what, std::int64_t n, double own,
                        const std::string& own_detail, const tartan::MemoryEstimate& call, const char* call_name,
                        bool dry_run, bool json) {
  using tartan::format_bytes;
  std::int64_t avail = call.available;
  MPI_Allreduce(MPI_IN_PLACE, &avail, 1, MPI_INT64_T, MPI_MIN, g.comm());
  const double need = own + double(call.bytes);
  const bool fits = need <= double(avail);
  const std::string detail = own_detail + " + " + call_name + ": " + call.detail;
  // Memory grows with n^2: the n that fits here; the nodes like this one the run needs.
  const auto n_fit = static_cast<long long>(double(n) * std::sqrt(double(avail) / std::max(need, 1.0)));
  const auto nodes = static_cast<long long>(std::ceil(need / std::max(double(avail), 1.0)));
  const std::string advice = "it would fit here with --n " + std::to_string(n_fit) + ", or on " +
                             std::to_string(nodes) + " nodes like this one with the ranks per node unchanged";
  if (dry_run) {
    if (g.rank() == 0) {
      if (json)
        std::printf(
            "{\"program\":\"%s\",\"dry_run\":true,\"problem\":\"%s\",\"bytes_per_rank\":%.0f,"
            "\"available_per_rank\":%lld,\"fits\":%s}\n",
            program, json_escape(what).c_str(), need, static_cast<long long>(avail), fits ? "true" : "false");
      else
        std::printf(
            "%s --dry-run: %s\npeak memory per rank: about %s (%s)\navailable per rank: %s "
            "(MemAvailable shared by the %d ranks of this node, TARTAN_MAX_MEMORY, ulimit -v)\n%s\n",
            program, what.c_str(), format_bytes(need).c_str(), detail.c_str(), format_bytes(double(avail)).c_str(),
            g.ranks_on_node(), fits ? "fits" : ("does not fit: " + advice).c_str());
      std::fflush(stdout);
    }
    return true;
  }
  if (!fits)
    throw UsageError("not enough memory: " + what + " needs about " + format_bytes(need) + " per rank (" + detail +
                     "), " + format_bytes(double(avail)) + " available per rank; " + advice +
                     " (--dry-run prints this plan)");
  // Said before the work starts (as HPL echoes its parameters), so a long run is not silent
  // until its end; the JSON form stays one object, printed at the end.
  if (!json && g.rank() == 0) {
    std::printf("%s %s: starting %s; memory per rank about %s of %s available\n", program, tartan::version_string,
                what.c_str(), format_bytes(need).c_str(), format_bytes(double(avail)).c_str());
    std::fflush(stdout);
  }
  return false;
}

/// A driver's main: starts MPI through tartan::Environment and runs body(env), mapping
/// every error, the Environment's own included, to one line on stderr (from rank 0) and an
/// exit code: 2 for usage, input, files and memory, 1 for numerical failures. Tartan
/// raises its errors on every rank alike and driver flags are parsed on every rank, so all
/// ranks leave together and no MPI abort banner appears.
inline int main(const char* name, int& argc, char**& argv, const std::function<int(tartan::Environment&)>& body) {
  int code = exit_ok, rank = -1;
  std::string message;
  // The Environment outlives the error handling: the message goes out before MPI is
  // finalized, or a rank that exits first could get the job aborted before rank 0 speaks.
  std::optional<tartan::Environment> env;
  try {
    env.emplace(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    code = body(*env);
  } catch (const UsageError& e) {
    code = exit_usage;
    message = e.what();
  } catch (const tartan::InvalidArgument& e) {
    code = exit_usage;
    message = e.what();
  } catch (const tartan::IoError& e) {
    code = exit_usage;
    message = e.what();
  } catch (const tartan::OutOfMemory& e) {
    code = exit_usage;
    message = std::string("out of memory: ") + e.what();
  } catch (const tartan::SingularMatrix& e) {
    code = exit_numerical;
    message = std::string("matrix is singular: ") + e.what();
  } catch (const tartan::LinAlgError& e) {
    code = exit_numerical;
    message = e.what();
  } catch (const tartan::Error& e) {
    code = exit_numerical;
    message = e.what();
  } catch (const std::bad_alloc&) {
    code = exit_usage;
    message = "out of memory";
  } catch (const std::exception& e) {
    code = exit_usage;
    message = e.what();
  }
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  const bool mpi_up = initialized && !finalized;
  if (rank < 0) rank = mpi_up ? (MPI_Comm_rank(MPI_COMM_WORLD, &rank), rank) : 0;  // the Environment failed
  if (!message.empty() && rank == 0) std::fprintf(stderr, "%s: %s\n", name, message.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  if (mpi_up) MPI_Barrier(MPI_COMM_WORLD);  // nobody leaves before rank 0 has spoken
  env.reset();
  return code;
}

/// The heartbeat's settings, from --progress / --progress-every (progress_from).
struct Progress {
  bool asked = false;   ///< --progress (or --progress-every) given
  double every = 10.0;  ///< seconds between lines
};
inline Progress& progress_settings() {
  static Progress p;
  return p;
}
/// Reads --progress and --progress-every SECONDS (which implies --progress).
template <class A>
void progress_from(const A& args) {
  Progress& p = progress_settings();
  p.asked = args.has("--progress") || args.has("--progress-every");
  if (args.has("--progress-every")) p.every = double(args.integer("--progress-every", 10, 1, 3600));
}

/// While it lives, rank 0 prints "<program>: <what>: still running, N s" on stderr every
/// progress_settings().every seconds: when --progress was given, or when stderr is a
/// terminal. A long factorization is then never silent until its end. No communication:
/// the other ranks do nothing.
class Heartbeat {
 public:
  Heartbeat(std::string program, std::string what, int rank) {
    const Progress& p = progress_settings();
    if (rank != 0 || !(p.asked || isatty(STDERR_FILENO))) return;
    thread_ = std::thread([this, program = std::move(program), what = std::move(what), every = p.every] {
      const auto t0 = std::chrono::steady_clock::now();
      std::unique_lock<std::mutex> lock(mu_);
      while (!cv_.wait_for(lock, std::chrono::duration<double>(every), [this] { return done_; })) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "%s: %s: still running, %.0f s\n", program.c_str(), what.c_str(), s);
        std::fflush(stderr);
      }
    });
  }
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;
  ~Heartbeat() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace cli
