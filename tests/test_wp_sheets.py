"""One-practice fact sheets written in Word (tests/wp_sheets.py), read back exactly.

Three house styles: italic metadata labels and bold fact labels on their own line above
the value (style A), labels in bold small capitals with other wordings (style B), labels
set only larger than their values (style C). What went
wrong before: the institution's label ('Organisation in charge of best practice') is
longer than any label the vocabulary lists, so the institution was missed on every
sheet, and the metadata block's first label ('Author(s)') was taken for the summary.
"""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from wp_sheets import SHEETS, expected, printed, score, write_sheets
from pipeline.cards.stacked import match_wording
from pipeline.cards.vocabulary import VocabularyError, check_vocabulary
from pipeline.run import extract_guide

pytestmark = pytest.mark.slow  # five LibreOffice exports and a batch through the command line

BY_STEM = {sheet.stem: sheet for sheet in SHEETS}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Every sheet written once, as a folder of PDFs (a catalogue)."""
    from office import soffice

    soffice()
    out = tmp_path_factory.mktemp("sheets") / "in"
    write_sheets(out)
    for extra in out.iterdir():  # the figure PNG and the raw export: only PDFs stay
        if extra.suffix != ".pdf":
            if extra.is_dir():
                for inner in extra.iterdir():
                    inner.unlink()
                extra.rmdir()
            else:
                extra.unlink()
    return out


@pytest.fixture(scope="module")
def guides(folder):
    return {sheet.stem: extract_guide(folder / f"{sheet.stem}.pdf") for sheet in SHEETS}


def flat(text):
    return " ".join(text.split()) if isinstance(text, str) else text


@pytest.mark.parametrize("stem", list(BY_STEM))
def test_fact_fields_are_read_exactly(guides, stem):
    sheet, guide = BY_STEM[stem], guides[stem]
    want = expected(sheet)
    assert len(guide.practices) == 1
    practice = guide.practices[0]
    assert practice.title == want["title"]
    assert practice.summary == want["summary"]
    assert practice.institution == want["institution"]
    assert practice.location.raw == want["location"]
    assert [[c.name, c.organisation, c.email] for c in practice.contacts] == want["contacts"]
    assert practice.websites == want["websites"]
    assert practice.period.raw == want["period"]
    assert [practice.period.start, practice.period.end, practice.period.ongoing] == want["period_parsed"]
    assert practice.pages == want["pages"]


@pytest.mark.parametrize("stem", list(BY_STEM))
def test_sections_are_read_exactly(guides, stem):
    sheet, practice = BY_STEM[stem], guides[stem].practices[0]
    want = expected(sheet)
    assert {k: flat(v) for k, v in practice.sections.model_dump().items()} == {k: flat(v) for k, v in want["sections"].items()}
    assert {k: flat(v) for k, v in practice.other_sections.items()} == {k: flat(v) for k, v in want["other_sections"].items()}


@pytest.mark.parametrize("stem", list(BY_STEM))
def test_metadata_block_and_pdf_info_fill_guide_metadata(guides, stem):
    sheet, guide = BY_STEM[stem], guides[stem]
    assert guide.metadata.model_dump(exclude={"provenance"}) == expected(sheet)["metadata"]
    # one box per printed metadata item (label and value), all on page 1
    assert [span.page for span in guide.metadata.provenance] == [1] * len(sheet.metadata)


def test_publication_date_comes_from_the_pdf_only_when_the_sheet_states_none(guides):
    assert guides["green-roofs-graz"].metadata.publication_date == "2021-03-12"  # printed '12 March 2021'
    assert guides["school-gardens-porto"].metadata.publication_date == "2019-06"  # printed 'June 2019'
    assert guides["river-repair-kaunas"].metadata.publication_date == "2019-04-15"  # CreationDate D:20190415...
    assert guides["night-buses-tartu"].metadata.publication_date == "2020-02-10"
    assert guides["solar-schools-sofia"].metadata.publication_date == "2022"  # printed '2022'
    # the info dictionary's Author ('Word Processor User') loses to the printed authors
    assert guides["green-roofs-graz"].metadata.authors == ["Maria Keller", "Jonas Weber"]


@pytest.mark.parametrize("stem", list(BY_STEM))
def test_the_author_is_never_practice_data(guides, stem):
    guide = guides[stem]
    practice = guide.practices[0].model_dump(mode="json", exclude={"provenance", "warnings"})
    text = json.dumps(practice, ensure_ascii=False)
    for author in guide.metadata.authors:
        assert author not in text
    for key in ("licence", "document_type", "keywords"):
        if key in BY_STEM[stem].metadata:
            assert BY_STEM[stem].metadata[key] not in text


def test_core_fields_score_at_least_ninety_percent(guides):
    scores = {stem: score(guides[stem], sheet) for stem, sheet in BY_STEM.items()}
    assert scores == {stem: 1.0 for stem in BY_STEM}
    assert sum(scores.values()) / len(scores) >= 0.9


def test_words_in_a_picture_never_end_the_sheet(guides):
    """school-gardens-porto's picture carries large words (OCR reads them at a display
    size, as a title would be): the one practice still runs to the last page."""
    guide = guides["school-gardens-porto"]
    assert guide.source.ocr_pages == [3]
    assert guide.practices[0].pages == [1, 2, 3, 4, 5]
    assert flat(guide.practices[0].sections.transfer) == flat(BY_STEM["school-gardens-porto"].sections["transfer"][0])


def test_card_runs_across_a_full_page_picture(guides):
    guide = guides["green-roofs-graz"]
    practice = guide.practices[0]
    assert guide.source.pages == 5
    assert practice.pages == [1, 2, 3, 4, 5]
    assert [(w.code, w.page) for w in guide.warnings if w.code == "pages_without_text"] == [("pages_without_text", 3)]
    paragraphs = BY_STEM["green-roofs-graz"].sections["about"]
    about = flat(practice.sections.about)
    # the paragraphs printed before and after the picture, in order, in one section
    assert about.index(flat(paragraphs[3])) < about.index(flat(paragraphs[4]))
    assert flat(practice.sections.resources) == flat("\n\n".join(BY_STEM["green-roofs-graz"].sections["resources"]))


def test_label_in_no_vocabulary_is_read_by_its_value_and_named(guides):
    warnings = [(w.code, w.field, w.message) for w in guides["school-gardens-porto"].practices[0].warnings if w.code == "unknown_label"]
    assert warnings == [("unknown_label", "contacts", "The label 'Queries' is in no vocabulary; its value was read as the contact field.")]
    for stem in ("green-roofs-graz", "river-repair-kaunas", "night-buses-tartu", "solar-schools-sofia"):
        assert [w for w in guides[stem].practices[0].warnings if w.code == "unknown_label"] == []


def test_prose_under_further_information_is_its_own_section(guides):
    for stem in ("school-gardens-porto", "night-buses-tartu"):
        sheet = BY_STEM[stem]
        heading = printed(sheet.style, sheet.style["further"])
        practice = guides[stem].practices[0]
        assert list(practice.other_sections) == [heading]
        assert [(w.code, w.field) for w in practice.warnings if w.code == "unknown_heading"] == [("unknown_heading", "sections")]


def test_a_title_at_body_size_still_starts_the_sheet(guides):
    # night-buses-tartu's title is set one point above the body: no display heading
    assert BY_STEM["night-buses-tartu"].title_size < 1.15 * 11
    assert guides["night-buses-tartu"].practices[0].title == "On-Demand Night Buses"
    assert guides["night-buses-tartu"].title == "On-Demand Night Buses"


def test_folder_of_sheets_runs_as_a_batch_through_the_cli(folder, tmp_path):
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(folder), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(BY_STEM)
    for stem, sheet in BY_STEM.items():
        data = json.loads((out / stem / "guide.json").read_text(encoding="utf-8"))
        assert [p["title"] for p in data["practices"]] == [sheet.title]
        assert data["practices"][0]["institution"] == sheet.institution
        want = expected(sheet)["metadata"]
        assert {k: v for k, v in data["metadata"].items() if k != "provenance"} == want


@pytest.mark.parametrize(
    "label, meaning",
    [
        ("Organisation in charge of best practice", ("field", "institution")),  # extends 'organisation in charge'
        ("Lead organisation responsible for the practice", ("field", "institution")),
        ("Web links", ("field", "website")),  # extends 'links'
        ("Period of implementation", ("field", "period")),
        ("Main organisation involved", ("field", "institution")),  # contains 'main organisation'
        ("Country and region", ("field", "location")),
        ("Author(s)", ("metadata", "authors")),
        ("Publication date", ("metadata", "publication_date")),  # longer than the fact label 'date'
        ("Terms of reuse", ("metadata", "licence")),
        ("Resources needed", None),
        ("Web presence", None),  # 'web' is no head word here: a label in no vocabulary
        ("Lead partner contact person", None),  # 'lead partner' and 'contact person' tie: nothing decided
        ("Dates and place", ("field", "location")),  # only the head word extends
    ],
)
def test_label_wording_contained_or_extended(label, meaning):
    assert match_wording(label) == meaning


def test_metadata_wordings_are_vocabulary_data(tmp_path, monkeypatch):
    good = tmp_path / "good.toml"
    good.write_text('[metadata]\nauthors = ["Drafted by"]\n', encoding="utf-8")
    monkeypatch.setenv("GUIDE_EXTRACT_VOCABULARY", str(good))
    assert match_wording("Drafted by") == ("metadata", "authors")
    bad = tmp_path / "bad.toml"
    bad.write_text('[metadata]\ncolour = ["Colour"]\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"\[metadata\] colour is not one of authors, publication_date"):
        check_vocabulary(str(bad))


@pytest.mark.parametrize(
    "printed, iso",
    [("12 March 2021", "2021-03-12"), ("June 2019", "2019-06"), ("2020", "2020"), ("12/03/2021", "2021-03-12"),
     ("March 12, 2021", "2021-03-12"), ("2021-03", "2021-03"), ("31.02.2021", None), ("spring", None)],
)
def test_publication_date_as_iso(printed, iso):
    from pipeline.fields.metadata import iso_date

    assert iso_date(printed) == iso


def test_authors_split_between_people_only():
    from pipeline.fields.metadata import info_date, split_list

    assert split_list(["Maria Keller and Jonas Weber"], names=True) == ["Maria Keller", "Jonas Weber"]
    assert split_list(["Department of Research and Innovation"], names=True) == ["Department of Research and Innovation"]
    assert split_list(["City of Graz, Department for Green Spaces"], names=True) == ["City of Graz, Department for Green Spaces"]
    assert split_list(["green roofs; social housing"]) == ["green roofs", "social housing"]
    assert info_date("D:20200210120000+02'00'") == "2020-02-10"
    assert info_date("not a date") is None
