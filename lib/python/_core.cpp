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

// vector: a 1-D array to Python (numpy's (n,)), held as an n x 1 matrix. It follows the
// numpy rules: a 1-D right-hand side gives a 1-D solution, A @ v is 1-D, and a vector never
// broadcasts against a matrix (Tartan refuses instead of building an n x n result).
struct Matrix {
  Any m;
  bool vector = false;
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
py::object wrap(tt::DistMatrix<T>&& m, bool vector = false) {
  const bool is_vector = vector && m.cols() == 1;  // read before the move below
  return py::cast(Matrix{Any(std::move(m)), is_vector});
}

template <class R>
py::array_t<R> to_array(const std::vector<R>& v) {
  py::array_t<R> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

// A matrix function's result, or (result, report dict) when report is set.
template <class T, class F>
py::object matrix_function(const tt::DistMatrix<T>& x, bool report, F&& f) {
  tt::FunmReport r;
  py::object m = wrap(released([&] { return f(x, tt::FunmOptions{.report = &r}); }));
  if (!report) return m;
  py::dict d;
  d["method"] = r.method;
  d["degree"] = r.degree;
  d["squarings"] = r.squarings;
  d["iterations"] = r.iterations;
  d["fallback"] = r.fallback;
  return py::make_tuple(m, d);
}
#define TARTAN_FUNM(f) [](const auto& m, tt::FunmOptions o) { return f(m, o); }

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
        if (a.vector)  // this rank's entries of the vector: all of its rows, or none
          return py::array_t<T>({static_cast<py::ssize_t>(x.local_rows() * x.local_cols())}, {s}, x.data(), self);
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

template <class T>
MPI_Datatype mpi_of() {
  return tt::dtype_of<T>() == tt::Dtype::f4   ? MPI_FLOAT
         : tt::dtype_of<T>() == tt::Dtype::f8 ? MPI_DOUBLE
         : tt::dtype_of<T>() == tt::Dtype::c8 ? MPI_C_FLOAT_COMPLEX
                                              : MPI_C_DOUBLE_COMPLEX;
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
            MPI_Bcast(M.data() + off, static_cast<int>(std::min<std::int64_t>(count - off, 1 << 28)), mpi_of<T>(), 0,
                      x.grid().comm());
        } else if (me != root) {
          return py::none();
        }
        const auto s = static_cast<py::ssize_t>(sizeof(T));
        py::array_t<T> out({static_cast<py::ssize_t>(x.rows()), static_cast<py::ssize_t>(x.cols())},
                           {s, s * static_cast<py::ssize_t>(std::max<std::int64_t>(x.rows(), 1))});
        std::copy(M.data(), M.data() + M.size(), out.mutable_data());
        if (a.vector) return out.attr("reshape")(x.rows());
        return out;
      },
      a.m);
}

Matrix from_numpy(const py::object& arr, const PyGrid& grid, int root, const py::object& block) {
  const tt::Grid& g = grid.g;
  if (root < 0 || root >= g.size())
    throw py::value_error("tartan: from_numpy: root is " + std::to_string(root) + ", expected 0 to " +
                          std::to_string(g.size() - 1));
  int head[2] = {-1, 0};  // the dtype code (negative: what is wrong), and 1 for a 1-D array
  int& code = head[0];
  py::array a;
  if (g.rank() == root) {  // every failure here is broadcast first, then raised on every rank
    if (!arr.is_none()) a = py::array::ensure(arr);
    if (arr.is_none() || !a) {
      code = -4;
    } else {
      try {
        code = code_of(a.dtype());
        if (a.ndim() == 1) {
          a = a.attr("reshape")(py::make_tuple(a.shape(0), 1));
          head[1] = 1;
        }
        if (a.ndim() != 2) code = -2;
      } catch (const py::type_error&) {
        code = -3;
      }
    }
  }
  MPI_Bcast(head, 2, MPI_INT, root, g.comm());
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
    return Matrix{Any(tt::from_eigen(g, M, root, b)), head[1] == 1};
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

std::string type_name(const py::handle& o) {
  const py::handle t = py::type::handle_of(o);
  const std::string mod = py::hasattr(t, "__module__") ? py::str(t.attr("__module__")).cast<std::string>() : "";
  const std::string name = py::str(t.attr("__name__")).cast<std::string>();
  return mod.empty() || mod == "builtins" ? name : mod + "." + name;
}

std::string shape_str(const Matrix& a) {
  return std::visit(
      [&](const auto& x) {
        return a.vector ? "(" + std::to_string(x.rows()) + ",)"
                        : "(" + std::to_string(x.rows()) + ", " + std::to_string(x.cols()) + ")";
      },
      a.m);
}

// y in x's layout: y itself when it already has it, else a redistributed copy kept in keep.
template <class T>
const tt::DistMatrix<T>& aligned(const tt::DistMatrix<T>& x, const tt::DistMatrix<T>& y,
                                 std::optional<tt::DistMatrix<T>>& keep) {
  int same = MPI_UNEQUAL;
  MPI_Comm_compare(x.grid().comm(), y.grid().comm(), &same);
  if (same != MPI_IDENT && same != MPI_CONGRUENT)
    raise("InvalidArgument", "tartan: the two matrices are on grids of different processes");
  if (x.layout() == y.layout()) return y;
  keep.emplace(released([&] { return tt::redistribute(y, x.grid(), x.block(), x.source()); }));
  return *keep;
}

// The element-wise operators of numpy on equal shapes (+, -, *, /), with a number on either
// side too. Tartan does not broadcast: a vector against a matrix, or unequal shapes, is an
// InvalidArgument naming both shapes (numpy would broadcast (n,) and (n, 1) to (n, n)).
py::object elementwise(const Matrix& a, const py::object& other, char op, bool reflected) {
  const std::string sym(1, op);
  if (py::isinstance<Matrix>(other)) {
    const Matrix& b = other.cast<const Matrix&>();
    if (a.vector != b.vector || shape_str(a) != shape_str(b))
      raise("InvalidArgument", "tartan: " + sym + ": shapes " + shape_str(a) + " and " + shape_str(b) +
                                   " differ; Tartan does not broadcast (reshape or slice one to the other's shape)");
    return visit2(a, b, sym.c_str(), [&](const auto& x, const auto& y) -> py::object {
      using T = typename std::decay_t<decltype(x)>::value_type;
      std::optional<tt::DistMatrix<T>> keep;
      const tt::DistMatrix<T>& z = aligned(x, y, keep);
      tt::DistMatrix<T> c = released([&] { return x.copy(); });
      {
        py::gil_scoped_release nogil;
        if (op == '+') c.local().array() += z.local().array();
        if (op == '-') c.local().array() -= z.local().array();
        if (op == '*') c.local().array() *= z.local().array();
        if (op == '/') c.local().array() /= z.local().array();
      }
      return wrap(std::move(c), a.vector);
    });
  }
  if (py::isinstance<py::array>(other)) {
    // numpy's broadcasting of a row (n,) / (1, n) or a column (m, 1) against an m x n
    // matrix: column j (or row i) combined with v[j] (v[i]), local work only. Any other
    // array must become a DistMatrix first.
    const auto arr = py::reinterpret_borrow<py::array>(other);
    const auto [m, n] = std::visit([](const auto& x) { return std::pair{x.rows(), x.cols()}; }, a.m);
    const bool row = !a.vector && ((arr.ndim() == 1 && arr.shape(0) == n) ||
                                   (arr.ndim() == 2 && arr.shape(0) == 1 && arr.shape(1) == n));
    const bool col = !a.vector && !row && arr.ndim() == 2 && arr.shape(0) == m && arr.shape(1) == 1;
    if (!row && !col) {
      std::string shp = "(";
      for (py::ssize_t k = 0; k < arr.ndim(); ++k) shp += (k ? ", " : "") + std::to_string(arr.shape(k));
      shp += arr.ndim() == 1 ? ",)" : ")";
      throw py::type_error("tartan: " + sym + ": the other operand is a numpy array of shape " + shp +
                           "; Tartan broadcasts only a row (n,) or (1, n) or a column (m, 1) against an (m, n) " +
                           "matrix. Make it a DistMatrix with tartan.from_numpy (every rank alike)");
    }
    const bool complex_arr = arr.dtype().kind() == 'c';
    return std::visit(
        [&](const auto& x) -> py::object {
          using T = typename std::decay_t<decltype(x)>::value_type;
          if (complex_arr && !tt::is_complex_v<T>)
            throw py::type_error("tartan: " + sym + ": a complex array needs a complex matrix");
          const auto v = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(arr);
          if (!v) throw py::type_error("tartan: " + sym + ": the array cannot be read as " + type_name(other));
          const T* d = v.data();
          tt::DistMatrix<T> c = released([&] { return x.copy(); });
          {
            py::gil_scoped_release nogil;
            c.for_each_local([&](std::int64_t i, std::int64_t j, T& e) {
              const T w = d[row ? j : i];
              if (op == '+') e += w;
              if (op == '-') e = reflected ? w - e : e - w;
              if (op == '*') e *= w;
              if (op == '/') e = reflected ? w / e : e / w;
            });
          }
          return wrap(std::move(c), false);
        },
        a.m);
  }
  const bool number = PyLong_Check(other.ptr()) || PyFloat_Check(other.ptr()) || PyComplex_Check(other.ptr()) ||
                      py::isinstance(other, py::module_::import("numpy").attr("number"));
  if (!number) throw py::type_error("tartan: " + sym + ": expected a DistMatrix or a number, got " + type_name(other));
  return std::visit(
      [&](const auto& x) -> py::object {
        using T = typename std::decay_t<decltype(x)>::value_type;
        const T v = scalar_as<T>(other);
        tt::DistMatrix<T> c = released([&] { return x.copy(); });
        auto map = c.local();
        auto l = map.array();
        if (op == '+') l += v;
        if (op == '-' && reflected) l = v - l;
        if (op == '-' && !reflected) l -= v;
        if (op == '*') l *= v;
        if (op == '/' && reflected) l = v / l;
        if (op == '/' && !reflected) l /= v;
        return wrap(std::move(c), a.vector);
      },
      a.m);
}

// One index of a subscript: start, length, and whether it was an integer (the axis drops).
struct Index {
  std::int64_t start = 0, len = 0;
  bool integer = false;
};

Index index_of(const py::handle& k, std::int64_t n, int axis) {
  if (py::isinstance<py::slice>(k)) {
    py::ssize_t start = 0, stop = 0, step = 0, len = 0;
    if (!py::reinterpret_borrow<py::slice>(k).compute(static_cast<py::ssize_t>(n), &start, &stop, &step, &len))
      throw py::error_already_set();
    if (step != 1)
      raise("InvalidArgument", "tartan: indexing: a slice with step " + std::to_string(step) +
                                   " is not supported, only contiguous windows (step 1)");
    return {start, len, false};
  }
  if (PyIndex_Check(k.ptr()) && !PyBool_Check(k.ptr())) {
    const auto i0 = k.cast<std::int64_t>();
    const std::int64_t i = i0 < 0 ? i0 + n : i0;
    if (i < 0 || i >= n)
      throw py::index_error("tartan: index " + std::to_string(i0) + " is out of bounds for axis " +
                            std::to_string(axis) + " with size " + std::to_string(n));
    return {i, 1, true};
  }
  throw py::type_error("tartan: indexing: expected integers or slices, got " + type_name(k) +
                       " (no fancy, boolean or Ellipsis indexing)");
}

// A[key] as numpy: integers give a number (on every rank), an integer and a slice a vector,
// slices a matrix. Slices give copies, not views. Collective.
py::object subscript(const Matrix& a, const py::object& key) {
  return std::visit(
      [&](const auto& x) -> py::object {
        py::tuple keys = py::isinstance<py::tuple>(key) ? key.cast<py::tuple>() : py::make_tuple(key);
        const std::size_t dims = a.vector ? 1 : 2;
        if (keys.size() > dims)
          throw py::index_error("tartan: too many indices: " + std::to_string(keys.size()) + " for a " +
                                std::to_string(dims) + "-D DistMatrix");
        const Index r = index_of(keys[0], x.rows(), 0);
        const Index c = a.vector          ? Index{0, 1, true}
                        : keys.size() > 1 ? index_of(keys[1], x.cols(), 1)
                                          : Index{0, x.cols(), false};
        if (r.integer && c.integer) return py::cast(released([&] { return x.get(r.start, c.start); }));
        auto window = [&] { return tt::copy(x.view(r.start, c.start, r.len, c.len)); };
        if (r.integer) return wrap(released([&] { return tt::transpose(window()); }), true);  // a row: (n,)
        return wrap(released(window), c.integer || a.vector);
      },
      a.m);
}

// The k-th diagonal of x on every rank (numpy.diagonal(x, k)).
template <class T>
std::vector<T> diagonal_of(const tt::DistMatrix<T>& x, std::int64_t k) {
  const std::int64_t r0 = k >= 0 ? 0 : -k, c0 = k >= 0 ? k : 0;
  const std::int64_t len = std::max<std::int64_t>(0, std::min(x.rows() - r0, x.cols() - c0));
  std::vector<T> d(static_cast<std::size_t>(len), T(0));
  x.for_each_local([&](std::int64_t i, std::int64_t j, const T& v) {
    if (j - i == k) d[static_cast<std::size_t>(i - r0)] = v;
  });
  if (len > 0) MPI_Allreduce(MPI_IN_PLACE, d.data(), static_cast<int>(len), mpi_of<T>(), MPI_SUM, x.grid().comm());
  return d;
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

  auto matrix_class =
      py::class_<Matrix>(mod, "DistMatrix", R"(A matrix distributed 2D block-cyclically over a Grid.

Create one with tartan.zeros, identity, random, from_function, from_numpy or load_npy.
.local is this rank's block as a writable numpy view (Fortran order); .to_numpy() gathers.)")
          .def_property_readonly("shape",
                                 [](const Matrix& a) {
                                   return std::visit(
                                       [&](const auto& x) {
                                         return a.vector ? py::make_tuple(x.rows())
                                                         : py::make_tuple(x.rows(), x.cols());
                                       },
                                       a.m);
                                 })
          .def_property_readonly("ndim", [](const Matrix& a) { return a.vector ? 1 : 2; })
          .def_property(
              "_vector", [](const Matrix& a) { return a.vector; },
              [](Matrix& a, bool v) { a.vector = v && std::visit([](const auto& x) { return x.cols() == 1; }, a.m); })
          .def_property_readonly(
              "size",
              [](const Matrix& a) { return std::visit([](const auto& x) { return x.rows() * x.cols(); }, a.m); })
          .def("__len__", [](const Matrix& a) { return std::visit([](const auto& x) { return x.rows(); }, a.m); })
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
          .def_property_readonly("local", &local_view,
                                 "This rank's block: a writable numpy view (Fortran order; 1-D for a vector). "
                                 "local_index gives its global indices.")
          .def_property_readonly(
              "local_index",
              [](const Matrix& a) {
                return std::visit(
                    [&](const auto& x) -> py::object {
                      const auto& g = x.grid();
                      py::array_t<std::int64_t> I(static_cast<py::ssize_t>(x.local_rows()));
                      py::array_t<std::int64_t> J(static_cast<py::ssize_t>(x.local_cols()));
                      for (std::int64_t il = 0; il < x.local_rows(); ++il)
                        I.mutable_data()[il] = x.layout().global_row(il, g.myrow());
                      for (std::int64_t jl = 0; jl < x.local_cols(); ++jl)
                        J.mutable_data()[jl] = x.layout().global_col(jl, g.mycol());
                      if (a.vector) return x.local_cols() > 0 ? py::object(I) : py::object(J);
                      return py::make_tuple(I, J);
                    },
                    a.m);
              },
              "The global indices of .local: (rows, cols), two int64 arrays, so that "
              ".local[k, l] is entry (rows[k], cols[l]); for a vector, the one array of its indices.")
          .def("to_numpy", &to_numpy, py::arg("root") = 0,
               "Gathers the matrix as a numpy array on rank root (None elsewhere), or on every rank with root=None.")
          .def(
              "__array__",
              [](const Matrix& a, const py::object& dtype, const py::object&) {
                py::object out = to_numpy(a, py::none());
                return dtype.is_none() ? out : out.attr("astype")(dtype);
              },
              py::arg("dtype") = py::none(), py::arg("copy") = py::none(),
              "numpy.asarray(A): gathers A on every rank. Collective, as to_numpy(root=None).")
          .def("copy",
               [](const Matrix& a) {
                 return std::visit(
                     [&](const auto& x) {
                       return Matrix{Any(released([&] { return x.copy(); })), a.vector};
                     },
                     a.m);
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
                          return Matrix{Any(released([&] { return tt::astype<U>(x); })), a.vector};
                      });
                    },
                    a.m);
              },
              py::arg("dtype"), "A copy with entries converted to dtype (numpy's astype).")
          .def_property_readonly("T",
                                 [](const Matrix& a) {
                                   return std::visit(
                                       [&](const auto& x) {
                                         if (a.vector)  // numpy: v.T is v
                                           return Matrix{Any(released([&] { return x.copy(); })), true};
                                         return Matrix{Any(released([&] { return tt::transpose(x); }))};
                                       },
                                       a.m);
                                 })
          .def_property_readonly("H",
                                 [](const Matrix& a) {
                                   return std::visit(
                                       [&](const auto& x) {
                                         if (a.vector) {  // the conjugate, still a vector
                                           auto c = released([&] { return x.copy(); });
                                           c.local() = c.local().conjugate();
                                           return Matrix{Any(std::move(c)), true};
                                         }
                                         return Matrix{Any(released([&] { return tt::adjoint(x); }))};
                                       },
                                       a.m);
                                 })
          .def("__matmul__",
               [](const Matrix& a, const Matrix& b) {
                 return visit2(a, b, "@", [&](const auto& x, const auto& y) -> py::object {
                   if (a.vector && x.rows() != y.rows())
                     raise("InvalidArgument", "tartan: @: shapes " + shape_str(a) + " and " + shape_str(b) +
                                                  " do not match (" + std::to_string(x.rows()) +
                                                  " != " + std::to_string(y.rows()) + ")");
                   if (a.vector && b.vector)  // the inner product, unconjugated as numpy's
                     return py::cast(released([&] { return tt::matmul(tt::transpose(x), y).get(0, 0); }));
                   if (a.vector)  // v @ B = B^T v, a vector
                     return wrap(released([&] { return tt::matmul(tt::transpose(y), x); }), true);
                   return wrap(released([&] { return tt::matmul(x, y); }), b.vector);
                 });
               })
          .def(
              "__add__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '+', false); },
              py::is_operator())
          .def(
              "__radd__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '+', true); },
              py::is_operator())
          .def(
              "__sub__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '-', false); },
              py::is_operator())
          .def(
              "__rsub__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '-', true); },
              py::is_operator())
          .def(
              "__mul__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '*', false); },
              py::is_operator())
          .def(
              "__rmul__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '*', true); },
              py::is_operator())
          .def(
              "__truediv__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '/', false); },
              py::is_operator())
          .def(
              "__rtruediv__", [](const Matrix& a, const py::object& o) { return elementwise(a, o, '/', true); },
              py::is_operator())
          .def("__neg__", [](const Matrix& a) { return elementwise(a, py::int_(-1), '*', false); })
          .def("__pos__", [](const Matrix& a) { return elementwise(a, py::int_(1), '*', false); })
          .def("__getitem__", &subscript,
               "A[i, j] (a number on every rank), A[i, :] / A[:, j] (vectors), A[i:j, k:l] (a copy, not a view); "
               "slices of step 1 only. Collective.")
          .def("__repr__", [](const Matrix& a) {
            return std::visit(
                [&](const auto& x) {
                  using T = typename std::decay_t<decltype(x)>::value_type;
                  const std::string shape =
                      a.vector ? std::to_string(x.rows()) : std::to_string(x.rows()) + "x" + std::to_string(x.cols());
                  return "tartan.DistMatrix(" + shape + ", " + dtype_str<T>() + (a.vector ? ", vector" : "") +
                         ", block " + std::to_string(x.block().mb) + "x" + std::to_string(x.block().nb) + ", grid " +
                         std::to_string(x.grid().prows()) + "x" + std::to_string(x.grid().pcols()) + ")";
                },
                a.m);
          });
  // numpy's binary operators defer to DistMatrix's reflected ones (w[:, None] * A scales
  // A's rows here instead of gathering A into a numpy array).
  matrix_class.attr("__array_ufunc__") = py::none();

  // numpy's hstack and vstack: copies into a new matrix on the first one's grid and block.
  auto stack = [](bool horizontal) {
    return [horizontal](const std::vector<const Matrix*>& ms) -> py::object {
      const char* name = horizontal ? "hstack" : "vstack";
      if (ms.empty()) raise("InvalidArgument", std::string("tartan: ") + name + ": expected at least one array");
      return std::visit(
          [&](const auto& first) -> py::object {
            using M = std::decay_t<decltype(first)>;
            using T = typename M::value_type;
            std::vector<const M*> parts;
            const bool vectors = ms.front()->vector;
            for (const Matrix* m : ms) {
              const M* y = std::get_if<M>(&m->m);
              if (!y) throw py::type_error(std::string("tartan: ") + name + ": the arrays have different dtypes");
              if (m->vector != vectors)
                raise("InvalidArgument", std::string("tartan: ") + name + ": 1-D and 2-D arrays mixed, shapes " +
                                             shape_str(*ms.front()) + " and " + shape_str(*m));
              parts.push_back(y);
            }
            // numpy: hstack joins vectors end to end (along rows here), matrices side by side;
            // vstack stacks vectors as rows (1 x n each) and matrices on top of each other.
            const bool along_rows = horizontal ? vectors : true;
            const bool as_rows = !horizontal && vectors;
            std::int64_t rows = 0, cols = 0;
            for (const M* p : parts) {
              const std::int64_t r = as_rows ? 1 : p->rows(), c = as_rows ? p->rows() : p->cols();
              const std::int64_t want = along_rows ? c : r;
              if ((along_rows ? cols : rows) != 0 && want != (along_rows ? cols : rows))
                raise("InvalidArgument", std::string("tartan: ") + name + ": " + shape_str(*ms.front()) + " and " +
                                             "a part with " + std::to_string(want) +
                                             (along_rows ? " columns" : " rows") + " do not line up");
              if (along_rows) {
                rows += r;
                cols = c;
              } else {
                cols += c;
                rows = r;
              }
            }
            return wrap(released([&] {
                          tt::DistMatrix<T> out = tt::zeros<T>(first.grid(), rows, cols, first.block());
                          std::int64_t at = 0;
                          for (const M* p : parts) {
                            const M piece = as_rows ? tt::transpose(*p) : p->copy();
                            if (along_rows)
                              tt::assign(out.view(at, 0, piece.rows(), piece.cols()), piece);
                            else
                              tt::assign(out.view(0, at, piece.rows(), piece.cols()), piece);
                            at += along_rows ? piece.rows() : piece.cols();
                          }
                          return out;
                        }),
                        horizontal && vectors);
          },
          ms.front()->m);
    };
  };
  mod.def("hstack", stack(true), py::arg("tup"), "numpy.hstack: a copy. Collective.");
  mod.def("vstack", stack(false), py::arg("tup"), "numpy.vstack: a copy. Collective.");

  // numpy's diag, trace, triu and tril.
  mod.def(
      "diag",
      [](const Matrix& a, std::int64_t k) -> py::object {
        return std::visit(
            [&](const auto& x) -> py::object {
              using T = typename std::decay_t<decltype(x)>::value_type;
              if (!a.vector) return to_array(released([&] { return diagonal_of(x, k); }));
              // A vector v: the square matrix with v on its k-th diagonal.
              const std::int64_t n = x.rows() + (k < 0 ? -k : k);
              return wrap(released([&] {
                std::vector<T> v(static_cast<std::size_t>(x.rows()), T(0));  // v on every rank
                x.for_each_local([&](std::int64_t i, std::int64_t, const T& e) { v[static_cast<std::size_t>(i)] = e; });
                if (!v.empty())
                  MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), mpi_of<T>(), MPI_SUM,
                                x.grid().comm());
                tt::DistMatrix<T> d = tt::zeros<T>(x.grid(), n, n, x.block());
                d.for_each_local([&](std::int64_t i, std::int64_t j, T& e) {
                  const std::int64_t p = k >= 0 ? i : j;
                  if (j - i == k) e = v[static_cast<std::size_t>(p)];
                });
                return d;
              }));
            },
            a.m);
      },
      py::arg("v"), py::arg("k") = 0,
      "numpy.diag: the k-th diagonal of a matrix (a numpy array on every rank), or the matrix with a "
      "vector on its k-th diagonal. Collective.");
  mod.def(
      "trace",
      [](const Matrix& a, std::int64_t offset) -> py::object {
        return std::visit(
            [&](const auto& x) -> py::object {
              using T = typename std::decay_t<decltype(x)>::value_type;
              const std::vector<T> d = released([&] { return diagonal_of(x, offset); });
              T sum(0);
              for (const T& v : d) sum += v;
              return py::cast(sum);
            },
            a.m);
      },
      py::arg("a"), py::arg("offset") = 0, "numpy.trace: the sum of the offset-th diagonal, on every rank.");
  auto triangle = [](bool upper) {
    return [upper](const Matrix& a, std::int64_t k) {
      if (a.vector)
        raise("InvalidArgument",
              std::string("tartan: ") + (upper ? "triu" : "tril") + ": expected a matrix, got a vector");
      return std::visit(
          [&](const auto& x) -> py::object {
            using T = typename std::decay_t<decltype(x)>::value_type;
            return wrap(released([&] {
              auto c = x.copy();
              c.for_each_local([&](std::int64_t i, std::int64_t j, T& e) {
                if (upper ? j - i < k : j - i > k) e = T(0);
              });
              return c;
            }));
          },
          a.m);
    };
  };
  mod.def("triu", triangle(true), py::arg("m"), py::arg("k") = 0,
          "numpy.triu: a copy with the entries below the k-th diagonal zero. Collective.");
  mod.def("tril", triangle(false), py::arg("m"), py::arg("k") = 0,
          "numpy.tril: a copy with the entries above the k-th diagonal zero. Collective.");

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
        return Matrix{Any(released([&] { return load.template operator()<T>(g.g, path, b); })), info.ndim == 1};
      });
    };
  };
  auto saver = [](auto save) {
    return [save](const Matrix& a, const std::string& path) {
      std::visit(
          [&](const auto& x) {
            released([&] {
              save(x, path, a.vector);
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
      "Reads a .npy file (each rank its own blocks) in its own dtype; integer and bool files as float64 (as "
      "from_numpy); a 1-D file gives a vector. Raises tartan.FileError. Collective.");
  mod.def("save_npy", saver([](const auto& x, const std::string& p, bool vec) { tt::save_npy(x, p, {.one_d = vec}); }),
          py::arg("a"), py::arg("path"), "Writes a .npy file (numpy.save; 1-D for a vector). Collective.");
  mod.def(
      "load_mtx",
      loader([](const tt::Grid& g, const std::string& p) { return tt::mtx_info(g, p); },
             []<class T>(const tt::Grid& g, const std::string& p, tt::Block b) { return tt::load_mtx<T>(g, p, b); }),
      py::arg("path"), py::arg("grid"), py::arg("block") = py::none(),
      "Reads a Matrix Market file (scipy.io.mmread): real, integer and pattern as float64, complex as "
      "complex128. Collective.");
  mod.def("save_mtx", saver([](const auto& x, const std::string& p, bool) { tt::save_mtx(x, p); }), py::arg("a"),
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
      .def_property_readonly(
          "singular_index",
          [](const PyLU& f) { return std::visit([](const auto& x) { return x.singular_index(); }, f.f); })
      .def("__iter__", [](const PyLU& f) {
        // lu, piv = lu_factor(a), as scipy: a copy of the packed factors, and the 0-based pivot
        // rows on every rank (row i was interchanged with row piv[i]).
        return std::visit(
            [](const auto& x) {
              const auto& lu = x.factors();
              const std::vector<std::int64_t> piv = released([&] { return x.pivots(); });
              return py::iter(py::make_tuple(wrap(released([&] { return lu.copy(); })), to_array(piv)));
            },
            f.f);
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
      "lu_from_tuple",
      [](const Matrix& lu, const py::object& piv_obj) {
        return std::visit(
            [&](const auto& x) {
              using T = typename std::decay_t<decltype(x)>::value_type;
              const auto& g = x.grid();
              if (x.rows() != x.cols() || lu.vector)
                raise("InvalidArgument", "lu_solve: lu is " + shape_str(lu) + ", expected the square lu of lu_factor");
              auto piv = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(piv_obj);
              const std::int64_t n = x.rows();
              if (!piv || piv.ndim() != 1 || piv.shape(0) != n)
                raise("InvalidArgument",
                      "lu_solve: piv must be lu_factor's 1-D array of " + std::to_string(n) + " pivot rows");
              for (std::int64_t i = 0; i < n; ++i)
                if (piv.data()[i] < i || piv.data()[i] >= n)
                  raise("InvalidArgument", "lu_solve: piv[" + std::to_string(i) + "] is " +
                                               std::to_string(piv.data()[i]) + ", expected " + std::to_string(i) +
                                               " to " + std::to_string(n - 1) + " (lu_factor's pivots)");
              std::vector<int> ipiv(static_cast<std::size_t>(x.local_rows() + x.block().mb), 0);
              for (std::int64_t il = 0; il < x.local_rows(); ++il)
                ipiv[static_cast<std::size_t>(il)] =
                    static_cast<int>(piv.data()[x.layout().global_row(il, g.myrow())] + 1);
              const std::vector<T> d = released([&] { return diagonal_of(x, 0); });
              std::int64_t singular = -1;
              for (std::size_t i = 0; i < d.size() && singular < 0; ++i)
                if (d[i] == T(0)) singular = static_cast<std::int64_t>(i);
              return PyLU{LuAny(tt::LU<T>::make(released([&] { return x.copy(); }), std::move(ipiv), singular))};
            },
            lu.m);
      },
      py::arg("lu"), py::arg("piv"));
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
                             [](const PyCho& c) { return std::visit([](const auto& x) { return x.lower(); }, c.f); })
      .def("__iter__", [](const PyCho& c) {
        // c, lower = cho_factor(a), as scipy: a copy of the factor and the triangle it is in.
        return std::visit(
            [](const auto& x) {
              return py::iter(py::make_tuple(wrap(released([&] { return x.factor().copy(); })), x.lower()));
            },
            c.f);
      });
  la.def(
      "cho_from_tuple",
      [](const Matrix& c, bool lower) {
        return std::visit(
            [&](const auto& x) {
              using T = typename std::decay_t<decltype(x)>::value_type;
              if (x.rows() != x.cols() || c.vector)
                raise("InvalidArgument", "cho_solve: c is " + shape_str(c) + ", expected the square c of cho_factor");
              return PyCho{ChoAny(tt::Cholesky<T>::make(released([&] { return x.copy(); }), lower))};
            },
            c.m);
      },
      py::arg("c"), py::arg("lower"));
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
      [](const Matrix& a, const std::string& mode, const std::string& method, bool check_finite,
         bool pivoting) -> py::object {
        tt::QrOptions o;
        o.check_finite = check_finite;
        o.pivoting = pivoting;
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
              if (pivoting) {
                if (o.mode == tt::QrMode::r) return py::make_tuple(wrap(std::move(r.r)), to_array(r.perm));
                return py::make_tuple(wrap(std::move(r.q)), wrap(std::move(r.r)), to_array(r.perm));
              }
              if (o.mode == tt::QrMode::r) return wrap(std::move(r.r));
              return py::make_tuple(wrap(std::move(r.q)), wrap(std::move(r.r)));
            },
            a.m);
      },
      py::arg("a"), py::arg("mode") = "reduced", py::arg("method") = "automatic", py::arg("check_finite") = true,
      py::arg("pivoting") = false);
  la.def(
      "rq",
      [](const Matrix& a, const std::string& mode, bool check_finite) -> py::object {
        tt::RqOptions o;
        o.check_finite = check_finite;
        if (mode == "full")
          o.mode = tt::RqMode::full;
        else if (mode == "r")
          o.mode = tt::RqMode::r;
        else if (mode == "economic")
          o.mode = tt::RqMode::economic;
        else
          raise("InvalidArgument", "rq: mode is '" + mode + "', expected 'full', 'r' or 'economic'");
        return std::visit(
            [&](const auto& x) -> py::object {
              auto r = released([&] { return tt::rq(x, o); });
              if (o.mode == tt::RqMode::r) return wrap(std::move(r.r));
              return py::make_tuple(wrap(std::move(r.r)), wrap(std::move(r.q)));
            },
            a.m);
      },
      py::arg("a"), py::arg("mode") = "full", py::arg("check_finite") = true);
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
      "axis_norms",
      [](const Matrix& a, int axis, double p) {
        // numpy.linalg.norm(a, ord=p, axis=axis) of a matrix: the vector norm of each column
        // (axis 0) or row (axis 1), on every rank.
        return std::visit(
            [&](const auto& x) -> py::object {
              using T = typename std::decay_t<decltype(x)>::value_type;
              using R = tt::real_t<T>;
              const std::int64_t len = axis == 0 ? x.cols() : x.rows();
              const bool big = std::isinf(p) && p > 0, small = std::isinf(p) && p < 0;
              std::vector<double> acc(static_cast<std::size_t>(len), small ? HUGE_VAL : 0.0);
              {
                py::gil_scoped_release nogil;
                x.for_each_local([&](std::int64_t i, std::int64_t j, const T& e) {
                  double& s = acc[static_cast<std::size_t>(axis == 0 ? j : i)];
                  const double v = static_cast<double>(std::abs(e));
                  if (big)
                    s = std::max(s, v);
                  else if (small)
                    s = std::min(s, v);
                  else if (p == 0)
                    s += v != 0 ? 1 : 0;
                  else
                    s += p == 2 ? v * v : std::pow(v, p);
                });
                if (len > 0)
                  MPI_Allreduce(MPI_IN_PLACE, acc.data(), static_cast<int>(len), MPI_DOUBLE,
                                big     ? MPI_MAX
                                : small ? MPI_MIN
                                        : MPI_SUM,
                                x.grid().comm());
              }
              std::vector<R> out(acc.size());
              for (std::size_t k = 0; k < acc.size(); ++k)
                out[k] = static_cast<R>(std::isinf(p) || p == 0 ? acc[k] : std::pow(acc[k], 1.0 / p));
              return to_array(out);
            },
            a.m);
      },
      py::arg("a"), py::arg("axis"), py::arg("ord"));
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
      "expm",
      [](const Matrix& a, bool report) {
        return std::visit([&](const auto& x) { return matrix_function(x, report, TARTAN_FUNM(tt::expm)); }, a.m);
      },
      py::arg("a"), py::arg("report") = false);
  la.def(
      "sqrtm",
      [](const Matrix& a, bool report) {
        return std::visit([&](const auto& x) { return matrix_function(x, report, TARTAN_FUNM(tt::sqrtm)); }, a.m);
      },
      py::arg("a"), py::arg("report") = false);
  la.def(
      "lu",
      [](const Matrix& a, bool permute_l, bool p_indices, bool check_finite) {
        return std::visit(
            [&](const auto& x) -> py::object {
              auto r = released(
                  [&] { return tt::lu(x, {.permute_l = permute_l && !p_indices, .check_finite = check_finite}); });
              if (permute_l && !p_indices) return py::make_tuple(wrap(std::move(r.l)), wrap(std::move(r.u)));
              if (p_indices) return py::make_tuple(to_array(r.perm), wrap(std::move(r.l)), wrap(std::move(r.u)));
              return py::make_tuple(wrap(std::move(r.p)), wrap(std::move(r.l)), wrap(std::move(r.u)));
            },
            a.m);
      },
      py::arg("a"), py::arg("permute_l") = false, py::arg("p_indices") = false, py::arg("check_finite") = true);
  la.def(
      "eig",
      [](const Matrix& a, bool compute_v) {
        return std::visit(
            [&](const auto& x) -> py::object {
              if (!compute_v) return to_array(released([&] { return tt::eigvals(x); }));
              auto r = released([&] { return tt::eig(x); });
              return py::make_tuple(to_array(r.w), wrap(std::move(r.v)));
            },
            a.m);
      },
      py::arg("a"), py::arg("compute_v") = true);
  la.def(
      "schur",
      [](const Matrix& a, const std::string& output) {
        if (output != "real" && output != "complex")
          raise("InvalidArgument", "schur: output is '" + output + "', expected 'real' or 'complex'");
        return std::visit(
            [&](const auto& x) -> py::object {
              if (output == "complex") {
                auto r = released([&] { return tt::schur_complex(x); });
                return py::make_tuple(wrap(std::move(r.t)), wrap(std::move(r.z)));
              }
              auto r = released([&] { return tt::schur(x); });
              return py::make_tuple(wrap(std::move(r.t)), wrap(std::move(r.z)));
            },
            a.m);
      },
      py::arg("a"), py::arg("output") = "real");
  la.def(
      "hessenberg",
      [](const Matrix& a, bool calc_q) {
        return std::visit(
            [&](const auto& x) -> py::object {
              auto r = released([&] { return tt::hessenberg(x, {.calc_q = calc_q}); });
              if (!calc_q) return wrap(std::move(r.h));
              return py::make_tuple(wrap(std::move(r.h)), wrap(std::move(r.q)));
            },
            a.m);
      },
      py::arg("a"), py::arg("calc_q") = false);
  la.def(
      "subspace",
      [](const Matrix& a, bool range, const py::object& rcond, bool check_finite) {
        tt::SubspaceOptions o;
        o.check_finite = check_finite;
        if (!rcond.is_none()) o.rcond = rcond.cast<double>();
        return std::visit(
            [&](const auto& x) {
              return wrap(released([&] { return range ? tt::orth(x, o) : tt::null_space(x, o); }));
            },
            a.m);
      },
      py::arg("a"), py::arg("range"), py::arg("rcond") = py::none(), py::arg("check_finite") = true);
  la.def(
      "polar",
      [](const Matrix& a, const std::string& side, const std::string& method) {
        if (side != "right" && side != "left")
          raise("InvalidArgument", "polar: side is '" + side + "', expected 'right' or 'left'");
        tt::PolarOptions o;
        o.side = side == "right" ? tt::PolarSide::right : tt::PolarSide::left;
        if (method == "automatic")
          o.method = tt::PolarMethod::automatic;
        else if (method == "qdwh")
          o.method = tt::PolarMethod::qdwh;
        else if (method == "svd")
          o.method = tt::PolarMethod::svd;
        else
          raise("InvalidArgument", "polar: method is '" + method + "', expected 'automatic', 'qdwh' or 'svd'");
        return std::visit(
            [&](const auto& x) -> py::object {
              auto r = released([&] { return tt::polar(x, o); });
              return py::make_tuple(wrap(std::move(r.u)), wrap(std::move(r.p)));
            },
            a.m);
      },
      py::arg("a"), py::arg("side") = "right", py::arg("method") = "automatic");
  la.def(
      "logm",
      [](const Matrix& a, bool report) {
        return std::visit([&](const auto& x) { return matrix_function(x, report, TARTAN_FUNM(tt::logm)); }, a.m);
      },
      py::arg("a"), py::arg("report") = false);
  la.def(
      "signm",
      [](const Matrix& a, bool report) {
        return std::visit([&](const auto& x) { return matrix_function(x, report, TARTAN_FUNM(tt::signm)); }, a.m);
      },
      py::arg("a"), py::arg("report") = false);
  la.def(
      "matrix_power",
      [](const Matrix& a, std::int64_t k) {
        return std::visit([&](const auto& x) { return wrap(released([&] { return tt::matrix_power(x, k); })); }, a.m);
      },
      py::arg("a"), py::arg("n"));
  la.def(
      "multi_dot",
      [](const std::vector<const Matrix*>& ms) {
        if (ms.empty()) raise("InvalidArgument", "multi_dot: expected at least one matrix");
        return std::visit(
            [&](const auto& first) -> py::object {
              using M = std::decay_t<decltype(first)>;
              std::vector<const M*> f;
              for (const Matrix* m : ms) {
                const M* y = std::get_if<M>(&m->m);
                if (!y) throw py::type_error("tartan: multi_dot: the matrices have different dtypes");
                f.push_back(y);
              }
              return wrap(released([&] { return tt::multi_dot(f); }), ms.back()->vector);
            },
            ms.front()->m);
      },
      py::arg("arrays"));
  la.def(
      "compose_eigen",
      [](const Matrix& v, const py::array& d) {
        return std::visit(
            [&](const auto& x) -> py::object {
              using T = typename std::decay_t<decltype(x)>::value_type;
              auto dd = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(d);
              if (!dd || dd.ndim() != 1) raise("InvalidArgument", "compose_eigen: d must be a 1-D array of numbers");
              std::vector<T> values(dd.data(), dd.data() + dd.shape(0));
              return wrap(released([&] { return tt::compose_eigen(x, values); }));
            },
            v.m);
      },
      py::arg("v"), py::arg("d"));
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
