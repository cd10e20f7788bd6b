"""The audit report: one self-contained HTML page (no script, font or style from outside)
for a policy analyst to check every value against the page it came from."""

from __future__ import annotations

from collections import Counter
from html import escape

from pipeline.outputs.pictures import colour
from schemas import Guide, Practice

FIELDS = (
    "title", "summary", "institution", "location", "contacts", "websites", "period",
    "sections.about", "sections.resources", "sections.evidence", "sections.challenges", "sections.transfer",
    "budgets", "metrics",
)
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header,main{max-width:1200px;margin:auto;padding:0 20px}header{padding-top:20px}
h1{margin:.2em 0}h2{margin-top:1.6em;border-bottom:2px solid #dde2ea;padding-bottom:.2em}
table{border-collapse:collapse;background:#fff;margin:.5em 0}td,th{border:1px solid #dde2ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}.matrix td{text-align:center;padding:2px 4px;font-size:12px}.matrix th.rot{writing-mode:vertical-rl;transform:rotate(180deg);font-size:11px}
.filled{background:#cfe9d4}.missing{background:#eceff3;color:#8a93a3}.warned{background:#ffe2a8}
.card{background:#fff;border:1px solid #dde2ea;border-radius:6px;padding:12px 18px;margin:18px 0}
.card h3{margin:.2em 0}.meta{color:#5b6474}.warn{color:#8a4b00}.warn li{margin:.1em 0}
.fields td:first-child{white-space:nowrap;font-weight:600}.swatch{display:inline-block;width:10px;height:10px;margin-right:6px;border:1px solid #0003}
pre{white-space:pre-wrap;margin:0;font:inherit}.pages img{max-width:100%;border:1px solid #dde2ea;margin:6px 0}
.prov{font-size:12px;color:#5b6474}details summary{cursor:pointer;color:#1f4e9a}
"""


def _field_value(practice: Practice, field: str):
    if field.startswith("sections."):
        return getattr(practice.sections, field.split(".", 1)[1])
    return getattr(practice, field)


def _state(practice: Practice, field: str) -> str:
    value = _field_value(practice, field)
    if field in ("location", "period"):
        value = value.raw
    if not value:
        return "missing"
    return "warned" if any(w.field == field for w in practice.warnings) else "filled"


def _text(value) -> str:
    return escape(str(value)) if value is not None else '<span class="missing">—</span>'


def _overview(guide: Guide) -> str:
    per_theme = Counter(p.theme.number if p.theme else None for p in guide.practices)
    rows = "".join(
        f"<tr><td>{t.number}</td><td>{escape(t.title)}</td><td>{per_theme.get(t.number, 0)}</td></tr>" for t in guide.themes
    )
    if per_theme.get(None):
        rows += f"<tr><td>—</td><td>no theme</td><td>{per_theme[None]}</td></tr>"
    codes = Counter(w.code for p in guide.practices for w in p.warnings) + Counter(w.code for w in guide.warnings)
    code_rows = "".join(f"<tr><td>{escape(c)}</td><td>{n}</td></tr>" for c, n in sorted(codes.items()))
    head = "".join(f'<th class="rot">{escape(f)}</th>' for f in FIELDS)
    matrix = ""
    for p in guide.practices:
        cells = "".join(f'<td class="{_state(p, f)}" title="{escape(f)}">{ {"filled": "✓", "missing": "–", "warned": "!"}[_state(p, f)] }</td>' for f in FIELDS)
        matrix += f'<tr><td style="text-align:left"><a href="#p-{p.id}">{p.number}. {escape(p.title[:60])}</a></td>{cells}</tr>'
    return f"""
<section id="overview"><h2>Overview</h2>
<table><tr><th>Theme</th><th>Title</th><th>Practices</th></tr>{rows}</table>
<h3>Warnings by code</h3><table><tr><th>Code</th><th>Count</th></tr>{code_rows}</table>
<h3>Field coverage</h3><p class="meta">✓ filled, – missing, ! read with a warning</p>
<table class="matrix"><tr><th>Practice</th>{head}</tr>{matrix}</table></section>"""


def _checks(guide: Guide) -> str:
    c = guide.checks
    dups = "".join(
        f"<li>{escape(d.field)} ({'exact' if d.exact else 'near'}): {', '.join(escape(i) for i in d.practices)} — “{escape(d.opening)} …”</li>"
        for d in c.duplicate_texts
    ) or "<li>none</li>"
    emails = "".join(f"<li>{escape(e)}: {len(ids)} practices ({', '.join(escape(i) for i in ids)})</li>" for e, ids in c.shared_emails.items()) or "<li>none</li>"
    links = "".join(f"<li>{escape(w.practice or '')}: {escape(w.message)}</li>" for w in c.suspicious_links) or "<li>none</li>"
    missing = "".join(f"<li>no {escape(k)}: {', '.join(escape(i) for i in v) or 'none'}</li>" for k, v in c.missing.items())
    doc_warnings = "".join(f"<li><b>{escape(w.code)}</b>: {escape(w.message)}</li>" for w in guide.warnings) or "<li>none</li>"
    return f"""
<section id="checks"><h2>Document checks</h2>
<table><tr><th></th><th>stated in the guide</th><th>found</th></tr>
<tr><td>practices</td><td>{_text(c.stated_practices)}</td><td>{c.found_practices}</td></tr>
<tr><td>themes</td><td>{_text(c.stated_themes)}</td><td>{c.found_themes}</td></tr></table>
<h3>Text shared between practices</h3><ul>{dups}</ul>
<h3>Contact e-mails shared by several practices</h3><ul>{emails}</ul>
<h3>Link annotations that differ from the printed URL or contain spaces</h3><ul>{links}</ul>
<h3>Practices missing a website, dates or budget</h3><ul>{missing}</ul>
<h3>All document warnings</h3><ul class="warn">{doc_warnings}</ul></section>"""


def _prov(practice: Practice, field: str) -> str:
    spans = practice.provenance.get(field, [])
    return "<br>".join(f"p. {s.page} [{', '.join(f'{v:.0f}' for v in s.bbox)}]" for s in spans) or "—"


def _card(practice: Practice, pictures: list[tuple[int, str]]) -> str:
    rows = []
    loc = practice.location
    values = {
        "title": escape(practice.title),
        "summary": _text(practice.summary),
        "institution": _text(practice.institution),
        "location": f"{_text(loc.raw)}<br><span class='meta'>→ {_text(loc.country)} ({_text(loc.country_code)})</span>",
        "contacts": "<br>".join(escape(" · ".join(filter(None, [c.name, c.organisation, c.email]))) for c in practice.contacts) or _text(None),
        "websites": "<br>".join(f'<a href="{escape(u)}">{escape(u)}</a>' for u in practice.websites) or _text(None),
        "period": f"{_text(practice.period.raw)}<br><span class='meta'>start {_text(practice.period.start)}, end {_text(practice.period.end)}{', ongoing' if practice.period.ongoing else ''}</span>",
    }
    for key in ("about", "resources", "evidence", "challenges", "transfer"):
        text = getattr(practice.sections, key)
        values[f"sections.{key}"] = f"<details><summary>{len(text.split())} words</summary><pre>{escape(text)}</pre></details>" if text else _text(None)
    for field, html in values.items():
        swatch = f'<span class="swatch" style="background:{colour(field)}"></span>'
        rows.append(f"<tr><td>{swatch}{escape(field)}</td><td>{html}</td><td class='prov'>{_prov(practice, field)}</td></tr>")
    budgets = "".join(
        f"<tr><td>{escape(m.raw)}</td><td>{_text(None if m.amount is None else f'{m.amount:,.2f}')}</td><td>{escape(m.currency or '')}</td>"
        f"<td>{_text(m.role)}</td><td>{_text(m.qualifier)}</td><td class='prov'>{_prov(practice, f'budgets[{i}]')}</td></tr>"
        for i, m in enumerate(practice.budgets)
    )
    metrics = "".join(
        f"<tr><td>{m.value:g}{'/' + format(m.scale, 'g') if m.scale else ''}</td><td>{_text(m.unit)}</td><td>{_text(m.qualifier)}</td>"
        f"<td>{escape(m.raw)}</td><td class='prov'>{_prov(practice, f'metrics[{i}]')}</td></tr>"
        for i, m in enumerate(practice.metrics)
    )
    warnings = "".join(f"<li><b>{escape(w.code)}</b> ({escape(w.field or '')}): {escape(w.message)}</li>" for w in practice.warnings)
    images = "".join(f'<figure><img alt="page {page}" src="data:image/png;base64,{data}"><figcaption class="meta">page {page}</figcaption></figure>' for page, data in pictures)
    theme = f"Theme {practice.theme.number}: {escape(practice.theme.title)}" if practice.theme else "no theme"
    return f"""
<article class="card" id="p-{practice.id}"><h3>{practice.number}. {escape(practice.title)}</h3>
<p class="meta">{theme} · pages {', '.join(map(str, practice.pages))} · id <code>{practice.id}</code></p>
<table class="fields"><tr><th>field</th><th>value</th><th>read at</th></tr>{''.join(rows)}</table>
<h4>Budget amounts</h4>{f'<table><tr><th>as printed</th><th>amount</th><th>currency</th><th>role</th><th>qualifier</th><th>read at</th></tr>{budgets}</table>' if budgets else '<p class="meta">none</p>'}
<h4>Results</h4>{f'<table><tr><th>value</th><th>unit</th><th>qualifier</th><th>sentence</th><th>read at</th></tr>{metrics}</table>' if metrics else '<p class="meta">none</p>'}
<p class="meta">Organisations: {escape(', '.join(practice.organisations)) or '—'}<br>Technologies: {escape(', '.join(practice.technologies)) or '—'}</p>
<h4>Warnings</h4>{f'<ul class="warn">{warnings}</ul>' if warnings else '<p class="meta">none</p>'}
<div class="pages">{images}</div></article>"""


def render_report(guide: Guide, pictures: dict[str, list[tuple[int, str]]]) -> str:
    cards = "".join(_card(p, pictures.get(p.id, [])) for p in guide.practices)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(guide.title or guide.source.file)} — extraction report</title><style>{_CSS}</style></head>
<body><header><h1>{escape(guide.title or guide.source.file)}</h1>
<p class="meta">{escape(guide.source.file)} · {guide.source.pages} pages · sha256 {guide.source.sha256[:16]}… ·
{len(guide.practices)} practices in {len(guide.themes)} themes · schema {guide.schema_version}</p>
<nav><a href="#overview">Overview</a> · <a href="#checks">Checks</a> · <a href="#practices">Practices</a></nav></header>
<main>{_overview(guide)}{_checks(guide)}<section id="practices"><h2>Practices</h2>{cards}</section></main></body></html>
"""
