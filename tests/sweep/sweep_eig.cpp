// Sweep: eigh (all pairs, subsets by index and value, values only, the generalized
// problem) against Eigen's eigenvalues, with the unused triangle spoiled.

#include "sweep.hpp"

using namespace sweep;

namespace {

template <class T>
Mat<T> diag_of(const std::vector<tt::real_t<T>>& w) {
  Mat<T> d = Mat<T>::Zero(Eigen::Index(w.size()), Eigen::Index(w.size()));
  for (std::size_t i = 0; i < w.size(); ++i) d(Eigen::Index(i), Eigen::Index(i)) = T(w[i]);
  return d;
}

// ||A V - V diag(w)||_1 / (eps ||A||_1 n), ||V^H V - I|| / (eps n), and |w - w_ref| against
// Eigen's eigenvalues first..first+k-1, all at threshold 50.
template <class T>
std::string check_pairs(const Mat<T>& a, const Mat<T>& v, const std::vector<tt::real_t<T>>& w, std::int64_t first) {
  const std::int64_t n = a.rows(), k = std::int64_t(w.size());
  if (v.rows() != n || v.cols() != k) return "eigenvectors have the wrong shape";
  if (n == 0 || k == 0) return "";
  const double an = std::max(one_norm(a), 1e-300);
  if (const double r = one_norm(Mat<T>(a * v - v * diag_of<T>(w))) / (eps<T>() * an * n); !passes(r, 50))
    return fails("||AV - VW||", r, 50);
  if (const double o = orthogonality<T>(v); !passes(o, 50)) return fails("||V^H V - I||", o, 50);
  const std::vector<double> es_w = ref_eigvalsh(a);
  for (std::int64_t i = 0; i < k; ++i)
    if (const double d = std::abs(double(w[i]) - es_w[std::size_t(first + i)]); !(d <= 50 * eps<T>() * n * an))
      return fails("|w[" + std::to_string(i) + "] - ref|", d, 50 * eps<T>() * n * an);
  return "";
}

}  // namespace

TEST_CASE("sweep: eigh and eigvalsh, both triangles, unused triangle spoiled") {
  sweep_square("eigh", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = hermitian<T>(g, n, 61, c);
    auto [w, V] = tt::eigh(spoil_triangle(A, true), {.lower = true});
    auto [wu, Vu] = tt::eigh(spoil_triangle(A, false), {.lower = false});
    const auto wv = tt::eigvalsh(spoil_triangle(A, true));
    const Mat<T> a = tt::to_eigen(A, 0), v = tt::to_eigen(V, 0), vu = tt::to_eigen(Vu, 0);
    if (test_rank() != 0) return "";
    if (std::int64_t(w.size()) != n || std::int64_t(wv.size()) != n) return "wrong number of eigenvalues";
    if (auto f = check_pairs<T>(a, v, w, 0); !f.empty()) return "lower: " + f;
    if (auto f = check_pairs<T>(a, vu, wu, 0); !f.empty()) return "upper: " + f;
    const double an = std::max(one_norm(a), 1e-300);
    for (std::int64_t i = 0; i < n; ++i)
      if (std::abs(double(wv[i]) - double(w[i])) > 50 * eps<T>() * n * an) return "eigvalsh differs from eigh";
    return "";
  });
}

// Every driver, asked for by name, on the lower triangle with the upper one spoiled: the
// right pairs, the driver it reports, and a reason whenever ELPA was asked for and not used.
TEST_CASE("sweep: eigh drivers elpa, elpa2, evr and evd by name") {
  sweep_square("eigh drivers", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = hermitian<T>(g, n, 63, c);
    const Mat<T> a = tt::to_eigen(A, 0);
    std::string fail;
    for (auto d : {tt::EighDriver::elpa, tt::EighDriver::elpa2, tt::EighDriver::evr, tt::EighDriver::evd}) {
      const std::string name = tt::driver_name(d);
      const bool elpa = d == tt::EighDriver::elpa || d == tt::EighDriver::elpa2;
      if (elpa && !tt::have_elpa()) {
        bool threw = false;
        try {
          tt::eigh(A, {.driver = d});
        } catch (const tt::InvalidArgument&) {
          threw = true;
        }
        if (!threw && fail.empty()) fail = name + " without ELPA did not throw InvalidArgument";
        continue;
      }
      auto r = tt::eigh(spoil_triangle(A, true), {.lower = true, .driver = d});
      const Mat<T> v = tt::to_eigen(r.eigenvectors, 0);
      if (test_rank() != 0 || !fail.empty()) continue;
      if (r.driver != d && !(elpa && !r.fallback.empty()))
        fail = name + ": ran " + tt::driver_name(r.driver) + " (fallback: '" + r.fallback + "')";
      else if (!elpa && !r.fallback.empty())
        fail = name + ": fallback '" + r.fallback + "'";
      else if (std::int64_t(r.eigenvalues.size()) != n)
        fail = name + ": wrong number of eigenvalues";
      else if (auto f = check_pairs<T>(a, v, r.eigenvalues, 0); !f.empty())
        fail = name + ": " + f;
    }
    return fail;
  });
}

TEST_CASE("sweep: eigh subsets by index and by value") {
  sweep_square("eigh subset", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    if (n == 0) return "";
    auto A = hermitian<T>(g, n, 71, c);
    // a narrow range in the middle, the lowest one, and (where there is room) a wide one
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges = {{n / 2, n / 2}, {0, std::min<std::int64_t>(n - 1, 2)}};
    if (n > 4) ranges.push_back({1, n - 2});
    std::vector<std::pair<std::vector<tt::real_t<T>>, Mat<T>>> got;
    for (auto r : ranges) {
      auto res = tt::eigh(A, {.subset_by_index = r});
      got.emplace_back(res.eigenvalues, tt::to_eigen(res.eigenvectors, 0));
    }
    const auto all = tt::eigvalsh(A);
    // by value: the half-open interval around all[lo..hi]
    const std::int64_t lo = n / 3, hi = std::min<std::int64_t>(n - 1, lo + 3);
    const double vlo = lo == 0 ? double(all[0]) - 1 : (double(all[lo - 1]) + double(all[lo])) / 2;
    const double vhi = hi == n - 1 ? double(all[n - 1]) + 1 : (double(all[hi]) + double(all[hi + 1])) / 2;
    const auto byv = tt::eigh(A, {.subset_by_value = std::pair{vlo, vhi}});
    const auto byvv = tt::eigvalsh(A, {.subset_by_value = std::pair{vlo, vhi}});
    const Mat<T> a = tt::to_eigen(A, 0), vv = tt::to_eigen(byv.eigenvectors, 0);
    if (test_rank() != 0) return "";
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      const auto [rlo, rhi] = ranges[i];
      if (std::int64_t(got[i].first.size()) != rhi - rlo + 1) return "subset_by_index: wrong count";
      if (auto f = check_pairs<T>(a, got[i].second, got[i].first, rlo); !f.empty())
        return "subset_by_index [" + std::to_string(rlo) + ", " + std::to_string(rhi) + "]: " + f;
    }
    // Clustered values may straddle a midpoint: accept a count within one of the expected.
    const std::int64_t want = hi - lo + 1, found = std::int64_t(byv.eigenvalues.size());
    if (std::abs(found - want) > 1 || std::int64_t(byvv.size()) != found)
      return "subset_by_value found " + std::to_string(found) + ", expected " + std::to_string(want);
    const std::vector<double> es_w = ref_eigvalsh(a);
    std::int64_t first = 0;
    while (first < n && es_w[std::size_t(first)] <= vlo) ++first;
    if (found > 0) {
      if (first + found > n) return "subset_by_value: more values than fit";
      if (auto f = check_pairs<T>(a, vv, byv.eigenvalues, first); !f.empty()) return "subset_by_value: " + f;
    }
    return "";
  });
}

TEST_CASE("sweep: generalized eigh(A, B)") {
  sweep_square("eigh(A, B)", []<class T>(const tt::Grid& g, std::int64_t n, const Config& c) -> std::string {
    auto A = hermitian<T>(g, n, 81, c);
    auto B = hermitian<T>(g, n, 82, c, double(n) + 2);
    std::string fail;
    for (bool lower : {true, false}) {
      auto [w, V] = tt::eigh(spoil_triangle(A, lower), spoil_triangle(B, lower), {.lower = lower});
      const auto wv = tt::eigvalsh(A, B, {.lower = lower});
      const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0), v = tt::to_eigen(V, 0);
      if (test_rank() != 0 || !fail.empty()) continue;
      if (std::int64_t(w.size()) != n || std::int64_t(wv.size()) != n) {
        fail = "wrong number of eigenvalues";
        continue;
      }
      if (n == 0) continue;
      const double scale = (one_norm(a) + one_norm(b)) * std::max(1.0, one_norm(v)) * n * eps<T>();
      if (const double r = one_norm(Mat<T>(a * v - b * v * diag_of<T>(w))) / scale; !passes(r, 50))
        fail = fails("||AV - BVW||", r, 50);
      else if (const double o =
                   one_norm(Mat<T>(v.adjoint() * b * v - Mat<T>::Identity(n, n))) / (eps<T>() * one_norm(b) * n);
               !passes(o, 50))
        fail = fails("||V^H B V - I||", o, 50);
      const std::vector<double> es_w = ref_eigvalsh(a, b);
      for (std::int64_t i = 0; i < n && fail.empty(); ++i)
        if (std::abs(double(wv[i]) - es_w[std::size_t(i)]) > 1e3 * eps<T>() * scale / eps<T>())
          fail = "eigvalsh(A, B) differs from Eigen's";
    }
    return fail;
  });
}
