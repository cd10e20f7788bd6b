"""One card per practice: every value with where it was read (a link that opens the page
picture at its box), the correction it carries if any, and a button that copies a ready
correction for it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pipeline.outputs.report.safe import correction_block, link, text
from pipeline.outputs.report.where import coordinates, region
from schemas import Correction, Practice

SECTIONS = ("about", "resources", "evidence", "challenges", "transfer")


@dataclass
class Context:
    """What every card needs to know about the document around it."""

    pages: dict[int, dict]  # page -> {"width", "height"} (and the picture)
    pdf_href: str  # the source PDF's name, URL-quoted, relative to the report
    ocr_pages: set[int] = field(default_factory=set)


def swatch_class(field_name: str) -> str:
    base = field_name.split("[", 1)[0].split(".", 1)[0]
    return f"c-{base}"


def _missing() -> str:
    return '<span class="missing">—</span>'


def shown(value: Any) -> str:
    if value is None or value == "":
        return _missing()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return text(value)
        return text(f"{value:,.0f}" if value.is_integer() else f"{value:,}")
    return text(value)


def where(practice: Practice, key: str, ctx: Context) -> str:
    spans = practice.provenance.get(key, [])
    if not spans:
        return _missing()
    out = []
    for span in spans:
        size = ctx.pages.get(span.page, {})
        words = f"page {span.page}, {region(key, span, size.get('width'))}"
        box = ",".join(f"{v:.1f}" for v in span.bbox)
        parts = [f'<a class="where" href="#page-{span.page}" data-page="{span.page}" data-box="{box}" data-field="{text(key)}" title="{text(coordinates(span))}">{text(words)}</a>']
        parts.append(f'<a class="pdf" href="{text(ctx.pdf_href)}#page={span.page}" title="page {span.page} of the source PDF, when it sits beside this report">PDF</a>')
        if span.confidence is not None:
            parts.append(f'<span class="ocr" title="OCR: the lowest word confidence of this value">OCR {span.confidence:.0f}%</span>')
        elif span.page in ctx.ocr_pages:
            parts.append('<span class="ocr">OCR page</span>')
        if span.corrected:
            parts.append('<span class="badge">corrected</span>')
        out.append(" ".join(parts))
    return "<br>".join(out)


def _fix(correction: Correction | None) -> str:
    if correction is None:
        return ""
    who = f" by {text(correction.by)}" if correction.by else ""
    why = f" — {text(correction.note)}" if correction.note else ""
    return (f'<div class="fix"><span class="badge">corrected</span>{who}{why}<br>'
            f'extracted: <span class="was">{shown(correction.was)}</span></div>')


def _copy(practice: Practice, path: str, current: Any, correction: Correction | None) -> str:
    # a corrected field's block keeps the extracted value, so an updated fix still applies
    was = correction.was if correction is not None else current
    block = correction_block(practice.id, path, was)
    return f'<button type="button" class="copy" data-toml="{text(block)}" title="copy a [[correction]] block for {text(path)}">copy correction</button>'


class _Rows:
    def __init__(self, practice: Practice, ctx: Context):
        self.practice, self.ctx = practice, ctx
        self.fixes = {c.field: c for c in practice.corrections}
        self.refused = {w.field: w.code for w in practice.warnings if w.code.startswith("correction_")}
        self.rows: list[str] = []

    def add(self, path: str, value: Any, key: str, html: str | None = None) -> None:
        fix = self.fixes.get(path)
        cell = (html if html is not None else shown(value)) + _fix(fix)
        if path in self.refused:
            code = self.refused[path]
            cell += f'<div class="fix refused">a correction was not applied: <a class="code" href="#code-{text(code)}">{text(code)}</a></div>'
        marked = ' class="corrected"' if fix else ""
        self.rows.append(
            f'<tr{marked}><td><span class="swatch {swatch_class(key)}"></span>{text(path)}</td>'
            f'<td>{cell}</td><td class="prov">{where(self.practice, key, self.ctx)}</td>'
            f'<td>{_copy(self.practice, path, value, fix)}</td></tr>'
        )


def _section(value: str | None) -> str:
    if not value:
        return _missing()
    words = value.split()
    opening = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
    return f"<details><summary>{len(words)} words: {text(opening)}</summary><pre>{text(value)}</pre></details>"


def _fields(practice: Practice, ctx: Context) -> str:
    rows = _Rows(practice, ctx)
    rows.add("title", practice.title, "title")
    rows.add("summary", practice.summary, "summary")
    rows.add("institution", practice.institution, "institution")
    for leaf in ("raw", "country", "country_code"):
        rows.add(f"location.{leaf}", getattr(practice.location, leaf), "location")
    for i, contact in enumerate(practice.contacts):
        for leaf in ("name", "organisation", "email"):
            rows.add(f"contacts.{i}.{leaf}", getattr(contact, leaf), "contacts")
    for i, url in enumerate(practice.websites):
        rows.add(f"websites.{i}", url, "websites", link(url))
    if not practice.websites:
        rows.rows.append(f'<tr><td><span class="swatch c-websites"></span>websites</td><td>{_missing()}</td><td class="prov">{where(practice, "websites", ctx)}</td><td></td></tr>')
    for leaf in ("raw", "start", "end"):
        rows.add(f"period.{leaf}", getattr(practice.period, leaf), "period")
    for key in SECTIONS:
        value = getattr(practice.sections, key)
        rows.add(f"sections.{key}", value, f"sections.{key}", _section(value))
    return ('<table class="fields"><tr><th>field</th><th>value</th><th>read at</th><th></th></tr>'
            + "".join(rows.rows) + "</table>")


def _value_cell(practice: Practice, path: str, value, fixes: dict, suffix: str = "") -> str:
    """One budget or metric value: shown, its correction if any, and its copy button."""
    return f"<td>{shown(value)}{text(suffix)}{_fix(fixes.get(path))}<br>{_copy(practice, path, value, fixes.get(path))}</td>"


def _budgets(practice: Practice, ctx: Context) -> str:
    if not practice.budgets:
        return '<p class="meta">none</p>'
    fixes = {c.field: c for c in practice.corrections}
    rows = []
    for i, money in enumerate(practice.budgets):
        cells = []
        for leaf in ("amount", "currency"):
            cells.append(_value_cell(practice, f"budgets.{i}.{leaf}", getattr(money, leaf), fixes))
        rows.append(
            f"<tr><td>{text(money.raw)}</td>{''.join(cells)}<td>{shown(money.role)}</td><td>{shown(money.qualifier)}</td>"
            f"<td class='prov'>{where(practice, f'budgets[{i}]', ctx)}</td></tr>"
        )
    return ("<table><tr><th>as printed</th><th>amount</th><th>currency</th><th>role</th><th>qualifier</th><th>read at</th></tr>"
            + "".join(rows) + "</table>")


def _metrics(practice: Practice, ctx: Context) -> str:
    if not practice.metrics:
        return '<p class="meta">none</p>'
    fixes = {c.field: c for c in practice.corrections}
    rows = []
    for i, metric in enumerate(practice.metrics):
        cells = []
        for leaf in ("value", "unit"):
            scale = f"/{metric.scale:g}" if leaf == "value" and metric.scale else ""
            cells.append(_value_cell(practice, f"metrics.{i}.{leaf}", getattr(metric, leaf), fixes, scale))
        rows.append(
            f"<tr>{''.join(cells)}<td>{shown(metric.qualifier)}</td><td>{text(metric.raw)}</td>"
            f"<td class='prov'>{where(practice, f'metrics[{i}]', ctx)}</td></tr>"
        )
    return ("<table><tr><th>value</th><th>unit</th><th>qualifier</th><th>sentence</th><th>read at</th></tr>"
            + "".join(rows) + "</table>")


def _warnings(practice: Practice) -> str:
    if not practice.warnings:
        return '<p class="meta">none</p>'
    items = "".join(
        f'<li><a class="code" href="#code-{text(w.code)}">{text(w.code)}</a>{f" ({text(w.field)})" if w.field else ""}: {text(w.message)}</li>'
        for w in practice.warnings
    )
    return f'<ul class="warn">{items}</ul>'


def _pictures(practice: Practice, ctx: Context) -> str:
    pages = sorted(set(practice.pages) | {s.page for spans in practice.provenance.values() for s in spans})
    figures = []
    for page in pages:
        if page not in ctx.pages:
            continue
        ocr = " (OCR page)" if page in ctx.ocr_pages else ""
        figures.append(
            f'<figure><button type="button" class="thumb" data-page="{page}" title="enlarge page {page}">'
            f'<img data-page="{page}" alt="page {page}"></button><figcaption class="meta">page {page}{ocr} · '
            f'<a class="pdf" href="{text(ctx.pdf_href)}#page={page}">PDF</a></figcaption></figure>'
        )
    return f'<div class="pages">{"".join(figures)}</div>'


def card(practice: Practice, codes: list[str], ctx: Context) -> str:
    theme = f"Theme {practice.theme.number}: {text(practice.theme.title)}" if practice.theme else "no theme"
    extras = (f'<p class="meta">Organisations: {text(", ".join(practice.organisations)) or "—"}<br>'
              f'Technologies: {text(", ".join(practice.technologies)) or "—"}</p>')
    return (
        f'<article class="card" id="p-{text(practice.id)}" data-id="{text(practice.id)}" '
        f'data-theme="{practice.theme.number if practice.theme else ""}" data-country="{text(practice.location.country_code or "")}" '
        f'data-codes="{text(" ".join(codes))}" data-corrected="{1 if practice.corrections else 0}">'
        f"<h3>{practice.number}. {text(practice.title)}</h3>"
        f'<p class="meta">{theme} · pages {", ".join(map(str, practice.pages))} · id <code>{text(practice.id)}</code>'
        f'{f" · <b>{len(practice.corrections)} corrected</b>" if practice.corrections else ""}</p>'
        f"{_fields(practice, ctx)}"
        f"<h4>Budget amounts</h4>{_budgets(practice, ctx)}"
        f"<h4>Results</h4>{_metrics(practice, ctx)}"
        f"{extras}<h4>Warnings</h4>{_warnings(practice)}{_pictures(practice, ctx)}"
        f'<p class="top"><a href="#top">back to the top</a></p></article>'
    )
