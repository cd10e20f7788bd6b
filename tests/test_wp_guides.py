"""Guides written in a word processor (python-docx) and exported by LibreOffice Writer:
ruled fact tables with plain labels, numbered headings, a typed table of contents,
run-in heads, two-column narratives, soft hyphens, ligatures, symbol-font bullets and
'Page N of M' footers (tests/wp_guides.py). Each style is read field by field against
the values it was written from and scored as the browser editions are."""

import pytest

from html_variants import compare, score
from office import soffice
from pipeline.run import extract_guide
from wp_guides import FOOTNOTE, STYLES, write_wp_guide

FACTS = ("title", "theme", "institution", "location", "country_code", "contacts", "websites", "period_parsed")


@pytest.fixture(scope="module", params=sorted(STYLES), ids=sorted(STYLES))
def edition(request, tmp_path_factory):
    soffice()
    style = STYLES[request.param]
    pdf, expected, draft = write_wp_guide(tmp_path_factory.mktemp(style.name), style)
    return style, extract_guide(pdf), expected, draft


def _misses(guide, expected, fields):
    return {f: rows for f, rows in compare(guide, expected).items() if f in fields and rows}


def test_every_card_is_found_once_in_its_numbered_theme(edition):
    _, guide, expected, _ = edition
    assert guide.title == expected["title"]
    assert [[t.number, t.title] for t in guide.themes] == expected["themes"]
    assert [p.title for p in guide.practices] == [p["title"] for p in expected["practices"]]
    assert [p.theme.number for p in guide.practices] == [p["theme"] for p in expected["practices"]]


def test_fact_table_values_practice_by_practice(edition):
    _, guide, expected, _ = edition
    assert _misses(guide, expected, FACTS) == {}


def test_score_reaches_the_bar(edition):
    style, guide, expected, _ = edition
    scores = score(guide, expected)
    misses = {f: rows for f, rows in compare(guide, expected).items() if rows}
    assert scores["core"] >= 0.95, misses
    assert scores["values"] >= 0.90, misses


def test_labels_in_no_vocabulary_are_named(edition):
    style, guide, expected, _ = edition
    named = set()
    for practice in guide.practices:
        for warning in practice.warnings:
            if warning.code == "unknown_label":
                named.add(warning.message.split("'")[1])
    others = {label for label, _ in style.extra_rows}
    assert named == set(expected["unknown_labels"]) | others


def test_rows_no_field_holds_are_kept_under_their_label(edition):
    """'Funding source' rows stay with their card, also when a page break cut the table
    (and a 'Key facts' header row left alone at a page foot is no text of the card)."""
    style, guide, _, _ = edition
    for practice in guide.practices:
        assert practice.other_sections == dict(style.extra_rows)


def test_furniture_ligatures_and_bullets_leave_no_trace(edition):
    _, guide, _, _ = edition
    for practice in guide.practices:
        text = " ".join(v or "" for v in practice.sections.model_dump().values())
        assert not any(ch in text for ch in "\ufb00\ufb01\ufb02\ufb03\uf0b7\u00ad")
        assert "Page " not in text.replace("web page", "")


def test_footnote_is_a_note(edition):
    style, guide, _, _ = edition
    if not style.footnote:
        pytest.skip("no footnote in this style")
    assert guide.practices[1].notes == [FOOTNOTE]
    assert all(FOOTNOTE not in (v or "") for v in guide.practices[1].sections.model_dump().values())


def test_table_split_by_a_page_break_stays_with_its_card(edition):
    style, guide, expected, _ = edition
    if style.split_table is None:
        pytest.skip("no table is pushed to a page foot in this style")
    practice = guide.practices[style.split_table]
    first = practice.provenance["title"][0].page
    assert practice.provenance["institution"][0].page == first
    assert practice.provenance["websites"][0].page == first + 1
    assert practice.websites == expected["practices"][style.split_table]["websites"]


def test_table_of_contents_matches_the_cards_found(edition):
    _, guide, _, _ = edition
    assert [w.message for w in guide.warnings if w.code == "contents_mismatch"] == []


def test_table_of_contents_with_wrong_pages_is_reported(edition):
    """The first export's contents give page 0 everywhere: every theme and practice off
    the most common offset is named, and nothing else is."""
    _, guide, _, draft = edition
    wrong = extract_guide(draft)
    starts = {t.title: t.pages[0] for t in wrong.themes} | {p.title: p.pages[0] for p in wrong.practices}
    named = {w.message.split("'")[1] for w in wrong.warnings if w.code == "contents_mismatch"}
    assert all("gives page 0 for" in w.message for w in wrong.warnings if w.code == "contents_mismatch")
    usual = max(set(starts.values()), key=list(starts.values()).count)
    assert named == {title for title, page in starts.items() if page != usual}


@pytest.mark.parametrize(("printed", "read"), [
    ("\ufb01nance", "finance"), ("e\ufb00ect", "effect"), ("\ufb03ce", "ffice"), ("m²", "m²"), ("½", "½"),
    ("\uf0b7", "•"), ("devel\u00ad", "devel-"), ("in\u00adformation", "information"), ("™", "™"),
])
def test_word_hygiene_spells_out_ligatures_only(printed, read):
    from pipeline.read.hygiene import clean_word

    assert clean_word(printed) == read
