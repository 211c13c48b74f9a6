// Matrix Market files: rank 0 streams the file and scatters bounded chunks of entries;
// writes gather one column panel at a time.

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "io/common.hpp"
#include "tartan/create.hpp"
#include "tartan/io.hpp"

namespace tartan {

using namespace detail::io;

namespace {

struct MtxEntry {
  std::int64_t i, j;
  double re, im;
};

struct MtxHeader {
  std::int64_t m = 0, n = 0, count = 0;  // count: entries listed in the file
  int coordinate = 0, complex = 0, pattern = 0;
  int symmetry = 0;  // 0 general, 1 symmetric, 2 skew-symmetric, 3 hermitian
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The Matrix Market specification limits lines to 1024 characters; files in the wild run
// longer, so 64 KiB, and no more: a file of one endless line must not fill the memory.
constexpr std::size_t max_line = 64 * 1024;

// Splits a line into whitespace-separated tokens.
std::vector<std::string> tokens(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// A whole decimal integer, or nothing.
bool parse_integer(const std::string& t, std::int64_t& v) {
  if (t.empty() || t.size() > 19) return false;
  std::size_t k = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (k == t.size()) return false;
  for (std::size_t p = k; p < t.size(); ++p)
    if (!std::isdigit(static_cast<unsigned char>(t[p]))) return false;
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(t.c_str(), &end, 10);
  if (errno == ERANGE || *end != '\0') return false;
  v = x;
  return true;
}

// A whole decimal number ([sign] digits [. digits] [e [sign] digits]), nan or inf[inity]:
// what scipy and Tartan write. strtod alone would also take hex floats and stop at junk.
bool parse_real(const std::string& t, double& v) {
  std::size_t p = 0;
  if (p < t.size() && (t[p] == '+' || t[p] == '-')) ++p;
  const std::string word = lower(t.substr(p));
  if (word == "nan" || word == "inf" || word == "infinity") {
    v = word == "nan" ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
    if (t[0] == '-') v = -v;
    return true;
  }
  std::size_t digits = 0;
  while (p < t.size() && std::isdigit(static_cast<unsigned char>(t[p]))) ++p, ++digits;
  if (p < t.size() && t[p] == '.') {
    ++p;
    while (p < t.size() && std::isdigit(static_cast<unsigned char>(t[p]))) ++p, ++digits;
  }
  if (digits == 0) return false;
  if (p < t.size() && (t[p] == 'e' || t[p] == 'E')) {
    ++p;
    if (p < t.size() && (t[p] == '+' || t[p] == '-')) ++p;
    std::size_t exp = 0;
    while (p < t.size() && std::isdigit(static_cast<unsigned char>(t[p]))) ++p, ++exp;
    if (exp == 0) return false;
  }
  if (p != t.size()) return false;
  v = std::strtod(t.c_str(), nullptr);
  return true;
}

// Rank 0's streaming reader: yields entries (with symmetric mirrors) in bounded chunks.
class MtxReader {
 public:
  MtxReader(const std::string& path, const char* func) : path_(path), func_(func) {
    require_regular_file(path, func);
    f_.reset(std::fopen(path.c_str(), "rb"));
    if (!f_) throw IoError(std::string(func) + ": cannot open '" + path + "': " + std::strerror(errno));
    std::string line;
    if (!next_line(line, false)) fail("bad header: the file is empty");
    const auto h = tokens(line);
    if (h.size() != 5 || h[0] != "%%MatrixMarket" || lower(h[1]) != "matrix")
      fail("bad header: expected '%%MatrixMarket matrix <format> <field> <symmetry>'");
    const std::string format = lower(h[2]), field = lower(h[3]), symmetry = lower(h[4]);
    if (format == "coordinate")
      h_.coordinate = 1;
    else if (format != "array")
      fail("bad header: format '" + format + "', expected coordinate or array");
    if (field == "complex")
      h_.complex = 1;
    else if (field == "pattern")
      h_.pattern = 1;
    else if (field != "real" && field != "integer" && field != "double")
      fail("bad header: field '" + field + "', expected real, integer, complex or pattern");
    if (h_.pattern && !h_.coordinate) fail("bad header: pattern needs the coordinate format");
    if (symmetry == "symmetric")
      h_.symmetry = 1;
    else if (symmetry == "skew-symmetric")
      h_.symmetry = 2;
    else if (symmetry == "hermitian")
      h_.symmetry = 3;
    else if (symmetry != "general")
      fail("bad header: symmetry '" + symmetry + "', expected general, symmetric, skew-symmetric or hermitian");
    if (h_.symmetry == 3 && !h_.complex) h_.symmetry = 1;  // a real Hermitian matrix is symmetric
    if (!next_line(line, true)) fail("truncated: no size line");
    const auto t = tokens(line);
    auto size = [&](std::size_t k, std::int64_t& v) {
      if (!parse_integer(t[k], v) || v < 0) fail("bad size line '" + line + "'");
    };
    if (t.size() != (h_.coordinate ? 3u : 2u)) fail("bad size line '" + line + "'");
    size(0, h_.m);
    size(1, h_.n);
    if (h_.coordinate) {
      size(2, h_.count);
    } else {
      const std::int64_t n = h_.n;
      bool overflow = false;
      if (h_.symmetry == 0)
        overflow = __builtin_mul_overflow(h_.m, h_.n, &h_.count);
      else
        overflow = __builtin_mul_overflow(n, h_.symmetry == 2 ? n - 1 : n + 1, &h_.count);
      if (overflow) fail("the matrix is " + std::to_string(h_.m) + "x" + std::to_string(h_.n) + ": too large");
      if (h_.symmetry != 0) h_.count /= 2;
    }
    if (h_.symmetry != 0 && h_.m != h_.n)
      fail("the matrix is " + std::to_string(h_.m) + "x" + std::to_string(h_.n) + " but marked " + symmetry +
           ", expected a square matrix");
  }
  const MtxHeader& header() const { return h_; }

  // Appends up to max entries (plus their mirrors) to out; returns false when done.
  bool chunk(std::vector<MtxEntry>& out, std::size_t max) {
    std::string line;
    while (out.size() < max && read_ < h_.count) {
      if (!next_line(line, true))
        fail("truncated: expected " + std::to_string(h_.count) + " entries, found " + std::to_string(read_));
      const auto t = tokens(line);
      const std::size_t nidx = h_.coordinate ? 2 : 0, nval = h_.pattern ? 0 : (h_.complex ? 2 : 1);
      if (t.size() != nidx + nval)
        fail("bad entry '" + line + "': expected " + std::to_string(nidx + nval) + " numbers");
      MtxEntry e{0, 0, 1.0, 0.0};
      if (h_.coordinate) {
        if (!parse_integer(t[0], e.i) || !parse_integer(t[1], e.j)) fail("bad entry '" + line + "': bad index");
        if (e.i < 1 || e.i > h_.m || e.j < 1 || e.j > h_.n)
          fail("entry out of range: (" + t[0] + ", " + t[1] + ") in a " + std::to_string(h_.m) + "x" +
               std::to_string(h_.n) + " matrix");
        --e.i;
        --e.j;
      } else {
        position(read_, e.i, e.j);
      }
      if (nval > 0 && !parse_real(t[nidx], e.re)) fail("bad entry '" + line + "': '" + t[nidx] + "' is not a number");
      if (nval > 1 && !parse_real(t[nidx + 1], e.im))
        fail("bad entry '" + line + "': '" + t[nidx + 1] + "' is not a number");
      if (h_.symmetry != 0 && e.j > e.i)
        fail("entry above the diagonal in a " +
             std::string(h_.symmetry == 1   ? "symmetric"
                         : h_.symmetry == 2 ? "skew-symmetric"
                                            : "hermitian") +
             " file: (" + std::to_string(e.i + 1) + ", " + std::to_string(e.j + 1) + ")");
      ++read_;
      out.push_back(e);
      if (h_.symmetry != 0 && e.i != e.j) {
        MtxEntry t2{e.j, e.i, e.re, e.im};
        if (h_.symmetry == 2) {
          t2.re = -t2.re;
          t2.im = -t2.im;
        } else if (h_.symmetry == 3) {
          t2.im = -t2.im;
        }
        out.push_back(t2);
      }
    }
    if (read_ < h_.count) return true;
    if (next_line(line, true))
      fail("count mismatch: more entries than the " + std::to_string(h_.count) + " the size line declares");
    return false;
  }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  // Column-major position of the k-th listed entry of an array file.
  void position(std::int64_t k, std::int64_t& i, std::int64_t& j) {
    if (h_.symmetry == 0) {
      i = k % h_.m;
      j = k / h_.m;
      return;
    }
    // lower triangle (with diagonal, or strictly below for skew), column by column
    while (k >= col_start_ + col_len()) {
      col_start_ += col_len();
      ++col_;
    }
    j = col_;
    i = (h_.symmetry == 2 ? col_ + 1 : col_) + (k - col_start_);
  }
  std::int64_t col_len() const { return h_.symmetry == 2 ? h_.n - col_ - 1 : h_.n - col_; }
  // The next line (comments and blank lines skipped when asked), bounded in length; a NUL
  // byte is refused (strtod would stop there and read "1\02" as 1).
  bool next_line(std::string& line, bool skip_comments) {
    for (;;) {
      line.clear();
      int c = 0;
      bool any = false;
      while ((c = std::getc(f_.get())) != EOF) {
        any = true;
        if (c == '\n') break;
        if (c == '\0') {
          ++lineno_;
          fail("a NUL byte in the line");
        }
        if (line.size() >= max_line) {
          ++lineno_;
          fail("line longer than " + std::to_string(max_line) + " characters");
        }
        line += static_cast<char>(c);
      }
      if (std::ferror(f_.get()))
        throw IoError(std::string(func_) + ": reading '" + path_ + "' failed: " + std::strerror(errno));
      if (!any) return false;
      ++lineno_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (skip_comments && (line.empty() || line[0] == '%' || line.find_first_not_of(" \t") == std::string::npos))
        continue;
      return true;
    }
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(std::string(func_) + ": '" + path_ + "' line " + std::to_string(lineno_) + ": " + what);
  }
  std::string path_;
  const char* func_;
  std::unique_ptr<std::FILE, Closer> f_;
  MtxHeader h_;
  std::int64_t read_ = 0, lineno_ = 0, col_ = 0, col_start_ = 0;
};

}  // namespace

FileInfo mtx_info(const Grid& grid, const std::string& path) {
  MtxHeader h;
  detail::collectively(grid.comm(), [&] {
    if (grid.rank() == 0) h = MtxReader(path, "mtx_info").header();
  });
  MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, grid.comm());
  return {h.m, h.n, h.complex ? Dtype::c16 : Dtype::f8};
}

template <class T>
DistMatrix<T> load_mtx(const Grid& grid, const std::string& path, Block block) {
  MPI_Comm comm = grid.comm();
  std::unique_ptr<MtxReader> reader;
  MtxHeader h;
  detail::collectively(comm, [&] {
    if (grid.rank() != 0) return;
    reader = std::make_unique<MtxReader>(path, "load_mtx");
    h = reader->header();
    if (h.complex && !is_complex_v<T>)
      throw FormatError("load_mtx: '" + path + "': wrong type: the file holds complex values, the matrix is real");
  });
  MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, comm);
  DistMatrix<T> A(grid, h.m, h.n, block);  // its allocation is agreed: a huge header fails on every rank
  const Layout& l = A.layout();
  constexpr std::size_t chunk_entries = 1 << 16;  // 2 MiB of entries in flight per chunk
  std::vector<MtxEntry> chunk, mine, sorted;
  std::vector<int> counts(static_cast<std::size_t>(grid.size())), displs(counts.size());
  for (;;) {
    int more = 0, count = 0;
    detail::collectively(comm, [&] {
      if (grid.rank() != 0) return;
      chunk.clear();
      more = reader->chunk(chunk, chunk_entries) ? 1 : 0;
      // bucket by owning rank
      std::fill(counts.begin(), counts.end(), 0);
      for (const auto& e : chunk) ++counts[static_cast<std::size_t>(grid.rank_of(l.row_owner(e.i), l.col_owner(e.j)))];
      displs[0] = 0;
      for (std::size_t r = 1; r < counts.size(); ++r) displs[r] = displs[r - 1] + counts[r - 1];
      sorted.resize(chunk.size());
      std::vector<int> pos = displs;
      for (const auto& e : chunk)
        sorted[static_cast<std::size_t>(
            pos[static_cast<std::size_t>(grid.rank_of(l.row_owner(e.i), l.col_owner(e.j)))]++)] = e;
      for (auto& c : counts) c *= static_cast<int>(sizeof(MtxEntry));
      for (auto& d : displs) d *= static_cast<int>(sizeof(MtxEntry));
    });
    MPI_Bcast(&more, 1, MPI_INT, 0, comm);
    MPI_Scatter(counts.data(), 1, MPI_INT, &count, 1, MPI_INT, 0, comm);
    mine.resize(static_cast<std::size_t>(count) / sizeof(MtxEntry));
    MPI_Scatterv(sorted.data(), counts.data(), displs.data(), MPI_BYTE, mine.data(), count, MPI_BYTE, 0, comm);
    for (const auto& e : mine) {
      T& x = A.data()[l.local_row(e.i) + l.local_col(e.j) * A.lld()];
      if constexpr (is_complex_v<T>)
        x += T(static_cast<real_t<T>>(e.re), static_cast<real_t<T>>(e.im));
      else
        x += static_cast<T>(e.re);
    }
    if (!more) break;
  }
  return A;
}

template <class T>
void save_mtx(const DistMatrix<T>& A, const std::string& path) {
  const Grid& g = A.grid();
  const std::string tmp = temp_beside(g.comm(), path);
  std::FILE* f = nullptr;
  bool ok = true;
  detail::collectively(g.comm(), [&] {
    if (g.rank() != 0) return;
    f = std::fopen(tmp.c_str(), "w");
    if (!f) throw IoError("save_mtx: cannot create a file beside '" + path + "': " + std::strerror(errno));
    ok = std::fprintf(f, "%%%%MatrixMarket matrix array %s general\n%lld %lld\n", is_complex_v<T> ? "complex" : "real",
                      static_cast<long long>(A.rows()), static_cast<long long>(A.cols())) > 0;
  });
  const int digits = std::is_same_v<real_t<T>, float> ? 9 : 17;
  auto put = [&](double v) {
    // %g prints NaN and Inf as nan, inf and -inf, which load_mtx and scipy read.
    ok = ok && std::fprintf(f, "%.*g", digits, v) > 0;
  };
  const std::int64_t panel = std::max<std::int64_t>(1, A.block().nb);
  for (std::int64_t j0 = 0; j0 < A.cols(); j0 += panel) {
    const std::int64_t w = std::min(panel, A.cols() - j0);
    const auto P = to_eigen<T>(A.view(0, j0, A.rows(), w), 0);
    if (g.rank() != 0) continue;
    for (std::int64_t j = 0; j < w && ok; ++j)
      for (std::int64_t i = 0; i < A.rows() && ok; ++i) {
        const T x = P(i, j);
        if constexpr (is_complex_v<T>) {
          put(double(x.real()));
          ok = ok && std::fputc(' ', f) != EOF;
          put(double(x.imag()));
        } else {
          put(double(x));
        }
        ok = ok && std::fputc('\n', f) != EOF;
      }
  }
  try {
    detail::collectively(g.comm(), [&] {
      if (g.rank() != 0) return;
      ok = ok && std::fflush(f) == 0 && !std::ferror(f) && fsync(fileno(f)) == 0;
      const std::string why = std::strerror(errno);
      ok = std::fclose(f) == 0 && ok;
      if (!ok) throw IoError("save_mtx: writing '" + path + "' failed: " + why + "; '" + path + "' is unchanged");
    });
  } catch (const IoError&) {
    discard(g.comm(), tmp);
    throw;
  }
  commit_rename(g.comm(), tmp, path, "save_mtx");
}

#define TARTAN_INSTANTIATE(T)                                                 \
  template DistMatrix<T> load_mtx<T>(const Grid&, const std::string&, Block); \
  template void save_mtx<T>(const DistMatrix<T>&, const std::string&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
