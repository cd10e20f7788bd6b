"""The words the fields stage reads as data (`vocabulary.toml` beside this module):
fillers that mean a field is empty, and words that mean a period is still running; a
user's --vocabulary file adds to both (`absent`, `ongoing`)."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from pipeline.cards.vocabulary import user_table, user_vocabulary

SHIPPED = Path(__file__).with_name("vocabulary.toml")


@functools.cache
def _words() -> dict:
    return tomllib.loads(SHIPPED.read_text(encoding="utf-8"))


def absent_words() -> frozenset[str]:
    return _absent(user_vocabulary())


@functools.lru_cache(maxsize=8)
def _absent(extra: str | None) -> frozenset[str]:  # keyed by the user's file (--vocabulary)
    return frozenset(word.lower() for word in _words()["absent"] + user_table("absent"))


def ongoing_pattern() -> re.Pattern:
    return _ongoing(user_vocabulary())


@functools.lru_cache(maxsize=8)
def _ongoing(extra: str | None) -> re.Pattern:
    words = sorted(_words()["ongoing"] + user_table("ongoing"), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?![\w-])", re.IGNORECASE)


def is_absent(text: str | None) -> bool:
    """True when a whole field value is a filler ('n/a', 'N/A', 'not applicable', '-',
    'none', 'tbd'): the document says there is no value, so none is reported."""
    if text is None:
        return False
    folded = re.sub(r"\s+", " ", text).strip().lower()
    return folded in absent_words() or folded.rstrip(".") in absent_words()
