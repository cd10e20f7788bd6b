"""Stage 6b: document-level checks: the practice count the guide states versus the count
found, text copied between practices, contacts shared by many cards, suspicious links,
and cards that lack a website, dates or a budget."""

from __future__ import annotations

import itertools
import re

from pipeline.warn import warning
from schemas import Checks, DuplicateText, Guide, Warning

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SPELLED = {word: n for n, word in enumerate(_UNITS)} | {
    (_TENS[n // 10] + ("-" + _UNITS[n % 10] if n % 10 else "")): n for n in range(20, 100)
}
_COUNT = r"(\d{1,3}|" + "|".join(sorted(_SPELLED, key=len, reverse=True)) + r")"
_PRACTICES = re.compile(_COUNT + r"\s+(?:good\s+|best\s+|selected\s+)?practices\b", re.I)
_THEMES = re.compile(_COUNT + r"\s+(?:thematic\s+)?(?:themes|thematic cycles|cycles|chapters|topics)\b", re.I)
_NEAR = 0.8  # Jaccard similarity of five-word sequences
_SHORTEST = 60  # a shared sentence shorter than this is a formula, not a copy


def stated(pattern: re.Pattern, text: str | None) -> int | None:
    match = pattern.search(text or "")
    if not match:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else _SPELLED[word]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _shingles(text: str, size: int = 5) -> frozenset[int]:
    words = text.split()
    return frozenset(hash(tuple(words[i : i + size])) for i in range(max(1, len(words) - size + 1)))


def duplicates(guide: Guide) -> list[DuplicateText]:
    """Section texts printed in two or more practices: identical, or sharing most of
    their five-word sequences (a copied paragraph with a word changed)."""
    items = [
        (p.id, key, text, _norm(text))
        for p in guide.practices
        for key, text in p.sections.model_dump().items()
        if text and len(text) >= _SHORTEST
    ]
    shingles = [_shingles(norm) for *_, norm in items]
    groups: dict[int, DuplicateText] = {}
    for i, j in itertools.combinations(range(len(items)), 2):
        (a, key_a, text_a, norm_a), (b, _, _, norm_b) = items[i], items[j]
        if a == b:
            continue
        exact = norm_a == norm_b
        if not exact:
            small, large = sorted((shingles[i], shingles[j]), key=len)
            if len(small) < _NEAR * len(large) or len(small & large) < _NEAR * len(large | small):
                continue
        group = groups.setdefault(
            i, DuplicateText(field=f"sections.{key_a}", practices=[a], opening=" ".join(text_a.split()[:12]), exact=exact)
        )
        if b not in group.practices:
            group.practices.append(b)
    # a text copied into three practices forms one group, reported once
    seen: set[frozenset[str]] = set()
    out = []
    for group in groups.values():
        key = frozenset(group.practices)
        if not any(key <= other for other in seen):
            seen.add(key)
            out.append(group)
    return out


def run_checks(guide: Guide, front_text: str | None) -> Guide:
    checks = Checks(
        stated_practices=stated(_PRACTICES, front_text),
        found_practices=len(guide.practices),
        stated_themes=stated(_THEMES, front_text),
        found_themes=len(guide.themes),
    )
    found: list[dict] = []
    if checks.stated_practices is not None and checks.stated_practices != checks.found_practices:
        found.append(warning("practice_count_mismatch", f"The guide states {checks.stated_practices} practices; {checks.found_practices} were found."))
    if checks.stated_themes is not None and checks.stated_themes != checks.found_themes:
        found.append(warning("theme_count_mismatch", f"The guide states {checks.stated_themes} themes; {checks.found_themes} were found."))
    checks.duplicate_texts = duplicates(guide)
    for dup in checks.duplicate_texts:
        kind = "the same" if dup.exact else "nearly the same"
        found.append(warning("duplicate_section_text", f"{', '.join(dup.practices)} print {kind} '{dup.field}' text: “{dup.opening} …”", field=dup.field))
    emails: dict[str, list[str]] = {}
    for practice in guide.practices:
        for contact in practice.contacts:
            if contact.email and practice.id not in emails.setdefault(contact.email, []):
                emails[contact.email].append(practice.id)
    checks.shared_emails = {email: ids for email, ids in sorted(emails.items()) if len(ids) > 1}
    for email, ids in checks.shared_emails.items():
        found.append(warning("shared_contact_email", f"{email} is the contact of {len(ids)} practices: {', '.join(ids)}.", field="contacts"))
    checks.suspicious_links = [w for p in guide.practices for w in p.warnings if w.code.startswith("link_")]
    checks.missing = {
        "websites": [p.id for p in guide.practices if not p.websites],
        "period": [p.id for p in guide.practices if not p.period.start],
        "budgets": [p.id for p in guide.practices if not p.budgets],
    }
    for field, ids in checks.missing.items():
        if ids:
            found.append(warning(f"practices_without_{field}", f"{len(ids)} practices have no {field}: {', '.join(ids)}.", field=field))
    return guide.model_copy(
        update={"checks": checks, "warnings": [*guide.warnings, *(Warning.model_validate(w) for w in found)]}
    )
