"""Turn the lines of a section back into clean prose.

Paragraphs are told apart by the gaps the layout stage already cut at (a new region
directly below the last one in the same column is a new paragraph); a region that starts
in another column or on another page continues the paragraph. Line-end hyphens are
removed when the joined word is what the document itself writes elsewhere, and kept for
real compounds ('4.0-related', 'cross-sectoral').
"""

from __future__ import annotations

import re

from pipeline.model import Line, Region
from pipeline.cards.vocabulary import list_marker, strip_bullet

_SENTENCE_END = re.compile(r"[.!?:;]['’\"”)]*$")
_HYPHENS = "-\u2010\u00ad"


def _first_token(text: str) -> str:
    match = re.match(r"[\w’']+", text)
    return match.group(0) if match else ""


def _compound(head: str, tail: str, lexicon: frozenset[str]) -> bool:
    """Neither spelling is written elsewhere: a compound of two words the document writes
    ('step-changes', 'class-training'), or with a first part it hyphenates elsewhere
    ('techno-economic' beside 'techno-scientific'), keeps its hyphen; a syllable break
    ('produ-ction') does not."""
    joined = head + tail
    # a word of the same family written whole elsewhere ('highlight' for 'high-lights',
    # 'improvement' for 'improve-ments') says the hyphen was the line break's
    if any(len(word) > len(head) + 1 and (joined.startswith(word) or word.startswith(joined)) for word in lexicon):
        return False
    if len(head) >= 3 and len(tail) >= 3 and head in lexicon and tail in lexicon:
        return True
    return any(word.startswith(head + "-") for word in lexicon) if len(head) >= 3 else False


def join_lines(left: str, right: str, lexicon: frozenset[str]) -> str:
    """Join two wrapped lines, deciding what a line-end hyphen was."""
    if not left:
        return right
    if left[-1] in _HYPHENS and len(left) >= 2 and left[-2].isalpha() and right[:1].islower():
        stem = re.search(r"[\w’']+$", left[:-1])
        head = stem.group(0) if stem else ""
        tail = _first_token(right)
        joined = (head + tail).lower()
        hyphenated = f"{head}-{tail}".lower()
        if hyphenated in lexicon and joined not in lexicon:
            return left[:-1] + "-" + right
        if joined not in lexicon and _compound(head.lower(), tail.lower(), lexicon):
            return left[:-1] + "-" + right
        return left[:-1] + right
    if left[-1] in _HYPHENS and len(left) >= 2 and not left[-2].isspace():
        return left + right
    if left.endswith("/") and len(left) >= 2 and not left[-2].isspace():
        return left + right
    return left + " " + right


def _is_short(line: Line, column_right: float) -> bool:
    return line.x1 < column_right - 4 * line.size


def _below_in_same_column(prev: Region, nxt: Region) -> bool:
    if prev.page != nxt.page:
        return False
    (px0, _, px1, pbottom), (nx0, ntop, nx1, _) = prev.bbox, nxt.bbox
    return ntop >= pbottom - 1 and min(px1, nx1) - max(px0, nx0) > 0


def clean_text(blocks: list[Region], lexicon: frozenset[str]) -> str | None:
    """Blocks of one section, in reading order, as text: paragraphs separated by a blank
    line, list items one per line starting with '- ' (bullets) or their number."""
    out: list[str] = []  # finished logical lines; "" marks a paragraph break
    current = ""
    item_x: float | None = None  # x of the current list item's marker, same column only
    prev_line: Line | None = None
    prev_block: Region | None = None
    prev_right = 0.0

    for block in blocks:
        right = max(line.x1 for line in block.lines)
        for i, line in enumerate(block.lines):
            text = re.sub(r"\s+", " ", line.text).strip()
            marker = list_marker(text)
            moved = i == 0 and prev_block is not None and not _below_in_same_column(prev_block, block)
            below = i == 0 and prev_block is not None and not moved
            if moved:
                # another column or page: margins are not comparable, the sentence decides
                indented = item_x is not None and not marker and (
                    text[:1].islower() or not _SENTENCE_END.search(current)
                )
            else:
                indented = item_x is not None and line.x0 > item_x + line.size / 2
            if prev_line is None:
                sep = "start"
            elif marker and not indented:
                sep = "\n"
            elif indented:
                sep = "join"
            elif below:
                sep = "\n\n"
            elif item_x is not None and (text[:1].islower() and not _SENTENCE_END.search(current)):
                sep = "join"  # an item set without a hanging indent runs on at the margin
            elif item_x is not None:
                sep = "\n"
            elif (
                _SENTENCE_END.search(current)
                and _is_short(prev_line, right if i > 0 else prev_right)
                and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "“\"‘'(")
            ):
                sep = "\n"
            else:
                sep = "join"

            if sep == "join":
                current = join_lines(current, text, lexicon)
                if moved and item_x is not None:
                    # the item runs on in a new column: its lines here are its indent
                    item_x = line.x0 - line.size
            else:
                if current:
                    out.append(current)
                    if sep == "\n\n":
                        out.append("")
                if marker and not indented:
                    item_x = line.x0
                    current = ("- " + strip_bullet(text)) if marker == "bullet" else text
                else:
                    item_x = None
                    current = text
            prev_line, prev_block = line, block
        prev_right = right
    if current:
        out.append(current)
    return "\n".join(out).strip() or None
