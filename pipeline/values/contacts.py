"""Contacts printed in running text ('contact Jane Doe at jane.doe@agency.eu'), for a card
whose sidebar gives none: each e-mail address is a contact, with the person named right
before it (spaCy's PERSON, else a run of capitalised words that reads as a name) and the
organisation when the text states one between the two."""

from __future__ import annotations

import re

from pipeline.fields.practice import _EMAIL, _ORG_WORDS, _PARTICLES, _looks_like_person

# What stands between a name and its address: punctuation and a few linking words.
_CUE = re.compile(
    r"(?:[\s(\[:,;<–—-]|\b(?:at|via|on|by|to|under|e-?mail(?:\s+address)?|mail|contact(?:ed)?|write|reach(?:ed)?|is|from)\b)+$",
    re.IGNORECASE,
)
_PIECES = re.compile(r"\s*(?:[,;:()\[\]]|\s[–—-]\s)\s*")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_WINDOW = 200
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "mr.", "mrs.", "ms.", "dr.", "prof."}


def _windows(text: str) -> list[tuple[str, str]]:
    """(email, text before it in its sentence, after any earlier address) per address."""
    out = []
    previous = 0
    for match in _EMAIL.finditer(text):
        ends = [m.end() for m in _SENTENCE_END.finditer(text, previous, match.start())]
        start = ends[-1] if ends else previous
        # a name stands right before its address: a short window keeps hostile text cheap
        out.append((match.group().lower().rstrip("."), text[max(start, match.start() - _WINDOW) : match.start()]))
        previous = match.end()
    return out


def _trailing_name(piece: str) -> str | None:
    """The capitalised words that end `piece`, when they read as a person's name."""
    words = piece.split()
    run: list[str] = []
    for word in reversed(words):
        if word[:1].isupper() or (run and word.lower() in _PARTICLES):
            run.insert(0, word)
        else:
            break
    while run and (run[0].lower() in _PARTICLES or run[0].lower() in _HONORIFICS):
        run.pop(0)
    name = " ".join(run)
    return name if 2 <= len(run) <= 4 and _looks_like_person(name) else None


def _ends_with(piece: str, entities: list[tuple[str, str]], label: str) -> str | None:
    for text, found in entities:
        if found == label and piece.endswith(text) and (label != "PERSON" or not _ORG_WORDS.search(text)):
            return text
    return None


def prose_contacts(text: str, nlp=None) -> list[dict]:
    """{name, organisation, email} for each address in `text`, in order, once each.
    `nlp` (the run's spaCy pipeline) adds its PERSON and ORG entities to the rules."""
    found: list[dict] = []
    windows = _windows(text)
    docs = nlp.pipe([w for _, w in windows]) if nlp is not None else [None] * len(windows)
    for (email, window), doc in zip(windows, docs):
        if any(c["email"] == email for c in found):
            continue
        entities = [(e.text, e.label_) for e in doc.ents] if doc is not None else []
        window = _CUE.sub("", window)
        pieces = [p for p in _PIECES.split(window) if p.strip()]
        name = organisation = None
        if pieces:
            last = pieces[-1].strip()
            person = _ends_with(last, entities, "PERSON") or _trailing_name(last)
            if person is None and len(pieces) >= 2 and (_ends_with(last, entities, "ORG") == last or _ORG_WORDS.search(last)):
                # 'Marco Rossi, Regional Agency for Innovation (m.rossi@...)'
                before = pieces[-2].strip()
                person = _ends_with(before, entities, "PERSON") or _trailing_name(before)
                if person:
                    organisation = last
            name = person
        found.append({"name": name, "organisation": organisation, "email": email})
    return found
