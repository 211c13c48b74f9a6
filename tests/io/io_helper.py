"""numpy/scipy side of the file tests: writes reference files and checks Tartan's.

The reference matrix is a[i, j] = (i + 1) + (j + 1) / 1000, with imaginary part
(i - j) / 7 for complex dtypes; the symmetric flavours are built from it.
"""
import sys

import numpy as np
import scipy.io


def ref(m, n, dtype):
    i, j = np.meshgrid(np.arange(m), np.arange(n), indexing="ij")
    a = (i + 1) + (j + 1) / 1000.0
    if np.dtype(dtype).kind == "c":
        a = a + 1j * ((i - j) / 7.0)
    return a.astype(dtype)


def write_npy(d):
    for dt in ["<f4", "<f8", "<c8", "<c16"]:
        a = ref(13, 7, dt)
        np.save(f"{d}/c_{dt[1:]}.npy", np.ascontiguousarray(a))
        np.save(f"{d}/f_{dt[1:]}.npy", np.asfortranarray(a))
    np.save(f"{d}/vec.npy", ref(11, 1, "<f8")[:, 0])
    with open(f"{d}/v2.npy", "wb") as f:
        np.lib.format.write_array(f, ref(5, 4, "<f8"), version=(2, 0))
    np.save(f"{d}/int.npy", np.arange(6, dtype="<i8").reshape(2, 3))
    np.save(f"{d}/big_endian.npy", np.arange(6, dtype=">i8"))


def write_mtx(d):
    a = ref(9, 9, "<f8")
    scipy.io.mmwrite(f"{d}/general.mtx", ref(9, 6, "<f8"))
    scipy.io.mmwrite(f"{d}/sym.mtx", a + a.T, symmetry="symmetric")
    scipy.io.mmwrite(f"{d}/skew.mtx", a - a.T, symmetry="skew-symmetric")
    c = ref(9, 9, "<c16")
    scipy.io.mmwrite(f"{d}/herm.mtx", c + c.conj().T, symmetry="hermitian")
    scipy.io.mmwrite(f"{d}/coo.mtx", scipy.sparse.coo_matrix(ref(9, 6, "<f8")))
    scipy.io.mmwrite(f"{d}/symcoo.mtx", scipy.sparse.coo_matrix(a + a.T), symmetry="symmetric")
    scipy.io.mmwrite(f"{d}/int.mtx", np.arange(12).reshape(4, 3), field="integer")
    p = scipy.sparse.coo_matrix(np.eye(5)[:, ::-1])
    scipy.io.mmwrite(f"{d}/pattern.mtx", p, field="pattern")


def check(path, kind, m, n, dt):
    a = np.load(path) if kind == "npy" else np.asarray(scipy.io.mmread(path))
    want = ref(m, n, dt)
    if a.shape != want.shape:
        print(f"shape {a.shape}, expected {want.shape}")
        return 1
    if kind == "npy" and a.dtype != np.dtype(dt):
        print(f"dtype {a.dtype}, expected {dt}")
        return 1
    if not np.allclose(a, want, rtol=1e-6 if dt in ("<f4", "<c8") else 1e-15):
        print("values differ")
        return 1
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "write-npy":
        write_npy(sys.argv[2])
    elif cmd == "write-mtx":
        write_mtx(sys.argv[2])
    elif cmd == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]))
