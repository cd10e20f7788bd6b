"""Which Prefect API a run talks to, and the background server `guide-extract server` keeps.

Measured on this project (bench/RESULTS.md): a temporary Prefect server costs a run 7-18 s
(start, database migrations, stop) while a running server costs under a second. So a run
uses, in order: `PREFECT_API_URL` when the user set it; the background server when this
user started it (`guide-extract server start`: recorded in this user's Prefect home, the
recorded process still running as this user, the port's listener this user's, and it
answers with its auth string); else a temporary server of its own, whose start is
serialised by a file lock so that runs started together do not time out fighting over
the same SQLite database. Any other server on a port is never used: it may be another
user's, which would then see the run's parameters, logs and results.

Every server started here requires an API auth string (Prefect's `server.api.auth_string`,
`PREFECT_SERVER_API_AUTH_STRING`), random per server, handed to the run's client as
`PREFECT_API_AUTH_STRING` through the environment (readable by this user only); the
background server's is kept in `guide-extract-server.auth` in the Prefect home (0600).
Everything in the home is this user's only (flows/private.py).

Nothing here imports Prefect at module level: `server status` and `stop` stay instant.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

from flows import process_identity
from pipeline import lifeline
from flows.private import open_private, prefect_home, private_umask, read_private, secure_home, write_private

# Prefect's own default port (so the UI is where Prefect's documentation says).
DEFAULT_PORT = int(os.environ.get("GUIDE_EXTRACT_SERVER_PORT") or 4200)
START_TIMEOUT = float(os.environ.get("GUIDE_EXTRACT_SERVER_TIMEOUT", 120))
AUTH_USER = "guide-extract"  # Prefect's form is user:password; the password is random


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


def _record_file() -> Path:
    return prefect_home() / "guide-extract-server.json"


def auth_file() -> Path:
    return prefect_home() / "guide-extract-server.auth"


def log_file() -> Path:
    return prefect_home() / "guide-extract-server.log"


def api_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api"


def new_auth_string() -> str:
    return f"{AUTH_USER}:{secrets.token_urlsafe(32)}"


def _get(url: str, auth: str | None, timeout: float):
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310  (our own http://127.0.0.1 URL)


def answers(api: str, auth: str | None, timeout: float = 0.5) -> bool:
    """True when a Prefect server of our version serves at api and accepts `auth`."""
    try:
        with _get(f"{api}/health", None, timeout) as response:
            if response.status != 200:
                return False
        with _get(f"{api}/admin/version", auth, timeout) as response:  # behind the auth string
            return json.loads(response.read().decode()) == version("prefect")
    except (OSError, ValueError, urllib.error.URLError):
        return False


def _record() -> dict | None:
    """This user's record of the background server, as written (None when there is none)."""
    text = read_private(_record_file())
    if text is None:
        return None
    try:
        record = json.loads(text)
        int(record["pid"]), int(record["port"])
        return record
    except (ValueError, KeyError, TypeError):
        return {"pid": None, "port": 0}  # unreadable: stale


def _trusted() -> tuple[str, str] | None:
    """(api, auth string) of the background server this user started, when it is the
    recorded process, still this user's, its port's listener this user's, and it answers
    to its auth string; None otherwise."""
    record = _record()
    if not record or not process_identity.is_recorded_process(record):
        return None
    port = int(record["port"])
    if process_identity.listener_uid(port) != os.getuid():
        return None
    auth = (read_private(auth_file()) or "").strip()
    if not auth or not answers(api_url(port), auth):
        return None
    return api_url(port), auth


def choose_api() -> str:
    """Point this process at the API a run uses, before Prefect is imported; say which
    path was taken ('configured', 'local' or 'temporary'). For 'temporary' the server's
    auth string is set for it and for the run's client; start_temporary_server starts it."""
    secure_home()
    if os.environ.get("PREFECT_API_URL"):
        if not os.environ.get("PREFECT_API_AUTH_STRING"):
            trusted = _trusted()  # the user pointed at our own background server
            if trusted and trusted[0] == os.environ["PREFECT_API_URL"].rstrip("/"):
                os.environ["PREFECT_API_AUTH_STRING"] = trusted[1]
        return "configured"
    trusted = _trusted()
    if trusted:
        os.environ["PREFECT_API_URL"], os.environ["PREFECT_API_AUTH_STRING"] = trusted
        _versions_known()
        return "local"
    auth = new_auth_string()
    os.environ["PREFECT_SERVER_API_AUTH_STRING"] = auth  # the server's side
    os.environ["PREFECT_API_AUTH_STRING"] = auth  # the client's, in this process and its workers
    _versions_known()
    return "temporary"


def _versions_known() -> None:
    """Our own server runs this Prefect (`answers` compared its version; a temporary one is
    started from this very install): the client's own version check, an HTTP client with
    its own TLS context and a request on the first call of each process, Dask workers
    included, would only repeat that. A setting the user made wins."""
    os.environ.setdefault("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED", "false")


@contextlib.contextmanager
def _locked(name: str):
    fd = open_private(prefect_home() / name, os.O_RDWR | os.O_CREAT)
    with os.fdopen(fd, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_temporary_server() -> None:
    """Start this run's temporary Prefect server now (Prefect's own, stopped at exit),
    one process at a time: the first start on a Prefect home migrates its database, and
    several starting together on a busy machine each waited past Prefect's 20 s and
    failed. Then point this process at it by address, so that everything the run starts
    (Dask workers included) reports to it: a worker that finds no address starts a
    temporary server of its own, which outlived the run holding the caller's output."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(int(START_TIMEOUT)))
    for name, value in SERVER_SETTINGS.items():  # the server subprocess inherits them
        os.environ.setdefault(name, value)
    from prefect.context import refresh_global_settings_context

    os.environ[lifeline.RUN_PID] = str(os.getpid())  # the server ends with this run (run_server_app)
    with _locked("guide-extract-temporary-server.lock"), private_umask():  # its database: 0600
        server = _start_run_scoped_server()
    os.environ["PREFECT_API_URL"] = server.api_url
    refresh_global_settings_context()


def run_server_app():
    """The temporary server's application (uvicorn's factory, in the server's process):
    Prefect's, in a process that ends when the run that started it ends, even when the
    run is killed and its exit handler, which stops the server, never runs."""
    from prefect.server.api.server import create_app

    lifeline.end_with_run_from_environment(graceful=True)  # SIGTERM: uvicorn closes the database
    return create_app()


def _start_run_scoped_server():
    """Start Prefect's temporary server with `run_server_app` as its application. Prefect
    builds the server's command in `SubprocessASGIServer._run_uvicorn_command`; this is that
    command (Prefect 3.9, pinned; tests/test_server.py starts it) with our factory in place
    of Prefect's `create_app`."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    class RunScopedServer(SubprocessASGIServer):
        def _run_uvicorn_command(self) -> subprocess.Popen:
            return subprocess.Popen(
                args=[sys.executable, "-m", "uvicorn", "--factory", f"{__name__}:run_server_app",
                      "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
                     **get_current_settings().to_environment_variables(exclude_unset=True)},
            )

    server = RunScopedServer()
    server.start()
    return server


def _command(port: int) -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]


def start(port: int = DEFAULT_PORT) -> tuple[bool, str]:
    """Start the background server unless ours runs. (started, api url)."""
    secure_home()
    with _locked("guide-extract-server.lock"):
        trusted = _trusted()
        if trusted:
            return False, trusted[0]
        auth = new_auth_string()
        write_private(auth_file(), auth + "\n")
        env = {**SERVER_SETTINGS, **os.environ, "PREFECT_UI_ENABLED": "true", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
               "PREFECT_SERVER_API_AUTH_STRING": auth, "PREFECT_API_AUTH_STRING": auth}
        env.pop("PREFECT_API_URL", None)
        command = _command(port)
        with os.fdopen(open_private(log_file(), os.O_WRONLY | os.O_APPEND | os.O_CREAT), "ab") as log, private_umask():
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )
        # the start time now; the command line as given (the child may not have exec'd yet)
        write_private(_record_file(), json.dumps({**process_identity.identity(process.pid, command), "port": port}))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if answers(api_url(port), auth) and process_identity.listener_uid(port) == os.getuid():
                return True, api_url(port)
            if process.poll() is not None:
                _forget()
                raise RuntimeError(f"the server exited with code {process.returncode}; see {log_file()}")
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        _forget()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT:.0f} s; see {log_file()}")


def _forget() -> None:
    _record_file().unlink(missing_ok=True)
    auth_file().unlink(missing_ok=True)


def stop() -> tuple[str, int | None]:
    """Stop the background server this user started: ('stopped', pid); ('stale', pid)
    when the record names a process that is gone or is another program now (the record
    is removed, nothing is signalled); ('none', None) when there is no record."""
    secure_home()
    record = _record()
    if record is None:
        return "none", None
    if not process_identity.is_recorded_process(record):
        _forget()
        return "stale", record.get("pid")
    pid = int(record["pid"])
    # the server and the workers it started are one process group (its own session)
    try:
        group = pid if os.getpgid(pid) == pid else None
    except ProcessLookupError:
        group = None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM) if group else os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process_identity.is_recorded_process(record):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    if process_identity.is_recorded_process(record):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL) if group else os.kill(pid, signal.SIGKILL)
    _forget()
    return "stopped", pid


def status() -> tuple[str, dict | None]:
    """('running', record) for our server; ('starting', record) while it does not answer
    yet; ('stale', record) for a record of a process that is gone; ('stopped', None)."""
    secure_home()
    record = _record()
    if record is None:
        return "stopped", None
    if not process_identity.is_recorded_process(record):
        return "stale", record
    return ("running" if _trusted() else "starting"), record
