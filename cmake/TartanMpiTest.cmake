# tartan_add_mpi_test(<target> [RANKS <n>...] [TIMEOUT <seconds>] [NAME <base>] [LABELS <l>...]
#                     [ENV <VAR=value>...] [ARGS <arg>...])
# Registers <target> with CTest once per rank count, as <base>.np<n> (base defaults to the
# target), under mpiexec. Ranks beyond the cores are oversubscribed (never skipped);
# mpiexec's own --timeout and CTest's TIMEOUT both make a deadlock fail in seconds instead
# of hanging the suite. Every test carries the label "mpi" besides LABELS.
function(tartan_add_mpi_test target)
  cmake_parse_arguments(ARG "" "TIMEOUT;NAME" "RANKS;ARGS;LABELS;ENV" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 180)
  endif()
  if(NOT ARG_RANKS)
    set(ARG_RANKS 1 2 3 4 6)
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  foreach(np IN LISTS ARG_RANKS)
    set(name "${ARG_NAME}.np${np}")
    add_test(NAME ${name}
      COMMAND ${MPIEXEC_EXECUTABLE} --oversubscribe --timeout ${ARG_TIMEOUT}
              ${MPIEXEC_NUMPROC_FLAG} ${np} $<TARGET_FILE:${target}> ${ARG_ARGS})
    set_tests_properties(${name} PROPERTIES
      TIMEOUT ${ARG_TIMEOUT}
      PROCESSORS ${np}
      LABELS "mpi;${ARG_LABELS}"
      ENVIRONMENT "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1;${ARG_ENV}")
  endforeach()
endfunction()
