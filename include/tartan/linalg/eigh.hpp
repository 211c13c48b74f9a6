#pragma once
// Symmetric and Hermitian eigenproblems, standard and generalized (scipy.linalg.eigh).

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tartan/dist_matrix.hpp"
#include "tartan/types.hpp"

namespace tartan {

/// The algorithm of eigh (scipy.linalg.eigh's driver).
enum class EighDriver {
  automatic,  ///< the fastest that serves the problem: ELPA's one-stage solver for all eigenpairs
              ///< (and eigenvalues only) in double precision, where Tartan is built with ELPA and
              ///< every process holds rows and columns of A; p?syevd/p?heevd otherwise;
              ///< p?syevr/p?heevr for subsets
  elpa,       ///< ELPA, one stage: tridiagonal reduction, divide and conquer, back-transformation
  elpa2,      ///< ELPA, two stages (banded, then tridiagonal): slower here, with ELPA's generic
              ///< kernels; real types only (complex runs elpa, and the result says why)
  evd,        ///< ScaLAPACK's divide and conquer, p?syevd/p?heevd; all eigenpairs only
  evr,        ///< ScaLAPACK's MRRR, p?syevr/p?heevr; all eigenpairs or a subset
};
/// "auto", "elpa", "elpa2", "evd" or "evr".
const char* driver_name(EighDriver d);
/// Whether this libtartan was built with ELPA (the elpa and elpa2 drivers).
bool have_elpa();

struct EighOptions {
  bool lower = true;  ///< read the lower triangle (scipy's and numpy's default); else the upper
  /// Only eigenpairs lo..hi (0-based, inclusive, ascending order), as scipy's subset_by_index.
  std::optional<std::pair<std::int64_t, std::int64_t>> subset_by_index;
  /// Only eigenvalues in the half-open interval (lo, hi], as scipy's subset_by_value.
  /// NaN bounds or lo >= hi throw InvalidArgument.
  std::optional<std::pair<double, double>> subset_by_value;
  bool check_finite = true;  ///< throw NonFiniteInput for NaN/Inf in A (and B)
  /// elpa/elpa2 in a build without ELPA, evd with a subset, or elpa/elpa2 with
  /// subset_by_value throw InvalidArgument. Where ELPA cannot serve a problem it was asked
  /// for (one block per process is too few, or ELPA reports an error), eigh falls back to
  /// p?syevd and the result says why.
  EighDriver driver = EighDriver::automatic;
};

/// Eigenvalues, eigenvectors, and the algorithm that made them. Unpacks as
/// `auto [w, v] = eigh(A)`.
template <class T>
struct EighResult {
  std::vector<real_t<T>> eigenvalues;   ///< ascending, on every rank
  DistMatrix<T> eigenvectors;           ///< n x k, column i belongs to eigenvalues[i]
  EighDriver driver = EighDriver::evd;  ///< the algorithm used (never automatic; LAPACK's ?syevd or
                                        ///< ?syevr on one process count as evd and evr)
  std::string fallback;                 ///< why the requested or chosen ELPA driver fell back; else empty

  template <std::size_t I>
  auto& get() & {
    if constexpr (I == 0)
      return eigenvalues;
    else
      return eigenvectors;
  }
  template <std::size_t I>
  const auto& get() const& {
    if constexpr (I == 0)
      return eigenvalues;
    else
      return eigenvectors;
  }
  template <std::size_t I>
  auto&& get() && {
    if constexpr (I == 0)
      return std::move(eigenvalues);
    else
      return std::move(eigenvectors);
  }
};

/// Eigenvalues and eigenvectors of Hermitian (real symmetric) A, by the driver of opts
/// (ELPA or p?syevd/p?heevd for all of them, p?syevr/p?heevr for a subset). Only the
/// chosen triangle of A is read. Throws InvalidArgument, NonFiniteInput, NoConvergence. Collective.
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, EighOptions opts = {});
/// The generalized problem A x = lambda B x with B Hermitian positive definite; the
/// eigenvectors are B-orthonormal. Throws NotPositiveDefinite for B.
template <class T>
EighResult<T> eigh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts = {});
/// Eigenvalues only (ascending).
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, EighOptions opts = {});
template <class T>
std::vector<real_t<T>> eigvalsh(const DistMatrix<T>& A, const DistMatrix<T>& B, EighOptions opts = {});

}  // namespace tartan

template <class T>
struct std::tuple_size<tartan::EighResult<T>> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I, class T>
struct std::tuple_element<I, tartan::EighResult<T>> {
  using type = std::conditional_t<I == 0, std::vector<tartan::real_t<T>>, tartan::DistMatrix<T>>;
};
