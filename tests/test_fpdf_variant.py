"""The sample's content written by fpdf2 (another writer than reportlab and Chromium),
read field by field against the values it was written from."""

import pytest

from fpdf_variant import font_dir, write_fpdf_guide
from html_variants import CORE, VALUES, compare
from pipeline.run import extract_guide

pytestmark = pytest.mark.skipif(font_dir() is None, reason="needs the DejaVu fonts (fonts-dejavu-core)")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    pdf, expected = write_fpdf_guide(tmp_path_factory.mktemp("fpdf") / "fpdf.pdf")
    return extract_guide(pdf), expected


def test_structure(written):
    guide, expected = written
    assert guide.title == expected["title"]
    assert [[t.number, t.title] for t in guide.themes] == expected["themes"]
    assert [p.title for p in guide.practices] == [p["title"] for p in expected["practices"]]
    assert [" ".join((t.intro or "").split()) for t in guide.themes] == [" ".join(i.split()) for i in expected["intros"]]


@pytest.mark.parametrize("field", CORE + VALUES)
def test_field(written, field):
    guide, expected = written
    assert compare(guide, expected)[field] == []


def test_unknown_label_is_named(written):
    guide, expected = written
    for practice, want in zip(guide.practices, expected["practices"]):
        named = [w.message for w in practice.warnings if w.code == "unknown_label"]
        assert len(named) == (1 if want["websites"] else 0)
        assert all("'Read more at'" in message for message in named)
