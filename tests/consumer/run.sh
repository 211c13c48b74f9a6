#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, then builds the consumer project against
# it with CMake (find_package) and with pkg-config, and runs both under mpiexec.
# usage: run.sh <build-dir> <source-dir> <scratch-dir> <mpiexec>
set -euo pipefail
build=$1 src=$2 work=$3 mpiexec=$4
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work.install.log" 2>&1 || { cat "$work.install.log"; exit 1; }
cmake -S "$src/tests/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$work/build" > /dev/null
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$mpiexec" --oversubscribe --timeout 120 -n 2 "$work/build/consumer"
libdir=$(find "$work/prefix" -name tartan.pc -printf '%h\n' | head -n1)
flags=$(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs tartan)
# shellcheck disable=SC2086
mpicxx -std=c++20 "$src/tests/consumer/main.cpp" -o "$work/consumer-pc" $flags
# no LD_LIBRARY_PATH and no rpath of our own: the .pc's Libs must make it start
env -u LD_LIBRARY_PATH "$mpiexec" --oversubscribe --timeout 120 -n 3 "$work/consumer-pc"
# The installed drivers run from this non-system prefix with no environment set: their
# install RPATH finds libtartan beside them.
env -i PATH=/usr/bin:/bin "$mpiexec" --allow-run-as-root --oversubscribe --timeout 120 -n 2 \
  "$work/prefix/bin/tartan-solve" --n 120 --json | grep -q '"passed":true'
env -i PATH=/usr/bin:/bin "$mpiexec" --allow-run-as-root --oversubscribe --timeout 120 -n 2 \
  "$work/prefix/bin/tartan-eig" --n 80 --json | grep -q '"passed":true'
echo "installed drivers run with no environment"
# The bench's readers are installed beside it and run from the prefix.
env -i PATH=/usr/bin:/bin "$work/prefix/bin/tartan-bench-model" --help | grep -q alpha
test -x "$work/prefix/bin/tartan-bench-plot"
echo "installed bench scripts run"
# The installed Python module imports from the prefix's dist-packages (its RPATH finds
# libtartan) and solves on 2 ranks.
site=$(find "$work/prefix" -path '*/dist-packages/tartan' -type d | head -n1)
if [[ -n "$site" ]]; then
  env -i PATH=/usr/bin:/bin PYTHONPATH="$(dirname "$site")" "$mpiexec" --allow-run-as-root --oversubscribe \
    --timeout 120 -n 2 /usr/bin/python3 -c '
import numpy as np, tartan
g = tartan.Grid()
a = np.eye(50) * 3
x = tartan.linalg.solve(tartan.from_numpy(a, g), tartan.from_numpy(np.ones(50), g)).to_numpy(root=None)
assert np.allclose(x, 1 / 3), x
' && echo "installed Python module runs"
fi
