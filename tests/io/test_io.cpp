// .npy and Matrix Market: round trips across grids and blocks, files from numpy/scipy read
// by Tartan and files from Tartan read by numpy/scipy, and every bad-file error on every rank.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support.hpp"

using namespace tartan_test;

namespace {

// A scratch directory shared by all ranks, made by rank 0.
std::string scratch() { return scratch_dir("tartan-io"); }

// Runs a shell command on rank 0; every rank gets its exit status.
int on_root(const std::string& cmd) {
  int rc = 0;
  if (test_rank() == 0) rc = std::system(cmd.c_str());
  MPI_Bcast(&rc, 1, MPI_INT, 0, test_comm());
  return rc;
}

std::string helper() {
  std::string h = TARTAN_IO_HELPER;  // appended, not `string(...) + " "`: GCC 12's -Warray-bounds misfires there
  h += ' ';
  return h;
}

// The helper's reference matrix.
template <class T>
Mat<T> reference(int m, int n) {
  Mat<T> a(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      const double re = (i + 1) + (j + 1) / 1000.0;
      if constexpr (std::is_same_v<T, tt::real_t<T>>)
        a(i, j) = T(re);
      else
        a(i, j) = T(tt::real_t<T>(re), tt::real_t<T>((i - j) / 7.0));
    }
  return a;
}

void write_text(const std::string& path, const std::string& text) {
  if (test_rank() == 0) std::ofstream(path) << text;
  MPI_Barrier(test_comm());
}

template <class T>
const char* dtype() {
  if constexpr (std::is_same_v<T, float>)
    return "<f4";
  else if constexpr (std::is_same_v<T, double>)
    return "<f8";
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return "<c8";
  else
    return "<c16";
}

}  // namespace

TEMPLATE_TEST_CASE(".npy round trips across grids, blocks and sources", "", TARTAN_TYPES) {
  using T = TestType;
  const std::string path = scratch() + "/rt.npy";
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [m, n] : std::vector<std::pair<int, int>>{{0, 3}, {1, 1}, {17, 5}, {31, 57}}) {
      auto A = tt::random<T>(g, m, n, 5, tt::Block{4, 3}, tt::Source{P - 1, Q - 1});
      tt::save_npy(A, path);
      tt::Grid h(test_comm());  // read back on another grid shape and block
      auto B = tt::load_npy<T>(h, path, tt::Block{5, 2});
      REQUIRE(B.rows() == m);
      REQUIRE(B.cols() == n);
      REQUIRE(gather_all(B) == gather_all(A));
    }
  }
  // numpy reads what Tartan wrote
  tt::Grid g(test_comm());
  tt::save_npy(tt::from_eigen(g, reference<T>(13, 7), 0, tt::Block{2, 2}), path);
  REQUIRE(on_root(helper() + "check " + path + " npy 13 7 '" + dtype<T>() + "'") == 0);
  // no temporary file is left beside the target
  bool leftovers = false;
  const std::string dir = scratch();
  if (test_rank() == 0)
    for (const auto& e : std::filesystem::directory_iterator(dir))
      leftovers = leftovers || e.path().filename().string().find("tartan-tmp") != std::string::npos;
  REQUIRE(all_ranks(!leftovers));
}

TEST_CASE(".npy files written by numpy: C and Fortran order, every dtype, 1-D, version 2.0, conversions") {
  REQUIRE(on_root(helper() + "write-npy " + scratch()) == 0);
  tt::Grid g(test_comm());
  const std::string d = scratch() + "/";
  for (std::string order : {"c_", "f_"}) {
    REQUIRE(gather_all(tt::load_npy<float>(g, d + order + "f4.npy", tt::Block{3, 2})) == reference<float>(13, 7));
    REQUIRE(gather_all(tt::load_npy<double>(g, d + order + "f8.npy", tt::Block{3, 2})) == reference<double>(13, 7));
    REQUIRE(gather_all(tt::load_npy<std::complex<float>>(g, d + order + "c8.npy")) ==
            reference<std::complex<float>>(13, 7));
    REQUIRE(gather_all(tt::load_npy<std::complex<double>>(g, d + order + "c16.npy", tt::Block{1, 1})) ==
            reference<std::complex<double>>(13, 7));
    // lossless conversions
    REQUIRE(gather_all(tt::load_npy<double>(g, d + order + "f4.npy")) == reference<float>(13, 7).cast<double>());
    REQUIRE(gather_all(tt::load_npy<std::complex<double>>(g, d + order + "f8.npy")) ==
            reference<double>(13, 7).cast<std::complex<double>>());
  }
  REQUIRE(gather_all(tt::load_npy<double>(g, d + "vec.npy")) == reference<double>(11, 1));
  REQUIRE(gather_all(tt::load_npy<double>(g, d + "v2.npy")) == reference<double>(5, 4));
  require_throws_everywhere<tt::FormatError>([&] { tt::load_npy<float>(g, d + "c_f8.npy"); },
                                             "<f8 does not convert losslessly to the requested <f4");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_npy<double>(g, d + "c_c16.npy"); },
                                             "does not convert losslessly");
  // numpy's default int64 reads as float64 (as from_numpy and astype(float64) convert it)
  Mat<double> ints(2, 3);
  ints << 0, 1, 2, 3, 4, 5;
  REQUIRE(gather_all(tt::load_npy<double>(g, d + "int.npy", tt::Block{1, 2})) == ints);
  REQUIRE(gather_all(tt::load_npy<std::complex<double>>(g, d + "int.npy")) == ints.cast<std::complex<double>>());
  require_throws_everywhere<tt::FormatError>(
      [&] { tt::load_npy<float>(g, d + "int.npy"); },
      "dtype <i8 (read as <f8) does not convert losslessly to the requested <f4");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_npy<double>(g, d + "big_endian.npy"); },
                                             "wrong dtype '>i8'");
  // 1-D files say so, and an n x 1 matrix can be written back 1-D
  REQUIRE(tt::npy_info(g, d + "vec.npy").ndim == 1);
  REQUIRE(tt::npy_info(g, d + "v2.npy").ndim == 2);
  tt::save_npy(tt::load_npy<double>(g, d + "vec.npy", tt::Block{2, 2}), d + "vec_back.npy", {.one_d = true});
  REQUIRE(tt::npy_info(g, d + "vec_back.npy").ndim == 1);
  REQUIRE(gather_all(tt::load_npy<double>(g, d + "vec_back.npy")) == reference<double>(11, 1));
  require_throws_everywhere<tt::InvalidArgument>(
      [&] { tt::save_npy(tt::zeros<double>(g, 3, 2), d + "x.npy", {.one_d = true}); }, "one_d needs an n x 1");
}

TEST_CASE(".npy bad files: missing, not npy, truncated, bad header") {
  tt::Grid g(test_comm());
  const std::string d = scratch() + "/";
  require_throws_everywhere<tt::IoError>([&] { tt::load_npy<double>(g, d + "missing.npy"); },
                                         "cannot open '" + d + "missing.npy'");
  write_text(d + "text.npy", "hello, world\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_npy<double>(g, d + "text.npy"); }, "not an .npy file");
  tt::save_npy(tt::random<double>(g, 20, 20, 1), d + "full.npy");
  if (test_rank() == 0) std::filesystem::resize_file(d + "full.npy", std::filesystem::file_size(d + "full.npy") - 8);
  MPI_Barrier(test_comm());
  require_throws_everywhere<tt::FormatError>([&] { tt::load_npy<double>(g, d + "full.npy"); },
                                             "truncated: 20x20 <f8 needs");
  write_text(d + "hdr.npy", std::string("\x93NUMPY\x01\x00\x24\x00{'descr': '<f8', 'shape': (2, 2), }\n", 46));
  require_throws_everywhere<tt::FormatError>([&] { tt::load_npy<double>(g, d + "hdr.npy"); }, "no 'fortran_order'");
  require_throws_everywhere<tt::IoError>([&] { tt::save_npy(tt::zeros<double>(g, 2, 2), d + "no/such/dir/x.npy"); },
                                         "cannot create");
}

TEMPLATE_TEST_CASE("Matrix Market round trips and scipy interop", "", TARTAN_TYPES) {
  using T = TestType;
  const std::string path = scratch() + "/rt.mtx";
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    auto A = tt::random<T>(g, 23, 9, 8, tt::Block{4, 4});
    tt::save_mtx(A, path);
    auto B = tt::load_mtx<T>(g, path, tt::Block{3, 5});
    REQUIRE(gather_all(B) == gather_all(A));  // %.17g / %.9g round-trip exactly
  }
  tt::Grid g(test_comm());
  tt::save_mtx(tt::from_eigen(g, reference<T>(9, 6), 0), path);
  REQUIRE(on_root(helper() + "check " + path + " mtx 9 6 '" + dtype<T>() + "'") == 0);
}

TEST_CASE("Matrix Market files written by scipy: every format, field and symmetry") {
  REQUIRE(on_root(helper() + "write-mtx " + scratch()) == 0);
  tt::Grid g(test_comm());
  const std::string d = scratch() + "/";
  using M = Mat<double>;
  const M a = reference<double>(9, 9);
  const double tol = 1e-12;
  REQUIRE((gather_all(tt::load_mtx<double>(g, d + "general.mtx")) - reference<double>(9, 6)).norm() < tol);
  REQUIRE((gather_all(tt::load_mtx<double>(g, d + "coo.mtx", tt::Block{2, 2})) - reference<double>(9, 6)).norm() < tol);
  REQUIRE((gather_all(tt::load_mtx<double>(g, d + "sym.mtx")) - M(a + a.transpose())).norm() < tol);
  REQUIRE((gather_all(tt::load_mtx<double>(g, d + "symcoo.mtx", tt::Block{4, 4})) - M(a + a.transpose())).norm() < tol);
  REQUIRE((gather_all(tt::load_mtx<double>(g, d + "skew.mtx", tt::Block{2, 3})) - M(a - a.transpose())).norm() < tol);
  const Mat<std::complex<double>> c = reference<std::complex<double>>(9, 9);
  REQUIRE(
      (gather_all(tt::load_mtx<std::complex<double>>(g, d + "herm.mtx")) - Mat<std::complex<double>>(c + c.adjoint()))
          .norm() < tol);
  M ints(4, 3);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) ints(i, j) = 3 * i + j;
  REQUIRE(gather_all(tt::load_mtx<double>(g, d + "int.mtx")) == ints);
  REQUIRE(gather_all(tt::load_mtx<float>(g, d + "pattern.mtx")) ==
          Mat<float>(Mat<float>::Identity(5, 5).rowwise().reverse()));
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "herm.mtx"); },
                                             "the file holds complex values, the matrix is real");
}

TEST_CASE("Matrix Market bad files") {
  tt::Grid g(test_comm());
  const std::string d = scratch() + "/";
  require_throws_everywhere<tt::IoError>([&] { tt::load_mtx<double>(g, d + "missing.mtx"); }, "cannot open");
  write_text(d + "b1.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n4 1 2.0\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b1.mtx"); },
                                             "line 4: entry out of range: (4, 1) in a 3x3 matrix");
  write_text(d + "b2.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 3\n1 1 1.0\n2 2 2.0\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b2.mtx"); },
                                             "truncated: expected 3 entries, found 2");
  write_text(d + "b3.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 1 1.0\n2 2 2.0\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b3.mtx"); }, "count mismatch");
  write_text(d + "b4.mtx", "%%MatrixMarket vector coordinate real general\n3 3 1\n1 1 1.0\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b4.mtx"); }, "bad header");
  write_text(d + "b5.mtx", "%%MatrixMarket matrix array real general\n2 2\n1\n2\nx\n4\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b5.mtx"); }, "line 5: bad entry 'x'");
  write_text(d + "b6.mtx", "%%MatrixMarket matrix coordinate real symmetric\n3 2 1\n1 1 1.0\n");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b6.mtx"); },
                                             "expected a square matrix");
  write_text(d + "b7.mtx", "");
  require_throws_everywhere<tt::FormatError>([&] { tt::load_mtx<double>(g, d + "b7.mtx"); }, "the file is empty");
}
