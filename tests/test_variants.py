"""Layouts the guide does not use, generated here: the extractor must need no change."""

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import GUIDE_PDF
from pipeline.run import extract_guide
from variants import expected_section, plain, portrait_cards_read, sample_themes, write_portrait_guide

SECTION_KEYS = {
    "About this good practice": "about",
    "Resources needed": "resources",
    "Evidence of success": "evidence",
    "Evidence of Success": "evidence",
    "Challenges encountered": "challenges",
    "Difficulties encountered": "challenges",
    "Potential for learning or transfer": "transfer",
}


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "ligatures"])
def portrait(request, tmp_path_factory):
    title, themes = sample_themes(ligatures=request.param)
    path = write_portrait_guide(tmp_path_factory.mktemp("portrait") / "portrait.pdf", title, themes)
    return extract_guide(path), title, sample_themes(ligatures=False)[1]


def test_portrait_table_layout_reads_every_field(portrait):
    guide, title, themes = portrait
    for practice, card, fields in portrait_cards_read(guide, title, themes):
        if "Website:" in fields:
            assert practice.websites == ["".join(fields["Website:"])]
        else:
            assert practice.websites == [] and "missing_website" in {w.code for w in practice.warnings}
        expected = {key: None for key in SECTION_KEYS.values()}
        for heading, blocks in card.sections:
            expected[SECTION_KEYS[heading]] = expected_section(blocks)
        assert practice.sections.model_dump() == expected


def test_portrait_card_continues_on_the_next_page(portrait):
    guide, _, _ = portrait
    first = guide.practices[0]
    assert first.pages == [3, 4]
    assert first.sections.transfer.split("\n\n")[-1].startswith("Lesson 8: regions that tried")


def test_portrait_ligatures_are_plain_letters(portrait):
    guide, _, _ = portrait
    text = guide.model_dump_json()
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "helps small manufacturers finance their first collaborative robot" in guide.practices[0].sections.about
    assert "a flexible pilot cell" in guide.practices[0].sections.about


def test_portrait_hyphens(portrait):
    about = portrait[0].practices[0].sections.about
    assert "regional roundtable on automation in the food-processing sector" in about
    assert plain("auto~mation") == "automation"


@pytest.fixture(scope="module")
def reordered(tmp_path_factory):
    """The real guide with its themes in reverse order (pages moved, nothing retyped)."""
    reader = PdfReader(GUIDE_PDF)
    blocks = [range(0, 3), range(3, 11), range(11, 21), range(21, 28), range(28, 37)]
    order = [blocks[0], blocks[4], blocks[3], blocks[2], blocks[1]]
    writer = PdfWriter()
    for block in order:
        for index in block:
            writer.add_page(reader.pages[index])
    path = tmp_path_factory.mktemp("reordered") / "reordered.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return extract_guide(path)


@pytest.mark.slow  # the whole guide rebuilt and read again
def test_reordered_guide_gives_the_same_practices(guide, reordered):
    assert [t.number for t in reordered.themes] == [4, 3, 2, 1]
    original = {p.id: p for p in guide.practices}
    assert sorted(p.id for p in reordered.practices) == sorted(original)
    for practice in reordered.practices:
        before = original[practice.id]
        assert practice.theme == before.theme
        assert practice.model_dump(exclude={"number", "pages", "provenance", "warnings", "links"}) == before.model_dump(
            exclude={"number", "pages", "provenance", "warnings", "links"}
        )
    assert [p.title for p in reordered.practices][:2] == [
        "Skills for Growth",
        "ProACCIÓ 4.0: Catalonia’s innovation ecosystem accelerating Industry 4.0 transformation for SMEs",
    ]


def test_repeated_title_gets_a_suffixed_id_and_a_warning(tmp_path):
    title, themes = sample_themes()
    themes[1].cards[0].title = themes[0].cards[0].title
    guide = extract_guide(write_portrait_guide(tmp_path / "twice.pdf", title, themes))
    assert [p.id for p in guide.practices] == [
        "harbour-robotics-voucher", "digital-twin-clinic-for-workshops", "harbour-robotics-voucher-2",
    ]
    assert [(w.code, w.practice, w.field) for w in guide.practices[2].warnings if w.field == "id"] == [
        ("duplicate_title", "harbour-robotics-voucher-2", "id"),
    ]
    assert guide.practices[2].title == guide.practices[0].title == "Harbour Robotics Voucher"
