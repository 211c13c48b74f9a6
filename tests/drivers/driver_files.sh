#!/usr/bin/env bash
# The drivers on files: results checked against numpy/scipy, exit codes for numerical
# failures and bad input, and crash safety of --out under kill -9.
# usage: driver_files.sh <ranks> <build-dir> <python-with-numpy-scipy> <mpiexec>
set -uo pipefail
np=$1 build=$2 py=$3 mpiexec=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
run() { "$mpiexec" --oversubscribe --timeout 120 -n "$np" "$@"; }
fail() { echo "FAILED: $*"; exit 1; }
expect() {  # expect <code> <stderr-substring> <command...>
  local code=$1 text=$2; shift 2
  local out rc
  out=$(run "$@" 2>&1); rc=$?
  [[ $rc -eq $code ]] || fail "exit $rc, expected $code: $* :: $out"
  [[ $out == *"$text"* ]] || fail "no '$text' in output of $*: $out"
  [[ $out != *"MPI_ABORT"* ]] || fail "MPI abort banner from $*"
}

"$py" - "$d" <<'PY'
import sys, numpy as np, scipy.io
d = sys.argv[1]
rng = np.random.default_rng(3)
a = rng.uniform(-1, 1, (60, 60)); np.save(f"{d}/A.npy", a)
np.save(f"{d}/B.npy", rng.uniform(-1, 1, (60, 3)))
scipy.io.mmwrite(f"{d}/A.mtx", a)
s = a + a.T; np.save(f"{d}/S.npy", s)
sing = a.copy(); sing[:, 7] = 0; np.save(f"{d}/sing.npy", sing)
c = rng.uniform(-1, 1, (50, 50)) + 1j * rng.uniform(-1, 1, (50, 50))
h = c @ c.conj().T + 50 * np.eye(50); np.save(f"{d}/H.npy", h)            # Hermitian positive definite
np.save(f"{d}/Hf.npy", h.astype(np.complex64))
np.save(f"{d}/Bc.npy", rng.uniform(-1, 1, (50, 2)) + 1j * rng.uniform(-1, 1, (50, 2)))
scipy.io.mmwrite(f"{d}/H.mtx", h, symmetry="hermitian")
np.save(f"{d}/C.npy", c[:40, :30])
np.save(f"{d}/zero.npy", np.zeros((30, 20)))
np.save(f"{d}/B30.npy", rng.uniform(-1, 1, (30, 1)))
np.save(f"{d}/A32.npy", a.astype(np.float32))
np.save(f"{d}/nonsym.npy", np.triu(a) * 3 + np.eye(60))
np.save(f"{d}/rect.npy", rng.uniform(-1, 1, (40, 30)))
np.save(f"{d}/B40.npy", rng.uniform(-1, 1, (40, 2)))
PY

# Results agree with numpy/scipy.
run "$build/solvers/tartan-solve" --matrix "$d/A.npy" --rhs "$d/B.npy" --out "$d/X.npy" --nb 8 > "$d/log" || fail "solve: $(cat "$d/log")"
grep -q PASSED "$d/log" || fail "solve did not pass"
run "$build/solvers/tartan-solve" --matrix "$d/A.mtx" --rhs "$d/B.npy" --out "$d/X.mtx" --nb 5 > /dev/null || fail "solve mtx"
run "$build/solvers/tartan-solve" --matrix "$d/rect.npy" --rhs "$d/B40.npy" --method lstsq --out "$d/L.npy" > /dev/null || fail lstsq
run "$build/solvers/tartan-eig" --matrix "$d/S.npy" --values "$d/w.npy" --vectors "$d/V.npy" --nb 7 > /dev/null || fail eig
run "$build/solvers/tartan-eig" --matrix "$d/rect.npy" --svd --values "$d/s.npy" > /dev/null || fail svd
# Complex and single-precision problems are solved in the file's type and written in it.
run "$build/solvers/tartan-solve" --matrix "$d/H.npy" --method cholesky --rhs "$d/Bc.npy" --out "$d/Xc.npy" > "$d/log" \
  || fail "complex cholesky: $(cat "$d/log")"
grep -q "<c16" "$d/log" || fail "complex cholesky did not report <c16"
run "$build/solvers/tartan-solve" --matrix "$d/H.mtx" --method cholesky --out "$d/Xm.npy" > /dev/null || fail "complex mtx"
run "$build/solvers/tartan-solve" --matrix "$d/Hf.npy" --out "$d/Xf.npy" > /dev/null || fail "complex64 lu"
run "$build/solvers/tartan-solve" --matrix "$d/A32.npy" --rhs "$d/Bc.npy" --out "$d/Xp.npy" > /dev/null 2>&1 \
  && fail "a 60x60 A with a 50-row B was accepted"
run "$build/solvers/tartan-solve" --matrix "$d/A32.npy" --out "$d/X32.npy" > /dev/null || fail "float32 lu"
run "$build/solvers/tartan-solve" --matrix "$d/C.npy" --method lstsq --rhs "$d/Bc.npy" > /dev/null 2>&1 \
  && fail "a 40x30 A with a 50-row B was accepted"
run "$build/solvers/tartan-eig" --matrix "$d/H.npy" --values "$d/wh.npy" --vectors "$d/Vh.npy" > /dev/null || fail "complex eigh"
run "$build/solvers/tartan-eig" --matrix "$d/C.npy" --svd --values "$d/sc.npy" --vectors "$d/Uc.npy" > /dev/null || fail "complex svd"
# lstsq of a zero matrix: x = 0, as numpy, and the check passes
run "$build/solvers/tartan-solve" --matrix "$d/zero.npy" --rhs "$d/B30.npy" --method lstsq --out "$d/X0.npy" > "$d/log" \
  || fail "lstsq of a zero matrix: $(cat "$d/log")"
grep -q PASSED "$d/log" || fail "lstsq of a zero matrix did not pass"
# a failed check writes nothing: eigh of a non-symmetric matrix (its lower triangle is used)
expect 1 "check failed" "$build/solvers/tartan-eig" --matrix "$d/nonsym.npy" --values "$d/never.npy"
[[ ! -e "$d/never.npy" ]] || fail "an output was written although the check failed"
"$py" - "$d" <<'PY' || fail "complex and single-precision results differ from numpy"
import sys, numpy as np
d = sys.argv[1]
h, bc = np.load(f"{d}/H.npy"), np.load(f"{d}/Bc.npy")
x = np.load(f"{d}/Xc.npy")
assert x.dtype == np.complex128, x.dtype
assert np.allclose(x, np.linalg.solve(h, bc), atol=1e-10), "complex cholesky"
xm = np.load(f"{d}/Xm.npy"); assert xm.dtype == np.complex128 and xm.shape == (50, 1), (xm.dtype, xm.shape)
xf = np.load(f"{d}/Xf.npy"); assert xf.dtype == np.complex64, xf.dtype
x32 = np.load(f"{d}/X32.npy"); assert x32.dtype == np.float32, x32.dtype
w = np.load(f"{d}/wh.npy")[:, 0]; assert w.dtype == np.float64, w.dtype
assert np.allclose(w, np.linalg.eigvalsh(h), atol=1e-9), "complex eigvalsh"
v = np.load(f"{d}/Vh.npy"); assert v.dtype == np.complex128 and np.allclose(h @ v, v * w, atol=1e-8), "complex eigenvectors"
c = np.load(f"{d}/C.npy")
assert np.allclose(np.load(f"{d}/sc.npy")[:, 0], np.linalg.svd(c, compute_uv=False), atol=1e-10), "complex svdvals"
assert np.load(f"{d}/Uc.npy").dtype == np.complex128
assert np.all(np.load(f"{d}/X0.npy") == 0), "lstsq of zero"
PY

"$py" - "$d" <<'PY' || fail "results differ from numpy"
import sys, numpy as np, scipy.io
d = sys.argv[1]
a, b = np.load(f"{d}/A.npy"), np.load(f"{d}/B.npy")
ref = np.linalg.solve(a, b)
assert np.allclose(np.load(f"{d}/X.npy"), ref, atol=1e-10), "solve .npy"
assert np.allclose(np.asarray(scipy.io.mmread(f"{d}/X.mtx")), ref, atol=1e-10), "solve .mtx"
r, b40 = np.load(f"{d}/rect.npy"), np.load(f"{d}/B40.npy")
assert np.allclose(np.load(f"{d}/L.npy"), np.linalg.lstsq(r, b40, rcond=None)[0], atol=1e-10), "lstsq"
s = np.load(f"{d}/S.npy")
assert np.allclose(np.load(f"{d}/w.npy")[:, 0], np.linalg.eigvalsh(s), atol=1e-10), "eigvalsh"
v = np.load(f"{d}/V.npy"); w = np.load(f"{d}/w.npy")[:, 0]
assert np.allclose(s @ v, v * w, atol=1e-9), "eigenvectors"
assert np.allclose(np.load(f"{d}/s.npy")[:, 0], np.linalg.svd(r, compute_uv=False), atol=1e-10), "svdvals"
PY

# All outputs or none. Every output path is checked before any work: a missing folder, a
# folder in the file's place, or two outputs on one file fail at once with exit 2, and the
# outputs that could have been written are not. A run that fails later leaves the old
# files byte for byte, and no temporary behind.
cp "$d/w.npy" "$d/keep.npy"
keep=$(sha256sum < "$d/keep.npy")
expect 2 "--vectors '$d/nodir/V.npy': the folder '$d/nodir' does not exist" \
  "$build/solvers/tartan-eig" --matrix "$d/S.npy" --values "$d/w_new.npy" --vectors "$d/nodir/V.npy"
[[ ! -e "$d/w_new.npy" ]] || fail "--values was written although --vectors could not be"
expect 2 "--vectors '$d/./keep.npy': the same file as --values" \
  "$build/solvers/tartan-eig" --matrix "$d/S.npy" --values "$d/keep.npy" --vectors "$d/./keep.npy"
mkdir "$d/dir.npy"
expect 2 "--out '$d/dir.npy': it is a folder" "$build/solvers/tartan-solve" --n 20 --out "$d/dir.npy"
expect 1 "check failed" "$build/solvers/tartan-eig" --matrix "$d/nonsym.npy" --values "$d/keep.npy" --vectors "$d/V2.npy"
expect 1 "matrix is singular" "$build/solvers/tartan-solve" --matrix "$d/sing.npy" --rhs "$d/B.npy" --out "$d/keep.npy"
[[ $(sha256sum < "$d/keep.npy") == "$keep" ]] || fail "a failed run changed an old output"
[[ ! -e "$d/V2.npy" ]] || fail "a failed run wrote --vectors"
leftover=$(find "$d" -name '.tartan-*')
[[ -z $leftover ]] || fail "temporaries left behind: $leftover"

# Exit codes: 1 numerical, 2 usage/input.
expect 1 "matrix is singular" "$build/solvers/tartan-solve" --matrix "$d/sing.npy" --rhs "$d/B.npy"
expect 1 "not positive definite" "$build/solvers/tartan-solve" --matrix "$d/A.npy" --method cholesky
expect 2 "cannot open '$d/missing.npy'" "$build/solvers/tartan-solve" --matrix "$d/missing.npy"
echo "%%MatrixMarket matrix coordinate real general" > "$d/bad.mtx"
echo "3 3 1" >> "$d/bad.mtx"; echo "9 9 1.0" >> "$d/bad.mtx"
expect 2 "entry out of range" "$build/solvers/tartan-solve" --matrix "$d/bad.mtx"
expect 2 "expected a .npy or .mtx file" "$build/solvers/tartan-solve" --matrix "$d/A.txt"
expect 2 "--rhs has 40 rows, expected 60" "$build/solvers/tartan-solve" --matrix "$d/A.npy" --rhs "$d/B40.npy"
expect 2 "expected a square matrix for --method lu" "$build/solvers/tartan-solve" --matrix "$d/rect.npy"
expect 2 "expected a square (Hermitian) matrix" "$build/solvers/tartan-eig" --matrix "$d/rect.npy"
expect 2 "unknown argument '--frobnicate'" "$build/solvers/tartan-eig" --frobnicate
expect 0 "--vectors FILE" "$build/solvers/tartan-eig" --help

# Crash safety: kill -9 writers at different moments; the target is always either the old
# file, byte for byte, or a complete new one.
cp "$d/X.npy" "$d/out.npy"
old=$(sha256sum < "$d/out.npy")
for delay in 0.2 0.5 0.8 1.2 1.6; do
  "$mpiexec" --oversubscribe -n "$np" "$build/solvers/tartan-solve" --n 1500 --nrhs 1500 --nb 64 \
    --seed $$ --out "$d/out.npy" > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  pkill -9 -f "tartan-solve --n 1500 --nrhs 1500 --nb 64 --seed $$" 2>/dev/null
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  now=$(sha256sum < "$d/out.npy")
  if [[ $now != "$old" ]]; then
    "$py" -c "import numpy as np,sys; x=np.load(sys.argv[1]); assert x.shape==(1500,1500), x.shape" "$d/out.npy" \
      || fail "torn file after kill at ${delay}s"
    old=$now
  fi
done
# The drivers speak before they compute: the plan line is out (flushed, through a pipe)
# while a long eigh is still running; mpiexec stops the job well before it would end.
out=$("$mpiexec" --oversubscribe --timeout 8 -n "$np" "$build/solvers/tartan-eig" --n 6000 2>&1)
[[ $out == *"tartan-eig "*": starting eigh (driver auto) of a generated 6000x6000"*"memory per rank about"* ]] ||
  fail "tartan-eig said nothing before computing: ${out:0:600}"
out=$(run "$build/solvers/tartan-solve" --n 300 2>&1)
[[ $out == *"tartan-solve "*": starting "*"memory per rank about"* ]] ||
  fail "tartan-solve said nothing before computing: ${out:0:600}"
echo "driver file tests passed"
