// .npy (MPI-IO, block-cyclic darray file views) and Matrix Market (rank 0 streams and
// scatters in bounded chunks). Errors seen by one rank are agreed before anyone throws.

#include "tartan/io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "detail.hpp"
#include "tartan/blas.hpp"
#include "tartan/error.hpp"

namespace tartan {

namespace {

enum ErrKind : int { err_none = 0, err_io = 1, err_format = 2 };

// Raises on every rank the error of the lowest rank that saw one (kind != err_none).
void agree(MPI_Comm comm, int kind, const std::string& msg) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  int mine = kind != err_none ? rank : std::numeric_limits<int>::max(), first = 0;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == std::numeric_limits<int>::max()) return;
  int k = kind;
  MPI_Bcast(&k, 1, MPI_INT, first, comm);
  int len = static_cast<int>(msg.size());
  MPI_Bcast(&len, 1, MPI_INT, first, comm);
  std::string text = msg;
  text.resize(static_cast<std::size_t>(len));
  MPI_Bcast(text.data(), len, MPI_CHAR, first, comm);
  if (k == err_format) throw FormatError(text);
  throw IoError(text);
}

// Runs f on this rank and records what it threw as an agreed-error kind and message
// (FormatError -> err_format, any other exception -> err_io), for agree() to raise.
template <class F>
void capture(int& kind, std::string& msg, F&& f) {
  try {
    f();
  } catch (const FormatError& e) {
    kind = err_format;
    msg = e.what();
  } catch (const std::exception& e) {
    kind = err_io;
    msg = e.what();
  }
}

std::string mpi_error_string(int rc) {
  char buf[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, buf, &len);
  return std::string(buf, static_cast<std::size_t>(len));
}

// A temporary name beside path, the same on every rank (rank 0's pid).
std::string temp_beside(MPI_Comm comm, const std::string& path) {
  long pid = static_cast<long>(getpid());
  MPI_Bcast(&pid, 1, MPI_LONG, 0, comm);
  return path + ".tartan-tmp-" + std::to_string(pid);
}

// Rank 0 renames tmp over path; every rank learns whether it worked.
void commit_rename(MPI_Comm comm, const std::string& tmp, const std::string& path, const char* func) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::string msg;
  int kind = err_none;
  if (rank == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) {
    kind = err_io;
    msg = std::string(func) + ": cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(errno);
    std::remove(tmp.c_str());
  }
  agree(comm, kind, msg);
}

// ---- .npy ---------------------------------------------------------------------------------

enum class Dtype : int { f4 = 0, f8 = 1, c8 = 2, c16 = 3 };

template <class T>
constexpr Dtype dtype_of() {
  if constexpr (std::is_same_v<T, float>) return Dtype::f4;
  else if constexpr (std::is_same_v<T, double>) return Dtype::f8;
  else if constexpr (std::is_same_v<T, std::complex<float>>) return Dtype::c8;
  else return Dtype::c16;
}
const char* dtype_name(Dtype d) {
  static const char* names[] = {"<f4", "<f8", "<c8", "<c16"};
  return names[static_cast<int>(d)];
}
std::size_t dtype_size(Dtype d) {
  static const std::size_t sizes[] = {4, 8, 8, 16};
  return sizes[static_cast<int>(d)];
}
// Lossless: same or wider precision, and real -> complex but not complex -> real.
template <class T>
bool converts_losslessly(Dtype from) {
  const bool file_complex = from == Dtype::c8 || from == Dtype::c16;
  const bool file_double = from == Dtype::f8 || from == Dtype::c16;
  const bool t_complex = detail::is_complex_v<T>;
  const bool t_double = std::is_same_v<real_t<T>, double>;
  if (file_complex && !t_complex) return false;
  if (file_double && !t_double) return false;
  return true;
}

struct NpyInfo {
  std::int64_t m = 0, n = 0, offset = 0;
  int dtype = 0, fortran = 0, ndim = 2;
};

// Parses the header of an .npy file on one rank. Throws FormatError / IoError.
NpyInfo parse_npy_header(const std::string& path) {
  const std::string where = "load_npy: '" + path + "': ";
  std::ifstream f(path, std::ios::binary);
  if (!f) throw IoError("load_npy: cannot open '" + path + "': " + std::strerror(errno));
  unsigned char pre[10];
  if (!f.read(reinterpret_cast<char*>(pre), 8) || std::memcmp(pre, "\x93NUMPY", 6) != 0)
    throw FormatError(where + "bad header: not an .npy file (no \\x93NUMPY magic)");
  const int major = pre[6];
  std::size_t hlen = 0, pre_len = 0;
  if (major == 1) {
    if (!f.read(reinterpret_cast<char*>(pre + 8), 2)) throw FormatError(where + "truncated header");
    hlen = pre[8] | (std::size_t(pre[9]) << 8);
    pre_len = 10;
  } else if (major == 2 || major == 3) {
    unsigned char l[4];
    if (!f.read(reinterpret_cast<char*>(l), 4)) throw FormatError(where + "truncated header");
    hlen = l[0] | (std::size_t(l[1]) << 8) | (std::size_t(l[2]) << 16) | (std::size_t(l[3]) << 24);
    pre_len = 12;
  } else {
    throw FormatError(where + "bad header: format version " + std::to_string(major) + ".x, expected 1.0, 2.0 or 3.0");
  }
  if (hlen > (1u << 24)) throw FormatError(where + "bad header: header length " + std::to_string(hlen) + " is implausible");
  std::string h(hlen, '\0');
  if (!f.read(h.data(), static_cast<std::streamsize>(hlen))) throw FormatError(where + "truncated header");
  NpyInfo info;
  info.offset = static_cast<std::int64_t>(pre_len + hlen);
  auto value_of = [&](const std::string& key) -> std::string {
    const auto k = h.find("'" + key + "'");
    if (k == std::string::npos) throw FormatError(where + "bad header: no '" + key + "' in " + h);
    auto c = h.find(':', k);
    if (c == std::string::npos) throw FormatError(where + "bad header: " + h);
    ++c;
    while (c < h.size() && h[c] == ' ') ++c;
    return h.substr(c);
  };
  const std::string d = value_of("descr");
  const auto q1 = d.find_first_of("'\""), q2 = d.find_first_of("'\"", q1 + 1);
  const std::string descr = q1 == std::string::npos || q2 == std::string::npos ? d : d.substr(q1 + 1, q2 - q1 - 1);
  bool known = false;
  for (int i = 0; i < 4; ++i)
    if (descr == dtype_name(static_cast<Dtype>(i))) {
      info.dtype = i;
      known = true;
    }
  if (!known)
    throw FormatError(where + "wrong dtype '" + descr + "', expected <f4, <f8, <c8 or <c16 (little-endian float or complex)");
  const std::string fo = value_of("fortran_order");
  if (fo.rfind("True", 0) == 0) info.fortran = 1;
  else if (fo.rfind("False", 0) == 0) info.fortran = 0;
  else throw FormatError(where + "bad header: fortran_order is not True or False");
  const std::string s = value_of("shape");
  const auto open = s.find('('), close = s.find(')');
  if (open == std::string::npos || close == std::string::npos) throw FormatError(where + "bad header: shape is not a tuple");
  std::vector<std::int64_t> dims;
  std::stringstream ss(s.substr(open + 1, close - open - 1));
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    const auto b = tok.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    char* end = nullptr;
    const long long v = std::strtoll(tok.c_str() + b, &end, 10);
    if (v < 0 || end == tok.c_str() + b) throw FormatError(where + "bad header: shape entry '" + tok + "'");
    dims.push_back(v);
  }
  if (dims.size() == 1) {
    info.m = dims[0];
    info.n = 1;
    info.ndim = 1;
  } else if (dims.size() == 2) {
    info.m = dims[0];
    info.n = dims[1];
  } else {
    throw FormatError(where + "shape has " + std::to_string(dims.size()) + " dimensions, expected 1 or 2");
  }
  const auto size = std::filesystem::file_size(path);
  const auto need = static_cast<std::uintmax_t>(info.offset) +
                    static_cast<std::uintmax_t>(info.m) * static_cast<std::uintmax_t>(info.n) * dtype_size(static_cast<Dtype>(info.dtype));
  if (size < need)
    throw FormatError(where + "truncated: " + std::to_string(info.m) + "x" + std::to_string(info.n) + " " + descr +
                      " needs " + std::to_string(need) + " bytes, the file has " + std::to_string(size));
  return info;
}

// Reads an r x c Fortran-order array of F at offset into a new matrix (source (0,0)).
template <class F>
DistMatrix<F> read_darray(const Grid& g, const std::string& path, std::int64_t r, std::int64_t c, std::int64_t offset,
                          Block block) {
  DistMatrix<F> D(g, r, c, block);
  if (r == 0 || c == 0) return D;
  int gs[2] = {static_cast<int>(r), static_cast<int>(c)};
  int dist[2] = {MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_CYCLIC};
  int darg[2] = {static_cast<int>(D.block().mb), static_cast<int>(D.block().nb)};
  int ps[2] = {g.prows(), g.pcols()};
  MPI_Datatype ft;
  MPI_Type_create_darray(g.size(), g.rank(), 2, gs, dist, darg, ps, MPI_ORDER_FORTRAN, detail::mpi_type<F>(), &ft);
  MPI_Type_commit(&ft);
  MPI_File fh;
  int rc = MPI_File_open(g.comm(), path.c_str(), MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
  if (rc != MPI_SUCCESS) {
    MPI_Type_free(&ft);
    agree(g.comm(), err_io, "load_npy: cannot open '" + path + "': " + mpi_error_string(rc));
  }
  agree(g.comm(), err_none, "");
  MPI_File_set_view(fh, offset, detail::mpi_type<F>(), ft, "native", MPI_INFO_NULL);
  MPI_Status st;
  rc = MPI_File_read_all(fh, D.data(), static_cast<int>(D.local_rows() * D.local_cols()), detail::mpi_type<F>(), &st);
  MPI_File_close(&fh);
  MPI_Type_free(&ft);
  agree(g.comm(), rc == MPI_SUCCESS ? err_none : err_io,
        "load_npy: reading '" + path + "' failed: " + (rc == MPI_SUCCESS ? std::string() : mpi_error_string(rc)));
  return D;
}

template <class T, class F>
DistMatrix<T> load_npy_as(const Grid& g, const std::string& path, const NpyInfo& info, Block block) {
  const Block b = resolve_block(block);
  DistMatrix<F> D = info.fortran
                        ? read_darray<F>(g, path, info.m, info.n, info.offset, b)
                        : transpose(read_darray<F>(g, path, info.n, info.m, info.offset, Block{b.nb, b.mb}));
  if constexpr (std::is_same_v<T, F>) {
    return D;
  } else {
    DistMatrix<T> R(g, info.m, info.n, D.block());
    R.local() = D.local().template cast<T>();
    return R;
  }
}

}  // namespace

template <class T>
DistMatrix<T> load_npy(const Grid& grid, const std::string& path, Block block) {
  NpyInfo info;
  int kind = err_none;
  std::string msg;
  if (grid.rank() == 0)
    capture(kind, msg, [&] {
      info = parse_npy_header(path);
      if (!converts_losslessly<T>(static_cast<Dtype>(info.dtype)))
        throw FormatError("load_npy: '" + path + "': dtype " + dtype_name(static_cast<Dtype>(info.dtype)) +
                          " does not convert losslessly to the requested " + dtype_name(dtype_of<T>()));
    });
  agree(grid.comm(), kind, msg);
  MPI_Bcast(&info, sizeof info, MPI_BYTE, 0, grid.comm());
  switch (static_cast<Dtype>(info.dtype)) {
    case Dtype::f4: return load_npy_as<T, float>(grid, path, info, block);
    case Dtype::f8:
      if constexpr (std::is_same_v<real_t<T>, double>) return load_npy_as<T, double>(grid, path, info, block);
      break;
    case Dtype::c8:
      if constexpr (detail::is_complex_v<T>) return load_npy_as<T, std::complex<float>>(grid, path, info, block);
      break;
    case Dtype::c16:
      if constexpr (std::is_same_v<T, std::complex<double>>) return load_npy_as<T, T>(grid, path, info, block);
      break;
  }
  throw Error("load_npy: internal error: unreachable dtype");
}

template <class T>
void save_npy(const DistMatrix<T>& A, const std::string& path) {
  const Grid& g = A.grid();
  // darray file views start the distribution at process (0,0).
  const DistMatrix<T>* src = &A;
  DistMatrix<T> moved(g, 0, 0);
  if (!(A.source() == Source{})) {
    moved = redistribute(A, g, A.block(), Source{});
    src = &moved;
  }
  std::string header = std::string("{'descr': '") + dtype_name(dtype_of<T>()) +
                       "', 'fortran_order': True, 'shape': (" + std::to_string(A.rows()) + ", " +
                       std::to_string(A.cols()) + "), }";
  const bool v2 = header.size() + 11 > 65535;
  const std::size_t pre = v2 ? 12 : 10;
  header.append((64 - (pre + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string head(pre, '\0');
  std::memcpy(head.data(), "\x93NUMPY", 6);
  head[6] = v2 ? 2 : 1;
  head[7] = 0;
  const std::size_t hl = header.size();
  for (std::size_t i = 0; i < pre - 8; ++i) head[8 + i] = static_cast<char>((hl >> (8 * i)) & 0xff);
  head += header;

  const std::string tmp = temp_beside(g.comm(), path);
  if (g.rank() == 0) std::remove(tmp.c_str());
  MPI_Barrier(g.comm());
  MPI_File fh;
  int rc = MPI_File_open(g.comm(), tmp.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  agree(g.comm(), rc == MPI_SUCCESS ? err_none : err_io,
        "save_npy: cannot create '" + tmp + "': " + (rc == MPI_SUCCESS ? std::string() : mpi_error_string(rc)));
  int ok = 1;
  if (g.rank() == 0) {
    MPI_Status st;
    ok = MPI_File_write_at(fh, 0, head.data(), static_cast<int>(head.size()), MPI_BYTE, &st) == MPI_SUCCESS;
  }
  if (A.rows() > 0 && A.cols() > 0) {
    int gs[2] = {static_cast<int>(A.rows()), static_cast<int>(A.cols())};
    int dist[2] = {MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_CYCLIC};
    int darg[2] = {static_cast<int>(src->block().mb), static_cast<int>(src->block().nb)};
    int ps[2] = {g.prows(), g.pcols()};
    MPI_Datatype ft;
    MPI_Type_create_darray(g.size(), g.rank(), 2, gs, dist, darg, ps, MPI_ORDER_FORTRAN, detail::mpi_type<T>(), &ft);
    MPI_Type_commit(&ft);
    MPI_File_set_view(fh, static_cast<MPI_Offset>(head.size()), detail::mpi_type<T>(), ft, "native", MPI_INFO_NULL);
    MPI_Status st;
    ok = ok && MPI_File_write_all(fh, src->data(), static_cast<int>(src->local_rows() * src->local_cols()),
                                  detail::mpi_type<T>(), &st) == MPI_SUCCESS;
    MPI_Type_free(&ft);
  }
  ok = ok && MPI_File_sync(fh) == MPI_SUCCESS;
  MPI_File_close(&fh);
  if (!ok && g.rank() == 0) std::remove(tmp.c_str());
  agree(g.comm(), ok ? err_none : err_io, "save_npy: writing '" + tmp + "' failed");
  commit_rename(g.comm(), tmp, path, "save_npy");
}

// ---- Matrix Market -----------------------------------------------------------------------

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
      reader = std::make_unique<MtxReader>(path, detail::is_complex_v<T>);
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
      if constexpr (detail::is_complex_v<T>)
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
                   detail::is_complex_v<T> ? "complex" : "real", static_cast<long long>(A.rows()),
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
        if constexpr (detail::is_complex_v<T>)
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

#define TARTAN_INSTANTIATE(T)                                                         \
  template DistMatrix<T> load_npy<T>(const Grid&, const std::string&, Block);         \
  template void save_npy<T>(const DistMatrix<T>&, const std::string&);                \
  template DistMatrix<T> load_mtx<T>(const Grid&, const std::string&, Block);         \
  template void save_mtx<T>(const DistMatrix<T>&, const std::string&);
TARTAN_INSTANTIATE(float)
TARTAN_INSTANTIATE(double)
TARTAN_INSTANTIATE(std::complex<float>)
TARTAN_INSTANTIATE(std::complex<double>)

}  // namespace tartan
