"""Which Prefect API a run talks to, and the background server `guide-extract server` keeps.

Measured on this project (bench/RESULTS.md): a temporary Prefect server costs a run 7-18 s
(start, database migrations, stop) while a running server costs under a second. So a run
uses, in order: `PREFECT_API_URL` when the user set it; the local server when one answers
(the one `guide-extract server start` runs, or any Prefect server of the same version on
the default port); else a temporary server, whose start is serialised by a file lock so
that runs started together do not time out fighting over the same SQLite database.

Nothing here imports Prefect at module level: `server status` and `stop` stay instant.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

# Prefect's own default, so a plain `prefect server start` is found too.
DEFAULT_PORT = int(os.environ.get("GUIDE_EXTRACT_SERVER_PORT") or 4200)
START_TIMEOUT = float(os.environ.get("GUIDE_EXTRACT_SERVER_TIMEOUT", 120))


# How the servers this module starts record runs. Prefect's task-run recorder writes one
# database transaction per event by default (batch size 1); a guide's dozen stages send
# three events each, and on a 16-guide batch on 2 cores that bookkeeping was 6.5 s of the
# server's CPU, taken from the workers (bench/RESULTS.md). Written in batches of up to 100
# events, at least every second, it is 3.6 s and a task run shows in the UI at most a
# second later. A value the user set wins.
SERVER_SETTINGS = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL": "1",
}


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _pid_file() -> Path:
    return prefect_home() / "guide-extract-server.json"


def log_file() -> Path:
    return prefect_home() / "guide-extract-server.log"


def api_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api"


def answers(api: str, timeout: float = 0.5) -> bool:
    """True when a Prefect server of our version is serving at api."""
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=timeout) as response:
            if response.status != 200:
                return False
        with urllib.request.urlopen(f"{api}/admin/version", timeout=timeout) as response:
            return json.loads(response.read().decode()) == version("prefect")
    except (OSError, ValueError, urllib.error.URLError):
        return False


def _recorded() -> dict | None:
    try:
        record = json.loads(_pid_file().read_text())
        os.kill(int(record["pid"]), 0)
        return record
    except (OSError, ValueError, KeyError, TypeError):
        return None


def local_api() -> str | None:
    """The API of a running local server, or None."""
    record = _recorded()
    ports = [int(record["port"])] if record else []
    ports += [DEFAULT_PORT] if DEFAULT_PORT not in ports else []
    for port in ports:
        if answers(api_url(port)):
            return api_url(port)
    return None


def choose_api() -> str:
    """Point this process at a running server when there is one; say which path was taken
    ('configured', 'local' or 'temporary')."""
    if os.environ.get("PREFECT_API_URL"):
        return "configured"
    api = local_api()
    if api:
        os.environ["PREFECT_API_URL"] = api
        return "local"
    return "temporary"


@contextlib.contextmanager
def _locked(name: str):
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / name, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_temporary_server() -> None:
    """Start this process's temporary Prefect server now, one process at a time: the first
    start on a Prefect home migrates its database, and several starting together on a busy
    machine each waited past Prefect's 20 s and failed. Prefect stops it at exit."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(int(START_TIMEOUT)))
    for name, value in SERVER_SETTINGS.items():  # the server subprocess inherits them
        os.environ.setdefault(name, value)
    from prefect.server.api.server import SubprocessASGIServer

    with _locked("guide-extract-temporary-server.lock"):
        SubprocessASGIServer().start()  # the instance get_client() will find running


def start(port: int = DEFAULT_PORT) -> tuple[bool, str]:
    """Start the background server unless one answers, and the warm start beside it
    (flows/warm.py) unless it runs. (started, api url)."""
    with _locked("guide-extract-server.lock"):
        api = local_api()
        if api:
            _ensure_warm(api)
            return False, api
        env = {**SERVER_SETTINGS, **os.environ, "PREFECT_UI_ENABLED": "true", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
        env.pop("PREFECT_API_URL", None)
        log = log_file().open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        _pid_file().write_text(json.dumps({"pid": process.pid, "port": port}))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if answers(api_url(port)):
                _ensure_warm(api_url(port))
                return True, api_url(port)
            if process.poll() is not None:
                _pid_file().unlink(missing_ok=True)
                raise RuntimeError(f"the server exited with code {process.returncode}; see {log_file()}")
            time.sleep(0.2)
        process.terminate()
        _pid_file().unlink(missing_ok=True)
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT:.0f} s; see {log_file()}")


def _warm_pid() -> int | None:
    try:
        pid = int(json.loads(_warm_file().read_text())["pid"])
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _warm_file() -> Path:
    return prefect_home() / "guide-extract-warm.json"


def _ensure_warm(api: str) -> None:
    """The warm start runs (a run without it only starts slower: no error if it fails)."""
    from flows import warm

    if _warm_pid() is not None and warm.socket_path().exists():
        return
    pid = warm.start_background(api)
    if pid is not None:
        _warm_file().write_text(json.dumps({"pid": pid}))


def _stop_warm() -> None:
    pid = _warm_pid()
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # it lets runs under way finish
    _warm_file().unlink(missing_ok=True)


def stop() -> bool:
    """Stop the background server this tool started; False when there was none."""
    _stop_warm()
    record = _recorded()
    if record is None:
        _pid_file().unlink(missing_ok=True)  # a stale record of a server that died
        return False
    pid = int(record["pid"])
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)  # the server and the workers uvicorn forked
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _pid_file().unlink(missing_ok=True)
    return True


def status() -> tuple[str, dict | None]:
    """('running', record) for our server (with the warm start's pid as "warm", or None),
    ('other', None) for another on the default port, ('stopped', None) otherwise."""
    record = _recorded()
    if record and answers(api_url(int(record["port"]))):
        return "running", {**record, "warm": _warm_pid()}
    if answers(api_url(DEFAULT_PORT)):
        return "other", None
    return ("starting" if record else "stopped"), record
