"""Batches: guides run concurrently on the flow's task runner (threads, or a Dask
cluster of worker processes), reruns come from Prefect's cache, bad inputs fail alone."""

import asyncio
import filecmp
import json
import os
import shutil
import subprocess
import sys


import pytest

from conftest import GUIDE_PDF, ROOT


pytestmark = pytest.mark.slow  # Prefect flows, a Dask cluster, several PDFs


def copies(folder, n):
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"guide-{i}.pdf"
        shutil.copyfile(GUIDE_PDF, path)
        paths.append(path)
    return paths


def task_states(flow_run_id):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        async with get_client() as client:
            runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            return {(run.name.rsplit("-", 1)[0], run.state.name) for run in runs}

    return asyncio.run(read())


def same_output(a, b):
    names = ["guide.json", "practices.csv", "practices.jsonl", "budgets.csv", "metrics.csv", "datapackage.json", "report.html",
             "schema.json"]
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return mismatch == [] and errors == []


def test_batch_runs_each_guide_and_isolates_a_bad_one(prefect_harness, guide, tmp_path):
    from flows.guide_flow import extract_guides

    paths = copies(tmp_path / "in", 2)
    bad = tmp_path / "in" / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    outcomes = extract_guides([paths[0], bad, paths[1]], tmp_path / "out", in_flight=2)
    assert [(o.file, o.status) for o in outcomes] == [("guide-0.pdf", "ok"), ("broken.pdf", "failed"), ("guide-1.pdf", "ok")]
    assert outcomes[1].reason.startswith("the PDF is damaged and cannot be read")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["guide-0", "guide-1"]
    for name in ("guide-0", "guide-1"):
        data = json.loads((tmp_path / "out" / name / "guide.json").read_text(encoding="utf-8"))
        assert data["source"]["file"] == f"{name}.pdf"
        assert data["practices"] == guide.model_dump(mode="json")["practices"]


def test_rerun_takes_stage_results_from_the_cache(prefect_harness, tmp_path):
    from prefect import flow as _  # noqa: F401  (the harness is active)
    from flows.guide_flow import extract_guides

    [path] = copies(tmp_path / "in", 1)
    first = extract_guides([path], tmp_path / "out", refresh=True, return_state=True)
    second = extract_guides([path], tmp_path / "out", return_state=True)
    third = extract_guides([path], tmp_path / "out", refresh=True, return_state=True)
    cached = {"extract-pages", "values", "pictures"}
    states = [{name: state for name, state in task_states(s.state_details.flow_run_id) if name in cached} for s in (first, second, third)]
    assert states == [
        dict.fromkeys(cached, "Completed"),
        dict.fromkeys(cached, "Cached"),
        dict.fromkeys(cached, "Completed"),
    ]


def test_dask_cluster_gives_the_single_process_results(prefect_harness, tmp_path):
    from flows.dask_runner import GuideDaskTaskRunner as DaskTaskRunner

    from flows.guide_flow import extract_guides

    paths = copies(tmp_path / "in", 3)
    single = extract_guides(paths, tmp_path / "single", in_flight=1)
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None})
    outcomes = extract_guides.with_options(task_runner=runner)(paths, tmp_path / "dask", refresh=True, in_flight=4)
    assert [o.status for o in single + outcomes] == ["ok"] * 6
    for path in paths:
        assert same_output(tmp_path / "single" / path.stem, tmp_path / "dask" / path.stem)


def test_dask_task_runs_keep_their_worker_threads_settings_and_api_client(prefect_harness):
    """Prefect validated its settings anew from the serialised context and made two API
    clients (an SSL context each) for every task run in a Dask worker; a worker thread now
    keeps one of each for the run's settings (flows/dask_runner.py)."""
    from prefect import flow

    from dask_probe import client_and_settings
    from flows.dask_runner import GuideDaskTaskRunner

    runner = GuideDaskTaskRunner(cluster_kwargs={"n_workers": 1, "threads_per_worker": 1, "processes": True, "dashboard_address": None})

    @flow(task_runner=runner)
    def three() -> list:
        return [client_and_settings.submit().result() for _ in range(3)]

    pids, clients, settings = zip(*three())
    assert (len(set(pids)), len(set(clients)), len(set(settings))) == (1, 1, 1)
    assert pids[0] != os.getpid()  # a worker process, which had to make them itself


def test_cli_batch_prints_a_summary_table(tmp_path):
    paths = copies(tmp_path / "in", 2)
    (tmp_path / "in" / "notes.pdf").write_text("not a pdf")
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(tmp_path / "in"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert done.returncode == 1
    assert done.stderr == f"guide-extract: error: {tmp_path / 'in' / 'notes.pdf'}: not a PDF (the file does not start with %PDF-)\n"
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{paths[0]}: 26 practices in 4 themes")
    table = [line.split() for line in lines[2:]]
    assert table[0] == ["file", "pages", "practices", "warnings", "status", "seconds"]
    assert [row[:5] for row in table[1:]] == [
        ["guide-0.pdf", "37", "26", "49", "ok"], ["guide-1.pdf", "37", "26", "49", "ok"], ["notes.pdf", "0", "0", "0", "failed"],
    ]
