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


@pytest.mark.slow  # Prefect
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
        ("GUIDE_EXTRACT_MAX_STREAM_MB", "0", "environment variable GUIDE_EXTRACT_MAX_STREAM_MB: must be a number above zero, not '0'"),
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


# -- 3. one spaCy pipeline shared by threads -----------------------------------------------


@pytest.fixture(scope="module")
def parsed_practices():
    """The real guide's practices as the values stage receives them."""
    from pipeline.cards.segment import segment
    from pipeline.fields.document import parse_all
    from pipeline.layout.regions import layout_pages
    from pipeline.read.extract import extract_pdf

    pdf = extract_pdf(GUIDE_PDF)
    return parse_all(segment(layout_pages(pdf.pages), pdf.metadata_title))[1]


def test_threads_enriching_concurrently_get_the_single_thread_result(parsed_practices):
    import copy

    from pipeline.values.enrich import enrich
    from pipeline.values.nlp import get_nlp

    lots = [parsed_practices[i::6] for i in range(6)]
    alone = [enrich(copy.deepcopy(lot)) for lot in lots]
    results: dict[tuple[int, int], list] = {}

    def work(index: int, round_: int) -> None:
        try:
            results[index, round_] = enrich(copy.deepcopy(lots[index]))
        except BaseException as error:  # noqa: BLE001  (asserted below)
            results[index, round_] = [repr(error)]

    nlp = get_nlp()
    shipped = set(nlp.disabled)  # the model ships some components switched off
    seen_disabled: set[str] = set()
    running = threading.Event()
    running.set()

    def watch() -> None:  # the shared pipeline must never change while others use it
        while running.is_set():
            seen_disabled.update(set(nlp.disabled) - shipped)
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=work, args=(i, r)) for r in range(3) for i in range(len(lots))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.clear()
    watcher.join()
    assert seen_disabled == set()
    for (index, _), result in sorted(results.items()):
        assert result == alone[index]


# -- 10. a text longer than spaCy's max_length ----------------------------------------------


def test_a_section_longer_than_spacys_limit_is_read_in_pieces(parsed_practices, monkeypatch):
    import copy

    from pipeline.values.enrich import enrich
    from pipeline.values.nlp import get_nlp

    practice = copy.deepcopy(parsed_practices[0])
    line = "The programme trained 120 apprentices in robotics."
    practice["sections"] = {**practice["sections"], "evidence": line, "about": None, "resources": None, "challenges": None, "transfer": None}
    one = enrich([copy.deepcopy(practice)])[0]["metrics"]
    assert [m["quantity"] for m in one] == ["120 apprentices"]
    practice["sections"]["evidence"] = "\n".join([line] * 300)  # 15,300 characters
    monkeypatch.setattr(get_nlp(), "max_length", 2000)
    assert enrich([practice])[0]["metrics"] == one * 300


# -- 4. link annotations apart from words -----------------------------------------------------


def test_a_broken_link_annotation_keeps_the_pages_words(tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
    from reportlab.pdfgen.canvas import Canvas

    from pipeline.read.extract import extract_pdf

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in (1, 2):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 700, f"Page {number} keeps its words")
        canvas.linkURL(f"https://example.org/{number}", (72, 690, 200, 715))
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    broken = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NameObject("/left"), NumberObject(0), NumberObject(1), NumberObject(1)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("https://x.org")}),
    })
    writer.pages[1][NameObject("/Annots")].append(writer._add_object(broken))
    path = tmp_path / "broken-link.pdf"
    writer.write(path)
    pdf = extract_pdf(path)
    assert [[w.text for w in page.words] for page in pdf.pages] == [["Page", "1", "keeps", "its", "words"], ["Page", "2", "keeps", "its", "words"]]
    assert [link.uri for link in pdf.pages[0].links] == ["https://example.org/1"]
    assert pdf.warnings == [{
        "code": "links_unreadable", "page": 2, "field": None,
        "message": "Page 2: its link annotations could not be read (a box (page or link) is not made of numbers); its text is kept.",
    }]


# -- 5. damaged files that common readers open ------------------------------------------------


def _damaged(name: str) -> bytes:
    data = GUIDE_PDF.read_bytes()
    if name == "junk-before-header":
        return b"From: mail gateway\r\n" * 40 + data  # 800 bytes
    if name == "junk-after-eof":
        return data + b"\x00appended by a download manager\n" * 400
    if name == "garbled-xref":
        at = data.rfind(b"\nxref\n")
        return data[:at] + b"\nxrXf\n" + data[at + 6 :]
    if name == "missing-xref":  # the table cut out; the trailer and startxref stay
        start, end = data.rfind(b"\nxref\n"), data.rfind(b"trailer")
        return data[:start + 1] + data[end:]
    if name == "broken-page-object":  # the space before 'R' of a page's /Contents is garbage
        at = data.find(b"/Contents 106 0 R")
        return data[:at] + b"/Contents 106 0\xf5R" + data[at + 17 :]
    raise KeyError(name)


@pytest.mark.slow  # a whole-guide extraction per damage
@pytest.mark.parametrize("name", ["junk-before-header", "junk-after-eof", "garbled-xref", "missing-xref", "broken-page-object"])
def test_damage_that_readers_tolerate_is_tolerated(tmp_path, guide, name):
    from pipeline.read.extract import extract_pdf
    from pipeline.run import extract_guide

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(_damaged(name))
    pdf = extract_pdf(path)
    assert len(pdf.pages) == 37
    if name == "broken-page-object":
        assert [w["code"] for w in pdf.warnings] == ["repaired_structure"]
        assert pdf.warnings[0]["message"] == "The PDF's structure is damaged (the syntax of its objects is broken); it was read from a copy repaired by PDFium."
    else:
        assert pdf.warnings == []
        assert [p.title for p in extract_guide(path).practices] == [p.title for p in guide.practices]


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda d: d.replace(b"/Root 97 0 R", b"/Roof 97 0 R"), "the PDF is damaged and cannot be read (its document catalogue (/Root) is missing; PDFium: data format error)"),
        (lambda d: d.replace(b"/Rotate 0", b"/Rotate /X", 1), "the PDF is damaged and cannot be read (its objects do not fit together; PDFium: its repaired copy cannot be read either)"),
    ],
)
def test_refusals_of_damaged_files_say_why_in_words(tmp_path, edit, reason):
    from pipeline.read.extract import extract_pdf

    path = tmp_path / "damaged.pdf"
    path.write_bytes(edit(GUIDE_PDF.read_bytes()))
    with pytest.raises(GuideError) as error:
        extract_pdf(path)
    assert str(error.value) == reason


# -- 8. control characters ---------------------------------------------------------------------


def test_control_and_bidi_characters_are_stripped_from_every_text_field(guide):
    from pipeline.outputs.emit import practices_csv
    from schemas import Guide

    data = guide.model_dump(mode="json")
    practice = data["practices"][0]
    practice["title"] = "Smart\x1b[2J factory\u202e"
    practice["institution"] = "Agency\x00 of\x9b1m Things"
    practice["sections"]["about"] = "Line one\r\n\tLine\u2066 two\x07"
    practice["other_sections"] = {"Extra\x1b]0;title\x07": "text\x08"}
    practice["warnings"] = [{"code": "x", "message": "bad\x1bc", "field": None}]
    data["title"] = "Guide\u202d title"
    data["source"]["file"] = "file\x1b[31m\udcff.pdf"
    clean = Guide.model_validate(data)
    first = clean.practices[0]
    assert first.title == "Smart[2J factory"
    assert first.institution == "Agency\ufffd of1m Things"  # NUL marks a lost character
    assert first.sections.about == "Line one\n\tLine two"
    assert first.other_sections == {"Extra]0;title": "text"}
    assert first.warnings[0].message == "badc"
    assert (clean.title, clean.source.file) == ("Guide title", "file[31m\ufffd.pdf")
    assert not any(ch in practices_csv(clean) for ch in "\x1b\x00\x9b\u202e\u2066\x07\x08")


# -- 9. decompression bombs and huge pages -------------------------------------------------------


def _bomb_pdf(path: Path, inflated_mb: int) -> Path:
    """A one-page text PDF plus a page whose content stream is `inflated_mb` MB of
    compressed zeros (about a thousandth of that on disk)."""
    import io
    import zlib

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for text in ("A page of ordinary text", "The bomb page"):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 700, text)
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    squeezer, chunk = zlib.compressobj(9), bytes(1 << 20)
    packed = b"".join(squeezer.compress(chunk) for _ in range(inflated_mb)) + squeezer.flush()
    bomb = StreamObject()
    bomb._data = packed
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[1][NameObject("/Contents")] = writer._add_object(bomb)
    writer.write(path)
    return path


def test_a_decompression_bomb_costs_its_page_not_the_memory(tmp_path, monkeypatch):
    import pdfminer.pdftypes

    from pipeline.read.extract import extract_pdf

    path = _bomb_pdf(tmp_path / "bomb.pdf", 48)
    assert path.stat().st_size < 200_000
    monkeypatch.setattr(pdfminer.pdftypes.zlib, "limit", 16 * 1048576)
    pdf = extract_pdf(path)
    assert [[w.text for w in page.words] for page in pdf.pages] == [["A", "page", "of", "ordinary", "text"], []]
    assert pdf.warnings == [{
        "code": "page_unreadable", "page": 2, "field": None,
        "message": "Page 2 could not be read (a compressed stream inflates to more than 16 MB (a decompression bomb?)).",
    }]


def test_the_default_stream_bound_and_an_ordinary_stream():
    import zlib as real_zlib

    import pdfminer.pdftypes

    from pipeline.read.bounded_streams import DEFAULT_MAX_STREAM_MB, StreamTooLarge, _bounded_lzw

    bounded = pdfminer.pdftypes.zlib
    assert bounded.limit == DEFAULT_MAX_STREAM_MB * 1048576
    text = b"BT /F1 12 Tf (hello) Tj ET\n" * 1000
    assert bounded.decompress(real_zlib.compress(text)) == text
    with pytest.raises(real_zlib.error):
        bounded.decompress(real_zlib.compress(text)[:-10])
    small = type(bounded)(1000)
    with pytest.raises(StreamTooLarge):
        small.decompress(real_zlib.compress(bytes(5000)))
    lzw = bytes.fromhex("800B6050220C0C8501")  # the LZW example of the PDF reference
    assert pdfminer.pdftypes.lzwdecode(lzw) == b"-----A---B"
    with pytest.raises(StreamTooLarge):
        _bounded_lzw(5)(lzw)


def test_a_huge_page_is_drawn_smaller_with_a_warning(tmp_path):
    import base64
    import io

    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    from pipeline.outputs.pictures import MAX_PICTURE_PIXELS, page_pictures
    from pipeline.read.extract import extract_pdf

    path = tmp_path / "huge.pdf"
    canvas = Canvas(str(path), pagesize=(6000, 6000))
    canvas.setFont("Helvetica", 200)
    canvas.drawString(500, 3000, "A poster page")
    canvas.showPage()
    canvas.save()
    pdf = extract_pdf(path)
    assert pdf.warnings == [{
        "code": "page_picture_reduced", "page": 1, "field": None,
        "message": "Page 1 is 6000 x 6000 points; its picture in the report is drawn at 48 dpi to stay within 16,000,000 pixels.",
    }]
    practice = {"id": "poster", "pages": [1], "provenance": {"title": [{"page": 1, "bbox": [500, 2800, 2000, 3000]}]}}
    [(page, picture)] = page_pictures(path, [practice]).items()
    width, height = Image.open(io.BytesIO(base64.b64decode(picture["png"]))).size
    assert page == 1 and width == height and width * height <= MAX_PICTURE_PIXELS and width == 4000


# -- 12. diff of hostile result files --------------------------------------------------------------


def test_diff_refuses_malformed_and_deep_json_in_words(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"practices": [{"id": "a", "title": "A"}]}))
    cases = {
        "deep.json": ("[" * 100_000 + "]" * 100_000, "not a guide.json (nested more than 32 levels deep)"),
        "deep-dict.json": ('{"practices": [], "x": ' + '{"a": ' * 500 + "1" + "}" * 500 + "}", "not a guide.json (nested more than 32 levels deep)"),
        "numbers.json": ('{"practices": [1, 2]}', "not a guide.json (practice 1 has no text id and title)"),
        "contacts.json": ('{"practices": [{"id": "a", "title": "A", "contacts": "x"}]}', "not a guide.json (practice 1: contacts is not a list of objects)"),
        "broken.json": ('{"practices": [', "not a guide.json (invalid JSON at line 1, column 16: Expecting value)"),
    }
    for name, (text, reason) in cases.items():
        (tmp_path / name).write_text(text)
        code, out, err = cli("diff", good, tmp_path / name)
        assert (code, out, err) == (2, "", f"guide-extract: error: {tmp_path / name}: {reason}\n"), name


def test_diff_shows_hostile_text_escaped(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"practices": [{"id": "a", "title": "A"}]}))
    new.write_text(json.dumps({"practices": [{"id": "b\x1b[2J", "title": "B\u202eevil\x9b"}]}))
    code, out, err = cli("diff", old, new)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "+ added   b\\x1b[2J: B\\u202eevil\\x9b", "- removed a: A",
        "summary: practices 1 added, 1 removed, 0 renamed, 0 changed; 0 fields changed; guide warnings 0 added, 0 removed",
    ]


# -- 6. passwords and the cache; 12. cached results obey the limits ---------------------------


@pytest.fixture(scope="module")
def small_guide(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    title, themes = sample_themes()
    return write_portrait_guide(folder / "small.pdf", title, themes), themes


@pytest.fixture(scope="module")
def encrypted_small_guide(small_guide, tmp_path_factory):
    from pypdf import PdfReader, PdfWriter

    path = tmp_path_factory.mktemp("locked") / "locked.pdf"
    writer = PdfWriter(clone_from=PdfReader(small_guide[0]))
    writer.encrypt("s3cret", algorithm="AES-256")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _stored_bytes(folder: Path) -> bytes:
    """Everything in Prefect's result storage, with its base64-wrapped pickles decoded."""
    import base64
    import binascii

    found = []
    for path in (p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []:
        raw = path.read_bytes()
        found.append(raw)
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        for value in record.values() if isinstance(record, dict) else []:
            if isinstance(value, str):
                try:
                    found.append(base64.b64decode(value, validate=False))
                except (binascii.Error, ValueError):
                    pass
    return b"".join(found)


def _flow_parameters(state) -> dict:
    import asyncio

    from prefect.client.orchestration import get_client

    async def read():
        async with get_client() as client:
            return (await client.read_flow_run(state.state_details.flow_run_id)).parameters

    return asyncio.run(read())


@pytest.mark.slow  # Prefect
def test_password_is_checked_on_every_run_and_decrypted_text_is_not_cached(prefect_harness, small_guide, encrypted_small_guide, tmp_path):
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings
    from pydantic import SecretStr

    from flows.guide_flow import extract_guides

    _, themes = small_guide
    needle = themes[0].cards[0].title.encode()  # a practice title, as pickled results would hold it
    storage = tmp_path / "storage"
    out = tmp_path / "out"
    locked = encrypted_small_guide
    needed = "the PDF is encrypted: a password is needed (--password)"
    wrong = "the PDF is encrypted and the password is wrong"

    def run(password, **options):  # as the command line passes it
        secret = SecretStr(password) if password else None
        state = extract_guides([locked], out, secret, return_state=True, **options)
        [outcome] = state.result()
        return outcome, state

    with temporary_settings(updates={PREFECT_LOCAL_STORAGE_PATH: str(storage)}):
        opened, state = run("s3cret")
        assert opened.status == "ok"
        parameters = json.dumps(_flow_parameters(state))
        assert "s3cret" not in parameters and '"password": "**********"' in parameters
        assert [(o.status, o.reason) for o in (run(None)[0], run("guess")[0])] == [("failed", needed), ("failed", wrong)]
        assert needle not in _stored_bytes(storage)

        # with --cache-encrypted the results are kept, and the password still checked first
        assert run("s3cret", cache_encrypted=True)[0].status == "ok"
        assert needle in _stored_bytes(storage)
        assert [(o.status, o.reason) for o in (run(None, cache_encrypted=True)[0], run("guess", cache_encrypted=True)[0])] == [
            ("failed", needed), ("failed", wrong),
        ]
        again, state = run("s3cret", cache_encrypted=True)
        assert again.status == "ok"
    written = json.loads((out / "locked" / "guide.json").read_text(encoding="utf-8"))
    assert [p["title"] for p in written["practices"]] == [c.title for t in themes for c in t.cards]


@pytest.mark.slow  # Prefect
def test_a_cached_guide_still_obeys_a_lowered_page_limit(prefect_harness, small_guide, tmp_path):
    from flows.guide_flow import extract_guides
    from pipeline.errors import Limits

    path, _ = small_guide
    [first] = extract_guides([path], tmp_path / "out")
    assert first.status == "ok" and first.pages > 1
    [second] = extract_guides([path], tmp_path / "out", limits=Limits(max_pages=first.pages - 1))
    assert (second.status, second.reason) == ("failed", f"the PDF has {first.pages} pages, over the limit of {first.pages - 1} (--max-pages)")
    [third] = extract_guides([path], tmp_path / "out", limits=Limits(max_mb=0.001))
    assert (third.status, third.reason) == ("failed", "the file is 0 MB, over the limit of 0.001 MB (--max-mb)")


# -- 10. a per-guide time limit; special files; file names on the terminal ----------------------


@pytest.mark.slow  # Prefect
def test_a_guide_over_the_time_limit_is_given_up(prefect_harness, tmp_path):
    from flows.guide_flow import extract_guides
    from pipeline.errors import Limits

    # the real guide's extraction takes seconds; a limit of a fifth of a second cannot be met
    [outcome] = extract_guides([GUIDE_PDF], tmp_path / "out", limits=Limits(timeout=0.2), refresh=True)
    assert (outcome.status, outcome.reason) == ("failed", "gave up: a stage ran longer than the time limit of 0.2 seconds (--timeout)")
    assert not (tmp_path / "out" / GUIDE_PDF.stem).exists()


@pytest.mark.slow  # Prefect
def test_special_files_are_refused_at_once_and_names_are_escaped_on_the_terminal(small_guide, tmp_path):
    import shutil

    from pipeline.terminal import printable

    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    evil = tmp_path / "evil\x1b[2J\u202e.pdf"
    shutil.copyfile(small_guide[0], evil)
    code, out, err = cli("run", fifo, "/dev/zero", evil, "--out", tmp_path / "out", timeout=300)
    assert code == 1
    assert err.splitlines() == [
        f"guide-extract: error: {fifo}: not a regular file (a named pipe)",
        "guide-extract: error: /dev/zero: not a regular file (a character device)",
    ]
    first = out.splitlines()[0]
    assert first.startswith(f"{tmp_path}/evil\\x1b[2J\\u202e.pdf: ") and first.endswith(f"-> {tmp_path / 'out' / 'evil-[2J'}")
    assert "\x1b" not in out + err and "\u202e" not in out + err
    assert printable(evil) in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["evil-[2J"]


@pytest.mark.slow  # Prefect
def test_catalogue_url_is_masked_in_the_flow_parameters(prefect_harness, small_guide, tmp_path):
    """A database URL can carry a password (postgresql+psycopg://user:pw@host/db): it reaches
    Prefect masked, like --password, and the load still uses it."""
    import sqlite3

    from pydantic import SecretStr

    from flows.guide_flow import extract_guides

    path, themes = small_guide
    database = tmp_path / "s3cret-catalogue.sqlite"
    state = extract_guides([path], tmp_path / "out", None, db=SecretStr(f"sqlite:///{database}"), return_state=True)
    [outcome] = state.result()
    assert outcome.status == "ok"
    parameters = json.dumps(_flow_parameters(state))
    assert "s3cret" not in parameters and '"db": "**********"' in parameters
    with sqlite3.connect(database) as con:
        titles = [row[0] for row in con.execute("select title from practices order by title")]
    assert titles == sorted(c.title for t in themes for c in t.cards)


def test_numbers_too_large_for_a_float_are_no_amount_and_the_schema_refuses_infinity():
    """400 nines in a PDF would be float infinity, which JSON cannot hold and a catalogue
    sum would carry: the reader gives no amount (the printed text stays), and the contract
    models refuse NaN and infinity from any other source."""
    import pydantic

    from pipeline.values.money import find_money
    from schemas.models import Metric, Money

    huge = "9" * 400
    [found] = find_money(f"The budget was EUR {huge} in total.")
    assert (found["raw"], found["amount"], found["currency"]) == (f"EUR {huge}", None, "EUR")
    [grouped] = find_money("It cost EUR 1" + ",000" * 80 + " billion.")
    assert grouped["amount"] == 1e249  # large, finite: kept
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(pydantic.ValidationError, match="finite number"):
            Money(raw="x", amount=bad)
        with pytest.raises(pydantic.ValidationError, match="finite number"):
            Metric(raw="x", value=bad)
