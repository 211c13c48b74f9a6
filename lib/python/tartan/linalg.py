"""numpy.linalg and scipy.linalg for distributed matrices.

Names and keywords are numpy's and scipy's; defaults are Tartan's C++ defaults, which differ
from numpy/scipy in two places, both documented where they apply:

- svd(full_matrices=False): the reduced factors (numpy's default is True; the full ones
  cost m^2 + n^2 memory on a distributed matrix).
- cholesky(lower=True): numpy.linalg.cholesky's L (scipy.linalg.cholesky defaults to
  lower=False; cho_factor keeps scipy's lower=False).

Small results (eigenvalues, singular values, determinants, ranks) are numpy arrays or
Python numbers on every rank; matrices are DistMatrix on the input's grid.
"""

import numpy as _np

from ._core import DistMatrix as _DistMatrix
from ._core import _linalg as _l
from ._errors import InvalidArgument, LinAlgError

LU = _l.LU
Cholesky = _l.Cholesky


def _check(func, name, x, matrix=True):
    """x must be a DistMatrix (a 2-D one when matrix): one Tartan sentence otherwise."""
    if not isinstance(x, _DistMatrix):
        t = type(x)
        kind = t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"
        raise TypeError(f"tartan: {func}: {name} is a {kind}, expected a DistMatrix "
                        "(make one with tartan.from_numpy)")
    if matrix and x.ndim != 2:
        raise LinAlgError(f"tartan: {func}: {name} is 1-D {x.shape}; expected a 2-D matrix")
    return x


def _like(x, b):
    """x as a vector when the right-hand side b was one (numpy: 1-D in, 1-D out)."""
    x._vector = b.ndim == 1
    return x


def solve(a, b, assume_a="gen", lower=False, check_finite=True):
    """x with a @ x = b (scipy.linalg.solve).

    assume_a: 'gen' (LU), 'sym' / 'her' (one triangle read, solved by LU), 'pos' (Cholesky).
    Raises SingularMatrix (.index), NotPositiveDefinite (.order), InvalidArgument,
    NonFiniteInput. numpy: np.linalg.solve(a, b)."""
    _check("solve", "a", a), _check("solve", "b", b, matrix=False)
    return _like(_l.solve(a, b, assume_a, lower, check_finite), b)


def solve_mixed(a, b, max_iterations=30, check_finite=True):
    """(x, info): LU in single precision refined to double accuracy (LAPACK's dsgesv).

    float64 and complex128 only. info is a dict: iterations, converged, fallback (False, or
    why it fell back to a double-precision LU) and backward_error."""
    _check("solve_mixed", "a", a), _check("solve_mixed", "b", b, matrix=False)
    x, info = _l.solve_mixed(a, b, max_iterations, check_finite)
    return _like(x, b), info


def lu_factor(a, check_finite=True):
    """An LU factorization for lu_solve (scipy.linalg.lu_factor). A singular a does not
    raise here; lu_solve does. .det() gives the determinant.

    It unpacks as scipy's: `lu, piv = lu_factor(a)` gives a copy of the packed factors (a
    DistMatrix) and the 0-based pivot rows (a numpy array on every rank); lu_solve takes the
    object or that (lu, piv) pair. Keeping the object avoids the copy."""
    return _l.lu_factor(_check("lu_factor", "a", a), check_finite)


def lu_solve(lu_and_piv, b, trans=0):
    """x with op(a) x = b from lu_factor (scipy.linalg.lu_solve; trans 0, 1, 2 or 'N', 'T', 'C').
    lu_and_piv: lu_factor's result, or its (lu, piv) pair."""
    _check("lu_solve", "b", b, matrix=False)
    f = lu_and_piv
    if isinstance(f, tuple):
        if len(f) != 2:
            raise InvalidArgument(f"tartan: lu_solve: expected lu_factor's (lu, piv), got a tuple of {len(f)}")
        f = _l.lu_from_tuple(_check("lu_solve", "lu", f[0]), f[1])
    elif not isinstance(f, LU):
        raise TypeError(f"tartan: lu_solve: expected lu_factor's result or its (lu, piv), got {type(f).__name__}")
    return _like(_l.lu_solve(f, b, trans), b)


def cholesky(a, lower=True, check_finite=True):
    """The Cholesky factor, the other triangle zero (numpy.linalg.cholesky: lower=True gives
    L with a = L L^H; scipy.linalg.cholesky's default is lower=False). Raises
    NotPositiveDefinite with .order."""
    return _l.cholesky(_check("cholesky", "a", a), lower, check_finite)


def cho_factor(a, lower=False, check_finite=True):
    """A Cholesky factorization for cho_solve (scipy.linalg.cho_factor). It unpacks as
    scipy's: `c, low = cho_factor(a)` gives a copy of the factor and whether it is lower."""
    return _l.cho_factor(_check("cho_factor", "a", a), lower, check_finite)


def cho_solve(c_and_lower, b):
    """x with a x = b from cho_factor (scipy.linalg.cho_solve): its result or its (c, lower)."""
    _check("cho_solve", "b", b, matrix=False)
    c = c_and_lower
    if isinstance(c, tuple):
        if len(c) != 2:
            raise InvalidArgument(f"tartan: cho_solve: expected cho_factor's (c, lower), got a tuple of {len(c)}")
        c = _l.cho_from_tuple(_check("cho_solve", "c", c[0]), bool(c[1]))
    elif not isinstance(c, Cholesky):
        raise TypeError(f"tartan: cho_solve: expected cho_factor's result or its (c, lower), got {type(c).__name__}")
    return _like(_l.cho_solve(c, b), b)


def qr(a, mode="reduced", method="automatic", check_finite=True, pivoting=False):
    """(q, r), or r for mode='r' (numpy.linalg.qr). method: 'automatic' (CholeskyQR2 for
    tall-skinny a; fastest on a P x 1 grid), 'householder' or 'cholesky_qr'.
    pivoting=True (scipy.linalg.qr's): (q, r, p), or (r, p) for mode='r', with
    a[:, p] = q @ r and |r[i, i]| non-increasing; p is a numpy array on every rank. It runs
    p?geqpf, about 8x slower than unpivoted QR at n = 1500 (?geqp3 on one process)."""
    return _l.qr(_check("qr", "a", a), mode, method, check_finite, pivoting)


def rq(a, mode="full", check_finite=True):
    """(r, q) with a = r @ q (scipy.linalg.rq), or r for mode='r'. mode 'full': r m x n,
    q n x n; 'economic': r m x k, q k x n (k = min(m, n)). p?gerqf and p?orgrq/p?ungrq."""
    return _l.rq(_check("rq", "a", a), mode, check_finite)


def lstsq(a, b, rcond=None, check_finite=True):
    """(x, residuals, rank, s), numpy.linalg.lstsq's tuple; x is a DistMatrix, the others
    numpy arrays and an int on every rank. Minimum norm for rank-deficient a."""
    _check("lstsq", "a", a), _check("lstsq", "b", b, matrix=False)
    x, residuals, rank, s = _l.lstsq(a, b, rcond, check_finite)
    return _like(x, b), residuals, rank, s


def eigh(a, b=None, lower=True, eigvals_only=False, subset_by_index=None, subset_by_value=None,
         driver=None, check_finite=True):
    """(w, v) or w (scipy.linalg.eigh): eigenvalues ascending (numpy array on every rank)
    and eigenvectors as a DistMatrix. b: the generalized problem a v = w b v.
    driver: None (automatic: ELPA where it serves), 'elpa', 'elpa2', 'evd', 'evr'."""
    _check("eigh", "a", a)
    if b is not None:
        _check("eigh", "b", b)
    return _l.eigh(a, b, lower, eigvals_only, subset_by_index, subset_by_value, driver, check_finite)


def eigvalsh(a, b=None, lower=True, subset_by_index=None, subset_by_value=None, driver=None,
             check_finite=True):
    """Eigenvalues only (numpy.linalg.eigvalsh, scipy.linalg.eigvalsh)."""
    _check("eigvalsh", "a", a)
    if b is not None:
        _check("eigvalsh", "b", b)
    return _l.eigh(a, b, lower, True, subset_by_index, subset_by_value, driver, check_finite)


def svd(a, full_matrices=False, compute_uv=True, check_finite=True, lapack_driver="gesdd"):
    """(u, s, vh) with a = u @ diag(s) @ vh (numpy.linalg.svd; note full_matrices=False by
    default), or s alone with compute_uv=False. lapack_driver: 'gesdd' (divide and conquer)
    or 'gesvd'."""
    return _l.svd(_check("svd", "a", a), full_matrices, compute_uv, check_finite, lapack_driver)


def svdvals(a, check_finite=True):
    """Singular values, descending (scipy.linalg.svdvals)."""
    return _l.svd(_check("svdvals", "a", a), False, False, check_finite, "gesdd")


def inv(a, check_finite=True):
    """The inverse (numpy.linalg.inv). Raises SingularMatrix."""
    return _l.inv(_check("inv", "a", a), check_finite)


def det(a, check_finite=True):
    """The determinant (numpy.linalg.det), on every rank."""
    return _l.det(_check("det", "a", a), check_finite)


def slogdet(a, check_finite=True):
    """(sign, logabsdet) (numpy.linalg.slogdet), on every rank."""
    return _l.slogdet(_check("slogdet", "a", a), check_finite)


def pinv(a, atol=None, rtol=None, check_finite=True):
    """The pseudo-inverse (scipy.linalg.pinv(atol=, rtol=))."""
    return _l.pinv(_check("pinv", "a", a), atol, rtol, check_finite)


def matrix_rank(a, tol=None, rtol=None):
    """Number of singular values above the cutoff (numpy.linalg.matrix_rank)."""
    return _l.matrix_rank(_check("matrix_rank", "a", a), tol, rtol)


def cond(a, p=None):
    """Condition number (numpy.linalg.cond): p None or 2 (s_max / s_min), 'fro', 1 or inf."""
    return _l.cond(_check("cond", "a", a), p)


def norm(a, ord=None, axis=None):
    """Matrix norm (numpy.linalg.norm): ord None or 'fro', 1, inf, 2 (the largest singular
    value), -2 (the smallest) or 'nuc' (their sum). 2, -2 and 'nuc' compute the singular
    values (svdvals). For a vector, numpy's vector norms: None and 2, 1 and inf without
    gathering; any other ord gathers the vector on every rank and asks numpy. axis=0 or 1:
    the vector norm (ord None = 2, inf, -inf, 0 or any p) of each column or row of a matrix,
    a numpy array on every rank; axis=(0, 1) is the matrix norm."""
    _check("norm", "a", a, matrix=False)
    if axis is not None and not (isinstance(axis, tuple) and sorted(ax % 2 for ax in axis) == [0, 1]):
        ax = axis[0] if isinstance(axis, tuple) and len(axis) == 1 else axis
        if not isinstance(ax, (int, _np.integer)) or ax not in (0, 1, -1, -2):
            raise InvalidArgument(f"tartan: norm: axis is {axis!r}, expected 0, 1, -1, -2, (0, 1) or None")
        if a.ndim == 1:
            if ax not in (0, -1):
                raise InvalidArgument(f"tartan: norm: axis {axis!r} is out of bounds for a 1-D vector")
            return norm(a, ord)
        if isinstance(ord, str):
            raise InvalidArgument(f"tartan: norm: ord {ord!r} is a matrix norm; with an axis, give a number")
        return _l.axis_norms(a, ax % 2, 2.0 if ord is None else float(ord))
    if a.ndim == 1:
        if ord is None or (not isinstance(ord, str) and ord == 2):
            return _l.norm(a, None)
        if not isinstance(ord, str) and (ord == 1 or ord == float("inf")):
            return _l.norm(a, ord)
        return float(_np.linalg.norm(a.to_numpy(root=None), ord))
    if isinstance(ord, str):
        if ord == "nuc":
            return float(sum(svdvals(a)))
    elif ord is not None and ord in (2, -2):
        s = svdvals(a)
        return float(0.0 if len(s) == 0 else (s[0] if ord == 2 else s[-1]))
    elif ord is not None and not (ord == 1 or ord == float("inf")):
        raise InvalidArgument(f"tartan: norm: ord is {ord!r}, expected None, 'fro', 'nuc', 1, 2, -2 or inf")
    return _l.norm(a, ord)


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, check_finite=True):
    """x with op(a) x = b for triangular a (scipy.linalg.solve_triangular)."""
    _check("solve_triangular", "a", a), _check("solve_triangular", "b", b, matrix=False)
    return _like(_l.solve_triangular(a, b, trans, lower, unit_diagonal, check_finite), b)


def herk(a, c=None, trans=True, lower=True, alpha=1.0, beta=0.0):
    """alpha * a^H a + beta * c (trans=True; a a^H with trans=False) on one triangle of a new
    matrix (BLAS ?herk; ?syrk for real a): numpy's a.conj().T @ a, half the work. c (copied,
    not changed) defaults to zeros; the other triangle is c's."""
    return _l.herk(_check("herk", "a", a), c, trans, lower, alpha, beta)


def expm(a, report=False):
    """The matrix exponential (scipy.linalg.expm): Al-Mohy & Higham's scaling and squaring
    (2009), scipy's algorithm, with exact norms of the powers of a. float32 and complex64
    compute in double precision. report=True returns (x, report): a dict of the route
    ('pade'), its degree and squarings (the C++ FunmReport)."""
    return _l.expm(_check("expm", "a", a), report)


def sqrtm(a, report=False):
    """The principal square root (scipy.linalg.sqrtm). Hermitian a: through eigh (positive
    semidefinite a gives the positive semidefinite root; a real symmetric a with a negative
    eigenvalue raises LinAlgError: pass it as complex). Otherwise the scaled Denman-Beavers
    iteration; where eigenvalues on or near the negative real axis defeat or slow it, a
    complex a goes through its Schur form (scipy's route) and a real a raises LinAlgError or
    NoConvergence (its root is complex: pass it as complex). On the axis no principal root
    exists: every eigenvalue -r there (within rounding) gets the root i sqrt(r), as scipy's
    sqrtm of a real matrix does. report=True returns (x, report): a dict of the route
    ('eigh', 'denman_beavers', 'schur'), its steps and why it fell back."""
    return _l.sqrtm(_check("sqrtm", "a", a), report)


def lu(a, permute_l=False, check_finite=True, p_indices=False):
    """(p, l, u) with a = p @ l @ u (scipy.linalg.lu), any m x n a: p?getrf, then L and U split
    out. permute_l=True gives (p @ l, u); p_indices=True gives (perm, l, u) with perm a numpy
    array on every rank and a = l[perm] @ u (scipy 1.11's meaning)."""
    return _l.lu(_check("lu", "a", a), permute_l, p_indices, check_finite)


def eig(a):
    """(w, v) with a @ v[:, i] = w[i] v[:, i] (numpy.linalg.eig, scipy.linalg.eig's right
    eigenvectors): w a complex numpy array on every rank, v a complex DistMatrix with unit
    columns (largest component real). A real a's complex eigenvalues come in conjugate pairs.
    Balancing, Hessenberg reduction (p?gehrd), the Schur form (pdhseqr for real a, p?lahqr
    for complex a), then LAPACK's ?trevc3 on the replicated Schur form (n^2 per rank) and
    one product. LAPACK's ?geev on one process. NaN or Inf always raise NonFiniteInput."""
    return _l.eig(_check("eig", "a", a), True)


def eigvals(a):
    """The eigenvalues alone (numpy.linalg.eigvals): a complex numpy array on every rank."""
    return _l.eig(_check("eigvals", "a", a), False)


def schur(a, output="real"):
    """(t, z) with a = z @ t @ z^H (scipy.linalg.schur). output='real': for real a the real
    Schur form (2 x 2 blocks for complex pairs, in standard form); output='complex': the
    triangular complex form (scipy's rsf2csf applied to the real one). No balancing and no
    sort= (reordering needs pdtrord, whose 2.2.1 divides by zero on some inputs)."""
    return _l.schur(_check("schur", "a", a), output)


def hessenberg(a, calc_q=False):
    """h, or (h, q) with a = q @ h @ q^H (scipy.linalg.hessenberg): p?gehrd, q by p?ormhr."""
    return _l.hessenberg(_check("hessenberg", "a", a), calc_q)


def orth(a, rcond=None):
    """An orthonormal basis of a's range (scipy.linalg.orth), from the SVD; singular values
    below rcond * s_max (default eps * max(m, n)) count as zero."""
    return _l.subspace(_check("orth", "a", a), True, rcond)


def null_space(a, rcond=None):
    """An orthonormal basis of a's null space (scipy.linalg.null_space), from the full SVD."""
    return _l.subspace(_check("null_space", "a", a), False, rcond)


def polar(a, side="right", method="automatic"):
    """(u, p) with a = u @ p (side='right', p n x n) or a = p @ u ('left', p m x m), u with
    orthonormal columns (rows when m < n) and p Hermitian positive semidefinite
    (scipy.linalg.polar). method: 'svd' (from the SVD), 'qdwh' (the QR-based dynamically
    weighted Halley iteration: QR and Cholesky only; a singular a falls back to 'svd') or
    'automatic' (svd)."""
    return _l.polar(_check("polar", "a", a), side, method)


def logm(a, report=False):
    """The principal logarithm (scipy.linalg.logm). Hermitian a: through eigh (positive
    definite a gives a Hermitian log). Otherwise inverse scaling and squaring without a Schur
    form (square roots, then a Gauss-Legendre Pade approximant). Where eigenvalues on or near
    the closed negative real axis defeat or slow the square roots, a complex a goes through
    its Schur form (log(r) + i pi for each eigenvalue -r, as scipy's logm of a real matrix)
    and a real a raises LinAlgError or NoConvergence (pass it as complex). report=True
    returns (x, report) as in sqrtm."""
    return _l.logm(_check("logm", "a", a), report)


def signm(a, report=False):
    """The matrix sign function (scipy.linalg.signm): eigh for Hermitian a, else Newton's
    iteration with determinantal scaling. Eigenvalues on the imaginary axis raise LinAlgError
    or NoConvergence. report=True returns (x, report) as in sqrtm."""
    return _l.signm(_check("signm", "a", a), report)


def funm(a, func):
    """func(a) for Hermitian a (scipy.linalg.funm's name; scipy takes any a through its Schur
    form, Tartan only Hermitian ones for now): V @ diag(func(w)) @ V^H from eigh, func called
    on the numpy array of eigenvalues (vectorized, as scipy's), on every rank alike. A complex
    result of a real a is returned complex. Raises InvalidArgument when a is not Hermitian
    (||a - a^H||_1 above 100 n eps ||a||_1)."""
    _check("funm", "a", a)
    n = a.shape[0]
    if a.shape[0] != a.shape[1]:
        raise InvalidArgument(f"tartan: funm: a is {a.shape}, expected a square matrix")
    scale = norm(a, 1)
    eps = _np.finfo(a.dtype).eps
    if norm(a - a.H, 1) > 100 * n * eps * scale:
        raise InvalidArgument("tartan: funm: a is not Hermitian (||a - a^H||_1 is above 100 n eps ||a||_1); "
                              "only Hermitian matrices are supported")
    w, v = eigh(a)
    fw = _np.asarray(func(w))
    if fw.shape != w.shape:
        raise InvalidArgument(f"tartan: funm: func returned shape {fw.shape} for {w.shape} eigenvalues; it must be "
                              "vectorized (elementwise)")
    if _np.iscomplexobj(fw) and not _np.iscomplexobj(_np.empty(0, a.dtype)):
        v = v.astype(_np.result_type(a.dtype, _np.complex64))
    return _l.compose_eigen(v, fw)


def matrix_power(a, n):
    """a**n (numpy.linalg.matrix_power) by repeated squaring; n < 0 through inv(a)."""
    if int(n) != n:
        raise TypeError(f"tartan: matrix_power: exponent must be an integer, got {n!r}")
    return _l.matrix_power(_check("matrix_power", "a", a), int(n))


def multi_dot(arrays):
    """The product of the matrices in the cheapest order (numpy.linalg.multi_dot). A 1-D first
    argument is a row vector and a 1-D last one a column, as numpy's; both give a number."""
    arrays = list(arrays)
    if len(arrays) < 2:
        raise InvalidArgument("tartan: multi_dot: expected at least two arrays, as numpy")
    for k, x in enumerate(arrays):
        _check("multi_dot", f"arrays[{k}]", x, matrix=0 < k < len(arrays) - 1)
    first = arrays[0]
    if first.ndim == 1:
        # v^T M1 ... Mk = (Mk^T ... M1^T v)^T: the same chain, reversed and transposed.
        rest = [x.T for x in reversed(arrays[1:])]
        if arrays[-1].ndim == 1:
            return _l.multi_dot(arrays[1:-1] + [arrays[-1]]) @ first if len(arrays) > 2 else first @ arrays[-1]
        return _l.multi_dot(rest + [first])
    return _l.multi_dot(arrays)
