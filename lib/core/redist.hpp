#pragma once
// Copying a window of one block-cyclic matrix into a window of another, over grids that
// span the same processes: Tartan's replacement for p?gemr2d.
//
// p?gemr2d walks the two layouts block pair by block pair and exchanges one message per
// pair of processes and pass; on one node it took about as long as an LU of the same
// matrix at n = 2000. Here each rank works out, from the two layouts alone, which rows and
// columns of its window go to which process (runs of rows that are contiguous on both
// sides), packs one buffer per destination in a fixed order, and one MPI_Alltoallv moves
// everything; the receiver unpacks in the same order. What a rank keeps is copied
// directly. No message carries indices.

#include <cstdint>

#include "tartan/grid.hpp"

namespace tartan::detail {

/// B(ib:ib+m-1, jb:jb+n-1) = A(ia:ia+m-1, ja:ja+n-1), indices 1-based as ScaLAPACK's.
/// desca/descb are ScaLAPACK descriptors of A on grid ga and of B on grid gb; the grids
/// span the same processes. a and b are this rank's local arrays (a rank that holds none
/// may pass any pointer). Collective over ga's communicator. A and B may be the same
/// matrix, even with overlapping windows: then everything passes through the buffers,
/// which are filled before anything is written.
template <class T>
void copy_window(std::int64_t m, std::int64_t n, const T* a, std::int64_t ia, std::int64_t ja, const int* desca,
                 const Grid& ga, T* b, std::int64_t ib, std::int64_t jb, const int* descb, const Grid& gb);

}  // namespace tartan::detail
