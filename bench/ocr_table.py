"""OCR accuracy table: generated editions x ways of scanning -> core % and values %.

Each edition is typeset from known values (browser-printed `tests/html_variants.py`
layouts, the reportlab portrait guide of `tests/variants.py`, the word-processor guides
of `tests/wp_guides.py` exported by LibreOffice, named `wp-STYLE`), scanned by
`tests/scans.py` in each way of `SCANS` (resolution, grey or colour, skew, noise, JPEG
quality, coloured type printed grey, a photocopy's shadow), read back with real
Tesseract, and scored field by field against the values it was built from
(`scans.edition_accuracy`, the measure of `scans.accuracy` for generated editions: core =
title, theme, tagline opening, institution, location, contacts, websites, printed and
parsed period, exact; values = country codes, budgets and metrics one by one; sections =
the sections printed whose heading was recognised and text read within 5%).

OCR is slow (about 4 s a page on both cores), so only the pages of one theme are scanned
(the cover, the theme's heading and its cards: `--theme`, default 1; `--theme 0` scans
the whole guide, as the issue's hidden scan is).

    python bench/ocr_table.py                       # every edition x every scan
    python bench/ocr_table.py --editions flow-grid --scans office-200 -v
    python bench/ocr_table.py --write bench/RESULTS.md   # append the table there
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from html_variants import LAYOUTS, write_html_guide  # noqa: E402
from scans import SCANS, edition_accuracy, scan_pdf  # noqa: E402


def portrait_edition(path: Path) -> tuple[Path, dict]:
    """The reportlab portrait guide and its values in `html_variants.expected_values`' shape."""
    from variants import expected_section, sample_themes, write_portrait_guide

    title, themes = "Scanned Good Practices", sample_themes()[1]
    pdf = write_portrait_guide(path, title, themes)
    keys = {"about": "about", "resources": "resources", "evidence": "evidence", "difficulties": "challenges",
            "challenges": "challenges", "potential": "transfer"}
    countries = {"Sweden": "SE", "Austria": "AT", "Ireland": "IE"}
    practices = []
    for theme in themes:
        for card in theme.cards:
            fields = dict(card.fields)
            sections = {k: None for k in ("about", "resources", "evidence", "challenges", "transfer")}
            for heading, blocks in card.sections:
                sections[keys[heading.split()[0].lower()]] = expected_section(blocks)
            location = fields["Location:"][0]
            contact = fields["Contact:"]
            practices.append({
                "title": card.title, "summary": card.tagline, "theme": theme.number,
                "institution": fields["Main institution:"][0], "location": location,
                "country_code": countries[location.split(", ")[-1]],
                "contacts": [list(contact)], "websites": ["".join(fields["Website:"])] if "Website:" in fields else [],
                "period": fields["Start-end date:"][0], "period_parsed": None, "sections": sections,
                "budgets": None, "metrics": None,
            })
    return pdf, {"title": title, "themes": [[t.number, t.title] for t in themes], "practices": practices}


def wp_edition(path: Path, name: str) -> tuple[Path, dict]:
    """A word-processor guide (`tests/wp_guides.py`, python-docx exported by LibreOffice
    Writer) and the values it was written from (`wp_expected`: the shape of
    `html_variants.expected_values`)."""
    import shutil

    from wp_guides import STYLES, write_wp_guide

    final, expected, _ = write_wp_guide(path.with_suffix(""), STYLES[name])
    shutil.copyfile(final, path)
    return path, expected


def editions() -> dict:
    from wp_guides import STYLES

    out = {name: (lambda path, layout=layout: write_html_guide(path, layout)) for name, layout in LAYOUTS.items()}
    out["portrait"] = portrait_edition
    out.update({f"wp-{name}": (lambda path, name=name: wp_edition(path, name)) for name in STYLES})
    return out


def theme_pages(pdf: Path, expected: dict, theme: int, max_pages: int | None = None) -> tuple[list[int], dict]:
    """The pages from the cover to the end of `theme`'s last card (read from the text
    layer), and the expected values of that theme's practices; with `max_pages`, only as
    many of the theme's first cards as fit in that many pages. Values the edition does
    not state in advance (None) are taken from the text layer's reading."""
    from pipeline.run import extract_guide

    text = extract_guide(pdf, ocr="never")
    by_title = {p.title: p for p in text.practices}
    from html_variants import actual_values

    if theme == 0:  # the whole guide, as the issue's hidden scan is
        pages = list(range(1, 1 + max(page for p in text.practices for page in p.pages)))
        filled = [{k: (actual_values(by_title[p["title"]])[k] if v is None else v) for k, v in p.items()}
                  for p in expected["practices"]]
        return pages, {**expected, "practices": filled}
    wanted = [p for p in expected["practices"] if p["theme"] == theme]
    if max_pages:
        first = min(by_title[wanted[0]["title"]].pages)
        # theme 1 is scanned from the cover; a later theme gets the cover and its own pages
        limit = max_pages if theme == 1 else first + max_pages - 3
        fits = [p for p in wanted if max(by_title[p["title"]].pages) <= limit]
        wanted = fits or wanted[:1]
    last = max(page for p in wanted for page in by_title[p["title"]].pages)
    first_theme_page = min(min(by_title[p["title"]].pages) for p in wanted)
    pages = sorted({1, *range(max(2, first_theme_page - 1), last + 1)}) if theme > 1 else list(range(1, last + 1))
    filled = []
    for p in wanted:
        read = actual_values(by_title[p["title"]])
        filled.append({k: (read[k] if v is None else v) for k, v in p.items()})
    return pages, {**expected, "practices": filled}


def cell(pdf: Path, expected: dict, scan_name: str, folder: Path, theme: int, verbose: bool, max_pages: int | None = None) -> dict:
    from pipeline.errors import GuideError
    from pipeline.run import extract_guide

    pages, wanted = theme_pages(pdf, expected, theme, max_pages)
    scanned = scan_pdf(pdf, folder / f"{pdf.stem}-{scan_name}.pdf", pages=pages, scan=SCANS[scan_name])
    started = time.perf_counter()
    try:
        guide = extract_guide(scanned)
    except GuideError as error:  # no card found: a row of the table (0%), not the end of it
        print(f"   {pdf.stem} {scan_name}: {error}")
        return {"pages": len(pages), "seconds": time.perf_counter() - started, "core": 0.0, "values": 0.0, "sections": 0.0,
                "found": 0, "of": len(wanted["practices"]), "weak": ["no card found"]}
    seconds = time.perf_counter() - started
    result = edition_accuracy(guide, wanted)
    if verbose:
        for field, rows in result["misses"].items():
            for row in rows[:6]:
                print(f"   {field}: {str(row)[:300]}")
    return {"pages": len(pages), "seconds": seconds, "core": result["core_exact"], "values": result["values_exact"],
            "sections": result["sections_found"], "found": result["practices"], "of": len(wanted["practices"]),
            "weak": sorted(result["misses"])}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--editions", default=",".join(editions()))
    parser.add_argument("--scans", default=",".join(SCANS))
    parser.add_argument("--theme", type=int, default=1, help="the theme to scan; 0: the whole guide")
    parser.add_argument("--max-pages", type=int, help="scan only the theme's first cards that fit in this many pages")
    parser.add_argument("--keep", type=Path, help="keep the generated PDFs and scans here")
    parser.add_argument("--write", type=Path, help="append the table to this Markdown file")
    parser.add_argument("-v", action="store_true", help="print each miss")
    args = parser.parse_args(argv)
    makers = editions()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for edition in args.editions.split(","):
            pdf, expected = makers[edition](folder / f"{edition}.pdf")
            for scan in args.scans.split(","):
                result = cell(pdf, expected, scan, folder, args.theme, args.v, args.max_pages)
                rows.append((edition, scan, result))
                print(f"{edition:14} {scan:14} practices {result['found']}/{result['of']}  core {result['core']:6.1%}  "
                      f"values {result['values']:6.1%}  sections {result['sections']:6.1%}  {result['pages']} pages "
                      f"{result['seconds']:6.1f} s  misses: {' '.join(result['weak'])}", flush=True)
    table = ["| edition | scan | pages | practices | core | values | sections | s/page |", "|---|---|---|---|---|---|---|---|"]
    table += [f"| {e} | {s} | {r['pages']} | {r['found']}/{r['of']} | {r['core']:.1%} | {r['values']:.1%} | {r['sections']:.1%} | {r['seconds'] / r['pages']:.1f} |"
              for e, s, r in rows]
    print("\n".join(table))
    if args.write:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        with args.write.open("a", encoding="utf-8") as handle:
            pages = f", at most {args.max_pages} pages a cell" if args.max_pages else ""
            handle.write(f"\n### OCR table, {stamp} (theme {args.theme}{pages})\n\n" + "\n".join(table) + "\n")


if __name__ == "__main__":
    main()
