"""Matrix products of the spaCy models through numpy's BLAS, on one thread.

thinc multiplies with blis. Measured on the bench machine (AMD EPYC, bench/RESULTS.md,
"Analysis stage CPU"), numpy's OpenBLAS takes less than half of blis' CPU for the models'
matrices, and the values stage a quarter less in all. A product's last bits differ from blis'
(another summation order), as blis' own do from one CPU to another; the sample guide's
values are byte-identical.

OpenBLAS would split each product over a thread per core, but the run's pool already
keeps every core busy with one process each: the extra threads only wait for one another
(twice the CPU, measured). So each product first limits its calling thread to one BLAS
thread (`openblas_set_num_threads_local`, OpenBLAS 0.3.27 and later, per thread so
nothing else in the process changes). Where numpy's OpenBLAS or that function cannot be
found (another BLAS, another platform's wheel), thinc keeps blis.
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import numpy
from thinc.api import NumpyOps


@functools.cache
def _one_thread_setter():
    """OpenBLAS's per-thread thread count setter, from the library numpy loaded, or None."""
    libs = Path(numpy.__file__).parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*")):
        try:
            return ctypes.CDLL(str(path)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
    return None


class MatmulOps(NumpyOps):
    """NumpyOps with `gemm` by numpy.matmul on one BLAS thread."""

    name = "numpy"  # what a model's config and thinc's own checks expect

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        _one_thread_setter()(1)
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


def matmul_ops() -> MatmulOps | None:
    """The ops to build the models with, or None to keep thinc's default (blis)."""
    return MatmulOps() if _one_thread_setter() is not None else None
