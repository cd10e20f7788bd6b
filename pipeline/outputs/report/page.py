"""The report page: header (source, SHA-256, date, tool version), a sticky bar with search
and filters, overview, warnings by code, coverage matrix, document checks, the practice
cards, the picture viewer, and the inlined script and style with the CSP that allows
exactly them."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections import Counter
from datetime import datetime, timezone
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from urllib.parse import quote

from pipeline.outputs.palette import COLOURS, SECTION_COLOUR
from pipeline.outputs.report.cards import Context, card, shown, swatch_class
from pipeline.outputs.report.codes import explain
from pipeline.outputs.report.safe import script_json, text
from pipeline.version import code_version
from schemas import Guide, Practice, Warning

FIELDS = (
    "title", "summary", "institution", "location", "contacts", "websites", "period",
    "sections.about", "sections.resources", "sections.evidence", "sections.challenges", "sections.transfer",
    "budgets", "metrics",
)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@cache
def _asset(name: str) -> str:
    return files("pipeline.outputs.report").joinpath("assets", name).read_text(encoding="utf-8")


def _css() -> str:
    swatches = "".join(f".c-{f}{{background:{c}}}" for f, c in COLOURS.items()) + f".c-sections{{background:{SECTION_COLOUR}}}"
    return _asset("report.css") + swatches + "\n"


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(style: str, script: str) -> str:
    return (f"default-src 'none'; img-src data:; style-src {_hash(style)}; script-src {_hash(script)}; "
            "base-uri 'none'; form-action 'none'")


def generated_at() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds: reruns give identical bytes), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


def tool_version() -> str:
    try:
        number = version("guide-extract")
    except PackageNotFoundError:
        number = "unknown"
    return f"guide-extract {number} (code {code_version()})"


def _field_value(practice: Practice, field: str):
    if field.startswith("sections."):
        return getattr(practice.sections, field.split(".", 1)[1])
    value = getattr(practice, field)
    return value.raw if field in ("location", "period") else value


def _state(practice: Practice, field: str) -> str:
    if not _field_value(practice, field):
        return "missing"
    return "warned" if any(w.field == field for w in practice.warnings) else "filled"


def named_practices(warning: Warning, ids: dict[str, int]) -> list[str]:
    """The practices a document warning names, by id in its message or its `practice`,
    in guide order."""
    named = set(_SLUG.findall(warning.message)) & ids.keys()
    if warning.practice in ids:
        named.add(warning.practice)
    return sorted(named, key=ids.__getitem__)


def codes_by_practice(guide: Guide) -> dict[str, set[str]]:
    """Warning codes concerning each practice: its own, and the document's that name it."""
    ids = {p.id: i for i, p in enumerate(guide.practices)}
    found = {p.id: {w.code for w in p.warnings} for p in guide.practices}
    for w in guide.warnings:
        for practice_id in named_practices(w, ids):
            found[practice_id].add(w.code)
    return found


class _Page:
    def __init__(self, guide: Guide, pictures: dict[int, dict]):
        self.guide = guide
        self.pictures = {int(k): v for k, v in pictures.items()}
        self.titles = {p.id: f"{p.number}. {p.title}" for p in guide.practices}
        self.order = {p.id: i for i, p in enumerate(guide.practices)}
        self.codes = codes_by_practice(guide)
        self.ctx = Context(pages=self.pictures, pdf_href=quote(guide.source.file), ocr_pages=set(guide.source.ocr_pages))

    def named(self, warning: Warning) -> list[str]:
        return named_practices(warning, self.order)

    def ref(self, practice_id: str | None) -> str:
        if practice_id in self.titles:
            return f'<a href="#p-{text(practice_id)}">{text(self.titles[practice_id])}</a>'
        return text(practice_id or "")

    def refs(self, ids) -> str:
        return ", ".join(self.ref(i) for i in ids) or "none"

    def header(self) -> str:
        g = self.guide
        ocr = f" · OCR pages {', '.join(map(str, g.source.ocr_pages))}" if g.source.ocr_pages else ""
        when = generated_at().strftime("%Y-%m-%d %H:%M UTC")
        return (
            f'<header id="top"><h1>{text(g.title or g.source.file)}</h1>'
            f'<p class="meta">{text(g.source.file)} · {g.source.pages} pages{ocr} · {len(g.practices)} practices in '
            f'{len(g.themes)} themes · schema {text(g.schema_version)}</p>'
            f'<p class="meta">SHA-256 <code class="sha">{text(g.source.sha256)}</code><br>'
            f'generated <time datetime="{generated_at().strftime("%Y-%m-%dT%H:%MZ")}">{when}</time> by {text(tool_version())}</p>'
            f'{self.document()}</header>'
        )

    def document(self) -> str:
        """What the document says about itself (Guide.metadata), where it was read: an
        analyst checks an author or a date here, not in any practice."""
        m = self.guide.metadata
        parts = [(name, value) for name, value in (
            ("authors", "; ".join(m.authors)), ("published", m.publication_date), ("version", m.version),
            ("licence", m.licence), ("type", m.document_type), ("keywords", ", ".join(m.keywords))) if value]
        if not parts:
            return ""
        pages = sorted({span.page for span in m.provenance})
        where = (f"printed on page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages))}, else the PDF's document information" if pages
                 else "from the PDF's document information")
        items = " · ".join(f"{name} <b>{text(value)}</b>" for name, value in parts)
        return f'<p class="meta document">Document: {items} ({where})</p>'

    def bar(self) -> str:
        themes = "".join(f'<option value="{t.number}">{t.number}. {text(t.title)}</option>' for t in self.guide.themes)
        countries = sorted({(p.location.country or p.location.country_code, p.location.country_code)
                            for p in self.guide.practices if p.location.country_code})
        country_options = "".join(f'<option value="{text(code)}">{text(name)}</option>' for name, code in countries)
        all_codes = sorted({c for codes in self.codes.values() for c in codes})
        code_options = "".join(f'<option value="{text(c)}">{text(c)}</option>' for c in all_codes)
        return (
            '<nav class="bar" aria-label="report"><div class="links"><a href="#top">top</a> <a href="#overview">overview</a> '
            '<a href="#warnings">warnings</a> <a href="#coverage">coverage</a> <a href="#checks">checks</a> '
            '<a href="#practices">practices</a></div><div class="filters">'
            '<input id="q" type="search" placeholder="search titles, institutions, countries, text" aria-label="search">'
            f'<select id="f-theme" aria-label="theme"><option value="">every theme</option>{themes}</select>'
            f'<select id="f-country" aria-label="country"><option value="">every country</option>{country_options}</select>'
            f'<select id="f-code" aria-label="warning"><option value="">any warning</option>{code_options}</select>'
            '<label><input id="f-corrected" type="checkbox"> has corrections</label>'
            '<button type="button" id="f-reset">clear</button>'
            f'<span id="count" aria-live="polite">{len(self.guide.practices)} of {len(self.guide.practices)} practices</span>'
            "</div></nav>"
        )

    def overview(self) -> str:
        per_theme = Counter(p.theme.number if p.theme else None for p in self.guide.practices)
        rows = "".join(
            f"<tr><td>{t.number}</td><td>{text(t.title)}</td><td>{per_theme.get(t.number, 0)}</td></tr>" for t in self.guide.themes
        )
        if per_theme.get(None):
            rows += f"<tr><td>—</td><td>no theme</td><td>{per_theme[None]}</td></tr>"
        corrected = sum(len(p.corrections) for p in self.guide.practices)
        return (
            '<section id="overview"><h2>Overview</h2><table><tr><th>Theme</th><th>Title</th><th>Practices</th></tr>'
            f"{rows}</table><p class=\"meta\">{corrected} values corrected in {sum(1 for p in self.guide.practices if p.corrections)} practices</p></section>"
        )

    def warnings(self) -> str:
        counts = Counter(w.code for p in self.guide.practices for w in p.warnings) + Counter(w.code for w in self.guide.warnings)
        rows = []
        for code in sorted(counts):
            ids = [p.id for p in self.guide.practices if code in self.codes[p.id]]
            first = next((w.message for p in self.guide.practices for w in p.warnings if w.code == code), None) or next(
                (w.message for w in self.guide.warnings if w.code == code), "")
            meaning = explain(code) or f"e.g. {first}"
            show = f'<button type="button" class="only" data-code="{text(code)}">show only these</button>' if ids else ""
            rows.append(
                f'<tr id="code-{text(code)}"><td><code>{text(code)}</code></td><td>{counts[code]}</td><td>{text(meaning)}</td>'
                f'<td class="refs">{self.refs(ids)}</td><td>{show}</td></tr>'
            )
        body = "".join(rows) or '<tr><td colspan="5">none</td></tr>'
        return ('<section id="warnings"><h2>Warnings by code</h2><table class="codes"><tr><th>code</th><th>count</th>'
                f'<th>what it means</th><th>practices</th><th></th></tr>{body}</table></section>')

    def coverage(self) -> str:
        head = "".join(f'<th class="rot"><span class="swatch {swatch_class(f)}"></span>{text(f)}</th>' for f in FIELDS)
        marks = {"filled": "✓", "missing": "–", "warned": "!"}
        rows = []
        for p in self.guide.practices:
            cells = "".join(f'<td class="{_state(p, f)}" title="{text(f)}">{marks[_state(p, f)]}</td>' for f in FIELDS)
            rows.append(f'<tr data-id="{text(p.id)}"><td class="name">{self.ref(p.id)}</td>{cells}</tr>')
        return ('<section id="coverage"><h2>Field coverage</h2><p class="meta">✓ filled, – missing, ! read with a warning</p>'
                f'<table class="matrix"><tr><th>Practice</th>{head}</tr>{"".join(rows)}</table></section>')

    def checks(self) -> str:
        c = self.guide.checks
        dups = "".join(
            f"<li>{text(d.field)} ({'exact' if d.exact else 'near'} copy): {self.refs(d.practices)} — “{text(d.opening)} …”</li>"
            for d in c.duplicate_texts
        ) or "<li>none</li>"
        emails = "".join(f"<li>{text(e)}: {len(ids)} practices: {self.refs(ids)}</li>" for e, ids in c.shared_emails.items()) or "<li>none</li>"
        links = "".join(f"<li>{self.ref(w.practice)}: {text(w.message)}</li>" for w in c.suspicious_links) or "<li>none</li>"
        missing = "".join(f"<li>no {text(k)}: {self.refs(v)}</li>" for k, v in c.missing.items())
        doc = "".join(
            f'<li><a class="code" href="#code-{text(w.code)}">{text(w.code)}</a>: {text(w.message)}'
            f'{" — " + self.refs(self.named(w)) if self.named(w) else ""}</li>'
            for w in self.guide.warnings
        ) or "<li>none</li>"
        return (
            '<section id="checks"><h2>Document checks</h2>'
            '<table><tr><th></th><th>stated in the guide</th><th>found</th></tr>'
            f"<tr><td>practices</td><td>{shown(c.stated_practices)}</td><td>{c.found_practices}</td></tr>"
            f"<tr><td>themes</td><td>{shown(c.stated_themes)}</td><td>{c.found_themes}</td></tr></table>"
            f"<h3>Text shared between practices</h3><ul>{dups}</ul>"
            f"<h3>Contact e-mails shared by several practices</h3><ul>{emails}</ul>"
            f"<h3>Link annotations that differ from the printed URL or contain spaces</h3><ul>{links}</ul>"
            f"<h3>Practices missing a website, dates or budget</h3><ul>{missing}</ul>"
            f'<h3>All document warnings</h3><ul class="warn">{doc}</ul></section>'
        )

    def practices(self) -> str:
        cards = "".join(card(p, sorted(self.codes[p.id]), self.ctx) for p in self.guide.practices)
        return f'<section id="practices"><h2>Practices</h2><p id="none" class="meta" hidden>No practice matches.</p>{cards}</section>'

    def data(self) -> str:
        return script_json({
            "pdf": self.ctx.pdf_href,
            "pages": {str(n): {"w": p["width"], "h": p["height"], "png": p["png"]} for n, p in sorted(self.pictures.items())},
        })


_VIEWER = (
    '<div id="viewer" hidden role="dialog" aria-label="page picture"><div class="vbar"><span id="v-title"></span>'
    '<a id="v-pdf" href="#">open this page in the PDF</a><button type="button" id="v-fit">fit to window</button>'
    '<button type="button" id="v-close">close (Esc)</button></div><div id="v-stage"><div id="v-sheet">'
    '<img id="v-img" alt=""><div id="v-box"></div></div></div></div>'
    '<div id="copied" hidden><p id="copied-note"></p><textarea id="copied-text" rows="8" readonly></textarea>'
    '<button type="button" id="copied-close">close</button></div>'
)


def render_report(guide: Guide, pictures: dict[int, dict]) -> str:
    """`pictures` is page_pictures' page -> {"width", "height", "png"}."""
    page = _Page(guide, pictures)
    style, script = _css(), _asset("report.js")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp(style, script)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(guide.title or guide.source.file)} — extraction report</title><style>{style}</style></head>\n<body>"
        f"{page.header()}{page.bar()}<main>{page.overview()}{page.warnings()}{page.coverage()}{page.checks()}{page.practices()}</main>"
        f'{_VIEWER}<script type="application/json" id="report-data">{page.data()}</script>'
        f"<script>{script}</script></body></html>\n"
    )
