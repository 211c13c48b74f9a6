// The Python front of Tartan: tartan._core, built with pybind11 over libtartan.
//
// A DistMatrix here holds one of Tartan's four DistMatrix<T> types; every operation
// dispatches on it. Collective calls release the GIL while Tartan works (each rank must
// make the same calls in the same order, as in C++). C++ exceptions become the classes of
// tartan._errors, raised alike on every rank because Tartan throws alike on every rank.

#include <mpi.h>
#include <mpi4py/mpi4py.h>
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <climits>
#include <cmath>
#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tartan/tartan.hpp"

namespace py = pybind11;
namespace tt = tartan;
using cf = std::complex<float>;
using cd = std::complex<double>;

namespace {

using Any = std::variant<tt::DistMatrix<float>, tt::DistMatrix<double>, tt::DistMatrix<cf>, tt::DistMatrix<cd>>;

struct Matrix {
  Any m;
};

using LuAny = std::variant<tt::LU<float>, tt::LU<double>, tt::LU<cf>, tt::LU<cd>>;
struct PyLU {
  LuAny f;
};
using ChoAny = std::variant<tt::Cholesky<float>, tt::Cholesky<double>, tt::Cholesky<cf>, tt::Cholesky<cd>>;
struct PyCho {
  ChoAny f;
};

struct PyGrid {
  tt::Grid g;
  py::object comm;  // the mpi4py communicator it was built from (kept for .comm)
};

template <class T>
const char* dtype_str() {
  if constexpr (std::is_same_v<T, float>)
    return "float32";
  else if constexpr (std::is_same_v<T, double>)
    return "float64";
  else if constexpr (std::is_same_v<T, cf>)
    return "complex64";
  else
    return "complex128";
}

// 0..3 for float32, float64, complex64, complex128; integers and booleans compute in
// float64 as numpy.linalg does. TypeError for anything else.
int code_of(const py::dtype& d) {
  const char k = d.kind();
  const auto size = d.itemsize();
  if (k == 'f' && size == 4) return 0;
  if (k == 'f' && size == 8) return 1;
  if (k == 'c' && size == 8) return 2;
  if (k == 'c' && size == 16) return 3;
  if (k == 'i' || k == 'u' || k == 'b') return 1;
  throw py::type_error("tartan: dtype " + d.attr("name").cast<std::string>() +
                       " is not supported; use float32, float64, complex64 or complex128");
}

template <class F>
decltype(auto) with_type(int code, F&& f) {
  switch (code) {
    case 0:
      return f.template operator()<float>();
    case 1:
      return f.template operator()<double>();
    case 2:
      return f.template operator()<cf>();
    default:
      return f.template operator()<cd>();
  }
}

template <class T>
int code_of_t() {
  return std::is_same_v<T, float> ? 0 : std::is_same_v<T, double> ? 1 : std::is_same_v<T, cf> ? 2 : 3;
}

// Runs f(x) on the matrix held, with the GIL released.
template <class F>
auto released(F&& f) {
  py::gil_scoped_release nogil;
  return f();
}

// f(a, b) for two matrices of one element type; TypeError otherwise.
template <class F>
py::object visit2(const Matrix& a, const Matrix& b, const char* func, F&& f) {
  return std::visit(
      [&](const auto& x) -> py::object {
        using M = std::decay_t<decltype(x)>;
        const M* y = std::get_if<M>(&b.m);
        if (!y)
          throw py::type_error(std::string("tartan: ") + func +
                               ": operands have different dtypes; convert one with .astype()");
        return f(x, *y);
      },
      a.m);
}

template <class T>
py::object wrap(tt::DistMatrix<T>&& m) {
  return py::cast(Matrix{Any(std::move(m))});
}

template <class R>
py::array_t<R> to_array(const std::vector<R>& v) {
  py::array_t<R> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

py::handle errors;  // the module tartan._errors (a reference kept for good: no destructor after Python is gone)

[[noreturn]] void raise(const char* cls, const std::string& msg, const char* attr = nullptr, std::int64_t value = 0) {
  py::object c = errors.attr(cls);
  py::object e = c(msg);
  if (attr) e.attr(attr) = value;
  PyErr_SetObject(c.ptr(), e.ptr());
  throw py::error_already_set();
}

tt::Grid grid_of(const Matrix& a) {
  return std::visit([](const auto& x) { return x.grid(); }, a.m);
}

std::optional<tt::Block> block_arg(const py::object& block) {
  if (block.is_none()) return std::nullopt;
  auto t = block.cast<std::pair<std::int64_t, std::int64_t>>();
  return tt::Block{t.first, t.second};
}

tt::Op op_of(int trans) {
  if (trans == 0) return tt::Op::none;
  if (trans == 1) return tt::Op::transpose;
  if (trans == 2) return tt::Op::adjoint;
  throw py::value_error("tartan: trans is " + std::to_string(trans) + ", expected 0, 1 or 2 (N, T, C)");
}

tt::Op op_of(const py::object& trans) {
  if (py::isinstance<py::str>(trans)) {
    const auto s = trans.cast<std::string>();
    if (s == "N") return tt::Op::none;
    if (s == "T") return tt::Op::transpose;
    if (s == "C") return tt::Op::adjoint;
    throw py::value_error("tartan: trans is '" + s + "', expected 'N', 'T' or 'C'");
  }
  return op_of(trans.cast<int>());
}

// The local block of a matrix as a writable Fortran-order numpy view, kept alive by self.
py::array local_view(py::object self) {
  Matrix& a = self.cast<Matrix&>();
  return std::visit(
      [&](auto& x) -> py::array {
        using T = typename std::decay_t<decltype(x)>::value_type;
        const auto s = static_cast<py::ssize_t>(sizeof(T));
        return py::array_t<T>({static_cast<py::ssize_t>(x.local_rows()), static_cast<py::ssize_t>(x.local_cols())},
                              {s, s * static_cast<py::ssize_t>(x.lld())}, x.data(), self);
      },
      a.m);
}

// The error of the lowest rank whose err is not empty, the same text on every rank, and that
// rank in *rank (-1 and "" when no rank failed). Collective over comm: a failure one rank saw
// is raised on every rank with that rank's words, not a bare "failed somewhere".
std::string lowest_failure(MPI_Comm comm, const std::string& err, int* rank) {
  int me = 0;
  MPI_Comm_rank(comm, &me);
  int mine = err.empty() ? INT_MAX : me, first = INT_MAX;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
  *rank = first == INT_MAX ? -1 : first;
  if (first == INT_MAX) return "";
  std::string text = err;
  unsigned long long len = text.size();
  MPI_Bcast(&len, 1, MPI_UNSIGNED_LONG_LONG, first, comm);
  text.resize(static_cast<std::size_t>(len));
  if (len > 0) MPI_Bcast(text.data(), static_cast<int>(len), MPI_CHAR, first, comm);
  return text;
}

// Gathers a to root (every rank when root is None) as a Fortran-order numpy array.
py::object to_numpy(const Matrix& a, const py::object& root_obj) {
  return std::visit(
      [&](const auto& x) -> py::object {
        using T = typename std::decay_t<decltype(x)>::value_type;
        const bool everywhere = root_obj.is_none();
        const int root = everywhere ? 0 : root_obj.cast<int>();
        Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> M = released([&] { return tt::to_eigen(x, root); });
        const int me = x.grid().rank();
        if (everywhere) {
          if (me != 0) M.resize(x.rows(), x.cols());
          py::gil_scoped_release nogil;
          const std::int64_t count = x.rows() * x.cols();
          for (std::int64_t off = 0; off < count; off += (1 << 28))
            MPI_Bcast(M.data() + off, static_cast<int>(std::min<std::int64_t>(count - off, 1 << 28)),
                      tt::dtype_of<T>() == tt::Dtype::f4   ? MPI_FLOAT
                      : tt::dtype_of<T>() == tt::Dtype::f8 ? MPI_DOUBLE
                      : tt::dtype_of<T>() == tt::Dtype::c8 ? MPI_C_FLOAT_COMPLEX
                                                           : MPI_C_DOUBLE_COMPLEX,
                      0, x.grid().comm());
        } else if (me != root) {
          return py::none();
        }
        const auto s = static_cast<py::ssize_t>(sizeof(T));
        py::array_t<T> out({static_cast<py::ssize_t>(x.rows()), static_cast<py::ssize_t>(x.cols())},
                           {s, s * static_cast<py::ssize_t>(std::max<std::int64_t>(x.rows(), 1))});
        std::copy(M.data(), M.data() + M.size(), out.mutable_data());
        return out;
      },
      a.m);
}

Matrix from_numpy(const py::object& arr, const PyGrid& grid, int root, const py::object& block) {
  const tt::Grid& g = grid.g;
  if (root < 0 || root >= g.size())
    throw py::value_error("tartan: from_numpy: root is " + std::to_string(root) + ", expected 0 to " +
                          std::to_string(g.size() - 1));
  int code = -1;
  py::array a;
  if (g.rank() == root) {  // every failure here is broadcast first, then raised on every rank
    if (!arr.is_none()) a = py::array::ensure(arr);
    if (arr.is_none() || !a) {
      code = -4;
    } else {
      try {
        code = code_of(a.dtype());
        if (a.ndim() == 1) a = a.attr("reshape")(py::make_tuple(a.shape(0), 1));
        if (a.ndim() != 2) code = -2;
      } catch (const py::type_error&) {
        code = -3;
      }
    }
  }
  MPI_Bcast(&code, 1, MPI_INT, root, g.comm());
  if (code == -4) throw py::type_error("tartan: from_numpy: the root rank passed no array");
  if (code == -2) throw py::value_error("tartan: from_numpy: expected a 1-D or 2-D array");
  if (code == -3)
    throw py::type_error(
        "tartan: from_numpy: the array's dtype is not float32, float64, complex64, complex128 or integer");
  const tt::Block b = block_arg(block).value_or(tt::Block{});
  return with_type(code, [&]<class T>() {
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> M;
    if (g.rank() == root) {
      auto f = py::array_t<T, py::array::f_style | py::array::forcecast>::ensure(a);
      M = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>(f.data(), f.shape(0), f.shape(1));
    }
    py::gil_scoped_release nogil;
    return Matrix{Any(tt::from_eigen(g, M, root, b))};
  });
}

template <class T>
T scalar_as(const py::object& v) {
  if constexpr (tt::is_complex_v<T>)
    return v.cast<T>();
  else {
    if (PyComplex_Check(v.ptr())) throw py::type_error("tartan: a complex scalar needs a complex matrix");
    return v.cast<T>();
  }
}

template <class T>
tt::EighOptions eigh_options(bool lower, const py::object& by_index, const py::object& by_value,
                             const py::object& driver, bool check_finite) {
  tt::EighOptions o;
  o.lower = lower;
  o.check_finite = check_finite;
  if (!by_index.is_none()) o.subset_by_index = by_index.cast<std::pair<std::int64_t, std::int64_t>>();
  if (!by_value.is_none()) o.subset_by_value = by_value.cast<std::pair<double, double>>();
  if (!driver.is_none()) {
    const auto name = driver.cast<std::string>();
    bool found = false;
    for (auto d : {tt::EighDriver::automatic, tt::EighDriver::elpa, tt::EighDriver::elpa2, tt::EighDriver::evd,
                   tt::EighDriver::evr})
      if (name == tt::driver_name(d)) {
        o.driver = d;
        found = true;
      }
    if (!found)
      throw py::value_error("tartan: eigh: driver is '" + name + "', expected automatic, elpa, elpa2, evd or evr");
  }
  return o;
}

}  // namespace

PYBIND11_MODULE(_core, mod) {
  if (import_mpi4py() < 0) throw py::error_already_set();
  errors = py::module_::import("tartan._errors").release();
  // MPI is up (mpi4py initialized it); the Environment adopts it and chooses BLAS threads.
  static auto* env = new tt::Environment();  // never destroyed: MPI belongs to mpi4py
  mod.attr("blas_threads") = env->blas_threads();
  mod.attr("version") = tt::version_string;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const tt::NonFiniteInput& e) {
      raise("NonFiniteInput", e.what());
    } catch (const tt::InvalidArgument& e) {
      raise("InvalidArgument", e.what());
    } catch (const tt::SingularMatrix& e) {
      raise("SingularMatrix", e.what(), "index", e.index());
    } catch (const tt::NotPositiveDefinite& e) {
      raise("NotPositiveDefinite", e.what(), "order", e.order());
    } catch (const tt::NoConvergence& e) {
      raise("NoConvergence", e.what());
    } catch (const tt::LinAlgError& e) {
      raise("LinAlgError", e.what());
    } catch (const tt::IoError& e) {
      raise("FileError", e.what());
    } catch (const tt::OutOfMemory& e) {
      PyErr_SetString(PyExc_MemoryError, e.what());
      throw py::error_already_set();
    } catch (const tt::Error& e) {
      raise("Error", e.what());
    }
  });

  py::class_<PyGrid>(mod, "Grid", R"(A P x Q process grid over an mpi4py communicator.

Grid(comm=MPI.COMM_WORLD, shape=None): every rank of comm, in the most square shape
(P <= Q) unless shape=(P, Q) is given. Collective over comm. Tall-skinny matrices are best
kept on Grid(comm, shape=(comm.size, 1)).)")
      .def(py::init([](py::object comm, py::object shape) {
             if (comm.is_none()) comm = py::module_::import("mpi4py.MPI").attr("COMM_WORLD");
             MPI_Comm* c = PyMPIComm_Get(comm.ptr());
             if (!c) throw py::error_already_set();
             int size = 0;
             MPI_Comm_size(*c, &size);
             auto [p, q] = shape.is_none() ? tt::Grid::default_shape(size) : shape.cast<std::pair<int, int>>();
             py::gil_scoped_release nogil;
             return PyGrid{tt::Grid(*c, p, q), py::object()};
           }),
           py::arg("comm") = py::none(), py::arg("shape") = py::none())
      .def_property_readonly("shape", [](const PyGrid& g) { return py::make_tuple(g.g.prows(), g.g.pcols()); })
      .def_property_readonly("rank", [](const PyGrid& g) { return g.g.rank(); })
      .def_property_readonly("size", [](const PyGrid& g) { return g.g.size(); })
      .def_property_readonly("coords", [](const PyGrid& g) { return py::make_tuple(g.g.myrow(), g.g.mycol()); })
      .def("__repr__", [](const PyGrid& g) {
        return "tartan.Grid(" + std::to_string(g.g.prows()) + "x" + std::to_string(g.g.pcols()) + ")";
      });

  // A * s and s * A: the scalar converted to the matrix's element type.
  auto scale = [](const Matrix& a, const py::object& s) {
    return std::visit(
        [&](const auto& x) {
          using T = typename std::decay_t<decltype(x)>::value_type;
          const T v = scalar_as<T>(s);
          return wrap(released([&] { return v * x; }));
        },
        a.m);
  };
  py::class_<Matrix>(mod, "DistMatrix", R"(A matrix distributed 2D block-cyclically over a Grid.

Create one with tartan.zeros, identity, random, from_function, from_numpy or load_npy.
.local is this rank's block as a writable numpy view (Fortran order); .to_numpy() gathers.)")
      .def_property_readonly("shape",
                             [](const Matrix& a) {
                               return std::visit([](const auto& x) { return py::make_tuple(x.rows(), x.cols()); }, a.m);
                             })
      .def_property_readonly("dtype",
                             [](const Matrix& a) {
                               return std::visit(
                                   [](const auto& x) {
                                     using T = typename std::decay_t<decltype(x)>::value_type;
                                     return py::dtype::of<T>();
                                   },
                                   a.m);
                             })
      .def_property_readonly("block",
                             [](const Matrix& a) {
                               return std::visit(
                                   [](const auto& x) { return py::make_tuple(x.block().mb, x.block().nb); }, a.m);
                             })
      .def_property_readonly("grid",
                             [](const Matrix& a) {
                               return PyGrid{grid_of(a), py::object()};
                             })
      .def_property_readonly("local", &local_view, "This rank's block: a writable numpy view (Fortran order).")
      .def("to_numpy", &to_numpy, py::arg("root") = 0,
           "Gathers the matrix as a numpy array on rank root (None elsewhere), or on every rank with root=None.")
      .def("copy",
           [](const Matrix& a) {
             return std::visit([](const auto& x) { return Matrix{Any(released([&] { return x.copy(); }))}; }, a.m);
           })
      .def(
          "astype",
          [](const Matrix& a, const py::object& dt) {
            const int code = code_of(py::dtype::from_args(dt));
            return std::visit(
                [&](const auto& x) {
                  using T = typename std::decay_t<decltype(x)>::value_type;
                  return with_type(code, [&]<class U>() -> Matrix {
                    if constexpr (tt::is_complex_v<T> && !tt::is_complex_v<U>)
                      throw py::type_error("tartan: astype: complex to real would drop the imaginary part");
                    else
                      return Matrix{Any(released([&] { return tt::astype<U>(x); }))};
                  });
                },
                a.m);
          },
          py::arg("dtype"), "A copy with entries converted to dtype (numpy's astype).")
      .def_property_readonly(
          "T",
          [](const Matrix& a) {
            return std::visit([](const auto& x) { return Matrix{Any(released([&] { return tt::transpose(x); }))}; },
                              a.m);
          })
      .def_property_readonly(
          "H",
          [](const Matrix& a) {
            return std::visit([](const auto& x) { return Matrix{Any(released([&] { return tt::adjoint(x); }))}; }, a.m);
          })
      .def("__matmul__",
           [](const Matrix& a, const Matrix& b) {
             return visit2(a, b, "@", [](const auto& x, const auto& y) {
               return wrap(released([&] { return tt::matmul(x, y); }));
             });
           })
      .def("__add__",
           [](const Matrix& a, const Matrix& b) {
             return visit2(a, b, "+",
                           [](const auto& x, const auto& y) { return wrap(released([&] { return x + y; })); });
           })
      .def("__sub__",
           [](const Matrix& a, const Matrix& b) {
             return visit2(a, b, "-",
                           [](const auto& x, const auto& y) { return wrap(released([&] { return x - y; })); });
           })
      .def("__mul__", scale, py::is_operator())
      .def("__rmul__", scale, py::is_operator())
      .def("__repr__", [](const Matrix& a) {
        return std::visit(
            [](const auto& x) {
              using T = typename std::decay_t<decltype(x)>::value_type;
              return "tartan.DistMatrix(" + std::to_string(x.rows()) + "x" + std::to_string(x.cols()) + ", " +
                     dtype_str<T>() + ", block " + std::to_string(x.block().mb) + "x" + std::to_string(x.block().nb) +
                     ", grid " + std::to_string(x.grid().prows()) + "x" + std::to_string(x.grid().pcols()) + ")";
            },
            a.m);
      });

  // Creation.
  mod.def(
      "zeros",
      [](const PyGrid& g, std::int64_t m, std::int64_t n, const py::object& dtype, const py::object& block) {
        const int code = code_of(py::dtype::from_args(dtype));
        const tt::Block b = block_arg(block).value_or(tt::Block{});
        return with_type(code,
                         [&]<class T>() { return Matrix{Any(released([&] { return tt::zeros<T>(g.g, m, n, b); }))}; });
      },
      py::arg("grid"), py::arg("m"), py::arg("n"), py::arg("dtype") = "float64", py::arg("block") = py::none(),
      "An m x n zero matrix (numpy.zeros((m, n), dtype)). Collective.");
  mod.def(
      "identity",
      [](const PyGrid& g, std::int64_t n, const py::object& dtype, const py::object& block) {
        const int code = code_of(py::dtype::from_args(dtype));
        const tt::Block b = block_arg(block).value_or(tt::Block{});
        return with_type(code,
                         [&]<class T>() { return Matrix{Any(released([&] { return tt::identity<T>(g.g, n, b); }))}; });
      },
      py::arg("grid"), py::arg("n"), py::arg("dtype") = "float64", py::arg("block") = py::none(),
      "The n x n identity (numpy.identity(n, dtype)). Collective.");
  mod.def(
      "random",
      [](const PyGrid& g, std::int64_t m, std::int64_t n, std::optional<std::uint64_t> seed_arg,
         const py::object& dtype, const py::object& block) {
        const int code = code_of(py::dtype::from_args(dtype));
        const tt::Block b = block_arg(block).value_or(tt::Block{});
        // No seed: fresh entropy from rank 0, the same on every rank (numpy.random.default_rng()
        // gives independent draws too; a fixed default made random(g, 5, 5) and
        // random(g, 5, 1) share their first column).
        std::uint64_t seed = 0;
        if (seed_arg) {
          seed = *seed_arg;
        } else {
          if (g.g.rank() == 0) {
            std::random_device rd;
            seed = (std::uint64_t(rd()) << 32) ^ rd();
          }
          MPI_Bcast(&seed, 1, MPI_UINT64_T, 0, g.g.comm());
        }
        return with_type(
            code, [&]<class T>() { return Matrix{Any(released([&] { return tt::random<T>(g.g, m, n, seed, b); }))}; });
      },
      py::arg("grid"), py::arg("m"), py::arg("n"), py::arg("seed") = py::none(), py::arg("dtype") = "float64",
      py::arg("block") = py::none(),
      "Uniform entries in [-1, 1]; entry (i, j) depends only on seed, i and j (the same matrix on every grid). "
      "Without a seed, a fresh one (from rank 0, the same on every rank): independent matrices, as "
      "numpy.random.default_rng(). Collective.");
  mod.def(
      "from_function",
      [](const PyGrid& g, std::int64_t m, std::int64_t n, const py::function& f, const py::object& dtype,
         const py::object& block) {
        const int code = code_of(py::dtype::from_args(dtype));
        const tt::Block b = block_arg(block).value_or(tt::Block{});
        return with_type(code, [&]<class T>() {
          tt::DistMatrix<T> A(g.g, m, n, b);
          // f is called once, on this rank's global index arrays I and J (as numpy.fromfunction).
          py::array_t<std::int64_t> I(
              {static_cast<py::ssize_t>(A.local_rows()), static_cast<py::ssize_t>(A.local_cols())},
              {py::ssize_t(8), py::ssize_t(8) * std::max<py::ssize_t>(A.local_rows(), 1)});
          py::array_t<std::int64_t> J(
              {static_cast<py::ssize_t>(A.local_rows()), static_cast<py::ssize_t>(A.local_cols())},
              {py::ssize_t(8), py::ssize_t(8) * std::max<py::ssize_t>(A.local_rows(), 1)});
          auto* ip = I.mutable_data();
          auto* jp = J.mutable_data();
          for (std::int64_t jl = 0; jl < A.local_cols(); ++jl)
            for (std::int64_t il = 0; il < A.local_rows(); ++il) {
              ip[il + jl * A.local_rows()] = A.layout().global_row(il, g.g.myrow());
              jp[il + jl * A.local_rows()] = A.layout().global_col(jl, g.g.mycol());
            }
          std::string err;
          try {
            py::object v = f(I, J);
            auto arr = py::array_t<T, py::array::f_style | py::array::forcecast>::ensure(
                py::module_::import("numpy").attr("broadcast_to")(v, py::make_tuple(A.local_rows(), A.local_cols())));
            if (!arr) throw py::type_error("from_function: f must return numbers");
            for (std::int64_t jl = 0; jl < A.local_cols(); ++jl)
              for (std::int64_t il = 0; il < A.local_rows(); ++il)
                A.data()[il + jl * A.lld()] = arr.data()[il + jl * A.local_rows()];
          } catch (const std::exception& e) {
            err = e.what();
          }
          int failing = -1;
          const std::string why = lowest_failure(g.g.comm(), err, &failing);
          if (failing >= 0)
            raise("InvalidArgument", "tartan: from_function: f failed on rank " + std::to_string(failing) + ": " + why);
          return Matrix{Any(std::move(A))};
        });
      },
      py::arg("grid"), py::arg("m"), py::arg("n"), py::arg("f"), py::arg("dtype") = "float64",
      py::arg("block") = py::none(),
      "Entry (i, j) = f(I, J)[i, j], f called on each rank with the global index arrays of its block "
      "(numpy.fromfunction). Collective.");
  mod.def("from_numpy", &from_numpy, py::arg("arr"), py::arg("grid"), py::arg("root") = 0,
          py::arg("block") = py::none(),
          "Scatters arr (significant on rank root only; pass None elsewhere) over grid. 1-D arrays become "
          "columns. Integer arrays become float64. Collective.");

  mod.def(
      "redistribute",
      [](const Matrix& a, const PyGrid& g, const py::object& block) {
        const tt::Block b = block_arg(block).value_or(tt::Block{});
        return std::visit(
            [&](const auto& x) { return Matrix{Any(released([&] { return tt::redistribute(x, g.g, b); }))}; }, a.m);
      },
      py::arg("a"), py::arg("grid"), py::arg("block") = py::none(),
      "A copy of a on grid (any shape over the same processes) in block x block pieces: for example "
      "tall-skinny data onto Grid(comm, shape=(comm.size, 1)). Collective.");

  // Files: the file's element type decides the matrix's.
  auto loader = [](auto info_of, auto load) {
    return [info_of, load](const std::string& path, const PyGrid& g, const py::object& block) {
      const tt::Block b = block_arg(block).value_or(tt::Block{});
      const auto info = released([&] { return info_of(g.g, path); });
      return with_type(static_cast<int>(info.dtype), [&]<class T>() {
        return Matrix{Any(released([&] { return load.template operator()<T>(g.g, path, b); }))};
      });
    };
  };
  auto saver = [](auto save) {
    return [save](const Matrix& a, const std::string& path) {
      std::visit(
          [&](const auto& x) {
            released([&] {
              save(x, path);
              return 0;
            });
          },
          a.m);
    };
  };
  mod.def(
      "load_npy",
      loader([](const tt::Grid& g, const std::string& p) { return tt::npy_info(g, p); },
             []<class T>(const tt::Grid& g, const std::string& p, tt::Block b) { return tt::load_npy<T>(g, p, b); }),
      py::arg("path"), py::arg("grid"), py::arg("block") = py::none(),
      "Reads a .npy file (each rank its own blocks) in its own dtype. Raises tartan.FileError. Collective.");
  mod.def("save_npy", saver([](const auto& x, const std::string& p) { tt::save_npy(x, p); }), py::arg("a"),
          py::arg("path"), "Writes a .npy file (numpy.save). Collective.");
  mod.def(
      "load_mtx",
      loader([](const tt::Grid& g, const std::string& p) { return tt::mtx_info(g, p); },
             []<class T>(const tt::Grid& g, const std::string& p, tt::Block b) { return tt::load_mtx<T>(g, p, b); }),
      py::arg("path"), py::arg("grid"), py::arg("block") = py::none(),
      "Reads a Matrix Market file (scipy.io.mmread): real, integer and pattern as float64, complex as "
      "complex128. Collective.");
  mod.def("save_mtx", saver([](const auto& x, const std::string& p) { tt::save_mtx(x, p); }), py::arg("a"),
          py::arg("path"), "Writes a Matrix Market array file (scipy.io.mmwrite). Collective.");

  // linalg.
  py::module_ la = mod.def_submodule("_linalg");
  la.def(
      "solve",
      [](const Matrix& a, const Matrix& b, const std::string& assume_a, bool lower, bool check_finite) {
        tt::SolveOptions o;
        o.lower = lower;
        o.check_finite = check_finite;
        if (assume_a == "gen" || assume_a == "general")
          o.assume = tt::Structure::general;
        else if (assume_a == "sym" || assume_a == "symmetric")
          o.assume = tt::Structure::symmetric;
        else if (assume_a == "her" || assume_a == "hermitian")
          o.assume = tt::Structure::hermitian;
        else if (assume_a == "pos" || assume_a == "positive definite")
          o.assume = tt::Structure::positive_definite;
        else
          raise("InvalidArgument", "solve: assume_a is '" + assume_a + "', expected 'gen', 'sym', 'her' or 'pos'");
        return visit2(a, b, "solve",
                      [&](const auto& x, const auto& y) { return wrap(released([&] { return tt::solve(x, y, o); })); });
      },
      py::arg("a"), py::arg("b"), py::arg("assume_a") = "gen", py::arg("lower") = false,
      py::arg("check_finite") = true);
  la.def(
      "solve_mixed",
      [](const Matrix& a, const Matrix& b, int max_iterations, bool check_finite) {
        return visit2(a, b, "solve_mixed", [&](const auto& x, const auto& y) -> py::object {
          using T = typename std::decay_t<decltype(x)>::value_type;
          if constexpr (!std::is_same_v<tt::real_t<T>, double>) {
            raise("InvalidArgument", "solve_mixed: needs float64 or complex128 matrices");
          } else {
            auto r = released([&] {
              return tt::solve_mixed(x, y, {.max_iterations = max_iterations, .check_finite = check_finite});
            });
            py::dict info;
            info["iterations"] = r.iterations;
            info["converged"] = r.converged;
            info["fallback"] = r.reason.empty() ? py::object(py::bool_(false)) : py::object(py::str(r.reason));
            info["backward_error"] = r.backward_error;
            return py::make_tuple(wrap(std::move(r.x)), info);
          }
        });
      },
      py::arg("a"), py::arg("b"), py::arg("max_iterations") = 30, py::arg("check_finite") = true);

  py::class_<PyLU>(la, "LU", "An LU factorization kept for lu_solve (scipy.linalg.lu_factor's (lu, piv)).")
      .def("det",
           [](const PyLU& f) {
             return std::visit([](const auto& x) -> py::object { return py::cast(released([&] { return x.det(); })); },
                               f.f);
           })
      .def_property_readonly("singular_index", [](const PyLU& f) {
        return std::visit([](const auto& x) { return x.singular_index(); }, f.f);
      });
  la.def(
      "lu_factor",
      [](const Matrix& a, bool check_finite) {
        return std::visit(
            [&](const auto& x) {
              return PyLU{LuAny(released([&] { return tt::lu_factor(x, {.check_finite = check_finite}); }))};
            },
            a.m);
      },
      py::arg("a"), py::arg("check_finite") = true);
  la.def(
      "lu_solve",
      [](const PyLU& f, const Matrix& b, const py::object& trans) {
        const tt::Op op = op_of(trans);
        return std::visit(
            [&](const auto& lu) -> py::object {
              using L = std::decay_t<decltype(lu)>;
              using M = std::decay_t<decltype(lu.factors())>;
              const M* y = std::get_if<M>(&b.m);
              if (!y) throw py::type_error("tartan: lu_solve: b's dtype differs from the factorization's");
              (void)sizeof(L);
              return wrap(released([&] { return lu.solve(*y, op); }));
            },
            f.f);
      },
      py::arg("lu"), py::arg("b"), py::arg("trans") = 0);
  py::class_<PyCho>(la, "Cholesky",
                    "A Cholesky factorization kept for cho_solve (scipy.linalg.cho_factor's (c, lower)).")
      .def_property_readonly("lower",
                             [](const PyCho& c) { return std::visit([](const auto& x) { return x.lower(); }, c.f); });
  la.def(
      "cho_factor",
      [](const Matrix& a, bool lower, bool check_finite) {
        return std::visit(
            [&](const auto& x) {
              return PyCho{
                  ChoAny(released([&] { return tt::cho_factor(x, {.lower = lower, .check_finite = check_finite}); }))};
            },
            a.m);
      },
      py::arg("a"), py::arg("lower") = false, py::arg("check_finite") = true);
  la.def(
      "cho_solve",
      [](const PyCho& c, const Matrix& b) {
        return std::visit(
            [&](const auto& ch) -> py::object {
              using M = std::decay_t<decltype(ch.factor())>;
              const M* y = std::get_if<M>(&b.m);
              if (!y) throw py::type_error("tartan: cho_solve: b's dtype differs from the factorization's");
              return wrap(released([&] { return ch.solve(*y); }));
            },
            c.f);
      },
      py::arg("c"), py::arg("b"));
  la.def(
      "cholesky",
      [](const Matrix& a, bool lower, bool check_finite) {
        return std::visit(
            [&](const auto& x) {
              return wrap(released([&] { return tt::cholesky(x, {.lower = lower, .check_finite = check_finite}); }));
            },
            a.m);
      },
      py::arg("a"), py::arg("lower") = true, py::arg("check_finite") = true);
  la.def(
      "qr",
      [](const Matrix& a, const std::string& mode, const std::string& method, bool check_finite) -> py::object {
        tt::QrOptions o;
        o.check_finite = check_finite;
        if (mode == "reduced")
          o.mode = tt::QrMode::reduced;
        else if (mode == "complete")
          o.mode = tt::QrMode::complete;
        else if (mode == "r")
          o.mode = tt::QrMode::r;
        else
          raise("InvalidArgument", "qr: mode is '" + mode + "', expected 'reduced', 'complete' or 'r'");
        if (method == "automatic")
          o.method = tt::QrMethod::automatic;
        else if (method == "householder")
          o.method = tt::QrMethod::householder;
        else if (method == "cholesky_qr")
          o.method = tt::QrMethod::cholesky_qr;
        else
          raise("InvalidArgument",
                "qr: method is '" + method + "', expected 'automatic', 'householder' or 'cholesky_qr'");
        return std::visit(
            [&](const auto& x) -> py::object {
              auto r = released([&] { return tt::qr(x, o); });
              if (o.mode == tt::QrMode::r) return wrap(std::move(r.r));
              return py::make_tuple(wrap(std::move(r.q)), wrap(std::move(r.r)));
            },
            a.m);
      },
      py::arg("a"), py::arg("mode") = "reduced", py::arg("method") = "automatic", py::arg("check_finite") = true);
  la.def(
      "lstsq",
      [](const Matrix& a, const Matrix& b, const py::object& rcond, bool check_finite) {
        tt::LstsqOptions o;
        o.check_finite = check_finite;
        if (!rcond.is_none()) o.rcond = rcond.cast<double>();
        return visit2(a, b, "lstsq", [&](const auto& x, const auto& y) -> py::object {
          auto r = released([&] { return tt::lstsq(x, y, o); });
          return py::make_tuple(wrap(std::move(r.x)), to_array(r.residuals), r.rank, to_array(r.s));
        });
      },
      py::arg("a"), py::arg("b"), py::arg("rcond") = py::none(), py::arg("check_finite") = true);
  la.def(
      "eigh",
      [](const Matrix& a, const py::object& b, bool lower, bool eigvals_only, const py::object& by_index,
         const py::object& by_value, const py::object& driver, bool check_finite) -> py::object {
        return std::visit(
            [&](const auto& x) -> py::object {
              using T = typename std::decay_t<decltype(x)>::value_type;
              const auto o = eigh_options<T>(lower, by_index, by_value, driver, check_finite);
              if (b.is_none()) {
                if (eigvals_only) return to_array(released([&] { return tt::eigvalsh(x, o); }));
                auto r = released([&] { return tt::eigh(x, o); });
                return py::make_tuple(to_array(r.eigenvalues), wrap(std::move(r.eigenvectors)));
              }
              const auto* y = std::get_if<tt::DistMatrix<T>>(&b.cast<const Matrix&>().m);
              if (!y) throw py::type_error("tartan: eigh: a and b have different dtypes");
              if (eigvals_only) return to_array(released([&] { return tt::eigvalsh(x, *y, o); }));
              auto r = released([&] { return tt::eigh(x, *y, o); });
              return py::make_tuple(to_array(r.eigenvalues), wrap(std::move(r.eigenvectors)));
            },
            a.m);
      },
      py::arg("a"), py::arg("b") = py::none(), py::arg("lower") = true, py::arg("eigvals_only") = false,
      py::arg("subset_by_index") = py::none(), py::arg("subset_by_value") = py::none(), py::arg("driver") = py::none(),
      py::arg("check_finite") = true);
  la.def(
      "svd",
      [](const Matrix& a, bool full_matrices, bool compute_uv, bool check_finite,
         const std::string& driver) -> py::object {
        return std::visit(
            [&](const auto& x) -> py::object {
              if (!compute_uv)
                return to_array(released([&] { return tt::svdvals(x, {.check_finite = check_finite}); }));
              tt::SvdOptions o;
              o.full_matrices = full_matrices;
              o.check_finite = check_finite;
              if (driver == "gesdd")
                o.driver = tt::SvdDriver::gesdd;
              else if (driver == "gesvd")
                o.driver = tt::SvdDriver::gesvd;
              else
                raise("InvalidArgument", "svd: lapack_driver is '" + driver + "', expected 'gesdd' or 'gesvd'");
              auto r = released([&] { return tt::svd(x, o); });
              return py::make_tuple(wrap(std::move(r.u)), to_array(r.s), wrap(std::move(r.vh)));
            },
            a.m);
      },
      py::arg("a"), py::arg("full_matrices") = false, py::arg("compute_uv") = true, py::arg("check_finite") = true,
      py::arg("lapack_driver") = "gesdd");
  la.def(
      "inv",
      [](const Matrix& a, bool check_finite) {
        return std::visit(
            [&](const auto& x) { return wrap(released([&] { return tt::inv(x, {.check_finite = check_finite}); })); },
            a.m);
      },
      py::arg("a"), py::arg("check_finite") = true);
  la.def(
      "det",
      [](const Matrix& a, bool check_finite) {
        return std::visit(
            [&](const auto& x) -> py::object {
              return py::cast(released([&] { return tt::det(x, {.check_finite = check_finite}); }));
            },
            a.m);
      },
      py::arg("a"), py::arg("check_finite") = true);
  la.def(
      "slogdet",
      [](const Matrix& a, bool check_finite) {
        return std::visit(
            [&](const auto& x) -> py::object {
              auto r = released([&] { return tt::slogdet(x, {.check_finite = check_finite}); });
              return py::make_tuple(r.sign, r.logabsdet);
            },
            a.m);
      },
      py::arg("a"), py::arg("check_finite") = true);
  la.def(
      "pinv",
      [](const Matrix& a, const py::object& atol, const py::object& rtol, bool check_finite) {
        tt::PinvOptions o;
        o.check_finite = check_finite;
        if (!atol.is_none()) o.atol = atol.cast<double>();
        if (!rtol.is_none()) o.rtol = rtol.cast<double>();
        return std::visit([&](const auto& x) { return wrap(released([&] { return tt::pinv(x, o); })); }, a.m);
      },
      py::arg("a"), py::arg("atol") = py::none(), py::arg("rtol") = py::none(), py::arg("check_finite") = true);
  la.def(
      "matrix_rank",
      [](const Matrix& a, const py::object& tol, const py::object& rtol) {
        tt::RankOptions o;
        if (!tol.is_none()) o.tol = tol.cast<double>();
        if (!rtol.is_none()) o.rtol = rtol.cast<double>();
        return std::visit([&](const auto& x) { return released([&] { return tt::matrix_rank(x, o); }); }, a.m);
      },
      py::arg("a"), py::arg("tol") = py::none(), py::arg("rtol") = py::none());
  auto norm_kind = [](const py::object& ord) {
    if (ord.is_none()) return tt::Norm::fro;
    if (py::isinstance<py::str>(ord)) {
      const auto s = ord.cast<std::string>();
      if (s == "fro") return tt::Norm::fro;
      raise("InvalidArgument", "norm: ord is '" + s + "', expected None, 'fro', 1 or inf");
    }
    const double v = ord.cast<double>();
    if (v == 1) return tt::Norm::one;
    if (std::isinf(v) && v > 0) return tt::Norm::inf;
    raise("InvalidArgument", "norm: ord is " + std::string(py::str(ord)) + ", expected None, 'fro', 1 or inf");
  };
  la.def(
      "cond",
      [norm_kind](const Matrix& a, const py::object& p) {
        return std::visit(
            [&](const auto& x) -> double {
              if (p.is_none() || (!py::isinstance<py::str>(p) && p.cast<double>() == 2))
                return static_cast<double>(released([&] { return tt::cond(x); }));
              const tt::Norm k = norm_kind(p);
              return static_cast<double>(released([&] { return tt::cond(x, k); }));
            },
            a.m);
      },
      py::arg("a"), py::arg("p") = py::none());
  la.def(
      "norm",
      [norm_kind](const Matrix& a, const py::object& ord) {
        const tt::Norm k = norm_kind(ord);
        return std::visit([&](const auto& x) { return static_cast<double>(released([&] { return tt::norm(x, k); })); },
                          a.m);
      },
      py::arg("a"), py::arg("ord") = py::none());
  la.def(
      "herk",
      [](const Matrix& a, const py::object& c, bool trans, bool lower, double alpha, double beta) {
        return std::visit(
            [&](const auto& x) -> py::object {
              using T = typename std::decay_t<decltype(x)>::value_type;
              using R = tt::real_t<T>;
              const std::int64_t n = trans ? x.cols() : x.rows();
              tt::DistMatrix<T> C =
                  c.is_none() ? released([&] { return tt::zeros<T>(x.grid(), n, n, x.block()); }) : [&] {
                    const auto* y = std::get_if<tt::DistMatrix<T>>(&c.cast<const Matrix&>().m);
                    if (!y) throw py::type_error("tartan: herk: a and c have different dtypes");
                    return released([&] { return y->copy(); });
                  }();
              released([&] {
                tt::herk<T>(R(alpha), x, trans ? tt::Op::adjoint : tt::Op::none, R(beta), C, lower);
                return 0;
              });
              return wrap(std::move(C));
            },
            a.m);
      },
      py::arg("a"), py::arg("c") = py::none(), py::arg("trans") = true, py::arg("lower") = true, py::arg("alpha") = 1.0,
      py::arg("beta") = 0.0);
  la.def(
      "solve_triangular",
      [](const Matrix& a, const Matrix& b, const py::object& trans, bool lower, bool unit_diagonal, bool check_finite) {
        tt::TriangularOptions o;
        o.lower = lower;
        o.trans = op_of(trans);
        o.unit_diagonal = unit_diagonal;
        o.check_finite = check_finite;
        return visit2(a, b, "solve_triangular", [&](const auto& x, const auto& y) {
          return wrap(released([&] { return tt::solve_triangular(x, y, o); }));
        });
      },
      py::arg("a"), py::arg("b"), py::arg("trans") = 0, py::arg("lower") = false, py::arg("unit_diagonal") = false,
      py::arg("check_finite") = true);
}
