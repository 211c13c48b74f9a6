// Loads each file named on the command line (.npy or .mtx) as complex<double>, which every
// dtype converts to, and prints on rank 0 one line per file: "OK m n checksum" or
// "ERR <error type> <message>". The file fuzz tests compare these lines with numpy/scipy.

#include <cmath>
#include <cstdio>
#include <string>

#include "tartan/tartan.hpp"

namespace tt = tartan;

int main(int argc, char** argv) {
  tt::Environment env(argc, argv);
  tt::Grid g;
  for (int i = 1; i < argc; ++i) {
    const std::string path = argv[i];
    std::string line;
    try {
      const bool npy = path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
      auto A = npy ? tt::load_npy<std::complex<double>>(g, path, tt::Block{3, 2})
                   : tt::load_mtx<std::complex<double>>(g, path, tt::Block{3, 2});
      const auto M = tt::to_eigen(A, 0);
      double sum = 0;  // sum of |re| + |im|, NaN and Inf counted as 1e300
      for (Eigen::Index k = 0; k < M.size(); ++k)
        for (double v : {M.data()[k].real(), M.data()[k].imag()}) sum += std::isfinite(v) ? std::abs(v) : 1e300;
      char buf[128];
      std::snprintf(buf, sizeof buf, "OK %lld %lld %.17g", static_cast<long long>(A.rows()),
                    static_cast<long long>(A.cols()), sum);
      line = buf;
    } catch (const tt::FormatError& e) {
      line = std::string("ERR FormatError ") + e.what();
    } catch (const tt::IoError& e) {
      line = std::string("ERR IoError ") + e.what();
    } catch (const tt::Error& e) {
      line = std::string("ERR Error ") + e.what();
    }
    for (auto& c : line)
      if (c == '\n') c = ' ';
    if (g.rank() == 0) std::printf("%s\n", line.c_str());
  }
  return 0;
}
