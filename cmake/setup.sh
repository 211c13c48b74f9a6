#!/usr/bin/env bash
# One-step setup for a fresh Debian 12 machine: installs the dependencies, builds Tartan
# in ./build, then either runs the main job or the test suite.
#   bash cmake/setup.sh solve [tartan-solve flags...]   # builds libtartan and tartan-solve only,
#                                                       # then LU of a generated problem on 2 ranks
#   bash cmake/setup.sh test                            # builds everything, runs the default tier
# The longer tiers are CTest labels (tests/README.md): cd build && ctest -L full, -L multihost.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-solve}
shift || true
case "$what" in
  solve | test) ;;
  *)
    echo "usage: bash cmake/setup.sh solve [tartan-solve flags...] | test" >&2
    exit 2 ;;
esac
bash "$here/cmake/install-deps.sh"
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release ${TARTAN_CMAKE_ARGS:-} > /dev/null
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
if [[ $what == solve ]]; then
  cmake --build "$here/build" -j "$(nproc)" --target tartan-solve
  exec mpiexec --oversubscribe --timeout 600 -n 2 "$here/build/solvers/tartan-solve" "$@"
fi
cmake --build "$here/build" -j "$(nproc)"
cd "$here/build"
exec ctest --output-on-failure -j "$(nproc)" -LE '^(full|multihost|sanitize)$'
