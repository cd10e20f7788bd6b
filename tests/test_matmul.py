"""The spaCy models' matrix products through numpy's BLAS (pipeline/values/matmul.py):
the same products as thinc's blis, every layout of arguments thinc passes, and the
pipeline built with them without changing the ops of anything else."""

import numpy
import pytest
from thinc.api import NumpyOps, get_current_ops

from pipeline.values.matmul import MatmulOps, _one_blas_thread, matmul_ops
from pipeline.values.nlp import get_nlp

# Small integers: every product is exact in float32, so both BLAS must agree to the bit.
X = numpy.arange(12, dtype="float32").reshape(3, 4) - 5
Y = numpy.arange(20, dtype="float32").reshape(4, 5) % 7
Y_T = numpy.ascontiguousarray(Y.T)
X_T = numpy.ascontiguousarray(X.T)


@pytest.mark.parametrize(
    "x, y, trans1, trans2",
    [(X, Y, False, False), (X, Y_T, False, True), (X_T, Y, True, False), (X_T, Y_T, True, True)],
)
def test_gemm_equals_blis(x, y, trans1, trans2):
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = MatmulOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.dtype == numpy.float32 and got.shape == (3, 5)
    assert got.tolist() == expected.tolist() == (X @ Y).tolist()
    out = numpy.full((3, 5), 99.0, dtype="float32")
    assert MatmulOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    assert out.tolist() == expected.tolist()


def test_the_models_hold_numpys_openblas_to_one_thread():
    # the run's processes already keep every core busy: more BLAS threads only wait (twice the CPU)
    from threadpoolctl import threadpool_info

    ops = matmul_ops()
    openblas = [lib["num_threads"] for lib in threadpool_info() if lib["internal_api"] == "openblas"]
    assert (ops is not None, openblas) in ((True, [1]), (False, []))


def test_pipeline_models_use_it_and_nothing_else_does():
    if not _one_blas_thread():
        assert matmul_ops() is None  # another BLAS: thinc's default stays
        return
    nlp = get_nlp()
    assert type(nlp.get_pipe("ner").model.ops) is MatmulOps
    assert type(nlp.get_pipe("tok2vec").model.ops) is MatmulOps
    assert type(get_current_ops()) is NumpyOps  # restored for models built later
