// .npy files read and written in parallel with MPI-IO: block-cyclic darray file views, so
// each rank touches only its own blocks.

#include <mpi.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "io/common.hpp"
#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/io.hpp"

namespace tartan {

using namespace detail::io;

namespace {

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
  const bool t_complex = is_complex_v<T>;
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
      if constexpr (is_complex_v<T>) return load_npy_as<T, std::complex<float>>(grid, path, info, block);
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

#define TARTAN_INSTANTIATE(T)                                                 \
  template DistMatrix<T> load_npy<T>(const Grid&, const std::string&, Block); \
  template void save_npy<T>(const DistMatrix<T>&, const std::string&);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan
