"""Hostile input (issue 9): every input is built here, byte by byte or with reportlab and
pypdf, and each test states the exact reason, name or value it expects."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import GUIDE_PDF, ROOT
from pipeline.errors import GuideError
from pipeline.outputs.emit import write_atomic
from variants import sample_themes, write_portrait_guide


def cli(*args, env=None, timeout=600):
    """The command line in a fresh process; (exit code, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=timeout, env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


def path_hash(path) -> str:
    return hashlib.sha256(str(Path(path).absolute()).encode()).hexdigest()[:8]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# -- 1. output folder names ---------------------------------------------------------------


def test_folder_names_are_safe_short_and_unique_in_a_batch(tmp_path):
    from pipeline.outputs.names import folder_names

    long_stem = "a" * 200
    paths = [
        tmp_path / "smarty-good-practice-guide.pdf",
        tmp_path / "a" / "guide.pdf",
        tmp_path / "b" / "guide.pdf",
        tmp_path / "c" / "GUIDE.PDF",
        tmp_path / "a" / "guide.pdf",  # the same file twice: one folder
        tmp_path / "..pdf",
        tmp_path / "...",
        tmp_path / "red\x1b[31m\u202eevil\\name:?.pdf",
        tmp_path / f"{long_stem}.pdf",
        tmp_path / "report v2.final.pdf",
    ]
    assert folder_names(paths) == [
        "smarty-good-practice-guide",
        "guide",
        f"guide-{path_hash(paths[2])}",
        f"GUIDE-{path_hash(paths[3])}",
        "guide",
        f"guide-{path_hash(paths[5])}",
        f"guide-{path_hash(paths[6])}",
        "red-[31m-evil-name",
        f"{'a' * 71}-{path_hash(paths[8])}",
        "report v2.final",
    ]


@pytest.fixture(scope="module")
def two_small_guides(tmp_path_factory):
    """Two different small guides that share a file name, in two folders."""
    folder = tmp_path_factory.mktemp("same-name")
    title, themes = sample_themes()
    first = write_portrait_guide(folder / "one" / "guide.pdf", title, themes) if (folder / "one").mkdir() is None else None
    themes[0].cards = themes[0].cards[:1]
    second = write_portrait_guide(folder / "two" / "guide.pdf", title, themes) if (folder / "two").mkdir() is None else None
    return first, second


def test_batch_inputs_with_one_name_get_their_own_folders(prefect_harness, two_small_guides, tmp_path):
    from flows.guide_flow import extract_guides
    from pipeline.run import extract_guide

    first, second = two_small_guides
    outcomes = extract_guides([first, second], tmp_path / "out", in_flight=2)
    assert [o.status for o in outcomes] == ["ok", "ok"]
    expected = [tmp_path / "out" / "guide", tmp_path / "out" / f"guide-{path_hash(second)}"]
    assert [o.out for o in outcomes] == [str(p) for p in expected]
    for path, folder in zip((first, second), expected):
        written = json.loads((folder / "guide.json").read_text(encoding="utf-8"))
        assert [p["title"] for p in written["practices"]] == [p.title for p in extract_guide(path).practices]
    assert len(json.loads((expected[0] / "guide.json").read_text())["practices"]) != len(
        json.loads((expected[1] / "guide.json").read_text())["practices"]
    )


# -- 2. staging folders of atomic writes ---------------------------------------------------


def test_only_abandoned_staging_folders_are_cleared(tmp_path):
    target = tmp_path / "guide"
    live = tmp_path / f".guide.staging-{os.getpid()}-live0001"
    dead = tmp_path / f".guide.staging-{dead_pid()}-dead0001"
    stale = tmp_path / f".guide.staging-{os.getpid()}-old00001"
    sibling = tmp_path / f".guide.b.staging-{dead_pid()}-sib00001"  # belongs to 'guide.b'
    for folder in (live, dead, stale, sibling):
        folder.mkdir()
        (folder / "guide.json").write_text("partial")
    week_ago = time.time() - 7 * 24 * 3600
    os.utime(stale, (week_ago, week_ago))
    write_atomic(target, {"guide.json": "new\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["guide", live.name, sibling.name])
    assert (live / "guide.json").read_text() == "partial"


def test_concurrent_writers_of_the_same_and_other_names_all_succeed(tmp_path):
    errors: list[BaseException] = []
    versions = 12

    def writer(v: int) -> None:
        try:
            for _ in range(5):
                write_atomic(tmp_path / "same", {f"f{i}.txt": f"v{v}\n" * 2000 for i in range(3)})
                write_atomic(tmp_path / f"own-{v}", {"f.txt": f"v{v}\n"})
        except BaseException as error:  # noqa: BLE001  (collected and asserted below)
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(v,)) for v in range(versions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    contents = {(tmp_path / "same" / f"f{i}.txt").read_text() for i in range(3)}
    assert len(contents) == 1 and contents.pop() in {f"v{v}\n" * 2000 for v in range(versions)}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["same", *(f"own-{v}" for v in range(versions))])
    assert all((tmp_path / f"own-{v}" / "f.txt").read_text() == f"v{v}\n" for v in range(versions))


# -- 10 / 12. options, environment, output folder ----------------------------------------


@pytest.mark.parametrize(
    "option, value, reason",
    [
        ("--workers", "-1", "must be a whole number zero or more, not '-1'"),
        ("--in-flight", "-3", "must be a whole number zero or more, not '-3'"),
        ("--max-mb", "nan", "must be a number above zero, not 'nan'"),
        ("--max-mb", "-5", "must be a number above zero, not '-5'"),
        ("--max-pages", "0", "must be a whole number above zero, not '0'"),
        ("--max-pages", "2.5", "must be a whole number above zero, not '2.5'"),
        ("--timeout", "inf", "must be a number above zero, not 'inf'"),
    ],
)
def test_bad_numbers_are_usage_errors(tmp_path, option, value, reason):
    code, out, err = cli("run", GUIDE_PDF, "--out", tmp_path / "out", option, value)
    assert code == 2
    assert err.splitlines()[-1] == f"guide-extract run: error: argument {option}: {reason}"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "variable, value, reason",
    [
        ("GUIDE_EXTRACT_MAX_MB", "abc", "environment variable GUIDE_EXTRACT_MAX_MB: must be a number above zero, not 'abc'"),
        ("GUIDE_EXTRACT_MAX_PAGES", "-1", "environment variable GUIDE_EXTRACT_MAX_PAGES: must be a whole number above zero, not '-1'"),
        ("GUIDE_EXTRACT_TIMEOUT", "nan", "environment variable GUIDE_EXTRACT_TIMEOUT: must be a number above zero, not 'nan'"),
        ("GUIDE_EXTRACT_SPACY_MODEL", "no_such_model", "environment variable GUIDE_EXTRACT_SPACY_MODEL: no installed spaCy model package is named 'no_such_model'"),
    ],
)
def test_bad_environment_values_are_usage_errors(tmp_path, variable, value, reason):
    code, out, err = cli("run", GUIDE_PDF, "--out", tmp_path / "out", env={variable: value})
    assert (code, err) == (2, f"guide-extract: error: {reason}\n")


def test_out_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "out").write_text("I am a file")
    code, out, err = cli("run", GUIDE_PDF, "--out", tmp_path / "out")
    assert (code, err) == (2, f"guide-extract: error: --out {tmp_path / 'out'}: not a folder\n")
    assert (tmp_path / "out").read_text() == "I am a file"


@pytest.fixture
def small_mount(tmp_path):
    """A 256 KB tmpfs (root only); yields (mount point, remount(options))."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    point = tmp_path / "mnt"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)], capture_output=True).returncode:
        pytest.skip("this machine cannot mount a tmpfs")

    def remount(options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)

    try:
        yield point, remount
    finally:
        subprocess.run(["umount", "-l", str(point)], check=True)


def test_full_disk_is_a_clear_error_and_keeps_the_earlier_result(small_mount):
    point, _ = small_mount
    target = point / "guide"
    write_atomic(target, {"guide.json": "old\n"})
    with pytest.raises(GuideError) as error:
        write_atomic(target, {"guide.json": "x" * 400_000})
    assert str(error.value) == f"cannot write the result to {target}: no space left on device"
    assert (target / "guide.json").read_text() == "old\n"
    assert sorted(p.name for p in point.iterdir()) == ["guide"]


def test_read_only_out_is_a_usage_error(small_mount):
    point, remount = small_mount
    remount("ro")
    code, out, err = cli("run", GUIDE_PDF, "--out", point / "out")
    assert (code, err) == (2, f"guide-extract: error: --out {point / 'out'}: cannot write there: the output folder is on a read-only file system\n")
