"""CPU seconds of each analysis stage of one guide, in one process: what to measure when
the machine is shared (wall time is then meaningless, CPU time is not).

    GUIDE_EXTRACT_PROCESSES=1 .venv/bin/python bench/analysis_cpu.py [PDF] [--repeat N] [--profile]

The PDF is read once; then layout, segment, parse, values, validate, corrections and
checks run `--repeat` times (after one warm-up run that loads spaCy), each timed with
`time.process_time()`; the minimum and median of each are printed. `--profile` adds
cProfile's top functions of one more run. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path

os.environ.setdefault("GUIDE_EXTRACT_PROCESSES", "1")  # before the stages choose a pool

from pipeline.fields.document import front_text, guide_dict, parse_all  # noqa: E402
from pipeline.layout.regions import layout_pages  # noqa: E402
from pipeline.cards.segment import segment  # noqa: E402
from pipeline.read.extract import extract_pdf  # noqa: E402
from pipeline.review.checks import run_checks  # noqa: E402
from pipeline.review.corrections import apply_corrections  # noqa: E402
from pipeline.review.validate import validate_guide  # noqa: E402
from pipeline.values.enrich import enrich_all  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "raw" / "smarty-good-practice-guide.pdf"


def analyse(pdf) -> dict[str, float]:
    seconds: dict[str, float] = {}

    def timed(name, call, *args):
        start = time.process_time()
        result = call(*args)
        seconds[name] = time.process_time() - start
        return result

    pages = timed("layout", layout_pages, pdf.pages)
    draft = timed("segment", segment, pages, pdf.metadata_title)
    themes, practices = timed("parse", parse_all, draft)
    practices = timed("values", enrich_all, practices)
    source = {"file": pdf.file, "sha256": pdf.sha256, "pages": len(pdf.pages), "ocr_pages": pdf.ocr_pages}
    guide = timed("validate", lambda: validate_guide(guide_dict(draft, source, themes, practices, pdf.warnings)))
    guide = timed("corrections", apply_corrections, guide, [])
    timed("checks", run_checks, guide, front_text(draft))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    pdf = extract_pdf(args.pdf)
    analyse(pdf)  # warm-up: spaCy loads, caches fill
    runs = [analyse(pdf) for _ in range(args.repeat)]
    print(f"{args.pdf.name}: CPU seconds per analysis stage, {args.repeat} runs, one process")
    for stage in runs[0]:
        values = [run[stage] for run in runs]
        print(f"  {stage:12s} min {min(values):.3f}  median {statistics.median(values):.3f}")
    totals = [sum(run.values()) for run in runs]
    print(f"  {'total':12s} min {min(totals):.3f}  median {statistics.median(totals):.3f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(analyse, pdf)
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
