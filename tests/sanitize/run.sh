#!/usr/bin/env bash
# The sanitize tier (ctest -L sanitize): configures and builds the same sources with
# AddressSanitizer and UndefinedBehaviorSanitizer (UB reports are fatal) in their own build
# folder, then runs the default tier's tests there. Leak checking is off: Open MPI keeps its
# allocations until exit. The Python module (its interpreter is not instrumented) and the
# installed consumer (built without the sanitizers) are left out.
# usage: run.sh <source-dir> <build-dir>
set -euo pipefail
src=$1 dir=$2
mkdir -p "$dir"
cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTARTAN_SANITIZE=ON -DTARTAN_PYTHON=OFF \
  -DTARTAN_BUILD_BENCH=OFF > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
cmake --build "$dir" -j "$(nproc)" > "$dir/build.log" 2>&1 || { tail -50 "$dir/build.log"; exit 1; }
cd "$dir"
# verify_asan_link_order=0: commcount_preload puts libtartan_commcount before ASan's runtime.
# TARTAN_SANITIZED tells hostile_inputs to leave out its `ulimit -v` cases (ASan reserves
# terabytes of address space for its shadow memory, which no such limit allows).
export ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 TARTAN_SANITIZED=1
ctest --output-on-failure -j "$(nproc)" -LE '^(full|multihost|sanitize)$' -E '^consumer$'
echo "sanitize: PASSED"
