"""Python-side overhead of tartan.linalg.solve: the Python half of the comparison; the C++
half is build/bench/overhead_cpp, the same solve on the same generated system timed the same
way. Run both alternately and compare the best times:

    mpirun -np 2 python3 bench/python/overhead.py 2000 5
    mpirun -np 2 build/bench/overhead_cpp 2000 5
"""

import sys
import time

from mpi4py import MPI

import tartan

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
comm = MPI.COMM_WORLD
g = tartan.Grid(comm)
A = tartan.random(g, n, n, seed=1)
B = tartan.random(g, n, 1, seed=2)
best = 1e300
for _ in range(reps):
    comm.Barrier()
    t = time.perf_counter()
    X = tartan.linalg.solve(A, B)
    comm.Barrier()
    best = min(best, time.perf_counter() - t)
    del X
if comm.rank == 0:
    print(f"python tartan.linalg.solve n={n} grid {g.shape[0]}x{g.shape[1]}: best of {reps} {best:.4f} s")
