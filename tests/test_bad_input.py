"""Bad input: a clear one-line reason, a non-zero exit, no traceback, no partial output,
and the other inputs of the run still done."""

import os
import random
import subprocess
import sys

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from conftest import GUIDE_PDF, ROOT
from pipeline.outputs.emit import render, write_atomic
from pipeline.errors import GuideError, Limits
from pipeline.run import extract_guide, report_html
from variants import sample_themes, write_portrait_guide


def image_pdf(path, page_numbers):
    """The given guide pages as pictures only: what a scanner produces."""
    with pdfplumber.open(GUIDE_PDF) as pdf:
        images = [pdf.pages[n - 1].to_image(resolution=40).original.convert("RGB") for n in page_numbers]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=40)
    return path


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    data = GUIDE_PDF.read_bytes()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "notes.pdf").write_text("These are my notes, not a PDF.\n")
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    writer = PdfWriter(clone_from=PdfReader(GUIDE_PDF))
    writer.encrypt("s3cret", algorithm="AES-256")
    with (folder / "encrypted.pdf").open("wb") as handle:
        writer.write(handle)
    image_pdf(folder / "scanned.pdf", [1, 5, 6])
    canvas = Canvas(str(folder / "letter.pdf"))
    canvas.setFont("Helvetica", 11)
    for i, line in enumerate(["Dear colleagues,", "please find the minutes of our meeting attached.", "Best regards"]):
        canvas.drawString(72, 700 - 16 * i, line)
    canvas.showPage()
    canvas.save()
    return folder


EXPECTED = {
    "empty.pdf": "the file is empty",
    "notes.pdf": "not a PDF (the file does not start with %PDF-)",
    "truncated.pdf": "the PDF is truncated (no end-of-file marker)",
    "encrypted.pdf": "the PDF is encrypted: a password is needed (--password)",
    "scanned.pdf": "the PDF has no text layer (scanned images only, pages 1-3); run OCR on it first",
    "letter.pdf": "no practice cards found (no title has several fact labels under it such as 'Main institution:', 'Location:' or 'Contact:'); is this a good-practice guide?",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_has_a_clear_reason(bad_inputs, name):
    with pytest.raises(GuideError) as error:
        extract_guide(bad_inputs / name, ocr="never")  # with OCR a scan is read: tests/test_ocr.py
    assert str(error.value) == EXPECTED[name]


@pytest.mark.slow  # the whole guide, encrypted, read again
def test_wrong_password_and_right_password(bad_inputs, guide):
    with pytest.raises(GuideError, match="^the PDF is encrypted and the password is wrong$"):
        extract_guide(bad_inputs / "encrypted.pdf", password="guess")
    opened = extract_guide(bad_inputs / "encrypted.pdf", password="s3cret")
    assert [p.title for p in opened.practices] == [p.title for p in guide.practices]


def test_limits_refuse_large_inputs():
    with pytest.raises(GuideError, match=r"^the PDF has 37 pages, over the limit of 36 \(--max-pages\)$"):
        extract_guide(GUIDE_PDF, limits=Limits(max_pages=36))
    with pytest.raises(GuideError, match=r"^the file is 0 MB, over the limit of 0.1 MB \(--max-mb\)$"):
        extract_guide(GUIDE_PDF, limits=Limits(max_mb=0.1))


@pytest.mark.slow  # Prefect
def test_cli_reports_each_bad_input_and_still_writes_the_good_one(bad_inputs, tmp_path):
    out = tmp_path / "out"
    names = sorted(EXPECTED)
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", *(str(bad_inputs / n) for n in names), str(GUIDE_PDF), "--out", str(out), "--ocr", "never"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"guide-extract: error: {bad_inputs / n}: {EXPECTED[n]}" for n in names]
    assert "Traceback" not in done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["smarty-good-practice-guide"]


def test_partly_scanned_guide_names_the_pages_and_keeps_the_rest(tmp_path):
    scanned_page = PdfReader(image_pdf(tmp_path / "page5.pdf", [5])).pages[0]
    reader = PdfReader(GUIDE_PDF)
    writer = PdfWriter()
    for index, page in enumerate(reader.pages):
        writer.add_page(scanned_page if index == 4 else page)
    path = tmp_path / "partly-scanned.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    result = extract_guide(path, ocr="never")
    codes = {w.code: w for w in result.warnings}
    assert codes["pages_without_text"].message == "Pages 5 are images without a text layer; their text is not read."
    assert codes["practice_count_mismatch"].message == "The guide states 26 practices; 25 were found."
    assert "Future Industry Platform" not in [p.title for p in result.practices]
    assert all(p.title for p in result.practices)


def test_malformed_card_is_a_warning_not_a_failure(tmp_path):
    title, themes = sample_themes()
    card = themes[0].cards[1]
    card.fields = [f for f in card.fields if f[0] != "Location:"]
    card.fields = [(label, ["sometime soon"]) if label == "Start-end date:" else (label, v) for label, v in card.fields]
    path = write_portrait_guide(tmp_path / "malformed.pdf", title, themes)
    result = extract_guide(path)
    practice = result.practices[1]
    assert practice.location.raw is None and practice.period.raw == "sometime soon"
    assert practice.period.start is None
    assert {(w.code, w.field) for w in practice.warnings} >= {("missing_location", "location"), ("unparsed_period", "period")}
    assert [p.title for p in result.practices] == [c.title for t in themes for c in t.cards]


@pytest.mark.slow  # the whole result written twice
def test_rerun_gives_byte_identical_files(guide, tmp_path):
    first = render(guide, {"report.html": report_html(GUIDE_PDF, guide)})
    again = extract_guide(GUIDE_PDF)
    second = render(again, {"report.html": report_html(GUIDE_PDF, again)})
    assert first == second
    write_atomic(tmp_path / "a", first)
    write_atomic(tmp_path / "b", second)
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_failed_write_keeps_the_previous_result(tmp_path, monkeypatch):
    target = tmp_path / "guide"
    write_atomic(target, {"guide.json": "old\n", "practices.csv": "old\n"})

    class Boom(Exception):
        pass

    calls = {"n": 0}

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Boom()

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(Boom):
        write_atomic(target, {"guide.json": "new\n", "practices.csv": "new\n"})
    assert (target / "guide.json").read_text() == "old\n" and (target / "practices.csv").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide"]


def test_killed_run_leaves_old_or_new_never_a_mix(tmp_path):
    """A writer killed at random moments: the folder is always one whole version."""
    target = tmp_path / "guide"
    write_atomic(target, {f"f{i}.txt": "v0\n" * 20000 for i in range(5)})
    script = (
        "import sys; from pathlib import Path; from pipeline.outputs.emit import write_atomic\n"
        "for v in range(1, 10000):\n"
        "    write_atomic(Path(sys.argv[1]), {f'f{i}.txt': f'v{v}\\n' * 20000 for i in range(5)})\n"
    )
    rng = random.Random(7)
    for _ in range(5):
        writer = subprocess.Popen([sys.executable, "-c", script, str(target)], cwd=ROOT)
        try:
            writer.wait(timeout=rng.uniform(0.3, 1.2))
        except subprocess.TimeoutExpired:
            writer.kill()
            writer.wait()
        versions = {(target / f"f{i}.txt").read_text().splitlines()[0] for i in range(5)}
        assert len(versions) == 1, versions
        assert sorted(p.name for p in target.iterdir()) == [f"f{i}.txt" for i in range(5)]


@pytest.mark.slow  # twelve extractions of the whole guide
def test_fuzzed_guides_succeed_or_fail_cleanly(tmp_path):
    data = bytearray(GUIDE_PDF.read_bytes())
    rng = random.Random(20261126)
    outcomes = {"ok": 0, "refused": 0}
    for round_ in range(12):
        mutated = bytearray(data)
        for _ in range(rng.choice([1, 5, 50])):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        path = tmp_path / f"fuzz-{round_}.pdf"
        path.write_bytes(bytes(mutated))
        try:
            result = extract_guide(path)
        except GuideError as error:
            assert "\n" not in str(error) and str(error)
            outcomes["refused"] += 1
        else:
            assert all(p.title for p in result.practices)
            outcomes["ok"] += 1
    assert sum(outcomes.values()) == 12
