#!/usr/bin/python3
"""Plots a tartan-bench CSV: GFLOP/s of Tartan and raw ScaLAPACK per op against n, and
Tartan's efficiency (share of the DGEMM rate) and overhead ratio.

usage: python3 bench/plot.py results.csv [out.png]
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else src.rsplit(".", 1)[0] + ".png"
    rows = list(csv.DictReader(open(src)))
    if not rows:
        print(f"plot.py: {src} has no results")
        return 1
    series = defaultdict(list)
    for r in rows:
        series[(r["op"], r["nb"], r["grid"])].append(r)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    for (op, nb, grid), rs in sorted(series.items()):
        rs.sort(key=lambda r: int(r["n"]))
        n = [int(r["n"]) for r in rs]
        label = f"{op} nb={nb} {grid}"
        line = ax1.plot(n, [float(r["tartan_gflops"]) for r in rs], "o-", label=f"{label} Tartan")[0]
        ax1.plot(n, [float(r["scalapack_gflops"]) for r in rs], "x--", color=line.get_color(),
                 label=f"{label} ScaLAPACK")
        ax2.plot(n, [100 * float(r["efficiency"]) for r in rs], "o-", color=line.get_color(), label=label)
    dgemm = float(rows[0]["dgemm_gflops"])
    ax1.axhline(dgemm, color="gray", linestyle=":", label=f"DGEMM rate {dgemm:.1f}")
    ax1.set_xlabel("n")
    ax1.set_ylabel("GFLOP/s")
    ax1.set_title("Tartan (solid) and raw ScaLAPACK (dashed)")
    ax1.legend(fontsize=7)
    ax2.set_xlabel("n")
    ax2.set_ylabel("% of the DGEMM rate")
    ax2.set_title("Tartan efficiency")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"plot.py: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
