"""Quantitative results in a parsed text: value, unit (the counted noun phrase),
qualifier and the sentence they stand in. Years, ordinals, list numbers, version
numbers ('Industry 4.0') and durations ('in the first five years') are not results."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from pipeline.values.numbers import _WORDS, parse_number, qualifier_before

_SPELLED = "|".join(sorted(_WORDS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.,/])(?P<sign>[>≥<≤~+])?\s?"
    rf"(?P<num>\d{{1,3}}(?:[.,]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|(?i:{_SPELLED})\b)"
    rf"(?P<scale>/\d+)?(?P<pct>\s?%)?(?P<plus>\+)?(?P<glued>[A-Za-z]+)?(?![\w/])",
)
_GLUED_UNITS = {"hrs", "hr", "h", "hours", "km", "kg", "t", "mw", "gw", "kwh", "mwh", "gwh", "ha", "m2", "k"}
_TIME = re.compile(r"^(?:years?|months?|weeks?|days?|decades?)\b", re.I)
_DURATION_BEFORE = re.compile(r"\b(?:first|next|last|past|for|within|during|over the|the)\s*$", re.I)
_SIGNS = {">": ">", "≥": ">=", "<": "<", "≤": "<=", "~": "about", "+": "+"}
_UNIT_POS = {"NOUN", "PROPN", "ADJ"}


def _qualifier(before: str, sign: str | None, plus: str | None) -> str | None:
    if sign:
        return _SIGNS[sign]
    if plus:
        return "+"
    return qualifier_before(before)


def _unit(doc: Doc, end_char: int) -> Span | None:
    """The noun phrase right after a number: '69 [training actions]',
    '120-[fee paying members]', '75 [diagnostics / action plans]'."""
    start = None
    last_noun = None
    token = next((t for t in doc if t.idx >= end_char), None)
    while token is not None:
        glued = _in_hyphen_compound(doc, token.i)
        if token.text in ("&", "/") or glued:
            ok = True
        elif token.pos_ in _UNIT_POS or (token.tag_ in ("VBG", "VBN") and _before_noun(doc, token.i)):
            ok = True
        else:
            ok = False
        if not ok:
            break
        if token.text == "-" and not glued:
            break
        if start is None and token.text != "-":
            start = token.i
        if token.pos_ in ("NOUN", "PROPN") or (glued and token.text != "-"):
            last_noun = token.i
        token = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if start is None or last_noun is None or last_noun < start:
        return None
    return doc[start : last_noun + 1]


def _before_noun(doc: Doc, i: int) -> bool:
    """'accredited advisors', 'fee paying members': a participle used as an adjective."""
    return i + 1 < len(doc) and doc[i + 1].pos_ in ("NOUN", "PROPN", "ADJ")


def _in_hyphen_compound(doc: Doc, i: int) -> bool:
    """'in-depth', 'hands-on', 'non-member': parts joined by a hyphen with no space."""
    token = doc[i]
    joins_next = i + 1 < len(doc) and token.whitespace_ == "" and doc[i + 1].text == "-"
    joins_prev = i > 0 and doc[i - 1].whitespace_ == "" and doc[i - 1].text == "-" and i > 1
    is_hyphen = token.text == "-" and token.whitespace_ == "" and i > 0 and doc[i - 1].whitespace_ == ""
    return joins_next or joins_prev or is_hyphen


def _is_year(value: float, raw: str) -> bool:
    return raw.isdigit() and 1900 <= value <= 2100


def find_metrics(doc: Doc, sentences: list[tuple[int, int]], skip: list[tuple[int, int]] = ()) -> list[dict]:
    """Metrics in `doc`, each with its raw sentence; `skip` are character ranges already
    read as money. `sentences` are (start, end) character ranges."""
    text = doc.text
    found = []
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        for m in _QUANTITY.finditer(sentence):
            start, end = s_start + m.start("num"), s_start + m.end()
            printed_from = s_start + m.start()
            if any(a < end and start < b for a, b in skip):
                continue
            raw_num = m.group("num")
            glued = (m.group("glued") or "").lower()
            if glued and glued not in _GLUED_UNITS:
                continue  # '5th', '3D', '4G': ordinals and names, not counts
            value = parse_number(raw_num)
            if value is None:
                continue
            before = text[s_start:start]
            after = text[end:s_end]
            if re.fullmatch(r"\s*[-–•»]?\s*", before) and re.match(r"^[.)]\s", after):
                continue  # a list number: '1. A first call'
            if "." in raw_num and re.search(r"[A-Z][\w-]*\s$", before) and raw_num.endswith(".0"):
                continue  # a version: 'Industry 4.0', 'CIM 4.0'
            if m.group("scale"):
                scale = float(m.group("scale")[1:])
                if value > scale:
                    continue  # '2020/21' is a year span, not a rating
                found.append(_metric(sentence, value, "rating", None, start, end, text[printed_from:end], scale))
                continue
            if m.group("pct"):
                found.append(_metric(sentence, value, "%", _qualifier(before, m.group("sign"), m.group("plus")), start, end, text[printed_from:end]))
                continue
            unit = None
            if glued:
                unit_text = m.group("glued")
            else:
                unit = _unit(doc, end)
                unit_text = " ".join(text[unit.start_char : unit.end_char].split()) if unit is not None else None
                if unit_text and _TIME.match(unit_text) and _DURATION_BEFORE.search(before):
                    continue  # 'in the first five years'
            if _is_year(value, raw_num) and not (unit is not None and unit.root.tag_ == "NNS" and not glued):
                continue
            if not raw_num[0].isdigit() and (unit_text is None or re.match(r"^of\b", after.strip())):
                continue  # 'one of Finland's ...'
            printed_to = unit.end_char if unit is not None else end
            found.append(
                _metric(sentence, value, unit_text, _qualifier(before, m.group("sign"), m.group("plus")), start, end, text[printed_from:printed_to])
            )
    return found


def _metric(
    sentence: str, value: float, unit: str | None, qualifier: str | None, start: int, end: int, printed: str,
    scale: float | None = None,
) -> dict:
    raw = re.sub(r"^\s*[-–•»]\s*", "", sentence).strip()
    metric = {
        "raw": raw, "value": value, "unit": unit, "qualifier": qualifier, "start": start, "end": end,
        "quantity": " ".join(printed.split()),
    }
    if scale is not None:
        metric["scale"] = scale
    return metric
