# FindELPA: ELPA, the eigensolver library (Debian: libelpa-dev).
#
# Defines ELPA_FOUND, ELPA_VERSION (from pkg-config, where it answers) and the imported
# target ELPA::ELPA: ELPA's header folder and its library alone. The BLAS, LAPACK and
# ScaLAPACK that elpa.pc adds are left out on purpose, so that the program's own BLAS
# (OpenBLAS for Tartan) stays the only one linked.
#
# Hints: ELPA_ROOT (a prefix), or PKG_CONFIG_PATH for elpa.pc.

find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_ELPA QUIET elpa)
endif()
find_path(ELPA_INCLUDE_DIR elpa/elpa.h
  HINTS ${ELPA_ROOT}/include ${PC_ELPA_INCLUDE_DIRS}
  PATH_SUFFIXES elpa)
find_library(ELPA_LIBRARY NAMES elpa HINTS ${ELPA_ROOT}/lib ${PC_ELPA_LIBRARY_DIRS})
set(ELPA_VERSION ${PC_ELPA_VERSION})

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(ELPA REQUIRED_VARS ELPA_LIBRARY ELPA_INCLUDE_DIR VERSION_VAR ELPA_VERSION)
mark_as_advanced(ELPA_INCLUDE_DIR ELPA_LIBRARY)

if(ELPA_FOUND AND NOT TARGET ELPA::ELPA)
  add_library(ELPA::ELPA UNKNOWN IMPORTED)
  set_target_properties(ELPA::ELPA PROPERTIES
    IMPORTED_LOCATION "${ELPA_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${ELPA_INCLUDE_DIR}")
endif()
