"""Tartan against numpy/scipy on one node, same data, same cores, in one run.

    mpirun --bind-to none -np 1 /usr/bin/python3 bench/python/vs_numpy.py --n 2000,4000
    mpirun --bind-to none -np 2 /usr/bin/python3 bench/python/vs_numpy.py --n 2000,4000

numpy runs on rank 0 with as many BLAS threads as the node's ranks have together (the other
ranks sleep meanwhile, off the cores); Tartan runs on every rank with the threads its
Environment chose (cores / ranks). Both call the same OpenBLAS library. The two alternate
rep by rep and the best of --reps counts. ratio = numpy time / Tartan time: above 1, Tartan
is faster. Each pair computes the same thing:

    gemm      A @ B                              tartan A @ B
    lu        scipy.linalg.lu_factor(A)          tartan.linalg.lu_factor(A)
    cholesky  numpy.linalg.cholesky(A)           tartan.linalg.cholesky(A)
    qr        numpy.linalg.qr(A)   (Q and R)     tartan.linalg.qr(A)
    eigh      numpy.linalg.eigh(A) (pairs)       tartan.linalg.eigh(A)
    svd       numpy.linalg.svd(A, full_matrices=False)   tartan.linalg.svd(A)
    solve     numpy.linalg.solve(A, b)           tartan.linalg.solve(A, b)
    expm      scipy.linalg.expm(A)               tartan.linalg.expm(A)
    eig       numpy.linalg.eig(A)                tartan.linalg.eig(A)
    sqrtm     scipy.linalg.sqrtm(A)              tartan.linalg.sqrtm(A)
    logm      scipy.linalg.logm(A)               tartan.linalg.logm(A)
    polar     scipy.linalg.polar(A)              tartan.linalg.polar(A)

expm's A is scaled to spectral radius about 1; sqrtm's and logm's is that plus 2 I (its
spectrum in the disk |z - 2| <= 1, where both principal functions exist).
"""

import argparse
import ctypes
import os
import time

import numpy as np
import scipy.linalg
from mpi4py import MPI

import tartan

comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size


def openblas():
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_set_num_threads.argtypes = [ctypes.c_int]
            return lib
        except OSError:
            continue
    return None


def sleep_until_done(req):
    # A blocking MPI wait would spin on a core numpy needs.
    while not req.Test():
        time.sleep(0.002)


def time_numpy(f, threads, lib, mine):
    """f on rank 0 with `threads` BLAS threads, the others asleep; returns rank 0's time."""
    comm.Barrier()
    t = 0.0
    if rank == 0:
        if lib:
            lib.openblas_set_num_threads(threads)
        t0 = time.perf_counter()
        f()
        t = time.perf_counter() - t0
        if lib:
            lib.openblas_set_num_threads(mine)
        comm.Ibarrier().Wait()
    else:
        sleep_until_done(comm.Ibarrier())
    return comm.bcast(t, root=0)


def time_tartan(f):
    comm.Barrier()
    t0 = time.perf_counter()
    r = f()
    t = time.perf_counter() - t0
    del r
    return comm.allreduce(t, op=MPI.MAX)


def problem(op, n):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, n))
    if op in ("cholesky", "eigh"):
        a = a @ a.T + n * np.eye(n)
    if op == "expm":
        a = a / np.sqrt(n)  # spectral radius about 1, ||a||_1 about 0.8 sqrt(n): degree 13 with squarings
    if op in ("sqrtm", "logm"):
        a = a / np.sqrt(n) + 2 * np.eye(n)  # spectrum in the disk |z - 2| <= 1, off the negative axis
    return np.asfortranarray(a), np.asfortranarray(rng.standard_normal((n, n)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", default="2000")
    p.add_argument("--ops", default="gemm,lu,cholesky,qr,eigh,svd")
    p.add_argument("--reps", type=int, default=3)
    args = p.parse_args()
    lib = openblas()
    g = tartan.Grid(comm)
    mine = tartan.blas_threads
    node_threads = comm.allreduce(mine, op=MPI.SUM)
    if rank == 0:
        print(f"vs_numpy: numpy {np.__version__}, scipy {scipy.__version__}; numpy on {node_threads} BLAS threads; "
              f"Tartan {size} ranks x {mine} threads on a {g.shape[0]}x{g.shape[1]} grid")
        print(f"{'op':9s} {'n':>6s} {'numpy_s':>10s} {'tartan_s':>10s} {'ratio':>7s} {'first_rat':>9s}")
    for n in [int(x) for x in args.n.split(",")]:
        for op in args.ops.split(","):
            a, b = problem(op, n)
            A, B = tartan.from_numpy(a, g), tartan.from_numpy(b, g)
            bcol = b[:, :1].copy()
            Bc = tartan.from_numpy(bcol, g)
            np_f = {
                "gemm": lambda: a @ b,
                "lu": lambda: scipy.linalg.lu_factor(a, check_finite=False),
                "cholesky": lambda: np.linalg.cholesky(a),
                "qr": lambda: np.linalg.qr(a),
                "eigh": lambda: np.linalg.eigh(a),
                "svd": lambda: np.linalg.svd(a, full_matrices=False),
                "solve": lambda: np.linalg.solve(a, bcol),
                "expm": lambda: scipy.linalg.expm(a),
                "eig": lambda: np.linalg.eig(a),
                "sqrtm": lambda: scipy.linalg.sqrtm(a),
                "logm": lambda: scipy.linalg.logm(a),
                "polar": lambda: scipy.linalg.polar(a),
            }[op]
            tt_f = {
                "gemm": lambda: A @ B,
                "lu": lambda: tartan.linalg.lu_factor(A, check_finite=False),
                "cholesky": lambda: tartan.linalg.cholesky(A, check_finite=False),
                "qr": lambda: tartan.linalg.qr(A, check_finite=False),
                "eigh": lambda: tartan.linalg.eigh(A),
                "svd": lambda: tartan.linalg.svd(A, check_finite=False),
                "solve": lambda: tartan.linalg.solve(A, Bc, check_finite=False),
                "expm": lambda: tartan.linalg.expm(A),
                "eig": lambda: tartan.linalg.eig(A),
                "sqrtm": lambda: tartan.linalg.sqrtm(A),
                "logm": lambda: tartan.linalg.logm(A),
                "polar": lambda: tartan.linalg.polar(A),
            }[op]
            tn, tt, first = 1e300, 1e300, None
            for _ in range(args.reps):
                tn = min(tn, time_numpy(np_f, node_threads, lib, mine))
                t = time_tartan(tt_f)
                first = t if first is None else first
                tt = min(tt, t)
            if rank == 0:
                print(f"{op:9s} {n:6d} {tn:10.4f} {tt:10.4f} {tn / tt:7.3f} {tn / first:9.3f}", flush=True)
            del A, B, Bc
    if rank == 0:
        print("ratio = numpy time / Tartan time, best of each (above 1: Tartan faster); first_rat = the same for "
              "Tartan's first call")


if __name__ == "__main__":
    main()
