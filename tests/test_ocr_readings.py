"""What the OCR stage decides after Tesseract: dashes and capital I from the glyphs' ink
(drawn here with real faces), letters from their neighbours, and accents from the
Latin-script reading, voted over the guide."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.accents import accented, restored
from pipeline.read.glyphs import dash, first_glyph_is_bar, host_repaired, reread

FACES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
]
SANS = [face for face in FACES if "Serif" not in face]


def drawn(text: str, face: str, size: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """`text` drawn at `size` pixels per em: its ink and the ink's box, as OCR gives it."""
    if not Path(face).exists():
        pytest.skip(f"{face} is not installed (scripts/test installs fonts-dejavu-core and fonts-liberation)")
    image = Image.new("L", (20 * size, 3 * size), 255)
    ImageDraw.Draw(image).text((size, size // 2), text, font=ImageFont.truetype(face, size), fill=0)
    ink = np.asarray(image) < 128
    ys, xs = np.nonzero(ink)
    return ink, (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("size", [34, 38, 50])  # 8-12 pt at 300 dpi
def test_dashes_are_told_apart_by_length(face, size):
    for mark in ("-", "–", "—"):
        ink, box = drawn(mark, face, size)
        assert dash(ink, box, size) == mark
        assert reread("-", box, size, ink) == mark  # Tesseract's reading of all three


def test_a_dash_is_measured_by_its_ink_not_its_box():
    ink, (x0, top, x1, bottom) = drawn("-", FACES[0], 38)
    # OCR's box took in empty paper to the right and above: still a hyphen
    assert dash(ink, (x0, top - 30, x1 + 40, bottom), 38) == "-"


@pytest.mark.parametrize("face", SANS)
def test_a_sans_capital_i_read_as_one_is_a_capital_i(face):
    for size in (34, 50):
        ink, box = drawn("I4.0", face, size)
        assert first_glyph_is_bar(ink, box)
        assert reread("14.0", box, size, ink) == "I4.0"
        ink, box = drawn("ICT", face, size)
        assert reread("1CT", box, size, ink) == "ICT"


@pytest.mark.parametrize("face", FACES)
def test_a_digit_one_stays_a_one(face):
    for text in ("14.0", "160", "1,100", "12"):
        ink, box = drawn(text, face, 38)
        assert not first_glyph_is_bar(ink, box)
        assert reread(text, box, 38, ink) == text


def test_a_serif_capital_i_is_left_as_read():
    # its serifs make it as wide as a one: the shape does not decide, so nothing changes
    ink, box = drawn("I4.0", FACES[-1], 38)
    assert reread("14.0", box, 38, ink) == "14.0"


@pytest.mark.parametrize(
    "read, meant",
    [("loT", "IoT"), ("lCT", "ICT"), ("ACClO", "ACCIO"), ("ProACClO", "ProACCIO"),
     ("local", "local"), ("lorem", "lorem"), ("Hello", "Hello"), ("SMEs", "SMEs"), ("l", "l"), ("ll", "ll")],
)
def test_a_lowercase_l_among_capitals_is_a_capital_i(read, meant):
    ink = np.zeros((10, 10), dtype=bool)
    assert reread(read, (0, 0, 9, 9), 38, ink) == meant


@pytest.mark.parametrize(
    "read, meant",
    [("https://przemyslprzyszlosci.gov.p!", "https://przemyslprzyszlosci.gov.pl"),
     ("www.examp|e.org/a!b", "www.example.org/a!b"),  # a '!' in the path may be meant
     ("name@host.f!", "name@host.fl"), ("na!me@host.fi", "na!me@host.fi"),
     ("wow!", "wow!")],
)
def test_impossible_characters_in_a_host_name_are_an_l(read, meant):
    assert host_repaired(read) == meant


@pytest.mark.parametrize(
    "english, latin, kept",
    [("Jozef", "Jožef", "Jožef"), ("Citta", "Città", "Città"), ("Leén", "León", "León"),
     ("KneZevi¢", "Knežević", "Knežević"), ("Hlisé", "Hlišč", "Hlišč"), ("Ita-Suomi,", "Itä-Suomi,", "Itä-Suomi,"),
     ("Catalonia", "Cataionia", "Catalonia"),  # another letter, not an accent
     ("Innovation", "innovation", "Innovation"),
     ("Key", "Key.", "Key"),  # another length
     ("p.guarnieri", "p-guarnieri", "p.guarnieri")],
)
def test_accents_are_taken_only_where_the_readings_agree_on_the_letters(english, latin, kept):
    assert accented(english, latin) == kept


def test_accents_are_restored_by_the_guides_vote():
    texts = ["DIGITAL", "Jozef", "DIGITAL", "DIGITAL", "the", "Jozef", "the", "Kovac", "to", "Lopez"]
    readings = [
        ("DIGITÀL", 95), ("Jožef", 95), ("DIGITAL", 96), ("DIGITAL", 96),  # a stray accent, outvoted
        ("thẹ", 96), ("Jožef", 94), ("the", 96),  # a Vietnamese dot: no European language writes it
        ("Kovač", 95), ("tọ", 83), ("López", 40),  # López: the Latin model was not sure
    ]
    assert restored(texts, readings) == ["DIGITAL", "Jožef", "DIGITAL", "DIGITAL", "the", "Jožef", "the", "Kovač", "to", "Lopez"]


def test_marks_no_european_language_writes_are_not_taken():
    assert restored(["DIGITAL", "assess"], [("DIĜITAL", 96), ("assẹss", 90)]) == ["DIGITAL", "assess"]


def test_without_a_latin_reading_the_english_one_stands():
    assert restored(["Jozef", "Citta"], [None, None]) == ["Jozef", "Citta"]
