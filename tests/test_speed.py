"""Speed without changing a byte: pages, pictures and values in worker processes give the
single-process results; runs share a Prefect server (this user's, behind its auth string)
or serialise their temporary ones, so runs started together all succeed; the light
commands never import Prefect or spaCy."""

import base64
import copy
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import GUIDE_PDF, ROOT

COMMITTED = ROOT / "output" / "smarty-good-practice-guide"


@pytest.fixture
def two_processes(monkeypatch):
    """A pool of two workers, whatever this machine has."""
    from pipeline import parallel

    parallel.shutdown()
    monkeypatch.setenv(parallel.SETTING, "2")
    yield parallel
    parallel.shutdown()


@pytest.mark.slow  # Prefect servers, worker processes or Dask
def test_pages_read_in_worker_processes_are_the_single_process_pages(two_processes):
    from pipeline.read.extract import extract_pdf

    single = extract_pdf(GUIDE_PDF, parallel=False)
    assert two_processes._pool is None
    pooled = extract_pdf(GUIDE_PDF)
    assert two_processes._pool is not None  # the pages really went to the workers
    assert pooled.model_dump_json() == single.model_dump_json()
    assert [p.number for p in pooled.pages] == list(range(1, 38))


@pytest.mark.slow  # worker processes
def test_a_file_read_again_in_the_warm_pool_is_read_anew(two_processes, tmp_path):
    """Each worker keeps the PDF of the extraction it reads ranges of open for that
    extraction's next range (`read/extract.py:_kept_open`): a file rewritten under the
    same name and read again by the same warm workers gives the new file's pages, not the
    kept ones."""
    import shutil

    from crafted import appended, unusual_text_pdf
    from pipeline.read.extract import extract_pdf

    path = tmp_path / "guide.pdf"
    shutil.copyfile(GUIDE_PDF, path)
    first = extract_pdf(path)
    assert two_processes._pool is not None and len(first.pages) == 37
    longer = appended(GUIDE_PDF, unusual_text_pdf(tmp_path / "u.pdf"), tmp_path / "longer.pdf")
    shutil.copyfile(longer, path)
    again = extract_pdf(path)
    assert again.model_dump_json() == extract_pdf(path, parallel=False).model_dump_json()
    assert len(again.pages) == 43 and [w.text for w in again.pages[42].words][:3] == ["縦", "書", "き"]
    assert again.pages[:37] == first.pages


@pytest.mark.slow  # Prefect servers, worker processes or Dask
def test_values_and_pictures_in_worker_processes_are_the_single_process_ones(two_processes):
    from pipeline.cards.segment import segment
    from pipeline.fields.document import parse_all
    from pipeline.layout.regions import layout_pages
    from pipeline.outputs.pictures import page_pictures
    from pipeline.read.extract import extract_pdf
    from pipeline.values.enrich import enrich_all

    pdf = extract_pdf(GUIDE_PDF, parallel=False)
    _, practices = parse_all(segment(layout_pages(pdf.pages), pdf.metadata_title))
    single = enrich_all(copy.deepcopy(practices), parallel=False)
    pooled = enrich_all(copy.deepcopy(practices))
    assert json.dumps(pooled, sort_keys=True) == json.dumps(single, sort_keys=True)
    # the values the reference checks are there (not two equally empty results)
    assert sum(len(p["budgets"]) for p in pooled) == sum(len(p["budgets"]) for p in single) > 0
    shaped = [{"id": f"p{i}", "pages": p["pages"], "provenance": p["provenance"]} for i, p in enumerate(single)]
    assert page_pictures(GUIDE_PDF, shaped) == page_pictures(GUIDE_PDF, shaped, parallel=False)


def _source(source, tmp_path):
    from crafted import unusual_text_pdf
    from variants import sample_themes, write_portrait_guide

    if source == "guide":
        return GUIDE_PDF
    if source == "unusual":
        return unusual_text_pdf(tmp_path / "u.pdf")
    return write_portrait_guide(tmp_path / "p.pdf", *sample_themes(ligatures=True))


@pytest.mark.parametrize("source", ["guide", "portrait-with-ligatures", "unusual"])
def test_lean_characters_give_pdfplumbers_words(source, tmp_path):
    """Characters built with only the attributes words need: the same words, boxes, fonts,
    sizes and links as pdfplumber's full character dicts, on every page."""
    import pdfplumber

    from pipeline.read.words import page_text

    path = _source(source, tmp_path)
    with pdfplumber.open(path) as pdf:
        full = [page_text(page, lean=False) for page in pdf.pages]
    with pdfplumber.open(path) as pdf:
        lean = [page_text(page) for page in pdf.pages]
    assert [p.model_dump_json() for p in lean] == [p.model_dump_json() for p in full]


@pytest.mark.parametrize(("source", "norm"), [("guide", None), ("portrait-with-ligatures", "NFKC"), ("unusual", None), ("unusual", "NFKC")])
def test_lean_characters_are_pdfplumbers_to_the_bit(source, norm, tmp_path):
    """`read/characters.py` computes each character's box as pdfminer's `LTChar` and
    pdfplumber do, written out: every value of every character (the same type, the same
    float to the last bit), on text turned, mirrored, scaled, spaced, kerned, in a form,
    on turned pages and a MediaBox off the origin, in Type3 and vertical CID fonts; and
    every other object on the page is pdfplumber's own."""
    import pdfplumber

    from pipeline.read.characters import read_characters

    path = _source(source, tmp_path)
    words, fonts = [], []
    with pdfplumber.open(path, unicode_norm=norm) as full_pdf, pdfplumber.open(path, unicode_norm=norm) as lean_pdf:
        for full, lean in zip(full_pdf.pages, lean_pdf.pages, strict=True):
            expected = full.objects
            read_characters(lean)
            got = lean.objects
            assert {k: v for k, v in got.items() if k != "char"} == {k: v for k, v in expected.items() if k != "char"}
            assert len(got.get("char", [])) == len(expected.get("char", []))
            for mine, theirs in zip(got.get("char", []), expected.get("char", [])):
                assert {k: (type(v), repr(v)) for k, v in mine.items()} == {k: (type(theirs[k]), repr(theirs[k])) for k in mine}
            words.append([w["text"] for w in lean.extract_words()])
            fonts.append({c["fontname"] for c in lean.chars})
    if source == "unusual":  # what the file was written with (tests/crafted.py)
        assert words[0][:6] == ["Plain", "words", "here", "Spaced", "and", "kernedwords"]
        assert ["Inside", "a", "form"] == words[0][words[0].index("Inside"):][:3]
        assert words[2] == ["enil", "denreK", "sdrow", "egap", "denruT"]  # /Rotate 180: read right to left
        assert words[4] == ["ABC", "CAB", "ABBA", "CC"]  # Type3
        # vertical, turned vertical, then horizontal: a character mapped to no text is a word of its own
        assert words[5] == ["縦", "書", "き", "文", "(cid:9)", "文", "き", "書", "縦", "縦書き文", "縦書", "", "き文"]
        assert fonts[4] == {"unknown", "Whole\\xb2Name"}  # a Type3 font's name given as a string: bytes


@pytest.mark.parametrize("source", ["guide", "portrait-with-ligatures", "unusual"])
def test_words_are_grouped_as_pdfplumber_groups_them(source, tmp_path):
    """`read/grouping.py` gives, from the same characters, pdfplumber's words with the
    options `page_text` uses: the same text (ligatures expanded, blanks dropped, a
    character without text a word of its own), the same unrounded box, font and size,
    in the same order, upright and turned."""
    import pdfplumber
    from pdfplumber.utils.text import extract_words

    from pipeline.read.characters import read_characters
    from pipeline.read.grouping import EXTRA_ATTRS, words

    keys = ("text", "x0", "top", "x1", "bottom", "fontname", "size")
    count = 0
    with pdfplumber.open(_source(source, tmp_path)) as pdf:
        for page in pdf.pages:
            read_characters(page)
            theirs = extract_words(page.chars, extra_attrs=EXTRA_ATTRS)
            mine = words(page.chars)
            assert [{k: (type(w[k]), repr(w[k])) for k in keys} for w in mine] == [{k: (type(w[k]), repr(w[k])) for k in keys} for w in theirs]
            count += len(mine)
    assert count == {"guide": 13885, "unusual": 153}.get(source, count)


def test_ranges_cover_every_item_once_in_order():
    from pipeline.parallel import ranges

    assert ranges(37, 8) == [(0, 4), (4, 9), (9, 13), (13, 18), (18, 23), (23, 27), (27, 32), (32, 37)]
    assert ranges(3, 8) == [(0, 1), (1, 2), (2, 3)]
    assert ranges(5, 1) == [(0, 5)]


def test_tesseracts_models_asked_ahead_are_the_ones_it_lists(monkeypatch):
    """The command line asks Tesseract for its models before Prefect's imports
    (`tesseract.start_listing`), and the cache key reads that answer: it must be what the
    program lists, and the process must be read to its end and reaped."""
    from pipeline.read import tesseract

    if not tesseract.tesseract_found():
        pytest.skip("tesseract is not installed")
    printed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60).stdout.splitlines()[1:]
    listed = tuple(line.strip().removeprefix("script/") for line in printed if line.strip())
    assert {"eng", "Latin"} <= set(listed)  # the models the project installs (README)
    monkeypatch.setattr(tesseract, "_listing", None)
    tesseract._languages.cache_clear()
    try:
        tesseract.start_listing()
        started = tesseract._listing
        assert started is not None
        assert tesseract._languages() == listed
        assert tesseract._listing is None and started.returncode == 0
        assert tesseract.reading_models() == "eng+Latin"
    finally:
        tesseract._languages.cache_clear()


def test_a_run_without_heartbeats_keeps_every_other_setting(monkeypatch):
    """`run` switches Prefect's flow heartbeats off by copying the current settings with
    that one value changed (not by rebuilding them): everything else is as it was, and
    the settings are the earlier ones again afterwards."""
    from flows import settings

    settings.apply()
    from prefect.settings import get_current_settings

    from flows.cli import _without_heartbeats

    for name in ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"):
        monkeypatch.delenv(name, raising=False)
    before = get_current_settings()
    with _without_heartbeats():
        during = get_current_settings()
        assert during.flows.heartbeat_frequency is None
        assert during.model_dump(exclude={"flows"}) == before.model_dump(exclude={"flows"})
        assert during.flows.model_dump(exclude={"heartbeat_frequency"}) == before.flows.model_dump(exclude={"heartbeat_frequency"})
    assert get_current_settings() is before
    assert before.flows.heartbeat_frequency == 180  # Prefect's default, untouched


@pytest.mark.parametrize("argv", [["--help"], ["schema"], ["diff", str(COMMITTED), str(COMMITTED)], ["server", "status"]])
def test_light_commands_import_neither_prefect_nor_spacy(argv, tmp_path):
    probe = (
        "import sys\nfrom flows.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'spacy', 'pdfplumber', 'distributed'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path), "GUIDE_EXTRACT_SERVER_PORT": str(_free_port())}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.stderr.splitlines()[-1] == "HEAVY []"


def test_a_flow_given_a_dask_runner_keeps_its_own_parameter_encoder(tmp_path):
    """`run --workers N` runs the flow's copy with a Dask runner: it still encodes its
    parameters with pydantic (a password masked, an unencodable value named by its type)
    and so never imports FastAPI, which Prefect's own encoder would (Prefect's copy of a
    flow is a plain Flow)."""
    probe = (
        "import sys\nfrom pathlib import Path\nfrom pydantic import SecretStr\n"
        "from flows.guide_flow import extract_guides\nfrom flows.dask_runner import local_runner\n"
        "flow = extract_guides.with_options(task_runner=local_runner(2))\n"
        "print(type(flow).__name__, flow.serialize_parameters({'paths': [Path('a.pdf')], 'password': SecretStr('s3cret'), 'other': object()}))\n"
        "print('fastapi' in sys.modules)\n"
    )
    env = {**os.environ, "PREFECT_HOME": str(tmp_path), "GUIDE_EXTRACT_SERVER_PORT": str(_free_port())}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.stdout.splitlines() == ["_GuideFlow {'paths': ['a.pdf'], 'password': '**********', 'other': '<object>'}", "False"], done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli_env(home, port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {**env, "PREFECT_HOME": str(home), "GUIDE_EXTRACT_SERVER_PORT": str(port)}


@pytest.mark.parametrize(("given", "expected"), [
    ({}, ("temporary", "false")),  # our own server: its version is ours, Prefect's check would repeat it
    ({"PREFECT_API_URL": "http://127.0.0.1:9/api"}, ("configured", None)),  # the user's server: Prefect checks it
    ({"PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED": "true"}, ("temporary", "true")),  # the user's setting wins
])
def test_the_client_skips_prefects_version_check_only_on_our_own_server(tmp_path, given, expected):
    env = {**_cli_env(tmp_path / "prefect-home", _free_port()), **given}
    code = "import os; from flows import server; print(server.choose_api(), os.environ.get('PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [expected[0], str(expected[1])]


@pytest.mark.slow  # Prefect servers, worker processes or Dask
def test_three_runs_started_together_all_succeed(tmp_path):
    """No server: each run starts a temporary one on a fresh Prefect home (whose database
    the first start creates), all three at once."""
    env = _cli_env(tmp_path / "prefect-home", _free_port())
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--out", str(tmp_path / f"out{i}")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
        )
        for i in range(3)
    ]
    results = [(run.wait(timeout=900), *run.communicate()) for run in runs]
    for i, (code, out, err) in enumerate(results):
        assert (code, err) == (0, ""), err
        assert out == (
            f"{GUIDE_PDF}: 26 practices in 4 themes, 40 practice warnings, 9 document warnings -> "
            f"{tmp_path / f'out{i}' / 'smarty-good-practice-guide'}\n"
        )
        written = tmp_path / f"out{i}" / "smarty-good-practice-guide" / "guide.json"
        assert written.read_bytes() == (COMMITTED / "guide.json").read_bytes()


def _post(api: str, route: str, body: dict | None = None, auth: str | None = None):
    import base64

    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(f"{api}/{route}", data=data, headers={"Content-Type": "application/json"})
    if auth:  # the servers guide-extract starts require their auth string
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.slow  # Prefect servers, worker processes or Dask
def test_background_server_is_used_by_runs_and_stops(tmp_path):
    port = _free_port()
    env = _cli_env(tmp_path / "prefect-home", port)
    api = f"http://127.0.0.1:{port}/api"

    def cli(*args, timeout=300):
        return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)

    assert cli("server", "status").returncode == 3
    started = cli("server", "start")
    try:
        assert started.returncode == 0, started.stderr
        assert started.stdout.startswith(f"started: {api} ")
        assert cli("server", "start").stdout.startswith(f"already running: {api} ")
        status = cli("server", "status")
        assert (status.returncode, status.stdout.split()[:2]) == (0, ["running:", api])
        # it answers only to its auth string, kept in a file of this user only
        auth_file = tmp_path / "prefect-home" / "guide-extract-server.auth"
        assert oct(auth_file.stat().st_mode & 0o777) == "0o600"
        auth = auth_file.read_text().strip()
        with pytest.raises(urllib.error.HTTPError) as refused:
            _post(api, "flow_runs/filter")
        assert refused.value.code == 401
        with pytest.raises(urllib.error.HTTPError) as refused:
            _post(api, "flow_runs/filter", auth="guide-extract:guessed")
        assert refused.value.code == 401
        # it records task runs and events in batches (flows/server.py), not one by one
        request = urllib.request.Request(f"{api}/admin/settings", headers={"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()})
        with urllib.request.urlopen(request, timeout=10) as response:
            services = json.loads(response.read())["server"]["services"]
        recording = [(services[name]["batch_size"], services[name]["flush_interval"]) for name in ("task_run_recorder", "event_persister")]
        assert recording == [(100, 1.0), (100, 1.0)]
        runs = [cli("run", str(GUIDE_PDF), "--out", str(tmp_path / "out"))]
        # the second run finds the guide cached: nothing that reads a page, draws a picture,
        # runs spaCy, a cluster or a catalogue is imported (Python's own -X importtime list)
        runs.append(subprocess.run([sys.executable, "-X", "importtime", "-m", "flows.cli", "run", str(GUIDE_PDF), "--out", str(tmp_path / "out")],
                                   capture_output=True, text=True, cwd=ROOT, env=env, timeout=300))
        imported = {line.split("|")[-1].strip().split(".")[0] for line in runs[-1].stderr.splitlines() if line.startswith("import time:")}
        assert sorted(imported & {"spacy", "thinc", "numpy", "PIL", "pytesseract", "pypdfium2", "dask", "distributed", "sqlalchemy", "fastapi"}) == []
        assert {"prefect", "pdfplumber"} <= imported  # the list is read: a run and its admission check
        # and a local Dask cluster, whose workers fork from a fork server started with the
        # run's environment (flows/dask_runner.py): they report to this server too
        inputs = tmp_path / "in"
        inputs.mkdir()
        for name in ("first", "second"):
            (inputs / f"{name}.pdf").write_bytes(GUIDE_PDF.read_bytes())
        runs.append(cli("run", str(inputs), "--out", str(tmp_path / "dask"), "--workers", "2"))
        assert [r.returncode for r in runs] == [0, 0, 0], runs[-1].stderr
        committed = json.loads((COMMITTED / "guide.json").read_text(encoding="utf-8"))
        for name in ("first", "second"):
            data = json.loads((tmp_path / "dask" / name / "guide.json").read_text(encoding="utf-8"))
            assert data["source"]["file"] == f"{name}.pdf"
            assert {k: v for k, v in data.items() if k != "source"} == {k: v for k, v in committed.items() if k != "source"}
        # the UI shows both runs whole: every stage's final state and log line reached the
        # server before the processes ended (the server records task states from events,
        # a moment later: wait for them, never for more than they should be)
        # a run the server has created but whose first state it has not yet recorded has
        # state None: it counts as not there yet (CI once read one mid-batch)
        def state(run):
            return (run["state"] or {}).get("type", "UNRECORDED")

        deadline = time.monotonic() + 60
        while True:
            flow_runs = _post(api, "flow_runs/filter", auth=auth)
            task_runs = _post(api, "task_runs/filter", {"limit": 200}, auth=auth)
            finished = [log for log in _post(api, "logs/filter", {"limit": 200}, auth=auth) if log["message"].startswith("Finished in state ")]
            seen = (
                sorted(state(run) for run in flow_runs),
                len(task_runs), sorted({state(run) for run in task_runs}),
                len([log for log in finished if log["task_run_id"]]),
                [log["message"] for log in finished if not log["task_run_id"]],
            )
            expected = (["COMPLETED"] * 3, 48, ["COMPLETED"], 48, ["Finished in state Completed()"] * 3)
            if seen == expected or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert seen == expected  # 12 stages per guide (admit ... write), 4 guides
        # and no heartbeats: Prefect's heartbeat thread kept each run up to a second longer (flows/cli.py)
        beats = _post(api, "events/filter", {"filter": {"event": {"name": ["prefect.flow-run.heartbeat"]}}}, auth=auth)
        assert (beats["total"], beats["events"]) == (0, [])
    finally:
        stopped = cli("server", "stop")
    assert stopped.stdout == "stopped\n"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and cli("server", "status").returncode != 3:
        time.sleep(0.5)
    assert cli("server", "status").returncode == 3
    assert cli("server", "stop").stdout == "no server started by guide-extract is running\n"


@pytest.mark.slow  # Prefect servers, worker processes or Dask
def test_a_cluster_of_separate_scheduler_and_worker_processes_gives_the_committed_output(tmp_path):
    """What several machines would run, on one: `dask scheduler`, two `dask worker`
    processes, and `guide-extract run --dask-address` from a third process."""
    bin_dir = os.path.dirname(sys.executable)
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    server_port = _free_port()
    env = _cli_env(tmp_path / "prefect-home", server_port)
    # as the README says: one Prefect server every process reports to (a worker without
    # one would start a temporary server of its own, which the UI never sees)
    started = subprocess.run([sys.executable, "-m", "flows.cli", "server", "start"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert started.returncode == 0, started.stderr
    env["PREFECT_API_URL"] = f"http://127.0.0.1:{server_port}/api"
    # and its auth string, as docs/security.md says (the workers report to the server too)
    env["PREFECT_API_AUTH_STRING"] = (tmp_path / "prefect-home" / "guide-extract-server.auth").read_text().strip()
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    scheduler_env = {**env, "DASK_DISTRIBUTED__SCHEDULER__WORK_STEALING": "False"}  # as the README says
    processes = [subprocess.Popen(
        [os.path.join(bin_dir, "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
        **{**quiet, "env": scheduler_env},
    )]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        for _ in range(2):
            processes.append(subprocess.Popen([os.path.join(bin_dir, "dask"), "worker", address, "--nthreads", "1", "--dashboard-address", ":0"], **quiet))
        inputs = tmp_path / "in"
        inputs.mkdir()
        for name in ("first", "second", "third"):
            (inputs / f"{name}.pdf").write_bytes(GUIDE_PDF.read_bytes())
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", str(inputs), "--out", str(tmp_path / "out"), "--dask-address", address],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=900,
        )
        assert (done.returncode, done.stderr) == (0, "")
        flow_runs = _post(env["PREFECT_API_URL"], "flow_runs/filter", auth=env["PREFECT_API_AUTH_STRING"])
        assert [run["state"]["type"] for run in flow_runs] == ["COMPLETED"]
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        subprocess.run([sys.executable, "-m", "flows.cli", "server", "stop"], capture_output=True, cwd=ROOT, env=env, timeout=120)
    committed = json.loads((COMMITTED / "guide.json").read_text(encoding="utf-8"))
    for name in ("first", "second", "third"):
        data = json.loads((tmp_path / "out" / name / "guide.json").read_text(encoding="utf-8"))
        assert data["source"]["file"] == f"{name}.pdf"
        assert {k: v for k, v in data.items() if k != "source"} == {k: v for k, v in committed.items() if k != "source"}


# A worker of the run's local cluster says which malloc trim threshold glibc read when its
# process started (/proc/self/environ: the environment it was started with, which later
# changes to os.environ do not touch) and which its os.environ holds.
_TRIM_SCRIPT = r'''
import os

from flows.dask_runner import local_runner


def _seen():
    with open("/proc/self/environ", "rb") as environ:
        at_start = [entry.decode() for entry in environ.read().split(b"\0") if entry.startswith(b"MALLOC_TRIM_THRESHOLD_=")]
    return at_start, os.environ.get("MALLOC_TRIM_THRESHOLD_")


if __name__ == "__main__":
    with local_runner(1) as runner:
        print(repr(list(runner.client.run(_seen).values())))
'''


@pytest.mark.slow  # Dask worker processes
@pytest.mark.parametrize("chosen, expected", [
    (None, ([], None)),  # Dask's 64 KiB cost the stages a tenth more CPU: glibc's defaults
    ("environment", (["MALLOC_TRIM_THRESHOLD_=131072"], "131072")),
    ("dask-config", (["MALLOC_TRIM_THRESHOLD_=262144"], "262144")),
])
def test_local_cluster_workers_keep_glibcs_malloc_thresholds_unless_the_user_set_one(tmp_path, chosen, expected):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_", "MALLOC_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["DASK_CONFIG"] = str(tmp_path / "dask")  # no configuration of this machine's user
    (tmp_path / "dask").mkdir()
    if chosen == "environment":
        env["MALLOC_TRIM_THRESHOLD_"] = "131072"
    elif chosen == "dask-config":
        (tmp_path / "dask" / "trim.yaml").write_text(
            "distributed:\n  nanny:\n    pre-spawn-environ:\n      MALLOC_TRIM_THRESHOLD_: 262144\n", encoding="utf-8")
    script = tmp_path / "cluster.py"
    script.write_text(_TRIM_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr([expected])


@pytest.mark.slow  # Prefect servers, worker processes or Dask
@pytest.mark.parametrize("chosen", [None, "spawn"])
def test_local_cluster_workers_fork_from_a_preloaded_server_unless_the_user_chose(chosen):
    """`run --workers N` starts the fork server its workers fork from (with Dask's worker
    environment) before the cluster; a start method the user set for Dask is kept."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_", "PYTHONHASHSEED", "OMP_NUM_THREADS"))}
    if chosen:
        env["DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD"] = chosen
    code = (
        "import os, dask, multiprocessing.forkserver as fs\n"
        "from flows.dask_runner import start_worker_fork_server\n"
        "start_worker_fork_server()\n"
        "server = fs._forkserver\n"
        "print(dask.config.get('distributed.worker.multiprocessing-method'), server._forkserver_pid is not None,"
        " server._preload_modules, os.environ.get('PYTHONHASHSEED'), os.environ.get('OMP_NUM_THREADS'),"
        " dask.config.get('distributed.worker.profile.enabled'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    if chosen:
        assert done.stdout.split() == ["spawn", "False", "['__main__']", "None", "None", "True"]
    else:
        assert done.stdout.split() == ["forkserver", "True", "['flows.worker_preload']", "6640", "1", "False"]
