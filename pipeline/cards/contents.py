"""A table of contents typed in the front matter: entries of a title, leader dots and a
page number ('2.3 Incentives for ... ........ 10'), an entry's title possibly wrapped
over two lines. It is front matter, never text of a card; it is also the guide's own
statement of what it holds, so the cards found are checked against it
(`contents_warnings`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.model import Region
from pipeline.warn import warning

# leader dots (typed, or a tab leader: runs of '.' or '…', spaced or not), then the page
_ENTRY = re.compile(r"^(?P<title>.*?\S)\s*(?:(?:\.\s?){2,}|…+)\s*(?P<page>\d{1,4})$")
_FILLED = re.compile(r"^(?P<title>.*?[^\d\s.])\s?(?P<page>\d{1,4})$")
_FLUSH = 2.0  # points: page numbers of one table of contents end this close together
_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>.+)$")
_MAX_WRAP = 2  # lines an entry's title may wrap over before its leader


@dataclass
class Entry:
    number: str | None  # '2' for a theme, '2.3' for a practice, None unnumbered
    title: str
    page: int


def contents_entries(regions: list[Region]) -> list[Entry]:
    lines = [line for region in regions for line in region.lines]
    texts = [re.sub(r"\s+", " ", line.text).strip() for line in lines]
    matches = [_ENTRY.match(text) for text in texts]
    # the page numbers stand flush right: a title that fills its line leaves no room for
    # leader dots ('...training programme17'), but its number ends where the others do
    right = sorted(line.x1 for line, match in zip(lines, matches) if match)
    edge = right[len(right) // 2] if right else None
    entries: list[Entry] = []
    pending: list[str] = []
    for line, text, match in zip(lines, texts, matches):
        if not match and edge is not None and abs(line.x1 - edge) < _FLUSH:
            match = _FILLED.match(text)
        if not match:
            pending = (pending + [text])[-(_MAX_WRAP - 1):]
            continue
        title = " ".join(pending + [match.group("title")]) if pending and _continues(pending[-1]) else match.group("title")
        pending = []
        numbered = _NUMBER.match(title)
        number = numbered.group("number") if numbered else None
        entries.append(Entry(number, numbered.group("title") if numbered else title, int(match.group("page"))))
    return entries


def _continues(text: str) -> bool:
    """A line right before an entry that is the start of its title (a numbered line
    without leader, or one not ending a sentence)."""
    return bool(_NUMBER.match(text)) and not text.endswith(".")


def _key(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.lower()).strip()


def contents_warnings(entries: list[Entry], themes: list[dict], practices: list[dict]) -> list[dict]:
    """'contents_mismatch' warnings where the table of contents and the cards found
    disagree: an entry with no theme or practice of that title, a practice it does not
    list, or a page off the common offset between printed and physical page numbers
    (front matter numbered apart shifts all entries alike)."""
    if not entries:
        return []
    found = {_key(p["title"]): (p["title"], p["pages"][0]) for p in practices}
    found.update({_key(t["title"]): (t["title"], t["pages"][0]) for t in themes})
    matched = [(e, found[_key(e.title)]) for e in entries if _key(e.title) in found]
    offsets = Counter(start - e.page for e, (_, start) in matched)
    offset = offsets.most_common(1)[0][0] if offsets else 0
    out = []
    for entry in entries:
        if _key(entry.title) not in found:
            # only an entry numbered as a practice is missed: '1. Introduction' or an
            # unnumbered 'Annex' is a chapter of the front or back matter
            if _is_practice(entry):
                out.append(warning("contents_mismatch", f"The table of contents lists '{entry.title}' (page {entry.page}), but no practice of that title was found."))
            continue
        title, start = found[_key(entry.title)]
        if start - entry.page != offset:
            out.append(warning("contents_mismatch", f"The table of contents gives page {entry.page} for '{title}', which starts on page {start}.", start))
    listed = {_key(e.title) for e in entries}
    lists_practices = any(_is_practice(e) for e in entries) or 2 * sum(_key(p["title"]) in listed for p in practices) >= len(practices)
    if lists_practices:
        for practice in practices:
            if _key(practice["title"]) not in listed:
                out.append(warning("contents_mismatch", f"The practice '{practice['title']}' is not in the table of contents.", practice["pages"][0]))
    return out


def _is_practice(entry: Entry) -> bool:
    """Numbered 'N.M', as a practice under theme N is."""
    return bool(entry.number and re.fullmatch(r"\d{1,2}\.\d{1,2}", entry.number))
