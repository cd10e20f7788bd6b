"""Running headers and footers dropped as page furniture (`pipeline/layout/furniture.py`)."""

from __future__ import annotations

from pipeline.layout.furniture import find_furniture, phrases
from pipeline.model import PageText, Word

BODY = ("The green transition is the critical path for the future of the region",
        "and its small firms: clean energy and the decarbonisation of the economy",
        "are a few of the fronts where sustainability and digitisation meet.",
        "Companies that had known each other put aside the notion of competition",
        "in favour of common goals and started loaning each other equipment.",
        "Education centres have the talent and the infrastructure to support them",
        "while a shared agenda lets them engage with their local environment.",
        "The main beneficiaries of the practice are small firms and the public",
        "administration, since the solutions delivered improve circularity.",
        "Support is provided by scientific institutions and research centres",
        "as well as companies and institutions dealing with waste and energy",
        "through grants, investment, product and marketing consultancy.")


def _words(text: str, x0: float, top: float, size: float = 9.6) -> list[Word]:
    out, x = [], x0
    for word in text.split():
        width = 0.5 * size * len(word)
        out.append(Word(word, round(x, 2), top, round(x + width, 2), round(top + size, 2), size, None, False, 95.0))
        x += width + 0.3 * size
    return out


def _page(number: int, footer: list[tuple[str, float, float]]) -> PageText:
    """An A4 page of OCR words: a header, three lines of the page's own text ending
    in the bottom band, at the same heights on every page, and the footer's pieces as
    (text, x0, top)."""
    words = _words("3/2/26, 10:15 AM SMARTY Interreg Good Practice Guide", 23.0, 14.2, 8.6)
    for k, line in enumerate(BODY[3 * (number - 1) : 3 * number]):
        words += _words(line, 42.0, 730.0 + 12.4 * k)
    for text, x0, top in footer:
        words += _words(text, x0, top, 8.6)
    return PageText(number=number, width=595.92, height=842.04, words=words)


# `columns-caps` on the speckled scan, theme 3: the browser's footer as OCR read it on
# four pages (text, x0, top in points)
FOOTERS = [
    [("file:///tmp/guide-extract-editions-0/852ca28e697", 23.0, 817.63), ("lbaf5/guide.html", 240.0, 817.63), ("1/25", 550.0, 817.63)],
    [("file:///tmp/guide-extract-editions-0/852ca28e6971baf5/guide.html", 23.0, 818.52), ("13/25", 548.0, 818.3)],
    [("file:///tmp/guide-extract-editions-0/852ca28e697", 23.0, 817.53), ("lbaf5/gquide.html", 240.0, 817.4), ("14/25", 548.0, 818.53)],
    [("file:///tmp/guide-extract-editions-0/852ca28e697", 23.0, 818.55), ("1lbaf5/guide.html", 240.0, 818.42), ("15/25", 548.0, 818.29)],
]


def test_a_footer_read_in_pieces_and_a_letter_off_on_some_pages_is_furniture():
    """`columns-caps` on the office and speckled scans: the browser's footer (the page's
    address and number) was read in two pieces on some pages, a letter differently on
    others ('gquide.html', '1lbaf5', the page number's '1' taken for an 'l'), so no two
    pages gave the same key: the footer stayed in the text and went into a section (its
    text then missed by more than 5%). Every word of each footer is furniture, as the
    header is; the text above the footer, in the same band, is not."""
    pages = [_page(k + 1, footer) for k, footer in enumerate(FOOTERS)]
    furniture = find_furniture(pages)
    for page, footer in zip(pages, FOOTERS):
        words = len(page.words)
        assert furniture[page.number] == set(range(8)) | set(range(words - len(footer), words)), page.number


def test_a_footers_second_piece_a_fraction_of_a_point_higher_is_one_run_with_the_first():
    """Ordered by the rounded top, 'lbaf5/gquide.html' at 817.4 came before
    'file:///...697' at 817.53 on the same line, and each was a run of its own."""
    words = [w for text, x0, top in FOOTERS[2] for w in _words(text, x0, top, 8.6)]
    assert [[w.text for w in run] for run in phrases(words)] == [
        ["file:///tmp/guide-extract-editions-0/852ca28e697", "lbaf5/gquide.html"], ["14/25"]]


def test_lines_a_letter_apart_are_near_and_other_lines_are_not():
    from pipeline.layout.furniture import near_keys

    footer = "fiietmpguideextracteditionso#ca#e#ibaf#guidehtmii##"
    assert near_keys(footer, footer.replace("guide", "gquide"))
    assert near_keys(footer, footer.replace("ibaf", "iibaf"))
    assert not near_keys("thegreentransitionisthecriticalpath", "thebluetransformationisthecriticalstep")
    assert not near_keys("smartyinterreg#", "smartyinterreg##")  # too short to forgive a letter
