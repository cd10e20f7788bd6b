"""Other users of the same machine (issue #23): they must not run code as the user nor read
their data. The other user is a real second account made here with `useradd` (the tests
that need it are skipped when not run as root), running code with `subprocess`'s
`user=`/`group=`; the Dask cluster, the Prefect servers and the runs are real."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import psutil
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # a second account, Dask clusters and Prefect servers
from variants import sample_themes, write_portrait_guide

SITE = sysconfig.get_paths()["purelib"]  # the venv's packages, for the other user's Python


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli_env(home: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DASK_"))}
    return {**env, "PREFECT_HOME": str(home), "GUIDE_EXTRACT_SERVER_PORT": str(port)}


def cli(*args, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout)


# -- the other account ---------------------------------------------------------------------


@dataclass
class OtherUser:
    name: str
    uid: int
    gid: int
    home: Path
    python: list[str]
    pythonpath: str

    def env(self, **extra) -> dict:
        return {"HOME": str(self.home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": self.pythonpath,
                "PREFECT_HOME": str(self.home / ".prefect"), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}

    def popen(self, code_or_args, **kwargs) -> subprocess.Popen:
        argv = [*self.python, "-c", code_or_args] if isinstance(code_or_args, str) else [*self.python, *code_or_args]
        return subprocess.Popen(argv, user=self.uid, group=self.gid, extra_groups=[], cwd=self.home,
                                env=kwargs.pop("env", self.env()), text=True, **kwargs)

    def run(self, code: str, stdin: str = "", timeout: float = 300) -> subprocess.CompletedProcess:
        process = self.popen(code, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate(stdin, timeout=timeout)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _python_for(uid: int, gid: int, home: Path) -> tuple[list[str], str] | None:
    """An interpreter the other account may run that imports this venv's Dask and Prefect
    server, and its PYTHONPATH: this one, or (when it lives in a folder the account cannot
    enter, as under /root) the system's Python of the same version with the venv's
    packages on its path. Before 3.11.3, redis (imported by Prefect's server) takes
    `timeout` from the async_timeout package instead of asyncio, which has it since 3.11:
    a one-line module in the account's home gives it asyncio's."""
    probe = "import distributed, prefect.server.api.server, sys; print(sys.version_info[:2])"
    compat = home / "compat"
    compat.mkdir(exist_ok=True)
    for python in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        for path in (SITE, f"{SITE}:{compat}"):
            try:
                done = subprocess.run([python, "-s", "-c", probe], user=uid, group=gid, extra_groups=[], cwd=home, capture_output=True,
                                      text=True, timeout=300, env={"HOME": str(home), "PYTHONPATH": path, "PATH": "/usr/bin:/bin"})
            except OSError:
                break
            if done.returncode == 0 and done.stdout.strip() == str(tuple(sys.version_info[:2])):
                return [python, "-s"], path
            if "No module named 'async_timeout'" in done.stderr:
                (compat / "async_timeout.py").write_text("from asyncio import timeout  # noqa: F401\n")
                (compat / "async_timeout.py").chmod(0o644)
    return None


@pytest.fixture(scope="module")
def other_user():
    if os.geteuid() != 0:
        pytest.skip("needs root: the test makes a second, unprivileged account with useradd")
    if shutil.which("useradd") is None:
        pytest.skip("needs useradd to make a second account")
    name = f"gxother{os.getpid() % 100000}"
    subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True)
    try:
        entry = pwd.getpwnam(name)
        home = Path(entry.pw_dir)
        found = _python_for(entry.pw_uid, entry.pw_gid, home)
        if found is None:
            pytest.skip("no Python the second account may run imports this environment's Dask and Prefect server")
        yield OtherUser(name, entry.pw_uid, entry.pw_gid, home, *found)
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.fixture(scope="module")
def shared_parent():
    """A folder every user may enter (unlike pytest's own temporary folders), so that what
    keeps the other user out is the code's own modes, not the parent's."""
    parent = Path(tempfile.mkdtemp(prefix="guide-extract-security-", dir="/tmp"))
    parent.chmod(0o755)
    (parent / "control.txt").write_text("readable")
    (parent / "control.txt").chmod(0o644)
    yield parent
    shutil.rmtree(parent, ignore_errors=True)


# What the other user tries on each port: an HTTP server (it answers a request) is asked for
# Dask's pages; any other port is sent a Dask client, plain and with a TLS key of its own,
# submitting a function that writes a marker file as whoever runs it.
ATTACK = r'''
import json, os, sys, threading, time, urllib.request, urllib.error
from distributed import Client
from distributed.security import Security

def plant(path):
    with open(path, "w") as handle:
        handle.write(str(os.getuid()))
    return os.getuid()

def fetch(port):
    pages = []
    for route in ("metrics", "health", "info/main/workers.html", "json/identity.json"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{route}", timeout=5) as response:
                pages.append(f"{route}: {response.status}")
        except urllib.error.HTTPError as error:
            pages.append(f"{route}: {error.code}")
        except Exception:
            return None  # no HTTP answer: not an HTTP server
    return sorted(pages)

def attempt(address, security, marker):
    try:
        client = Client(address, security=security, timeout=5, set_as_default=False)
        ran = client.submit(plant, marker, pure=False).result(timeout=60)
        client.close()
        return "ran as uid %d" % ran
    except BaseException as error:
        return "refused: " + type(error).__name__

def attack(port, marker, found):
    pages = fetch(port)
    if pages is not None:
        found[f"http://127.0.0.1:{port}"] = pages
        return
    for scheme, security in (("tcp", None), ("tls", Security.temporary())):
        found[f"{scheme}://127.0.0.1:{port}"] = attempt(f"{scheme}://127.0.0.1:{port}", security, marker)

print("ready", flush=True)
request = json.loads(sys.stdin.readline())
found = {}
threads = [threading.Thread(target=attack, args=(port, request["marker"], found), daemon=True) for port in request["ports"]]
for thread in threads:
    thread.start()
deadline = time.monotonic() + 90
for thread in threads:
    thread.join(max(0, deadline - time.monotonic()))
print(json.dumps(found), flush=True)
os._exit(0)
'''

READ = r'''
import json, os, sys
found = {}
for path in json.loads(sys.stdin.readline()):
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").close()
        found[path] = "read"
    except OSError as error:
        found[path] = type(error).__name__
print(json.dumps(found))
'''


def _listening_ports(process: psutil.Process) -> list[int]:
    try:
        return sorted({c.laddr.port for c in process.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN})
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


def _start_attacker(user: OtherUser, log: Path) -> subprocess.Popen:
    with log.open("w") as errors:  # Dask's own complaints about each refused attempt
        attacker = user.popen(ATTACK, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
    assert attacker.stdout.readline() == "ready\n", log.read_text()
    return attacker


def _wait_answering(api: str, process: subprocess.Popen, timeout: float = 300) -> None:
    from flows.server import answers

    deadline = time.monotonic() + timeout
    while not answers(api, None, timeout=2):
        assert process.poll() is None and time.monotonic() < deadline, "the other user's Prefect server did not start"
        time.sleep(0.5)


def _post(api: str, route: str, auth: str | None = None):
    import base64

    request = urllib.request.Request(f"{api}/{route}", data=b"{}", headers={"Content-Type": "application/json"})
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def guarded_batch(other_user, shared_parent):
    """One `run --workers 2` batch of the owner (stdout and stderr to pipes) while the other
    user runs a Prefect server on the port runs used to adopt and tries the batch's Dask
    ports; what every part saw, for the tests below."""
    from pipeline.run import extract_guide

    title, themes = sample_themes()
    inputs = shared_parent / "in"
    inputs.mkdir()
    small = write_portrait_guide(inputs / "a.pdf", title, themes)
    for name in "bcdefghijkl":  # long enough for the attack to end while the cluster runs
        shutil.copy(small, inputs / f"{name}.pdf")
    expected = extract_guide(small).model_dump(mode="json")
    marker_dir = shared_parent / "markers"  # the owner's: only code running as the owner can write there
    marker_dir.mkdir()

    port = _free_port()
    other_api = f"http://127.0.0.1:{port}/api"
    # the other user's server, as Prefect starts a temporary one (no auth string)
    others_server = other_user.popen(
        ["-m", "uvicorn", "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "error"],
        env=other_user.env(PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_answering(other_api, others_server)
        from flows.server import answers

        seen: dict = {"others_server_answered": answers(other_api, None, timeout=10)}  # the old code adopted it on this
        attacker = _start_attacker(other_user, shared_parent / "attack.log")
        home = shared_parent / "prefect-home"
        run = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "run", str(inputs), "--out", str(shared_parent / "out"), "--workers", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_cli_env(home, port),
        )
        started: dict[int, float] = {}  # every process the run started: pid -> its start time
        root = psutil.Process(run.pid)
        attacked = None
        deadline = time.monotonic() + 900
        while True:
            try:
                out, err = run.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            assert time.monotonic() < deadline, "the run did not end"  # a guard, not a measure
            with_children = [root]
            try:
                with_children += root.children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            for process in with_children[1:]:
                try:
                    started.setdefault(process.pid, process.create_time())
                except psutil.NoSuchProcess:
                    pass
            # the local cluster's scheduler and nannies run in the run's process, its workers in processes of their own
            in_run = _listening_ports(root)
            workers = [p for p in with_children[1:] if "uvicorn" not in " ".join(_cmdline(p)) and _listening_ports(p)]
            if attacked is None and len(in_run) >= 3 and len(workers) >= 2:
                ports = in_run + [port for p in workers for port in _listening_ports(p)]
                attacker.stdin.write(json.dumps({"ports": ports, "marker": str(marker_dir / "planted")}) + "\n")
                attacker.stdin.flush()
                attacked = ports
                results = attacker.stdout.readline()
                seen["run_alive_after_attack"] = run.poll() is None
                seen["attack"] = json.loads(results or "{}")
                seen["attacked_ports"] = ports
        seen.update(code=run.returncode, out=out, err=err, started=started, root=run.pid)
        attacker.kill()
        attacker.wait()
        seen["marker_exists"] = (marker_dir / "planted").exists()
        seen["others_flow_runs"] = _post(other_api, "flow_runs/filter")
        seen["home"] = home
        seen["expected"] = expected
        seen["out_dir"] = shared_parent / "out"
        yield seen
    finally:
        others_server.terminate()
        others_server.wait(timeout=60)


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


HANDSHAKE_REFUSED = re.compile(
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - distributed\.comm\.tcp - WARNING - Listener on 'tls://127\.0\.0\.1:(\d+)': "
    r"TLS handshake failed with remote 'tls://127\.0\.0\.1:\d+': \[SSL: [A-Z_0-9]+\] [a-z0-9 ]+ \(_ssl\.c:\d+\)"
)


def test_the_batch_itself_succeeds_quietly(guarded_batch):
    """With its pipes to the caller: no Dask dashboard warning (port 8787), on stderr only
    Dask's own warnings of the other user's refused TLS handshakes (a listener of the
    cluster says each), every guide as extracted in one process."""
    assert guarded_batch["code"] == 0, guarded_batch["err"]
    lines = guarded_batch["err"].splitlines()
    assert [line for line in lines if not HANDSHAKE_REFUSED.fullmatch(line)] == []
    assert {int(HANDSHAKE_REFUSED.fullmatch(line)[1]) for line in lines} <= set(guarded_batch["attacked_ports"])
    assert "8787" not in guarded_batch["out"] + guarded_batch["err"]
    for name in "abcdefghijkl":
        data = json.loads((guarded_batch["out_dir"] / name / "guide.json").read_text(encoding="utf-8"))
        assert data["source"]["file"] == f"{name}.pdf"
        assert {k: v for k, v in data.items() if k != "source"} == {k: v for k, v in guarded_batch["expected"].items() if k != "source"}


def test_another_user_cannot_use_the_local_dask_cluster(guarded_batch):
    """Scheduler, nannies and workers all answer only to this run's key: the other user's
    plain and TLS clients are refused, nothing ran as the owner; the HTTP servers Dask runs
    beside them serve no page (no metrics, no list of workers or tasks) and none is the
    dashboard's port 8787."""
    assert guarded_batch["run_alive_after_attack"], "the batch ended before the attack was over: nothing was tested"
    attack = guarded_batch["attack"]
    ports = guarded_batch["attacked_ports"]
    assert 8787 not in ports
    pages = {int(address.rsplit(":", 1)[1]): outcome for address, outcome in attack.items() if address.startswith("http://")}
    clients = {address: outcome for address, outcome in attack.items() if not address.startswith("http://")}
    dask_ports = sorted(set(ports) - set(pages))
    assert len(dask_ports) == 5  # the scheduler, 2 nannies, 2 workers
    assert sorted(clients) == sorted(f"{scheme}://127.0.0.1:{port}" for port in dask_ports for scheme in ("tcp", "tls"))
    assert [outcome for outcome in clients.values() if not outcome.startswith("refused: ")] == []
    assert guarded_batch["marker_exists"] is False
    assert pages == {port: ["health: 404", "info/main/workers.html: 404", "json/identity.json: 404", "metrics: 404"] for port in pages}


def test_the_same_attack_runs_code_on_an_unlocked_cluster(other_user, shared_parent):
    """The attack above is a real one: on a Dask scheduler without TLS (what `--workers`
    started before), the other user's function runs as the owner."""
    from distributed import LocalCluster

    marker = shared_parent / "control-marker"  # in the owner's folder: only the owner's code can write it
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None, host="127.0.0.1", protocol="tcp://") as cluster:
        port = int(cluster.scheduler_address.rsplit(":", 1)[1])
        http_port = cluster.scheduler.http_server.port  # Dask's HTTP routes, served even without a dashboard
        attacker = _start_attacker(other_user, shared_parent / "control-attack.log")
        attacker.stdin.write(json.dumps({"ports": [port, http_port], "marker": str(marker)}) + "\n")
        attacker.stdin.flush()
        results = json.loads(attacker.stdout.readline())
        attacker.wait(timeout=60)
    assert results[f"tcp://127.0.0.1:{port}"] == "ran as uid 0"
    assert "health: 200" in results[f"http://127.0.0.1:{http_port}"] and "info/main/workers.html: 200" in results[f"http://127.0.0.1:{http_port}"]
    assert (marker.read_text(), marker.stat().st_uid) == ("0", 0)
    marker.unlink()


def test_another_user_cannot_read_the_prefect_home(guarded_batch, other_user, shared_parent):
    """The home the run made (database, result cache, lock) is the owner's only: 0700
    folders, 0600 files; the other user gets PermissionError on each, and can read a file
    beside the home (so the modes are what stops them)."""
    home = guarded_batch["home"]
    paths = sorted([home, *home.rglob("*")])
    modes = {str(p.relative_to(home)): oct(p.stat().st_mode & 0o777) for p in paths if p.parent == home or p == home}
    assert modes["."] == "0o700" and modes["storage"] == "0o700"
    assert {name: mode for name, mode in modes.items() if name not in (".", "storage")} == {
        name: "0o600" for name in modes if name not in (".", "storage")
    }
    assert "prefect.db" in modes and any(p.parent == home / "storage" for p in paths)  # the cache was written
    done = other_user.run(READ, json.dumps([str(p) for p in paths] + [str(shared_parent / "control.txt")]) + "\n")
    found = json.loads(done.stdout)
    assert found.pop(str(shared_parent / "control.txt")) == "read"
    assert found == {str(p): "PermissionError" for p in paths}


def test_another_users_prefect_server_is_not_adopted(guarded_batch):
    """A Prefect server of the same version on the port a run used to adopt, started by the
    other user: the run used its own temporary server, the other server saw no flow run."""
    assert guarded_batch["others_server_answered"] is True
    assert guarded_batch["code"] == 0
    assert guarded_batch["others_flow_runs"] == []


def test_nothing_the_run_started_outlives_it(guarded_batch):
    """The caller's pipes closed when the run ended (communicate returned), and no process
    the run started (temporary Prefect server, Dask cluster, fork servers) remains."""
    started = guarded_batch["started"]
    assert len(started) >= 5  # the temporary server, the fork server, 2 nannies, 2 workers: all were seen
    deadline = time.monotonic() + 30  # a guard: they end with the run, this only waits for the kernel to reap
    while True:
        remaining = []
        for pid, created in started.items():
            try:
                process = psutil.Process(pid)
                if process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE:
                    remaining.append((pid, _cmdline(process)[:6]))
            except psutil.NoSuchProcess:
                pass
        if not remaining or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert remaining == []


# -- the background server -------------------------------------------------------------------


def test_a_stale_server_record_signals_nothing(tmp_path):
    """The recorded pid now belongs to an unrelated process (its start time differs):
    `server stop` leaves it alive, says the record was stale and removes it."""
    home = tmp_path / "prefect-home"
    env = _cli_env(home, _free_port())
    unrelated = subprocess.Popen(["sleep", "600"])
    try:
        home.mkdir(mode=0o700)
        record = {"pid": unrelated.pid, "start_time": 1, "uid": os.getuid(), "cmdline": ["sleep", "600"], "port": 4200}
        (home / "guide-extract-server.json").write_text(json.dumps(record))
        (home / "guide-extract-server.json").chmod(0o600)
        assert cli("server", "status", env=env).stdout == (
            f"stopped: the server record is stale (pid {unrelated.pid} is gone or is another program now); runs start a temporary Prefect server\n"
        )
        stopped = cli("server", "stop", env=env)
        assert (stopped.returncode, stopped.stderr) == (0, "")
        assert stopped.stdout == f"the server record was stale (pid {unrelated.pid} is gone or is another program now): removed it, stopped nothing\n"
        assert unrelated.poll() is None
        assert not (home / "guide-extract-server.json").exists()
        assert cli("server", "stop", env=env).stdout == "no server started by guide-extract is running\n"
    finally:
        unrelated.send_signal(signal.SIGTERM)
        unrelated.wait(timeout=30)


@pytest.mark.parametrize("planted", ["symlink", "foreign"])
def test_a_home_that_is_a_link_or_another_users_is_refused(tmp_path, planted, other_user):
    target = tmp_path / "elsewhere"
    target.mkdir()
    home = tmp_path / "prefect-home"
    if planted == "symlink":
        home.symlink_to(target)
        reason = f"{home}: is a symbolic link; refusing to follow it"
    else:
        home.mkdir(mode=0o700)
        os.chown(home, other_user.uid, other_user.gid)
        reason = f"{home}: owned by user id {other_user.uid}, not by you (user id 0); refusing to use it"
    done = cli("server", "status", env=_cli_env(home, _free_port()))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"guide-extract: error: server: {reason}\n")
    done = cli("run", ROOT / "raw" / "smarty-good-practice-guide.pdf", "--out", tmp_path / "out", env=_cli_env(home, _free_port()))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"guide-extract: error: Prefect home: {reason}\n")
    assert list(target.iterdir()) == [] and not (tmp_path / "out").exists()


# -- Dask options --------------------------------------------------------------------------------


class _Http(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_dask_address_that_is_not_a_scheduler_fails_in_one_line(tmp_path):
    """An HTTP server (it accepts the connection and never answers Dask's handshake): the
    run ends within Dask's connect timeout with one line, nothing written."""
    http = HTTPServer(("127.0.0.1", 0), _Http)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        address = f"tcp://127.0.0.1:{http.server_address[1]}"
        env = {**_cli_env(tmp_path / "prefect-home", _free_port()), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "5s"}
        done = cli("run", ROOT / "raw" / "smarty-good-practice-guide.pdf", "--out", tmp_path / "out", "--dask-address", address,
                   env=env, timeout=120)
    finally:
        http.shutdown()
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"guide-extract: error: --dask-address {address}: no Dask scheduler answered within 5 s (distributed.comm.timeouts.connect)\n"
    )
    assert not (tmp_path / "out").exists()


def test_more_workers_than_cores_are_capped_with_a_notice(tmp_path):
    title, themes = sample_themes()
    guide = write_portrait_guide(tmp_path / "small.pdf", title, themes)
    done = cli("run", guide, "--out", tmp_path / "out", "--workers", "1000", env=_cli_env(tmp_path / "prefect-home", _free_port()))
    cores = len(os.sched_getaffinity(0))
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"guide-extract: notice: --workers 1000: this machine has {cores} cores; starting {cores} worker processes\n"
    assert done.stdout.startswith(f"{guide}: {sum(len(t.cards) for t in themes)} practices in {len(themes)} themes, ")


def test_a_scheduler_off_this_machine_without_tls_is_warned_about():
    """A real scheduler on this machine's network address (not loopback), plain TCP: the
    check finds a scheduler there and warns; on 127.0.0.1 it does not."""
    import ipaddress

    from distributed import LocalCluster

    from flows.dask_cluster import check_scheduler

    addresses = [a.address for found in psutil.net_if_addrs().values() for a in found
                 if a.family == socket.AF_INET and not ipaddress.ip_address(a.address).is_loopback]
    if not addresses:
        pytest.skip("this machine has no network address besides loopback")
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None, host=addresses[0], protocol="tcp://") as cluster:
        security, warning = check_scheduler(cluster.scheduler_address)
        assert security.require_encryption is False
        assert warning == (
            f"--dask-address {cluster.scheduler_address}: not a loopback address and not TLS: anyone who can reach it can run code as "
            "you; use tls:// with the certificates in Dask's configuration (docs/security.md)"
        )
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None, host="127.0.0.1", protocol="tcp://") as cluster:
        assert check_scheduler(cluster.scheduler_address)[1] is None


def test_the_insecure_remote_address_warning():
    from flows.dask_cluster import _is_loopback

    assert [_is_loopback(a) for a in ("tcp://127.0.0.1:8786", "127.0.0.2:1", "tcp://localhost:8786", "tcp://[::1]:8786",
                                      "tcp://10.1.2.3:8786", "tls://scheduler.example:8786")] == [True, True, True, True, False, False]


def _remaining(started: dict[int, tuple[float, str]]) -> list[tuple[int, str]]:
    left = []
    for pid, (created, command) in started.items():
        try:
            process = psutil.Process(pid)
            if process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE:
                left.append((pid, command))
        except psutil.NoSuchProcess:
            pass
    return left


def test_a_terminated_run_stops_what_it_started(tmp_path):
    """SIGTERM (a `kill`, a closed session) in the middle of a `--workers 2` run: it exits
    as on Ctrl-C, through its exit handlers, so its temporary Prefect server, fork servers
    and Dask workers end with it and the caller's pipes close. (During the flow the signal
    is Prefect's to handle; when it lands inside pydantic's serialisation, pydantic turns it
    into a warning and the run simply finishes: then it ends normally, and still leaves
    nothing behind.)"""
    run = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", str(ROOT / "raw" / "smarty-good-practice-guide.pdf"), "--out", str(tmp_path / "out"), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_cli_env(tmp_path / "prefect-home", _free_port()),
    )
    root = psutil.Process(run.pid)
    started: dict[int, tuple[float, str]] = {}
    deadline = time.monotonic() + 600  # a guard: the workers are up long before
    while True:
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before its workers were seen"
        children = root.children(recursive=True)
        for child in children:
            try:
                started.setdefault(child.pid, (child.create_time(), " ".join(child.cmdline())[:100]))
            except psutil.NoSuchProcess:
                pass
        if len([c for c in children if "uvicorn" not in " ".join(_cmdline(c)) and _listening_ports(c)]) >= 2:
            break
        time.sleep(0.3)
    run.send_signal(signal.SIGTERM)
    out, err = run.communicate(timeout=300)
    if run.returncode == 0:  # the signal was swallowed (see above): the run's result is whole
        assert out.startswith(f"{ROOT / 'raw' / 'smarty-good-practice-guide.pdf'}: 26 practices in 4 themes"), err[-3000:]
    else:
        assert (run.returncode, out) == (128 + signal.SIGTERM, ""), err[-3000:]
        assert [line for line in err.splitlines() if line.startswith("guide-extract:")] == []  # (Dask's workers may log their teardown)
    assert any("uvicorn" in command for _, command in started.values())  # its temporary server was among them
    deadline = time.monotonic() + 30  # a guard: only for the kernel to reap them
    while _remaining(started) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _remaining(started) == []


def test_a_killed_run_leaves_nothing_running(tmp_path):
    """SIGKILL (the out-of-memory killer, a CI job's hard timeout) runs no exit handler, so
    the run's temporary Prefect server and its pool's workers end by themselves once the
    run is gone (pipeline/lifeline.py), and the caller's pipes close. The run is given
    --refresh so its pool of page readers is up when it is killed."""
    run = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", str(ROOT / "raw" / "smarty-good-practice-guide.pdf"), "--out", str(tmp_path / "out"), "--refresh"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**_cli_env(tmp_path / "prefect-home", _free_port()), "GUIDE_EXTRACT_PROCESSES": "2"},
    )
    root = psutil.Process(run.pid)
    started: dict[int, tuple[float, str]] = {}
    deadline = time.monotonic() + 600  # a guard: the server and the pool are up long before
    while True:
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before its server and pool were seen"
        for child in root.children(recursive=True):
            try:
                started.setdefault(child.pid, (child.create_time(), " ".join(child.cmdline())[:100]))
            except psutil.NoSuchProcess:
                pass
        commands = [command for _, command in started.values()]
        pool_workers = [c for c in commands if "forkserver" in c]  # the fork server and the workers forked from it
        if any("uvicorn" in c for c in commands) and len(pool_workers) >= 3:
            break
        time.sleep(0.2)
    run.kill()
    out, err = run.communicate(timeout=60)  # returns only once every holder of its pipes is gone
    assert (run.returncode, out) == (-signal.SIGKILL, "")
    deadline = time.monotonic() + 30  # a guard: the server's own shutdown and the kernel's reaping
    while _remaining(started) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _remaining(started) == []
