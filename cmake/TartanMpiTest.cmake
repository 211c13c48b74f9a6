# tartan_add_mpi_test(<target> [RANKS <n>] [TIMEOUT <seconds>] [NAME <base>] [LABELS <l>...]
#                     [ENV <VAR=value>...] [ARGS <arg>...] [FULL] [MULTIHOST])
# Registers <target>, a Catch2 suite with the shared MPI main (tests/support/mpi_main.cpp),
# with CTest as <base> (default: the target's name): one launch of RANKS ranks (default 4)
# that runs the suite at 1, 2, ... RANKS ranks in turn, so one launch covers every grid of
# 1-4 ranks. Ranks beyond the cores are oversubscribed, never skipped.
#   FULL       also <base>.np6, label "full": the suite once more at 6 ranks (2x3, 3x2,
#              1x6, 6x1).
#   MULTIHOST  also <base>.hosts2x1 and <base>.hosts2x2, label "multihost": 2 hosts with 1
#              and 2 ranks each (network namespaces over TCP, tests/multihost/run.sh), the
#              suite at the launch's full size, one at a time, skipped (exit 77) where the
#              machine cannot make namespaces.
# Every launch has two deadlines: mpiexec's --timeout, a margin below CTest's TIMEOUT, so
# that a hang is reported by mpiexec (which names the ranks it killed) and CTest's only
# backs it up. Every test carries the label "mpi" besides LABELS.
set(TARTAN_TEST_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")

# Deadlines scale with the build: sanitized code runs several times slower.
set(TARTAN_TEST_TIME_SCALE 1)
if(TARTAN_SANITIZE)
  set(TARTAN_TEST_TIME_SCALE 6)
endif()

# mpiexec's deadline for a CTest TIMEOUT of <timeout>: 30 s or a tenth below it.
function(tartan_mpiexec_timeout timeout out)
  math(EXPR margin "${timeout} / 10")
  if(margin LESS 30)
    set(margin 30)
  endif()
  math(EXPR t "${timeout} - ${margin}")
  set(${out} ${t} PARENT_SCOPE)
endfunction()

function(tartan_add_mpi_test target)
  cmake_parse_arguments(ARG "FULL;MULTIHOST" "RANKS;TIMEOUT;NAME" "ARGS;LABELS;ENV" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * ${TARTAN_TEST_TIME_SCALE}")
  if(NOT ARG_RANKS)
    set(ARG_RANKS 4)
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  tartan_mpiexec_timeout(${ARG_TIMEOUT} mpi_timeout)
  add_test(NAME ${ARG_NAME}
    COMMAND ${MPIEXEC_EXECUTABLE} --oversubscribe --timeout ${mpi_timeout}
            ${MPIEXEC_NUMPROC_FLAG} ${ARG_RANKS} $<TARGET_FILE:${target}> ${ARG_ARGS})
  set_tests_properties(${ARG_NAME} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    PROCESSORS ${ARG_RANKS}
    LABELS "mpi;${ARG_LABELS}"
    ENVIRONMENT "${TARTAN_TEST_ENV};${ARG_ENV}")
  if(ARG_FULL)
    add_test(NAME ${ARG_NAME}.np6
      COMMAND ${MPIEXEC_EXECUTABLE} --oversubscribe --timeout ${mpi_timeout}
              ${MPIEXEC_NUMPROC_FLAG} 6 $<TARGET_FILE:${target}> ${ARG_ARGS})
    set_tests_properties(${ARG_NAME}.np6 PROPERTIES
      TIMEOUT ${ARG_TIMEOUT}
      PROCESSORS 6
      LABELS "mpi;full"
      ENVIRONMENT "${TARTAN_TEST_ENV};TARTAN_TEST_RANKS=6;${ARG_ENV}")
  endif()
  if(ARG_MULTIHOST)
    foreach(per_host 1 2)
      math(EXPR np "2 * ${per_host}")
      tartan_add_multihost_test(${ARG_NAME}.hosts2x${per_host} ${per_host} ${ARG_TIMEOUT} "multihost;${ARG_LABELS}"
                                "TARTAN_TEST_RANKS=${np};${ARG_ENV}" $<TARGET_FILE:${target}> ${ARG_ARGS})
    endforeach()
  endif()
endfunction()

# tartan_add_multihost_test(<name> <ranks per host> <timeout> <labels> <env> <command>...)
# One command on 2 hosts (network namespaces) through tests/multihost/run.sh. Give it the
# label "multihost" (left out of the default tier), or "multihost-smoke" for the one run
# the default tier keeps; `ctest -L multihost` runs both.
function(tartan_add_multihost_test name per_host timeout labels env)
  math(EXPR timeout "${timeout} * ${TARTAN_TEST_TIME_SCALE}")
  tartan_mpiexec_timeout(${timeout} mpi_timeout)
  add_test(NAME ${name}
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/multihost/run.sh --hosts 2 --per-host ${per_host} --timeout ${mpi_timeout}
            -- ${ARGN})
  math(EXPR np "2 * ${per_host}")
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${timeout}
    PROCESSORS ${np}
    SKIP_RETURN_CODE 77
    RESOURCE_LOCK multihost
    LABELS "mpi;${labels}"
    ENVIRONMENT "${env}")
endfunction()
