"""The Python front against numpy/scipy on the same data, run under mpirun at 1, 2 and 4
ranks (every rank runs every test; assertions are agreed over the ranks so that a failure on
one rank fails all of them instead of leaving the others waiting in a collective)."""

import os

import numpy as np
import pytest
import scipy.linalg as sl
from mpi4py import MPI

import tartan
import tartan.linalg as tl

comm = MPI.COMM_WORLD
DTYPES = [np.float32, np.float64, np.complex64, np.complex128]
SIZES = [1, 2, 3, 63, 64, 65, 129]


def agree(ok):
    """True on every rank when ok holds on every rank."""
    return comm.allreduce(bool(ok), op=MPI.LAND)


def tol(dtype):
    return 1e-3 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10


def rand(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1, 1, shape)
    if np.issubdtype(dtype, np.complexfloating):
        a = a + 1j * rng.uniform(-1, 1, shape)
    return a.astype(dtype)


def scatter(a, g, **kw):
    return tartan.from_numpy(a if g.rank == 0 else None, g, **kw)


@pytest.fixture(params=["default", "column", "row"])
def grid(request):
    shape = {"default": None, "column": (comm.size, 1), "row": (1, comm.size)}[request.param]
    return tartan.Grid(comm, shape=shape)


@pytest.mark.parametrize("dtype", DTYPES)
def test_roundtrip_dtype_and_views(grid, dtype):
    a = rand((70, 45), dtype, 1)
    A = scatter(a, grid)
    assert A.shape == (70, 45) and A.dtype == np.dtype(dtype) and A.block == (64, 64)
    assert agree(np.array_equal(A.to_numpy(root=None), a))
    got = A.to_numpy(root=comm.size - 1)
    assert agree((got is None) == (comm.rank != comm.size - 1))
    # .local is a true view: a write through it is seen by to_numpy
    A.local[...] = 7
    assert agree(np.all(A.to_numpy(root=None) == 7))
    B = scatter(a, grid, block=(5, 3))
    assert B.block == (5, 3)
    assert agree(np.array_equal((B.T).to_numpy(root=None), a.T))
    assert agree(np.array_equal((B.H).to_numpy(root=None), a.conj().T))
    assert agree(np.array_equal(B.copy().to_numpy(root=None), a))
    v = scatter(np.arange(5.0), grid)  # 1-D stays 1-D, as numpy
    assert v.shape == (5,) and v.ndim == 1 and v.to_numpy(root=None).shape == (5,)


@pytest.mark.parametrize("dtype", DTYPES)
def test_arithmetic(grid, dtype):
    a, b = rand((40, 30), dtype, 2), rand((30, 20), dtype, 3)
    A, B = scatter(a, grid), scatter(b, grid)
    assert agree(np.allclose((A @ B).to_numpy(root=None), a @ b, atol=tol(dtype) * 30))
    assert agree(np.allclose((A + A).to_numpy(root=None), a + a))
    assert agree(np.allclose((A - 2 * A).to_numpy(root=None), -a))
    assert agree(np.allclose((A * 3).to_numpy(root=None), 3 * a))
    with pytest.raises(TypeError):
        A @ scatter(b.astype(np.complex128 if dtype != np.complex128 else np.float64), grid)
    assert (A.astype(np.complex128)).dtype == np.complex128


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_solve_eigh_svd_against_numpy(grid, dtype, n):
    a, b = rand((n, n), dtype, 10 + n), rand((n, 2), dtype, 20 + n)
    a = a + n * np.eye(n, dtype=dtype)
    A, B = scatter(a, grid), scatter(b, grid)
    t = tol(dtype)
    X = tl.solve(A, B)
    assert X.dtype == np.dtype(dtype)
    assert agree(np.allclose(X.to_numpy(root=None), np.linalg.solve(a, b), rtol=t, atol=t))
    h = a + a.conj().T
    w, V = tl.eigh(scatter(h, grid))
    assert agree(np.allclose(w, np.linalg.eigvalsh(h), atol=t * n * 10))
    v = V.to_numpy(root=None)
    assert agree(np.allclose(h @ v, v * w, atol=t * n * 10))
    U, s, Vh = tl.svd(A)
    assert agree(np.allclose(s, np.linalg.svd(a, compute_uv=False), atol=t * n * 10))
    u, vh = U.to_numpy(root=None), Vh.to_numpy(root=None)
    assert agree(np.allclose((u * s) @ vh, a, atol=t * n * 10))
    assert agree(np.allclose(tl.svdvals(A), s))


@pytest.mark.parametrize("dtype", DTYPES)
def test_factorizations_and_small_results(grid, dtype):
    n = 65
    a = rand((n, n), dtype, 5) + n * np.eye(n, dtype=dtype)
    A = scatter(a, grid)
    t = tol(dtype) * 100
    p = a @ a.conj().T + np.eye(n, dtype=dtype)
    P = scatter(p, grid)
    L = tl.cholesky(P).to_numpy(root=None)
    assert agree(np.allclose(L, np.linalg.cholesky(p), rtol=t, atol=t))
    b = rand((n, 3), dtype, 6)
    B = scatter(b, grid)
    c = tl.cho_factor(P)
    assert agree(np.allclose(tl.cho_solve(c, B).to_numpy(root=None), np.linalg.solve(p, b), rtol=t, atol=t))
    lu = tl.lu_factor(A)
    assert agree(np.allclose(tl.lu_solve(lu, B, trans=2).to_numpy(root=None), np.linalg.solve(a.conj().T, b), rtol=t, atol=t))
    a5 = a[:5, :5] / n  # a determinant within float32's range
    assert agree(np.isclose(tl.det(scatter(a5, grid)), np.linalg.det(a5), rtol=t))
    sign, logdet = tl.slogdet(A)
    s2, l2 = np.linalg.slogdet(a)
    assert agree(np.isclose(sign, s2, rtol=t) and np.isclose(logdet, l2, rtol=t))
    assert agree(np.allclose(tl.inv(A).to_numpy(root=None), np.linalg.inv(a), rtol=t, atol=t))
    assert agree(np.allclose(tl.pinv(A).to_numpy(root=None), np.linalg.pinv(a), rtol=t, atol=t))
    assert tl.matrix_rank(A) == n
    assert agree(np.isclose(tl.cond(A), np.linalg.cond(a), rtol=t))
    assert agree(np.isclose(tl.norm(A), np.linalg.norm(a), rtol=t))
    assert agree(np.isclose(tl.norm(A, 1), np.linalg.norm(a, 1), rtol=t))
    assert agree(np.isclose(tl.norm(A, np.inf), np.linalg.norm(a, np.inf), rtol=t))
    for o in (2, -2, "nuc"):
        assert agree(np.isclose(tl.norm(A, o), np.linalg.norm(a, o), rtol=t)), o
    with pytest.raises(tartan.InvalidArgument, match="expected None, 'fro', 'nuc', 1, 2, -2 or inf"):
        tl.norm(A, 3)
    tri = np.triu(a)
    assert agree(np.allclose(tl.solve_triangular(scatter(tri, grid), B).to_numpy(root=None),
                             sl.solve_triangular(tri, b), rtol=t, atol=t))
    assert agree(np.allclose(tl.solve(P, B, assume_a="pos").to_numpy(root=None), np.linalg.solve(p, b), rtol=t, atol=t))
    assert agree(np.allclose(tl.solve(P, B, assume_a="her", lower=True).to_numpy(root=None), np.linalg.solve(p, b),
                             rtol=t, atol=t))
    assert agree(np.allclose(np.abs(tl.qr(A, mode="r").to_numpy(root=None)), np.abs(np.linalg.qr(a, mode="r")),
                             rtol=t, atol=t))
    Q, R = tl.qr(scatter(rand((200, 4), dtype, 7), grid))
    q, r = Q.to_numpy(root=None), R.to_numpy(root=None)
    assert agree(np.allclose(q @ r, rand((200, 4), dtype, 7), atol=t))
    assert agree(np.allclose(q.conj().T @ q, np.eye(4), atol=t))


@pytest.mark.parametrize("dtype", DTYPES)
def test_lstsq_returns_numpys_tuple(grid, dtype):
    a, b = rand((300, 5), dtype, 8), rand((300, 2), dtype, 9)
    x, res, rank, s = tl.lstsq(scatter(a, grid), scatter(b, grid))
    x2, res2, rank2, s2 = np.linalg.lstsq(a, b, rcond=None)
    t = tol(dtype) * 100
    assert rank == rank2
    assert agree(np.allclose(x.to_numpy(root=None), x2, rtol=t, atol=t))
    assert agree(np.allclose(res, res2, rtol=t) and np.allclose(s, s2, rtol=t))


def test_solve_mixed_reports(grid):
    a = rand((100, 100), np.float64, 4) + 10 * np.eye(100)
    b = rand((100, 1), np.float64, 5)
    X, info = tl.solve_mixed(scatter(a, grid), scatter(b, grid))
    assert info["converged"] and info["fallback"] is False and info["iterations"] >= 1
    assert agree(np.allclose(X.to_numpy(root=None), np.linalg.solve(a, b), atol=1e-12))
    with pytest.raises(tartan.InvalidArgument):
        tl.solve_mixed(scatter(a.astype(np.float32), grid), scatter(b.astype(np.float32), grid))


def test_errors_on_every_rank(grid):
    z = tartan.zeros(grid, 5, 5)
    with pytest.raises(tartan.SingularMatrix) as e:
        tl.solve(z, tartan.zeros(grid, 5, 1))
    assert e.value.index == 0 and isinstance(e.value, np.linalg.LinAlgError)
    m = -np.eye(4)
    with pytest.raises(tartan.NotPositiveDefinite) as e:
        tl.cholesky(scatter(m, grid))
    assert e.value.order == 1
    with pytest.raises(ValueError, match="expected a square matrix"):
        tl.solve(tartan.zeros(grid, 5, 4), tartan.zeros(grid, 5, 1))
    bad = np.ones((3, 3))
    bad[1, 1] = np.nan
    with pytest.raises(tartan.NonFiniteInput):
        tl.inv(scatter(bad, grid))
    with pytest.raises(OSError):
        tartan.load_npy("/nonexistent/x.npy", grid)
    with pytest.raises(ValueError):
        tl.qr(z, mode="bogus")
    with pytest.raises(TypeError):  # no array on the root: raised on every rank, no hang
        tartan.from_numpy(None, grid)
    with pytest.raises(ValueError):
        tartan.from_numpy(np.zeros((2, 2, 2)) if comm.rank == 0 else None, grid)


def test_npy_and_mtx_files(grid, tmp_path_factory):
    d = comm.bcast(str(tmp_path_factory.mktemp("files")) if comm.rank == 0 else None)
    a = rand((70, 30), np.complex128, 11)
    A = scatter(a, grid)
    path = os.path.join(d, "a.npy")
    tartan.save_npy(A, path)
    if comm.rank == 0:
        assert np.array_equal(np.load(path), a)
    B = tartan.load_npy(path, grid)
    assert B.dtype == np.complex128 and agree(np.array_equal(B.to_numpy(root=None), a))
    mtx = os.path.join(d, "a.mtx")
    tartan.save_mtx(A, mtx)
    C = tartan.load_mtx(mtx, grid)
    assert agree(np.allclose(C.to_numpy(root=None), a, rtol=1e-15))


def test_from_function_and_random(grid):
    F = tartan.from_function(grid, 9, 7, lambda i, j: 10 * i + j)
    assert agree(np.array_equal(F.to_numpy(root=None), np.fromfunction(lambda i, j: 10 * i + j, (9, 7))))
    R1 = tartan.random(grid, 20, 10, seed=3)
    R2 = tartan.random(tartan.Grid(comm), 20, 10, seed=3, block=(3, 3))
    assert agree(np.array_equal(R1.to_numpy(root=None), R2.to_numpy(root=None)))
    # Without a seed: independent draws, the same matrix on every rank (numpy's default_rng).
    # A fixed default made solve(random(g, 5, 5), random(g, 5, 1)) return e_1.
    A, b = tartan.random(grid, 5, 5), tartan.random(grid, 5, 1)
    a, bb = A.to_numpy(root=None), b.to_numpy(root=None)
    assert agree(not np.array_equal(a[:, :1], bb))
    assert agree(not np.array_equal(a, tartan.random(grid, 5, 5).to_numpy(root=None)))
    x = tartan.linalg.solve(A, b).to_numpy(root=None)
    assert agree(not np.allclose(x.ravel(), np.eye(5)[0]))
    # every rank holds its part of one matrix: rank 0's copy equals everyone's
    assert agree(np.array_equal(comm.bcast(a, root=0), a))


def test_no_leak_over_create_free_cycles():
    g = tartan.Grid(comm)

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    for _ in range(100):  # warm up allocator pools
        (tartan.random(g, 100, 100) @ tartan.identity(g, 100)).to_numpy()
    before = rss()
    for _ in range(1000):
        A = tartan.random(g, 100, 100)
        B = A @ tartan.identity(g, 100)
        B.local[...] += 1
        del A, B
    grown = rss() - before
    assert agree(grown < 8 * 2**20), grown  # 1000 cycles of 2 x 80 kB: a leak would be ~160 MB


@pytest.mark.parametrize("dtype", DTYPES)
def test_subsets_generalized_herk_redistribute(grid, dtype):
    n = 70
    t = tol(dtype) * 100
    a = rand((n, n), dtype, 30)
    h = a + a.conj().T
    m = rand((n, n), dtype, 31)
    p = m @ m.conj().T + n * np.eye(n, dtype=dtype)
    H, P = scatter(h, grid), scatter(p, grid)
    w, V = tl.eigh(H, subset_by_index=(3, 9))
    assert agree(np.allclose(w, sl.eigh(h, eigvals_only=True, subset_by_index=(3, 9)), atol=t * n))
    assert V.shape == (n, 7)
    wg = tl.eigvalsh(H, P)
    assert agree(np.allclose(wg, sl.eigh(h, p, eigvals_only=True), atol=t * n))
    assert agree(np.allclose(tl.eigvalsh(H), np.linalg.eigvalsh(h), atol=t * n))
    x = rand((300, 6), dtype, 32)
    G = tl.herk(scatter(x, grid)).to_numpy(root=None)
    assert agree(np.allclose(np.tril(G), np.tril(x.conj().T @ x), atol=t * 300))
    col = tartan.Grid(comm, shape=(comm.size, 1))
    X = tartan.redistribute(scatter(x, grid), col, block=(50, 6))
    assert X.block == (50, 6) and agree(np.array_equal(X.to_numpy(root=None), x))
    Q, R = tl.qr(X)
    assert agree(np.allclose(Q.to_numpy(root=None) @ R.to_numpy(root=None), x, atol=t))


def test_from_function_failure_says_why_on_every_rank():
    # f fails on the last rank only; every rank raises the same error, naming that rank and
    # carrying its cause (numpy's ValueError, or a failed conversion).
    g = tartan.Grid(comm)
    last = comm.size - 1

    def bad_shape(i, j):
        return np.ones((3, 5, 7)) if comm.rank == last else 1.0 * i + j

    def not_numbers(i, j):
        return "x" if comm.rank == last else 1.0 * i

    for f, cause in [(bad_shape, "ValueError"), (not_numbers, "")]:
        with pytest.raises(tartan.InvalidArgument) as e:
            tartan.from_function(g, 9, 7, f, block=(2, 2))  # every rank holds entries
        msg = str(e.value)
        assert agree(f"f failed on rank {last}: " in msg and cause in msg), msg
        assert agree(comm.allgather(msg) == [msg] * comm.size), msg


def test_zeros_shape_and_eye(grid):
    Z = tartan.zeros(grid, (4, 3))
    assert agree(Z.shape == (4, 3) and np.array_equal(Z.to_numpy(root=None), np.zeros((4, 3))))
    assert agree(tartan.zeros(grid, 4, 3).shape == (4, 3))
    for args in [(5,), (5, 7), (5, 7, 2), (6, 4, -1), (3, None, 1)]:
        E = tartan.eye(grid, *args)
        assert agree(np.array_equal(E.to_numpy(root=None), np.eye(*args)))
    assert agree(np.array_equal(tartan.eye(grid, 3, dtype="complex128").to_numpy(root=None), np.eye(3)))
    with pytest.raises(tartan.InvalidArgument, match="expected \\(m, n\\) or m, n"):
        tartan.zeros(grid, 4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_vectors_in_and_out_as_numpy(grid, dtype):
    """1-D right-hand sides give 1-D solutions (a @ x - b never broadcasts to n x n)."""
    n, t = 37, tol(dtype)
    a = rand((n, n), dtype, 40) + n * np.eye(n, dtype=dtype)
    b = rand((n,), dtype, 41)
    A, B = scatter(a, grid, block=(4, 4)), scatter(b, grid, block=(4, 4))
    assert B.shape == (n,) and B.ndim == 1 and np.asarray(B).shape == (n,)
    x = tl.solve(A, B)
    assert agree(x.shape == (n,) and np.allclose(x.to_numpy(root=None), np.linalg.solve(a, b), atol=t))
    assert agree((A @ x - B).shape == (n,))
    assert agree(np.allclose((A @ B).to_numpy(root=None), a @ b, atol=t * n))
    assert agree(np.allclose((B @ A).to_numpy(root=None), b @ a, atol=t * n))
    assert agree(np.isclose(B @ B, b @ b, rtol=t * n))
    for f in [tl.lu_solve(tl.lu_factor(A), B), tl.solve_triangular(A, B, lower=True), tl.lstsq(A, B)[0]]:
        assert agree(f.shape == (n,))
    s = (a @ a.conj().T + n * np.eye(n)).astype(dtype)
    assert agree(tl.cho_solve(tl.cho_factor(scatter(s, grid)), B).shape == (n,))
    for o in [None, 1, 2, np.inf, -np.inf, 3]:
        assert agree(np.isclose(tl.norm(B, o), np.linalg.norm(b, o), rtol=t))
    # A 1-D vector and an (n, 1) matrix do not broadcast: refused, naming both shapes.
    with pytest.raises(tartan.InvalidArgument, match=r"shapes \(37, 1\) and \(37,\) differ"):
        scatter(b.reshape(n, 1), grid) + B
    with pytest.raises(tartan.LinAlgError, match="1-D"):
        tl.inv(B)


@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_operators_and_indexing(grid, dtype):
    a, c = rand((9, 7), dtype, 42), rand((9, 7), dtype, 43) + 3
    A, C = scatter(a, grid, block=(2, 3)), scatter(c, grid, block=(4, 2))  # different layouts
    t = tol(dtype)
    for got, want in [(A * C, a * c), (A / C, a / c), (-A, -a), (+A, a), (A + 1, a + 1), (1 - A, 1 - a),
                      (A / 2, a / 2), (2 / C, 2 / c), (2 * A, 2 * a), (A - C, a - c)]:
        assert agree(got.dtype == np.dtype(dtype) and np.allclose(got.to_numpy(root=None), want, atol=t))
    B = A.copy()
    B += C
    B *= 2
    assert agree(np.allclose(B.to_numpy(root=None), 2 * (a + c), atol=t))
    assert agree(A[0, 0] == a[0, 0] and A[-1, -2] == a[-1, -2] and A[np.int64(3), 1] == a[3, 1])
    for key in [(1, slice(None)), (slice(None), 4), (slice(2, 8), slice(1, 5)), slice(3, 5), (slice(5, 2), 0),
                (slice(-3, None), slice(None, -1))]:
        got = A[key]
        assert agree(got.shape == a[key].shape and np.array_equal(got.to_numpy(root=None), a[key]))
    assert agree(np.array_equal(np.asarray(A), a) and len(A) == 9 and A.size == 63)
    with pytest.raises(IndexError, match="out of bounds for axis 1 with size 7"):
        A[0, 7]
    with pytest.raises(tartan.InvalidArgument, match="step 2"):
        A[::2, :]
    with pytest.raises(TypeError, match=r"numpy array of shape \(9, 7\).*broadcasts only a row"):
        A + a
    # numpy's broadcasting of a row or a column, on either side: A * w scales columns,
    # w[:, None] * A rows (numpy's operators defer to DistMatrix's)
    r, k = rand((7,), dtype, 48) + 2, rand((9, 1), dtype, 49) + 2
    for got, want in [(A * r, a * r), (r * A, r * a), (A / r, a / r), (r / C, r / c), (A - r[None, :], a - r),
                      (k * A, k * a), (A + k, a + k), (k - A, k - a), (A / k, a / k)]:
        assert agree(isinstance(got, tartan.DistMatrix) and got.dtype == np.dtype(dtype)
                     and np.allclose(got.to_numpy(root=None), want, atol=t))
    with pytest.raises(TypeError, match=r"shape \(9,\)"):
        A * np.ones(9)
    # 1 x 1, 1 x n and m x 1 matrices take a row or column of their own shape, as numpy
    for shape in [(1, 1), (1, 7), (9, 1)]:
        s, x = rand(shape, dtype, 50), rand(shape, dtype, 51) + 2
        S = scatter(s, grid)
        for got, want in [(S * x, s * x), (x / S, x / s), (S - x[0], s - x[0]) if shape[0] == 1 else (S - x, s - x)]:
            assert agree(got.shape == want.shape and np.allclose(got.to_numpy(root=None), want, atol=t))
    if not np.issubdtype(dtype, np.complexfloating):
        with pytest.raises(TypeError, match="complex array needs a complex matrix"):
            A * (r + 1j)
    # .local and its global indices
    I, J = A.local_index
    assert agree(np.array_equal(A.local, a[np.ix_(I, J)]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_diag_trace_triu_tril(grid, dtype):
    a, v = rand((11, 8), dtype, 44), rand((6,), dtype, 45)
    A, V = scatter(a, grid, block=(3, 2)), scatter(v, grid, block=(4, 4))
    for k in [0, 1, 5, -2, -10, 9]:
        assert agree(np.array_equal(tartan.diag(A, k), np.diag(a, k)))
        assert agree(np.array_equal(tartan.triu(A, k).to_numpy(root=None), np.triu(a, k)))
        assert agree(np.array_equal(tartan.tril(A, k).to_numpy(root=None), np.tril(a, k)))
        assert agree(np.isclose(tartan.trace(A, k), np.trace(a, k), rtol=tol(dtype)))
    for k in [0, 2, -3]:
        assert agree(np.array_equal(tartan.diag(V, k).to_numpy(root=None), np.diag(v, k)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_factor_results_unpack_as_scipy(grid, dtype):
    n = 70
    a = rand((n, n), dtype, 46)
    b = rand((n, 3), dtype, 47)
    A, B = scatter(a, grid, block=(8, 8)), scatter(b, grid, block=(8, 8))
    lu, piv = tl.lu_factor(A)
    slu, spiv = sl.lu_factor(a)
    assert agree(np.array_equal(piv, spiv) and np.allclose(lu.to_numpy(root=None), slu, atol=tol(dtype) * 10))
    for trans in [0, 1, 2]:
        want = sl.lu_solve((slu, spiv), b, trans=trans)
        assert agree(np.allclose(tl.lu_solve((lu, piv), B, trans=trans).to_numpy(root=None), want,
                                 atol=tol(dtype) * 1e3))
    with pytest.raises(tartan.InvalidArgument, match="piv"):
        tl.lu_solve((lu, piv[:-1]), B)
    s = a @ a.conj().T + n * np.eye(n, dtype=dtype)
    for lower in [False, True]:
        c, low = tl.cho_factor(scatter(s, grid), lower=lower)
        assert agree(low == lower)
        x = tl.cho_solve((c, low), B).to_numpy(root=None)
        assert agree(np.allclose(x, np.linalg.solve(s, b), atol=tol(dtype)))


def test_integer_npy_reads_as_float64(grid, tmp_path_factory):
    d = comm.bcast(str(tmp_path_factory.mktemp("ints")) if comm.rank == 0 else None)
    arrays = {"i8": np.arange(-30, 36).reshape(6, 11), "i4c": np.arange(40, dtype=np.int32).reshape(8, 5),
              "u1": np.arange(24, dtype=np.uint8).reshape(4, 6).T, "b1": np.eye(5, dtype=bool),
              "v": np.arange(9), "i2f": np.asfortranarray(np.arange(12, dtype=np.int16).reshape(3, 4))}
    if comm.rank == 0:
        for k, x in arrays.items():
            np.save(f"{d}/{k}.npy", x)
    comm.Barrier()
    for k, x in arrays.items():
        M = tartan.load_npy(f"{d}/{k}.npy", grid, block=(2, 3))
        assert agree(M.dtype == np.float64 and M.shape == x.shape)
        assert agree(np.array_equal(M.to_numpy(root=None), x.astype(np.float64)))
    # a vector goes back out 1-D
    tartan.save_npy(tartan.load_npy(f"{d}/v.npy", grid), f"{d}/v2.npy")
    if comm.rank == 0:
        assert np.array_equal(np.load(f"{d}/v2.npy"), np.arange(9.0))


EXPM_CASES = {
    "burkardt_2x2": np.array([[0.0, 1.0], [-39.0, -40.0]]),
    "near_defective": np.array([[1 + 1e-8, 1.0], [0.0, 1 - 1e-8]]),
    "nilpotent_4x4": np.triu(np.arange(1.0, 17.0).reshape(4, 4), 1),
    "moler_van_loan": np.array([[-131.0, 19, 18], [-390, 56, 54], [-387, 57, 52]]),
    "burkardt_rotation": np.array([[0.0, 1.0], [-1.0, 0.0]]) * np.pi,
    "diagonal_wide": np.diag([-50.0, -1.0, 0.0, 1.0, 20.0]),
}


@pytest.mark.parametrize("name", sorted(EXPM_CASES))
def test_expm_scipys_cases(grid, name):
    a = EXPM_CASES[name]
    want = sl.expm(a)
    for block in [None, (1, 1)]:
        got = tl.expm(scatter(a, grid, block=block)).to_numpy(root=None)
        err = np.linalg.norm(got - want, 1) / np.linalg.norm(want, 1)
        assert agree(err <= 1e-12), (name, err)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [1, 2, 3, 65, 129])
def test_expm_random_norms_against_scipy(grid, dtype, n):
    base = rand((n, n), dtype, 48 + n)
    for target in [1e-3, 1.0, 30.0, 1e3] if n <= 65 else [0.5, 50.0]:
        a = (base * (target / max(np.linalg.norm(base, 1), 1e-300))).astype(dtype)
        want = sl.expm(a.astype(np.complex128 if np.iscomplexobj(a) else np.float64))
        if not np.isfinite(want.astype(dtype)).all():
            continue  # exp(A) itself overflows single precision
        got = tl.expm(scatter(a, grid)).to_numpy(root=None)
        t = 1e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-12
        # the condition of exp grows with ||A||: compare where scipy itself is accurate
        err = np.linalg.norm(got - want, 1) / max(np.linalg.norm(want, 1), 1e-300)
        assert agree(err <= t * max(1.0, target)), (target, err)


def test_matrix_functions_errors_and_identities(grid):
    a = rand((40, 40), np.float64, 60)
    A = scatter(a, grid, block=(8, 8))
    # expm(A) expm(-A) = I; sqrtm(A)^2 = A on a matrix with a spectrum off the negative axis
    E = tl.expm(A) @ tl.expm(-A)
    assert agree(np.allclose(E.to_numpy(root=None), np.eye(40), atol=1e-12))
    p = a + 40 * np.eye(40)
    X = tl.sqrtm(scatter(p, grid))
    assert agree(np.linalg.norm(np.asarray(X @ X) - p) / np.linalg.norm(p) < 100 * 40 * 2.2e-16)
    assert agree(np.allclose(np.asarray(X), sl.sqrtm(p), atol=1e-10))
    # Hermitian: the positive semidefinite root, and funm as V f(w) V^H from numpy's eigh
    h = a @ a.T
    S = tl.sqrtm(scatter(h, grid))
    assert agree(np.allclose(np.asarray(S), sl.sqrtm(h).real, atol=1e-9) and np.allclose(np.asarray(S), np.asarray(S).T))
    w, v = np.linalg.eigh(h)
    for f in [np.exp, np.sqrt, np.log1p, lambda x: np.cos(x / 100)]:
        assert agree(np.allclose(np.asarray(tl.funm(scatter(h, grid), f)), (v * f(w)) @ v.T, atol=1e-9 * np.abs(f(w)).max()))
    neg = -h - np.eye(40)
    Z = tl.funm(scatter(neg, grid), lambda x: np.sqrt(x.astype(complex)))
    assert agree(Z.dtype == np.complex128 and np.allclose(np.asarray(Z @ Z), neg, atol=1e-8 * np.abs(neg).max()))
    with pytest.raises(tartan.InvalidArgument, match="not Hermitian"):
        tl.funm(A, np.exp)
    with pytest.raises(tartan.LinAlgError, match="negative eigenvalue"):
        tl.sqrtm(scatter(neg, grid))
    with pytest.raises(tartan.LinAlgError, match="negative real axis"):
        tl.sqrtm(scatter(np.array([[-1.0, 1.0], [0.0, -2.0]]), grid))
    with pytest.raises(tartan.InvalidArgument, match="square"):
        tl.expm(scatter(a[:, :5], grid))
    with pytest.raises(tartan.NonFiniteInput):
        tl.expm(scatter(np.full((3, 3), np.nan), grid))
    # complex: eigenvalues off the negative axis converge; on it, the iteration cannot and the
    # Schur route serves, as scipy's does (the same principal root)
    c = np.array([[-1.0 + 1j, 1.0], [0.0, -2.0 + 0.5j]])
    assert agree(np.allclose(np.asarray(tl.sqrtm(scatter(c, grid))), sl.sqrtm(c), atol=1e-12))
    on_axis = np.array([[-1.0, 1.0], [0.0, -2.0]], dtype=complex)
    assert agree(np.allclose(np.asarray(tl.sqrtm(scatter(on_axis, grid))), sl.sqrtm(on_axis), atol=1e-12))
    big = (np.triu(rand((30, 30), np.complex128, 5), 1) - np.diag(np.arange(1.0, 31.0))).astype(complex)
    Xb = np.asarray(tl.sqrtm(scatter(big, grid, block=(8, 8))))
    assert agree(np.linalg.norm(Xb @ Xb - big) / np.linalg.norm(Xb) ** 2 < 1000 * 30 * 2.2e-16)
    with pytest.raises(tartan.LinAlgError, match="no square root"):
        tl.sqrtm(scatter(np.array([[0, 1.0], [0, 0]], dtype=complex), grid))
    # a real matrix with negative eigenvalues, passed as complex: rounding leaves those
    # eigenvalues a tiny imaginary part of either sign; the Schur route gives scipy's root and
    # log of the real matrix all the same (default block)
    r = rand((65, 65), np.float64, 7)
    w = np.linalg.eigvals(r)
    assert np.any((w.real < 0) & (w.imag == 0))
    X, rep = tl.sqrtm(scatter(r.astype(complex), grid), report=True)
    assert agree(rep["method"] == "schur" and rep["fallback"] != "")
    assert agree(np.allclose(np.asarray(X), sl.sqrtm(r), atol=1e-10))
    L, rep = tl.logm(scatter(r.astype(complex), grid), report=True)
    assert agree(rep["method"] == "schur" and rep["squarings"] > 0 and 6 <= rep["degree"] <= 12)
    assert agree(np.allclose(np.asarray(L), sl.logm(r, disp=False)[0], atol=1e-10))
    # well off the axis: Denman-Beavers, as many steps on every rank
    c = rand((65, 65), np.complex128, 8) + 3 * np.eye(65)
    X, rep = tl.sqrtm(scatter(c, grid), report=True)
    assert agree(rep["method"] == "denman_beavers" and rep["fallback"] == "" and 1 <= rep["iterations"] <= 14)
    assert comm.allreduce(rep["iterations"], op=MPI.MAX) == comm.allreduce(rep["iterations"], op=MPI.MIN)
    assert agree(np.allclose(np.asarray(X), sl.sqrtm(c), atol=1e-10))
    E, rep = tl.expm(A, report=True)
    assert agree(rep["method"] == "pade" and rep["degree"] in (3, 5, 7, 9, 13) and rep["fallback"] == "")
    S, rep = tl.signm(scatter(c, grid), report=True)
    s = np.asarray(S)
    assert agree(rep["method"] == "newton" and rep["iterations"] > 0 and np.allclose(s @ s, np.eye(65), atol=1e-9))
    assert agree(np.allclose(s @ c, c @ s, atol=1e-9 * np.abs(c).max()))


@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_power_and_multi_dot(grid, dtype):
    a = rand((9, 9), dtype, 61) + 3 * np.eye(9, dtype=dtype)
    A = scatter(a, grid, block=(2, 2))
    t = tol(dtype) * 100
    for k in [0, 1, 2, 5, 13, -1, -3]:
        want = np.linalg.matrix_power(a.astype(np.complex128 if np.iscomplexobj(a) else np.float64), k)
        got = np.asarray(tl.matrix_power(A, k))
        assert agree(np.allclose(got, want, rtol=t, atol=t * np.abs(want).max())), k
    shapes = [(30, 2), (2, 40), (40, 3), (3, 25)]
    ms = [rand(s, dtype, 62 + i) for i, s in enumerate(shapes)]
    Ms = [scatter(m, grid, block=(4, 4)) for m in ms]
    assert agree(np.allclose(np.asarray(tl.multi_dot(Ms)), np.linalg.multi_dot(ms), atol=t))
    v, w = rand((30,), dtype, 70), rand((25,), dtype, 71)
    V, W = scatter(v, grid), scatter(w, grid)
    got = tl.multi_dot([V] + Ms + [W])
    assert agree(np.isclose(got, np.linalg.multi_dot([v] + ms + [w]), rtol=t))
    got = tl.multi_dot([V] + Ms)
    assert agree(got.shape == (25,) and np.allclose(np.asarray(got), np.linalg.multi_dot([v] + ms), atol=t * 10))
    with pytest.raises(tartan.InvalidArgument, match="do not chain"):
        tl.multi_dot([Ms[0], Ms[0]])


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_logm_signm_against_scipy(grid, dtype):
    for n in [1, 2, 3, 65]:
        rng = np.random.default_rng(n)
        s = np.eye(n) + 0.3 * rng.standard_normal((n, n)) / np.sqrt(n)
        d = np.linspace(0.05, 30.0, n) if n > 1 else np.array([3.0])
        a = (s @ np.diag(d) @ np.linalg.inv(s)).astype(dtype)
        if np.iscomplexobj(a):
            a = a + 0.1j * np.triu(np.ones((n, n)), 1)
        A = scatter(a, grid, block=(4, 4))
        L = np.asarray(tl.logm(A))
        assert agree(np.linalg.norm(sl.expm(L) - a, 1) / np.linalg.norm(a, 1) < 1e-11)
        assert agree(np.allclose(L, sl.logm(a), atol=1e-10))
        # logm(expm(B)) round-trips for small ||B||
        b = (0.2 * rand((n, n), dtype, 80 + n) / max(1, n ** 0.5)).astype(dtype)
        assert agree(np.allclose(np.asarray(tl.logm(tl.expm(scatter(b, grid)))), b, atol=1e-12))
        # signm: S^2 = I and scipy's answer on a spectrum split by the imaginary axis
        m = (s @ np.diag(np.linspace(-5, 4, n) + 0.5 * (n == 1)) @ np.linalg.inv(s)).astype(dtype)
        S = np.asarray(tl.signm(scatter(m, grid, block=(4, 4))))
        assert agree(np.linalg.norm(S @ S - np.eye(n), 1) < 1e-10 * n)
        assert agree(np.allclose(S, sl.signm(m), atol=1e-8))
    h = rand((30, 30), dtype, 90)
    h = h @ h.conj().T + np.eye(30)
    L = np.asarray(tl.logm(scatter(h, grid)))
    assert agree(np.allclose(L, L.conj().T, atol=1e-12) and np.allclose(L, sl.logm(h), atol=1e-10))
    with pytest.raises(tartan.LinAlgError, match="logarithm is"):
        tl.logm(scatter(-h.real if dtype == np.float64 else np.zeros((3, 3)), grid))
    with pytest.raises(tartan.LinAlgError, match="imaginary axis"):
        tl.signm(scatter(np.array([[0.0, 1.0], [-1.0, 0.0]], dtype=dtype), grid))


@pytest.mark.parametrize("dtype", DTYPES)
def test_polar_against_scipy(grid, dtype):
    eps = np.finfo(dtype).eps
    for m, n in [(1, 1), (3, 3), (65, 40), (40, 65), (70, 70)]:
        for kappa in [1.0, 1e8, 1e16]:
            rng = np.random.default_rng(m + n)
            q1 = np.linalg.qr(rng.standard_normal((m, min(m, n))))[0]
            q2 = np.linalg.qr(rng.standard_normal((n, min(m, n))))[0]
            s = np.geomspace(1, 1 / kappa, min(m, n))
            a = ((q1 * s) @ q2.T).astype(dtype)
            for side, method in [("right", "automatic"), ("left", "svd"), ("right", "qdwh"), ("left", "qdwh")]:
                if method == "qdwh" and kappa * eps > 1e-3:
                    continue  # beyond float's precision: QDWH's rank is then ill-defined
                u, p = tl.polar(scatter(a, grid, block=(8, 8)), side=side, method=method)
                u, p = np.asarray(u), np.asarray(p)
                back = u @ p if side == "right" else p @ u
                k = max(m, n)
                assert agree(np.linalg.norm(a - back) / np.linalg.norm(a) <= 10 * k * eps)
                gram = u.conj().T @ u if m >= n else u @ u.conj().T
                assert agree(np.linalg.norm(gram - np.eye(min(m, n))) / np.sqrt(min(m, n)) <= 10 * k * eps)
                assert agree(np.allclose(p, p.conj().T, atol=10 * k * eps))
                if kappa == 1.0:
                    su, sp = sl.polar(a, side=side)
                    assert agree(np.allclose(u, su, atol=1e3 * eps) and np.allclose(p, sp, atol=1e3 * eps))
    with pytest.raises(tartan.InvalidArgument, match="side"):
        tl.polar(scatter(np.eye(2, dtype=dtype), grid), side="up")
    with pytest.raises(tartan.InvalidArgument, match="method is 'newton'"):
        tl.polar(scatter(np.eye(2, dtype=dtype), grid), method="newton")


@pytest.mark.parametrize("dtype", DTYPES)
def test_plu_orth_null_space_against_scipy(grid, dtype):
    t = tol(dtype) * 100
    for m, n in [(1, 1), (5, 5), (70, 45), (45, 70), (66, 66)]:
        a = rand((m, n), dtype, m * 100 + n)
        A = scatter(a, grid, block=(8, 8))
        p, l, u = (np.asarray(x) for x in tl.lu(A))
        sp, sl_, su = sl.lu(a)
        assert agree(np.array_equal(p, sp) and np.allclose(l, sl_, atol=t) and np.allclose(u, su, atol=t))
        pl, u2 = (np.asarray(x) for x in tl.lu(A, permute_l=True))
        assert agree(np.allclose(pl @ u2, a, atol=t))
        perm, l3, u3 = tl.lu(A, p_indices=True)
        assert agree(np.allclose(np.asarray(l3)[perm] @ np.asarray(u3), a, atol=t))
        # a rank-deficient a: orth spans its range, null_space its kernel
        r = min(m, n) // 2 + 1 if min(m, n) > 1 else 1
        d = (rand((m, r), dtype, 7) @ rand((r, n), dtype, 8)).astype(dtype)
        D = scatter(d, grid, block=(8, 8))
        Q, N = np.asarray(tl.orth(D)), np.asarray(tl.null_space(D))
        assert agree(Q.shape == sl.orth(d).shape and N.shape == sl.null_space(d).shape)
        assert agree(np.allclose(Q @ (Q.conj().T @ d), d, atol=t * 10) and np.allclose(d @ N, 0, atol=t * 10))
        assert agree(np.allclose(N.conj().T @ N, np.eye(N.shape[1]), atol=t))
    # singular: factored, as scipy
    p, l, u = tl.lu(scatter(np.zeros((3, 3), dtype), grid))
    assert agree(np.array_equal(np.asarray(u), np.zeros((3, 3))))


@pytest.mark.parametrize("dtype", DTYPES)
def test_pivoted_qr_and_rq_against_scipy(grid, dtype):
    t = tol(dtype) * 100
    for m, n, r in [(1, 1, 1), (9, 9, 9), (70, 45, 45), (45, 70, 45), (40, 40, 7)]:
        a = rand((m, n), dtype, m + n) if r == min(m, n) else (rand((m, r), dtype, 1) @ rand((r, n), dtype, 2))
        a = a.astype(dtype)
        A = scatter(a, grid, block=(8, 8))
        Q, R, P = tl.qr(A, pivoting=True)
        q, rr = np.asarray(Q), np.asarray(R)
        sq, sr, sp = sl.qr(a, mode="economic", pivoting=True)
        assert agree(np.allclose(q @ rr, a[:, P], atol=t * m) and sorted(P) == list(range(n)))
        # the same |R_ii| as scipy's ?geqp3 (the pivots may differ only between equal norms)
        d, sd = np.abs(np.diag(rr)), np.abs(np.diag(sr))
        assert agree(np.allclose(d, sd, atol=t * np.abs(sd).max() * m))
        R2, P2 = tl.qr(A, mode="r", pivoting=True)
        assert agree(np.allclose(np.abs(np.diag(np.asarray(R2))), sd, atol=t * np.abs(sd).max() * m))
        for mode in ("full", "economic"):
            R3, Q3 = (np.asarray(x) for x in tl.rq(A, mode=mode))
            sr3, sq3 = sl.rq(a, mode=mode)
            assert agree(R3.shape == sr3.shape and Q3.shape == sq3.shape)
            assert agree(np.allclose(R3 @ Q3, a, atol=t * n) and np.allclose(np.triu(R3, R3.shape[1] - m), R3))
        assert agree(np.asarray(tl.rq(A, mode="r")).shape == sl.rq(a, mode="r").shape)
    with pytest.raises(tartan.InvalidArgument, match="mode is 'thin'"):
        tl.rq(A, mode="thin")


def _same_multiset(w, ref, atol):
    """Each of w near its own element of ref (greedy matching)."""
    ref = list(ref)
    for x in w:
        k = int(np.argmin([abs(x - r) for r in ref]))
        if abs(x - ref[k]) > atol:
            return False
        ref.pop(k)
    return True


@pytest.mark.parametrize("dtype", DTYPES)
def test_eig_schur_hessenberg_against_scipy(grid, dtype):
    t = tol(dtype) * 100
    for n, block in [(1, None), (3, None), (65, None), (17, (8, 8)), (40, (8, 8))]:
        a = rand((n, n), dtype, n)
        A = scatter(a, grid, block=block) if block else scatter(a, grid)
        w, V = tl.eig(A)
        v = np.asarray(V)
        assert agree(w.dtype.kind == "c" and v.dtype.kind == "c" and v.shape == (n, n))
        assert agree(np.allclose(a @ v, v * w, atol=t * n) and np.allclose(np.linalg.norm(v, axis=0), 1, atol=t))
        ref = np.linalg.eigvals(a.astype(np.complex128))
        assert agree(_same_multiset(w, ref, t * n) and _same_multiset(tl.eigvals(A), ref, t * n))
        T, Z = (np.asarray(x) for x in tl.schur(A))
        assert agree(np.allclose(Z @ T @ Z.conj().T, a, atol=t * n) and np.allclose(np.tril(T, -2), 0))
        Tc, Zc = (np.asarray(x) for x in tl.schur(A, output="complex"))
        assert agree(Tc.dtype.kind == "c" and np.allclose(np.tril(Tc, -1), 0))
        assert agree(np.allclose(Zc @ Tc @ Zc.conj().T, a, atol=t * n))
        H, Q = (np.asarray(x) for x in tl.hessenberg(A, calc_q=True))
        assert agree(np.allclose(Q @ H @ Q.conj().T, a, atol=t * n) and np.allclose(np.tril(H, -2), 0))
        assert agree(np.allclose(np.asarray(tl.hessenberg(A)), H, atol=t * n))
    bad = rand((20, 20), dtype, 1)
    bad[3, 4] = np.nan
    with pytest.raises(tartan.NonFiniteInput, match="eig: A contains NaN or Inf"):
        tl.eig(scatter(bad, grid))
    with pytest.raises(tartan.InvalidArgument, match="output is 'sideways'"):
        tl.schur(scatter(a, grid), output="sideways")


@pytest.mark.parametrize("dtype", DTYPES)
def test_hstack_vstack(grid, dtype):
    a, b, c = rand((7, 3), dtype, 1), rand((7, 5), dtype, 2), rand((4, 3), dtype, 3)
    A, B, C = scatter(a, grid, block=(2, 2)), scatter(b, grid, block=(3, 3)), scatter(c, grid)
    assert agree(np.array_equal(np.asarray(tartan.hstack([A, B])), np.hstack([a, b])))
    assert agree(np.array_equal(np.asarray(tartan.vstack([A, C, A])), np.vstack([a, c, a])))
    v, w = rand((3,), dtype, 4), rand((3,), dtype, 5)
    V, W = scatter(v, grid), scatter(w, grid)
    h = tartan.hstack([V, W, V])
    assert agree(h.shape == (9,) and np.array_equal(np.asarray(h), np.hstack([v, w, v])))
    assert agree(np.array_equal(np.asarray(tartan.vstack([V, W])), np.vstack([v, w])))
    with pytest.raises(tartan.InvalidArgument, match="do not line up"):
        tartan.hstack([A, C])
    with pytest.raises(tartan.InvalidArgument, match="mixed"):
        tartan.vstack([A, V])


@pytest.mark.parametrize("dtype", DTYPES)
def test_norm_along_an_axis(grid, dtype):
    a = rand((9, 6), dtype, 12)
    a[2, :] = 0
    A = scatter(a, grid, block=(2, 4))
    for axis in [0, 1, -1, (1,)]:
        for o in [None, 1, 2, np.inf, -np.inf, 0, 3]:
            want = np.linalg.norm(a, o, axis=axis)
            got = tl.norm(A, o, axis=axis)
            assert agree(got.shape == want.shape and np.allclose(got, want, rtol=tol(dtype))), (axis, o)
    assert agree(np.isclose(tl.norm(A, "fro", axis=(0, 1)), np.linalg.norm(a), rtol=tol(dtype)))
    with pytest.raises(tartan.InvalidArgument, match="axis"):
        tl.norm(A, axis=2)
