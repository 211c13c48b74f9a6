// Catch2's own main, compiled once for the suites that run without MPI.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
