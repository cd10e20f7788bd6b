"""The stages in order, without Prefect: what the flow runs, for tests and library use."""

from __future__ import annotations

from pathlib import Path

from pipeline.review.checks import run_checks
from pipeline.review.corrections import apply_corrections
from pipeline.errors import Limits
from pipeline.fields.document import front_text, guide_dict, parse_all
from pipeline.read.extract import extract_pdf
from pipeline.layout.regions import layout_pages
from pipeline.outputs.pictures import page_pictures
from pipeline.outputs.report import render_report
from pipeline.cards.segment import segment
from pipeline.review.validate import validate_guide
from pipeline.values.enrich import enrich_all
from schemas import Guide


def report_html(path: Path, guide: Guide, password: str | None = None) -> str:
    practices = [p.model_dump(mode="json") for p in guide.practices]
    return render_report(guide, page_pictures(Path(path), practices, password))


def extract_guide(
    path: Path, password: str | None = None, limits: Limits | None = None, ocr: str | None = None, corrections: list[dict] | None = None
) -> Guide:
    pdf = extract_pdf(Path(path), password, limits, ocr)
    draft = segment(layout_pages(pdf.pages), pdf.metadata_title, pdf.info)
    themes, practices = parse_all(draft)
    practices = enrich_all(practices)
    source = {"file": pdf.file, "sha256": pdf.sha256, "pages": len(pdf.pages), "ocr_pages": pdf.ocr_pages}
    guide = validate_guide(guide_dict(draft, source, themes, practices, pdf.warnings))
    return run_checks(apply_corrections(guide, corrections or []), front_text(draft))
