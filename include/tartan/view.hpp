#pragma once
// View<T>: a rectangular window of a DistMatrix (ScaLAPACK's IA/JA), T possibly const.

#include <cstdint>
#include <string>
#include <type_traits>

#include "tartan/dist_matrix.hpp"
#include "tartan/error.hpp"

namespace tartan {

/// A rectangular window of a DistMatrix (T may be const). Cheap to copy; refers to the
/// matrix object it came from and must not outlive it. Built implicitly from a whole matrix
/// (never from a temporary).
///
/// A view follows its matrix object, not the storage: when that matrix is moved from (it
/// becomes 0 x 0) or assigned a smaller one, the window no longer fits, and every use of
/// the view (matrix(), grid(), and so every function that takes it) throws InvalidArgument
/// on every rank instead of reading a window that is not there. Take views after the moves.
///
/// Every function that reads a matrix takes a View too: gemm, norm, to_eigen,
/// redistribute, copy and assign work on the window in place; the linalg functions
/// (tartan/linalg/views.hpp) on a copy of it.
template <class T>
class View {
 public:
  using value_type = std::remove_const_t<T>;
  using Matrix = std::conditional_t<std::is_const_v<T>, const DistMatrix<value_type>, DistMatrix<value_type>>;

  View(Matrix& a) noexcept : a_(&a), i_(0), j_(0), m_(a.rows()), n_(a.cols()) {}  // NOLINT: implicit by design
  /// Throws InvalidArgument when the window does not fit in a.
  View(Matrix& a, std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n);
  /// A view of a temporary would dangle: functions that accept temporaries take
  /// const DistMatrix& (every View function has such an overload).
  View(DistMatrix<value_type>&&) = delete;
  View(const DistMatrix<value_type>&&) = delete;
  View(DistMatrix<value_type>&&, std::int64_t, std::int64_t, std::int64_t, std::int64_t) = delete;
  View(const DistMatrix<value_type>&&, std::int64_t, std::int64_t, std::int64_t, std::int64_t) = delete;
  /// A view of mutable data is also a read-only view.
  operator View<const value_type>() const noexcept  // NOLINT
      requires(!std::is_const_v<T>) {
    return View<const value_type>(*a_, i_, j_, m_, n_, 0);
  }

  std::int64_t rows() const noexcept { return m_; }
  std::int64_t cols() const noexcept { return n_; }
  /// Global index of the view's first row / column in the matrix.
  std::int64_t row_offset() const noexcept { return i_; }
  std::int64_t col_offset() const noexcept { return j_; }
  /// The matrix the window is in. Throws InvalidArgument when the window no longer fits it.
  Matrix& matrix() const {
    if (i_ + m_ > a_->rows() || j_ + n_ > a_->cols()) stale();
    return *a_;
  }
  /// The matrix's grid. Throws as matrix() does.
  const Grid& grid() const { return matrix().grid(); }
  /// ScaLAPACK's 1-based IA and JA of the view.
  int ia() const noexcept { return static_cast<int>(i_ + 1); }
  int ja() const noexcept { return static_cast<int>(j_ + 1); }

 private:
  template <class U>
  friend class View;
  // Trusted constructor (no checks); the int tag keeps it apart from the checked one.
  View(Matrix& a, std::int64_t i, std::int64_t j, std::int64_t m, std::int64_t n, int) noexcept
      : a_(&a), i_(i), j_(j), m_(m), n_(n) {}
  [[noreturn]] void stale() const {
    throw InvalidArgument("View: the " + std::to_string(m_) + "x" + std::to_string(n_) + " window at (" +
                          std::to_string(i_) + ", " + std::to_string(j_) + ") no longer fits its matrix, now " +
                          std::to_string(a_->rows()) + "x" + std::to_string(a_->cols()) +
                          " (moved from, or assigned a smaller one): take the view after the move");
  }
  Matrix* a_;
  std::int64_t i_, j_, m_, n_;
};

}  // namespace tartan
