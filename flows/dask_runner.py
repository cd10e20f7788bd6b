"""Prefect's Dask task runner without two costs it pays on every task it submits, which on
a batch took the flow's own process a fifth of a core (profiled with py-spy on 16 guides,
192 tasks, bench/RESULTS.md):

- it serialises Prefect's whole settings context for each task (30 ms apiece), though the
  settings cannot change while the flow runs: here that is done once per settings context;
- Dask names each task by hashing its function and arguments (`pure=True`), which walks
  Prefect's task object and that serialised context; every Prefect task run is unique
  anyway (it carries its own run id), so each is given a unique name instead.

In the workers, each task run is Prefect's own `run_task_sync` (as prefect-dask's wrapper
calls it) with two things Prefect rebuilt for every task run made once per worker thread
(`_run_in_worker`; measured on cached guides, they were nine tenths of a task run's time in
a worker): the settings, which Prefect validates anew from the serialised context (pydantic
settings reading the environment, .env, prefect.toml, pyproject.toml and the profiles once
per nested model), and the API client, created twice per task run with an SSL context each.

And the runners for a local cluster started by `run --workers N` (`local_runner`: TLS
with this run's own key, no dashboard, flows/dask_cluster.py; its workers fork from a
preloaded fork server, `start_worker_fork_server`) and for an existing cluster
(`--dask-address`, `remote_runner`).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import threading
from uuid import uuid4

from distributed import Future
from prefect.client.orchestration import get_client
from prefect.context import SettingsContext, SyncClientContext, serialize_context
from prefect.task_engine import run_task_async, run_task_sync
from prefect.utilities.engine import collect_task_run_inputs_sync
from prefect_dask import DaskTaskRunner
from prefect_dask.task_runners import PrefectDaskFuture

_lock = threading.Lock()
_active = 0
_original = SettingsContext.serialize
_memo: dict[tuple[int, bool], tuple[SettingsContext, dict]] = {}


def _serialize_once(self: SettingsContext, include_secrets: bool = True) -> dict:
    key = (id(self), include_secrets)
    held = _memo.get(key)
    if held is None or held[0] is not self:  # the id of a context since freed
        held = _memo[key] = (self, _original(self, include_secrets=include_secrets))
    return held[1]


@contextlib.contextmanager
def _settings_serialized_once():
    """While any such runner is open, SettingsContext.serialize remembers its answer per
    context object (the object is kept, so its id cannot be reused meanwhile)."""
    global _active
    with _lock:
        _active += 1
        SettingsContext.serialize = _serialize_once
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                SettingsContext.serialize = _original
                _memo.clear()


class GuideDaskTaskRunner(DaskTaskRunner):
    def __enter__(self):
        self._serialized_once = _settings_serialized_once()
        self._serialized_once.__enter__()
        try:
            return super().__enter__()
        except BaseException:
            self._serialized_once.__exit__(None, None, None)
            raise

    def __exit__(self, *exc):
        try:
            return super().__exit__(*exc)
        finally:
            self._serialized_once.__exit__(None, None, None)

    def submit(self, task, parameters, wait_for=None, dependencies=None):
        """What prefect-dask's client does for a Prefect task (a run id, the inputs it
        waits for, the serialised context), submitting `_run_in_worker` instead of its
        wrapper, under the task's name and the run's id."""
        if not self._started:
            raise RuntimeError("The task runner must be started before submitting work.")
        parameters = self._optimize_futures(parameters)
        wait_for = self._optimize_futures(wait_for) if wait_for else None
        task_run_id = uuid4()
        inputs = {name: collect_task_run_inputs_sync(value, future_cls=Future) for name, value in parameters.items()}
        if dependencies:
            inputs = {name: found.union(dependencies.get(name, set())) for name, found in inputs.items()}
        context = serialize_context(
            asset_ctx_kwargs={"task": task, "task_run_id": task_run_id, "task_inputs": inputs, "copy_to_child_ctx": True}
        )
        future = self.client.submit(
            _run_in_worker, key=f"{task.name}-{task_run_id.hex}", pure=False,
            task=task, task_run_id=task_run_id, parameters=parameters, wait_for=wait_for, return_type="state",
            dependencies=inputs, context=context,
        )
        return PrefectDaskFuture(wrapped_future=future, task_run_id=task_run_id)


class _Held(threading.local):
    """One worker thread's settings and API client, for the settings they were made with."""

    key: bytes | None = None
    settings: dict | None = None
    client = None


_held = _Held()


def _run_in_worker(*, task, context: dict, **run_task_kwargs):
    """A Prefect task run in a Dask worker: prefect-dask's wrapper, except that the
    settings of the serialised context are validated once per worker thread (Prefect's
    engine then enters them as they are: a SettingsContext of a validated Settings is not
    validated again) and that the engine finds this thread's API client in a
    SyncClientContext, where `get_client` looks first, instead of making two. A context
    with other settings (another run on a shared cluster) gets its own, and the previous
    client is closed."""
    serialized = context.get("settings_context")
    if serialized:
        key = pickle.dumps(serialized)
        if key != _held.key:
            settings = SettingsContext(**serialized)
            with settings:  # the client reads the run's API address and auth string
                client = get_client(sync_client=True).__enter__()  # held open: never closed by a task run
            if _held.client is not None:
                _held.client.__exit__(None, None, None)
            _held.key, _held.client = key, client
            _held.settings = {"profile": settings.profile, "settings": settings.settings}
        context = {**context, "settings_context": _held.settings}
    if task.isasync:
        return asyncio.run(run_task_async(task=task, context=context, **run_task_kwargs))
    if not serialized:
        return run_task_sync(task=task, context=context, **run_task_kwargs)
    # a context around the held client, as Prefect's would be (entering it only counts)
    with SyncClientContext.model_construct(client=_held.client):
        return run_task_sync(task=task, context=context, **run_task_kwargs)


def start_worker_fork_server() -> None:
    """Before a local cluster starts: its workers will fork from one fork server that has
    imported and loaded what they need (flows/worker_preload.py), started now so that its
    imports overlap the flow's own start. Dask's default, a new interpreter per worker,
    paid the imports and the spaCy load once per worker, on cores the guides needed.

    Called once the run's environment is final (API address, vocabulary, settings): the
    fork server, and so every worker, keeps the environment it starts with. That includes
    the variables Dask sets before starting a worker process (one thread for numpy's
    libraries, a fixed hash seed), set here as the nanny would. A start method the user
    set for Dask (DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD) is kept."""
    import dask
    from distributed.utils import get_mp_context

    if os.environ.get("DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD"):
        return  # the user chose how Dask starts its workers
    # as the nanny reads them: None unsets, the process's own environment wins
    environ = {name: os.environ.get(name, str(value))
               for name, value in dask.config.get("distributed.nanny.pre-spawn-environ").items() if value is not None}
    if environ.get("PYTHONHASHSEED") in (None, "0"):
        environ["PYTHONHASHSEED"] = "6640"  # Dask's own choice for its workers
    os.environ.update(environ)  # the nanny does the same in this process before each start
    dask.config.set({
        "distributed.worker.multiprocessing-method": "forkserver",
        # the statistical profiler samples every worker thread 100 times a second for a
        # dashboard a local cluster here does not serve (about 1.5% of each worker's CPU)
        "distributed.worker.profile.enabled": False,
    })
    context = get_mp_context()  # Dask sets its preload list on the first call only
    context.set_forkserver_preload(["flows.worker_preload"])
    multiprocessing.forkserver.ensure_running()  # returns at once; the imports run there


_TRIM = "MALLOC_TRIM_THRESHOLD_"


def _untrimmed() -> None:
    """Dask starts its workers with glibc's MALLOC_TRIM_THRESHOLD_ at 64 KiB, to hand freed
    memory back to the system at once. Setting it also turns off glibc's adaptive
    thresholds, so every allocation over 128 KiB becomes a fresh mmap whose pages fault in
    again: the stages of a guide allocate and free such blocks all the time (pages'
    words, spaCy's arrays, pictures), and with it the two workers of a 16-guide batch spent
    11% more CPU than the same stages in the default runner's processes, for about 12 MB
    less peak memory each (bench/RESULTS.md). A local cluster's workers run with glibc's
    defaults, as every other process of a run; Dask's own way to unset a variable is a
    None in its configuration. A threshold the user chose is kept: the variable in the
    environment (which the nanny and glibc both read first), or another value in Dask's
    configuration."""
    import dask

    chosen = dask.config.get(f"distributed.nanny.pre-spawn-environ.{_TRIM}", None)
    shipped = None
    for defaults in dask.config.defaults:  # Dask's own files, not the user's
        shipped = defaults.get("distributed", {}).get("nanny", {}).get("pre-spawn-environ", {}).get(_TRIM, shipped)
    if _TRIM not in os.environ and chosen is not None and chosen == shipped:
        dask.config.set({f"distributed.nanny.pre-spawn-environ.{_TRIM}": None})


def local_runner(workers: int) -> GuideDaskTaskRunner:
    """A runner that starts a local cluster of `workers` processes, reachable only with
    this run's own key (flows/dask_cluster.py), with no dashboard. Call once the run's
    environment is final (see start_worker_fork_server)."""
    from flows.dask_cluster import local_cluster_options

    cluster, client = local_cluster_options(workers)
    _untrimmed()  # however the workers start
    start_worker_fork_server()
    return GuideDaskTaskRunner(cluster_kwargs=cluster, client_kwargs=client)


def remote_runner(address: str, security) -> GuideDaskTaskRunner:
    """A runner on the scheduler at `address` (checked by flows/dask_cluster.py)."""
    return GuideDaskTaskRunner(address=address, client_kwargs={"security": security})
