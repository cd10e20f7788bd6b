"""Matrix products of the spaCy models through numpy's BLAS, on one thread.

thinc multiplies with blis. Measured on the bench machine (AMD EPYC, bench/RESULTS.md,
"Analysis stage CPU"), numpy's OpenBLAS takes less than half of blis' CPU for the models'
matrices, and the values stage a quarter less in all. A product's last bits differ from blis'
(another summation order), as blis' own do from one CPU to another; the sample guide's
values are byte-identical.

OpenBLAS would split each product over a thread per core, but the run's pool already
keeps every core busy with one process each: the extra threads only wait for one another
(twice the CPU, measured). So when the models are built, the BLAS of the process is held
to one thread with threadpoolctl (for every caller from then on: each process of a run
computes on one core). Where numpy's BLAS is not OpenBLAS (another platform's wheel, a
build against MKL), thinc keeps blis.
"""

from __future__ import annotations

import functools

import numpy
from thinc.api import NumpyOps


class MatmulOps(NumpyOps):
    """NumpyOps with `gemm` by numpy.matmul."""

    name = "numpy"  # what a model's config and thinc's own checks expect

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


@functools.cache
def _one_blas_thread() -> bool:
    """Hold numpy's OpenBLAS, when that is its BLAS, to one thread; whether it was."""
    from threadpoolctl import ThreadpoolController

    openblas = ThreadpoolController().select(internal_api="openblas")  # the libraries this process loaded: numpy's
    if not openblas.lib_controllers:
        return False
    openblas.limit(limits=1)  # from now on, not only within a `with`
    return True


def matmul_ops() -> MatmulOps | None:
    """The ops to build the models with, or None to keep thinc's default (blis)."""
    return MatmulOps() if _one_blas_thread() else None
