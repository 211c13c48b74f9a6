#!/usr/bin/env bash
# Inputs that used to hang or abort a run: a FIFO, a file of one endless line, /dev/zero,
# long file names, Matrix Market headers that declare huge matrices (with the address
# space limited as a cluster's memory would be), and bad thread and grid settings. Each
# must end with a clear message and exit 2 within seconds, at every rank count.
# usage: hostile_inputs.sh <ranks> <build-dir> <mpiexec>
set -uo pipefail
np=$1 build=$2 mpiexec=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
expect() {  # expect <code> <stderr-substring> <command...>
  local code=$1 text=$2; shift 2
  local out rc
  out=$(timeout 60 "$@" 2>&1); rc=$?
  [[ $rc -eq $code ]] || fail "exit $rc, expected $code: $* :: ${out:0:600}"
  [[ $out == *"$text"* ]] || fail "no '$text' in the output of $*: ${out:0:600}"
  [[ $out != *"MPI_ABORT"* && $out != *"terminate called"* && $out != *"buffer overflow"* ]] || fail "abort from $*"
  local lines
  # one error line (from one rank, not from each); the drivers' "starting" line may precede it
  lines=$(grep -v ": starting " <<< "$out" | grep -c "tartan-")
  [[ $lines -le 1 ]] || fail "$lines message lines from $* (one expected): $out"
}
run=("$mpiexec" --oversubscribe --timeout 50 -n "$np")
solve=$build/solvers/tartan-solve
eig=$build/solvers/tartan-eig

mkfifo "$d/fifo.mtx"
expect 2 "is a FIFO, expected a regular file" "${run[@]}" "$solve" --matrix "$d/fifo.mtx"
ln -s /dev/zero "$d/zero.mtx"
expect 2 "is a character device, expected a regular file" "${run[@]}" "$solve" --matrix "$d/zero.mtx"
ln -s /dev/zero "$d/zero.npy"
expect 2 "is a character device, expected a regular file" "${run[@]}" "$eig" --matrix "$d/zero.npy"
{ echo "%%MatrixMarket matrix array real general"; head -c 100000000 /dev/zero | tr '\0' '7'; } > "$d/endless.mtx"
expect 2 "line longer than 65536 characters" "${run[@]}" "$solve" --matrix "$d/endless.mtx"
mkdir "$d/dir.npy"
expect 2 "is a directory" "${run[@]}" "$solve" --matrix "$d/dir.npy"
# long names: writing to one works (the temporary has a short name), reading one is refused clearly
long="$d/$(printf 'x%.0s' {1..240}).npy"
"${run[@]}" "$solve" --n 30 --out "$long" > /dev/null || fail "writing to a 240-character file name"
expect 2 "characters long" "${run[@]}" "$solve" --matrix "$long"
# huge declared sizes: typed errors on every rank, no hang, with the memory limited (the
# drivers refuse them up front from their memory plan, or the library when it allocates)
printf '%%%%MatrixMarket matrix coordinate real general\n30000 30000 0\n' > "$d/big.mtx"
printf '%%%%MatrixMarket matrix coordinate real general\n46000 46000 0\n' > "$d/bigger.mtx"
printf '%%%%MatrixMarket matrix coordinate real general\n2147483647 1 0\n' > "$d/tall.mtx"
if [[ -n "${TARTAN_SANITIZED:-}" ]]; then
  echo "hostile_inputs: huge declared sizes left out under the sanitizers (ulimit -v and ASan's shadow memory)"
else
  for f in big bigger tall; do
    out=$( (ulimit -v 4000000; timeout 60 "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$solve" --method lstsq --matrix "$d/$f.mtx") 2>&1); rc=$?
    [[ $rc -eq 2 ]] || fail "$f.mtx: exit $rc, expected 2: ${out:0:600}"
    [[ $out == *"not enough memory"* || $out == *"out of memory"* || $out == *"32-bit"* ]] || fail "$f.mtx: no memory or size message: ${out:0:600}"
  done
fi
# environment and flags
expect 2 "TARTAN_NUM_THREADS='abc'" env TARTAN_NUM_THREADS=abc "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$solve" --n 10
expect 2 "TARTAN_NUM_THREADS='0'" env TARTAN_NUM_THREADS=0 "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$eig" --n 10
expect 2 "TARTAN_POOL='2', expected 0 (off) or 1 (on)" env TARTAN_POOL=2 "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$solve" --n 10
expect 2 "TARTAN_POOL_MAX='lots'" env TARTAN_POOL_MAX=lots "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$solve" --n 10
expect 2 "TARTAN_NB='0', expected a whole number from 1 to 1048576" env TARTAN_NB=0 "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$solve" --n 10
expect 2 "TARTAN_NB='64k'" env TARTAN_NB=64k "$mpiexec" --oversubscribe --timeout 50 -n "$np" "$eig" --n 10
if [[ $np -gt 1 ]]; then  # set on one rank only: Block{} would mean two layouts
  expect 2 "TARTAN_NB differs between ranks (unset and 32)" "$mpiexec" --oversubscribe --timeout 50 -n 1 "$solve" --n 10 : \
    -n $((np - 1)) env TARTAN_NB=32 "$solve" --n 10
fi
# TARTAN_NB is the default block: the drivers' report says so, and the answer is the same
out=$(TARTAN_NB=32 "${run[@]}" "$solve" --n 300 2>&1) || fail "TARTAN_NB=32: $out"
[[ $out == *"in 32x32 blocks"* ]] || fail "TARTAN_NB=32 was not the drivers' block: ${out:0:400}"
# the pool off, and a cap below one block: the same answer as with the default pool
TARTAN_POOL=0 "${run[@]}" "$solve" --n 700 --out "$d/off.npy" > /dev/null || fail "TARTAN_POOL=0"
TARTAN_POOL_MAX=1M "${run[@]}" "$solve" --n 700 --out "$d/tiny.npy" > /dev/null || fail "TARTAN_POOL_MAX=1M"
"${run[@]}" "$solve" --n 700 --out "$d/pool.npy" > /dev/null || fail "the default pool"
cmp "$d/off.npy" "$d/pool.npy" || fail "TARTAN_POOL=0 changed the answer"
cmp "$d/tiny.npy" "$d/pool.npy" || fail "TARTAN_POOL_MAX=1M changed the answer"
expect 2 "expected PxQ" "${run[@]}" "$solve" --grid 1x2x7
expect 2 "expected PxQ" "${run[@]}" "$solve" --grid 1x2junk
expect 2 "needs 4294967296 ranks" "${run[@]}" "$solve" --grid 65536x65536
expect 2 "expected f4, f8, c8 or c16" "${run[@]}" "$solve" --dtype f16
expect 2 "--out 'x.txt': expected a .npy or .mtx file" "${run[@]}" "$solve" --n 10 --out x.txt
echo "hostile input tests passed"
