"""CPU seconds of each spaCy component in the values stage of one guide, in one process:
the texts the stage reads ('Evidence' whole, the cue sentences of the other sections),
through `nlp.pipe` as the stage calls it, then again with one component disabled at a
time; the difference is that component's share. What to measure before trying to make
the values faster (bench/RESULTS.md).

    GUIDE_EXTRACT_PROCESSES=1 .venv/bin/python bench/spacy_components.py [PDF] [--repeat N]

Not a test: nothing is asserted. The sentencizer stays on (the metric finder needs its
sentence ends).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("GUIDE_EXTRACT_PROCESSES", "1")  # before the stages choose a pool

from pipeline.cards.segment import segment  # noqa: E402
from pipeline.fields.document import parse_all  # noqa: E402
from pipeline.layout.regions import layout_pages  # noqa: E402
from pipeline.read.extract import extract_pdf  # noqa: E402
from pipeline.values.enrich import _NOT_FOR_REST, pieces_of  # noqa: E402
from pipeline.values.nlp import get_nlp  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "raw" / "smarty-good-practice-guide.pdf"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdf = extract_pdf(args.pdf)
    _, practices = parse_all(segment(layout_pages(pdf.pages), pdf.metadata_title, pdf.info))
    nlp = get_nlp()
    evidence, rest = pieces_of(practices, nlp.max_length)

    def cpu(texts: list[str], disable: list[str]) -> float:
        def run():
            for _ in nlp.pipe(texts, batch_size=64, disable=disable):
                pass

        run()  # warm-up
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
        return min(times)

    print(f"{args.pdf.name}: CPU seconds, min of {args.repeat}, one process")
    for label, pieces, off in (("Evidence", evidence, []), ("other sections' cue sentences", rest, _NOT_FOR_REST)):
        texts = [text for *_, text in pieces]
        full = cpu(texts, off)
        print(f"{label}: {len(texts)} texts, {sum(map(len, texts)):,} characters: {full:.3f} s")
        for name in nlp.pipe_names:
            if name in off or name == "sentencizer":
                continue
            print(f"    {name:20s} {full - cpu(texts, off + [name]):+.3f} s")


if __name__ == "__main__":
    main()
