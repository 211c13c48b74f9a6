# tartan_add_mpi_test(<target> [RANKS <n>...] [TIMEOUT <seconds>] [NAME <base>] [LABELS <l>...]
#                     [ENV <VAR=value>...] [ARGS <arg>...] [MULTIHOST])
# Registers <target> with CTest once per rank count, as <base>.np<n> (base defaults to the
# target), under mpiexec. Ranks beyond the cores are oversubscribed (never skipped);
# mpiexec's own --timeout and CTest's TIMEOUT both make a deadlock fail in seconds instead
# of hanging the suite. Every test carries the label "mpi" besides LABELS.
# MULTIHOST also registers <base>.hosts2x1 and <base>.hosts2x2: 2 hosts with 1 and 2 ranks
# each, network namespaces joined over TCP (tests/multihost/run.sh), label "multihost",
# one at a time (they share the bridge's CPU time), skipped (exit 77) where the machine
# cannot make namespaces.
function(tartan_add_mpi_test target)
  cmake_parse_arguments(ARG "MULTIHOST" "TIMEOUT;NAME" "RANKS;ARGS;LABELS;ENV" ${ARGN})
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
  if(ARG_MULTIHOST)
    foreach(per_host 1 2)
      tartan_add_multihost_test(${ARG_NAME}.hosts2x${per_host} ${per_host} ${ARG_TIMEOUT} "${ARG_LABELS}" "${ARG_ENV}"
                                $<TARGET_FILE:${target}> ${ARG_ARGS})
    endforeach()
  endif()
endfunction()

# tartan_add_multihost_test(<name> <ranks per host> <timeout> <labels> <env> <command>...)
# One command on 2 hosts (network namespaces) through tests/multihost/run.sh.
function(tartan_add_multihost_test name per_host timeout labels env)
  add_test(NAME ${name}
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/multihost/run.sh --hosts 2 --per-host ${per_host} --timeout ${timeout}
            -- ${ARGN})
  math(EXPR np "2 * ${per_host}")
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${timeout}
    PROCESSORS ${np}
    SKIP_RETURN_CODE 77
    RESOURCE_LOCK multihost
    LABELS "mpi;multihost;${labels}"
    ENVIRONMENT "${env}")
endfunction()
