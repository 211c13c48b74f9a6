#pragma once
// Tartan: distributed dense linear algebra. Include this one header.

#include "tartan/blas.hpp"
#include "tartan/create.hpp"
#include "tartan/dist_matrix.hpp"
#include "tartan/environment.hpp"
#include "tartan/error.hpp"
#include "tartan/grid.hpp"
#include "tartan/io.hpp"
#include "tartan/layout.hpp"
#include "tartan/linalg.hpp"
#include "tartan/memory.hpp"
#include "tartan/types.hpp"
#include "tartan/version.hpp"
#include "tartan/view.hpp"
