#!/usr/bin/env bash
# tartan-bench's communication columns and bench/commmodel.py, end to end on 4 ranks:
# gemm on 2x2 must receive its 2D bound (SUMMA) and at most 64 bytes more (with PBLAS's
# panels 256 wide, 14 messages became 6 and 8 bytes were added), every counted call must have
# received something, the link must be fitted, and the model must print its predictions.
# usage: bench_comm.sh MPIEXEC TARTAN_BENCH COMMMODEL_PY
set -euo pipefail
mpiexec=$1 bench=$2 model=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$mpiexec" --oversubscribe --timeout 240 -n 4 "$bench" --ops gemm,lu,cholesky --n 384 --nb 32 \
  --grid 2x2,1x4 --reps 1 --link --csv "$dir/r.csv" --json "$dir/r.json" >"$dir/out.txt" 2>"$dir/err.txt" || {
  cat "$dir/out.txt" "$dir/err.txt"
  exit 1
}
cat "$dir/out.txt"
python3 - "$dir/r.csv" "$dir/r.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 6, rows
for r in rows:
    assert float(r["tartan_recv_bytes"]) > 0 and float(r["scalapack_recv_bytes"]) > 0, r
    assert float(r["tartan_messages"]) > 0, r
g = [r for r in rows if r["op"] == "gemm" and r["grid"] == "2x2"][0]
got, bound = float(g["tartan_recv_bytes"]), float(g["bound_bytes"])
assert 0 <= got - bound <= 64, (got, bound)
j = json.load(open(sys.argv[2]))
assert j["link_alpha_s"] > 0 and j["link_beta_s_per_byte"] > 0, j
# the run's facts, the same in JSON and in every CSV row
for key in ["tartan_version", "ranks", "nodes", "threads_per_rank", "blas_kernel", "timestamp", "command_line"]:
    assert all(str(r[key]) == str(j[key]) for r in rows), (key, j[key], rows[0][key])
assert j["ranks"] == 4 and j["nodes"] == len(j["hosts"]) == 1 and rows[0]["hosts"] == j["hosts"][0], j
print("bench_comm: gemm 2x2 received", got, "bytes, its bound", bound, "; link alpha", j["link_alpha_s"])
PY
python3 "$model" --alpha 10 --beta 1 --rate 40 --target 64:20000 "$dir/r.csv" | tee "$dir/model.txt"
grep -Eq '^gemm +64 +20000 ' "$dir/model.txt"
grep -Eq '^lu +64 +20000 ' "$dir/model.txt"
echo "bench_comm: PASSED"
