#!/usr/bin/env bash
# usage: expect_exit.sh <code> <command...>: runs the command and fails unless it exits
# with <code>; its output is kept for CTest's pass/fail expressions.
expected=$1
shift
"$@" 2>&1
rc=$?
if [[ $rc -ne $expected ]]; then
  echo "EXIT-MISMATCH: exit code $rc, expected $expected"
  exit 1
fi
exit 0
