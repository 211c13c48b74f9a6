// Least squares on one process: LAPACK's ?gelsd for problems too small to distribute.

#include "kernels/lstsq.hpp"

#include <cmath>
#include <string>

#include "bindings/lapack.hpp"
#include "bindings/reports.hpp"
#include "core/agree.hpp"
#include "core/instantiate.hpp"
#include "tartan/create.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

template <class T>
LeastSquares<T> gelsd_serial(const DistMatrix<T>& A, const DistMatrix<T>& B, double rcond, const char* func) {
  using R = real_t<T>;
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const Grid& g = A.grid();
  const int m = static_cast<int>(A.rows()), n = static_cast<int>(A.cols()), nrhs = static_cast<int>(B.cols());
  const int k = std::min(m, n);
  Mat a = to_eigen(A, 0), b = to_eigen(B, 0), x;
  LeastSquares<T> out{DistMatrix<T>(g, 0, 0), std::vector<R>(static_cast<std::size_t>(k)), 0, {}};
  int head[2] = {0, 0};  // info, rank
  {
    ReportScope scope;
    collectively(g.comm(), [&] {
      if (g.rank() != 0) return;
      Mat bx = Mat::Zero(std::max({m, n, 1}), nrhs);
      bx.topRows(m) = b;
      head[0] = lapack::gelsd(m, n, nrhs, a.data(), std::max(m, 1), bx.data(), static_cast<int>(bx.rows()),
                              out.s.data(), static_cast<R>(rcond), &head[1]);
      x = bx.topRows(n);
      if (head[0] == 0 && head[1] == n && m > n)
        for (int j = 0; j < nrhs; ++j) out.residuals.push_back(bx.col(j).segment(n, m - n).squaredNorm());
    });
    MPI_Bcast(head, 2, MPI_INT, 0, g.comm());
    agreed_info(g, g.rank() == 0 ? head[0] : 0, func, "LAPACK ?gelsd", describe(A));
  }
  if (head[0] > 0)
    throw NoConvergence(std::string(func) + ": the SVD did not converge (INFO = " + std::to_string(head[0]) + ")");
  if (k > 0) MPI_Bcast(out.s.data(), k, mpi_type<R>(), 0, g.comm());
  out.rank = head[1];
  int nres = static_cast<int>(out.residuals.size());
  MPI_Bcast(&nres, 1, MPI_INT, 0, g.comm());
  out.residuals.resize(static_cast<std::size_t>(nres));
  if (nres > 0) MPI_Bcast(out.residuals.data(), nres, mpi_type<R>(), 0, g.comm());
  out.x = from_eigen(g, x, 0, Block{A.block().nb, B.block().nb});
  return out;
}

#define TARTAN_INSTANTIATE(T) \
  template LeastSquares<T> gelsd_serial<T>(const DistMatrix<T>&, const DistMatrix<T>&, double, const char*);
TARTAN_FOR_EACH_SCALAR(TARTAN_INSTANTIATE)

}  // namespace tartan::detail
