"""Tartan: dense linear algebra on matrices distributed over MPI ranks, with numpy's and
scipy's names and failure semantics.

    from mpi4py import MPI
    import numpy as np, tartan
    g = tartan.Grid(MPI.COMM_WORLD)
    A = tartan.from_numpy(a if MPI.COMM_WORLD.rank == 0 else None, g)
    x = tartan.linalg.solve(A, tartan.from_numpy(b if g.rank == 0 else None, g))
    print(x.to_numpy())                 # numpy array on rank 0, None elsewhere

Run as `mpirun -np 4 python3 script.py`. Every call on a distributed matrix is collective:
each rank must make the same calls in the same order (the GIL is released while Tartan
works). Errors are raised on every rank alike.
"""

from mpi4py import MPI as _MPI  # noqa: F401  (MPI is initialized by mpi4py, before Tartan)

from ._errors import *  # noqa: F401,F403
from ._errors import __all__ as _error_names
from ._core import (DistMatrix, Grid, blas_threads, diag, from_function, from_numpy, hstack, identity, load_mtx,
                    load_npy, random, redistribute, save_mtx, save_npy, trace, tril, triu, version, vstack)
from ._core import zeros as _zeros
from . import linalg

__version__ = version
__all__ = ["DistMatrix", "Grid", "zeros", "identity", "eye", "random", "from_function", "from_numpy",
           "load_npy", "save_npy", "load_mtx", "save_mtx", "redistribute", "linalg", "blas_threads", "diag",
           "trace", "triu", "tril", "hstack", "vstack"] + list(_error_names)


def _shape(name, m, n):
    if n is None:
        try:
            m, n = m
        except (TypeError, ValueError):
            raise InvalidArgument(f"tartan: {name}: shape is {m!r}, expected (m, n) or m, n") from None
    return int(m), int(n)


def zeros(grid, m, n=None, dtype="float64", block=None):
    """An m x n zero matrix: zeros(g, (m, n)) as numpy.zeros((m, n)), or zeros(g, m, n). Collective."""
    m, n = _shape("zeros", m, n)
    return _zeros(grid, m, n, dtype=dtype, block=block)


def eye(grid, N, M=None, k=0, dtype="float64", block=None):
    """numpy.eye(N, M, k): ones on the k-th diagonal (k > 0 above, k < 0 below). Collective."""
    M = N if M is None else M
    if k == 0 and M == N:
        return identity(grid, N, dtype=dtype, block=block)
    return from_function(grid, int(N), int(M), lambda i, j: (j - i == k).astype("float64"), dtype=dtype,
                         block=block)
