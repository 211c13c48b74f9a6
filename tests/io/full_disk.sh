#!/usr/bin/env bash
# Writing to a full disk fails with exit 2 and keeps the old target byte for byte, for .npy
# and .mtx, when the disk fills during the write and when it is full already.
# A small tmpfs stands in for the disk; it needs root and mount, and the test reports
# "skipped: ..." (CTest's skip code 77) where it cannot have them, never a pass.
# usage: full_disk.sh <ranks> <build-dir> <mpiexec>
set -uo pipefail
np=$1 build=$2 mpiexec=$3
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mnt=$(mktemp -d)
cleanup() { umount "$mnt" 2>/dev/null; rmdir "$mnt"; }
trap cleanup EXIT
if [[ $(id -u) -ne 0 ]] || ! mount -t tmpfs -o size=1M tmpfs "$mnt" 2>/dev/null; then
  echo "skipped: cannot mount a 1 MiB tmpfs here (needs root and mount)"
  exit 77
fi
fail() { echo "FAILED: $*"; exit 1; }
solve() { "$mpiexec" --oversubscribe --timeout 120 -n "$np" "$build/solvers/tartan-solve" "$@"; }
for ext in npy mtx; do
  target="$mnt/X.$ext"
  # an old, small result to protect
  solve --n 20 --nrhs 2 --out "$target" > /dev/null || fail "writing the small old $ext"
  old=$(sha256sum < "$target")
  # 400 x 400 doubles need 1.28 MB (.npy) or more (.mtx): the disk fills during the write
  out=$(solve --n 400 --nrhs 400 --out "$target" 2>&1); rc=$?
  [[ $rc -eq 2 ]] || fail "$ext: exit $rc on a full disk, expected 2: $out"
  [[ $out == *"is unchanged"* ]] || fail "$ext: no message that the target is unchanged: $out"
  [[ $(sha256sum < "$target") == "$old" ]] || fail "$ext: the old target changed"
  [[ -z $(ls -A "$mnt" | grep -v "^X\.") ]] || fail "$ext: a temporary file was left: $(ls -A "$mnt")"
  # the disk full already
  head -c 2000000 /dev/zero > "$mnt/filler" 2>/dev/null
  out=$(solve --n 20 --nrhs 2 --out "$target" 2>&1); rc=$?
  [[ $rc -eq 2 ]] || fail "$ext: exit $rc on a disk full already, expected 2: $out"
  [[ $(sha256sum < "$target") == "$old" ]] || fail "$ext: the old target changed (disk full already)"
  rm -f "$mnt/filler" "$target"
done
echo "full disk tests passed"
