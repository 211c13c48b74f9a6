// Agreement over a communicator: agreed flags and extremes, and errors raised on every rank.

#include "core/agree.hpp"

#include <limits>
#include <new>

#include "core/watchdog.hpp"
#include "tartan/error.hpp"

namespace tartan::detail {

bool any_rank(MPI_Comm comm, bool flag) {
  int in = flag ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, comm);
  return out != 0;
}

std::int64_t min_over(MPI_Comm comm, std::int64_t v) {
  std::int64_t out = v;
  MPI_Allreduce(&v, &out, 1, MPI_INT64_T, MPI_MIN, comm);
  return out;
}

std::int64_t max_over(MPI_Comm comm, std::int64_t v) {
  std::int64_t out = v;
  MPI_Allreduce(&v, &out, 1, MPI_INT64_T, MPI_MAX, comm);
  return out;
}

Failure failure_of(const std::exception_ptr& e) {
  // Most derived first.
  try {
    std::rethrow_exception(e);
  } catch (const SingularMatrix& x) {
    return {Failure::singular, x.index(), x.what()};
  } catch (const NotPositiveDefinite& x) {
    return {Failure::not_positive_definite, x.order(), x.what()};
  } catch (const NoConvergence& x) {
    return {Failure::no_convergence, 0, x.what()};
  } catch (const LinAlgError& x) {
    return {Failure::linalg, 0, x.what()};
  } catch (const NonFiniteInput& x) {
    return {Failure::nonfinite, 0, x.what()};
  } catch (const InvalidArgument& x) {
    return {Failure::invalid_argument, 0, x.what()};
  } catch (const FormatError& x) {
    return {Failure::format, 0, x.what()};
  } catch (const IoError& x) {
    return {Failure::io, 0, x.what()};
  } catch (const OutOfMemory& x) {
    return {Failure::out_of_memory, x.bytes(), x.what()};
  } catch (const Error& x) {
    return {Failure::error, 0, x.what()};
  } catch (const std::bad_alloc&) {
    return {Failure::out_of_memory, 0, "out of memory"};
  } catch (const std::exception& x) {
    return {Failure::error, 0, x.what()};
  } catch (...) {
    return {Failure::error, 0, "unknown exception"};
  }
}

void throw_failure(const Failure& f) {
  switch (f.kind) {
    case Failure::singular:
      throw SingularMatrix(f.message, f.value);
    case Failure::not_positive_definite:
      throw NotPositiveDefinite(f.message, f.value);
    case Failure::no_convergence:
      throw NoConvergence(f.message);
    case Failure::linalg:
      throw LinAlgError(f.message);
    case Failure::nonfinite:
      throw NonFiniteInput(f.message);
    case Failure::invalid_argument:
      throw InvalidArgument(f.message);
    case Failure::format:
      throw FormatError(f.message);
    case Failure::io:
      throw IoError(f.message);
    case Failure::out_of_memory:
      throw OutOfMemory(f.message, f.value);
    case Failure::none:
    case Failure::error:
      break;
  }
  throw Error(f.message);
}

void agree(MPI_Comm comm, const Failure& mine) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  const watchdog::Scope watch("a collective check", [&] {
    MPI_Comm_size(comm, &size);
    return "every rank's arguments agreed over " + std::to_string(size) + " ranks";
  });
  int me = mine ? rank : std::numeric_limits<int>::max(), first = 0;
  MPI_Allreduce(&me, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == std::numeric_limits<int>::max()) return;
  std::int64_t head[3] = {mine.kind, mine.value, static_cast<std::int64_t>(mine.message.size())};
  MPI_Bcast(head, 3, MPI_INT64_T, first, comm);
  std::string text = mine.message;
  text.resize(static_cast<std::size_t>(head[2]));
  MPI_Bcast(text.data(), static_cast<int>(head[2]), MPI_CHAR, first, comm);
  throw_failure({static_cast<Failure::Kind>(head[0]), head[1], text});
}

}  // namespace tartan::detail
