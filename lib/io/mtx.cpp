// Matrix Market files: rank 0 streams the file and scatters bounded chunks of entries;
// writes gather one column panel at a time.

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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

// Rank 0's streaming reader: yields entries (with symmetric mirrors) in bounded chunks.
class MtxReader {
 public:
  MtxReader(const std::string& path, bool want_complex) : path_(path), f_(path) {
    if (!f_) throw IoError("load_mtx: cannot open '" + path + "': " + std::strerror(errno));
    std::string line;
    if (!next_line(line, false)) fail("bad header: the file is empty");
    std::stringstream hs(line);
    std::string banner, object, format, field, symmetry;
    hs >> banner >> object >> format >> field >> symmetry;
    if (banner != "%%MatrixMarket" || lower(object) != "matrix")
      fail("bad header: expected '%%MatrixMarket matrix <format> <field> <symmetry>'");
    format = lower(format);
    field = lower(field);
    symmetry = lower(symmetry);
    if (format == "coordinate") h_.coordinate = 1;
    else if (format != "array") fail("bad header: format '" + format + "', expected coordinate or array");
    if (field == "complex") h_.complex = 1;
    else if (field == "pattern") h_.pattern = 1;
    else if (field != "real" && field != "integer" && field != "double")
      fail("bad header: field '" + field + "', expected real, integer, complex or pattern");
    if (h_.pattern && !h_.coordinate) fail("bad header: pattern needs the coordinate format");
    if (symmetry == "symmetric") h_.symmetry = 1;
    else if (symmetry == "skew-symmetric") h_.symmetry = 2;
    else if (symmetry == "hermitian") h_.symmetry = 3;
    else if (symmetry != "general") fail("bad header: symmetry '" + symmetry + "', expected general, symmetric, skew-symmetric or hermitian");
    if (h_.complex && !want_complex) fail("wrong type: the file holds complex values, the matrix is real");
    if (!next_line(line, true)) fail("truncated: no size line");
    std::stringstream ss(line);
    if (h_.coordinate) {
      if (!(ss >> h_.m >> h_.n >> h_.count) || h_.m < 0 || h_.n < 0 || h_.count < 0) fail("bad size line '" + line + "'");
    } else {
      if (!(ss >> h_.m >> h_.n) || h_.m < 0 || h_.n < 0) fail("bad size line '" + line + "'");
      const std::int64_t n = h_.n;
      h_.count = h_.symmetry == 0 ? h_.m * h_.n : (h_.symmetry == 2 ? n * (n - 1) / 2 : n * (n + 1) / 2);
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
      std::stringstream ss(line);
      MtxEntry e{0, 0, 1.0, 0.0};
      if (h_.coordinate) {
        if (!(ss >> e.i >> e.j)) fail("bad entry '" + line + "'");
        --e.i;
        --e.j;
      } else {
        position(read_, e.i, e.j);
      }
      if (!h_.pattern) {
        if (!(ss >> e.re) || (h_.complex && !(ss >> e.im))) fail("bad entry '" + line + "'");
      }
      if (e.i < 0 || e.i >= h_.m || e.j < 0 || e.j >= h_.n)
        fail("entry out of range: (" + std::to_string(e.i + 1) + ", " + std::to_string(e.j + 1) + ") in a " +
             std::to_string(h_.m) + "x" + std::to_string(h_.n) + " matrix");
      if (h_.symmetry != 0 && e.j > e.i) fail("entry above the diagonal in a " + std::string(h_.symmetry == 1 ? "symmetric" : h_.symmetry == 2 ? "skew-symmetric" : "hermitian") + " file: (" + std::to_string(e.i + 1) + ", " + std::to_string(e.j + 1) + ")");
      ++read_;
      out.push_back(e);
      if (h_.symmetry != 0 && e.i != e.j) {
        MtxEntry t{e.j, e.i, e.re, e.im};
        if (h_.symmetry == 2) {
          t.re = -t.re;
          t.im = -t.im;
        } else if (h_.symmetry == 3) {
          t.im = -t.im;
        }
        out.push_back(t);
      }
    }
    if (read_ < h_.count) return true;
    if (next_line(line, true))
      fail("count mismatch: more entries than the " + std::to_string(h_.count) + " the size line declares");
    return false;
  }

 private:
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
  bool next_line(std::string& line, bool skip_comments) {
    while (std::getline(f_, line)) {
      ++lineno_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (skip_comments && (line.empty() || line[0] == '%' || line.find_first_not_of(" \t") == std::string::npos))
        continue;
      return true;
    }
    return false;
  }
  [[noreturn]] void fail(const std::string& what) {
    throw FormatError("load_mtx: '" + path_ + "' line " + std::to_string(lineno_) + ": " + what);
  }
  std::string path_;
  std::ifstream f_;
  MtxHeader h_;
  std::int64_t read_ = 0, lineno_ = 0, col_ = 0, col_start_ = 0;
};

}  // namespace

template <class T>
DistMatrix<T> load_mtx(const Grid& grid, const std::string& path, Block block) {
  MPI_Comm comm = grid.comm();
  std::unique_ptr<MtxReader> reader;
  MtxHeader h;
  int kind = err_none;
  std::string msg;
  auto guarded = [&](auto&& f) { capture(kind, msg, f); };
  if (grid.rank() == 0)
    guarded([&] {
      reader = std::make_unique<MtxReader>(path, is_complex_v<T>);
      h = reader->header();
    });
  agree(comm, kind, msg);
  MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, comm);
  DistMatrix<T> A(grid, h.m, h.n, block);
  const Layout& l = A.layout();
  constexpr std::size_t chunk_entries = 1 << 16;  // 2 MiB of entries in flight per chunk
  std::vector<MtxEntry> chunk, mine;
  std::vector<int> counts(static_cast<std::size_t>(grid.size())), displs(counts.size());
  for (;;) {
    int more = 0, count = 0;
    std::vector<MtxEntry> sorted;
    if (grid.rank() == 0) {
      chunk.clear();
      guarded([&] { more = reader->chunk(chunk, chunk_entries) ? 1 : 0; });
      // bucket by owning rank
      std::fill(counts.begin(), counts.end(), 0);
      for (const auto& e : chunk) ++counts[static_cast<std::size_t>(grid.rank_of(l.row_owner(e.i), l.col_owner(e.j)))];
      for (std::size_t r = 1; r < counts.size(); ++r) displs[r] = displs[r - 1] + counts[r - 1];
      sorted.resize(chunk.size());
      std::vector<int> pos = displs;
      for (const auto& e : chunk)
        sorted[static_cast<std::size_t>(pos[static_cast<std::size_t>(grid.rank_of(l.row_owner(e.i), l.col_owner(e.j)))]++)] = e;
      for (auto& c : counts) c *= static_cast<int>(sizeof(MtxEntry));
      for (auto& d : displs) d *= static_cast<int>(sizeof(MtxEntry));
    }
    agree(comm, kind, msg);
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
  int kind = err_none;
  std::string msg;
  if (g.rank() == 0) {
    f = std::fopen(tmp.c_str(), "w");
    if (!f) {
      kind = err_io;
      msg = "save_mtx: cannot create '" + tmp + "': " + std::strerror(errno);
    } else {
      std::fprintf(f, "%%%%MatrixMarket matrix array %s general\n%lld %lld\n",
                   is_complex_v<T> ? "complex" : "real", static_cast<long long>(A.rows()),
                   static_cast<long long>(A.cols()));
    }
  }
  agree(g.comm(), kind, msg);
  const int digits = std::is_same_v<real_t<T>, float> ? 9 : 17;
  const std::int64_t panel = std::max<std::int64_t>(1, A.block().nb);
  for (std::int64_t j0 = 0; j0 < A.cols(); j0 += panel) {
    const std::int64_t w = std::min(panel, A.cols() - j0);
    const auto P = to_eigen<T>(A.view(0, j0, A.rows(), w), 0);
    if (g.rank() != 0) continue;
    for (std::int64_t j = 0; j < w; ++j)
      for (std::int64_t i = 0; i < A.rows(); ++i) {
        const T x = P(i, j);
        if constexpr (is_complex_v<T>)
          std::fprintf(f, "%.*g %.*g\n", digits, double(x.real()), digits, double(x.imag()));
        else
          std::fprintf(f, "%.*g\n", digits, double(x));
      }
  }
  if (g.rank() == 0) {
    bool ok = std::fflush(f) == 0 && !std::ferror(f) && fsync(fileno(f)) == 0;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
      kind = err_io;
      msg = "save_mtx: writing '" + tmp + "' failed: " + std::strerror(errno);
      std::remove(tmp.c_str());
    }
  }
  agree(g.comm(), kind, msg);
  commit_rename(g.comm(), tmp, path, "save_mtx");
}

#define TARTAN_INSTANTIATE(T)                                                 \
  template DistMatrix<T> load_mtx<T>(const Grid&, const std::string&, Block); \
  template void save_mtx<T>(const DistMatrix<T>&, const std::string&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
