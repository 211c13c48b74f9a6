// ScaLAPACK alone (no libtartan but its ?gemv guard): complex p?gebrd on a P x 1 grid, the
// reduction under every complex SVD. AddressSanitizer stopped in pzgebrd there, through
// libtartan; libtartan since reduces complex matrices on a 1 x P grid of the same processes
// (gebrd_needs_row_grid, lib/kernels/svd.hpp).
//
// Run without lib/bindings/blas_guard.cpp, this program faults now and then inside
// OpenBLAS's zgemv_n (called by pzgemv from pzlabrd): the over-read that guard exists for.
// Linked with the guard, as here, it must run clean under the sanitizers at 2, 3 and 4
// ranks. Built and run by the sanitize tier (tests/README.md).
//
//   mpirun -n 2 build/sanitize/tests/gebrd_px1      (exits 0 when every size ran cleanly)

#include <mpi.h>

#include <complex>
#include <cstdio>
#include <vector>

using Z = std::complex<double>;

extern "C" {
int Csys2blacs_handle(MPI_Comm comm);
void Cblacs_gridinit(int* ctxt, const char* order, int nprow, int npcol);
void Cblacs_gridinfo(int ctxt, int* nprow, int* npcol, int* myrow, int* mycol);
void Cblacs_gridexit(int ctxt);
int numroc_(const int* n, const int* nb, const int* iproc, const int* isrc, const int* nprocs);
void descinit_(int* desc, const int* m, const int* n, const int* mb, const int* nb, const int* irsrc, const int* icsrc,
               const int* ictxt, const int* lld, int* info);
void pzgebrd_(const int* m, const int* n, Z* a, const int* ia, const int* ja, const int* desca, double* d, double* e,
              Z* tauq, Z* taup, Z* work, const int* lwork, int* info);
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int size = 0, rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int ctxt = Csys2blacs_handle(MPI_COMM_WORLD), P = 0, Q = 0, myrow = 0, mycol = 0;
  Cblacs_gridinit(&ctxt, "Row", size, 1);
  Cblacs_gridinfo(ctxt, &P, &Q, &myrow, &mycol);
  int failures = 0;
  const int zero = 0, one = 1;
  for (int nb : {4, 64}) {
    for (int n : {2, 3, 17, 63, 64, 65, 100, 129}) {
      const int lr = numroc_(&n, &nb, &myrow, &zero, &P), lc = numroc_(&n, &nb, &mycol, &zero, &Q);
      const int lld = lr > 1 ? lr : 1;
      int desc[9], info = 0;
      descinit_(desc, &n, &n, &nb, &nb, &zero, &zero, &ctxt, &lld, &info);
      std::vector<Z> a(std::size_t(lld) * std::size_t(lc > 0 ? lc : 1));
      for (int j = 0; j < lc; ++j)  // deterministic, different on every process
        for (int i = 0; i < lr; ++i)
          a[std::size_t(i) + std::size_t(j) * std::size_t(lld)] = Z(1.0 / (1 + i + j + rank), 0.5 * ((i * 7 + j) % 5));
      std::vector<double> d(std::size_t(lc + 1)), e(std::size_t(lc + 1));
      std::vector<Z> tauq(std::size_t(lc + 1)), taup(std::size_t(lr + 1)), work(1);
      int lwork = -1;
      pzgebrd_(&n, &n, a.data(), &one, &one, desc, d.data(), e.data(), tauq.data(), taup.data(), work.data(), &lwork,
               &info);
      lwork = int(work[0].real()) + 1;
      work.assign(std::size_t(lwork), Z());
      pzgebrd_(&n, &n, a.data(), &one, &one, desc, d.data(), e.data(), tauq.data(), taup.data(), work.data(), &lwork,
               &info);
      if (info != 0) ++failures;
      if (rank == 0) std::printf("pzgebrd %dx%d nb %d on %dx1: info %d\n", n, n, nb, P, info);
    }
  }
  Cblacs_gridexit(ctxt);
  int all = 0;
  MPI_Allreduce(&failures, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  MPI_Finalize();
  return all == 0 ? 0 : 1;
}
