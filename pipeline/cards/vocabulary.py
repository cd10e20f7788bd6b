"""Words a good-practice card uses for its labels and section headings.

These are the vocabulary of the genre (Interreg good-practice cards and their kin), not
of one edition: synonyms seen across programmes are listed so that a new edition's
wording still maps to the contract's fields.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path

SIDEBAR_FIELDS = ("institution", "location", "contact", "website", "period")
SECTION_ORDER = ("challenges", "transfer", "evidence", "resources", "about")
METADATA_KEYS = ("authors", "publication_date", "version", "licence", "document_type", "keywords")
SHIPPED = Path(__file__).with_name("vocabulary.toml")
ENV = "GUIDE_EXTRACT_VOCABULARY"


class VocabularyError(ValueError):
    """A user's vocabulary file that cannot be used (its path and the reason)."""


BULLETS = ("»", "•", "●", "▪", "■", "◦", "‣", "►", "○", "✓", "-", "–", "*", "·")
_ENUMERATOR = re.compile(r"^(\(\d{1,2}\)|\d{1,2}[.)]|[a-z][)])\s")


def _norm(text: str) -> str:
    text = text.lower().replace("\u2010", "-").replace("–", "-")
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    text = re.sub(r"[^\w/\- ]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _read(path: Path) -> dict:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise VocabularyError(f"{path}: cannot read the vocabulary file ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise VocabularyError(f"{path}: the vocabulary file is not valid TOML ({error})") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise VocabularyError(f"{path}: the vocabulary file is nested too deeply (it holds tables of word lists)") from None
    if path != SHIPPED:  # the shipped file of this stage holds only the card tables
        unknown = [key for key in data if key not in USER_TABLES]
        if unknown:
            raise VocabularyError(f"{path}: {unknown[0]!r} is not a vocabulary table (the tables are {', '.join(USER_TABLES)})")
    for table, known in (("labels", SIDEBAR_FIELDS), ("sections", SECTION_ORDER), ("metadata", METADATA_KEYS)):
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            raise VocabularyError(f"{path}: [{table}] must be a table")
        for key, words in entries.items():
            if key not in known:
                hint = f" ({key} = [...] goes above the first [table] of the file)" if key in ("absent", "ongoing") else ""
                raise VocabularyError(f"{path}: [{table}] {key} is not one of {', '.join(known)}{hint}")
            if not _words(words):
                raise VocabularyError(f"{path}: [{table}] {key} must be a list of words")
    for key in ("absent", "ongoing"):
        if key in data and not _words(data[key]):
            raise VocabularyError(f"{path}: {key} must be a list of words")
    for table in ("currencies", "currencies_cased"):
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            raise VocabularyError(f"{path}: [{table}] must be a table")
        for code, words in entries.items():
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise VocabularyError(f"{path}: [{table}] {code} is not an ISO 4217 currency code (three capital letters)")
            if not _words(words):
                raise VocabularyError(f"{path}: [{table}] {code} must be a list of words")
    shared = data.get("currencies_shared", {})
    if not isinstance(shared, dict):
        raise VocabularyError(f"{path}: [currencies_shared] must be a table")
    for word, by_country in shared.items():
        if not (isinstance(by_country, dict) and by_country and all(
                re.fullmatch(r"[A-Z]{2}", country) and isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code)
                for country, code in by_country.items())):
            raise VocabularyError(f"{path}: [currencies_shared] {word} must map country codes to currency codes ({{ SE = \"SEK\" }})")
    return data


def _words(value) -> bool:
    return isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value)


# What a user's file (--vocabulary) may hold: the card wordings of this stage's file, the
# fillers and ongoing words of the fields stage's (pipeline/fields/vocabulary.toml) and the
# currency words of the values stage's (pipeline/values/vocabulary.toml). Each stage adds
# the user's entries to its own shipped ones (`user_table`).
USER_TABLES = ("labels", "sections", "metadata", "absent", "ongoing", "currencies", "currencies_cased", "currencies_shared")


def user_table(name: str):
    """The user's entries of one table (a list or a dict; empty without a user file). The
    file was checked before the run (check_vocabulary), so it reads here."""
    extra = user_vocabulary()
    if not extra:
        return {} if name not in ("absent", "ongoing") else []
    return _user_data(extra).get(name, {} if name not in ("absent", "ongoing") else [])


@lru_cache(maxsize=8)
def _user_data(extra: str) -> dict:
    return _read(Path(extra))


@lru_cache(maxsize=8)
def _vocabulary(extra: str | None) -> tuple[dict[str, str], tuple[tuple[str, tuple[str, ...]], ...]]:
    """(normalised label -> field, (section, stems) in matching order): the shipped file
    merged with the user's."""
    tables = [(SHIPPED, _read(SHIPPED))] + ([(Path(extra), _read(Path(extra)))] if extra else [])
    labels: dict[str, str] = {}
    stems: dict[str, list[str]] = {key: [] for key in SECTION_ORDER}
    label_from: dict[str, Path] = {}
    stem_of: dict[str, tuple[str, Path]] = {}
    for path, data in tables:
        for field, aliases in data.get("labels", {}).items():
            for alias in aliases:
                norm = _norm(alias)
                # a label naming two fields would silently move every practice's value
                # from one to the other: refused, never resolved by file order
                if labels.get(norm, field) != field:
                    raise VocabularyError(_collision(path, "labels", field, alias, labels[norm], label_from[norm]))
                labels[norm], label_from[norm] = field, label_from.get(norm, path)
        for key, words in data.get("sections", {}).items():
            for word in words:
                norm = _norm(word)
                if norm in stem_of and stem_of[norm][0] != key:
                    raise VocabularyError(_collision(path, "sections", key, word, *stem_of[norm]))
                stem_of.setdefault(norm, (key, path))
                stems[key].append(norm)
    return labels, tuple((key, tuple(stems[key])) for key in SECTION_ORDER)


@lru_cache(maxsize=8)
def _metadata(extra: str | None) -> dict[str, str]:
    """Normalised metadata label -> metadata key, the shipped file merged with the user's."""
    out: dict[str, str] = {}
    for data in [_read(SHIPPED)] + ([_read(Path(extra))] if extra else []):
        for key, aliases in data.get("metadata", {}).items():
            out.update((_norm(alias), key) for alias in aliases)
    return out


def label_entries() -> dict[str, str]:
    """Every normalised fact label in force -> its field."""
    return _vocabulary(user_vocabulary())[0]


def metadata_entries() -> dict[str, str]:
    """Every normalised document-metadata label in force -> its key ('terms of reuse' -> licence)."""
    return _metadata(user_vocabulary())


def norm_label(text: str) -> str:
    """A label as the vocabulary compares it (lower case, dashes and spaces folded)."""
    return _norm(text)


def _collision(path: Path, table: str, key: str, word: str, other: str, other_path: Path) -> str:
    where = "the shipped vocabulary" if other_path == SHIPPED else "this file"
    return f"{path}: [{table}] {key}: {word!r} already names {other} in {where}; {'a label can name one field' if table == 'labels' else 'a heading word can name one section'} only"


def user_vocabulary() -> str | None:
    return os.environ.get(ENV) or None


def check_vocabulary(path: str | None = None) -> None:
    """Raise VocabularyError now, before any guide is read, if the user's file is bad."""
    _vocabulary(path if path is not None else user_vocabulary())


def vocabulary_fingerprint() -> str:
    """Changes whenever the vocabulary in force changes (a cache key part)."""
    extra = user_vocabulary()
    labels, sections = _vocabulary(extra)
    others = {name: _user_data(extra).get(name) for name in USER_TABLES[3:]} if extra else {}
    return repr((sorted(labels.items()), sections, sorted(metadata_entries().items()), sorted(others.items(), key=str)))


def label_field(text: str, misread: bool = False) -> str | None:
    """The sidebar field a label names ('Start - end date:' -> 'period'), or None.
    'Timescale (start/end date)' matches on the whole, the words outside the brackets,
    or the words inside them. `misread`: the label was read by OCR, which may have got a
    letter or a space wrong ('LOCAI ION OF THE PRACTICE'); a long label then also
    matches a vocabulary label a letter away (two for a label of 16 letters or more),
    when every label that near names the same field."""
    labels, _ = _vocabulary(user_vocabulary())
    whole = _norm(text)
    if whole in labels:
        return labels[whole]
    outside = _norm(re.sub(r"\([^)]*\)", " ", text))
    if outside in labels:
        return labels[outside]
    for inside in re.findall(r"\(([^)]*)\)", text):
        if _norm(inside) in labels:
            return labels[_norm(inside)]
    if misread:
        for candidate in (whole, outside):
            field = _near_label(candidate, labels)
            if field:
                return field
    return None


_NEAR_MIN = 8  # letters a label must have to be matched a letter away (shorter: too many neighbours)
_NEAR_TWO = 16  # ...and to be matched two letters away


def _near_label(norm: str, labels: dict[str, str]) -> str | None:
    """The field of the vocabulary labels within OCR's usual misreadings of `norm`
    (spaces and punctuation ignored: OCR splits and joins words, and reads a small
    bracket or slash as another: 'TIMESCALE /START/ENO DATEi' for 'Timescale (start/end
    date)' on a speckled scan), when they all name one field."""
    squeezed = _letters(norm)
    fields = set()
    for label, field in labels.items():
        key = _letters(label)
        if len(key) < _NEAR_MIN:
            continue
        most = 2 if len(key) >= _NEAR_TWO else 1
        if abs(len(key) - len(squeezed)) <= most and edit_distance(squeezed, key, most) <= most:
            fields.add(field)
    return fields.pop() if len(fields) == 1 else None


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def edit_distance(a: str, b: str, most: int) -> int:
    """Levenshtein distance between `a` and `b`, or `most` + 1 once it exceeds `most`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > most:
            return most + 1
        previous = current
    return min(previous[-1], most + 1)


def section_key(heading: str) -> str | None:
    """The contract section a heading names ('Difficulties encountered' -> 'challenges')."""
    _, sections = _vocabulary(user_vocabulary())
    norm = _norm(heading)
    for key, stems in sections:
        if any(stem in norm for stem in stems):
            return key
    return None


def is_budget_label(label: str) -> bool:
    """A fact row whose label names the resources section ('Total cost', 'Budget') is
    budget text: the fields stage places its lines with the section's, the values stage
    reads its amounts first (its label gives the role). One rule, asked by both."""
    return section_key(label) == "resources"


def list_marker(text: str) -> str | None:
    """'bullet' for a bulleted line, 'number' for an enumerated one, else None."""
    stripped = text.lstrip()
    for mark in BULLETS:
        if stripped.startswith(mark + " ") or (mark == "»" and stripped.startswith(mark)):
            return "bullet"
    if _ENUMERATOR.match(stripped):
        return "number"
    return None


def strip_bullet(text: str) -> str:
    stripped = text.lstrip()
    for mark in BULLETS:
        if stripped.startswith(mark):
            return stripped[len(mark):].lstrip()
    return stripped
