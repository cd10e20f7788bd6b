"""A warm start for `guide-extract run`: a background process that has already imported
Prefect and the pipeline forks a copy of itself for each run, so a new `run` does not pay
the second of imports that otherwise comes before the flow's first task.

`guide-extract server start` starts it beside the Prefect server, `server stop` stops it.
A `run` (the program, not a call from Python) asks it over a Unix socket in the Prefect
home, readable by this user only, handing over its arguments, working folder, umask,
environment and its standard input, output and error themselves (file descriptors), so
the run's output, terminal progress and exit code are what they would be in-process; the
forked run then talks to the Prefect server like any other. A signal to the asking
process (Ctrl-C) is passed to the forked run.

The fork is only used when it would behave exactly as a new process: same Python, same
code (pipeline.version.code_version), same settings read at import or start (every
GUIDE_EXTRACT_*, PREFECT_*, DASK_*, OMP_*, PYTHON*, LANG, LC_* and TMPDIR variable). Otherwise, or when nothing answers, the run simply
runs in-process. `GUIDE_EXTRACT_WARM=0` turns the warm start off.

The server forks only from its single thread: nothing in it starts threads or pools.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import struct
import sys
import time
from pathlib import Path

SETTING = "GUIDE_EXTRACT_WARM"
# settings read once per process (at import, or at interpreter start: the locale, the
# text encoding, the temporary folder), so a fork must have been started with the same
_PREFIXES = ("GUIDE_EXTRACT_", "PREFECT_", "DASK_", "OMP_", "PYTHON", "LANG", "LC_", "TMPDIR")
_HEADER = struct.Struct("!I")
_MAX_REQUEST = 16 * 1024 * 1024


def socket_path() -> Path:
    from flows.server import prefect_home

    return prefect_home() / "guide-extract-warm.sock"


def _fingerprint(env: dict[str, str]) -> dict:
    from pipeline.version import code_version

    # the socket is in the Prefect home, so PREFECT_HOME itself always matches
    settings = {k: v for k, v in env.items() if k.startswith(_PREFIXES) and k not in (SETTING, "PREFECT_API_URL")}
    return {"python": sys.executable, "version": sys.version, "path": sys.path[1:], "code": code_version(), "settings": settings}


def _same_api(client: str | None, own: str | None) -> bool:
    """Prefect reads its API address when it is imported, so the server was started
    pointing at the local server; a client with no address of its own would choose that
    one too (flows/server.py: choose_api)."""
    return client in (None, "", own)


def _encode(text: str) -> str:
    """Any str of argv or the environment (undecodable bytes included) as JSON-safe text."""
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _decode(text: str) -> str:
    return text.encode("latin-1").decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------------- the client


def delegate(argv: list[str]) -> int | None:
    """Run `guide-extract` with `argv` in a fork of the warm server and return its exit
    code; None when there is no warm server that would run it as this process would."""
    if os.environ.get(SETTING, "1").strip() in ("0", "false", "no", "off") or "--debug" in argv:
        return None  # --debug changes how Prefect logs, which is set when it is imported
    from flows import settings

    settings.apply()  # as the server did before its imports, and as a run here would
    path = socket_path()
    if not path.exists():
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.settimeout(2.0)
        client.connect(str(path))
        if _peer_uid(client) != os.getuid():
            client.close()  # someone else's socket where ours should be: give it nothing
            return None
        env = dict(os.environ)
        request = json.dumps({
            "argv": [_encode(a) for a in argv],
            "cwd": _encode(os.getcwd()),
            "umask": _umask(),
            "env": {_encode(k): _encode(v) for k, v in env.items()},
            "fingerprint": _fingerprint(env),
            "api": env.get("PREFECT_API_URL"),
        }).encode()
        socket.send_fds(client, [_HEADER.pack(len(request))], [0, 1, 2])
        client.sendall(request)
        replies = client.makefile("rb")
        client.settimeout(None)
        first = json.loads(replies.readline() or b"{}")
        if "pid" not in first:
            client.close()
            return None  # it would not run this one as a new process would: run here
        pid = int(first["pid"])
    except (OSError, ValueError):
        client.close()
        return None
    # from here the run is the fork's: pass on what would have stopped this process
    forwarded = {}
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        forwarded[number] = signal.signal(number, lambda sig, _frame: _pass_on(pid, sig))
    try:
        # a signal handled above does not end the wait (Python retries the read, PEP 475)
        reply = json.loads(replies.readline() or b"{}")
        return int(reply.get("exit", 1))
    finally:
        for number, handler in forwarded.items():
            signal.signal(number, handler)
        client.close()


def _peer_uid(connection: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket."""
    return struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))[1]


def _pass_on(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------- the server


def serve(path: Path) -> None:
    """Answer run requests on the socket at `path` until SIGTERM."""
    from flows import settings

    settings.apply()
    from flows import cli  # noqa: F401  (imported here, once, for every fork)
    from flows import guide_flow  # noqa: F401
    from pipeline.version import code_version

    code_version()
    own = _fingerprint(dict(os.environ))
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket: this user only
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(64)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # a run's end wakes the loop at once (its client waits for the exit code)
    wake, woken = socket.socketpair()
    for end in (wake, woken):
        end.setblocking(False)
    signal.set_wakeup_fd(woken.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)
    waiting: dict[int, socket.socket] = {}  # fork pid -> the connection of its client
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "listener")
    selector.register(wake, selectors.EVENT_READ, "wake")
    print(f"warm start: serving at {path} (pid {os.getpid()})", flush=True)
    try:
        while not stopping:
            for key, _ in selector.select(timeout=5.0):
                if key.data == "wake":
                    while True:
                        try:
                            if not wake.recv(4096):
                                break
                        except (BlockingIOError, InterruptedError):
                            break
                    continue
                try:
                    connection, _ = listener.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                pid = _answer(connection, own, (wake, woken, listener))
                if pid is None:
                    connection.close()
                else:
                    waiting[pid] = connection
            _reap(waiting)
    finally:
        path.unlink(missing_ok=True)
        listener.close()
        deadline = time.monotonic() + 30  # runs under way finish, their clients are told
        while waiting and time.monotonic() < deadline:
            _reap(waiting)
            time.sleep(0.1)


def _reap(waiting: dict[int, socket.socket]) -> None:
    while waiting:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = waiting.pop(pid, None)
        if connection is not None:
            code = os.waitstatus_to_exitcode(status)
            code = code if code >= 0 else 128 - code  # killed by a signal: as a shell says it
            print(f"run {pid}: exit {code}", flush=True)
            try:
                connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
            except OSError:
                pass
            connection.close()


def _answer(connection: socket.socket, own: dict, server_sockets: tuple) -> int | None:
    """Read one request and fork its run; the fork's pid, or None when it is refused."""
    from flows.server import answers

    fds: list[int] = []
    try:
        connection.settimeout(5.0)
        uid = _peer_uid(connection)
        header, fds, _, _ = socket.recv_fds(connection, _HEADER.size, 3)
        if uid != os.getuid() or len(header) != _HEADER.size or len(fds) != 3:
            return None
        (size,) = _HEADER.unpack(header)
        if size > _MAX_REQUEST:
            return None
        data = bytearray()
        while len(data) < size:
            chunk = connection.recv(min(65536, size - len(data)))
            if not chunk:
                return None
            data += chunk
        request = json.loads(data)
        if request.get("fingerprint") != own or not _same_api(request.get("api"), os.environ.get("PREFECT_API_URL")):
            print("refused a run: not the same code or settings (it runs in its own process)", flush=True)
            connection.sendall(b'{"refused": "not the same code or settings"}\n')
            return None
        if not answers(os.environ.get("PREFECT_API_URL", "")):
            # the Prefect server it was started for is gone: a new process would start a
            # temporary one, and Prefect here has the dead address
            print("refused a run: the Prefect server does not answer (it runs in its own process)", flush=True)
            connection.sendall(b'{"refused": "no Prefect server"}\n')
            return None
        pid = os.fork()
        if pid == 0:  # the run
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for end in server_sockets:
                end.close()
            _run_forked(connection, request, fds)
        connection.settimeout(None)
        connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        return pid
    except (OSError, ValueError, struct.error):
        return None
    finally:
        for fd in fds:
            os.close(fd)


def _run_forked(connection: socket.socket, request: dict, fds: list[int]) -> None:
    code = 1
    try:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # its own session: the server's stop does not reach runs under way
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        fds.clear()
        connection.close()  # the server answers the client when this process ends
        os.chdir(_decode(request["cwd"]))
        os.umask(int(request["umask"]))
        os.environ.clear()
        os.environ.update({_decode(k): _decode(v) for k, v in request["env"].items()})
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", buffering=1 if os.isatty(1) else -1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.argv = ["guide-extract", *[_decode(a) for a in request["argv"]]]
        from flows import cli

        code = cli.main(sys.argv[1:], program=True)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # noqa: BLE001  (the run's own errors are handled in cli.main)
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def start_background(api: str) -> int | None:
    """Start the warm server, for the Prefect server at `api`, as a background process of
    its own; its pid, or None when it did not come up (runs then start in-process, as
    without it)."""
    import subprocess

    from flows.server import log_file

    path = socket_path()
    log = log_file().with_name("guide-extract-warm.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.warm", str(path)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PREFECT_API_URL": api},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists():
            return process.pid
        if process.poll() is not None:
            return None
        time.sleep(0.05)
    return process.pid


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
