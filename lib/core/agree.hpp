#pragma once
// Agreement over a communicator: every rank learns the same answer before anyone branches
// or throws, so no rank is left waiting in a collective that another has left.

#include <mpi.h>

#include <complex>
#include <cstdint>
#include <exception>
#include <string>
#include <type_traits>

namespace tartan::detail {

/// The MPI datatype of T.
template <class T>
MPI_Datatype mpi_type() {
  if constexpr (std::is_same_v<T, float>)
    return MPI_FLOAT;
  else if constexpr (std::is_same_v<T, double>)
    return MPI_DOUBLE;
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    return MPI_C_FLOAT_COMPLEX;
  else if constexpr (std::is_same_v<T, std::complex<double>>)
    return MPI_C_DOUBLE_COMPLEX;
  else if constexpr (std::is_same_v<T, int>)
    return MPI_INT;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return MPI_INT64_T;
  else
    static_assert(sizeof(T) == 0, "no MPI type");
}

/// Logical OR of flag over comm.
bool any_rank(MPI_Comm comm, bool flag);
/// Smallest v over comm.
std::int64_t min_over(MPI_Comm comm, std::int64_t v);
/// Largest v over comm.
std::int64_t max_over(MPI_Comm comm, std::int64_t v);

/// An error one rank saw, in a form that can be sent to the others and thrown there as
/// the same type with the same message.
struct Failure {
  enum Kind : int {
    none = 0,
    error,
    invalid_argument,
    nonfinite,
    linalg,
    singular,
    not_positive_definite,
    no_convergence,
    out_of_memory,
    io,
    format
  };
  Kind kind = none;
  std::int64_t value = 0;  ///< index(), order() or bytes() where the type carries one
  std::string message;
  explicit operator bool() const noexcept { return kind != none; }
};

/// The Failure an exception stands for (std::bad_alloc is out_of_memory; anything that is
/// not a tartan::Error is error).
Failure failure_of(const std::exception_ptr& e);

/// Throws the exception a Failure stands for.
[[noreturn]] void throw_failure(const Failure& f);

/// Collective: when any rank passes a Failure, every rank throws the one of the lowest such
/// rank. Returns normally on every rank when none failed.
void agree(MPI_Comm comm, const Failure& mine);

/// Collective: runs f on every rank; when f throws on any rank, every rank throws that
/// error (the lowest failing rank's). f must not itself call collectives over comm.
template <class F>
void collectively(MPI_Comm comm, F&& f) {
  Failure mine;
  try {
    f();
  } catch (...) {
    mine = failure_of(std::current_exception());
  }
  agree(comm, mine);
}

}  // namespace tartan::detail
