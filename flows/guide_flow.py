"""The guide-extract flow: PDF -> pages -> layout -> segments -> practices -> contract
-> files. One Prefect task per stage; the stages themselves live in `pipeline/`.

Run it from the command line (`guide-extract run raw/*.pdf`) or directly:
    python -m flows.guide_flow raw/smarty-good-practice-guide.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

from prefect import flow, task, unmapped
from prefect.cache_policies import NONE as NO_CACHE
from prefect.artifacts import create_table_artifact
from prefect.logging import get_run_logger
from prefect.utilities.annotations import quote

from pipeline.checks import run_checks
from pipeline.document import front_text, guide_dict, parse_practice, themes_of
from pipeline.emit import render, write_atomic
from pipeline.errors import Limits
from pipeline.extract import extract_pdf
from pipeline.layout import layout_pages
from pipeline.model import DocumentDraft, ExtractedPdf, PageLayout
from pipeline.pictures import practice_pictures
from pipeline.report import render_report
from pipeline.segment import segment
from pipeline.validate import validate_guide
from pipeline.values import enrich
from schemas import Guide


@task(name="extract-pages", cache_policy=NO_CACHE)
def extract_task(path: Path, password: str | None = None, limits: Limits = Limits()) -> ExtractedPdf:
    pdf = extract_pdf(path, password, limits)
    get_run_logger().info("%s: %d pages, %d words", pdf.file, len(pdf.pages), sum(len(p.words) for p in pdf.pages))
    return pdf


@task(name="layout", cache_policy=NO_CACHE)
def layout_task(pdf: ExtractedPdf) -> list[PageLayout]:
    return layout_pages(pdf.pages)


@task(name="segment", cache_policy=NO_CACHE)
def segment_task(pdf: ExtractedPdf, pages: list[PageLayout]) -> DocumentDraft:
    draft = segment(pages, pdf.metadata_title)
    get_run_logger().info("%d themes, %d practices", len(draft.themes), len(draft.practices))
    return draft


@task(name="parse-practice", cache_policy=NO_CACHE, task_run_name="parse-practice-{index}")
def parse_task(draft: DocumentDraft, index: int, themes: list[dict]) -> dict:
    return parse_practice(draft, index, themes)


@task(name="values", cache_policy=NO_CACHE)
def values_task(practices: list[dict]) -> list[dict]:
    enriched = enrich(practices)
    get_run_logger().info(
        "%d budget amounts, %d metrics", sum(len(p["budgets"]) for p in enriched), sum(len(p["metrics"]) for p in enriched)
    )
    return enriched


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(pdf: ExtractedPdf, draft: DocumentDraft, themes: list[dict], practices: list[dict]) -> Guide:
    source = {"file": pdf.file, "sha256": pdf.sha256, "pages": len(pdf.pages)}
    return validate_guide(guide_dict(draft, source, themes, practices, pdf.warnings))


@task(name="checks", cache_policy=NO_CACHE)
def checks_task(guide: Guide, draft: DocumentDraft) -> Guide:
    checked = run_checks(guide, front_text(draft))
    for warning in checked.warnings:
        get_run_logger().info("%s: %s", warning.code, warning.message)
    return checked


@task(name="report", cache_policy=NO_CACHE)
def report_task(path: Path, guide: Guide, password: str | None = None) -> str:
    return render_report(guide, practice_pictures(path, guide, password))


@task(name="write", cache_policy=NO_CACHE)
def write_task(guide: Guide, report: str, target: Path) -> Path:
    written = write_atomic(target, render(guide, {"report.html": report}))
    create_table_artifact(
        key="practices",
        table=[
            {"id": p.id, "theme": p.theme.number if p.theme else None, "title": p.title, "warnings": len(p.warnings)}
            for p in guide.practices
        ],
        description=f"{guide.source.file}: {len(guide.practices)} practices",
    )
    return written


@flow(name="guide-extract", flow_run_name="extract-{path.name}")
def extract_guide(
    path: Path, out: Path = Path("output"), password: str | None = None, limits: Limits = Limits()
) -> Guide:
    # quote(): stage data is large and holds no futures, so Prefect need not walk it.
    pdf = extract_task(path, password, limits)
    pages = layout_task(quote(pdf))
    draft = segment_task(quote(pdf), quote(pages))
    themes = themes_of(draft)
    practices = parse_task.map(unmapped(quote(draft)), range(len(draft.practices)), unmapped(quote(themes))).result()
    practices = values_task(quote(practices))
    guide = validate_task(quote(pdf), quote(draft), themes, quote(practices))
    guide = checks_task(quote(guide), quote(draft))
    report = report_task(path, quote(guide), password)
    write_task(quote(guide), quote(report), Path(out) / Path(path).stem)
    return guide


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        extract_guide(Path(arg))
