"""Tartan's exceptions, raised alike on every rank of the grid.

Numerical failures subclass numpy.linalg.LinAlgError (as numpy and scipy raise them);
invalid arguments subclass ValueError; file errors subclass OSError.
"""

import numpy as _np

__all__ = ["Error", "InvalidArgument", "NonFiniteInput", "LinAlgError", "SingularMatrix",
           "NotPositiveDefinite", "NoConvergence", "FileError"]


class Error(Exception):
    """Base of every Tartan error."""


class InvalidArgument(Error, ValueError):
    """Shapes, grids, options or values that do not fit the call."""


class NonFiniteInput(InvalidArgument):
    """NaN or Inf in an input checked with check_finite=True (scipy raises ValueError)."""


class LinAlgError(Error, _np.linalg.LinAlgError):
    """A numerical failure."""


class SingularMatrix(LinAlgError):
    """An exactly singular matrix; .index is the 0-based index of the zero pivot."""
    index = -1


class NotPositiveDefinite(LinAlgError):
    """Not positive definite; .order is the order of the leading minor that is not."""
    order = -1


class NoConvergence(LinAlgError):
    """An iterative eigen- or singular value algorithm did not converge."""


class FileError(Error, OSError):
    """A file could not be opened, read or written, or is malformed."""
