// The 2D lower bounds on communication that tartan-bench prints beside its counts and
// that tests/commcount/test_commcount.cpp holds Tartan's calls to.
#pragma once

#include <cmath>
#include <string>

// Lower bound on the bytes some rank must receive, for P ranks that each hold n^2/P of the
// matrices, share the multiply-adds evenly and update their own entries in place (2D, no
// replication): -1 where none is known or it is vacuous. By the Loomis-Whitney inequality a
// rank doing V multiply-adds into c entries of its own reads at least V/sqrt(c) entries of
// each of the two factors; what it holds itself is subtracted.
//   gemm      V = n^3/P, c = n^2/P:        2 n^2/sqrt(P) - 2 n^2/P words (SUMMA attains it
//                                          on a square grid)
//   lu        V = n^3/(3P), c = n^2/P:     (2/3) n^2/sqrt(P) - n^2/P (the Schur updates)
//   cholesky  V = n^3/(6P), c = n^2/(2P):  both factors are L, so sqrt(2)/6 n^2/sqrt(P) - n^2/(2P)
inline double comm_bound_bytes(const std::string& op, double n, int ranks) {
  const double P = ranks, r = std::sqrt(P), w = sizeof(double);
  double words = -1;
  if (op == "gemm")
    words = 2 * n * n / r - 2 * n * n / P;
  else if (op == "lu")
    words = 2.0 / 3.0 * n * n / r - n * n / P;
  else if (op == "cholesky")
    words = std::sqrt(2.0) / 6.0 * n * n / r - n * n / (2 * P);
  return words > 0 ? words * w : -1;
}
