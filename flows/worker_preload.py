"""Imported once by the fork server that starts a local Dask cluster's workers
(flows/dask_runner.py): every worker is forked from it with Dask, Prefect's task engine,
the stages and the spaCy pipeline already in memory, instead of a new interpreter importing
and loading them again (2.4 s of CPU per worker, measured: time a worker took from the
guides when the cluster shares the machine's cores with them).

Nothing here may fail the fork server: a pipeline that cannot load here is loaded, and
its error reported, by the first values task as before."""

import distributed.worker  # noqa: F401
import prefect.task_engine  # noqa: F401
import prefect_dask  # noqa: F401

import flows.guide_flow  # noqa: F401
import pipeline.values.enrich  # noqa: F401

try:
    from pipeline.values.nlp import get_nlp

    get_nlp()
except Exception:  # noqa: BLE001  (see the docstring)
    pass
