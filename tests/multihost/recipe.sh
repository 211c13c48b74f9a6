#!/usr/bin/env bash
# The two-node recipe of solvers/README.md ("Two nodes, step by step"), run as written
# across two network-namespace hosts of this machine: the build installed into a prefix,
# a placement check with --display-map, the main job from the installed tartan-solve on
# 2 hosts x 2 ranks, and a Python script with -x PYTHONPATH. What differs from a real
# cluster is what tests/multihost/run.sh supplies: `ip netns exec` instead of ssh, its own
# hostfile of the two hosts, TCP on their bridge, and --bind-to none (the hosts share
# this machine's cores).
# usage: recipe.sh <build-dir> <scratch-dir>
set -euo pipefail
build=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
prefix=$work/prefix
site=$(dirname "$(find "$prefix" -path '*/dist-packages/tartan' -type d | head -n1)")

step() { echo "== recipe: $*"; }
expect() {  # expect <file> <regex> <what>
  grep -Eq "$2" "$1" || { echo "recipe: $3: not found in the output:"; cat "$1"; exit 1; }
}

step "placement: mpirun --hostfile hosts --map-by ppr:2:node --display-map hostname"
set +e
# hostname exits before run.sh's stall watch can see a rank start; on a busy machine its
# launch can take longer than the watch's default minute, so give this step more
TARTAN_MULTIHOST_LAUNCH_WAIT=${TARTAN_MULTIHOST_LAUNCH_WAIT:-180} TARTAN_MPIRUN_ARGS="--map-by ppr:2:node --display-map" \
  bash "$here/run.sh" --hosts 2 --per-host 2 --timeout 120 -- hostname > "$work/map.out" 2>&1
rc=$?
set -e
[[ $rc -eq 77 ]] && { cat "$work/map.out"; exit 77; }
[[ $rc -eq 0 ]] || { cat "$work/map.out"; exit 1; }
cat "$work/map.out"
expect "$work/map.out" "JOB MAP" "the job map"
[[ $(grep -c "Data for node:" "$work/map.out") -eq 2 ]] || { echo "recipe: expected 2 nodes in the map"; exit 1; }
[[ $(grep -c "Process OMPI jobid" "$work/map.out") -eq 4 ]] || { echo "recipe: expected 4 ranks in the map"; exit 1; }

step "the main job: mpirun --hostfile hosts --map-by ppr:2:node $prefix/bin/tartan-solve --n 4000"
TARTAN_MPIRUN_ARGS="--map-by ppr:2:node" \
  bash "$here/run.sh" --hosts 2 --per-host 2 -- "$prefix/bin/tartan-solve" --n 4000 > "$work/solve.out" 2>&1 \
  || { cat "$work/solve.out"; exit 1; }
cat "$work/solve.out"
expect "$work/solve.out" "^tartan-solve [0-9.]+: starting lu of a generated 4000x4000 <f8 matrix, 1 right-hand side\(s\), on a 2x2 grid" "the plan line"
expect "$work/solve.out" "^ranks 4 x BLAS threads [0-9]+ \([^)]+\), OpenBLAS kernel " "the ranks line"
expect "$work/solve.out" "^WR_LU +4000 +64 +2 +2 " "the HPL line"
expect "$work/solve.out" "PASSED" "the residual check"

step "Python: mpirun --hostfile hosts --map-by ppr:2:node -x PYTHONPATH=$site /usr/bin/python3 solve.py"
cat > "$work/solve.py" << 'EOF'
import numpy as np
import tartan
import tartan.linalg as la

g = tartan.Grid()  # every rank of the job, the most square grid
A = tartan.random(g, 2000, 2000, seed=1)
b = tartan.random(g, 2000, 1, seed=2)
x = la.solve(A, b)
r = la.norm(A @ x - b) / (la.norm(A) * la.norm(x))
if g.rank == 0:
    print(f"{g.size} ranks on a {g.shape[0]}x{g.shape[1]} grid: relative residual {r:.1e}")
EOF
TARTAN_MPIRUN_ARGS="--map-by ppr:2:node -x PYTHONPATH=$site" \
  bash "$here/run.sh" --hosts 2 --per-host 2 -- /usr/bin/python3 "$work/solve.py" > "$work/py.out" 2>&1 \
  || { cat "$work/py.out"; exit 1; }
cat "$work/py.out"
expect "$work/py.out" "^4 ranks on a 2x2 grid: relative residual [0-9.]+e-1[0-9]" "the Python line"
echo "recipe: PASSED"
