"""Run-in section heads: 'Resources. The programme is funded ...' — a few bold words that
name a section and end in a full stop or colon, followed on the same line by the
section's first words in regular type. The heading starts the section; the rest of its
line is the section's first text."""

from __future__ import annotations

from pipeline.cards.vocabulary import section_key
from pipeline.model import Line

_MAX_WORDS = 6


def split_run_in(line: Line) -> tuple[Line, Line] | None:
    """(heading, text) of a line that opens with a run-in head, else None."""
    words = line.words
    if not words or words[0].bold is False:
        return None
    for n in range(1, min(len(words) - 1, _MAX_WORDS) + 1):
        # a word of unknown weight after a bold one may still be the head's: OCR leaves
        # a word's weight unknown where its strokes do not tell ('success.' of a bold
        # 'Evidence of success.' on an office scan, and the section ran into the one before)
        if words[n - 1].bold is False:
            return None
        if words[n - 1].text[-1:] not in ".:":
            continue
        rest = words[n:]
        # the text after the head is set in regular type, and the head names a section;
        # a head whose weight is unknown throughout (OCR's 'Description.' on a colour
        # scan) is told by the regular weight measured right after it. OCR weighs a word
        # of one or two letters poorly ('It', a bar and a 't', measured bold after a
        # bold 'Description.' on an office scan): its first word of three letters tells
        after = next((w for w in rest if w.conf is None or len(w.text.strip(".,;:")) >= 3), rest[0])
        if after.bold or section_key(" ".join(w.text for w in words[:n]).rstrip(".:")) is None:
            return None
        if not any(w.bold for w in words[:n]) and after.bold is not False:
            return None
        return line.model_copy(update={"words": words[:n]}), line.model_copy(update={"words": rest})
    return None
