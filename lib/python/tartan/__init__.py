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
from ._core import (DistMatrix, Grid, blas_threads, from_function, from_numpy, identity, load_mtx,
                    load_npy, random, redistribute, save_mtx, save_npy, version, zeros)
from . import linalg

__version__ = version
__all__ = ["DistMatrix", "Grid", "zeros", "identity", "random", "from_function", "from_numpy",
           "load_npy", "save_npy", "load_mtx", "save_mtx", "redistribute", "linalg", "blas_threads"] + list(_error_names)
