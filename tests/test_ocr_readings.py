"""What the OCR stage decides after Tesseract: dashes and capital I from the glyphs' ink
(drawn here with real faces), letters from their neighbours, and accents from the
Latin-script reading, voted over the guide."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from drawn_glyphs import FACES, SANS, at_150_dpi
from drawn_glyphs import drawn as drawn_address
from pipeline.read.accents import accented, restored
from pipeline.read.glyphs import address_bars, dash, first_glyph_is_bar, first_glyph_is_serif_i, host_repaired, reread
from pipeline.read.letters import voted

def drawn(text: str, face: str, size: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """`text` drawn at `size` pixels per em: its ink and the ink's box, as OCR gives it."""
    if not Path(face).exists():
        pytest.skip(f"{face} is not installed (scripts/test installs fonts-dejavu-core and fonts-liberation)")
    image = Image.new("L", (20 * size, 3 * size), 255)
    ImageDraw.Draw(image).text((size, size // 2), text, font=ImageFont.truetype(face, size), fill=0)
    ink = np.asarray(image) < 128
    ys, xs = np.nonzero(ink)
    return ink, (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))


def _liberation_sans_and_tesseract(style: str) -> str:
    """The path of Liberation Sans in `style` ('Regular', 'Bold'); the test is skipped
    where it or Tesseract is not installed."""
    from pipeline.read import tesseract

    face = f"/usr/share/fonts/truetype/liberation/LiberationSans-{style}.ttf"
    if not Path(face).exists() or not tesseract.tesseract_found():
        pytest.skip("needs Liberation Sans and Tesseract")
    return face


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("size", [34, 38, 50])  # 8-12 pt at 300 dpi
def test_dashes_are_told_apart_by_length(face, size):
    for mark in ("-", "–", "—"):
        ink, box = drawn(mark, face, size)
        assert dash(ink, box, size) == mark
        assert reread("-", box, size, ink) == mark  # Tesseract's reading of all three


@pytest.mark.parametrize("face", FACES)
def test_one_dash_read_as_two_is_one_dash_and_two_printed_stay_two(face):
    """A title's en dash read '-—' at 46 on an office scan (`table`, a whole guide): the
    title then matched none of the edition's, and the practice was counted lost. The ink
    is one bar: one dash, of the kind its length says. Two hyphens printed ('--') stand
    apart, and stay as read."""
    size = 65  # a 16 pt title at 300 dpi
    for mark in ("–", "—"):
        ink, box = drawn(mark, face, size)
        for read in ("-—", "—-", "--", "–-"):
            assert reread(read, box, size, ink) == mark
    ink, box = drawn("--", face, size)
    assert reread("--", box, size, ink) == "--"


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


# The first glyph of '120-fee' and of '102' as the office scan of two browser editions
# gave them (a sans '1' with a foot, its flag's curve a pixel right of its stem below
# the top): taken for a serif I, they became 'I20-fee' and 'I02' and two metrics were lost
_SCANNED_ONES = [
    """
    ........##........ .....######....... ....########...... ...########....... ..#########.......
    .####.#####....... ..##...####....... ........###....... .......####....... .......####.......
    .......####....... .......####....... .......####....... .......####....... .......####.......
    .......####....... .......####....... .......####....... .......####....... .......####.......
    .......####....... .......####....... .......####....... .......#####...... ......#######.....
    .################. ################## .################.
    """,
    """
    .......##........ .....#####....... ...########...... ..########....... .#########.......
    ####.#####....... ###...####....... .#....####....... ......####....... ......####.......
    ......####....... ......####....... ......####....... ......####....... ......####.......
    ......####....... ......####....... ......####....... ......####....... ......####.......
    ......####....... ......####....... ......####....... ......#####...... .###.#######..#..
    ################# ################# ################.
    """,
]


@pytest.mark.parametrize("rows", _SCANNED_ONES)
def test_a_scanned_sans_one_with_a_foot_is_no_serif_i(rows):
    glyph = np.pad(np.array([[c == "#" for c in row] for row in rows.split()]), 3)
    box = (0, 0, glyph.shape[1] - 1, glyph.shape[0] - 1)
    assert not first_glyph_is_serif_i(glyph, box)
    assert reread("120-fee", box, 38, glyph) == "120-fee"


@pytest.mark.parametrize("face", [FACES[-1], "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"])
@pytest.mark.parametrize("size", [34, 44, 50])
def test_a_serif_capital_i_read_as_one_is_told_by_its_serifs(face, size):
    """'I4.0' read '14.0' in a word processor's serif heading ('Waste Management and
    Recycling Cluster for 14.0': the title then matched none, the practice was lost on
    the office scan of a whole guide). An I's top serif reaches right of its stem, a
    one's top is its flag; a one's is none, at 300 dpi and as a 150 dpi scan gives it."""
    ink, box = drawn("I4.0", face, size)
    for pixels in (ink, at_150_dpi(ink)):
        assert reread("14.0", box, size, pixels) == "I4.0"
        assert reread("[4.0", box, size, pixels) == "I4.0"  # its serifs read as a bracket's corners
    ink, box = drawn("[4.0", face, size)
    for pixels in (ink, at_150_dpi(ink)):
        assert reread("[4.0", box, size, pixels) == "[4.0"
    for number in ("14.0", "160", "1,100", "12"):
        ink, box = drawn(number, face, size)
        for pixels in (ink, at_150_dpi(ink)):
            assert not first_glyph_is_serif_i(pixels, box)


@pytest.mark.parametrize(
    "read, meant",
    [("loT", "IoT"), ("lCT", "ICT"), ("ACClO", "ACCIO"), ("ProACClO", "ProACCIO"),
     ("local", "local"), ("lorem", "lorem"), ("Hello", "Hello"), ("SMEs", "SMEs"), ("l", "l"), ("ll", "ll")],
)
def test_a_lowercase_l_among_capitals_is_a_capital_i(read, meant):
    ink = np.zeros((10, 10), dtype=bool)
    assert reread(read, (0, 0, 9, 9), 38, ink) == meant


@pytest.mark.parametrize("read, conf, meant", [
    # an office scan's euro signs after 'M', read as an 'E' (once as 'E€'), each unsure
    ("2ME€", 47.0, "2M€"), ("5ME.", 61.0, "5M€."), ("2ME", 38.0, "2M€"), ("60KE,", 50.0, "60K€,"),
    # a sure reading, a word that is no amount, or an 'E' of 'MEUR' stay
    ("2ME", 90.0, "2ME"), ("SME", 30.0, "SME"), ("2MEUR", 40.0, "2MEUR"), ("1,3M€", 84.0, "1,3M€"),
])
def test_a_euro_sign_read_as_an_e_after_millions_is_the_euro(read, conf, meant):
    from pipeline.read.glyphs import euro_repaired

    assert euro_repaired(read, conf) == meant


@pytest.mark.parametrize(
    "read, meant",
    # an apostrophe read twice on office scans of light type on a mid-grey panel
    [("Sant’‘Anna", "Sant’Anna"), ("Sant’'Anna", "Sant’Anna"), ("d''Aosta", "d'Aosta"),
     # one apostrophe, or quotes around a word, stay
     ("Sant’Anna", "Sant’Anna"), ("‘Anna’", "‘Anna’"), ("''Anna''", "''Anna''")],
)
def test_an_apostrophe_read_twice_is_one(read, meant):
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
     ("ProACCIIO", "ProACCIÓ", "ProACCIÓ"), ("ProACC'O", "ProACCÓ", "ProACCÓ"),  # the accent read as a bar before it
     ("ProACCIIO", "ProACCIO", "ProACCIIO"), ("CIIOA", "CIÓB", "CIIOA"),  # no accent, or another letter too
     ("Len,", "León,", "León,"), ("Lon", "León", "Lon"), ("Leon", "Leóna", "Leon"),  # an accented letter left out
     ("Le6n,", "León,", "León,"), ("L6pez", "López", "López"),  # an 'ó' read '6' between letters
     ("2020", "2ó20", "2020"), ("6a", "óa", "6a"), ("R6", "Ró", "R6"),  # a digit of a number, or at an end
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


def test_a_dot_over_a_letter_read_once_is_a_speck():
    """Measured on 150 dpi grey scans: the Latin model read 'Marċh' at 92 (`table`, the
    period's month lost) and 'Labėdzka' (`sidebar`, the contact's name), a speck over
    the letter; each word once in the pages read. A dot is taken where the guide reads
    it twice; any other accent, once."""
    texts = ["March", "Labedzka", "Zory", "Jozef", "Zory"]
    readings = [("Marċh", 92), ("Labėdzka", 90), ("Żory", 90), ("Jožef", 90), ("Żory", 88)]
    assert restored(texts, readings) == ["March", "Labedzka", "Żory", "Jožef", "Żory"]


def test_marks_no_european_language_writes_are_not_taken():
    assert restored(["DIGITAL", "assess"], [("DIĜITAL", 96), ("assẹss", 90)]) == ["DIGITAL", "assess"]


def test_without_a_latin_reading_the_english_one_stands():
    assert restored(["Jozef", "Citta"], [None, None]) == ["Jozef", "Citta"]


# What read_page keeps of Tesseract's words (pipeline/read/ocr.py), on hOCR lines in
# ocr._Hocr's shape: pixel boxes at 300 dpi, a line of type 40 px (about 10 pt).
def _line(*words):
    return {"bbox": [87.0, 358.0, 900.0, 433.0], "baseline": [0.0, -10.0], "x_size": [40.0], "x_descenders": [10.0],
            "words": [{"bbox": list(box), "conf": conf, "text": text} for text, box, conf in words]}


def test_a_word_inside_another_is_a_ghost_of_it():
    """Measured on a grey scan: a ghost 'pl' (23) inside an unsure 'Ov.pl' (14, read
    again as 'ov.pi'), joined into the address ('lukasiewicz.gplov.pl'). The larger box
    stays whatever the confidences; of two boxes each inside the other, the surer. Words
    side by side, or overlapping a little as italic ones do, all stay."""
    from pipeline.read.ocr import _without_ghosts

    def texts(lines):
        return [[w["text"] for w in line["words"]] for line in _without_ghosts(lines)]

    lines = [_line(("joanna.labedzka@itee.lukasiewicz.g", (1632, 1645, 2241, 1690), 80.0)),
             _line(("Ov.pl", (1639, 1701, 1710, 1734), 14.0)), _line(("pl", (1684, 1697, 1712, 1739), 23.0))]
    assert texts(lines) == [["joanna.labedzka@itee.lukasiewicz.g"], ["Ov.pl"]]
    twice = [_line(("ov.pl", (1639, 1701, 1710, 1734), 40.0)), _line(("ov.pi", (1640, 1700, 1711, 1735), 66.0))]
    assert texts(twice) == [["ov.pi"]]
    assert texts([_line(("ov.pl", (1639, 1701, 1710, 1734), 40.0), ("ov.pl", (1639, 1701, 1710, 1734), 40.0))]) == [["ov.pl"]]
    italic = [_line(("Evidence", (100, 400, 260, 440), 90.0), ("of", (250, 400, 290, 440), 40.0), ("success", (282, 400, 420, 440), 95.0))]
    assert _without_ghosts(italic) == italic
    alone = [_line(("pl", (403, 408, 412, 418), 23.0))]
    assert _without_ghosts(alone) == alone


def test_a_word_boxed_over_its_whole_line_keeps_the_words_inside_its_box():
    """`flow-grid` on the whole-guide office scan: Tesseract gave 'https://www.' the box of
    its whole line, and 'lapinliitto.' and 'fi/hankkeet/kansalliset-' inside that box went
    as its ghosts (the web address lost its host). A box wider than its letters could be
    is cut back to the first word inside it; a box its letters fill keeps its ghosts."""
    from pipeline.read.ocr import _without_ghosts

    line = _line(("https://www.", (228, 400, 960, 435), 64.0), ("lapinliitto.", (520, 400, 700, 435), 90.0),
                 ("fi/hankkeet/kansalliset-", (705, 400, 960, 435), 85.0))
    out = _without_ghosts([line])
    assert [(w["text"], w["bbox"]) for w in out[0]["words"]] == [
        ("https://www.", [228, 400, 519, 435]), ("lapinliitto.", [520, 400, 700, 435]), ("fi/hankkeet/kansalliset-", [705, 400, 960, 435])]
    filled = _line(("joanna.labedzka@itee.lukasiewicz.g", (1632, 1645, 2241, 1690), 80.0), ("g", (2200, 1645, 2241, 1690), 30.0))
    assert [w["text"] for w in _without_ghosts([filled])[0]["words"]] == ["joanna.labedzka@itee.lukasiewicz.g"]


def test_a_bar_shorter_than_the_type_is_a_piece_of_an_edge():
    from pipeline.read.ocr import _without_rule_pieces, line_size

    # '| 1 Regional': a 13 px sliver of a panel's edge read with confidence 94
    line = _line(("|", (87, 403, 88, 416), 94.0), ("1", (153, 393, 180, 423), 94.0), ("Regional", (200, 393, 400, 433), 96.0))
    assert line_size(line) == pytest.approx(40.0)
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["1", "Regional"]
    # a printed bar is as tall as the capitals: kept
    line = _line(("A", (100, 393, 125, 423), 95.0), ("|", (140, 391, 143, 431), 90.0), ("B", (160, 393, 185, 423), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["A", "|", "B"]


def test_a_line_of_one_word_short_of_tall_letters_keeps_its_size():
    """Measured on `grid3-inline`'s office scan: a fact's value wrapped its last word onto
    a line of its own ('government', whose tallest letter is a 't'; 'Vernon', a capital
    shorter than the ascenders), and the tallest-third rule against specks measured the
    line from that word's top: 18% small, so the line was no part of the value and the
    word was lost. Only words whose letters reach the ascent measure it now, a capital a
    little short of it. A speck in a word's box, or a short line Tesseract measured large
    ('Toscana, Italy' at 1.19 times its ink on the `no-bold` office scan), is still
    measured by its words."""
    from pipeline.read.ocr import line_size

    def line(*words, x_size=36.0, descenders=7.5):
        return {"bbox": [227.0, min(b[1] for _, b in words), 900.0, 173.0], "baseline": [0.0, -7.0],
                "x_size": [x_size], "x_descenders": [descenders],
                "words": [{"bbox": list(box), "conf": 96.0, "text": text} for text, box in words]}

    body = line_size(line(("of", (227, 138, 260, 166)), ("Economic", (275, 138, 420, 166)), ("Development,", (435, 138, 640, 173))))
    assert line_size(line(("government", (227, 143, 421, 173)))) == pytest.approx(body)
    assert line_size(line(("Vernon", (227, 141, 342, 166)), ("TECOS", (350, 141, 470, 166)))) == pytest.approx(body)
    # a speck over one word of three stretched Tesseract's estimate: the words' tops tell
    specked = line(("of", (227, 138, 260, 166)), ("Economic", (275, 120, 420, 166)), ("Development,", (435, 138, 640, 173)), x_size=54.0)
    assert line_size(specked) == pytest.approx(body, rel=0.05)  # not the 62 of its estimate
    place = {"bbox": [53.0, 92.0, 280.0, 126.0], "baseline": [-0.004, -7.0], "x_size": [39.75], "x_descenders": [7.5],
             "words": [{"bbox": [53, 92, 180, 126], "conf": 96.0, "text": "Toscana,"}, {"bbox": [195, 92, 280, 119], "conf": 89.0, "text": "Italy"}]}
    assert line_size(place) == pytest.approx(body, rel=0.06)  # not the 43 of its estimate
    # a capital alone measures the ascent less closely: 'Vernon' measured 24, 'TECOS' under it 27
    name = {"bbox": [62.0, 52.0, 177.0, 77.0], "baseline": [0.0, -1.0], "x_size": [36.1875], "x_descenders": [7.1875],
            "words": [{"bbox": [62, 52, 177, 77], "conf": 96.0, "text": "Vernon"}]}
    assert line_size(name) == pytest.approx(body, rel=0.03)


def test_a_quote_mark_alone_opening_a_line_is_a_speck():
    """A speck in a fact panel read as a quote mark before 'Web presence:' (confidence 77,
    kept by the noise filter) cost the label, and the web address under it was lost
    (flow-grid grey-200). An opening quote set in text stands against its word."""
    from pipeline.read.ocr import _without_rule_pieces

    line = _line(("'", (100, 395, 106, 405), 77.0), ("Web", (130, 393, 200, 433), 95.0), ("presence:", (215, 393, 380, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["Web", "presence:"]
    line = _line(("\u201c", (100, 395, 110, 405), 80.0), ("Smart", (125, 393, 220, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["Smart"]
    # a quote inside the line, or one standing against its word, is text
    line = _line(("said", (100, 393, 170, 433), 95.0), ("\u201c", (185, 395, 195, 405), 80.0), ("yes", (200, 393, 260, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["said", "\u201c", "yes"]
    line = _line(("\u201cSmart\u201d", (100, 393, 220, 433), 95.0), ("region", (235, 393, 330, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["\u201cSmart\u201d", "region"]


def test_an_unsure_dash_is_kept_where_its_box_is_a_dashs():
    from pipeline.read.ocr import _noise

    size = 36.0
    # 'January 2017 – March 2020' at 200 dpi with heavy speckle: the dash read at 48
    assert not _noise({"text": "—", "conf": 48.0, "bbox": [1529, 2270, 1547, 2273]}, size)
    # unsure specks and rules read as punctuation go
    assert _noise({"text": "-", "conf": 48.0, "bbox": [10, 10, 14, 14]}, size)  # a square speck
    assert _noise({"text": "—", "conf": 30.0, "bbox": [10, 10, 400, 13]}, size)  # a rule's piece, 11 sizes long
    assert _noise({"text": ".", "conf": 30.0, "bbox": [10, 10, 14, 14]}, size)
    assert not _noise({"text": "a", "conf": 10.0, "bbox": [10, 10, 24, 24]}, size)  # letters are never noise


@pytest.mark.parametrize(
    "english, latin, chosen",
    [
        # the English model's word list reads a thin 'l' as 'i'; the Latin model is surer
        (("https://przemysiprzyszlosci.gov.pl", 31.0), ("https://przemyslprzyszlosci.gov.pl", 69.0), "https://przemyslprzyszlosci.gov.pl"),
        (("joanna@itee.iukasiewicz.gov.pl", 40.0), ("joanna@itee.lukasiewicz.gov.pl", 88.0), "joanna@itee.lukasiewicz.gov.pl"),
        # not sure enough, not surer by enough, not an address, not ASCII: English stands
        (("https://przemysiprzyszlosci.gov.pl", 31.0), ("https://przemyslprzyszlosci.gov.pl", 55.0), "https://przemysiprzyszlosci.gov.pl"),
        (("https://przemysiprzyszlosci.gov.pl", 60.0), ("https://przemyslprzyszlosci.gov.pl", 75.0), "https://przemysiprzyszlosci.gov.pl"),
        (("https://przemysiprzyszlosci.gov.pl", 31.0), ("przemyslprzyszlosci", 90.0), "https://przemysiprzyszlosci.gov.pl"),
        (("https://krakow.pl", 31.0), ("https://kraków.pl", 90.0), "https://krakow.pl"),
        (("Innovation", 31.0), ("innovation", 90.0), "Innovation"),
    ],
)
def test_an_address_is_taken_from_the_surer_reading(english, latin, chosen):
    from pipeline.read.ocr import _address_reading

    word = {"text": english[0], "conf": english[1], "bbox": [0, 0, 10, 10], "latin": latin}
    assert _address_reading(word) == chosen
    assert _address_reading({"text": english[0], "conf": english[1], "bbox": [0, 0, 10, 10]}) == english[0]


def _words(*pieces, size=8.6):
    """Words on one line at `size` points, each (text, x0, x1), confidence 80."""
    from pipeline.model import Word

    return [Word(text, x0, 100.0, x1, 100.0 + size, size, None, None, 80.0) for text, x0, x1 in pieces]


@pytest.mark.parametrize(
    "pieces, joined",
    [
        # split at a dot the scan kept, before the '@', and at a dot the scan lost
        ((("name@host.", 10, 60), ("it", 62, 70)), ["name@host.it"]),
        ((("bryony.chipp", 10, 60), ("@westyorks-ca.gov.uk", 62, 140)), ["bryony.chipp@westyorks-ca.gov.uk"]),
        ((("joanna.labedzka@itee", 10, 90), ("lukasiewicz.gov.pl", 93, 160)), ["joanna.labedzka@itee.lukasiewicz.gov.pl"]),
        # ...its host wrapped after the lost dot's next piece (modest-titles office-200):
        # the piece ends the row; mid-row a one-letter domain is no host's end
        ((("joanna.labedzka@itee", 10, 90), ("lukasiewicz.g", 93, 150)), ["joanna.labedzka@itee.lukasiewicz.g"]),
        ((("joanna.labedzka@itee", 10, 90), ("lukasiewicz.g", 93, 150), ("next", 153, 170)), ["joanna.labedzka@itee", "lukasiewicz.g", "next"]),
        # pieces whose boxes overlap (a 150 dpi scan of light type on a panel, measured)
        ((("joanna.", 392.02, 421.82), ("labedzka@itee.lukasiewicz.g", 419.86, 537.74)), ["joanna.labedzka@itee.lukasiewicz.g"]),
        ((("Ov.", 392.29, 411.47), ("pl", 403.81, 412.43)), ["Ov.pl"]),
        # split before a dot (a speckled 200 dpi scan, measured 0.7 pt apart at 8.6 pt)
        ((("joanna.labedzka@itee", 392.0, 480.1), (".lukasiewicz.g", 480.8, 537.7)), ["joanna.labedzka@itee.lukasiewicz.g"]),
        ((("https://www.the-lep", 10, 90), (".com/business", 91, 150)), ["https://www.the-lep.com/business"]),
        # split after its scheme (an office scan, 0.9 pt apart at 8.6 pt)
        ((("https", 53.86, 72.86), ("://www.prismaprato.it/it/servizi-per-", 73.78, 211.58)), ["https://www.prismaprato.it/it/servizi-per-"]),
        ((("see", 10, 25), ("://", 26, 35)), ["see", "://"]),
        # ...but not a word space away, nor a word that is no address
        ((("joanna.labedzka@itee", 392.0, 480.1), (".lukasiewicz.g", 486.0, 537.7)), ["joanna.labedzka@itee", ".lukasiewicz.g"]),
        ((("version", 10, 40), (".net", 40.5, 55)), ["version", ".net"]),
        # words whose boxes only touch, their bearings apart, are two words
        ((("Dr.", 10, 25), ("Smith", 24, 50)), ["Dr.", "Smith"]),
        # prose is left alone: a handle, a host after a word space too wide, a full address
        ((("follow", 10, 40), ("@smarty", 42, 80)), ["follow", "@smarty"]),
        ((("joanna.labedzka@itee", 10, 90), ("lukasiewicz.gov.pl", 100, 160)), ["joanna.labedzka@itee", "lukasiewicz.gov.pl"]),
        ((("info@agency.eu", 10, 70), ("europa.eu", 72, 110)), ["info@agency.eu", "europa.eu"]),
        # an amount split after its thousands separator, the boxes touching (measured
        # 0.3 pt apart at 9.3 pt on the columns-caps office scan); a list keeps its space
        ((("(£7,057,", 10, 45.46), ("734.00)", 45.76, 77.86)), ["(£7,057,734.00)"]),
        ((("sizes", 10, 30), ("7,", 32, 38), ("734", 40, 55)), ["sizes", "7,", "734"]),
    ],
)
def test_a_split_address_is_one_word_again(pieces, joined):
    from pipeline.read.ocr import _join_addresses

    words = _words(*pieces)
    out, ratios, readings = _join_addresses(words, [None] * len(words), [None] * len(words))
    assert [w.text for w in out] == joined
    assert len(ratios) == len(readings) == len(joined)


@pytest.mark.parametrize(
    "lines, joined",
    [
        (["joanna.labedzka@itee.lukasiewic", "z.gov.pl"], ["joanna.labedzka@itee.lukasiewicz.gov.pl"]),
        # a 150 dpi scan: 'z' and 'Z' differ only in height
        (["joanna.labedzka@itee.lukasiewic", "Z.gov.pl"], ["joanna.labedzka@itee.lukasiewicz.gov.pl"]),
        # ...and 'o' and 'O' (a sidebar's wrapped address on a 200 dpi office scan)
        (["joanna.labedzka@itee.lukasiewic", "Z.gOv.pl"], ["joanna.labedzka@itee.lukasiewicz.gov.pl"]),
        # a capital that is no small letter's shape is a word of its own
        (["info@agency.eu", "Dr.Kim"], ["info@agency.eu", "Dr.Kim"]),
        # a capitalised word or sentence after an address is not a fragment of it
        (["info@agency.eu", "Poland"], ["info@agency.eu", "Poland"]),
        (["info@agency.eu", "Ms. Smith"], ["info@agency.eu", "Ms. Smith"]),
    ],
)
def test_an_address_wrapped_in_a_narrow_column_is_joined(lines, joined):
    from pipeline.fields.practice import _join_wrapped_emails

    assert _join_wrapped_emails(lines) == joined


@pytest.mark.parametrize(
    "read, meant",
    [
        ("bryony.chipp@westyorks-ca.gov.uK", "bryony.chipp@westyorks-ca.gov.uk"),
        ("https://www.the-lep.cOm/business", "https://www.the-lep.com/business"),
        # capitals that are not small letters drawn larger, or a whole part in capitals, stay
        ("info@EUROPA.eu", "info@EUROPA.eu"),
        ("https://www.SmartyProject.eu/News", "https://www.SmartyProject.eu/News"),
        ("Joanna.Labedzka@itee.gov.pl", "Joanna.Labedzka@itee.gov.pl"),
    ],
)
def test_a_host_name_part_in_small_letters_takes_a_capital_that_is_only_larger(read, meant):
    assert host_repaired(read) == meant


@pytest.mark.parametrize("read, meant", [
    ("p.guarnieri(@comune.prato.it", "p.guarnieri@comune.prato.it"),  # an office scan of a serif text
    ("jane.doe@)agency.eu", "jane.doe@agency.eu"),
    # brackets round an address, not against its '@', are the text's
    ("(jane.doe@agency.eu)", "(jane.doe@agency.eu)"),
])
def test_a_bracket_against_an_e_mails_at_sign_is_its_edge(read, meant):
    assert host_repaired(read) == meant


@pytest.mark.parametrize("face", SANS)
def test_an_equals_sign_that_is_one_bar_and_a_speck_is_a_dash(face):
    size = 38
    ink, box = drawn("–", face, size)
    x0, top, x1, bottom = box
    specked = ink.copy()
    specked[top - 8 : top - 5, x0 + 2 : x0 + 5] = True  # a speck of dust above the dash
    assert reread("=", (x0, top - 8, x1, bottom), size, specked) == "–"
    ink, box = drawn("=", face, size)
    assert reread("=", box, size, ink) == "="  # two bars of one length


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
     ("https://www.x.org", "https://www.x.org"), ("https://wwf.org", "https://wwf.org"), ("https://web.de", "https://web.de"),
     # without 'www.': the two slashes read as one, or lost, before a host name (measured
     # on the office scan of the `no-bold` edition: 'https:/przemysiprzyszlosci.gov.pl')
     ("https:/przemyslprzyszlosci.gov.pl", "https://przemyslprzyszlosci.gov.pl"), ("http:a-b.eu/x", "http://a-b.eu/x"),
     ("https:|cluster.it", "https://cluster.it"), ("https:/nohost", "https:/nohost")],
)
def test_the_slashes_of_a_web_address_misread_before_www_are_restored(read, meant):
    assert host_repaired(read) == meant


def test_an_address_with_one_slash_is_still_taken_from_the_surer_reading():
    """'https:/host' was no address to compare, so the Latin model's surer reading of
    its letters was never taken; with its slashes restored it is."""
    from pipeline.read.ocr import _address_reading

    word = {"text": "https:/przemysiprzyszlosci.gov.pl", "conf": 31.0, "bbox": [0, 0, 10, 10],
            "latin": ("https:/przemyslprzyszlosci.gov.pl", 69.0)}
    assert _address_reading(word) == "https://przemyslprzyszlosci.gov.pl"


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


def test_a_dot_ocr_left_out_of_an_email_is_found_in_the_ink():
    """Measured on `panel-columns` scanned grey at 150 dpi: 'joanna' 'labedzka@...', the
    period between them in the ink (a blob of 3 x 4 pixels at 300 dpi on the baseline,
    boxed with the second word) but in neither word; the address lost its first name.
    The pieces are one address where the dot is in the ink, two words where paper is."""
    import numpy as np

    from pipeline.read.ocr import _dot_between, _join_addresses

    scale = 72 / 300
    ink = np.zeros((2100, 1000), dtype=bool)
    letters = [_word("joanna", 53.4, 80.3, size=8.6, top=458.6), _word("labedzka@itee.gov.pl", 81.0, 217.6, size=8.6, top=458.6)]
    base = int((letters[1].bottom - 0.22 * 8.6) / scale)
    ink[base - 15:base + 1, 325:332] = True  # the 'a' before, reaching past its box
    ink[base - 26:base + 1, 350:353] = True  # the 'l' after
    joined = _join_addresses(letters, [None] * 2, [None] * 2, lambda a, b: _dot_between(ink, scale, a, b))[0]
    assert [w.text for w in joined] == ["joanna", "labedzka@itee.gov.pl"]  # paper between: a space
    ink[base - 3:base + 1, 341:345] = True  # the period
    joined = _join_addresses(letters, [None] * 2, [None] * 2, lambda a, b: _dot_between(ink, scale, a, b))[0]
    assert [w.text for w in joined] == ["joanna.labedzka@itee.gov.pl"]
    # a mark as high as the letters there is no period
    ink[base - 15:base + 1, 341:345] = True
    assert not _dot_between(ink, scale, *letters)


def test_a_split_address_is_not_given_the_latin_reading_of_the_whole():
    """The Latin model read 'joanna.labedzka@...' as one word over both of the English
    model's pieces, and that reading was taken for a piece: joined to the other, part of
    the address was repeated ('joanna.joanna.labedzka@...' on the office scan of the
    `no-bold` edition, '...@itee.lukasiewicz.gov.pl lukasiewicz.gov.pl' on its
    photocopy). A piece keeps its own reading, and the pieces are joined."""
    from pipeline.read.accents import paired
    from pipeline.read.ocr import _address_reading, _join_addresses

    english = [{"bbox": [0, 0, 300, 20], "words": [
        {"text": "joanna.", "conf": 0.0, "bbox": [100, 0, 160, 20]},
        {"text": "labedzka@itee.lukasiewicz.gov.pl", "conf": 0.0, "bbox": [160, 0, 420, 20]}]}]
    latin = [{"bbox": [0, 0, 300, 20], "words": [{"text": "joanna.labedzka@itee.lukasiewicz.gov.pl", "conf": 70.0, "bbox": [100, 0, 420, 20]}]}]
    pieces = paired(english, latin)[0]["words"]
    assert [_address_reading(w) for w in pieces] == ["joanna.", "labedzka@itee.lukasiewicz.gov.pl"]
    words = [_word("joanna.", 41.6, 70), _word("labedzka@itee.lukasiewicz.gov.pl", 69.6, 150)]
    assert [w.text for w in _join_addresses(words, [None] * 2, [None] * 2)[0]] == ["joanna.labedzka@itee.lukasiewicz.gov.pl"]
    # a Latin word over the same box is still taken where it is surer
    same = paired([{**english[0], "words": [{"text": "joanna@itee.iukasiewicz.gov.pl", "conf": 40.0, "bbox": [100, 0, 420, 20]}]}], latin)
    assert _address_reading(same[0]["words"][0]) == "joanna.labedzka@itee.lukasiewicz.gov.pl"


@pytest.mark.slow
def test_a_number_set_alone_at_display_size_is_read():
    """A theme divider's '1', 60 pt (250 px at 300 dpi), which Tesseract's layout
    analysis skips as a picture; a grey block of the same size is no number."""
    from pipeline.read import ocr

    bold = _liberation_sans_and_tesseract("Bold")
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
def test_a_short_line_of_letter_spaced_grey_capitals_is_read():
    """A kicker 'THEME 1' over a theme's title, 9 pt letter-spaced capitals printed
    mid-grey: Tesseract's layout analysis skipped it on the office scan of the `no-bold`
    edition (its letters stand apart like specks), and the theme lost its number. Ink no
    word covers, in text-height blobs on one row, is read again as a line; specks and a
    picture are not."""
    from pipeline.read import ocr

    regular = _liberation_sans_and_tesseract("Regular")
    from pipeline.read.display import lone_numbers
    from pipeline.read.raster import ink_mask

    image = Image.new("L", (2480, 900), 255)
    canvas = ImageDraw.Draw(image)
    small, title = ImageFont.truetype(regular, 37), ImageFont.truetype(regular, 79)
    x = 180
    for ch in "THEME 1":  # letter-spaced by 1 pt (4 px) over the font's own spacing
        canvas.text((x, 300), ch, font=small, fill=110)
        x += canvas.textlength(ch, font=small) + 4
    canvas.text((180, 380), "Regional platforms and clusters", font=title, fill=40)
    canvas.rectangle((1500, 100, 1900, 250), fill=140)  # a picture
    for k in range(40):  # dust
        canvas.point((200 + 53 * k, 700 + (k * 37) % 150), fill=0)
    read = lambda crop: ocr._tesseract(crop, "eng", psm=7)  # noqa: E731
    lines = [line for line in ocr._tesseract(image, "eng") if line["words"][0]["text"] != "THEME"]
    assert [w["text"] for line in lines for w in line["words"]] == ["Regional", "platforms", "and", "clusters"]
    found = lone_numbers(image, ink_mask(image), lines, 300, read)
    assert [[w["text"] for w in line["words"]] for line in found] == [["THEME", "1"]]
    x0, top, x1, bottom = found[0]["bbox"]
    assert 170 < x0 < x1 < 450 and 290 < top < bottom < 350


@pytest.mark.slow
def test_labels_printed_between_a_panels_grey_and_its_values_are_read():
    """A dark fact panel whose labels are a light colour printed mid-grey by a mono
    printer (panel 115, labels 158, values 205 on paper 205): turned and stretched, the
    labels are ink, not a light grey Tesseract's threshold drops."""
    from pipeline.read import ocr
    from pipeline.read.raster import despeckle, lighten_panels, whiten

    regular = _liberation_sans_and_tesseract("Regular")
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


def _hocr_word(text, x0, x1, conf, latin=None, top=100, bottom=130):
    word = {"text": text, "conf": conf, "bbox": [x0, top, x1, bottom]}
    if latin is not None:
        word["latin"] = latin
    return word


def _hocr_line(*words):
    return {"bbox": [min(w["bbox"][0] for w in words), min(w["bbox"][1] for w in words), max(w["bbox"][2] for w in words),
                     max(w["bbox"][3] for w in words)], "baseline": [0.0, 0.0], "x_size": [30.0], "x_descenders": [7.0], "words": list(words)}


def test_an_address_the_english_model_split_is_the_latin_models_one_word():
    """Measured on office scans: the English model lost the dot between 'itee' and
    'lukasiewicz' and made two words of the address; the Latin model, one word as sure
    or surer. Both English words were given that one Latin word, and the first took it
    whole while the second stayed ('... .lukasiewicz.gov.p!' in the organisation)."""
    from pipeline.read.addresses import runs_merged

    whole = ("joanna.labedzka@itee.lukasiewicz.gov.pl", 62.0)
    line = _hocr_line(_hocr_word("Email", 0, 90, 96, ("Email", 96)), _hocr_word("joanna.labedzka@itee", 100, 460, 37, whole),
                 _hocr_word(".lukasiewicz.gov.p!", 470, 780, 15, whole))
    merged = runs_merged(line)
    assert [(w["text"], w["conf"], w["bbox"][0], w["bbox"][2]) for w in merged["words"]] == [
        ("Email", 96, 0, 90), ("joanna.labedzka@itee.lukasiewicz.gov.pl", 62.0, 100, 780)]
    # a Latin reading less sure than the English one, or no address, changes nothing
    unsure = ("joanna.labedzka@itee.lukasiewicz.gov.pl", 30.0)
    line = _hocr_line(_hocr_word("joanna.labedzka@itee", 100, 460, 37, unsure), _hocr_word("lukasiewicz.gov.pl", 470, 780, 40, unsure))
    assert runs_merged(line) is line
    prose = ("Kochanowski University", 90.0)
    line = _hocr_line(_hocr_word("Kochanowski", 0, 200, 80, prose), _hocr_word("University", 210, 380, 80, prose))
    assert runs_merged(line) is line


def test_the_pieces_of_a_wrapped_address_are_found_under_it():
    """An address that ends its line goes on in the first word under it, in a card's
    column (the line starts where the address's starts) or in a grid Tesseract read as
    one line with the column beside it ('Timescale ... Web presence: https://www.the-' /
    '2017 – March 2020 lep.com/business-support/growth-' / 'supporv/connecting-...')."""
    from pipeline.read.addresses import address_words

    lines = [
        _hocr_line(_hocr_word("Timescale", 226, 405, 96), _hocr_word("January", 711, 843, 96), _hocr_word("Web", 931, 1008, 96),
              _hocr_word("presence:", 1022, 1193, 93), _hocr_word("https://www.the-", 1210, 1472, 47)),
        _hocr_line(_hocr_word("2017", 226, 300, 96, top=146, bottom=176), _hocr_word("lep.com/business-support/growth-", 933, 1460, 86, top=146, bottom=176)),
        _hocr_line(_hocr_word("supporv/connecting-innovation/", 933, 1441, 39, top=192, bottom=222)),
        # the next field's label is no piece of the address
        _hocr_line(_hocr_word("Photo", 933, 1040, 96, top=238, bottom=268), _hocr_word("2:", 1050, 1080, 96, top=238, bottom=268)),
    ]
    assert address_words(lines) == [(0, 4), (1, 1), (2, 0)]
    # an address with words after it on its line does not go on below
    lines[0]["words"].append(_hocr_word("(site)", 1490, 1580, 90))
    assert address_words(lines) == [(0, 4)]


@pytest.mark.slow
def test_an_unsure_address_is_read_again_enlarged():
    """'support/connecting-innovation/' in a sans face at 8.5 pt, 300 dpi, its 't/' set
    tight: read on the page as 'supporvconnecting-innovation/' at confidence 24 (an
    office scan of a browser edition). Read again on its own at twice the size, the
    reading is surer and right; a sure address is not read again."""
    from pipeline.read.addresses import reread
    from pipeline.read.ocr import _tesseract
    from pipeline.read.tesseract import LANG, accent_model

    face = _liberation_sans_and_tesseract("Regular")
    image = Image.new("L", (1400, 200), 255)
    font = ImageFont.truetype(face, 36)
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "https://www.the-lep.com/business-support/growth-", font=font, fill=0)
    draw.text((40, 90), "support/connecting-innovation/", font=font, fill=0)
    first, second = draw.textbbox((40, 40), "https://www.the-lep.com/business-support/growth-", font=font), draw.textbbox((40, 90), "support/connecting-innovation/", font=font)
    lines = [_hocr_line(_hocr_word("https://www.the-lep.com/business-support/growth-", first[0], first[2], 90, top=first[1], bottom=first[3])),
             _hocr_line(_hocr_word("supporvconnecting-innovation/", second[0], second[2], 24, ("supportYconnecting-innovation/", 18.0), top=second[1], bottom=second[3]))]
    out = reread(image, lines, lambda sheet: _tesseract(sheet, accent_model() or LANG, psm=6))
    assert out[0]["words"][0] == lines[0]["words"][0]  # sure: not read again
    again = out[1]["words"][0]
    assert again["text"] == "support/connecting-innovation/"
    assert again["conf"] > 24 and again["latin"] is None


@pytest.mark.parametrize("again, kept", [
    # the dot the address broke at, at the crop's edge, not read again (a sidebar's
    # 'https://www.' / 'fri.uni-' on an office scan: the host became a word of its own)
    ("https://www", "https://www."),
    ("https://www.", "https://www."),
    ("https://www.f", "https://www.f"),  # read on: no mark lost
])
def test_an_address_read_again_keeps_the_mark_it_broke_at(again, kept):
    from pipeline.read.addresses import reread

    image = Image.new("L", (600, 200), 255)
    lines = [_hocr_line(_hocr_word("https://www.", 40, 230, 71, top=50, bottom=93), _hocr_word("fri.uni-", 236, 343, 71, top=50, bottom=93))]

    def read(sheet):  # Tesseract's reading of the sheet, as measured: surer, the dot lost
        return [_hocr_line(_hocr_word(again, 0, sheet.width, 94, top=0, bottom=sheet.height))]

    out = reread(image, lines, read)
    assert [w["text"] for w in out[0]["words"]] == [kept, "fri.uni-"]

    # a speck read as a mark after a wrapped piece, rightly dropped by the second reading
    speck = [_hocr_line(_hocr_word("https://www.the-lep.com/growth-_", 40, 500, 0, top=50, bottom=93))]
    out = reread(image, speck, lambda sheet: [_hocr_line(_hocr_word("https://www.the-lep.com/growth-", 0, sheet.width, 30, top=0, bottom=sheet.height))])
    assert out[0]["words"][0]["text"] == "https://www.the-lep.com/growth-"


@pytest.mark.parametrize("read, meant", [("htips://www.the-lep.com/", "https://www.the-lep.com/"), ("hitp://a.eu", "http://a.eu"),
                                         ("htlps://a.eu", "https://a.eu"), ("https://a.eu", "https://a.eu"), ("http://a.eu", "http://a.eu"),
                                         ("htps://przemyslprzyszlosci.gov.pl", "https://przemyslprzyszlosci.gov.pl"), ("htp://a.eu", "http://a.eu")])
def test_a_thin_letter_of_the_scheme_misread_is_http(read, meant):
    assert host_repaired(read) == meant


def test_a_wrapped_address_fragment_with_a_capital_only_larger_is_joined():
    """'z.gOv.pl' (a 300 dpi grey scan): 'o' and 'O' differ only in size."""
    from pipeline.fields.practice import _join_wrapped_emails

    assert _join_wrapped_emails(["joanna.labedzka@itee.lukasiewic", "z.gOv.pl"]) == ["joanna.labedzka@itee.lukasiewicz.gov.pl"]
    assert _join_wrapped_emails(["info@agency.eu", "EU.Region"]) == ["info@agency.eu", "EU.Region"]


def test_a_bar_opening_a_line_apart_from_its_words_is_a_panels_edge():
    """A colour scan's theme band: '| 1 Regional ...', the band's edge read as a bar
    0.75 of the size tall, a size away from the '1'; the theme was not recognised. A
    bar between words, or right before one, is the printed bar."""
    from pipeline.read.ocr import _without_rule_pieces

    line = _line(("|", (175, 376, 177, 423), 92.0), ("1", (243, 360, 294, 435), 95.0), ("Regional", (360, 375, 616, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["1", "Regional"]
    alone = _line(("|", (175, 500, 177, 587), 92.0))
    assert _without_rule_pieces(alone)["words"] == []
    line = _line(("Home", (100, 393, 200, 433), 95.0), ("|", (215, 391, 218, 437), 90.0), ("About", (233, 393, 330, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["Home", "|", "About"]
    line = _line(("|", (100, 391, 103, 437), 90.0), ("About", (112, 393, 210, 433), 95.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["|", "About"]


def test_a_bar_closing_a_line_apart_from_its_words_is_a_panels_edge():
    """A colour scan's theme band (flow-grid, colour-200, measured): Tesseract read the
    band's left and right edges as lines '|  |' a page wide; the closing bar was kept,
    made lines of its own over the theme's heading in the layout, and the theme was not
    recognised. A bar right after a word, or between words, is the printed bar."""
    from pipeline.read.ocr import _without_rule_pieces

    edges = _line(("|", (175, 320, 177, 359), 95.0), ("|", (2305, 301, 2307, 355), 88.0))
    assert _without_rule_pieces(edges)["words"] == []
    line = _line(("adopt", (1933, 374, 2101, 433), 96.0), ("I4.0", (2122, 375, 2221, 421), 88.0), ("|", (2305, 366, 2307, 423), 91.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["adopt", "I4.0"]
    line = _line(("About", (112, 393, 210, 433), 95.0), ("|", (219, 391, 222, 437), 90.0))
    assert [w["text"] for w in _without_rule_pieces(line)["words"]] == ["About", "|"]


def test_a_speck_before_a_contact_is_no_part_of_its_name():
    """Measured on a colour scan: a '.' on a line of its own over 'Bryony Chipp', and the
    name was read as part of the organisation."""
    from pipeline.fields.practice import parse_contacts
    from pipeline.model import Line, Word

    def line(text, top):
        words = [Word(t, 50.0 + 40 * i, top, 80.0 + 40 * i, top + 9, 9.0, False, False, 80.0) for i, t in enumerate(text.split())]
        return Line.model_construct(words=words, text=text, page=3, bbox=(50.0, top, 300.0, top + 9))

    lines = [line(".", 400), line("Bryony Chipp", 412), line("West Yorkshire Combined Authority", 424), line("bryony.chipp@westyorks-ca.gov.uk", 436)]
    assert parse_contacts(lines, frozenset()) == [{"name": "Bryony Chipp", "organisation": "West Yorkshire Combined Authority", "email": "bryony.chipp@westyorks-ca.gov.uk"}]
    lines[1] = line(", Bryony Chipp", 412)
    assert parse_contacts(lines, frozenset())[0]["name"] == "Bryony Chipp"


@pytest.mark.parametrize(
    "read, meant",
    [
        # an 'l' read 'i' at 89 on a 300 dpi grey scan (grid3-inline), the Latin model the same
        ("joanna.labedzka@itee.lukasiewicz.gov.pi", "joanna.labedzka@itee.lukasiewicz.gov.pl"),
        ("info@agency.n0", "info@agency.no"),
        # a letter read twice on an office scan (`columns-caps`, the whole guide)
        ("igor.kovac@ijs.ssi", "igor.kovac@ijs.si"), ("info@agency.euu", "info@agency.eu"),
        # a known domain, or a label no single look-alike makes a known one, stays
        ("info@agency.it", "info@agency.it"),
        ("info@visit.brussels", "info@visit.brussels"),
        ("info@agency", "info@agency"),
    ],
)
def test_a_top_level_domain_one_look_alike_off_a_known_one_is_repaired(read, meant):
    from pipeline.fields.hosts import email_repaired, url_repaired

    assert email_repaired(read) == meant
    url = "https://" + read.partition("@")[2] + "/path.pi"
    assert url_repaired(url) == "https://" + meant.partition("@")[2] + "/path.pi"


@pytest.mark.parametrize("face", SANS)
@pytest.mark.parametrize("size", [34, 42])  # 8 and 10 pt at 300 dpi
@pytest.mark.parametrize("printed, read", [
    # the English model's word list leans to 'i' in words of no language
    ("https://przemyslprzyszlosci.gov.pl", "https://przemysiprzyszlosci.gov.pl"),
    ("joanna.labedzka@itee.lukasiewicz.gov.pl", "joanna.labedzka@itee.jukasiewicz.gov.p!"),
    ("info@hallo-bilbao.eu", "info@halio-biibao.eu"),
])
def test_each_bar_of_an_address_says_whether_it_is_an_i_or_an_l(face, size, printed, read):
    ink, box = drawn_address(printed, face, size)
    for pixels in (ink, at_150_dpi(ink)):
        assert address_bars(read, pixels, box) == printed
        assert address_bars(printed, pixels, box) == printed


@pytest.mark.parametrize("face", SANS)
def test_an_address_whose_bars_do_not_match_its_letters_is_left_as_read(face):
    # one bar too many in the reading ('sli' for 'sl'): which one is which cannot be said
    ink, box = drawn_address("https://przemyslprzyszlosci.gov.pl", face, 38)
    assert address_bars("https://przemysliprzyszlosci.gov.pl", ink, box) == "https://przemysliprzyszlosci.gov.pl"
    # in words that are no address, the letters are the language model's
    ink, box = drawn_address("Kochanowski Kielce", face, 38)
    assert address_bars("Kochanowskl Kieice", ink, box) == "Kochanowskl Kieice"


@pytest.mark.parametrize("face", SANS)
def test_a_j_far_from_every_bar_does_not_make_up_a_missing_one(face):
    """A reading with a bar letter fewer than the ink ('gov.pt' for 'gov.pl'): counting
    the real 'j' as a misread 'l' made the numbers match, and every letter after it took
    its neighbour's bar ('loanna.iabedzka@ltee.iukasiewlcz.gov.pt', measured on office
    and speckled scans). A 'j' is one only where a bar stands by it."""
    ink, box = drawn_address("joanna.labedzka@itee.lukasiewicz.gov.pl", face, 38)
    assert address_bars("joanna.labedzka@itee.lukasiewicz.gov.pt", ink, box) == "joanna.labedzka@itee.lukasiewicz.gov.pt"


@pytest.mark.parametrize("face", SANS)
@pytest.mark.parametrize("printed, read", [("Kochanowski", "Kochanowsk!"), ("Kielce", "Kie|ce"), ("Hello!", "Hello!"), ("Ciao!", "Ciao!")])
def test_an_exclamation_mark_or_bar_in_a_word_is_decided_by_its_ink(face, printed, read):
    """'!' and '|' touching a letter: a stem with a dot above is an 'i', a stroke to the
    ascender line an 'l'; a real exclamation mark (its dot under the bar) stays."""
    ink, box = drawn_address(printed, face, 38)
    for pixels in (ink, at_150_dpi(ink)):
        assert address_bars(read, pixels, box) == printed


def test_bars_of_a_box_without_a_baseline_are_not_judged():
    """Glyphs whose feet fall in two groups (a box that took in two lines' pieces) give no
    baseline: no bar is judged and the reading stands, nothing fails."""
    from pipeline.read.glyphs import bar_letters

    ink = np.zeros((60, 40), dtype=bool)
    ink[10:30, 2] = ink[10:30, 10] = True  # two bars standing on row 30
    ink[20:38, 18] = ink[20:38, 26] = True  # two standing on row 38
    assert bar_letters(ink, (0, 5, 40, 45)) == []
    assert address_bars("a@il.il", ink, (0, 5, 40, 45)) == "a@il.il"


def _touching_line(*pieces, top=2231.0, bottom=2266.0):
    """A Tesseract line (`ocr._Hocr`'s shape, page pixels) of words (text, x0, x1, conf)
    or (text, x0, x1, conf, top, bottom)."""
    words = [{"text": p[0], "bbox": [p[1], p[4] if len(p) > 4 else top, p[2], p[5] if len(p) > 4 else bottom], "conf": p[3]} for p in pieces]
    return {"bbox": [words[0]["bbox"][0], top, words[-1]["bbox"][2], bottom], "baseline": [0.0, 0.0], "words": words}


def test_address_pieces_that_touch_are_one_address_read_again_whole():
    """A speckled 200 dpi scan (panel-columns, read at 300 dpi): one printed web address
    came back from Tesseract as four words 3-5 pixels apart or over each other (a word
    space is 10-14 pixels there), the third with a box that took in specks above and
    below. They are one word, with the address's height and the lowest confidence, so
    `addresses.reread` reads it again whole."""
    from pipeline.read.addresses import followers_merged

    line = _touching_line(
        ("https", 228, 313, 5.0), (":/Awww.the-lep.com/business-", 318, 792, 5.0),
        ("-supportigrowth-", 784, 1053, 73.0, 2203, 2288), ("supporvconnecting-innovation/", 1056, 1565, 36.0),
    )
    merged = followers_merged(line)["words"]
    assert [(w["text"], w["bbox"], w["conf"]) for w in merged] == [
        ("https:/Awww.the-lep.com/business--supportigrowth-supporvconnecting-innovation/", [228, 2231.0, 1565, 2266.0], 5.0)
    ]
    # words a word space apart stay apart, and touching words that are no address too
    apart = _touching_line(("https://www.agency.eu", 228, 700, 90.0), ("and", 712, 780, 90.0))
    assert followers_merged(apart) is apart
    prose = _touching_line(("well-", 228, 330, 90.0), ("known", 333, 450, 90.0))
    assert followers_merged(prose) is prose


def test_a_dot_read_into_both_words_beside_a_space_is_a_speck():
    """'Bryony.' '.Chipp' (both at 0) for 'Bryony Chipp' on a speckled 200 dpi scan
    (columns-caps): a speck in the word space that Tesseract gave to both words."""
    from pipeline.read.ocr import _without_shared_dots

    words = _words(("Bryony.", 53.86, 83.9), (".Chipp", 82.9, 108.38))
    assert [w.text for w in _without_shared_dots(words)] == ["Bryony", "Chipp"]
    # a period given to one word only, or dots of an address, are as read
    kept = _words(("Dr.", 10, 25), ("Smith", 24, 50))
    assert [w.text for w in _without_shared_dots(kept)] == ["Dr.", "Smith"]
    address = _words(("jane.", 10, 30), (".doe@agency.eu", 29, 90))
    assert [w.text for w in _without_shared_dots(address)] == ["jane.", ".doe@agency.eu"]


@pytest.mark.parametrize("read, meant", [("_Web", "Web"), ("__Location", "Location"), ("file_name", "file_name"), ("_private", "_private")])
def test_an_underscore_opening_a_capitalised_word_is_a_speck(read, meant):
    from pipeline.read.ocr import _LOW_SPECK

    assert _LOW_SPECK.sub("", read) == meant


def _name_with_mark(face: str, mark: str) -> tuple[np.ndarray, object, object]:
    """'Bryony' and 'Chipp' drawn at 36 pixels an em with a word space between them and
    `mark` ('stop': a period set after 'Bryony'; 'speck': a dot of a period's size in
    the middle of the space, on the baseline; '': nothing), and the two words as OCR
    words at 72 dpi (points are pixels), 'Bryony.' read with a stop at 0."""
    from pipeline.model import Word

    size, baseline = 36, 60
    font = ImageFont.truetype(face, size)
    image = Image.new("L", (700, 100), 255)
    draw = ImageDraw.Draw(image)
    left = "Bryony." if mark == "stop" else "Bryony"
    draw.text((20, baseline), left, font=font, fill=0, anchor="ls")
    end = 20 + draw.textlength(left, font=font)
    start = end + draw.textlength(" ", font=font)
    draw.text((start, baseline), "Chipp", font=font, fill=0, anchor="ls")
    ink = np.asarray(image) < 128
    if mark == "speck":
        middle = int((end + start) / 2)
        ink[baseline - 4 : baseline, middle - 2 : middle + 2] = True
    right_ink = int(np.flatnonzero(ink[:, int(start) - 1 :].any(axis=0))[0]) + int(start) - 1
    left_ink = int(np.flatnonzero(ink[:, : right_ink - 1].any(axis=0))[-1]) + 1
    top, bottom = baseline - 0.78 * size, baseline + 0.22 * size
    return (
        ink,
        Word("Bryony.", 20 - 0.1 * size, top, left_ink + 0.1 * size, bottom, size, None, None, 0.0),
        Word("Chipp", right_ink - 0.1 * size, top, right_ink + 100, bottom, size, None, None, 90.0),
    )


@pytest.mark.parametrize("face", SANS)
def test_a_stop_read_in_a_word_space_is_a_speck_where_the_ink_stands_apart(face):
    """'Bryony.' 'Chipp' at 0 for 'Bryony Chipp' on a speckled 200 dpi scan: the dot stood
    in the middle of the word space (8 and 7 pixels from the letters). A stop set after a
    word stands against its letter and stays; with no dot in the ink at all the stop is
    kept as read (nothing shows it is a speck)."""
    from pipeline.read.ocr import _stop_apart, _without_specks_for_stops

    for mark, kept in (("speck", "Bryony"), ("stop", "Bryony."), ("", "Bryony.")):
        if not Path(face).exists():
            pytest.skip(f"{face} is not installed")
        ink, left, right = _name_with_mark(face, mark)
        read = _without_specks_for_stops([left, right], lambda a, b: _stop_apart(ink, 1.0, a, b))
        assert [w.text for w in read] == [kept, "Chipp"], mark


def test_ocr_words_whose_boxes_overlap_only_by_their_bearings_are_one_line():
    """'Bryony' 'Chipp' on a speckled 200 dpi scan: Tesseract's boxes 3 pixels apart at
    300 dpi, each widened by a side bearing (0.1 of the size), overlapped by 1 pt, and
    the name was made two lines ('Bryony' over 'Chipp'), so it was no person's name and
    went into the organisation. A text layer's words that overlap so are two lines."""
    from pipeline.layout.regions import make_lines
    from pipeline.model import Word

    def words(conf):
        return [Word("Bryony", 53.86, 506.89, 83.9, 515.49, 8.6, None, None, conf), Word("Chipp", 82.9, 506.89, 108.38, 515.49, 8.6, None, None, conf)]

    assert [line.text for line in make_lines(1, words(0.0))] == ["Bryony Chipp"]
    assert [line.text for line in make_lines(1, words(None))] == ["Bryony", "Chipp"]
    # OCR words over each other by more than their bearings are two lines still
    over = [Word("one", 50.0, 500.0, 80.0, 508.6, 8.6, None, None, 90.0), Word("two", 75.0, 500.0, 100.0, 508.6, 8.6, None, None, 90.0)]
    assert len(make_lines(1, over)) == 2


def test_ocr_words_of_one_row_whose_boxes_a_speck_widened_are_one_line():
    """The title 'GOSTOP - Building Blocks, ...' on a speckled 200 dpi scan of the
    `panel-columns` edition (theme 1, bench/ocr_table.py): a speck after the 'P' widened
    Tesseract's box, which lay 4.4 pt over the dash's box, more than two side bearings
    (3.1 pt at 15.7 pt). 'GOSTOP' was made a line of its own under the rest of the title,
    the practice's title lost its first word and the practice counted as not found. Boxes
    read from the scan. Words of one row overlapping by less than 0.4 of the size are one
    line; a word as far over its neighbour as half its size, or standing higher, is not."""
    from pipeline.layout.regions import make_lines
    from pipeline.model import Word

    row = [
        Word("GOSTOP", 41.63, 314.36, 111.97, 330.06, 15.7, True, False, 91.0),
        Word("-", 107.63, 314.32, 118.45, 330.02, 15.7, True, False, 93.0),
        Word("Building", 124.0, 314.3, 189.5, 330.0, 15.7, True, False, 96.0),
    ]
    assert [line.text for line in make_lines(1, row)] == ["GOSTOP - Building"]
    # half the size over its neighbour: another line still
    wide = [row[0], Word("-", 104.1, 314.32, 114.9, 330.02, 15.7, True, False, 93.0)]
    assert [line.text for line in make_lines(1, wide)] == ["-", "GOSTOP"]
    # standing higher by a fifth of the size (a superscript, a line set close): another line
    high = [row[0], Word("-", 107.63, 311.2, 118.45, 326.9, 15.7, True, False, 93.0)]
    assert [line.text for line in make_lines(1, high)] == ["-", "GOSTOP"]


@pytest.mark.parametrize("words, speck", [
    ([("7", 20.0)], True),  # a colour band's edge read '7' beside a theme's heading
    ([("uM", 2.0)], True),
    ([("7", 88.0)], False),  # a display number read cleanly is one
    ([("1", 30.0), ("Regional", 95.0)], False),  # a heading OCR was unsure of in part
    ([("12", None)], False),  # a text layer's words are never specks
])
def test_a_glyph_or_two_ocr_barely_read_is_no_heading(words, speck):
    from pipeline.cards.starts import _speck
    from pipeline.model import Line, Word

    line = Line(page=0, words=[Word(text, 50 + 30 * k, 100, 70 + 30 * k, 116, 15.7, None if conf is not None else False, None if conf is not None else False, conf)
                               for k, (text, conf) in enumerate(words)])
    assert _speck(line) is speck


def test_a_speck_after_a_wrapped_address_does_not_cut_it_and_a_latin_piece_goes_on_with_it():
    """`modest-titles` on a speckled 200 dpi scan: 'support/growth-support/connecting-'
    with a speck after it read ',' at 60 (so the address did not end its line), and its
    last piece 'innovation/' read 'innovations' at 1 by the English model, 'innovation/'
    at 89 by the Latin one. The speck is no word after the address, and the surer Latin
    reading of the piece under it is taken; a sure English piece, an unsure Latin
    reading, or a word after the address that is a word keeps things as they were."""
    from pipeline.read.addresses import address_words, latin_pieces

    def lines(after, piece, latin):
        return [
            _hocr_line(_hocr_word("support/growth-support/connecting-", 933, 1519, 43), *after),
            _hocr_line(_hocr_word(piece, 933, 1113, 1.0 if piece == "innovations" else 90.0, latin, top=146, bottom=176)),
        ]

    speck = _hocr_word(",", 1532, 1534, 60, top=128, bottom=131)
    # the address's first line opens the run (an address), the wrapped lines follow
    head = _hocr_line(_hocr_word("https://www.the-lep.com/business-", 933, 1506, 56, top=54, bottom=84))
    found = [head, *lines([speck], "innovations", ("innovation/", 89.0))]
    assert address_words(found) == [(0, 0), (1, 0), (2, 0)]
    assert [w["text"] for w in latin_pieces(found)[2]["words"]] == ["innovation/"]
    assert latin_pieces(found)[2]["words"][0]["conf"] == 89.0
    # a Latin reading not surer by enough, or no piece, or a sure English piece: as read
    for piece, latin in (("innovations", ("innovation/", 15.0)), ("innovations", ("innovations", 89.0)), ("innovation/", ("innovation/", 95.0))):
        kept = [head, *lines([speck], piece, latin)]
        assert latin_pieces(kept)[2]["words"][0]["text"] == piece
    # a word after the address on its line (not a speck): the address does not go on below
    word = [head, *lines([_hocr_word("(site)", 1540, 1640, 90, top=100, bottom=130)], "innovations", ("innovation/", 89.0))]
    assert address_words(word) == [(0, 0), (1, 0)]
    assert latin_pieces(word)[2]["words"][0]["text"] == "innovations"


def test_a_speck_read_as_a_lone_comma_is_noise_and_a_comma_is_not():
    from pipeline.read.ocr import _noise

    size = 38.0
    # 3 pixels high after 'connecting-' on a speckled 200 dpi scan, at 60
    assert _noise({"text": ",", "conf": 60.0, "bbox": [1532, 2808, 1534, 2811]}, size)
    # a comma's ink reaches below the baseline: a quarter of the size high
    assert not _noise({"text": ",", "conf": 60.0, "bbox": [1532, 2800, 1538, 2811]}, size)
    assert not _noise({"text": ",", "conf": 90.0, "bbox": [1532, 2808, 1534, 2811]}, size)  # a sure one stays


def test_a_speck_read_as_a_lone_dash_is_noise_and_a_dash_bullet_is_not():
    """`columns-caps` on the speckled scan, theme 3: a speck of dust in the gutter of the
    page's two columns, a pixel wide at 300 dpi, 1 pixel left of the right column's text,
    was read '-' at 53 (above the confidence that drops unsure marks). That one word
    bridged the gutter, the layout read both columns as one region, and a card's
    sections and the next theme's heading interleaved (core 83.3%, sections 62.5%; 94.4%
    and 100% without it). No hyphen is narrower than 0.15 of its type's size."""
    from pipeline.read.ocr import _noise

    size = 40.0
    assert _noise({"text": "-", "conf": 53.0, "bbox": [1252, 2641, 1253, 2644]}, size)
    assert _noise({"text": "—", "conf": 70.0, "bbox": [1252, 2641, 1256, 2643]}, size)  # 0.1 of the size long
    # a dash bullet ('- In the first five years') or a hyphen, read unsure: a hyphen long
    assert not _noise({"text": "-", "conf": 53.0, "bbox": [1252, 2641, 1264, 2644]}, size)
    assert not _noise({"text": "-", "conf": 90.0, "bbox": [1252, 2641, 1253, 2644]}, size)  # a sure one stays


def test_the_piece_of_an_address_split_off_at_a_mark_is_known_by_the_address_before_it():
    """'joanna.labedzka@itee' '.Jukasiewicz.g' on one line, a dot's width apart: alone the
    second looks like no address, so its capital 'J' (an 'l') was never judged by the
    bars. Words after an address split at a mark, closer than a word space, are its
    pieces; a word a space away, or prose, is not."""
    from pipeline.read.ocr import _address_pieces

    email = _hocr_word("joanna.labedzka@itee", 1632, 2000, 48)
    piece = _hocr_word(".Jukasiewicz.g", 2010, 2237, 48)
    assert _address_pieces([_hocr_line(email, piece)]) == {id(piece)}
    line = _hocr_line(_hocr_word("x@agency.eu", 100, 300, 90), _hocr_word("and", 330, 390, 95))
    assert _address_pieces([line]) == set()  # a word a space away (and no mark)
    far = _hocr_word(".Jukasiewicz.g", 2030, 2237, 48)
    assert _address_pieces([_hocr_line(email, far)]) == set()  # 0.6 of the size (30 px) and more apart
    assert _address_pieces([_hocr_line(_hocr_word("Kielce", 1500, 1620, 96), piece)]) == set()
    dashed = _hocr_word("support/", 2010, 2200, 60)
    assert _address_pieces([_hocr_line(_hocr_word("https://a.eu/b-", 1632, 2000, 60), dashed)]) == {id(dashed)}


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("size", [34, 42, 50])  # 8-12 pt at 300 dpi
def test_a_stop_read_as_a_comma_is_a_stop_by_its_ink_and_a_comma_stays(face, size):
    """'Evidence of success.' (a bold run-in head) read 'success,' at 94 on a colour
    200 dpi scan: the head named no section, and that section ran into the one before.
    A stop sits on the baseline, as wide as high; a comma's tail takes it below."""
    for pixels_of in (lambda ink: ink, at_150_dpi):
        ink, box = drawn_address("success.", face, size)
        assert reread("success,", box, size, pixels_of(ink)) == "success."
        for printed in ("goals,", "Leeds,", "success,"):
            ink, box = drawn_address(printed, face, size)
            assert reread(printed, box, size, pixels_of(ink)) == printed


@pytest.mark.parametrize("number, title, heading", [
    # `wp-body-headings` on the office scan, theme 3: '3.2' measured between regular and
    # bold (thin digits and a dot), its title's words bold; the card's facts went to the
    # card before it (33.3% of core fields)
    (("3.2", None, 96.0), [("Waste", True), ("Management", True), ("for", True), ("14.0", True)], True),
    (("3.2", True, 96.0), [("Waste", True), ("Management", True)], True),
    (("3.2", False, 96.0), [("Waste", True), ("Management", True)], False),  # measured regular
    (("3.2", None, 96.0), [("million", False), ("jobs", False)], False),  # a number in the prose
    (("3.2", None, 96.0), [("Waste", True), ("Management", None)], False),  # the title's weight unknown
    (("3.2", None, None), [("Waste", True), ("Management", True)], False),  # a text layer states every weight
])
def test_a_bold_numbered_heading_whose_number_ocr_could_not_weigh_is_a_heading(number, title, heading):
    from pipeline.cards.starts import _numbered_heading
    from pipeline.model import Line, Word

    text, bold, conf = number
    words = [Word(text, 56.0, 500.0, 71.0, 510.6, 10.6, bold, False, conf)]
    words += [Word(t, 75.0 + 40 * k, 500.0, 110.0 + 40 * k, 510.6, 10.6, b, False, conf) for k, (t, b) in enumerate(title)]
    assert _numbered_heading(Line(page=0, words=words), 10.6) is heading


def _ink_columns(*spans: tuple[int, int, int, int]) -> np.ndarray:
    """A 2-inch band at 300 dpi with ink in each (x0, x1, top, bottom) box."""
    ink = np.zeros((600, 1300), dtype=bool)
    for x0, x1, top, bottom in spans:
        ink[top:bottom, x0:x1] = True
    return ink


def test_a_panels_corner_speck_does_not_hide_the_gutter_beside_it():
    """`columns-caps` on the office scan, theme 3: the corners of a lightened fact panel
    stayed dark (a dot 6 px and an L 16 px at 300 dpi) 40 px from the panel's text and 85
    px from the next column's, so no gutter 0.3 inches wide (as it then was) was found, Tesseract read the
    panel's lines joined to the column beside it, and the panel's location, e-mail and
    web address were garbage ('MieraO og SNL ST- lie'); on the speckled scan a speck of
    dust stood between the text and the corner too. Specks are no ink for the gutter; the
    stems of a short word at a column's edge ('in': a thin arch between them) are ink."""
    from pipeline.read.columns import _gutters

    def gutters(*spans):
        ink = _ink_columns(*spans)
        return _gutters(ink.sum(axis=0), 300, ink)

    text = [(228 + 12 * k, 234 + 12 * k, 40 + 20 * r, 60 + 20 * r) for k in range(76) for r in range(25)]
    right = [(1285, 1291, 40, 560)]
    specks = [(1191, 1197, 45, 51), (1185, 1201, 540, 550)]
    assert gutters(*text, *right, *specks) == [(1134, 1285)]
    # measured without the ink, the specks bound the gutter (84 px: wide enough since the
    # gutter is 0.2 inch, not 0.3; where the white beside them is narrower, none is found)
    assert _gutters(_ink_columns(*text, *right, *specks).sum(axis=0), 300) == [(1201, 1285)]
    # dust between the text and the corner, a word space from each
    assert gutters(*text, *right, *specks, (1171, 1173, 300, 303)) == [(1134, 1285)]
    # the stems of a short word at the column's edge, a word space after the text: the
    # gutter starts after the word
    stems = [(1162, 1165, 40, 70), (1172, 1175, 40, 70), (1180, 1183, 40, 70)]
    assert gutters(*text, *right, *stems) == [(1183, 1285)]
    assert gutters(*text, *right, *stems, *specks) == [(1183, 1285)]


@pytest.mark.parametrize("latin, read", [
    # measured (300 dpi pixels): 'Inthe' at 92 over 'In' and 'the' 14 px apart, 29 px high
    ([("In", 240, 268, 74.0), ("the", 282, 335, 88.0)], ["In", "the"]),
    ([("In", 240, 268, 74.0), ("the", 271, 335, 88.0)], ["Inthe"]),  # a letter's gap: one word as read
    ([("In", 240, 268, 74.0), ("thc", 282, 335, 88.0)], ["Inthe"]),  # other letters: the English reading stands
    ([("Inthe", 240, 335, 80.0)], ["Inthe"]),
])
def test_two_words_the_english_model_joined_are_split_where_the_latin_model_saw_a_space(latin, read):
    """`columns-caps` on the office scan, theme 2: 'In the first five years' read 'Inthe'
    (confidence 84-92) by the English model, 'In' 'the' by the Latin one; the section's
    text then missed the practice's (`bench/ocr_table.py`: its 'evidence' not found).
    Both read the same letters; the gap between the Latin words' boxes is a word space."""
    from pipeline.read.accents import paired

    english = [_hocr_line(_hocr_word("•", 190, 205, 92.0, top=412, bottom=423), _hocr_word("Inthe", 240, 335, 92.0, top=406, bottom=436),
                          _hocr_word("first", 340, 400, 95.0, top=406, bottom=436))]
    latin_lines = [_hocr_line(*[_hocr_word(t, a, b, c, top=406, bottom=436) for t, a, b, c in latin])]
    out = paired(english, latin_lines)
    assert [w["text"] for w in out[0]["words"]] == ["•", *read, "first"]
    if read == ["In", "the"]:
        assert [w["bbox"] for w in out[0]["words"][1:3]] == [[240, 406, 268, 436], [282, 406, 335, 436]]
        assert [w["latin"] for w in out[0]["words"][1:3]] == [("In", 74.0), ("the", 88.0)]
        assert [w["conf"] for w in out[0]["words"][1:3]] == [92.0, 92.0]


@pytest.mark.parametrize("english, latin, read", [
    (("interconnecting", 0.0), ("Interconnecting", 87.0), ("Interconnecting", 87.0)),
    (("innovation", 68.0), ("Innovation", 95.0), ("Innovation", 95.0)),
    (("innovation", 68.0), ("Innovation", 80.0), ("innovation", 68.0)),
    # a theme's number in white on a grey band: English read a letter, Latin a digit
    (("A", 62.0), ("4", 75.0), ("4", 75.0)),
    (("A", 80.0), ("4", 75.0), ("A", 80.0)),
    (("a", 62.0), ("ä", 90.0), ("a", 62.0)),
    # a word English guessed at, Latin sure of: a speckled scan's period 'ongoing'
    (("a", 14.0), ("ongoing", 76.0), ("ongoing", 76.0)),
    (("a", 30.0), ("ongoing", 76.0), ("a", 30.0)),
    (("a", 14.0), ("ongoing", 60.0), ("a", 14.0)),
    # an amount English read as a word ('a budget of SME.', a serif text on an office scan)
    (("SME.", 84.0), ("5M€.", 90.0), ("5M€.", 90.0)),
    (("SME.", 84.0), ("5M€.", 80.0), ("SME.", 84.0)),
    (("SMEs", 84.0), ("5M€.", 90.0), ("SMEs", 84.0)),
    (("SME", 84.0), ("5M€.", 90.0), ("SME", 84.0)),
    # a sure English reading keeps its case: the Latin model's own slips
    (("Innovation", 91.0), ("innovation", 88.0), ("Innovation", 91.0)),
    # an unsure Latin reading decides nothing, nor one of other letters
    (("interconnecting", 0.0), ("Interconnecting", 70.0), ("interconnecting", 0.0)),
    (("interconnecting", 0.0), ("Interconnectmg", 87.0), ("interconnecting", 0.0)),
])
def test_the_latin_models_case_is_taken_where_english_was_unsure_and_latin_sure(english, latin, read):
    """`flow-grid` on the office scan, the whole guide: a title's first word read
    'interconnecting' at 0 by the English model and 'Interconnecting' at 87 by the Latin
    one; the practice's title did not match and the practice counted as not found."""
    from pipeline.read.accents import paired

    out = paired([_hocr_line(_hocr_word(english[0], 240, 600, english[1]))], [_hocr_line(_hocr_word(latin[0], 240, 600, latin[1]))])
    assert [(w["text"], w["conf"]) for w in out[0]["words"]] == [read]


def test_an_address_is_never_split_by_the_latin_reading():
    from pipeline.read.accents import paired

    english = [_hocr_line(_hocr_word("www.3mbic.com", 240, 500, 70.0))]
    latin_lines = [_hocr_line(_hocr_word("www.3mbic.", 240, 420, 60.0), _hocr_word("com", 440, 500, 60.0))]
    assert [w["text"] for w in paired(english, latin_lines)[0]["words"]] == ["www.3mbic.com"]


@pytest.mark.parametrize("after, head", [
    # `wp-shaded` on the office scan, theme 3: 'It' (a bar and a 't') measured bold after
    # the bold head; the practice's 'about' section was not found
    ([("It", True), ("is", False), ("an", False), ("initiative", False)], True),
    ([("It", True), ("is", False), ("an", False), ("initiative", True)], False),  # a bold line: no run-in head
    ([("The", False), ("Cluster", False)], True),
    ([("The", True), ("Cluster", False)], False),  # its first word of three letters measured bold
])
def test_a_run_in_head_is_told_by_the_first_word_ocr_can_weigh_after_it(after, head):
    from pipeline.cards.runin import split_run_in
    from pipeline.model import Line, Word

    words = [Word("Description.", 57.0, 304.0, 120.0, 314.6, 10.6, True, False, 96.0)]
    words += [Word(t, 125.0 + 40 * k, 304.0, 160.0 + 40 * k, 314.6, 10.6, b, False, 95.0) for k, (t, b) in enumerate(after)]
    found = split_run_in(Line(page=0, words=words))
    assert (found is not None) is head
    if head:
        assert [found[0].text, found[1].text] == ["Description.", " ".join(t for t, _ in after)]
    # a text layer states every weight: its first word decides, however short
    typed = [w._replace(conf=None) for w in words]
    assert (split_run_in(Line(page=0, words=typed)) is not None) is (not after[0][1])


def test_columns_a_fifth_of_an_inch_apart_are_cut_and_a_bullets_indent_is_not():
    """`columns-caps` (a browser's two-column print) sets its columns 0.28 inch apart: read
    as one block, a theme's heading in the right column was read joined to the lines of
    the left one ('form of 2. Dig ital In novation'), and the theme's practices went
    into the theme before. A list's bullets stand 0.11-0.13 inch before their items."""
    from pipeline.read.columns import _gutters

    def gutters(white: int, bullets: bool = False):
        left = [(300 + 12 * k, 306 + 12 * k, 40 + 20 * r, 52 + 20 * r) for k in range(30) for r in range(25)]
        right = [(654 + white + 12 * k, 660 + white + 12 * k, 40 + 20 * r, 52 + 20 * r) for k in range(30) for r in range(25)]
        marks = [(250, 262, 42 + 20 * r, 50 + 20 * r) for r in range(25)] if bullets else []
        ink = _ink_columns(*left, *right, *marks)
        return _gutters(ink.sum(axis=0), 300, ink)

    assert gutters(84) == [(654, 738)]
    assert gutters(45) == []
    assert gutters(84, bullets=True) == [(654, 738)]  # 38 px of white after the bullets: no gutter


@pytest.mark.parametrize("english, latin, read", [
    # the English model's address cut short at its last dot, its top-level domain a word of
    # its own inside the address's box (dropped as a ghost); the Latin model read it whole
    (("lorna.vatta@distrettogate40.", 63.0), ("lorna.vatta@distrettogate40.it", 79.0), "lorna.vatta@distrettogate40.it"),
    (("paivi.ekdahl@lapiniiitto.", 73.0), ("paivi.ekdahl@lapinliitto.fi", 71.0), "paivi.ekdahl@lapinliitto.fi"),
    # two labels of the host lost ('prato.' and 'it', both inside the address's box)
    (("p.guarnieri@comune.", 66.0), ("p.guarnieri@comune.prato.it", 61.0), "p.guarnieri@comune.prato.it"),
    # an unsure Latin reading, one of other letters, or a sentence's stop after a whole address stay
    (("lorna.vatta@distrettogate40.", 63.0), ("lorna.vatta@distrettogate40.it", 40.0), "lorna.vatta@distrettogate40."),
    (("paivi.ekdahl@lapiniiitto.", 73.0), ("paula.ekholm@lapinliitto.fi", 71.0), "paivi.ekdahl@lapiniiitto."),
    (("info@agency.eu.", 80.0), ("info@agency.eu", 75.0), "info@agency.eu."),
    # what follows the dot is no host's end: a path, or words
    (("p.guarnieri@comune.", 66.0), ("p.guarnieri@comune.prato/it", 61.0), "p.guarnieri@comune."),
])
def test_an_address_cut_short_at_its_dot_takes_the_latin_reading_of_it_whole(english, latin, read):
    from pipeline.read.ocr import _address_reading

    assert _address_reading({"text": english[0], "conf": english[1], "latin": latin}) == read


def test_a_title_beside_a_column_is_cut_from_it_though_the_running_head_over_them_is_not():
    """`columns-caps`, a page whose practice opens at its top: a running head, a title in
    the left column beside the right column's text, then both columns. The head's strip
    and the title's were too short together to be a band, and gave the title's strip
    away with them; the band started under the title, so the title was read joined to
    the lines beside it ('ProACClO 4.0: Catalonia Ss providing vouchers ...') and the
    practice was not found."""
    from pipeline.read.columns import band_blocks

    ink = np.zeros((3508, 2480), dtype=bool)

    def lines(x0, x1, top, bottom, pitch=35, high=25):
        for y in range(top, bottom - high, pitch):
            ink[y : y + high, x0:x1] = True

    lines(100, 380, 69, 102), lines(1135, 1760, 69, 102)  # the running head
    lines(180, 1007, 191, 511, pitch=80, high=60), lines(1285, 2200, 191, 511)  # the title beside the right column
    lines(180, 1200, 549, 3274), lines(1284, 2200, 549, 3274)  # both columns
    assert [(x0, top, bottom) for x0, top, _, bottom in band_blocks(ink, 300)] == [(0, 191, 3269), (1242, 191, 3269)]


@pytest.mark.slow
def test_a_word_whose_box_took_in_the_faint_line_above_is_read_in_its_own_line():
    """A value under its label printed light grey (an office scan of a dark fact panel):
    Tesseract took the label's ink with 'Region' for one word, its box three lines tall,
    and read 'Sete' at 22 (by both models). Read again in its own line's band it is
    'Region'; a word as stretched but read surely, or as unsure but of its line's
    height, is left as it was."""
    from pipeline.read import ocr, stretched

    regular = _liberation_sans_and_tesseract("Regular")
    image = Image.new("L", (1400, 260), 255)
    canvas = ImageDraw.Draw(image)
    canvas.text((60, 40), "Main institution involved:", font=ImageFont.truetype(regular, 36), fill=190)
    canvas.text((60, 92), "Leeds City Region LEP", font=ImageFont.truetype(regular, 40), fill=0)
    read = lambda sheet: ocr._tesseract(sheet, "eng", psm=6)  # noqa: E731
    lines = [line for line in ocr._tesseract(image, "eng") if line["words"][0]["text"] == "Leeds"]
    assert [w["text"] for w in lines[0]["words"]] == ["Leeds", "City", "Region", "LEP"]
    line = lines[0]
    x0, top, x1, bottom = line["words"][2]["bbox"]
    # what Tesseract gave on the scan: the box from the label's top, the reading neither line
    stretched_box = [x0, 38, x1, bottom]
    as_read = {**line, "words": [*line["words"][:2], {**line["words"][2], "text": "Sete", "conf": 22.0, "bbox": stretched_box}, line["words"][3]]}
    again = stretched.reread(image, [as_read], read)[0]["words"]
    assert [w["text"] for w in again] == ["Leeds", "City", "Region", "LEP"]
    assert again[2]["conf"] >= stretched.SURE
    assert abs(again[2]["bbox"][1] - top) < 6 and abs(again[2]["bbox"][3] - bottom) < 6  # its own line's box
    # sure of it: left alone
    sure = {**as_read, "words": [*as_read["words"][:2], {**as_read["words"][2], "conf": 80.0}, as_read["words"][3]]}
    assert [w["text"] for w in stretched.reread(image, [sure], read)[0]["words"]] == ["Leeds", "City", "Sete", "LEP"]
    # unsure, but of its line's height: not stretched, left to the other rules
    level = {**as_read, "words": [*as_read["words"][:2], {**as_read["words"][2], "bbox": [x0, top, x1, bottom]}, as_read["words"][3]]}
    assert stretched.stretched_words([level]) == []
    assert [w["text"] for w in stretched.reread(image, [level], read)[0]["words"]] == ["Leeds", "City", "Sete", "LEP"]


def test_a_word_read_once_takes_the_latin_spelling_the_guide_prints_elsewhere():
    """'Siate' (English at 91, once in the guide) where the Latin model read 'State' at 94
    and the guide reads 'State' elsewhere: 'State'. Not where the Latin model is less sure,
    where its spelling is read nowhere else, where it is two letters away, or where the
    English spelling is the guide's own (read twice)."""
    texts = ["Platform", "Siate", "Treasury", "a", "State", "Treasury", "Foundation."]
    confs = [96.0, 91.0, 96.0, 96.0, 96.0, 96.0, 95.0]
    readings = [None, ("State", 94.0), None, None, ("State", 96.0), None, None]
    assert voted(texts, confs, readings) == ["Platform", "State", "Treasury", "a", "State", "Treasury", "Foundation."]
    assert voted(texts, confs) == texts  # no second witness: English is sure
    assert voted(texts, confs, [None, ("State", 90.0)] + readings[2:]) == texts  # Latin less sure
    alone = [*texts[:4], "Public", *texts[5:]]
    assert voted(alone, confs, readings) == alone  # 'State' read nowhere else
    assert voted(texts, confs, [None, ("Stale", 94.0)] + readings[2:]) == texts  # 'Stale' in no other place
    assert voted(["Sioie", *texts[2:]], [91.0, *confs[2:]], [("State", 94.0), *readings[2:]]) == ["Sioie", *texts[2:]]  # two letters
    twice = ["Siate", "Siate", "State"]
    assert voted(twice, [91.0, 91.0, 96.0], [("State", 94.0), ("State", 94.0), None]) == twice  # the guide's own spelling
    # punctuation and the English reading's case are kept
    assert voted(["(siate,", "state"], [80.0, 96.0], [("State", 95.0), None]) == ["(state,", "state"]
