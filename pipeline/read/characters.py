"""A page's characters computed straight from pdfminer's text rendering, as pdfplumber's
words need them.

pdfminer builds an `LTChar` object for every character it renders (its box through
`apply_matrix_rect`, its font's metrics looked up per character), and pdfplumber then
turns each into a dict of its attributes, resolving its colour space and graphic state
on the way: together about half of reading a page's words. Words need a character's
text, box, font, size and direction, so `CharacterDevice` computes those when pdfminer
renders the character, with the same arithmetic in the same order as `LTChar.__init__`
and pdfplumber's `Page.process_object` (so the same floats, bit for bit), and gives
pdfplumber the finished dicts. Everything else on the page (lines, rectangles, curves,
images) still goes through pdfminer's and pdfplumber's own objects.

Written against the pinned pdfminer.six and pdfplumber; the words are checked against
pdfplumber's own, byte for byte, by `tests/test_speed.py`.
"""

from __future__ import annotations

import logging
from unicodedata import normalize as normalize_unicode

from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_rect
from pdfplumber.page import PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils.exceptions import PdfminerException

_pdfminer_log = logging.getLogger("pdfminer.pdfdevice")  # where pdfminer's own loop warns


class CharacterDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's page device (marked content and all, for the non-text objects) whose
    characters are pdfplumber's character dicts, kept in `chars` in the order pdfminer
    renders them, which is the order pdfplumber's walk of the layout would give them (a
    form's characters are rendered between its begin and end, where its figure goes)."""

    def __init__(self, page) -> None:
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=None)
        self.chars: list[dict] = []
        self._height = page.height
        self._mb_x0, self._mb_top = page.mediabox[:2]
        self._doctop = page.initial_doctop
        self._norm = page.pdf.unicode_norm
        self._fonts: dict = {}  # font -> (its name, its descent per point, whether vertical)
        self._glyphs: dict = {}  # (font, cid) -> (text, width, displacement)

    def _font(self, font) -> tuple:
        fontname = font.fontname
        if isinstance(fontname, bytes):  # rare byte-encoded font names, as pdfplumber decodes them
            fontname = fix_fontname_bytes(fontname)
        described = self._fonts[font] = (fontname, font.get_descent(), font.is_vertical())
        return described

    def _glyph(self, font, cid: int) -> tuple:
        # as PDFLayoutAnalyzer.render_char
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        if self._norm is not None:  # as pdfplumber's process_object
            text = normalize_unicode(self._norm, text)
        glyph = self._glyphs[font, cid] = (text, font.char_width(cid), font.char_disp(cid))
        return glyph

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        """One character, as `LTChar.__init__` computes it (vertical fonts come here;
        horizontal strings go through `render_string_horizontal`)."""
        text, textwidth, textdisp = self._glyphs.get((font, cid)) or self._glyph(font, cid)
        fontname, descent, vertical = self._fonts.get(font) or self._font(font)
        adv = textwidth * fontsize * scaling
        if vertical:
            (vx, vy) = textdisp
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = descent * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        (a, b, c, d, _e, _f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        (x0, y0, x1, y1) = apply_matrix_rect(matrix, bbox)
        # (LTChar's swap of x0/x1 and y0/y1 never fires after apply_matrix_rect's min and max)
        width, height = x1 - x0, y1 - y0
        self._add(text, fontname, width if vertical else height, adv, upright, matrix, x0, y0, x1, y1)
        return adv

    def _add(self, text, fontname, size, adv, upright, matrix, x0, y0, x1, y1) -> None:
        """pdfplumber's character dict (`Page.process_object`): page coordinates from the
        top, shifted by the MediaBox's corner."""
        top = (self._height - y1) + self._mb_top
        width, height = x1 - x0, y1 - y0
        if self._mb_x0 != 0:
            x0, x1 = x0 + self._mb_x0, x1 + self._mb_x0
        self.chars.append({
            "text": text, "fontname": fontname, "size": size, "adv": adv, "upright": upright, "matrix": matrix,
            "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": width, "height": height,
            "top": top, "bottom": (self._height - y0) + self._mb_top, "doctop": self._doctop + top,
            "object_type": "char", "page_number": self.pageno,
        })

    def render_string_horizontal(
        self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise, dxscale, ncs, graphicstate
    ):
        """pdfminer's loop over a horizontal string (`PDFTextDevice`), with `render_char`,
        `translate_matrix` and `apply_matrix_rect` written out: what is the same for the
        whole string (the font, the matrix's rotation and scale, the box's height) is
        computed once, and every sum keeps pdfminer's operands and order, so every
        coordinate is the float pdfminer computes."""
        fontname, descent, _ = self._fonts.get(font) or self._font(font)
        glyphs = self._glyphs
        chars = self.chars
        height_, mb_x0, mb_top, doctop, pageno = self._height, self._mb_x0, self._mb_top, self._doctop, self.pageno
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        descent = descent * fontsize
        by0 = descent + rise  # the character's box before the matrix: (0, by0, adv, by1)
        by1 = descent + rise + fontsize
        # apply_matrix_pt: (a * x + c * y) + e'; the terms without the character's advance
        left_bottom, left_top = a * 0 + c * by0, a * 0 + c * by1
        bottom_left, top_left = b * 0 + d * by0, b * 0 + d * by1
        cby0, cby1, dby0, dby1 = c * by0, c * by1, d * by0, d * by1
        (x, y) = pos
        yc, yd = y * c, y * d  # translate_matrix: e' = (x * a + y * c) + e
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    text, textwidth, _ = glyphs.get((font, cid)) or self._glyph(font, cid)
                    adv = textwidth * fontsize * scaling
                    e1, f1 = x * a + yc + e, x * b + yd + f
                    aadv, badv = a * adv, b * adv
                    # apply_matrix_rect: min() and max() of the four corners in its order,
                    # as min() and max() compare (a later value replaces only if smaller, or
                    # larger), written out as a call of each costs twice as much
                    x0 = x1 = left_bottom + e1
                    v = left_top + e1
                    x0, x1 = (v if v < x0 else x0), (v if v > x1 else x1)
                    v = (aadv + cby0) + e1
                    x0, x1 = (v if v < x0 else x0), (v if v > x1 else x1)
                    v = (aadv + cby1) + e1
                    x0, x1 = (v if v < x0 else x0), (v if v > x1 else x1)
                    y0 = y1 = bottom_left + f1
                    v = (badv + dby0) + f1
                    y0, y1 = (v if v < y0 else y0), (v if v > y1 else y1)
                    v = (badv + dby1) + f1
                    y0, y1 = (v if v < y0 else y0), (v if v > y1 else y1)
                    v = top_left + f1
                    y0, y1 = (v if v < y0 else y0), (v if v > y1 else y1)
                    top = (height_ - y1) + mb_top
                    width, height = x1 - x0, y1 - y0
                    if mb_x0 != 0:
                        x0, x1 = x0 + mb_x0, x1 + mb_x0
                    chars.append({
                        "text": text, "fontname": fontname, "size": height, "adv": adv, "upright": upright,
                        "matrix": (a, b, c, d, e1, f1),
                        "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": width, "height": height,
                        "top": top, "bottom": (height_ - y0) + mb_top, "doctop": doctop + top,
                        "object_type": "char", "page_number": pageno,
                    })
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                _pdfminer_log.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.", obj)
        return (x, y)


def read_characters(page) -> None:
    """Interpret the page with `CharacterDevice` and give pdfplumber the result: its
    layout (without characters) and its objects (pdfplumber's own for everything but the
    characters). A page already interpreted, or a PDF opened with pdfminer's layout
    analysis (`laparams`, which groups `LTChar`s into text boxes), is left to pdfplumber."""
    if page.pdf.laparams is not None or hasattr(page, "_layout") or hasattr(page, "_objects"):
        return
    device = CharacterDevice(page)
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except Exception as error:  # as pdfplumber's Page.layout
        raise PdfminerException(error) from error
    page._layout = device.get_result()
    objects = page.parse_objects()
    if device.chars:
        objects["char"] = device.chars
    page._objects = objects
