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


@pytest.mark.parametrize("face", ["/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", FACES[0]])
def test_a_dash_is_measured_apart_from_the_letters_its_box_takes_in(face):
    """A title's 'GOSTOP - Building': OCR's box of the lone mark reached into the 'P'
    and the 'B' beside it, whose edges filled the box from side to side (read as an en
    dash). The bar is the run of ink across the mark's rows."""
    size = 65  # 16 pt at 300 dpi
    for mark in ("-", "–"):
        ink, (x0, top, x1, bottom) = drawn(f"P {mark} B", face, size)
        columns = np.flatnonzero(ink[top : bottom + 1].any(axis=0))
        gaps = np.flatnonzero(np.diff(columns) > 1)
        # the box from a little inside the 'P' to a little inside the 'B'
        left, right = columns[gaps[0]] - 3, columns[gaps[-1] + 1] + 3
        assert dash(ink, (int(left), top, int(right), bottom), size) == mark


@pytest.mark.parametrize(
    "read, meant",
    [("https:/Awww.the-lep.com/", "https://www.the-lep.com/"), ("https:/Mww.", "https://www."),
     ("https:/www.sviluppo.toscana.it", "https://www.sviluppo.toscana.it"), ("http:www.a.eu", "http://www.a.eu"),
     ("https://www.x.org", "https://www.x.org"), ("https://wwf.org", "https://wwf.org"), ("https://web.de", "https://web.de")],
)
def test_the_slashes_of_a_web_address_misread_before_www_are_restored(read, meant):
    assert host_repaired(read) == meant


def _word(text: str, x0: float, x1: float, size: float = 9.6, top: float = 100.0):
    from pipeline.model import Word

    return Word(text, x0, top, x1, top + size, size, None, None, 90.0)


def test_an_email_split_inside_its_name_is_one_word_again():
    from pipeline.read.ocr import _join_addresses

    # measured on an office scan: 'joanna.' and 'labedzka@...' 0.04 of the size apart
    # (the boxes' bearings overlap), where the words of a line stand 0.11-0.19 apart
    words = [_word("Kielce.", 10, 40), _word("joanna.", 41.6, 70), _word("labedzka@itee.gov.pl", 69.6, 150)]
    joined, _, _ = _join_addresses(words, [None] * 3, [None] * 3)
    assert [w.text for w in joined] == ["Kielce.", "joanna.labedzka@itee.gov.pl"]
    # a word a word space before an address stays a word
    words = [_word("write.", 10, 40), _word("info@host.eu", 41.5, 90)]
    assert [w.text for w in _join_addresses(words, [None] * 2, [None] * 2)[0]] == ["write.", "info@host.eu"]


@pytest.mark.slow
def test_a_number_set_alone_at_display_size_is_read():
    """A theme divider's '1', 60 pt (250 px at 300 dpi), which Tesseract's layout
    analysis skips as a picture; a grey block of the same size is no number."""
    from pipeline.read import ocr, tesseract

    bold = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"
    if not Path(bold).exists() or not tesseract.tesseract_found():
        pytest.skip("needs Liberation Sans and Tesseract")
    from pipeline.read.display import lone_numbers
    from pipeline.read.raster import ink_mask

    image = Image.new("L", (2480, 1400), 255)
    canvas = ImageDraw.Draw(image)
    canvas.text((180, 200), "1", font=ImageFont.truetype(bold, 250), fill=60)
    canvas.text((180, 560), "Regional platforms and clusters", font=ImageFont.truetype(bold, 67), fill=0)
    canvas.rectangle((1500, 200, 1700, 420), fill=120)  # a picture
    read = lambda crop: ocr._tesseract(crop, "eng", psm=7)  # noqa: E731
    lines = ocr._tesseract(image, "eng")
    # on this clean page the layout analysis reads the '1'; on the scanned divider page it
    # read only the title: so the title's lines alone are what it gives
    assert [w["text"] for line in lines for w in line["words"]] == ["1", "Regional", "platforms", "and", "clusters"]
    title = [line for line in lines if line["words"][0]["text"] != "1"]
    found = lone_numbers(image, ink_mask(image), title, 300, read)
    assert [[w["text"] for w in line["words"]] for line in found] == [["1"]]
    x0, top, x1, bottom = found[0]["words"][0]["bbox"]
    assert 180 < x0 < x1 < 400 and 200 < top < bottom < 500
    # a number already read is not read twice
    assert lone_numbers(image, ink_mask(image), lines, 300, read) == []


@pytest.mark.slow
def test_labels_printed_between_a_panels_grey_and_its_values_are_read():
    """A dark fact panel whose labels are a light colour printed mid-grey by a mono
    printer (panel 115, labels 158, values 205 on paper 205): turned and stretched, the
    labels are ink, not a light grey Tesseract's threshold drops."""
    from pipeline.read import ocr, tesseract
    from pipeline.read.raster import despeckle, lighten_panels, whiten

    regular = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
    if not Path(regular).exists() or not tesseract.tesseract_found():
        pytest.skip("needs Liberation Sans and Tesseract")
    small, body = ImageFont.truetype(regular, 31), ImageFont.truetype(regular, 40)
    image = Image.new("L", (2480, 1500), 205)
    canvas = ImageDraw.Draw(image)
    canvas.text((150, 80), "The partners met four times to exchange their experience.", font=body, fill=35)
    canvas.rectangle((150, 300, 1300, 1000), fill=115)
    for k, (label, value) in enumerate([("MAIN INSTITUTION INVOLVED", "Leeds City Region Enterprise Partnership"),
                                        ("LOCATION OF THE PRACTICE", "West Yorkshire, United Kingdom")]):
        canvas.text((200, 360 + 280 * k), label, font=small, fill=158)
        canvas.text((200, 420 + 280 * k), value, font=body, fill=205)
    # the page's black body text sets Tesseract's threshold: a label left light grey
    # (a plain inversion) fell on the paper's side of it and was not read at all
    for row in range(3):
        canvas.text((150, 1100 + 60 * row), "Text of the section under the panel, in the guide's body size.", font=body, fill=35)
    text = [" ".join(w["text"] for w in line["words"]) for line in ocr._tesseract(despeckle(whiten(lighten_panels(image))), "eng")]
    assert text[:5] == [
        "The partners met four times to exchange their experience.",
        "MAIN INSTITUTION INVOLVED", "Leeds City Region Enterprise Partnership",
        "LOCATION OF THE PRACTICE", "West Yorkshire, United Kingdom",
    ]


def test_addresses_keep_no_accent_the_latin_reading_shows():
    # a speck over the 'i' of an e-mail read by the Latin model as 'ì': addresses are ASCII
    texts = ["igor.kovac@ijs.si", "https://www.citta.it", "Citta"]
    readings = [("ìgor.kovac@ijs.si", 95), ("https://www.città.it", 95), ("Città", 95)]
    assert restored(texts, readings) == ["igor.kovac@ijs.si", "https://www.citta.it", "Città"]
