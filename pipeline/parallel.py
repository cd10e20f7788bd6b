"""One pool of worker processes per run, shared by the stages that split their work:
page ranges of extraction and pictures, groups of practices for the values.

pdfplumber and spaCy are pure-Python-bound: threads of one process share one core, so
guides of a batch and pages of a guide go to processes. The pool is created on first use
and reused by every guide of the run (start-up is paid once), and shut down at exit. A
worker holds one page range (or one group of practices) at a time.

`GUIDE_EXTRACT_PROCESSES=1` turns it off. Inside a daemonic process (a Dask worker) there
is no pool: such a process may not have children, and the cluster already runs one guide
per worker.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, TypeVar

SETTING = "GUIDE_EXTRACT_PROCESSES"
# Imported once by the fork server, so every worker starts with them in memory.
_PRELOAD = ["pipeline.read.words", "pipeline.model", "pdfplumber", "pypdfium2", "PIL.Image"]

T = TypeVar("T")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def processes() -> int:
    """How many worker processes a run may use: every core this process may run on."""
    chosen = os.environ.get(SETTING, "").strip()
    if chosen:
        return max(1, int(chosen))
    if multiprocessing.current_process().daemon:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def get_pool() -> ProcessPoolExecutor | None:
    """The run's pool, or None when work should stay in this process."""
    global _pool
    if processes() < 2:
        return None
    with _lock:
        if _pool is None:
            # forkserver, not fork: the parent has threads (Prefect's, the task runner's),
            # and forking a threaded process can copy a held lock into the child.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _pool = ProcessPoolExecutor(processes(), mp_context=context)
        return _pool


def shutdown() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def _discard(pool: ProcessPoolExecutor) -> None:
    """A worker died (killed, out of memory): the next call starts a fresh pool."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def run_all(fn: Callable[..., T], calls: Iterable[tuple], *, parallel: bool = True) -> list[T]:
    """fn(*args) for each args tuple, in the given order; in the pool when there is one
    and `parallel`, else here. An exception from any call is raised as it was."""
    calls = list(calls)
    pool = get_pool() if parallel and len(calls) > 1 else None
    if pool is None:
        return [fn(*args) for args in calls]
    try:
        futures: list[Future] = [pool.submit(fn, *args) for args in calls]
        return [future.result() for future in futures]
    except BrokenProcessPool:
        _discard(pool)
        raise


def ranges(count: int, parts: int) -> list[tuple[int, int]]:
    """[first, last) index ranges that cut `count` items into `parts` contiguous runs of
    nearly equal length."""
    parts = max(1, min(parts, count))
    bounds = [count * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
