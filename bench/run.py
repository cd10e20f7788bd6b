"""Benchmark: the pipeline, a batch, a Dask cluster and new processes, each against the
plain-pdfplumber floor measured in the same run on the same machine.

    .venv/bin/python bench/run.py [PDF] [--repeat N] [--batch N] [--dask-repeat N] [--quick] [--pipeline-only]

Not a test: timings are never asserted. The last lines are the figures the targets are
stated in:

    pipeline_vs_floor   extraction + analysis + report + files of one guide, no Prefect,
                        in a warm process (worker pool started), / floor of that guide
    batch_vs_floor      `guide-extract run` of N copies (default runner, running server,
                        new process), median of its runs / the single-process floor over
                        the same N files
    dask_2_vs_1         the same batch with `--workers 2` / with `--workers 1`; the batches
                        run in rounds (`--dask-repeat`, default 3) of one Dask worker, two,
                        then the default runner: the median round's ratio
    dask2_vs_batch      `--workers 2` / the default runner in the same round, the median
                        round's ratio (the same cores: what Dask costs over the default runner)
    startup_vs_flow     a new-process run of the cached guide with a running server /
                        the same flow called in a warm process, run in pairs (at least
                        five): the median new process / the median warm flow
The floor is `pdfplumber.open(f)` then `page.extract_words()` on every page, in one process.
It starts its own Prefect server (on a free port, in a temporary Prefect home) and stops it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
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


def child_run(args: list[str], env: dict, repeat: int = 1) -> tuple[float, float]:
    """Median wall seconds and peak resident MB (largest process) of fresh processes."""
    times, peak = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            raise SystemExit(f"{args}: failed: {process.stderr.read().decode()[-800:]}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


def floor(paths: list[Path]) -> None:
    import pdfplumber

    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                page.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} cores ({model}), load average {load}, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf", nargs="?", default=str(ROOT / "raw" / "smarty-good-practice-guide.pdf"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per single-guide measurement (median)")
    parser.add_argument("--batch", type=int, default=16, help="copies of the guide in the batch")
    parser.add_argument("--quick", action="store_true", help="small settings to check the script: --repeat 1 --batch 4")
    parser.add_argument("--dask-repeat", type=int, default=3, help="rounds of batches: 1 Dask worker, 2, then the default runner (median ratios)")
    parser.add_argument("--ocr-pages", type=int, default=4, help="pages of a generated scan to time OCR on (0: skip)")
    parser.add_argument("--pipeline-only", action="store_true",
                        help="only the floor and the stages of one guide (lines a-r and pipeline_vs_floor): for other kinds of guide")
    parser.add_argument("--startup-only", action="store_true",
                        help="only the warm flow and the new processes (lines f-t and startup_vs_flow)")
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.batch, args.dask_repeat = 1, 4, 1
    path = Path(args.pdf).resolve()
    work = Path(tempfile.mkdtemp(prefix="guide-extract-bench-"))
    home = work / "prefect-home"
    port = free_port()
    # This process and its children use a server of their own and nothing of the user's.
    os.environ.update(PREFECT_HOME=str(home), GUIDE_EXTRACT_SERVER_PORT=str(port))
    os.environ.pop("PREFECT_API_URL", None)
    from flows import server, settings

    settings.apply()
    print(f"machine: {machine()}", flush=True)

    import pdfplumber

    from pipeline.cards.segment import segment
    from pipeline.fields.document import front_text, guide_dict, parse_all
    from pipeline.layout.regions import layout_pages
    from pipeline.outputs.emit import render, write_atomic
    from pipeline.outputs.pictures import page_pictures
    from pipeline.outputs.report import render_report
    from pipeline.parallel import processes
    from pipeline.read.extract import extract_pdf
    from pipeline.review.checks import run_checks
    from pipeline.review.validate import validate_guide
    from pipeline.values.enrich import enrich_all

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    floor([path])  # the file in the page cache, pdfplumber imported
    a = median_time(lambda: floor([path]), args.repeat)

    state: dict = {}

    def extraction() -> None:
        state["pdf"] = extract_pdf(path)

    def analysis() -> None:
        pdf = state["pdf"]
        draft = segment(layout_pages(pdf.pages), pdf.metadata_title)
        themes, practices = parse_all(draft)
        practices = enrich_all(practices)
        state["practices"] = practices
        source = {"file": pdf.file, "sha256": pdf.sha256, "pages": len(pdf.pages)}
        state["guide"] = run_checks(validate_guide(guide_dict(draft, source, themes, practices, pdf.warnings)), front_text(draft))

    def reporting() -> None:
        guide = state["guide"]
        pictures = page_pictures(path, state["practices"])
        write_atomic(work / "plain" / "g", render(guide, {"report.html": render_report(guide, pictures)}))

    if args.startup_only:
        return _startup(args, path, pages, a, work, port)
    cold = time.perf_counter()
    extraction(), analysis(), reporting()  # the pool starts and its workers load spaCy
    cold = time.perf_counter() - cold

    b = median_time(extraction, args.repeat)
    c = median_time(analysis, args.repeat)
    r = median_time(reporting, args.repeat)

    if args.pipeline_only:
        _pipeline_lines(path, pages, args.repeat, a, b, c, r, cold)
        parallel_shutdown()
        shutil.rmtree(work, ignore_errors=True)
        return

    # Where the pool starts to pay: the first N pages read here, and in the warm pool.
    from pipeline import parallel
    from pipeline.read.extract import RANGES_PER_WORKER, read_range

    small = []
    for n in (2, 4, 8, 16):
        if n <= pages:
            here = median_time(lambda: read_range(path, None, 0, n), args.repeat)
            calls = [(path, None, x, y) for x, y in parallel.ranges(n, processes() * RANGES_PER_WORKER)]
            pooled = median_time(lambda: parallel.run_all(read_range, calls), args.repeat)
            small.append((n, here, pooled))
    parallel.shutdown()
    pool_start = time.perf_counter()
    parallel.run_all(os.getpid, [()] * processes())
    pool_start = time.perf_counter() - pool_start

    _, api = server.start(port)
    try:
        flow_fresh, flow_cached, new_server_cached, new_server_fresh, new_temporary_cached, imports, peak = _flow_and_processes(args, path, work, api)
        env = dict(os.environ)
        cli = [sys.executable, "-m", "flows.cli", "run"]

        batch_dir = work / "batch"
        batch_dir.mkdir()
        copies = []
        for i in range(args.batch):
            copies.append(batch_dir / f"guide-{i:02d}.pdf")
            shutil.copyfile(path, copies[-1])
        floor(copies[:1])
        batch_floor = median_time(lambda: floor(copies), 1)
        many = [*cli, str(batch_dir), "--refresh"]
        # in rounds, one Dask worker, two, then the default runner, so that a slower spell
        # of a shared machine falls on both sides of each ratio; the median round's ratio
        # is reported for each
        rounds, batch_peak = [], 0.0
        for _ in range(max(1, args.dask_repeat)):
            dask1, _ = child_run([*many, "--out", str(work / "batch-dask1"), "--workers", "1"], env)
            dask2, _ = child_run([*many, "--out", str(work / "batch-dask2"), "--workers", "2"], env)
            batch, peak_b = child_run([*many, "--out", str(work / "batch-threads")], env)
            batch_peak = max(batch_peak, peak_b)
            rounds.append((dask1, dask2, batch))
        dask1, dask2, batch = (statistics.median(r[i] for r in rounds) for i in range(3))
        dask_ratio = statistics.median(r[1] / r[0] for r in rounds)
        dask2_ratio = statistics.median(r[1] / r[2] for r in rounds)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    def line(label: str, seconds: float, base: float = a, count: int = pages) -> None:
        _line(label, seconds, base, count)

    _pipeline_lines(path, pages, args.repeat, a, b, c, r, cold, figure=False)
    _startup_lines(a, pages, flow_fresh, flow_cached, new_server_cached, new_server_fresh, new_temporary_cached, imports)
    print(f"    a new pool of {processes()} workers (fork server running), answering {pool_start:7.2f} s")
    for n, here, pooled in small:
        print(f"    first {n:2d} pages: {here:5.2f} s in this process, {pooled:5.2f} s in the warm pool")
    print(f"    peak memory of the largest process of a --refresh run   {peak:7.0f} MB")
    n = args.batch
    line(f"(A) floor over {n} copies, one process", batch_floor, batch_floor, n * pages)
    line(f"(B) batch of {n}: `run`, default runner, new process, median", batch, batch_floor, n * pages)
    line(f"(D1) batch of {n}: `run --workers 1` (Dask), median", dask1, batch_floor, n * pages)
    line(f"(D2) batch of {n}: `run --workers 2` (Dask), median", dask2, batch_floor, n * pages)
    print("    rounds (D1, D2, B): " + "; ".join(f"{one:.1f} s, {two:.1f} s, {b:.1f} s" for one, two, b in rounds))
    print(f"    peak memory of the largest process of the batch run     {batch_peak:7.0f} MB")
    if args.ocr_pages:
        ocr_total, ocr_pages = ocr_seconds(path, args.ocr_pages)
        print(f"(o) OCR: {ocr_pages} scanned pages (200 dpi scan, read at 300 dpi), all cores  {ocr_total:7.3f} s  "
              f"{ocr_total / ocr_pages:6.2f} s/page  (text layer: {b / pages:6.3f} s/page)")
    print(f"machine at the end: {machine()}")
    print(f"pipeline_vs_floor={(b + c + r) / a:.2f}")
    print(f"batch_vs_floor={batch / batch_floor:.2f}")
    print(f"dask_2_vs_1={dask_ratio:.2f}")
    print(f"dask2_vs_batch={dask2_ratio:.2f}")
    print(f"startup_vs_flow={new_server_cached / flow_cached:.2f}")


def _line(label: str, seconds: float, base: float, count: int) -> None:
    print(f"{label:<62} {seconds:7.2f} s  {seconds / base:5.2f}x floor  {count / seconds:6.1f} pages/s")


def _startup(args: argparse.Namespace, path: Path, pages: int, a: float, work: Path, port: int) -> None:
    """Lines f-t and startup_vs_flow alone, measured as in the whole run."""
    from flows import server

    _, api = server.start(port)
    try:
        flow_fresh, flow_cached, new_server_cached, new_server_fresh, new_temporary_cached, imports, _ = _flow_and_processes(args, path, work, api)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    _startup_lines(a, pages, flow_fresh, flow_cached, new_server_cached, new_server_fresh, new_temporary_cached, imports)
    print(f"machine at the end: {machine()}")
    print(f"startup_vs_flow={new_server_cached / flow_cached:.2f}")


def _startup_lines(a: float, pages: int, flow_fresh: float, flow_cached: float, new_server_cached: float,
                   new_server_fresh: float, new_temporary_cached: float, imports: float) -> None:
    _line("(f) the flow in a warm process, running server, --refresh", flow_fresh, a, pages)
    _line("(g) the flow in a warm process, running server, cached guide", flow_cached, a, pages)
    _line("(h) new process, running server, cached guide", new_server_cached, a, pages)
    _line("    new process, running server, --refresh", new_server_fresh, a, pages)
    _line("(t) new process, temporary server, cached guide", new_temporary_cached, a, pages)
    print(f"    Python imports of the flow in a new process            {imports:7.2f} s")


def _flow_and_processes(args: argparse.Namespace, path: Path, work: Path, api: str) -> tuple:
    """The flow in this warm process, then the same run in new processes (the server is running)."""
    from flows import server

    os.environ["PREFECT_API_URL"] = api
    os.environ["PREFECT_API_AUTH_STRING"] = server.auth_file().read_text().strip()  # it requires its auth string
    from flows.cli import _without_heartbeats
    from flows.guide_flow import extract_guides

    out = work / "flow"
    env = dict(os.environ)
    one = [sys.executable, "-m", "flows.cli", "run", str(path), "--out", str(work / "cli")]
    # the flow as `run` calls it: without Prefect's heartbeat thread, whose wake-up
    # (in whole seconds) every run would otherwise wait for, here as in a new process
    with _without_heartbeats():
        extract_guides([path], out, refresh=True)  # registers the flow, fills the cache
        flow_fresh = median_time(lambda: extract_guides([path], out, refresh=True), args.repeat)
        child_run(one, env)  # the new process's output folder made, its files in the page cache
        # in pairs, the warm flow then a new process, so that a slower spell of the machine
        # falls on both sides of the ratio; at least five pairs
        warm, new = [], []
        for _ in range(max(5, args.repeat)):
            warm.append(median_time(lambda: extract_guides([path], out), 1))
            new.append(child_run(one, env)[0])
    flow_cached, new_server_cached = statistics.median(warm), statistics.median(new)
    print("    startup pairs (warm flow, new process): " + ", ".join(f"{w:.2f} s, {n:.2f} s" for w, n in zip(warm, new)))
    new_server_fresh, peak = child_run([*one, "--refresh"], env, args.repeat)
    no_server = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    no_server["GUIDE_EXTRACT_SERVER_PORT"] = str(free_port())  # nothing answers there
    no_server["PREFECT_HOME"] = str(work / "prefect-home-temporary")  # no record of our server
    child_run(one, no_server)  # its database migrated, its cache filled
    new_temporary_cached, _ = child_run(one, no_server, args.repeat)
    imports, _ = child_run([sys.executable, "-c", "import flows.guide_flow"], env, args.repeat)
    return flow_fresh, flow_cached, new_server_cached, new_server_fresh, new_temporary_cached, imports, peak


def _pipeline_lines(path: Path, pages: int, repeat: int, a: float, b: float, c: float, r: float, cold: float, figure: bool = True) -> None:
    from pipeline.parallel import processes

    print(f"input: {path.name}, {pages} pages; {processes()} worker processes; median of {repeat} runs")
    _line("(a) floor: pdfplumber extract_words() on every page", a, a, pages)
    _line("(b) extraction stage (words, fonts, links), warm pool", b, a, pages)
    _line("(c) layout, segments, fields, spaCy values, checks", c, a, pages)
    _line("(r) report pictures and files", r, a, pages)
    _line("(b)+(c)+(r): the whole pipeline without Prefect", b + c + r, a, pages)
    _line("    the same, first call (pool start, spaCy loaded in workers)", cold, a, pages)
    if figure:
        print(f"machine at the end: {machine()}")
        print(f"pipeline_vs_floor={(b + c + r) / a:.2f}")


def parallel_shutdown() -> None:
    from pipeline import parallel

    parallel.shutdown()


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
