"""A Dask worker preload (`distributed.worker.preload`) for a run's local cluster: a worker
that is closing does not print its own connection errors.

When the run ends the cluster closes its workers, and a worker whose heartbeat to the
scheduler is in flight at that moment logs "Failed to communicate with scheduler during
heartbeat" at ERROR with a forty-line traceback (its connection pool closing under the
heartbeat; a known race in Dask, dask/distributed#6492). The run had succeeded and its
results were written: on the user's terminal that traceback is noise saying the opposite.
Only connection errors (OSError, which Dask's CommClosedError is) logged while the worker
is already closing are dropped; the same errors while it works, and everything else, are
printed as Dask prints them."""

from __future__ import annotations

import logging

from distributed.core import Status

_CLOSING = frozenset({Status.closing, Status.closing_gracefully, Status.closed})


class ClosingWorkerConnectionErrors(logging.Filter):
    """Drops the connection errors of one worker once it is closing."""

    def __init__(self, worker) -> None:
        super().__init__()
        self.worker = worker

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, OSError) and self.worker.status in _CLOSING)


def dask_setup(worker) -> None:
    logging.getLogger("distributed.worker").addFilter(ClosingWorkerConnectionErrors(worker))
