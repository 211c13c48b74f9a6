#!/usr/bin/env bash
# One-step setup for a fresh Debian 12 machine: installs the dependencies, builds Tartan
# in ./build, then either runs the main job or the whole test suite.
#   bash cmake/setup.sh solve [tartan-solve flags...]   # 2 ranks, default generated problem
#   bash cmake/setup.sh test                            # the test suite (all but the full sweep tier)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-solve}
shift || true
bash "$here/cmake/install-deps.sh"
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$here/build" -j "$(nproc)"
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
case "$what" in
  solve)
    exec mpiexec --oversubscribe --timeout 600 -n 2 "$here/build/solvers/tartan-solve" "$@" ;;
  test)
    cd "$here/build"
    exec ctest --output-on-failure -j "$(nproc)" -LE full ;;
  *)
    echo "usage: bash cmake/setup.sh solve|test" >&2
    exit 2 ;;
esac
