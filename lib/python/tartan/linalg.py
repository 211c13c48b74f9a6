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

from ._core import _linalg as _l
from ._errors import InvalidArgument

LU = _l.LU
Cholesky = _l.Cholesky


def solve(a, b, assume_a="gen", lower=False, check_finite=True):
    """x with a @ x = b (scipy.linalg.solve).

    assume_a: 'gen' (LU), 'sym' / 'her' (one triangle read, solved by LU), 'pos' (Cholesky).
    Raises SingularMatrix (.index), NotPositiveDefinite (.order), InvalidArgument,
    NonFiniteInput. numpy: np.linalg.solve(a, b)."""
    return _l.solve(a, b, assume_a, lower, check_finite)


def solve_mixed(a, b, max_iterations=30, check_finite=True):
    """(x, info): LU in single precision refined to double accuracy (LAPACK's dsgesv).

    float64 and complex128 only. info is a dict: iterations, converged, fallback (False, or
    why it fell back to a double-precision LU) and backward_error."""
    return _l.solve_mixed(a, b, max_iterations, check_finite)


def lu_factor(a, check_finite=True):
    """An LU factorization for lu_solve (scipy.linalg.lu_factor). A singular a does not
    raise here; lu_solve does. .det() gives the determinant."""
    return _l.lu_factor(a, check_finite)


def lu_solve(lu, b, trans=0):
    """x with op(a) x = b from lu_factor (scipy.linalg.lu_solve; trans 0, 1, 2 or 'N', 'T', 'C')."""
    return _l.lu_solve(lu, b, trans)


def cholesky(a, lower=True, check_finite=True):
    """The Cholesky factor, the other triangle zero (numpy.linalg.cholesky: lower=True gives
    L with a = L L^H; scipy.linalg.cholesky's default is lower=False). Raises
    NotPositiveDefinite with .order."""
    return _l.cholesky(a, lower, check_finite)


def cho_factor(a, lower=False, check_finite=True):
    """A Cholesky factorization for cho_solve (scipy.linalg.cho_factor)."""
    return _l.cho_factor(a, lower, check_finite)


def cho_solve(c, b):
    """x with a x = b from cho_factor (scipy.linalg.cho_solve, c the factorization)."""
    return _l.cho_solve(c, b)


def qr(a, mode="reduced", method="automatic", check_finite=True):
    """(q, r), or r for mode='r' (numpy.linalg.qr). method: 'automatic' (CholeskyQR2 for
    tall-skinny a; fastest on a P x 1 grid), 'householder' or 'cholesky_qr'."""
    return _l.qr(a, mode, method, check_finite)


def lstsq(a, b, rcond=None, check_finite=True):
    """(x, residuals, rank, s), numpy.linalg.lstsq's tuple; x is a DistMatrix, the others
    numpy arrays and an int on every rank. Minimum norm for rank-deficient a."""
    return _l.lstsq(a, b, rcond, check_finite)


def eigh(a, b=None, lower=True, eigvals_only=False, subset_by_index=None, subset_by_value=None,
         driver=None, check_finite=True):
    """(w, v) or w (scipy.linalg.eigh): eigenvalues ascending (numpy array on every rank)
    and eigenvectors as a DistMatrix. b: the generalized problem a v = w b v.
    driver: None (automatic: ELPA where it serves), 'elpa', 'elpa2', 'evd', 'evr'."""
    return _l.eigh(a, b, lower, eigvals_only, subset_by_index, subset_by_value, driver, check_finite)


def eigvalsh(a, b=None, lower=True, subset_by_index=None, subset_by_value=None, driver=None,
             check_finite=True):
    """Eigenvalues only (numpy.linalg.eigvalsh, scipy.linalg.eigvalsh)."""
    return _l.eigh(a, b, lower, True, subset_by_index, subset_by_value, driver, check_finite)


def svd(a, full_matrices=False, compute_uv=True, check_finite=True, lapack_driver="gesdd"):
    """(u, s, vh) with a = u @ diag(s) @ vh (numpy.linalg.svd; note full_matrices=False by
    default), or s alone with compute_uv=False. lapack_driver: 'gesdd' (divide and conquer)
    or 'gesvd'."""
    return _l.svd(a, full_matrices, compute_uv, check_finite, lapack_driver)


def svdvals(a, check_finite=True):
    """Singular values, descending (scipy.linalg.svdvals)."""
    return _l.svd(a, False, False, check_finite, "gesdd")


def inv(a, check_finite=True):
    """The inverse (numpy.linalg.inv). Raises SingularMatrix."""
    return _l.inv(a, check_finite)


def det(a, check_finite=True):
    """The determinant (numpy.linalg.det), on every rank."""
    return _l.det(a, check_finite)


def slogdet(a, check_finite=True):
    """(sign, logabsdet) (numpy.linalg.slogdet), on every rank."""
    return _l.slogdet(a, check_finite)


def pinv(a, atol=None, rtol=None, check_finite=True):
    """The pseudo-inverse (scipy.linalg.pinv(atol=, rtol=))."""
    return _l.pinv(a, atol, rtol, check_finite)


def matrix_rank(a, tol=None, rtol=None):
    """Number of singular values above the cutoff (numpy.linalg.matrix_rank)."""
    return _l.matrix_rank(a, tol, rtol)


def cond(a, p=None):
    """Condition number (numpy.linalg.cond): p None or 2 (s_max / s_min), 'fro', 1 or inf."""
    return _l.cond(a, p)


def norm(a, ord=None):
    """Matrix norm (numpy.linalg.norm): ord None or 'fro', 1, inf, 2 (the largest singular
    value), -2 (the smallest) or 'nuc' (their sum). 2, -2 and 'nuc' compute the singular
    values (svdvals)."""
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
    return _l.solve_triangular(a, b, trans, lower, unit_diagonal, check_finite)


def herk(a, c=None, trans=True, lower=True, alpha=1.0, beta=0.0):
    """alpha * a^H a + beta * c (trans=True; a a^H with trans=False) on one triangle of a new
    matrix (BLAS ?herk; ?syrk for real a): numpy's a.conj().T @ a, half the work. c (copied,
    not changed) defaults to zeros; the other triangle is c's."""
    return _l.herk(a, c, trans, lower, alpha, beta)
