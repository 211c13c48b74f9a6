# tartan_add_mpi_test(<target> RANKS <n>... [TIMEOUT <seconds>])
# Registers <target> with CTest once per rank count, as <target>.np<n>, under mpiexec.
# Ranks beyond the cores are oversubscribed (never skipped); mpiexec's own --timeout and
# CTest's TIMEOUT both make a deadlock fail in seconds instead of hanging the suite.
function(tartan_add_mpi_test target)
  cmake_parse_arguments(ARG "" "TIMEOUT" "RANKS;ARGS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 180)
  endif()
  if(NOT ARG_RANKS)
    set(ARG_RANKS 1 2 3 4 6)
  endif()
  foreach(np IN LISTS ARG_RANKS)
    set(name "${target}.np${np}")
    add_test(NAME ${name}
      COMMAND ${MPIEXEC_EXECUTABLE} --oversubscribe --timeout ${ARG_TIMEOUT}
              ${MPIEXEC_NUMPROC_FLAG} ${np} $<TARGET_FILE:${target}> ${ARG_ARGS})
    set_tests_properties(${name} PROPERTIES
      TIMEOUT ${ARG_TIMEOUT}
      PROCESSORS ${np}
      LABELS "mpi"
      ENVIRONMENT "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
  endforeach()
endfunction()
