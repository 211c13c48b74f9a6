#pragma once
// LU factorization with partial pivoting, kept for many solves (scipy.linalg.lu_factor),
// and det / slogdet.

#include <cstdint>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/linalg/options.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// sign and log|det| (numpy.linalg.slogdet): det = sign * exp(logabsdet). For a
/// singular matrix sign is 0 and logabsdet is -inf.
template <class T>
struct SlogdetResult {
  T sign;
  real_t<T> logabsdet;
};

/// An LU factorization with partial pivoting, P A = L U, kept to solve many right-hand sides.
template <class T>
class LU {
 public:
  /// X with op(A) X = B. Throws SingularMatrix when U has an exactly zero pivot,
  /// InvalidArgument when B is on another grid or has the wrong number of rows. Collective.
  DistMatrix<T> solve(const DistMatrix<T>& B, Op trans = Op::none) const;
  /// det(A) (0 when singular); computed from log|u_ii| so no intermediate overflow.
  T det() const;
  SlogdetResult<T> slogdet() const;
  /// L (unit lower, not stored on the diagonal) and U packed in one matrix, as LAPACK.
  const DistMatrix<T>& factors() const noexcept { return lu_; }
  /// This process's ScaLAPACK pivot array (1-based global rows), for direct ScaLAPACK calls.
  const std::vector<int>& local_pivots() const noexcept { return ipiv_; }
  /// The pivots as scipy's lu_factor gives them, on every rank: row i was interchanged with
  /// row pivots()[i] (0-based), for i < min(m, n). Collective.
  std::vector<std::int64_t> pivots() const;
  /// 0-based index of the first exactly-zero pivot, or -1.
  std::int64_t singular_index() const noexcept { return singular_; }

  /// For the library: wraps factors computed by lu_factor.
  static LU make(DistMatrix<T> lu, std::vector<int> ipiv, std::int64_t singular) {
    return LU(std::move(lu), std::move(ipiv), singular);
  }

 private:
  LU(DistMatrix<T> lu, std::vector<int> ipiv, std::int64_t singular)
      : lu_(std::move(lu)), ipiv_(std::move(ipiv)), singular_(singular) {}
  DistMatrix<T> lu_;
  std::vector<int> ipiv_;
  std::int64_t singular_;
};

/// Options of lu_factor (scipy.linalg.lu_factor's).
struct LuOptions {
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A
};

/// LU factorization of square A (scipy.linalg.lu_factor). A singular A does not throw
/// here (as scipy); solve() on it does. Throws InvalidArgument, NonFiniteInput. Collective.
template <class T>
LU<T> lu_factor(const DistMatrix<T>& A, LuOptions opts = {});
/// The same on an rvalue (std::move(A) or a temporary), as scipy's overwrite_a=True:
/// factors in A's storage when its layout serves ScaLAPACK, else in a redistributed copy.
/// A is left an empty 0x0 matrix whether the call returns or throws.
template <class T>
LU<T> lu_factor(DistMatrix<T>&& A, LuOptions opts = {});

/// det(A) (1 for 0 x 0), via LU; computed from log|u_ii|, so it overflows only when the
/// determinant itself does. Throws InvalidArgument (A not square), NonFiniteInput.
template <class T>
T det(const DistMatrix<T>& A, CheckOptions opts = {});
/// sign and log|det| of A via LU (numpy.linalg.slogdet).
template <class T>
SlogdetResult<T> slogdet(const DistMatrix<T>& A, CheckOptions opts = {});

}  // namespace tartan
