// Sweep: the rectangular routines, tall, wide, 1x2 and 2x1: svd (reduced and full),
// svdvals, pinv, matrix_rank, cond, qr in every mode, and lstsq.

#include "sweep.hpp"

using namespace sweep;

namespace {

template <class T>
std::string compare_values(const std::vector<tt::real_t<T>>& s, const std::vector<double>& ref, double scale) {
  if (s.size() != ref.size()) return "wrong number of singular values";
  for (std::size_t i = 0; i < s.size(); ++i)
    if (std::abs(double(s[i]) - ref[i]) > 50 * eps<T>() * scale)
      return fails("|s[" + std::to_string(i) + "] - ref|", std::abs(double(s[i]) - ref[i]), 50 * eps<T>() * scale);
  return "";
}

}  // namespace

TEST_CASE("sweep: svd reduced and full, svdvals") {
  sweep_rect("svd", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, m, n, 91, c.block, c.src);
    auto [U, s, Vh] = tt::svd(A);
    auto full = tt::svd(A, {.full_matrices = true});
    const auto sv = tt::svdvals(A);
    const Mat<T> a = tt::to_eigen(A, 0), u = tt::to_eigen(U, 0), vh = tt::to_eigen(Vh, 0), uf = tt::to_eigen(full.u, 0),
                 vhf = tt::to_eigen(full.vh, 0);
    if (test_rank() != 0) return "";
    const std::int64_t k = std::min(m, n);
    if (u.rows() != m || u.cols() != k || vh.rows() != k || vh.cols() != n)
      return "reduced factors have the wrong shape";
    if (uf.rows() != m || uf.cols() != m || vhf.rows() != n || vhf.cols() != n)
      return "full factors have the wrong shape";
    Mat<T> sig = Mat<T>::Zero(k, k), sigf = Mat<T>::Zero(m, n);
    for (std::int64_t i = 0; i < k; ++i) sig(i, i) = sigf(i, i) = T(s[std::size_t(i)]);
    if (const double r = recon<T>(a, Mat<T>(u * sig * vh)); !passes(r, 50)) return fails("||A - U S Vh||", r, 50);
    if (const double r = recon<T>(a, Mat<T>(uf * sigf * vhf)); !passes(r, 50))
      return fails("full ||A - U S Vh||", r, 50);
    for (const Mat<T>* q : {&u, &uf})
      if (const double o = orthogonality<T>(*q); !passes(o, 50)) return fails("||U^H U - I||", o, 50);
    for (const Mat<T>* q : {&vh, &vhf})
      if (const double o = orthogonality<T>(Mat<T>(q->adjoint())); !passes(o, 50)) return fails("||V^H V - I||", o, 50);
    const auto ref = ref_svdvals(a);
    const double scale = double(std::max<std::int64_t>({m, n, 1})) * (ref.empty() ? 1.0 : ref[0]);
    if (auto f = compare_values<T>(s, ref, scale); !f.empty()) return "svd: " + f;
    if (auto f = compare_values<T>(sv, ref, scale); !f.empty()) return "svdvals: " + f;
    return "";
  });
}

TEST_CASE("sweep: pinv, matrix_rank, cond") {
  sweep_rect("pinv", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, m, n, 101, c.block, c.src);
    auto X = tt::pinv(A);
    const std::int64_t rank = tt::matrix_rank(A);
    const double cn = (m > 0 && n > 0) ? double(tt::cond(A)) : 0;
    const Mat<T> a = tt::to_eigen(A, 0), x = tt::to_eigen(X, 0);
    if (test_rank() != 0) return "";
    if (x.rows() != n || x.cols() != m) return "pinv has the wrong shape";
    if (rank != std::min(m, n)) return "matrix_rank " + std::to_string(rank) + " of a random matrix";
    if (m == 0 || n == 0) return "";
    const auto ref = ref_svdvals(a);
    const double kref = ref.front() / ref.back();
    // Moore-Penrose: A X A = A and X A X = X, scaled by the condition number.
    const double tol = 1e3 * eps<T>() * double(std::max(m, n)) * kref;
    if (const double r = one_norm(Mat<T>(a * x * a - a)) / one_norm(a); !(r <= tol))
      return fails("||AXA - A||/||A||", r, tol);
    if (const double r = one_norm(Mat<T>(x * a * x - x)) / one_norm(x); !(r <= tol))
      return fails("||XAX - X||/||X||", r, tol);
    if (!(std::abs(cn - kref) <= 1e3 * eps<T>() * kref * kref * double(std::max(m, n)))) return fails("cond", cn, kref);
    return "";
  });
}

TEST_CASE("sweep: qr in every mode") {
  sweep_rect("qr", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, m, n, 111, c.block, c.src);
    auto red = tt::qr(A);
    auto com = tt::qr(A, {.mode = tt::QrMode::complete});
    auto ronly = tt::qr(A, {.mode = tt::QrMode::r});
    const Mat<T> a = tt::to_eigen(A, 0), q = tt::to_eigen(red.q, 0), r = tt::to_eigen(red.r, 0),
                 qc = tt::to_eigen(com.q, 0), rc = tt::to_eigen(com.r, 0), ro = tt::to_eigen(ronly.r, 0);
    if (test_rank() != 0) return "";
    const std::int64_t k = std::min(m, n);
    if (q.rows() != m || q.cols() != k || r.rows() != k || r.cols() != n) return "reduced: wrong shapes";
    if (qc.rows() != m || qc.cols() != m || rc.rows() != m || rc.cols() != n) return "complete: wrong shapes";
    if (ro != r) return "mode r differs from the reduced R";
    for (auto [qq, rr, what] : {std::tuple{&q, &r, "reduced"}, std::tuple{&qc, &rc, "complete"}}) {
      if (const double e = recon<T>(a, Mat<T>(*qq * *rr)); !passes(e, 50))
        return fails(std::string(what) + " ||A - QR||", e, 50);
      if (const double o = orthogonality<T>(*qq); !passes(o, 50))
        return fails(std::string(what) + " ||Q^H Q - I||", o, 50);
      if (!Mat<T>(rr->template triangularView<Eigen::StrictlyLower>()).isZero(0))
        return std::string(what) + ": R not upper";
    }
    return "";
  });
}

TEST_CASE("sweep: lstsq, full rank, over- and under-determined") {
  sweep_rect("lstsq", []<class T>(const tt::Grid& g, std::int64_t m, std::int64_t n, const Config& c) -> std::string {
    auto A = tt::random<T>(g, m, n, 121, c.block, c.src);
    auto B = tt::random<T>(g, m, 2, 122, c.block, c.src);
    auto res = tt::lstsq(A, B);
    const Mat<T> a = tt::to_eigen(A, 0), b = tt::to_eigen(B, 0), x = tt::to_eigen(res.x, 0);
    if (test_rank() != 0) return "";
    if (x.rows() != n || x.cols() != 2) return "x has the wrong shape";
    if (res.rank != std::min(m, n)) return "rank " + std::to_string(res.rank);
    if (m == 0 || n == 0) return x.isZero(0) ? "" : "x of an empty problem is not zero";
    // the minimum-norm solution, against Eigen's complete orthogonal decomposition
    const Mat<T> ref = ref_lstsq(a, b);
    const auto sref = ref_svdvals(a);
    const double tol =
        1e3 * eps<T>() * double(std::max(m, n)) * (sref.front() / sref.back()) * std::max(1.0, double(ref.norm()));
    if (const double d = double((x - ref).norm()); !(d <= tol)) return fails("||x - x_ref||", d, tol);
    if (m > n) {
      if (res.residuals.size() != 2) return "no residuals for an over-determined full-rank problem";
      for (int j = 0; j < 2; ++j) {
        const double rr = double((a * x.col(j) - b.col(j)).squaredNorm());
        if (std::abs(double(res.residuals[std::size_t(j)]) - rr) > 1e3 * eps<T>() * std::max(1.0, rr) * m)
          return "residuals differ from ||Ax - b||^2";
      }
    } else if (!res.residuals.empty()) {
      return "residuals given where numpy gives none";
    }
    return "";
  });
}
