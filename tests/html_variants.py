"""Editions of the sample guide's content typeset by a web browser, with known values.

The content (titles, fact-box values, sections, themes) is taken from the committed,
hand-checked result of the sample guide; only the typesetting changes: HTML and CSS in a
flowing layout (a card starts wherever the previous one ends), printed to PDF by headless
Chromium. Each `Layout` switches one aspect of the typesetting (fact box as a grid, a
sidebar, a panel or a table; theme headings as a band, a numbered heading or a divider
page; the Interreg form's wording with one label nobody listed; no bold anywhere), so the
extractor's generality is measured against values it must find, field by field.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "output" / "smarty-good-practice-guide" / "guide.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"

# Interreg Europe good-practice form wording; the website carries a label that is in no
# vocabulary, so it must be recognised by its value.
INTERREG_LABELS = {
    "institution": "Main institution involved",
    "location": "Location of the practice",
    "contact": "Contact person",
    "website": "Web presence",
    "period": "Timescale (start/end date)",
}
SAMPLE_LABELS = {
    "institution": "Main institution",
    "location": "Location",
    "contact": "Contact",
    "website": "Website",
    "period": "Start-end date",
}
INTERREG_HEADINGS = {
    "about": "Detailed description",
    "resources": "Resources needed",
    "evidence": "Evidence of success (results achieved)",
    "challenges": "Difficulties encountered / lessons learned",
    "transfer": "Potential for learning or transfer",
}
SAMPLE_HEADINGS = {
    "about": "About this good practice",
    "resources": "Resources needed",
    "evidence": "Evidence of success",
    "challenges": "Challenges encountered",
    "transfer": "Potential for learning or transfer",
}
UNKNOWN_LABELS = {"website": "Web presence"}


@dataclass(frozen=True)
class Layout:
    name: str = "flow-grid"
    factbox: str = "grid2"  # grid2 | grid3 | sidebar | panel | table
    value_inline: bool = False  # value on the label's line instead of under it
    bold: bool = True
    theme: str = "band"  # band | numbered | divider | kicker
    wording: str = "interreg"  # interreg | sample
    figure: bool = True
    dark_panel: bool = True
    columns: int = 1  # body text columns
    foot_start: int | None = None  # index of a card pushed to start at a page's foot
    labels: tuple[tuple[str, str], ...] = ()  # (field, printed label) replacing the wording
    caps_labels: bool = False  # labels in small capitals, coloured, regular weight, no colon
    page_columns: int = 1  # the whole document flows in this many columns
    browser_furniture: bool = False  # the browser's own header and footer (date, title, page)
    chapters: bool = False  # numbered chapters before the themes and after the last card
    disc_bullets: bool = False  # the browser's own list discs (drawn shapes, not characters)
    modest_titles: bool = False  # card titles only a little larger than the text, a kicker over each


LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout(),
        Layout(name="grid3-inline", factbox="grid3", value_inline=True, theme="numbered"),
        Layout(name="sidebar", factbox="sidebar", dark_panel=False, theme="divider", wording="sample", disc_bullets=True),
        Layout(name="panel-columns", factbox="panel", columns=2, figure=False),
        Layout(name="table", factbox="table", dark_panel=False, theme="numbered", foot_start=3, chapters=True),
        Layout(name="no-bold", bold=False, theme="kicker"),
        Layout(name="modest-titles", modest_titles=True, factbox="grid3"),
        Layout(
            name="columns-caps", factbox="panel", caps_labels=True, page_columns=2, browser_furniture=True,
            theme="numbered", disc_bullets=True,
        ),
    )
}


def sample_content() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _blocks_html(text: str | None) -> str:
    """A section's text as HTML: '\\n\\n' paragraphs, '\\n' line breaks, '- ' bullets."""
    if not text:
        return ""
    out = []
    for para in text.split("\n\n"):
        items: list[str] = []
        for line in para.split("\n"):
            if line.startswith("- "):
                items.append(f"<li>{_esc(line[2:])}</li>")
                continue
            if items:
                out.append(f"<ul>{''.join(items)}</ul>")
                items = []
            out.append(f'<div class="ln">{_esc(line)}</div>')
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
        out.append('<div class="gap"></div>')
    return "".join(out[:-1])


def _fact_values(practice: dict) -> dict[str, list[str]]:
    contacts = []
    for c in practice["contacts"]:
        contacts.extend(v for v in (c["name"], c["organisation"], c["email"]) if v)
    period = practice["period"]["raw"]
    values = {
        "institution": [practice["institution"]] if practice["institution"] else [],
        "location": [practice["location"]["raw"]] if practice["location"]["raw"] else [],
        "contact": contacts,
        "period": [period.split(": ", 1)[-1]] if period else [],
        "website": list(practice["websites"]),
    }
    return {k: v for k, v in values.items() if v}


def _fact_cell(layout: Layout, label: str, values: list[str]) -> str:
    lab = f'<span class="lab">{_esc(label)}{"" if layout.caps_labels else ":"}</span>'
    vals = "".join(f'<div class="val">{_esc(v)}</div>' for v in values)
    if layout.value_inline:
        first, *rest = values
        vals = f' <span class="val">{_esc(first)}</span>' + "".join(f'<div class="val">{_esc(v)}</div>' for v in rest)
        return f'<div class="cell">{lab}{vals}</div>'
    return f'<div class="cell"><div>{lab}</div>{vals}</div>'


def _factbox(layout: Layout, practice: dict) -> str:
    labels = {**(INTERREG_LABELS if layout.wording == "interreg" else SAMPLE_LABELS), **dict(layout.labels)}
    order = ("institution", "location", "contact", "period", "website")
    facts = _fact_values(practice)
    present = [k for k in order if k in facts]
    if layout.factbox == "table":
        rows = "".join(
            f'<tr><td class="lab">{_esc(labels[k])}:</td><td>{"".join(f"<div>{_esc(v)}</div>" for v in facts[k])}</td></tr>'
            for k in present
        )
        return f'<table class="facts">{rows}</table>'
    cells = "".join(_fact_cell(layout, labels[k], facts[k]) for k in present)
    return f'<div class="facts {layout.factbox}">{cells}</div>'


def _figure(number: int) -> str:
    return (
        '<div class="figure"><div class="pic"></div>'
        f'<div class="credit">Photo {number}: © Studio Example {number}, all rights reserved</div></div>'
    )


def _card(layout: Layout, practice: dict, index: int) -> str:
    headings = INTERREG_HEADINGS if layout.wording == "interreg" else SAMPLE_HEADINGS
    parts = [f'<h2 class="title">{_esc(practice["title"])}</h2>']
    if layout.modest_titles:
        parts.insert(0, f'<div class="cardkicker">Good practice {index + 1}</div>')
    if practice["summary"]:
        parts.append(f'<div class="tagline">{_esc(practice["summary"])}</div>')
    box = _factbox(layout, practice)
    body = []
    for key in ("about", "resources", "evidence", "challenges", "transfer"):
        text = practice["sections"][key]
        if text:
            body.append(f'<h3 class="head">{_esc(headings[key])}</h3><div class="sec">{_blocks_html(text)}</div>')
    figure = _figure(index + 1) if layout.figure else ""
    text = f'<div class="body">{"".join(body)}</div>'
    if layout.factbox == "sidebar":
        parts.append(f'<div class="sidewrap"><div class="side">{box}</div><div class="main">{figure}{text}</div></div>')
    else:
        parts.append(box + figure + text)
    push = ' style="break-before: page; margin-top: 225mm"' if layout.foot_start == index else ""
    return f'<section class="card"{push}>{"".join(parts)}</section>'


def _theme(layout: Layout, theme: dict) -> str:
    title = _esc(theme["title"])
    intro = _blocks_html(theme["intro"])
    if layout.theme == "band":
        head = f'<div class="band"><span class="num">{theme["number"]}</span><span class="btitle">{title}</span></div>'
    elif layout.theme == "numbered":
        head = f'<h1 class="numbered">{theme["number"]}. {title}</h1>'
    elif layout.theme == "kicker":
        head = f'<div class="kicker">Theme {theme["number"]}</div><h1 class="ktitle">{title}</h1>'
    else:
        head = f'<div class="divider"><div class="bignum">{theme["number"]}</div><div class="dtitle">{title}</div></div>'
    return f'<div class="theme{" divpage" if layout.theme == "divider" else ""}">{head}<div class="intro">{intro}</div></div>'


_CSS = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm; }
body { font-family: 'Liberation Sans', sans-serif; font-size: 9.5pt; line-height: 1.3; color: #222; margin: 0; }
.cover h1 { font-size: 28pt; margin: 60mm 0 10mm 0; }
.cover p { font-size: 10pt; }
.cover { break-after: page; }
.band { background: #0b4f6c; color: #fff; padding: 4mm 5mm; margin: 8mm 0 4mm 0; break-after: avoid; }
.band .num { font-size: 26pt; font-weight: 700; margin-right: 5mm; vertical-align: middle; }
.band .btitle { font-size: 15pt; font-weight: 700; vertical-align: middle; }
.kicker { font-size: 9pt; text-transform: uppercase; letter-spacing: 1pt; color: #b04a1c; margin-top: 10mm; }
h1.ktitle { font-size: 19pt; margin: 1mm 0 4mm 0; break-after: avoid; }
h1.numbered { font-size: 20pt; color: #0b4f6c; margin: 10mm 0 4mm 0; }
.divpage { break-before: page; break-after: page; }
.divider .bignum { font-size: 60pt; font-weight: 700; color: #0b4f6c; margin-top: 40mm; }
.divider .dtitle { font-size: 16pt; font-weight: 700; margin-bottom: 6mm; }
.intro { margin-bottom: 6mm; }
.card { margin-top: 9mm; }
h2.title { font-size: 16pt; margin: 0 0 2mm 0; color: #0b4f6c; break-after: avoid; }
.tagline { font-style: italic; font-size: 11pt; margin-bottom: 3mm; break-after: avoid; }
.facts { padding: 3mm 4mm; margin-bottom: 3mm; font-size: 9pt; break-inside: avoid; }
.dark .facts { background: #1d3447; color: #fff; }
.light .facts { background: #e8eef2; color: #222; }
.facts.grid2 { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8mm; row-gap: 2.5mm; }
.facts.grid3 { display: grid; grid-template-columns: 1fr 1fr 1fr; column-gap: 7mm; row-gap: 2.5mm; }
.facts.panel .cell { margin-bottom: 2mm; }
.facts .val { overflow-wrap: anywhere; }
table.facts { border-collapse: collapse; width: 100%; }
table.facts td { vertical-align: top; padding: 1mm 2mm; }
table.facts td.lab { width: 45mm; }
.lab { font-weight: 700; }
.sidewrap { display: flex; gap: 7mm; }
.side { width: 55mm; flex: none; }
.main { flex: 1; }
.figure { margin: 2mm 0 4mm 0; break-inside: avoid; }
.figure .pic { height: 22mm; width: 60mm; background: #9bb7c9; }
.figure .credit { font-size: 6.5pt; font-style: italic; color: #555; margin-top: 1mm; }
h3.head { font-size: 11pt; margin: 3.5mm 0 1.2mm 0; color: #0b4f6c; break-after: avoid; }
.body.cols { column-count: 2; column-gap: 8mm; }
.gap { height: 2.2mm; }
ul { margin: 0; padding-left: 6mm; list-style: none; }
li { text-indent: -3.5mm; }
li::before { content: "•"; display: inline-block; width: 3.5mm; text-indent: 0; }
.nobold * { font-weight: 400 !important; }
.modest { font-size: 10.5pt; }
.modest h2.title { font-size: 13pt; margin-top: 0; }
.modest .cardkicker { font-size: 8pt; text-transform: uppercase; color: #b04a1c; margin-bottom: 0.5mm; break-after: avoid; }
.modest h3.head { font-size: 11pt; }
.discs ul { list-style: disc; padding-left: 5mm; }
.discs li { text-indent: 0; }
.discs li::before { content: none; }
.caps .lab { font-weight: 400; text-transform: uppercase; font-size: 7.5pt; color: #f2b632; letter-spacing: 0.3pt; }
.light.caps .lab { color: #0b7a8c; }
.pagecols .flow { column-count: 2; column-gap: 7mm; }
.pagecols .facts.grid2 { grid-template-columns: 1fr; }
.nobold .lab { color: #0b7a8c; text-transform: none; }
"""


def guide_html(layout: Layout, content: dict) -> str:
    classes = ["dark" if layout.dark_panel else "light"] + ([] if layout.bold else ["nobold"])
    classes += (["modest"] if layout.modest_titles else []) + (["discs"] if layout.disc_bullets else []) + (["caps"] if layout.caps_labels else []) + (["pagecols"] if layout.page_columns == 2 else [])
    out = [
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_esc(content["title"])}</title>'
        f"<style>{_CSS}</style></head><body class=\"{' '.join(classes)}\">",
        f'<div class="cover"><h1>{_esc(content["title"])}</h1>'
        "<p>This edition collects the good practices of the project partners, grouped by "
        "theme, as a web page printed to PDF.</p></div>",
    ]
    by_theme: dict[int, list[tuple[int, dict]]] = {}
    for i, practice in enumerate(content["practices"]):
        by_theme.setdefault(practice["theme"]["number"], []).append((i, practice))
    for theme in content["themes"]:
        out.append(_theme(layout, theme))
        for i, practice in by_theme.get(theme["number"], []):
            card = _card(layout, practice, i)
            if layout.columns == 2:
                card = card.replace('class="body"', 'class="body cols"')
            out.append(card)
    if layout.chapters:
        out.insert(2, '<h1 class="numbered">1. Introduction</h1><div class="intro">The partners met four times to '
                   'exchange their experience. This guide collects what they learnt, theme by theme.</div>')
        out.append('<h1 class="numbered">5. Conclusions and next steps</h1><div class="intro">The partners will '
                   'keep exchanging; contact the lead partner at lead@partnership.example for more.</div>')
    out.insert(2, '<div class="flow">')
    out.append("</div></body></html>")
    return "".join(out)


# The browser's header prints the date and time of printing: under libfaketime (Debian's
# `faketime`, installed by scripts/test) every print says the same, else the minute's.
_FIXED_CLOCK = [shutil.which("faketime"), "-f", "@2026-03-02 10:15:00"]


def _page_folder(html_text: str, tmp: str) -> Path:
    """Where the page is printed from. The browser's footer prints the page's address: from
    a new temporary folder each time, every print of an edition differed in those pixels,
    and a speckled scan of it was read differently from run to run (Tesseract's page-wide
    analysis sees the whole page). So the address is the same for the same page: a folder
    named by its text, in a folder of this user's only (else the temporary one)."""
    mine = Path(tempfile.gettempdir()) / f"guide-extract-editions-{os.getuid()}"
    try:
        mine.mkdir(mode=0o700, exist_ok=True)
        held = mine.lstat()
        if held.st_uid != os.getuid() or not mine.is_dir() or mine.is_symlink() or held.st_mode & 0o077:
            return Path(tmp)
    except OSError:
        return Path(tmp)
    folder = mine / hashlib.sha256(html_text.encode("utf-8")).hexdigest()[:16]
    folder.mkdir(exist_ok=True)
    return folder


def print_pdf(html_text: str, out: Path, furniture: bool = False) -> Path:
    """Headless Chromium prints the page to `out` (offline, no profile left behind)."""
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        page = (_page_folder(html_text, tmp) if furniture else Path(tmp)) / "guide.html"
        written = Path(tmp) / "page.html"  # then moved into place whole: another print may read it
        written.write_text(html_text, encoding="utf-8")
        os.replace(written, page)
        subprocess.run(
            [
                *(_FIXED_CLOCK if furniture and _FIXED_CLOCK[0] else []), CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp}/profile", *([] if furniture else ["--no-pdf-header-footer"]), f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return out


def write_html_guide(out: Path, layout: Layout = Layout(), content: dict | None = None) -> tuple[Path, dict]:
    content = content or sample_content()
    return print_pdf(guide_html(layout, content), out, layout.browser_furniture), expected_values(layout, content)


def expected_values(layout: Layout, content: dict) -> dict:
    """What the extractor must read back: the content the HTML was built from."""
    practices = []
    for p in content["practices"]:
        period = p["period"]["raw"]
        practices.append(
            {
                "title": p["title"],
                "summary": p["summary"],
                "theme": p["theme"]["number"],
                "institution": p["institution"],
                "location": p["location"]["raw"],
                "country_code": p["location"]["country_code"],
                "contacts": [[c["name"], c["organisation"], c["email"]] for c in p["contacts"]],
                "websites": p["websites"],
                "period": period.split(": ", 1)[-1] if period else None,
                "period_parsed": [p["period"]["start"], p["period"]["end"], p["period"]["ongoing"]],
                "sections": p["sections"],
                "budgets": [[m["raw"], m["amount"], m["currency"], m["role"]] for m in p["budgets"]],
                "metrics": [[m["value"], m["unit"], m["qualifier"]] for m in p["metrics"]],
            }
        )
    unknown = {UNKNOWN_LABELS[k] for k in UNKNOWN_LABELS} if layout.wording == "interreg" else set()
    return {
        "title": content["title"],
        "themes": [[t["number"], t["title"]] for t in content["themes"]],
        "intros": [t["intro"] for t in content["themes"]],
        "practices": practices,
        "unknown_labels": sorted(unknown),
    }


CORE = ("title", "theme", "institution", "location", "country_code", "contacts", "websites", "period_parsed",
        "about", "resources", "evidence", "challenges", "transfer")
VALUES = ("budgets", "metrics")


def _flat(text):
    return " ".join(text.split()) if isinstance(text, str) else text


def actual_values(practice) -> dict:
    return {
        "title": practice.title,
        "summary": practice.summary,
        "theme": practice.theme.number if practice.theme else None,
        "institution": practice.institution,
        "location": practice.location.raw,
        "country_code": practice.location.country_code,
        "contacts": [[c.name, c.organisation, c.email] for c in practice.contacts],
        "websites": practice.websites,
        "period": practice.period.raw,
        "period_parsed": [practice.period.start, practice.period.end, practice.period.ongoing],
        "sections": practice.sections.model_dump(),
        "budgets": [[m.raw, m.amount, m.currency, m.role] for m in practice.budgets],
        "metrics": [[m.value, m.unit, m.qualifier] for m in practice.metrics],
    }


def compare(guide, expected: dict) -> dict[str, list]:
    """Field -> list of (practice index, expected, found) mismatches; practices are
    matched by title so that a merged or split card costs only its own fields."""
    found = {p.title: actual_values(p) for p in guide.practices}
    misses: dict[str, list] = {f: [] for f in CORE + VALUES}
    for i, exp in enumerate(expected["practices"]):
        act = found.get(exp["title"])
        for f in CORE + VALUES:
            if f in ("about", "resources", "evidence", "challenges", "transfer"):
                want = _flat(exp["sections"][f])
                got = _flat(act["sections"][f]) if act else "<no card>"
            else:
                want = exp[f]
                got = act[f] if act else "<no card>"
            if want != got:
                misses[f].append((i, want, got))
    return misses


def score(guide, expected: dict) -> dict[str, float]:
    misses = compare(guide, expected)
    n = len(expected["practices"])
    per_field = {f: 1 - len(m) / n for f, m in misses.items()}
    per_field["core"] = sum(per_field[f] for f in CORE) / len(CORE)
    per_field["values"] = sum(per_field[f] for f in VALUES) / len(VALUES)
    return per_field


def main(argv: list[str] | None = None) -> None:
    """python tests/html_variants.py [LAYOUT ...] [--keep DIR] [-v]: print proxy scores."""
    import argparse
    import sys

    sys.path.insert(0, str(ROOT))
    from pipeline.run import extract_guide

    parser = argparse.ArgumentParser()
    parser.add_argument("layouts", nargs="*", default=list(LAYOUTS))
    parser.add_argument("--keep", type=Path)
    parser.add_argument("-v", action="store_true")
    parser.add_argument("-n", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.layouts:
            layout = LAYOUTS[name]
            pdf, expected = write_html_guide(folder / f"{name}.pdf", layout)
            try:
                guide = extract_guide(pdf)
            except Exception as error:  # the score of a refused guide is zero
                print(f"{name}: {error}")
                continue
            scores = score(guide, expected)
            print(f"{name}: practices {len(guide.practices)}/{len(expected['practices'])} "
                  f"themes {[t.number for t in guide.themes]} core {scores['core']:.1%} values {scores['values']:.1%}")
            print("   " + " ".join(f"{f}={scores[f]:.0%}" for f in CORE + VALUES))
            if args.v:
                for field, rows in compare(guide, expected).items():
                    for i, want, got in rows[:args.n]:
                        want, got = str(want), str(got)
                        at = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
                        at = max(0, at - 60)
                        print(f"   {field}[{i}]@{at}: want {want[at:at + 160]!r}\n   {' ' * len(field)}          got  {got[at:at + 160]!r}")


if __name__ == "__main__":
    main()


__all__ = ["Layout", "LAYOUTS", "write_html_guide", "score", "compare", "replace"]
