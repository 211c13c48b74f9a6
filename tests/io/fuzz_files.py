"""Mutated .npy and Matrix Market files: Tartan must refuse every file numpy.load or
scipy.io.mmread refuses, and read the others with their shape and values (or refuse them
with a FormatError), never with another shape.

usage: fuzz_files.py <scratch dir> <mpiexec> <ranks> <file_probe>
"""
import io
import os
import random
import struct
import subprocess
import sys

import numpy as np
import scipy.io

d, mpiexec, ranks, probe = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
os.makedirs(d, exist_ok=True)
rng = random.Random(7)


def npy_bytes(arr, version=(1, 0)):
    f = io.BytesIO()
    np.lib.format.write_array(f, arr, version=version)
    return f.getvalue()


def with_header(header, body, major=1):
    """An .npy file with the given header text (padded as numpy pads) and raw body."""
    h = header.encode("latin1")
    pre = 10 if major == 1 else 12
    pad = (64 - (pre + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    length = struct.pack("<H", len(h)) if major == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([major, 0]) + length + h + body


cases = {}
base = np.arange(20 * 20, dtype="<f8").reshape(20, 20) / 7.0
body = base.T.tobytes()  # Fortran order data
good = "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20), }"
cases["good.npy"] = with_header(good, body)
headers = [
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20.5, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20), }}",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20),,,, }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20), } junk",
    "{'descr': '<f8', 'fortran_order': TrueX, 'shape': (20, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20)",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (0x14, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (-20, 20), }",
    "{'descr': '<f8', 'fortran_order': 1, 'shape': (20, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': [20, 20], }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20), 'extra': 1}",
    "{'descr': '<f8', 'fortran_order': True}",
    "{'descr': '<f8', 'shape': (20, 20), 'fortran_order': True}",
    "{\"descr\": \"<f8\", \"fortran_order\": True, \"shape\": (20, 20)}",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (400,), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (400), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 10, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (), }",
    "{'descr': '>f8', 'fortran_order': True, 'shape': (20, 20), }",
    "{'descr': '<i8', 'fortran_order': True, 'shape': (20, 20), }",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (20, 20), }",
    "{'descr': '<f4', 'fortran_order': True, 'shape': (20, 20), }",
    "{'descr': '<c16', 'fortran_order': True, 'shape': (10, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 21), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (1_0, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (020, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (+20, 20), }",
    "{'descr': '<f8',\t'fortran_order':\nTrue, 'shape': ( 20 , 20 ) }",
    "  {'descr': '<f8', 'fortran_order': True, 'shape': (20, 20)}",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20), } # comment",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, True), }",
    "{'descr': '<f8' 'fortran_order': True, 'shape': (20, 20), }",
    "{'descr': '<f8', 'fortran_order': True, 'shape': (20, 20) 'x': 1}",
    "{'descr': '<f8', 'descr': '<f8', 'fortran_order': True, 'shape': (20, 20)}",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (18446744073709551616, 1), }",
    "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967297), }",
]
for k, h in enumerate(headers):
    cases[f"hdr{k:02d}.npy"] = with_header(h, body)
cases["v2.npy"] = npy_bytes(base, (2, 0))
cases["v3.npy"] = npy_bytes(base, (3, 0))
cases["c_order.npy"] = npy_bytes(np.ascontiguousarray(base))
cases["vec.npy"] = npy_bytes(np.arange(11.0))
cases["empty_file.npy"] = b""
cases["magic_only.npy"] = b"\x93NUMPY"
cases["bad_version.npy"] = b"\x93NUMPY\x04\x00" + cases["good.npy"][8:]
cases["minor1.npy"] = b"\x93NUMPY\x01\x01" + cases["good.npy"][8:]
cases["huge_hlen.npy"] = b"\x93NUMPY\x02\x00" + struct.pack("<I", 200000) + b"{" * 200000
cases["truncated_data.npy"] = cases["good.npy"][:-9]
cases["truncated_header.npy"] = cases["good.npy"][:40]
# random mutations of the good file's header: flipped, deleted and inserted bytes
g = cases["good.npy"]
hstart, hend = 10, 10 + struct.unpack("<H", g[8:10])[0]
for k in range(150):
    b = bytearray(g)
    kind = k % 3
    pos = rng.randrange(hstart, hend)
    if kind == 0:
        b[pos] = rng.randrange(256)
    elif kind == 1:
        b[pos] = ord(rng.choice(" ,:'\"(){}0123456789xTFe.-+_#\t\n"))
    else:
        b[pos:pos + 1] = b""
        b[hend - 1:hend - 1] = b" "  # keep the header length
    cases[f"mut{k:03d}.npy"] = bytes(b)

# Matrix Market
mm = {
    "good.mtx": "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.5\n3 2 -2e3\n",
    "nan.mtx": "%%MatrixMarket matrix array real general\n2 1\nnan\n-inf\n",
    "junk.mtx": "%%MatrixMarket matrix array real general\n2 1\n2.0xyz\n1\n",
    "hex.mtx": "%%MatrixMarket matrix array real general\n2 1\n0x1p3\n1\n",
    "nul.mtx": "%%MatrixMarket matrix array real general\n2 1\n1\x002\n1\n",
    "extra_field.mtx": "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 1 1.0 7\n",
    "neg_index.mtx": "%%MatrixMarket matrix coordinate real general\n3 3 1\n-9223372036854775808 1 1.0\n",
    "zero_index.mtx": "%%MatrixMarket matrix coordinate real general\n3 3 1\n0 1 1.0\n",
    "huge_array.mtx": "%%MatrixMarket matrix array real general\n4294967296 4294967297\n",
    "bad_count.mtx": "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n",
    "too_many.mtx": "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 1 1.0\n2 2 2.0\n",
    "float_size.mtx": "%%MatrixMarket matrix array real general\n2.5 1\n1\n2\n",
    "complex.mtx": "%%MatrixMarket matrix array complex general\n2 1\n1 2\n3 4\n",
    "sym.mtx": "%%MatrixMarket matrix coordinate real symmetric\n2 2 2\n1 1 1\n2 1 5\n",
    "upper_sym.mtx": "%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 2 5\n",
    "comments.mtx": "%%MatrixMarket matrix coordinate integer general\n% hi\n\n2 2 1\n% x\n2 2 7\n",
    "fortran_d.mtx": "%%MatrixMarket matrix array real general\n1 1\n1.5d2\n",
    "missing_value.mtx": "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\n",
}
for k, v in mm.items():
    cases[k] = v.encode("latin1")

names = sorted(cases)
for n in names:
    with open(os.path.join(d, n), "wb") as f:
        f.write(cases[n])


def reference(path):
    try:
        a = np.load(path) if path.endswith(".npy") else scipy.io.mmread(path)
        if hasattr(a, "toarray"):
            a = a.toarray()
        a = np.asarray(a)
        if a.ndim == 1:
            a = a.reshape(-1, 1)
        if a.ndim != 2 or a.dtype.kind not in "fciub":
            return ("ERR", None)
        c = a.astype(np.complex128)
        s = np.where(np.isfinite(c.real), np.abs(c.real), 1e300).sum() + np.where(np.isfinite(c.imag), np.abs(c.imag), 1e300).sum()
        return ("OK", (a.shape[0], a.shape[1], float(s)))
    except Exception:  # numpy / scipy refused it
        return ("ERR", None)


out = subprocess.run([mpiexec, "--oversubscribe", "--timeout", "300", "-n", ranks, probe] +
                     [os.path.join(d, n) for n in names], capture_output=True, text=True, timeout=400)
lines = [l for l in out.stdout.splitlines() if l.startswith(("OK", "ERR"))]
if len(lines) != len(names):
    print(out.stdout[-3000:], out.stderr[-3000:])
    sys.exit(f"FAILED: {len(lines)} answers for {len(names)} files")
bad = refused_more = 0
for n, line in zip(names, lines):
    kind, want = reference(os.path.join(d, n))
    got = line.split(" ", 3)
    if kind == "ERR":
        if got[0] != "ERR":
            print(f"FAILED {n}: numpy/scipy refuse it, Tartan read {line}")
            bad += 1
        elif got[1] not in ("FormatError", "IoError"):
            print(f"FAILED {n}: refused with {got[1]}, expected FormatError or IoError")
            bad += 1
    elif got[0] == "OK":
        m, k, s = int(got[1]), int(got[2]), float(got[3])
        if (m, k) != want[:2] or abs(s - want[2]) > 1e-9 * max(1.0, abs(want[2])):
            print(f"FAILED {n}: Tartan read {m}x{k} sum {s}, numpy/scipy {want}")
            bad += 1
    else:
        if got[1] != "FormatError":
            print(f"FAILED {n}: numpy/scipy read it, Tartan refused it with {got[1]}: {line}")
            bad += 1
        refused_more += 1
print(f"{len(names)} files: {bad} failures; {refused_more} read by numpy/scipy but refused by Tartan (FormatError)")
sys.exit(1 if bad else 0)
