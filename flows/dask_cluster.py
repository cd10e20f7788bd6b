"""Dask clusters a run may use, and the locks on them: Dask's own TLS
(distributed.security.Security). A local cluster (`run --workers N`) listens on
127.0.0.1 with a key made for this run only, so another user of the machine can neither
connect to its scheduler nor run code in its workers as this user. An existing cluster
(`--dask-address`) is reached with the certificates of Dask's configuration
(`distributed.comm.tls.*`, e.g. DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT), after asking it
who it is within Dask's connect timeout.

Prefect is not imported here: the options are settled before the run chooses its API.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
from urllib.parse import urlsplit


class ClusterError(Exception):
    """A cluster that cannot be used (one line)."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def capped_workers(asked: int) -> tuple[int, str | None]:
    """At most one worker process per core (the stages are CPU-bound: more only adds
    processes, memory and start time); the number, and a notice when it was lowered."""
    available = cores()
    if asked <= available:
        return asked, None
    return available, f"--workers {asked}: this machine has {available} cores; starting {available} worker processes"


def local_cluster_options(workers: int) -> tuple[dict, dict]:
    """The LocalCluster and Client arguments of a local cluster of `workers` processes:
    on 127.0.0.1, TLS both ways with a key and certificate made now for this run only
    (`Security.temporary()`, in memory, handed to the workers by their nanny over a
    pipe), and no dashboard. A Dask scheduler and worker serve HTTP even without a
    dashboard (metrics, health, pages listing workers and tasks), unencrypted and to anyone:
    here they serve no route, and the scheduler's listens on a free port (it took 8787, the
    dashboard's, and warned when another cluster had it)."""
    import dask
    from distributed.security import Security

    security = Security.temporary()
    # in this process's configuration, which each nanny hands to its worker
    dask.config.set({"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []})
    cluster = {
        "n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1", "protocol": "tls://",
        "security": security, "dashboard_address": None, "worker_dashboard_address": None,
        "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        # quiet about its own connections once closing (flows/worker_shutdown.py)
        "preload": [*dask.config.get("distributed.worker.preload"), "flows.worker_shutdown"],
    }
    return cluster, {"security": security}


def _is_loopback(address: str) -> bool:
    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_scheduler(address: str):
    """The Security (TLS settings of Dask's configuration) to reach the scheduler at
    `address` with, after checking that a Dask scheduler answers there within Dask's
    connect timeout (a Dask client waits for ever on a port that accepts connections but
    never answers, an HTTP server's for one); and a warning when the address is not this
    machine's and the connection is not TLS."""
    import dask
    from dask.utils import parse_timedelta
    from distributed.comm import connect
    from distributed.security import Security

    security = Security()  # distributed.comm.tls.* and require-encryption, from Dask's configuration
    timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds")

    async def identity() -> dict:
        comm = await connect(address, timeout=timeout, **security.get_connection_args("client"))
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            await comm.close()

    async def bounded() -> dict:
        return await asyncio.wait_for(identity(), timeout)

    try:
        who = asyncio.run(bounded())
    except (asyncio.TimeoutError, TimeoutError):
        raise ClusterError(f"{address}: no Dask scheduler answered within {timeout:g} s (distributed.comm.timeouts.connect)") from None
    except Exception as error:  # noqa: BLE001  (refused, TLS, malformed address: all one line)
        reason = (str(error).splitlines() or [type(error).__name__])[0]
        raise ClusterError(f"{address}: cannot reach a Dask scheduler: {reason}") from None
    if not isinstance(who, dict) or who.get("type") != "Scheduler":
        kind = who.get("type") if isinstance(who, dict) else None
        raise ClusterError(f"{address}: not a Dask scheduler" + (f" (a {kind})" if kind else ""))
    warning = None
    if not address.startswith("tls://") and not _is_loopback(address):
        warning = (f"--dask-address {address}: not a loopback address and not TLS: anyone who can reach it can run code as "
                   "you; use tls:// with the certificates in Dask's configuration (docs/security.md)")
    return security, warning
