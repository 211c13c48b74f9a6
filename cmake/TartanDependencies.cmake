# Finds Tartan's dependencies. Used by the build and, installed, by TartanConfig.cmake,
# so a consumer gets exactly the same targets.
include(CMakeFindDependencyMacro)
find_dependency(MPI COMPONENTS CXX)
find_dependency(Eigen3 3.3 NO_MODULE)

# Debian 12's scalapack-openmpi CMake config names a library path that does not exist,
# so the library is found directly and wrapped in an imported target.
if(NOT TARGET Tartan::scalapack)
  find_library(TARTAN_SCALAPACK_LIBRARY
    NAMES scalapack-openmpi scalapack
    DOC "ScaLAPACK built for the MPI Tartan uses")
  find_library(TARTAN_OPENBLAS_LIBRARY NAMES openblas DOC "OpenBLAS (BLAS and LAPACK)")
  if(NOT TARTAN_SCALAPACK_LIBRARY OR NOT TARTAN_OPENBLAS_LIBRARY)
    message(FATAL_ERROR
      "Tartan needs ScaLAPACK and OpenBLAS: install libscalapack-openmpi-dev and "
      "libopenblas-dev (cmake/install-deps.sh does it), or set TARTAN_SCALAPACK_LIBRARY "
      "and TARTAN_OPENBLAS_LIBRARY.")
  endif()
  add_library(Tartan::openblas UNKNOWN IMPORTED)
  set_target_properties(Tartan::openblas PROPERTIES IMPORTED_LOCATION "${TARTAN_OPENBLAS_LIBRARY}")
  add_library(Tartan::scalapack UNKNOWN IMPORTED)
  set_target_properties(Tartan::scalapack PROPERTIES
    IMPORTED_LOCATION "${TARTAN_SCALAPACK_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "Tartan::openblas;MPI::MPI_CXX")
endif()
