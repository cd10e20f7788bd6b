"""The report as a steward works in it, driven in headless Chromium (Playwright on the
system's browser): search, filters, the page viewer, copy correction, the CSP, hostile
strings, and the round trip from a copied correction to the next run."""

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from conftest import GUIDE_PDF, ROOT
from pipeline.outputs.report.safe import script_json
from pipeline.review.corrections import apply_corrections, load_corrections

pytestmark = pytest.mark.slow  # Chromium


FIRST = "future-industry-platform"
INSTITUTION = "Future Industry Platform State Treasury Foundation"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(binary).exists():
        if os.environ.get("CI"):
            pytest.fail("playwright or chromium is missing (scripts/test installs both)")
        pytest.skip("playwright or chromium is missing")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=binary, args=ARGS)
        yield launched
        launched.close()


class Opened:
    """A report loaded from disk, with what its console said and any dialog it opened."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.on("pageerror", lambda error: self.console.append(("pageerror", str(error))))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready='1']", state="attached", timeout=20000)

    def visible_cards(self) -> list[str]:
        return self.page.eval_on_selector_all("article.card", "cs => cs.filter(c => !c.hidden).map(c => c.dataset.id)")

    def count(self) -> str:
        return self.page.inner_text("#count")

    def clipboard(self) -> str:
        return self.page.evaluate("navigator.clipboard.readText()")

    def copy(self, button) -> str:
        """Click a copy button and read the clipboard once the page's write to it is done
        (the button then says 'copied'): the clipboard is the browser's, shared by every
        report open in it, and read too early it holds what another page copied last."""
        button.click()
        self.page.wait_for_function("b => b.textContent === 'copied'", arg=button.element_handle(), timeout=10000)
        return self.clipboard()

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def report_file(guide, tmp_path_factory):
    from pipeline.run import report_html

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(report_html(GUIDE_PDF, guide), encoding="utf-8")
    return path


@pytest.fixture
def opened(browser, report_file):
    page = Opened(browser, report_file)
    yield page
    page.close()


def ids_where(guide, reference, test):
    by_title = {p.title: p.id for p in guide.practices}
    return [by_title[r["title"]] for r in reference["practices"] if test(r)]


def test_script_runs_and_the_csp_allows_nothing_else(opened, report_file):
    html = report_file.read_text(encoding="utf-8")
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert re.fullmatch(
        r"default-src 'none'; img-src data:; style-src 'sha256-[A-Za-z0-9+/]{43}='; script-src 'sha256-[A-Za-z0-9+/]{43}='; "
        r"base-uri 'none'; form-action 'none'", policy)
    assert html.count("<script") == 2 and html.count('<script type="application/json" id="report-data">') == 1
    assert not re.search(r"<link|@import|url\(|\ssrc=\"(?!data:)|\sstyle=|\son[a-z]+=", html)
    page = opened.page
    assert page.evaluate("getComputedStyle(document.querySelector('nav.bar')).position") == "sticky"  # the style's hash holds
    assert opened.console == [] and opened.dialogs == []


def test_search_and_filters_show_exactly_the_matching_cards(opened, guide, reference):
    page = opened.page
    every = [p.id for p in guide.practices]
    assert opened.visible_cards() == every and opened.count() == "26 of 26 practices"
    page.fill("#q", "blockchain")
    assert opened.visible_cards() == [
        "blockchain-for-traceability-in-textiles-and-clothing-sectors",
        "industry-4-0-in-the-contest-of-interregional-ecosystems-and-smes",
    ]
    assert opened.count() == "2 of 26 practices"
    page.fill("#q", "i2cat")  # an institution (of the first) and a partner (of the second), in any case
    assert opened.visible_cards() == ["iot-catalan-alliance", "interconnecting-catalonias-innovation-hubs-for-an-integrated"]
    page.fill("#q", "jozef stefan")  # accents folded: 'Jožef Stefan Institute', institution of both
    assert opened.visible_cards() == [
        "gostop-building-blocks-tools-and-systems-for-the-factories-of", "strategic-research-and-innovation-partnership-for-factories-of",
    ]
    page.fill("#q", "jozef stefan partnership")  # every term must match
    assert opened.visible_cards() == ["strategic-research-and-innovation-partnership-for-factories-of"]
    page.fill("#q", "pdf")  # the report's own words (its 'PDF' links) are not searched, only the practices'
    assert opened.visible_cards() == []
    page.fill("#q", "")
    page.select_option("#f-theme", "2")
    assert opened.visible_cards() == ids_where(guide, reference, lambda r: r["theme"] == 2) and len(opened.visible_cards()) == 7
    page.select_option("#f-theme", "")
    page.select_option("#f-country", "ES")
    spain = ids_where(guide, reference, lambda r: r["country_code"] == "ES")
    assert opened.visible_cards() == spain and len(spain) == 6
    # the coverage matrix follows the cards
    assert page.eval_on_selector_all(".matrix tr[data-id]", "rs => rs.filter(r => !r.hidden).map(r => r.dataset.id)") == spain
    page.select_option("#f-code", "link_differs")
    assert opened.visible_cards() == []
    assert page.is_visible("#none") and opened.count() == "0 of 26 practices"
    page.click("#f-reset")
    page.select_option("#f-code", "link_differs")
    assert opened.visible_cards() == [
        "the-dih-and-competence-centre-in-tuscany-a-network-for-deploying",
        "blockchain-for-traceability-in-textiles-and-clothing-sectors",
    ]
    page.click("#f-reset")
    page.check("#f-corrected")
    assert opened.visible_cards() == []  # nothing is corrected in this run
    page.click("#f-reset")
    page.select_option("#f-code", "shared_contact_email")  # a document warning reaches the practices it names
    assert len(opened.visible_cards()) == sum(len(ids) for ids in guide.checks.shared_emails.values()) == 14


def test_warning_codes_are_explained_and_link_their_practices(opened, guide):
    page = opened.page
    row = page.locator("#code-link_differs")
    assert row.locator("td").nth(1).inner_text() == "2"
    assert row.locator("td").nth(2).inner_text() == "The PDF's clickable link points somewhere else than the printed URL: check which is right."
    assert row.locator("td.refs a").evaluate_all("as => as.map(a => [a.getAttribute('href'), a.textContent])") == [
        ["#p-the-dih-and-competence-centre-in-tuscany-a-network-for-deploying",
         "12. The DIH and Competence Centre in Tuscany: a network for deploying I4.0 innovation in the region"],
        ["#p-blockchain-for-traceability-in-textiles-and-clothing-sectors", "18. Blockchain for traceability in textiles and clothing sectors"],
    ]
    row.locator("button.only").click()
    assert len(opened.visible_cards()) == 2
    # document checks name practices by title, with links
    shared = page.locator("#checks li", has_text="igor.kovac@ijs.si").first
    assert shared.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))") == [
        f"#p-{i}" for i in guide.checks.shared_emails["igor.kovac@ijs.si"]
    ]
    assert "gostop-" not in shared.inner_text()
    # the matrix shows whole titles
    assert page.locator(".matrix td.name a").nth(11).inner_text() == (
        "12. The DIH and Competence Centre in Tuscany: a network for deploying I4.0 innovation in the region")


def test_header_names_date_version_and_source_hash(opened, guide):
    header = opened.page.inner_text("header")
    assert f"SHA-256 {guide.source.sha256}" in header
    from importlib.metadata import version

    from pipeline.version import code_version

    # SOURCE_DATE_EPOCH of conftest
    assert f"generated 2023-11-14 22:13 UTC by guide-extract {version('guide-extract')} (code {code_version()})" in header


def test_provenance_link_opens_the_picture_at_its_box(opened, guide):
    page = opened.page
    practice = next(p for p in guide.practices if p.id == FIRST)
    [span] = practice.provenance["institution"]
    row = page.locator(f"#p-{FIRST} table.fields tr", has_text="institution").first
    where = row.locator("a.where")
    assert where.inner_text() == "page 5, sidebar"
    assert where.get_attribute("title") == "p. 5 [24, 59, 190, 92] (x0, top, x1, bottom in PDF points)"
    assert row.locator("a.pdf").get_attribute("href") == "smarty-good-practice-guide.pdf#page=5"
    thumb = page.locator(f"#p-{FIRST} button.thumb img").first
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.naturalWidth > 0", arg=thumb.element_handle())
    small = thumb.bounding_box()["width"]
    where.click()
    page.wait_for_selector("#viewer[data-ready='5']")
    assert page.inner_text("#v-title") == "page 5 — institution: page 5, sidebar"
    assert page.get_attribute("#v-pdf", "href") == "smarty-good-practice-guide.pdf#page=5"
    natural = page.evaluate("[document.getElementById('v-img').naturalWidth, document.getElementById('v-img').naturalHeight]")
    assert natural == [1684, 1191]  # the page at 144 dpi
    picture = page.locator("#v-img").bounding_box()
    assert picture["width"] == 1684 and picture["width"] >= 4 * small  # shown at full size, four times the thumbnail
    box = page.locator("#v-box").bounding_box()
    scale = 1684 / 841.8898
    x0, top, x1, bottom = span.bbox
    assert abs(box["x"] - picture["x"] - x0 * scale) < 1.5 and abs(box["y"] - picture["y"] - top * scale) < 1.5
    assert abs(box["width"] - (x1 - x0) * scale) < 1.5 and abs(box["height"] - (bottom - top) * scale) < 1.5
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900 and 0 <= box["x"] and box["x"] + box["width"] <= 1280
    page.keyboard.press("Escape")
    assert page.is_hidden("#viewer")
    page.locator(f"#p-{FIRST} button.thumb").first.click()  # a thumbnail enlarges too
    page.wait_for_selector("#viewer[data-ready='5']")
    assert page.is_hidden("#v-box") and page.locator("#v-img").bounding_box()["width"] == 1684
    assert opened.console == []


def test_page_pictures_are_embedded_once_and_readable(report_file, guide):
    html = report_file.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1))
    pages = sorted({p for practice in guide.practices for p in practice.pages})
    assert sorted(map(int, data["pages"])) == pages and len(pages) == 30
    for number, page in data["pages"].items():
        image = Image.open(io.BytesIO(base64.b64decode(page["png"])))
        image.load()
        assert (image.format, image.size, page["w"], page["h"]) == ("PNG", (1684, 1191), 841.8898, 595.2756)
        assert html.count(page["png"]) == 1
    assert len(html) < 3_500_000


def test_copy_correction_puts_a_ready_toml_block_on_the_clipboard(opened):
    page = opened.page
    row = page.locator(f"#p-{FIRST} table.fields tr", has_text="institution").first
    block = opened.copy(row.locator("button.copy"))
    page.wait_for_selector("#copied:not([hidden])")
    assert tomllib.loads(block) == {"correction": [{"practice": FIRST, "field": "institution", "was": INSTITUTION, "value": ""}]}
    assert page.input_value("#copied-text") == block
    amount = page.locator("#p-centr-tec-programme-2nd-edition button.copy[title*='budgets.0.amount']")
    assert tomllib.loads(opened.copy(amount))["correction"] == [
        {"practice": "centr-tec-programme-2nd-edition", "field": "budgets.0.amount", "was": 1300000.0, "value": ""}
    ]


def test_without_a_clipboard_the_block_is_selected_for_copying(browser, report_file):
    context = browser.new_context()
    context.add_init_script("delete Navigator.prototype.clipboard")  # as on a page the browser denies it
    page = context.new_page()
    page.goto(report_file.as_uri())
    page.wait_for_selector("html[data-ready='1']", state="attached")
    page.locator(f"#p-{FIRST} table.fields tr", has_text="institution").first.locator("button.copy").click()
    assert page.inner_text("#copied-note") == "The clipboard is not available here: copy this block (it is selected):"
    selected = page.evaluate("(() => { const t = document.getElementById('copied-text'); "
                             "return document.activeElement === t ? t.value.slice(t.selectionStart, t.selectionEnd) : null; })()")
    assert tomllib.loads(selected)["correction"] == [{"practice": FIRST, "field": "institution", "was": INSTITUTION, "value": ""}]
    context.close()


def hostile_guide(folder: Path):
    from variants import sample_themes, write_portrait_guide

    title, themes = sample_themes()
    card = themes[0].cards[1]
    card.title = "Twin <script>alert(1)</script> Clinic"
    card.tagline = 'A tag "onload=alert(2) x=" <img src=x onerror=alert(3)> in the tagline.'
    card.fields = [
        ("Main institution:", ['Evil "onload=alert(4)" & <b>Co</b>']),
        ("Location:", ["Lakeside Region, Austria"]),
        ("Contact:", ["Jonas Berger", "Faculty </script><script>alert(5)</script>", "j.berger@lakeside.example"]),
        ("Website:", ["javascript://host/%0Aalert(document.domain)"]),
        ("Start-end date:", ["January 2019 – December 2022"]),
    ]
    card.sections[0] = ("About this good practice", ["Students write </script><script>alert(6)</script> and <!-- in notes."])
    return write_portrait_guide(folder / 'evil"<img src=x onerror=alert(7)>.pdf', title, themes)


def test_hostile_strings_stay_text_and_nothing_runs(browser, tmp_path):
    from pipeline.run import extract_guide, report_html

    path = hostile_guide(tmp_path)
    guide = extract_guide(path)
    practice = guide.practices[1]
    assert practice.websites == ["javascript://host/%0Aalert(document.domain"]  # what the card prints, read faithfully
    html = report_html(path, guide)
    assert "Content-Security-Policy" in html
    assert not re.search(r"href=\"(?!https?:|mailto:|#|evil%22%3Cimg%20src%3Dx%20onerror%3Dalert%287%29%3E\.pdf#page=)", html)
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    opened = Opened(browser, report)
    page = opened.page
    card = page.locator(f"#p-{practice.id}")
    assert card.locator("h3").text_content() == "2. Twin <script>alert(1)</script> Clinic"
    fields = {
        row.locator("td").nth(0).text_content(): row.locator("td").nth(1).text_content()
        for row in card.locator("table.fields tr").all()[1:]
    }
    assert fields["summary"] == 'A tag "onload=alert(2) x=" <img src=x onerror=alert(3)> in the tagline.'
    assert fields["institution"] == 'Evil "onload=alert(4)" & <b>Co</b>'
    assert fields["contacts.0.organisation"] == "Faculty </script><script>alert(5)</script>"
    assert fields["websites.0"] == "javascript://host/%0Aalert(document.domain"
    assert card.locator("td a[href^='javascript']").count() == 0 and card.locator("span.unlinked").count() == 1
    assert page.evaluate("document.scripts.length") == 2
    assert page.evaluate("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))") == []
    assert page.locator("header h1").text_content() == "Generated Good Practice Collection"
    assert page.locator("header p.meta").first.text_content().startswith('evil"<img src=x onerror=alert(7)>.pdf · ')
    # the copied correction carries the hostile value exactly
    copied = opened.copy(card.locator("table.fields tr", has_text="institution").first.locator("button.copy"))
    assert tomllib.loads(copied)["correction"][0]["was"] == 'Evil "onload=alert(4)" & <b>Co</b>'
    page.locator(f"#p-{practice.id} a.where").first.click()
    page.wait_for_selector("#viewer[data-ready]")
    assert opened.dialogs == [] and opened.console == []
    opened.close()


def test_json_for_the_script_cannot_end_its_element():
    text = script_json({"a": "</script><!-- \u2028\u2029 & >"})
    assert "<" not in text and ">" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028\u2029 & >"}


def test_steward_turns_a_wrong_value_into_a_correction_the_next_run_applies(browser, report_file, guide, tmp_path):
    first = Opened(browser, report_file)
    block = first.copy(first.page.locator(f"#p-{FIRST} table.fields tr", has_text="institution").first.locator("button.copy"))
    first.close()
    fixes = tmp_path / "fixes.toml"
    fixes.write_text(block.replace('value = ""', 'value = "Future Industry Platform Foundation"')
                     .replace('# by = ""', 'by = "a.steward@example.eu"'), encoding="utf-8")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--out", str(out), "--corrections", str(fixes), "--copy-pdf"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )
    assert (done.returncode, done.stderr) == (0, "")
    folder = out / "smarty-good-practice-guide"
    assert sorted(p.name for p in folder.iterdir()) == [
        "budgets.csv", "datapackage.json", "guide.json", "metrics.csv", "practices.csv", "practices.jsonl", "report.html",
        "schema.json", "smarty-good-practice-guide.pdf"]
    assert (folder / "smarty-good-practice-guide.pdf").read_bytes() == GUIDE_PDF.read_bytes()
    data = json.loads((folder / "guide.json").read_text(encoding="utf-8"))
    practice = next(p for p in data["practices"] if p["id"] == FIRST)
    assert practice["institution"] == "Future Industry Platform Foundation"
    assert practice["corrections"] == [{"field": "institution", "was": INSTITUTION, "value": "Future Industry Platform Foundation",
                                        "by": "a.steward@example.eu", "note": None}]
    assert practice["provenance"]["institution"][0]["corrected"] is True
    expected = guide.model_dump(mode="json")
    assert [p for p in data["practices"] if p["id"] != FIRST] == [p for p in expected["practices"] if p["id"] != FIRST]
    second = Opened(browser, folder / "report.html")
    second.page.check("#f-corrected")
    assert second.visible_cards() == [FIRST]
    row = second.page.locator(f"#p-{FIRST} table.fields tr.corrected")
    assert row.locator("td").nth(1).inner_text() == (
        f"Future Industry Platform Foundation\ncorrected by a.steward@example.eu\nextracted: {INSTITUTION}")
    assert "corrected" in row.locator("td.prov").inner_text()
    # the correction made on this report keeps the extracted value as its 'was'
    assert tomllib.loads(second.copy(row.locator("button.copy")))["correction"][0]["was"] == INSTITUTION
    second.close()
    # next edition, text unchanged but practices reordered: still applied
    entries = load_corrections(fixes)
    reordered = guide.model_copy(update={"practices": list(reversed(guide.practices))})
    assert next(p for p in apply_corrections(reordered, entries).practices if p.id == FIRST).institution == (
        "Future Industry Platform Foundation")
    # next edition where the text under the correction changed: flagged stale, not applied
    changed = guide.model_copy(update={"practices": [
        p.model_copy(update={"institution": "Future Industry Platform Foundation (PFR)"}) if p.id == FIRST else p
        for p in guide.practices
    ]})
    stale = next(p for p in apply_corrections(changed, entries).practices if p.id == FIRST)
    assert stale.institution == "Future Industry Platform Foundation (PFR)" and stale.corrections == []
    assert [(w.code, w.field) for w in stale.warnings if w.code.startswith("correction")] == [("correction_stale", "institution")]


def test_a_batch_sized_report_embeds_each_page_once_and_filters(browser, guide, tmp_path):
    """A few hundred practices: twelve copies of the guide's 26 share its 30 pages."""
    from pipeline.outputs.pictures import page_pictures
    from pipeline.outputs.report import render_report

    copies = [
        p.model_copy(update={"id": f"{p.id[:60]}-{k}", "number": k * 26 + p.number})
        for k in range(12) for p in guide.practices
    ]
    big = guide.model_copy(update={"practices": copies})
    pictures = page_pictures(GUIDE_PDF, [p.model_dump(mode="json") for p in guide.practices])
    html = render_report(big, pictures)
    assert html.count('"png":') == 30
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    opened = Opened(browser, report)
    assert opened.count() == "312 of 312 practices"
    opened.page.fill("#q", "blockchain")
    assert opened.count() == "24 of 312 practices"
    opened.page.fill("#q", "")
    opened.page.select_option("#f-code", "link_differs")
    assert [i.rsplit("-", 1)[1] for i in opened.visible_cards()] == [str(k) for k in range(12) for _ in range(2)]
    # thumbnails far down the page are not decoded until scrolled near
    assert opened.page.evaluate("[...document.querySelectorAll('button.thumb img')].filter(i => i.src).length") < 40
    assert opened.console == []
    opened.close()
