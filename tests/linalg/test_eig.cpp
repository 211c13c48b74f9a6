// eig, eigvals, schur, schur_complex and hessenberg (lib/linalg/eig.cpp) on every grid
// shape of 1-4 ranks (1 x 4 and 4 x 1 through the near-square working grid), the default
// block and a small one, both sources, and the matrices of the nonsymmetric testers:
// random, triangular, symmetric, defective, all eigenvalues complex, graded, zero; NaN and
// Inf refused on every rank.

#include "linalg_cases.hpp"

using namespace tartan_test;

namespace {

template <class T>
using C = std::complex<tt::real_t<T>>;

// The test matrices, by name, n x n, the same on every rank (seeded).
template <class T>
Mat<T> family(const std::string& kind, int n, std::uint64_t seed) {
  Mat<T> a = serial_random<T>(n, n, seed);
  if (kind == "triangular") {
    for (int j = 0; j < n; ++j)
      for (int i = j + 1; i < n; ++i) a(i, j) = T(0);
  } else if (kind == "symmetric") {
    a = Mat<T>(a + a.transpose());
  } else if (kind == "defective") {  // Jordan blocks [[1, 1], [0, 1]] down the diagonal
    a.setZero();
    for (int i = 0; i < n; ++i) {
      a(i, i) = T(1);
      if (i % 2 == 0 && i + 1 < n) a(i, i + 1) = T(1);
    }
  } else if (kind == "complex_pairs") {  // S diag([[a, b], [-b, a]]) S^-1: every eigenvalue complex
    Mat<T> d = Mat<T>::Zero(n, n);
    for (int i = 0; i + 1 < n; i += 2) {
      d(i, i) = d(i + 1, i + 1) = T(0.5 + i);
      d(i, i + 1) = T(1 + i % 3);
      d(i + 1, i) = -T(1 + i % 3);
    }
    if (n % 2 == 1) d(n - 1, n - 1) = T(-2);
    Mat<T> s = Mat<T>::Identity(n, n) + Mat<T>(serial_random<T>(n, n, seed + 1) * T(0.5 / std::max(1, n)));
    a = ref_inverse<T>(s);
    a = Mat<T>(s * d * a);
  } else if (kind == "graded") {  // a_ij 10^(6 (i - j) / n)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) a(i, j) *= T(std::pow(10.0, 6.0 * (i - j) / std::max(n, 1)));
  } else if (kind == "zero") {
    a.setZero();
  }
  return a;
}

// Largest distance from each computed eigenvalue to its own reference one (greedy
// matching of the multisets), relative to max(1, ||a||_1).
inline double eigenvalue_distance(std::vector<std::complex<double>> got, std::vector<std::complex<double>> ref,
                                  double scale) {
  if (got.size() != ref.size()) return HUGE_VAL;
  double worst = 0;
  std::vector<bool> used(ref.size(), false);
  for (const auto g : got) {
    double best = HUGE_VAL;
    std::size_t at = 0;
    for (std::size_t k = 0; k < ref.size(); ++k)
      if (!used[k] && std::abs(g - ref[k]) < best) {
        best = std::abs(g - ref[k]);
        at = k;
      }
    if (at < used.size()) used[at] = true;
    worst = std::max(worst, best);
  }
  return worst / std::max(1.0, scale);
}

template <class T>
std::vector<std::complex<double>> widen(const std::vector<C<T>>& w) {
  return {w.begin(), w.end()};
}

// max_j ||A v_j - w_j v_j||_2 / (n eps ||A||_1), and max_j | ||v_j||_2 - 1 | / (n eps).
template <class T>
std::pair<double, double> eig_residuals(const Mat<T>& a, const std::vector<C<T>>& w, const Mat<C<T>>& v) {
  const int n = static_cast<int>(a.rows());
  if (n == 0) return {0, 0};
  const Mat<C<T>> ac = a.template cast<C<T>>();
  const Mat<C<T>> r = ac * v - v * Eigen::Map<const Eigen::Matrix<C<T>, Eigen::Dynamic, 1>>(w.data(), n).asDiagonal();
  double res = 0, unit = 0;
  for (int j = 0; j < n; ++j) {
    res = std::max(res, double(r.col(j).norm()));
    unit = std::max(unit, std::abs(double(v.col(j).norm()) - 1));
  }
  const double an = std::max(one_norm(a), std::numeric_limits<double>::min());
  return {res / (n * eps<T>() * an), unit / (n * eps<T>())};
}

template <class T>
void check_eig(const tt::Grid& g, const Mat<T>& a, tt::Block b, tt::Source src, bool values_close) {
  const int n = static_cast<int>(a.rows());
  auto A = tt::from_eigen(g, a, 0, b);
  if (src != tt::Source{}) A = tt::redistribute(A, g, b, src);
  auto [w, V] = tt::eig(A);
  const Mat<C<T>> v = gather_all(V);
  REQUIRE(all_ranks(v.rows() == n && v.cols() == n && static_cast<int>(w.size()) == n));
  const auto [res, unit] = eig_residuals<T>(a, w, v);
  INFO("eig residual " << res << ", unit-norm error " << unit);
  REQUIRE(all_ranks(passes(res, 10) && passes(unit, 10)));
  // The same eigenvalues on every rank.
  std::vector<C<T>> w0 = w;
  MPI_Bcast(w0.data(), 2 * n * static_cast<int>(sizeof(tt::real_t<T>)), MPI_BYTE, 0, test_comm());
  REQUIRE(all_ranks(w0 == w));
  const auto ref = ref_eigvals<T>(a);
  const double tol = std::is_same_v<tt::real_t<T>, float> ? 1e-4 : 1e-12;
  const double an = one_norm(a);
  const std::vector<C<T>> wv = tt::eigvals(A);
  if (values_close) {
    INFO("eig values off by " << eigenvalue_distance(widen<T>(w), ref, an));
    REQUIRE(all_ranks(eigenvalue_distance(widen<T>(w), ref, an) <= tol * std::max(1, n)));
    INFO("eigvals off by " << eigenvalue_distance(widen<T>(wv), ref, an));
    REQUIRE(all_ranks(eigenvalue_distance(widen<T>(wv), ref, an) <= tol * std::max(1, n)));
  }
  // A real matrix's complex eigenvalues come in conjugate pairs, the positive one first.
  if constexpr (!tt::is_complex_v<T>) {
    bool pairs = true;
    for (int k = 0; k < n; ++k)
      if (w[std::size_t(k)].imag() != 0) {
        pairs =
            pairs && k + 1 < n && w[std::size_t(k)].imag() > 0 && w[std::size_t(k + 1)] == std::conj(w[std::size_t(k)]);
        ++k;
      }
    REQUIRE(all_ranks(pairs));
  }
  REQUIRE(gather_all(A) == Mat<T>(src == tt::Source{} ? a : gather_all(A)));
}

// ||A - Z T Z^H||_1 / (n eps ||A||_1), ||Z^H Z - I||, and T's shape.
template <class T, class U>
void check_schur(const Mat<T>& a, const Mat<U>& t, const Mat<U>& z, bool quasi) {
  const int n = static_cast<int>(a.rows());
  const Mat<U> au = a.template cast<U>();
  const double rc = recon<U>(au, Mat<U>(z * t * z.adjoint()));
  const double orth = orthogonality<U>(z);
  INFO("schur recon " << rc << ", orthogonality " << orth);
  REQUIRE(all_ranks(passes(rc, 10) && passes(orth, 10)));
  bool shape = true;
  for (int j = 0; j < n; ++j)
    for (int i = j + 2; i < n; ++i) shape = shape && t(i, j) == U(0);
  for (int k = 0; k + 1 < n; ++k) {
    if (t(k + 1, k) == U(0)) continue;
    shape = shape && quasi;  // a complex Schur form is triangular
    if constexpr (!tt::is_complex_v<U>) {
      shape = shape && t(k, k) == t(k + 1, k + 1) && t(k, k + 1) * t(k + 1, k) < 0;  // standard form
      shape = shape && (k + 2 >= n || t(k + 2, k + 1) == U(0));
    }
    ++k;
  }
  REQUIRE(all_ranks(shape));
}

const std::vector<std::string> kinds = {"random",        "triangular", "symmetric", "defective",
                                        "complex_pairs", "graded",     "zero"};

}  // namespace

TEMPLATE_TEST_CASE("eig: A V = V diag(w), unit columns, LAPACK's eigenvalues, every grid", "[eig]", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    // The default block: a few sizes around it; a small block (8): the same around 8.
    for (auto [b, sizes] : {std::pair{tt::Block{}, std::vector<int>{1, 2, 3, 63, 64, 65, 129}},
                            std::pair{tt::Block{8, 8}, std::vector<int>{7, 8, 9, 17, 40}}}) {
      for (int n : sizes) {
        const tt::Source src = n % 2 == 0 ? tt::Source{} : tt::Source{P - 1, Q - 1};
        INFO("random " << n << " block " << b.nb << " grid " << P << "x" << Q);
        check_eig<T>(g, family<T>("random", n, 7 + n), b, src, true);
      }
      const int n = b.nb == 8 ? 17 : 65;
      for (const auto& kind : kinds) {
        INFO(kind << " " << n << " block " << b.nb << " grid " << P << "x" << Q);
        // Defective and graded matrices have ill-conditioned eigenvalues: residuals only.
        check_eig<T>(g, family<T>(kind, n, 11), b, tt::Source{}, kind != "defective" && kind != "graded");
      }
    }
  }
}

TEMPLATE_TEST_CASE("schur and schur_complex: A = Z T Z^H, every grid", "[eig]", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [kind, n, b] : {std::tuple{"random", 3, tt::Block{}},
                              {"random", 65, tt::Block{}},
                              {"complex_pairs", 17, tt::Block{8, 8}},
                              {"symmetric", 9, tt::Block{8, 8}},
                              {"triangular", 17, tt::Block{8, 8}},
                              {"zero", 17, tt::Block{8, 8}},
                              {"defective", 40, tt::Block{8, 8}}}) {
      INFO(kind << " " << n << " block " << b.nb << " grid " << P << "x" << Q);
      const Mat<T> a = family<T>(kind, n, 5);
      auto A = tt::from_eigen(g, a, 0, b);
      auto [t, z] = tt::schur(A);
      check_schur<T, T>(a, gather_all(t), gather_all(z), !tt::is_complex_v<T>);
      auto [tc, zc] = tt::schur_complex(A);
      check_schur<T, C<T>>(a, gather_all(tc), gather_all(zc), false);
      REQUIRE(gather_all(A) == a);
    }
  }
}

TEMPLATE_TEST_CASE("hessenberg: A = Q H Q^H, H zero below the subdiagonal, every grid", "[eig]", TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [n, b] : {std::pair{1, tt::Block{}},
                        {2, tt::Block{}},
                        {3, tt::Block{}},
                        {65, tt::Block{}},
                        {17, tt::Block{8, 8}},
                        {9, tt::Block{4, 4}}}) {
      INFO(n << " block " << b.nb << " grid " << P << "x" << Q);
      const Mat<T> a = family<T>("random", n, 9);
      auto A = tt::from_eigen(g, a, 0, b);
      auto r = tt::hessenberg(A, {.calc_q = true});
      const Mat<T> h = gather_all(r.h), q = gather_all(r.q);
      REQUIRE(all_ranks(passes(recon<T>(a, Mat<T>(q * h * q.adjoint())), 10) && passes(orthogonality<T>(q), 10)));
      bool shape = true;
      for (int j = 0; j < n; ++j)
        for (int i = j + 2; i < n; ++i) shape = shape && h(i, j) == T(0);
      REQUIRE(all_ranks(shape));
      auto only = tt::hessenberg(A);
      REQUIRE(only.q.rows() == 0);
      // The same H to rounding: two runs of p?gehrd on 1 x 3 differed in the last digits.
      REQUIRE(all_ranks(passes(recon<T>(h, gather_all(only.h)), 10)));
    }
  }
}

TEMPLATE_TEST_CASE("eig, eigvals, schur, hessenberg refuse NaN, Inf and non-square input on every rank", "[eig]",
                   TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (double bad : {std::nan(""), HUGE_VAL}) {
      auto A = tt::random<T>(g, 70, 70, 3);
      A.set(69, 3, T(tt::real_t<T>(bad)));  // one entry, on one rank
      require_throws_everywhere<tt::NonFiniteInput>([&] { tt::eig(A); }, "eig: A contains NaN or Inf");
      require_throws_everywhere<tt::NonFiniteInput>([&] { tt::eigvals(A); }, "eigvals: A contains NaN or Inf");
      require_throws_everywhere<tt::NonFiniteInput>([&] { tt::schur(A); }, "schur: A contains NaN or Inf");
      require_throws_everywhere<tt::NonFiniteInput>([&] { tt::hessenberg(A); }, "hessenberg: A contains NaN");
    }
    auto W = tt::random<T>(g, 5, 7, 1);
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::eig(W); }, "square");
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::schur_complex(W); }, "square");
  }
}

TEST_CASE("eig at a size where pdhseqr's queried workspace falls short, every grid", "[eig]") {
  // 1.2-1.5x the query was needed up to n = 1500; this size runs the multishift QR
  // (pdlaqr0 beyond n = 220) with aggressive early deflation.
  const int n = 300;
  for (auto [P, Q] : grid_shapes()) {
    if (P * Q == 1) continue;
    tt::Grid g(test_comm(), P, Q);
    INFO(n << " grid " << P << "x" << Q);
    const Mat<double> a = family<double>("random", n, 21);
    check_eig<double>(g, a, tt::Block{32, 32}, tt::Source{}, true);
  }
}

TEMPLATE_TEST_CASE("eig_from_schur: the eigenpairs of Z T Z^H from schur's T and Z, every grid", "[eig]",
                   TARTAN_TYPES) {
  using T = TestType;
  for (auto [P, Q] : grid_shapes()) {
    tt::Grid g(test_comm(), P, Q);
    for (auto [kind, n, b] : {std::tuple{"random", 65, tt::Block{}}, {"complex_pairs", 17, tt::Block{8, 8}}}) {
      INFO(kind << " " << n << " grid " << P << "x" << Q);
      const Mat<T> a = family<T>(kind, n, 3);
      auto A = tt::from_eigen(g, a, 0, b);
      auto [t, z] = tt::schur(A);
      auto [w, V] = tt::eig_from_schur(t, z);
      const auto [res, unit] = eig_residuals<T>(a, w, gather_all(V));
      INFO("residual " << res << ", unit " << unit);
      REQUIRE(all_ranks(passes(res, 10) && passes(unit, 10)));
    }
    auto R = tt::random<T>(g, 9, 9, 1);
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::eig_from_schur(R, R); }, "not a Schur form");
    require_throws_everywhere<tt::InvalidArgument>([&] { tt::eig_from_schur(R, tt::random<T>(g, 8, 8, 1)); },
                                                   "expected the same order");
  }
}
