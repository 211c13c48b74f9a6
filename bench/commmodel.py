#!/usr/bin/python3
"""What measured communication volumes predict for larger runs: an alpha-beta model.

Reads tartan-bench CSV files (which carry each call's received bytes and messages on the
busiest rank) and, for gemm, lu and cholesky on square grids, extrapolates to more ranks:

  bytes(n, P)    = c(P) * 8 n^2 / sqrt(P)   with c(P) = a + b / sqrt(P)
  messages(n, P) = k(P) * n                 with k(P) = a' + b' / sqrt(P)
                   both fitted through the two largest square grids measured: a rank
                   receives O(n^2/sqrt(P)) less the share it holds, O(n^2/P); SUMMA's gemm
                   has c = 2 (1 - 1/sqrt(P)) exactly
  time           = alpha * messages + beta * bytes   (communication, nothing overlapped)
                 + flops / (P * rate)                (arithmetic at the DGEMM rate per rank)

This is a model. It ignores contention, overlap, the network's topology and the
collective algorithms' real cost; it says what the counted volume costs on the given link.

usage: python3 bench/commmodel.py --alpha US --beta NS_PER_BYTE --rate GFLOPS_PER_RANK
                                  [--target P:N ...] results.csv [more.csv ...]
"""
import argparse
import csv
import math
import sys

FLOPS = {"gemm": lambda n: 2 * n**3, "lu": lambda n: 2 / 3 * n**3, "cholesky": lambda n: 1 / 3 * n**3}


def fit(values):
    """a + b / sqrt(P) through the two largest P of {P: value}; a constant for one P."""
    ps = sorted(values)
    if len(ps) < 2:
        return lambda P: values[ps[-1]]
    p0, p1 = ps[-2], ps[-1]
    x0, x1 = 1 / math.sqrt(p0), 1 / math.sqrt(p1)
    b = (values[p0] - values[p1]) / (x0 - x1)
    a = values[p1] - b * x1
    return lambda P: a + b / math.sqrt(P)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alpha", type=float, required=True, help="latency, microseconds")
    ap.add_argument("--beta", type=float, required=True, help="time per byte, nanoseconds")
    ap.add_argument("--rate", type=float, required=True, help="DGEMM GFLOP/s of one rank")
    ap.add_argument("--target", action="append", default=[], help="P:N, e.g. 64:20000 (repeatable)")
    ap.add_argument("csv", nargs="+")
    a = ap.parse_args()
    targets = [tuple(int(x) for x in t.split(":")) for t in a.target] or [(64, 20000), (1024, 80000)]

    rows = []
    for path in a.csv:
        with open(path) as f:
            for r in csv.DictReader(f):
                p, q = (int(x) for x in r["grid"].split("x"))
                if p != q or r["op"] not in FLOPS or float(r["tartan_recv_bytes"]) < 0:
                    continue
                rows.append((r["op"], int(r["n"]), int(r["nb"]), p * q, float(r["tartan_recv_bytes"]),
                             float(r["tartan_messages"])))
    if not rows:
        print("no square-grid gemm, lu or cholesky rows with counts in the input", file=sys.stderr)
        return 2

    alpha, beta, rate = a.alpha * 1e-6, a.beta * 1e-9, a.rate * 1e9
    print(f"alpha = {a.alpha} us, beta = {a.beta} ns/B ({1 / a.beta:.3f} GB/s), {a.rate} GFLOP/s per rank\n")
    print("measured (square grids): c = bytes / (8 n^2 / sqrt(P)), messages per unit of n")
    for op, n, nb, P, b, m in sorted(rows):
        print(f"  {op:9s} n={n:6d} nb={nb:4d} P={P:5d}  {b / 1e6:9.3f} MB  c={b / (8 * n * n / math.sqrt(P)):.3f}"
              f"  msgs={m:8.0f} ({m / n:.3f} per n)")
    print()
    print(f"{'op':9s} {'P':>5s} {'n':>7s} {'MB/rank':>9s} {'msgs':>8s} {'comm_s':>8s} {'flops_s':>8s} {'comm share':>10s}")
    for op in FLOPS:
        mine = [r for r in rows if r[0] == op]
        if not mine:
            continue
        nb = max(set(r[2] for r in mine), key=lambda x: sum(1 for r in mine if r[2] == x))
        mine = sorted((r for r in mine if r[2] == nb), key=lambda r: r[3])
        cs = {r[3]: r[4] / (8 * r[1] ** 2 / math.sqrt(r[3])) for r in mine}
        ks = {r[3]: r[5] / r[1] for r in mine}
        fc, fk = fit(cs), fit(ks)
        for P, n in targets:
            b = fc(P) * 8 * n * n / math.sqrt(P)
            m = max(fk(P), 0.0) * n
            comm = alpha * m + beta * b
            flops = FLOPS[op](n) / (P * rate)
            print(f"{op:9s} {P:5d} {n:7d} {b / 1e6:9.1f} {m:8.0f} {comm:8.3f} {flops:8.3f} {comm / (comm + flops):10.1%}")
    print("\n(a model: counted volume x fitted link; see the docstring for what it leaves out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
