#pragma once
// Agreement over a communicator: every rank learns the same answer before anyone branches
// or throws, so no rank is left waiting in a collective that another has left.

#include <mpi.h>

#include <complex>
#include <cstdint>
#include <type_traits>

namespace tartan::detail {

/// The MPI datatype of T.
template <class T>
MPI_Datatype mpi_type() {
  if constexpr (std::is_same_v<T, float>) return MPI_FLOAT;
  else if constexpr (std::is_same_v<T, double>) return MPI_DOUBLE;
  else if constexpr (std::is_same_v<T, std::complex<float>>) return MPI_C_FLOAT_COMPLEX;
  else if constexpr (std::is_same_v<T, std::complex<double>>) return MPI_C_DOUBLE_COMPLEX;
  else if constexpr (std::is_same_v<T, int>) return MPI_INT;
  else if constexpr (std::is_same_v<T, std::int64_t>) return MPI_INT64_T;
  else static_assert(sizeof(T) == 0, "no MPI type");
}

/// Logical OR of flag over comm.
bool any_rank(MPI_Comm comm, bool flag);
/// Smallest v over comm.
std::int64_t min_over(MPI_Comm comm, std::int64_t v);

}  // namespace tartan::detail
