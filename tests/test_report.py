"""The audit report, the exports and the edition diff."""

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from conftest import GUIDE_PDF, ROOT
from pipeline.review.diff import as_text, diff_guides
from pipeline.outputs.emit import schema_json


@pytest.fixture(scope="module")
def report(guide):
    from pipeline.run import report_html

    return report_html(GUIDE_PDF, guide)


def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (scripts/test installs it with apt-get)")
        pytest.skip("chromium is not installed")
    return found


def headless(binary, *args, tmp_path):
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_report_renders_every_practice_card_in_a_browser(report, guide, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    browser = chromium()
    dom = headless(browser, "--dump-dom", page.as_uri(), tmp_path=tmp_path).stdout
    cards = re.findall(r'<article class="card" id="p-([a-z0-9-]+)">', dom)
    assert cards == [p.id for p in guide.practices]
    assert dom.count('<img alt="page ') == sum(len(p.pages) for p in guide.practices)
    shot = tmp_path / "shot.png"
    headless(browser, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri(), tmp_path=tmp_path)
    image = Image.open(shot).convert("L")
    assert image.size == (1200, 1600)
    assert len(image.getcolors(maxcolors=1 << 16)) > 16  # text and tables were painted, not a blank page


def test_report_images_decode_and_show_whole_pages(report):
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', report)
    assert len(images) == 30
    for data in images:
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        image.load()
        assert image.format == "PNG" and image.size == (842, 596)  # the page at 72 dpi, rounded up


def test_report_is_self_contained(report):
    assert not re.search(r"<script|<link|@import|url\(", report)
    assert not re.search(r'src="(?!data:)', report)


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
