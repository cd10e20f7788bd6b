"""Input mistakes are refused before Prefect is imported or started: a typo in a file
name, a file that is not a PDF, an empty folder, a bad option or setting, a catalogue URL
that is not one. (When some inputs are good the batch runs, and each bad file is that
guide's failure: tests/test_bad_input.py.) Each run below gets a Prefect API address where nothing listens, and
`-X importtime` lists every module the process imported: no `prefect` among them."""

import os
import socket
import subprocess
import sys

import pytest

from conftest import GUIDE_PDF, ROOT


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def refused(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_API_URL": f"http://127.0.0.1:{closed_port()}/api",
           "GUIDE_EXTRACT_WARM": "0"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flows.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,  # a guard, not a measurement
    )
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert imported, "importtime listed nothing"
    assert not [m for m in imported if m.split(".")[0] in ("prefect", "dask", "distributed")]
    errors = "".join(line + "\n" for line in done.stderr.splitlines() if not line.startswith("import time:"))
    return done.returncode, done.stdout, errors


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "notes.pdf").write_text("These are my notes.\n")
    (folder / "empty").mkdir()
    (folder / "only-notes").mkdir()
    (folder / "only-notes" / "a.pdf").write_bytes(b"hello")
    (folder / "bad.toml").write_text("[[correction]]\npractice = 1\n")
    (folder / "raw").mkdir()
    (folder / "raw" / "a.txt").write_text("no PDF here")
    return folder


def test_missing_file_and_non_pdf_are_refused_without_prefect(files, tmp_path):
    out = tmp_path / "out"
    assert refused("run", files / "nope.pdf", "--out", out) == (2, "", f"guide-extract: error: {files / 'nope.pdf'}: no such file\n")
    assert refused("run", files / "notes.pdf", "--out", out) == (
        2, "", f"guide-extract: error: {files / 'notes.pdf'}: not a PDF (the file does not start with %PDF-)\n"
    )
    assert refused("run", files / "nope.pdf", files / "notes.pdf", "--out", out) == (2, "", (
        f"guide-extract: error: {files / 'nope.pdf'}: no such file\n"
        f"guide-extract: error: {files / 'notes.pdf'}: not a PDF (the file does not start with %PDF-)\n"
    ))
    assert not out.exists()


def test_empty_folder_names_the_folder(files):
    assert refused("run", files / "empty") == (2, "", f"guide-extract: error: {files / 'empty'}: no PDF in this folder\n")
    assert refused("run", files / "only-notes") == (
        2, "", f"guide-extract: error: {files / 'only-notes' / 'a.pdf'}: not a PDF (the file does not start with %PDF-)\n"
    )
    assert refused("run", cwd=files) == (
        2, "", "guide-extract: error: raw: no PDF in this folder (give PDF files or folders, or put the PDFs in raw/)\n"
    )
    assert refused("run", cwd=files / "empty") == (
        2, "", "guide-extract: error: raw: no such folder (give PDF files or folders, or put the PDFs in raw/)\n"
    )


def test_bad_options_and_files_are_refused_without_prefect(files, tmp_path):
    code, out, err = refused("run", GUIDE_PDF, "--corrections", files / "bad.toml", "--out", tmp_path / "out")
    assert (code, out) == (2, "") and err.startswith(f"guide-extract: error: {files / 'bad.toml'}: line ") and err.count("\n") == 1
    assert refused("run", GUIDE_PDF, "--out", files / "notes.pdf") == (2, "", f"guide-extract: error: --out {files / 'notes.pdf'}: not a folder\n")
    assert refused("run", GUIDE_PDF, "--db", "not a url", "--out", tmp_path / "out") == (
        2, "", "guide-extract: error: 'not a url' is not a database URL (sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)\n"
    )
    assert refused("run", GUIDE_PDF, "--edition-date", "2023") == (
        2, "", "guide-extract: error: --edition-date names the date of one edition: give one PDF and --db\n"
    )
    code, out, err = refused("run", GUIDE_PDF, "--max-pages", "0")
    assert (code, out) == (2, "") and err.endswith("guide-extract run: error: argument --max-pages: must be a whole number above zero, not '0'\n")


def test_version():
    from pipeline.version import tool_version

    assert refused("--version") == (0, f"guide-extract {tool_version()}\n", "")
    import tomllib

    assert tool_version() == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_postgres_scheme_is_accepted_as_postgresql():
    from pipeline.outputs.catalogue.load import engine_for

    engine = engine_for("postgres://someone@db.example/catalogue")
    assert (engine.url.drivername, engine.url.host, engine.url.database) == ("postgresql+psycopg", "db.example", "catalogue")
    assert engine_for("postgres+psycopg://someone@db.example/c").url.drivername == "postgresql+psycopg"
