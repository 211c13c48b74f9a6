#!/usr/bin/env bash
# tartan-solve's solution must not depend on the transport: the default problem on 4 ranks
# (2 x 2 grid) on one host (shared memory), on 2 hosts x 2 ranks over TCP, and on the same
# hosts with every link capped at 1 Gbit/s (tc tbf). The three X files must be identical,
# byte for byte; the times are printed for the README's cost of a slow link.
#   same_answer.sh TARTAN_SOLVE SCRATCH_DIR [MPIEXEC]
set -euo pipefail
solve=$1 scratch=$2 mpiexec=${3:-mpiexec}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch" && mkdir -p "$scratch"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
status=0
TARTAN_NUM_THREADS=1 "$mpiexec" --oversubscribe --bind-to none --mca mpi_yield_when_idle 1 --timeout 300 -n 4 "$solve" --out "$scratch/shm.npy" --json \
  > "$scratch/shm.json"
for run in tcp:"" tbf:"--rate 1gbit"; do
  name=${run%%:*} opts=${run#*:}
  # shellcheck disable=SC2086
  bash "$here/run.sh" --hosts 2 --per-host 2 --timeout 300 $opts -- "$solve" --out "$scratch/$name.npy" --json \
    > "$scratch/$name.json" || status=$?
  [[ $status -eq 77 ]] && { cat "$scratch/$name.json"; exit 77; }
  [[ $status -eq 0 ]] || { echo "FAILED: the $name run exited with $status"; cat "$scratch/$name.json"; exit 1; }
done
for name in shm tcp tbf; do
  echo "$name: $(grep -o '"seconds": *[0-9.e+-]*' "$scratch/$name.json" | head -1)"
done
for name in tcp tbf; do
  if ! cmp "$scratch/shm.npy" "$scratch/$name.npy"; then
    echo "FAILED: X over $name differs from X over shared memory"
    exit 1
  fi
done
echo "same X, byte for byte, over shared memory, TCP and TCP at 1 Gbit/s"
