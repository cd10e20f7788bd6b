"""The guide's metadata: what the document says about itself, never practice data.

Two sources, the printed one first: the document's metadata block ('Author(s)',
'Publication date', 'Terms of reuse', 'Type', 'Keywords', read by cards/stacked.py with
the [metadata] wordings of the vocabulary), then the PDF's info dictionary (Author,
CreationDate), used only for what the block does not state. Values keep their printed
wording; a publication date becomes ISO (YYYY, YYYY-MM or YYYY-MM-DD).
"""

from __future__ import annotations

import re
from datetime import date

from pipeline.fields.periods import _MONTHS
from pipeline.fields.practice import _looks_like_person, one_line, spans_of
from pipeline.model import MetadataDraft
from pipeline.warn import warning

_LISTS = ("authors", "keywords")
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATES = (
    re.compile(rf"^{_YEAR}-(?P<month>\d{{1,2}})(?:-(?P<day>\d{{1,2}}))?$"),  # 2021-03-12, 2021-03
    re.compile(rf"^(?P<day>\d{{1,2}})[./](?P<month>\d{{1,2}})[./]{_YEAR}$"),  # 12/03/2021, 12.03.2021
    re.compile(rf"^(?P<month>\d{{1,2}})[./]{_YEAR}$"),  # 03/2021
    re.compile(rf"^(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<name>[A-Za-z]{{3,9}})\.?,?\s+{_YEAR}$"),  # 12 March 2021, March 2021
    re.compile(rf"^(?P<name>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}$"),  # March 12, 2021
    re.compile(rf"^{_YEAR}$"),
)
_INFO_DATE = re.compile(r"^D:(?P<year>\d{4})(?P<month>\d{2})?(?P<day>\d{2})?")


def iso_date(printed: str) -> str | None:
    """'12 March 2021' -> '2021-03-12', 'June 2019' -> '2019-06', '2020' -> '2020'; None
    when the text is no date this reads."""
    text = re.sub(r"\s+", " ", printed).strip().rstrip(".")
    for pattern in _DATES:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        month = parts.get("month")
        if parts.get("name"):
            month = _MONTHS.get(parts["name"].lower())
            if month is None:
                return None
        return _iso(parts["year"], month, parts.get("day"))
    return None


def _iso(year: str, month, day) -> str | None:
    if month is None:
        return year
    month = int(month)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year}-{month:02d}"
    try:
        return date(int(year), month, int(day)).isoformat()
    except ValueError:  # 31.02.2021
        return None


def info_date(value: str | None) -> str | None:
    """The date of a PDF date string ('D:20190415093000Z' -> '2019-04-15')."""
    match = _INFO_DATE.match((value or "").strip())
    return _iso(match.group("year"), match.group("month"), match.group("day")) if match else None


def split_list(texts: list[str], names: bool = False) -> list[str]:
    """Items one per line or separated by ';'; else by ','. With `names` (authors), ','
    and ' and ' part only names of people ('Maria Keller, Jonas Weber' -> two), never an
    organisation ('Department of Research and Innovation' stays one)."""
    out: list[str] = []
    for text in texts:
        if ";" in text:
            parts = text.split(";")
        elif names:
            parts = re.split(r",|\s+and\s+|\s+&\s+", text)
            if not all(_looks_like_person(part.strip()) for part in parts if part.strip()):
                parts = [text]
        else:
            parts = text.split(",")
        out.extend(part.strip() for part in parts if part.strip())
    return out


def build_metadata(items: list[MetadataDraft], info: dict[str, str], lexicon: frozenset[str]) -> tuple[dict, list[dict]]:
    """The contract's `metadata` object and the guide warnings it raised."""
    out: dict = {"authors": [], "publication_date": None, "version": None, "licence": None,
                 "document_type": None, "keywords": [], "provenance": []}
    warnings: list[dict] = []
    stated: set[str] = set()
    for item in items:
        if not item.values:
            continue
        stated.add(item.key)
        out["provenance"].extend(spans_of(item.label + item.values))
        if item.key in _LISTS:
            lines = [one_line([line], lexicon) or "" for line in item.values]
            out[item.key].extend(v for v in split_list(lines, names=item.key == "authors") if v not in out[item.key])
            continue
        text = one_line(item.values, lexicon)
        if item.key == "publication_date":
            out["publication_date"] = iso_date(text or "")
            if out["publication_date"] is None:
                page = item.values[0].page
                warnings.append(warning("unparsed_publication_date", f"The publication date '{text}' is no date this tool reads.", page, "metadata.publication_date"))
        elif out[item.key] is None:
            out[item.key] = text
    # the info dictionary only for what the document itself does not state
    author = (info.get("Author") or "").strip()
    if "authors" not in stated and author:
        out["authors"] = split_list([author], names=True)
    if "publication_date" not in stated:
        out["publication_date"] = info_date(info.get("CreationDate"))
    return out, warnings
