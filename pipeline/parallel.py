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
import contextlib
import multiprocessing
import os
import threading
import time
import weakref
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, TypeVar

from pipeline import lifeline

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
        try:  # the command line refuses a bad value first (flows/cli.py)
            return max(1, int(chosen))
        except ValueError:
            pass
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
            # each worker ends when this process does, even when it is killed (lifeline.py)
            _pool = ProcessPoolExecutor(processes(), mp_context=context, initializer=lifeline.end_with, initargs=(os.getpid(),))
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


class DeadlinePassed(TimeoutError):
    """The work in the pool was still running at its deadline; its processes were ended."""


# Pools whose processes were ended on purpose: the other guides' calls that were in them
# (a pool is shared by the guides of a batch) are run again in a fresh pool.
_ended: "weakref.WeakSet[ProcessPoolExecutor]" = weakref.WeakSet()


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop what the pool's processes are doing, now: a stage given up must not leave a
    worker rendering or parsing for minutes (nor keep the run from exiting). A process
    pool cannot end one call, so every worker is ended and the pool discarded."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    _ended.add(pool)
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.join(timeout=10)


# How often a thread waiting on the pool wakes up. A wait on a future is one blocking
# call that neither Prefect's task timeout (an exception sent to the thread, delivered
# only between Python instructions) nor a deadline can interrupt; short waits can be.
_WAKE_SECONDS = 0.2
_RETRIES = 3  # fresh pools a call is given when other guides' timeouts end its pool


def run_all(fn: Callable[..., T], calls: Iterable[tuple], *, parallel: bool = True, deadline: float | None = None) -> list[T]:
    """fn(*args) for each args tuple, in the given order; in the pool when there is one
    and `parallel`, else here. An exception from any call is raised as it was.
    `deadline` (a time.monotonic() value) ends the work when it passes (DeadlinePassed);
    an interruption of the waiting thread (Prefect's task timeout, Ctrl-C) ends it too.
    Either way the pool's processes are ended, not left running."""
    calls = list(calls)
    for attempt in range(_RETRIES + 1):
        pool = get_pool() if parallel and len(calls) > 1 else None
        if pool is None:
            out = []
            for args in calls:
                _check(deadline)
                out.append(fn(*args))
            return out
        try:
            return _in_pool(pool, fn, calls, deadline)
        except BrokenProcessPool:
            if pool in _ended and attempt < _RETRIES:
                continue  # ended for another guide's sake: this work is run again
            _discard(pool)
            raise
    raise AssertionError("unreachable")


def _check(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlinePassed()


def _in_pool(pool: ProcessPoolExecutor, fn: Callable[..., T], calls: list[tuple], deadline: float | None) -> list[T]:
    try:
        futures: list[Future] = [pool.submit(fn, *args) for args in calls]
    except RuntimeError:  # shut down by another thread between get_pool() and here
        if pool in _ended:
            raise BrokenProcessPool("the pool was ended") from None
        raise
    try:
        pending = set(futures)
        while pending:
            _check(deadline)
            left = _WAKE_SECONDS if deadline is None else max(0.0, min(_WAKE_SECONDS, deadline - time.monotonic()))
            done, pending = wait(pending, timeout=left, return_when=FIRST_EXCEPTION)
            if any(not f.cancelled() and f.exception() is not None for f in done):
                break
    except BaseException as error:  # the deadline, Prefect's timeout, Ctrl-C
        if not isinstance(error, Exception) or isinstance(error, DeadlinePassed):
            _end_workers(pool)
        raise
    failed = [f for f in futures if f.done() and not f.cancelled() and f.exception() is not None]
    if failed:  # the rest of this work is not wanted: what has not started is dropped
        for other in futures:
            other.cancel()
        raise failed[0].exception()
    return [future.result() for future in futures]


def ranges(count: int, parts: int) -> list[tuple[int, int]]:
    """[first, last) index ranges that cut `count` items into `parts` contiguous runs of
    nearly equal length."""
    parts = max(1, min(parts, count))
    bounds = [count * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
