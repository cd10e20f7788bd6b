"""Benchmark: our stages against the plain-pdfplumber floor, in one run on one machine.

    .venv/bin/python bench/run.py [PDF] [--repeat N]

Prints each measurement with its ratio to the floor (a) and pages per second; the last
line is `pipeline_vs_floor=<((b)+(c)) / (a)>`. Not a test: timings are never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child_run(args: list[str], env: dict | None = None, repeat: int = 1) -> tuple[float, float]:
    """Median wall seconds and peak resident MB of fresh processes."""
    times, peak = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            raise SystemExit(f"{args}: failed: {process.stderr.read().decode()[-500:]}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf", nargs="?", default=str(ROOT / "raw" / "smarty-good-practice-guide.pdf"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=4, help="pages of a generated scan to time OCR on (0: skip)")
    args = parser.parse_args()
    path = Path(args.pdf)

    import pdfplumber

    from flows import settings
    from pipeline.values import nlp as nlp_module
    from pipeline.review.checks import run_checks
    from pipeline.fields.document import front_text, guide_dict, parse_all
    from pipeline.outputs.emit import render, write_atomic
    from pipeline.read.extract import extract_pdf
    from pipeline.layout.regions import layout_pages
    from pipeline.outputs.pictures import page_pictures
    from pipeline.outputs.report import render_report
    from pipeline.cards.segment import segment
    from pipeline.review.validate import validate_guide
    from pipeline.values.enrich import enrich

    def floor() -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                page.close()

    state: dict = {}

    def extraction() -> None:
        state["pdf"] = extract_pdf(path)

    def analysis() -> None:
        nlp_module.get_nlp.cache_clear()  # a run loads the model once: count it
        pdf = state["pdf"]
        draft = segment(layout_pages(pdf.pages), pdf.metadata_title)
        themes, practices = parse_all(draft)
        practices = enrich(practices)
        state["practices"] = practices
        source = {"file": pdf.file, "sha256": pdf.sha256, "pages": len(pdf.pages)}
        state["guide"] = run_checks(validate_guide(guide_dict(draft, source, themes, practices, pdf.warnings)), front_text(draft))

    def reporting() -> None:
        guide = state["guide"]
        with tempfile.TemporaryDirectory() as out:
            pictures = page_pictures(path, state["practices"])
            write_atomic(Path(out) / "g", render(guide, {"report.html": render_report(guide, pictures)}))

    floor()  # warm the file cache and imports before timing anything
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    a = median_time(floor, args.repeat)
    b = median_time(extraction, args.repeat)
    c = median_time(analysis, args.repeat)
    r = median_time(reporting, args.repeat)

    settings.apply()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    with tempfile.TemporaryDirectory() as out:
        cli = [sys.executable, "-m", "flows.cli", "run", str(path), "--out", out]
        d, peak = child_run([*cli, "--refresh"], env, args.repeat)
        d_cached, _ = child_run(cli, env, args.repeat)
        d_server = d_server_cached = in_process = None
        if os.environ.get("PREFECT_API_URL"):
            d_server, _ = child_run([*cli, "--refresh"], repeat=args.repeat)
            d_server_cached, _ = child_run(cli, repeat=args.repeat)
            from flows.guide_flow import extract_guides

            extract_guides([path], Path(out), refresh=True)  # the first run registers the flow
            in_process = median_time(lambda: extract_guides([path], Path(out), refresh=True), args.repeat)
    import_cost, _ = child_run([sys.executable, "-c", "import pipeline.values.enrich, flows.guide_flow"])
    floor_cost, floor_peak = child_run([sys.executable, "-c", f"import pdfplumber\nwith pdfplumber.open({str(path)!r}) as p:\n    [pg.extract_words() for pg in p.pages]"])

    def line(label: str, seconds: float) -> None:
        print(f"{label:<58} {seconds:7.3f} s  {seconds / a:5.2f}x floor  {pages / seconds:7.1f} pages/s")

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"input: {path.name}, {pages} pages, median of {args.repeat} runs")
    line("(a) floor: pdfplumber extract_words() on every page", a)
    line("(b) extraction stage (words, fonts, links)", b)
    line("(c) layout + segmentation + parsing + spaCy + checks", c)
    line("    report pictures and files", r)
    line("(b)+(c)+report: everything but Prefect and imports", b + c + r)
    line("(d) whole flow via Prefect, new process, temporary server", d)
    line("    the same, rerun on the unchanged guide (cache)", d_cached)
    if d_server is not None:
        line("(d') whole flow via Prefect, new process, running server", d_server)
        line("    the same, rerun on the unchanged guide (cache)", d_server_cached)
    print(f"    Python imports of the flow (once per process)    {import_cost:7.3f} s")
    print(f"    Prefect with a temporary server: (d) - imports - work     {d - import_cost - (b + c + r):7.3f} s")
    if in_process is not None:
        line("(d'') the flow in a warm process, running server", in_process)
        print(f"    Prefect with a running server: (d'') - work               {in_process - (b + c + r):7.3f} s")
    print(f"(e) peak memory: flow {peak:.0f} MB, floor {floor_peak:.0f} MB (floor process {floor_cost:.2f} s)")
    if args.ocr_pages:
        ocr_total, ocr_pages = ocr_seconds(path, args.ocr_pages)
        print(f"(f) OCR: {ocr_pages} scanned pages (200 dpi scan, read at 300 dpi), both cores  {ocr_total:7.3f} s  "
              f"{ocr_total / ocr_pages:6.2f} s/page  (text layer: {b / pages:6.3f} s/page)")
    print(f"pipeline_vs_floor={(b + c) / a:.2f}")


def ocr_seconds(path: Path, count: int) -> tuple[float, int]:
    """Seconds to OCR `count` pages of a scanned copy of the guide (tests/scans.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from scans import scan_pdf

    from pipeline.read.extract import extract_pdf

    with tempfile.TemporaryDirectory() as folder:
        scan = scan_pdf(path, Path(folder) / "scan.pdf", dpi=200, angle=1.2, pages=list(range(1, count + 1)))
        start = time.perf_counter()
        pdf = extract_pdf(scan, ocr="auto")
        return time.perf_counter() - start, len(pdf.ocr_pages)


if __name__ == "__main__":
    main()
