// .npy files read and written in parallel with MPI-IO: block-cyclic darray file views, so
// each rank touches only its own blocks. The header is parsed as a strict subset of the
// Python literal numpy writes.

#include <mpi.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "io/common.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/io.hpp"

namespace tartan {

const char* dtype_name(Dtype d) noexcept {
  switch (d) {
    case Dtype::f4:
      return "<f4";
    case Dtype::f8:
      return "<f8";
    case Dtype::c8:
      return "<c8";
    case Dtype::c16:
      return "<c16";
  }
  return "?";
}

namespace {

using namespace detail::io;

std::size_t dtype_size(Dtype d) {
  switch (d) {
    case Dtype::f4:
      return 4;
    case Dtype::f8:
    case Dtype::c8:
      return 8;
    case Dtype::c16:
      return 16;
  }
  return 0;
}

// Lossless: same or wider precision, and real -> complex but not complex -> real.
template <class T>
bool converts_losslessly(Dtype from) {
  const bool file_complex = from == Dtype::c8 || from == Dtype::c16;
  const bool file_double = from == Dtype::f8 || from == Dtype::c16;
  if (file_complex && !is_complex_v<T>) return false;
  if (file_double && !std::is_same_v<real_t<T>, double>) return false;
  return true;
}

struct NpyInfo {
  std::int64_t m = 0, n = 0, offset = 0;
  Dtype dtype = Dtype::f8;  // for integer files: f8, what they are read as
  int fortran = 0;
  int ndim = 2;
  // Integer and bool files (numpy's default int64 among them) are read as float64, as
  // from_numpy converts integer arrays: int_bytes is 1, 2, 4 or 8, else 0 (float or complex).
  int int_bytes = 0, int_signed = 0;
  char descr[8] = {};  // the file's own dtype, for messages
  std::size_t element_size() const { return int_bytes ? static_cast<std::size_t>(int_bytes) : dtype_size(dtype); }
};

// numpy's little-endian (or byte-sized) integer and bool descriptors.
struct IntDescr {
  const char* name;
  int bytes, is_signed;
};
constexpr IntDescr int_descrs[] = {{"<i8", 8, 1}, {"<i4", 4, 1}, {"<i2", 2, 1}, {"|i1", 1, 1}, {"<u8", 8, 0},
                                   {"<u4", 4, 0}, {"<u2", 2, 0}, {"|u1", 1, 0}, {"|b1", 1, 0}};

// numpy.load reads at most this many header bytes unless told otherwise (max_header_size).
constexpr std::size_t max_header = 10000;

// The header dict, {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }, parsed as the
// subset of a Python literal that numpy writes: single- or double-quoted strings without
// escapes, True/False, tuples of decimal integers without signs, underscores or leading
// zeros, and Python whitespace. Each of the three keys exactly once; nothing after the '}'
// but whitespace. What numpy.load refuses is refused; a few things it accepts (hex or
// underscored dims, other dtypes) are refused too, never read with another shape.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, std::string where) : s_(text), where_(std::move(where)) {}

  NpyInfo parse() {
    ws();
    expect('{');
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<std::vector<std::int64_t>> shape;
    ws();
    while (peek() != '}') {
      const std::string key = string_literal();
      ws();
      expect(':');
      ws();
      if (key == "descr") {
        if (descr) fail("'descr' appears twice");
        descr = string_literal();
      } else if (key == "fortran_order") {
        if (fortran) fail("'fortran_order' appears twice");
        fortran = boolean();
      } else if (key == "shape") {
        if (shape) fail("'shape' appears twice");
        shape = tuple();
      } else {
        fail("unexpected key '" + key + "', expected only 'descr', 'fortran_order' and 'shape'");
      }
      ws();
      if (peek() == ',') {
        ++i_;
        ws();
      } else if (peek() != '}') {
        fail("expected ',' or '}' after the value of '" + key + "'");
      }
    }
    ++i_;  // '}'
    ws();
    if (i_ != s_.size()) fail("unexpected text after the header dict");
    if (!descr) fail("no 'descr'");
    if (!fortran) fail("no 'fortran_order'");
    if (!shape) fail("no 'shape'");
    NpyInfo info;
    bool known = false;
    for (Dtype d : {Dtype::f4, Dtype::f8, Dtype::c8, Dtype::c16})
      if (*descr == dtype_name(d)) {
        info.dtype = d;
        known = true;
      }
    for (const IntDescr& d : int_descrs)
      if (*descr == d.name) {
        info.dtype = Dtype::f8;
        info.int_bytes = d.bytes;
        info.int_signed = d.is_signed;
        known = true;
      }
    if (!known)
      throw FormatError(where_ + "wrong dtype '" + *descr +
                        "', expected <f4, <f8, <c8 or <c16 (little-endian float or complex), or a little-endian "
                        "integer or bool (read as float64)");
    std::strncpy(info.descr, descr->c_str(), sizeof info.descr - 1);
    info.fortran = *fortran ? 1 : 0;
    info.ndim = static_cast<int>(shape->size());
    if (shape->size() == 1) {
      info.m = (*shape)[0];
      info.n = 1;
    } else if (shape->size() == 2) {
      info.m = (*shape)[0];
      info.n = (*shape)[1];
    } else {
      throw FormatError(where_ + "shape has " + std::to_string(shape->size()) + " dimensions, expected 1 or 2");
    }
    return info;
  }

 private:
  char peek() const {
    if (i_ >= s_.size()) fail("the header ends early");
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  void ws() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\f' || s_[i_] == '\v'))
      ++i_;
  }
  std::string string_literal() {
    const char q = peek();
    if (q != '\'' && q != '"') fail("expected a quoted string");
    ++i_;
    std::string out;
    while (peek() != q) {
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '\\' || c == '\n' || c < 0x20 || c >= 0x7f) fail("unsupported character in a string");
      out += s_[i_++];
    }
    ++i_;
    return out;
  }
  bool boolean() {
    for (auto [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      const std::size_t len = std::strlen(word);
      if (s_.compare(i_, len, word) == 0) {
        const std::size_t end = i_ + len;
        if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_'))
          fail("fortran_order is not True or False");
        i_ = end;
        return value;
      }
    }
    fail("fortran_order is not True or False");
  }
  std::int64_t integer() {
    const std::size_t start = i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    const std::size_t len = i_ - start;
    if (len == 0) fail("a shape entry is not a decimal integer");
    if (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.'))
      fail("a shape entry is not a decimal integer");
    if (len > 1 && s_[start] == '0') fail("a shape entry has a leading zero");
    if (len > 18) fail("a shape entry is too large");
    return std::stoll(s_.substr(start, len));
  }
  std::vector<std::int64_t> tuple() {
    expect('(');
    std::vector<std::int64_t> dims;
    ws();
    bool trailing_comma = false;
    while (peek() != ')') {
      dims.push_back(integer());
      ws();
      trailing_comma = false;
      if (peek() == ',') {
        ++i_;
        ws();
        trailing_comma = true;
      } else if (peek() != ')') {
        fail("expected ',' or ')' in the shape");
      }
    }
    ++i_;
    if (dims.size() == 1 && !trailing_comma) fail("shape (n) is not a tuple, expected (n,)");
    return dims;
  }
  [[noreturn]] void fail(const std::string& what) const { throw FormatError(where_ + "bad header: " + what); }

  const std::string& s_;
  std::string where_;
  std::size_t i_ = 0;
};

// Parses the header of an .npy file on one rank. Throws FormatError / IoError.
NpyInfo parse_npy_header(const std::string& path, const char* func) {
  const std::string where = std::string(func) + ": '" + path + "': ";
  require_regular_file(path, func);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw IoError(std::string(func) + ": cannot open '" + path + "': " + std::strerror(errno));
  unsigned char pre[12];
  if (!f.read(reinterpret_cast<char*>(pre), 8) || std::memcmp(pre, "\x93NUMPY", 6) != 0)
    throw FormatError(where + "bad header: not an .npy file (no \\x93NUMPY magic)");
  const int major = pre[6], minor = pre[7];
  std::size_t hlen = 0, pre_len = 0;
  if (major == 1) {
    if (!f.read(reinterpret_cast<char*>(pre + 8), 2)) throw FormatError(where + "truncated header");
    hlen = pre[8] | (std::size_t(pre[9]) << 8);
    pre_len = 10;
  } else if (major == 2 || major == 3) {
    if (!f.read(reinterpret_cast<char*>(pre + 8), 4)) throw FormatError(where + "truncated header");
    hlen = pre[8] | (std::size_t(pre[9]) << 8) | (std::size_t(pre[10]) << 16) | (std::size_t(pre[11]) << 24);
    pre_len = 12;
  } else {
    throw FormatError(where + "bad header: format version " + std::to_string(major) + "." + std::to_string(minor) +
                      ", expected 1.0, 2.0 or 3.0");
  }
  if (minor != 0)
    throw FormatError(where + "bad header: format version " + std::to_string(major) + "." + std::to_string(minor) +
                      ", expected 1.0, 2.0 or 3.0");
  if (hlen > max_header)
    throw FormatError(where + "bad header: " + std::to_string(hlen) + " header bytes, more than numpy's limit of " +
                      std::to_string(max_header));
  std::string h(hlen, '\0');
  if (!f.read(h.data(), static_cast<std::streamsize>(hlen))) throw FormatError(where + "truncated header");
  NpyInfo info = HeaderParser(h, where).parse();
  info.offset = static_cast<std::int64_t>(pre_len + hlen);
  const auto size = std::filesystem::file_size(path);
  std::uint64_t need = 0;
  const bool overflow =
      __builtin_mul_overflow(static_cast<std::uint64_t>(info.m), static_cast<std::uint64_t>(info.n), &need) ||
      __builtin_mul_overflow(need, info.element_size(), &need) ||
      __builtin_add_overflow(need, static_cast<std::uint64_t>(info.offset), &need);
  if (overflow || size < need)
    throw FormatError(where + "truncated: " + std::to_string(info.m) + "x" + std::to_string(info.n) + " " + info.descr +
                      " needs " + (overflow ? std::string("more than 2^64") : std::to_string(need)) +
                      " bytes, the file has " + std::to_string(size));
  return info;
}

NpyInfo agreed_header(const Grid& g, const std::string& path, const char* func) {
  NpyInfo info;
  detail::collectively(g.comm(), [&] {
    if (g.rank() == 0) info = parse_npy_header(path, func);
  });
  MPI_Bcast(&info, sizeof info, MPI_BYTE, 0, g.comm());
  return info;
}

// An r x c Fortran-order array of F at offset: each rank's view of its own blocks.
struct DarrayView {
  MPI_Datatype type = MPI_DATATYPE_NULL;
  DarrayView(const Grid& g, std::int64_t r, std::int64_t c, Block b, MPI_Datatype elem) {
    int gs[2] = {static_cast<int>(r), static_cast<int>(c)};
    int dist[2] = {MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_CYCLIC};
    int darg[2] = {static_cast<int>(b.mb), static_cast<int>(b.nb)};
    int ps[2] = {g.prows(), g.pcols()};  // Tartan's grids are row-major, as darray assumes
    MPI_Type_create_darray(g.size(), g.rank(), 2, gs, dist, darg, ps, MPI_ORDER_FORTRAN, elem, &type);
    MPI_Type_commit(&type);
  }
  ~DarrayView() { MPI_Type_free(&type); }
  DarrayView(const DarrayView&) = delete;
  DarrayView& operator=(const DarrayView&) = delete;
};

// Reads this rank's blocks of an r x c Fortran-order array of elem at offset, laid out as
// D (r x c, source (0,0)), into buf: D's local block, column by column without padding.
template <class D>
void read_blocks(const Grid& g, const std::string& path, const D& like, std::int64_t offset, MPI_Datatype elem,
                 void* buf) {
  const std::int64_t r = like.rows(), c = like.cols();
  if (r == 0 || c == 0) return;
  MPI_File fh;
  const int rc = MPI_File_open(g.comm(), path.c_str(), MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
  detail::collectively(g.comm(), [&] {
    if (rc != MPI_SUCCESS) throw IoError("load_npy: cannot open '" + path + "': " + mpi_error_string(rc));
  });
  const DarrayView view(g, r, c, like.block(), elem);
  MPI_File_set_view(fh, offset, elem, view.type, "native", MPI_INFO_NULL);
  MPI_Status st;
  const int count = static_cast<int>(like.local_rows() * like.local_cols());
  const int rr = MPI_File_read_all(fh, buf, count, elem, &st);
  int got = 0;
  MPI_Get_count(&st, elem, &got);
  MPI_File_close(&fh);
  detail::collectively(g.comm(), [&] {
    if (rr != MPI_SUCCESS) throw IoError("load_npy: reading '" + path + "' failed: " + mpi_error_string(rr));
    if (got != count)
      throw IoError("load_npy: reading '" + path + "' failed: " + std::to_string(got) + " of " + std::to_string(count) +
                    " values read (did the file shrink?)");
  });
}

// Reads an r x c Fortran-order array of F at offset into a new matrix (source (0,0)).
template <class F>
DistMatrix<F> read_darray(const Grid& g, const std::string& path, std::int64_t r, std::int64_t c, std::int64_t offset,
                          Block block) {
  DistMatrix<F> D(g, r, c, block);
  if (D.lld() == std::max<std::int64_t>(D.local_rows(), 1)) {
    read_blocks(g, path, D, offset, detail::mpi_type<F>(), D.data());
  } else {  // a padded local block: read packed, then spread
    std::vector<F> buf(static_cast<std::size_t>(D.local_rows() * D.local_cols()));
    read_blocks(g, path, D, offset, detail::mpi_type<F>(), buf.data());
    D.local() =
        Eigen::Map<const Eigen::Matrix<F, Eigen::Dynamic, Eigen::Dynamic>>(buf.data(), D.local_rows(), D.local_cols());
  }
  return D;
}

// The same for an integer or bool file, converted to float64 as numpy's astype(float64).
template <class I>
DistMatrix<double> read_int_darray(const Grid& g, const std::string& path, std::int64_t r, std::int64_t c,
                                   std::int64_t offset, Block block, MPI_Datatype elem) {
  DistMatrix<double> D(g, r, c, block);
  std::vector<I> buf(static_cast<std::size_t>(D.local_rows() * D.local_cols()));
  read_blocks(g, path, D, offset, elem, buf.data());
  for (std::int64_t jl = 0; jl < D.local_cols(); ++jl)
    for (std::int64_t il = 0; il < D.local_rows(); ++il)
      D.data()[il + jl * D.lld()] = static_cast<double>(buf[static_cast<std::size_t>(il + jl * D.local_rows())]);
  return D;
}

DistMatrix<double> read_int_npy(const Grid& g, const std::string& path, const NpyInfo& info, std::int64_t r,
                                std::int64_t c, Block block) {
  const bool s = info.int_signed != 0;
  switch (info.int_bytes) {
    case 8:
      return s ? read_int_darray<std::int64_t>(g, path, r, c, info.offset, block, MPI_INT64_T)
               : read_int_darray<std::uint64_t>(g, path, r, c, info.offset, block, MPI_UINT64_T);
    case 4:
      return s ? read_int_darray<std::int32_t>(g, path, r, c, info.offset, block, MPI_INT32_T)
               : read_int_darray<std::uint32_t>(g, path, r, c, info.offset, block, MPI_UINT32_T);
    case 2:
      return s ? read_int_darray<std::int16_t>(g, path, r, c, info.offset, block, MPI_INT16_T)
               : read_int_darray<std::uint16_t>(g, path, r, c, info.offset, block, MPI_UINT16_T);
    default:
      return s ? read_int_darray<std::int8_t>(g, path, r, c, info.offset, block, MPI_INT8_T)
               : read_int_darray<std::uint8_t>(g, path, r, c, info.offset, block, MPI_UINT8_T);
  }
}

template <class T, class F>
DistMatrix<T> load_npy_as(const Grid& g, const std::string& path, const NpyInfo& info, Block block) {
  const Block b = resolve_block(block);
  auto read = [&](std::int64_t r, std::int64_t c, Block bl) {
    if constexpr (std::is_same_v<F, double>)
      if (info.int_bytes) return read_int_npy(g, path, info, r, c, bl);
    return read_darray<F>(g, path, r, c, info.offset, bl);
  };
  DistMatrix<F> D = info.fortran ? read(info.m, info.n, b) : transpose(read(info.n, info.m, Block{b.nb, b.mb}));
  if constexpr (std::is_same_v<T, F>) {
    return D;
  } else {
    DistMatrix<T> R(g, info.m, info.n, D.block());
    R.local() = D.local().template cast<T>();
    return R;
  }
}

}  // namespace

FileInfo npy_info(const Grid& grid, const std::string& path) {
  const NpyInfo h = agreed_header(grid, path, "npy_info");
  return {h.m, h.n, h.dtype, h.ndim};
}

template <class T>
DistMatrix<T> load_npy(const Grid& grid, const std::string& path, Block block) {
  require_mpiio_name(path, "load_npy");
  const NpyInfo info = agreed_header(grid, path, "load_npy");
  if (!converts_losslessly<T>(info.dtype))
    throw FormatError("load_npy: '" + path + "': dtype " + info.descr + (info.int_bytes ? " (read as <f8)" : "") +
                      " does not convert losslessly to the requested " + dtype_name(dtype_of<T>()));
  switch (info.dtype) {
    case Dtype::f4:
      return load_npy_as<T, float>(grid, path, info, block);
    case Dtype::f8:
      if constexpr (std::is_same_v<real_t<T>, double>) return load_npy_as<T, double>(grid, path, info, block);
      break;
    case Dtype::c8:
      if constexpr (is_complex_v<T>) return load_npy_as<T, std::complex<float>>(grid, path, info, block);
      break;
    case Dtype::c16:
      if constexpr (std::is_same_v<T, std::complex<double>>) return load_npy_as<T, T>(grid, path, info, block);
      break;
  }
  throw Error("load_npy: internal error: unreachable dtype");
}

template <class T>
void save_npy(const DistMatrix<T>& A, const std::string& path, NpySaveOptions opts) {
  if (opts.one_d && A.cols() != 1)
    throw InvalidArgument("save_npy: one_d needs an n x 1 matrix, A is " + std::to_string(A.rows()) + "x" +
                          std::to_string(A.cols()));
  const Grid& g = A.grid();
  // darray file views start the distribution at process (0,0).
  const DistMatrix<T>* src = &A;
  DistMatrix<T> moved(g, 0, 0);
  if (!(A.source() == Source{})) {
    moved = redistribute(A, g, A.block(), Source{});
    src = &moved;
  }
  std::string header = std::string("{'descr': '") + dtype_name(dtype_of<T>()) + "', 'fortran_order': True, 'shape': (" +
                       std::to_string(A.rows()) + (opts.one_d ? ",), }" : ", " + std::to_string(A.cols()) + "), }");
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
  const MPI_Offset expected = static_cast<MPI_Offset>(head.size()) +
                              static_cast<MPI_Offset>(A.rows()) * A.cols() * static_cast<MPI_Offset>(sizeof(T));

  const std::string tmp = temp_beside(g.comm(), path);
  discard(g.comm(), tmp);  // a stale one from a killed run with the same pid
  reserve(g.comm(), tmp, expected, path, "save_npy");
  MPI_File fh;
  const int rc = MPI_File_open(g.comm(), tmp.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  try {
    detail::collectively(g.comm(), [&] {
      if (rc != MPI_SUCCESS)
        throw IoError("save_npy: cannot open a file beside '" + path + "': " + mpi_error_string(rc));
    });
  } catch (const IoError&) {
    discard(g.comm(), tmp);
    throw;
  }
  // Every step is collective or local and always taken; what failed is agreed at the end,
  // and only a file of exactly the expected size, synced, is renamed over the target.
  std::string failure;
  auto note = [&](int code, const char* what) {
    if (code != MPI_SUCCESS && failure.empty()) failure = std::string(what) + ": " + mpi_error_string(code);
  };
  if (g.rank() == 0) {
    MPI_Status st;
    note(MPI_File_write_at(fh, 0, head.data(), static_cast<int>(head.size()), MPI_BYTE, &st), "writing the header");
    int wrote = 0;
    MPI_Get_count(&st, MPI_BYTE, &wrote);
    if (failure.empty() && wrote != static_cast<int>(head.size())) failure = "a short write of the header";
  }
  if (A.rows() > 0 && A.cols() > 0) {
    const DarrayView view(g, A.rows(), A.cols(), src->block(), detail::mpi_type<T>());
    MPI_File_set_view(fh, static_cast<MPI_Offset>(head.size()), detail::mpi_type<T>(), view.type, "native",
                      MPI_INFO_NULL);
    MPI_Status st;
    const int count = static_cast<int>(src->local_rows() * src->local_cols());
    note(MPI_File_write_all(fh, src->data(), count, detail::mpi_type<T>(), &st), "writing the data");
    int wrote = 0;
    MPI_Get_count(&st, detail::mpi_type<T>(), &wrote);
    if (failure.empty() && wrote != count)
      failure = "a short write (" + std::to_string(wrote) + " of " + std::to_string(count) + " values)";
  }
  note(MPI_File_sync(fh), "syncing");
  MPI_Offset size = 0;
  note(MPI_File_get_size(fh, &size), "checking the size");
  if (failure.empty() && size != expected)
    failure = "the file has " + std::to_string(size) + " bytes, expected " + std::to_string(expected);
  note(MPI_File_close(&fh), "closing");
  try {
    detail::collectively(g.comm(), [&] {
      if (!failure.empty())
        throw IoError("save_npy: writing '" + path + "' failed: " + failure + " (is the disk full?); '" + path +
                      "' is unchanged");
    });
  } catch (const IoError&) {
    discard(g.comm(), tmp);
    throw;
  }
  commit_rename(g.comm(), tmp, path, "save_npy");
}

#define TARTAN_INSTANTIATE(T)                                                 \
  template DistMatrix<T> load_npy<T>(const Grid&, const std::string&, Block); \
  template void save_npy<T>(const DistMatrix<T>&, const std::string&, NpySaveOptions);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
