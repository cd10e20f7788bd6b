"""A run's local Dask cluster is quiet about its own connections once it closes
(flows/worker_shutdown.py): the heartbeat race at shutdown printed a forty-line traceback
after a run that had succeeded."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A real cluster with the run's options; a worker plugin logs, through Dask's worker logger,
# the errors a worker may log: while it runs, and from its teardown, which Dask calls once
# the worker is closing (the moment of the heartbeat race).
_SCRIPT = r'''
import logging

from distributed import Client, LocalCluster, WorkerPlugin

from flows.dask_cluster import local_cluster_options


def _log(when):
    log = logging.getLogger("distributed.worker")
    for error in (ConnectionResetError(f"{when}-connection"), ValueError(f"{when}-value")):
        try:
            raise error
        except Exception:
            log.exception("marker %s", error)


class Teardown(WorkerPlugin):
    def teardown(self, worker):
        _log("closing")


if __name__ == "__main__":
    cluster, client = local_cluster_options(1)
    with LocalCluster(**cluster) as running, Client(running, **client) as connected:
        connected.register_plugin(Teardown())
        connected.run(lambda: _log("working"))
'''


@pytest.mark.slow  # Dask worker processes
def test_a_closing_worker_drops_its_connection_errors_and_nothing_else(tmp_path):
    script = tmp_path / "cluster.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=180,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    markers = sorted(line.split("marker ", 1)[1] for line in done.stderr.splitlines() if " - ERROR - marker " in line)
    assert markers == ["closing-value", "working-connection", "working-value"]
