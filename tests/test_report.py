"""The audit report, the exports and the edition diff."""

import json
import re
import subprocess
import sys

import pytest

from conftest import GUIDE_PDF, ROOT
from pipeline.review.diff import as_text, diff_guides
from pipeline.outputs.emit import schema_json


@pytest.fixture(scope="module")
def report(guide):
    from pipeline.run import report_html

    return report_html(GUIDE_PDF, guide)


def test_report_data_holds_one_picture_per_page(report, guide):
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', report, re.S).group(1))
    assert sorted(map(int, data["pages"])) == sorted({p for practice in guide.practices for p in practice.pages})
    assert data["pdf"] == "smarty-good-practice-guide.pdf"


def test_report_is_self_contained(report):
    assert not re.search(r"<link|@import|url\(|https?://[^\"<]*\.(js|css)\b", report)
    assert not re.search(r'\ssrc="(?!data:)', report)
    assert re.findall(r"<script[^>]*>", report) == ['<script type="application/json" id="report-data">', "<script>"]


def test_generation_date_is_now_unless_source_date_epoch(guide, monkeypatch):
    from datetime import datetime, timezone

    from pipeline.outputs.report.page import generated_at

    assert generated_at() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)  # conftest sets 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(timezone.utc)
    assert before <= generated_at() <= datetime.now(timezone.utc)


def test_report_overview_and_checks(report, guide):
    assert "<td>1</td><td>Regional platforms and clusters supporting SMEs to adopt I4.0 related technologies and increase their competitiveness</td><td>6</td>" in report
    assert "<tr><td>practices</td><td>26</td><td>26</td></tr>" in report
    checks = guide.checks
    assert (checks.stated_practices, checks.found_practices, checks.stated_themes, checks.found_themes) == (26, 26, 4, 4)
    assert [(d.field, d.practices, d.exact) for d in checks.duplicate_texts] == [
        ("sections.challenges", [
            "blockchain-for-traceability-in-textiles-and-clothing-sectors",
            "industry-4-0-in-the-contest-of-interregional-ecosystems-and-smes",
        ], True)
    ]
    assert {e: len(ids) for e, ids in checks.shared_emails.items()} == {
        "bryony.chipp@westyorks-ca.gov.uk": 4, "igor.kovac@ijs.si": 2, "leonardo.marchetti@tecnotex.it": 2,
        "p.guarnieri@comune.prato.it": 4, "sperezmartinez@gencat.cat": 2,
    }
    assert [w.code for w in checks.suspicious_links].count("link_differs") == 2
    assert len(checks.missing["websites"]) == 4 and len(checks.missing["period"]) == 3
    assert [w.code for w in guide.warnings] == [
        "duplicate_section_text", *["shared_contact_email"] * 5,
        "practices_without_websites", "practices_without_period", "practices_without_budgets",
    ]


def test_schema_command_prints_the_models_schema(tmp_path):
    done = subprocess.run([sys.executable, "-m", "flows.cli", "schema"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert done.stdout == schema_json()
    assert schema["title"] == "Guide"
    practice = schema["$defs"]["Practice"]["properties"]
    for key in ["id", "number", "theme", "title", "summary", "institution", "location", "contacts", "websites",
                "period", "sections", "budgets", "metrics", "pages", "provenance", "warnings"]:
        assert key in practice
    assert (ROOT / "output" / "smarty-good-practice-guide" / "schema.json").read_text(encoding="utf-8") == done.stdout


def test_ids_are_unique_stable_slugs(guide):
    ids = [p.id for p in guide.practices]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) and len(i) <= 64 for i in ids)
    assert ids[:3] == ["future-industry-platform", "access-innovation", "centr-tec-programme-2nd-edition"]


def test_diff_of_the_guide_against_itself_is_empty(guide):
    data = guide.model_dump(mode="json")
    result = diff_guides(data, json.loads(json.dumps(data)))
    assert result["equal"] and as_text(result) == "no differences\n"


def test_diff_reports_exactly_the_edited_field(guide):
    old = guide.model_dump(mode="json")
    new = json.loads(json.dumps(old))
    new["practices"][4]["period"]["end"] = "2021-04"
    result = diff_guides(old, new)
    assert not result["equal"]
    assert result["changed"] == [{
        "old": old["practices"][4]["id"], "new": old["practices"][4]["id"],
        "fields": [{"field": "period.end", "old": "2020-04", "new": "2021-04"}],
    }]
    assert (result["added"], result["removed"], result["renamed"], result["guide"]) == ([], [], [], [])


def test_diff_finds_renamed_added_and_removed(guide):
    old = guide.model_dump(mode="json")
    new = json.loads(json.dumps(old))
    new["practices"][0].update(id="future-industry-platform-foundation", title="Future Industry Platform Foundation")
    removed = new["practices"].pop(1)
    result = diff_guides(old, new)
    assert result["renamed"] == [{"old": "future-industry-platform", "new": "future-industry-platform-foundation", "matched_by": "institution and contact"}]
    assert result["removed"] == [{"id": removed["id"], "title": removed["title"]}]
    assert [c["field"] for c in result["changed"][0]["fields"]] == ["id", "title"]


def test_diff_command_exit_codes(tmp_path):
    folder = ROOT / "output" / "smarty-good-practice-guide"
    same = subprocess.run([sys.executable, "-m", "flows.cli", "diff", str(folder), str(folder / "guide.json")],
                          capture_output=True, text=True, cwd=ROOT)
    assert (same.returncode, same.stdout) == (0, "no differences\n")
    edited = json.loads((folder / "guide.json").read_text(encoding="utf-8"))
    edited["practices"][1]["websites"] = ["https://example.org/"]
    (tmp_path / "guide.json").write_text(json.dumps(edited), encoding="utf-8")
    changed = subprocess.run([sys.executable, "-m", "flows.cli", "diff", str(folder), str(tmp_path), "--json"],
                             capture_output=True, text=True, cwd=ROOT)
    assert changed.returncode == 1
    assert json.loads(changed.stdout)["changed"][0]["fields"] == [{
        "field": "websites",
        "old": ["https://www.the-lep.com/business-support/growth-support/connecting-innovation/"],
        "new": ["https://example.org/"],
    }]
    broken = subprocess.run([sys.executable, "-m", "flows.cli", "diff", str(tmp_path / "nope.json"), str(folder)],
                            capture_output=True, text=True, cwd=ROOT)
    assert broken.returncode == 2 and broken.stderr.startswith("guide-extract: error:") and broken.stderr.count("\n") == 1


def test_csv_columns_are_the_same_with_or_without_practices(guide):
    from pipeline.outputs.emit import practices_csv

    header = practices_csv(guide).splitlines()[0]
    assert practices_csv(guide.model_copy(update={"practices": []})) == header + "\n"
    assert header.split(",")[:5] == ["\ufeffid", "number", "theme_number", "theme_title", "title"]
    assert header.split(",")[-2:] == ["guide", "guide_sha256"]


def test_ocr_values_show_their_confidence_and_pages_are_marked(guide):
    from pipeline.outputs.report import render_report

    first = guide.practices[0]
    spans = {**first.provenance, "institution": [first.provenance["institution"][0].model_copy(update={"confidence": 87.4})]}
    ocr = guide.model_copy(update={
        "source": guide.source.model_copy(update={"ocr_pages": [5]}),
        "practices": [first.model_copy(update={"provenance": spans}), *guide.practices[1:]],
    })
    pictures = {5: {"width": 841.8898, "height": 595.2756, "png": ""}}
    html = render_report(ocr, pictures)
    assert "37 pages · OCR pages 5 · 26 practices" in html
    institution = re.search(r"<td class=\"prov\">(.*?)</td>", html[html.index('<tr><td><span class="swatch c-institution">'):]).group(1)
    assert re.sub(r"<[^>]+>", "", institution) == "page 5, sidebar PDF OCR 87%"
    title = re.search(r"<td class=\"prov\">(.*?)</td>", html[html.index('<tr><td><span class="swatch c-title">'):]).group(1)
    assert re.sub(r"<[^>]+>", "", title) == "page 5, title PDF OCR page"
    assert '<figcaption class="meta">page 5 (OCR page) · ' in html


def test_provenance_is_named_by_field_and_box_position():
    from pipeline.outputs.report.where import coordinates, region
    from schemas import SourceSpan

    def span(x0, x1):
        return SourceSpan(page=3, bbox=(x0, 100, x1, 120))

    assert region("institution", span(24, 190), 842) == "sidebar"  # narrow, at the left edge
    assert region("contacts", span(600, 820), 842) == "sidebar"  # narrow, at the right edge
    assert region("period", span(40, 560), 595) == "fact box"  # a label/value table across the page
    assert region("websites", span(24, 190), None) == "fact box"  # page size unknown
    assert region("title", span(253, 535), 842) == "title" and region("summary", span(253, 792), 842) == "tagline"
    assert region("budgets[2]", span(253, 500), 842) == region("sections.resources", span(253, 500), 842) == "‘resources needed’ text"
    assert region("metrics[0]", span(540, 780), 842) == "‘evidence of success’ text"
    assert coordinates(span(24.4, 189.5)) == "p. 3 [24, 100, 190, 120] (x0, top, x1, bottom in PDF points)"


def test_the_documents_own_metadata_is_shown_escaped_with_where_it_was_read(guide):
    from pipeline.outputs.report import render_report
    from schemas import SourceSpan
    from schemas.models import GuideMetadata

    sample = re.search(r'<p class="meta document">(.*?)</p>', render_report(guide, {})).group(1)
    assert sample == ("Document: authors <b>SMARTY project - Interreg Europe</b> · published <b>2023-06-27</b> "
                      "(from the PDF's document information)")  # the sample guide prints none
    printed = GuideMetadata(authors=["<script>alert(1)</script>", "B. Author"], publication_date="2021-03", version="2.1",
                            licence="CC BY 4.0", keywords=["smart", "regions"], provenance=[SourceSpan(page=2, bbox=(50, 60, 300, 200))])
    html = render_report(guide.model_copy(update={"metadata": printed}), {})
    line = re.search(r'<p class="meta document">(.*?)</p>', html).group(1)
    assert line == ("Document: authors <b>&lt;script&gt;alert(1)&lt;/script&gt;; B. Author</b> · published <b>2021-03</b> · "
                    "version <b>2.1</b> · licence <b>CC BY 4.0</b> · keywords <b>smart, regions</b> "
                    "(printed on page 2, else the PDF's document information)")
    from_info = render_report(guide.model_copy(update={"metadata": GuideMetadata(document_type="Report")}), {})
    assert re.search(r'<p class="meta document">(.*?)</p>', from_info).group(1) == (
        "Document: type <b>Report</b> (from the PDF's document information)")
