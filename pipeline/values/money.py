"""Monetary amounts in running text: '1,3M€', '9.397.732,50 EUR', '£70 million',
'between £11,000 and £18,000', '65% (47,5 million)' after a euro amount."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import NamedTuple

from pipeline.cards.vocabulary import user_table, user_vocabulary
from pipeline.values.numbers import NUMBER, SPACED, magnitude, parse_number, qualifier_before


SHIPPED = Path(__file__).with_name("vocabulary.toml")
# A lower-case 'm' is a million only beside a currency sign ('€2m', '2m €'); a magnitude
# letter must end its word ('250 000 Kč' is korunas, not thousands).
_MAG = r"(?:(?i:millions?|mln|mio|mn|billions?|bn|thousand)|[MKkB]|m(?=\s?[€£$])|(?(pre)m))(?![^\W\d_])"


class Currencies(NamedTuple):
    """The currency words in force: the shipped vocabulary.toml plus a user's --vocabulary."""

    folded: dict[str, str]  # word, lower case -> code
    cased: dict[str, str]  # word as printed -> code ('Ft': in lower case another unit)
    shared: dict[str, dict[str, str]]  # word several countries share -> {country: code}
    currency: re.Pattern  # any currency word or sign: what makes a sentence worth reading for money
    amount: re.Pattern


def currencies() -> Currencies:
    return _currencies(user_vocabulary())


@functools.lru_cache(maxsize=8)
def _currencies(extra: str | None) -> Currencies:  # keyed by the user's file
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    folded, cased, shared = {}, {}, {}
    for tables in (data, {name: user_table(name) for name in ("currencies", "currencies_cased", "currencies_shared")}):
        folded.update((word.lower(), code) for code, words in tables.get("currencies", {}).items() for word in words)
        cased.update((word, code) for code, words in tables.get("currencies_cased", {}).items() for word in words)
        shared.update((word.lower(), dict(by_country)) for word, by_country in tables.get("currencies_shared", {}).items())
    for word, by_country in shared.items():  # a shared word matches like any other, its default code
        folded.setdefault(word, next(iter(by_country.values())))
    symbols = sorted((w for w in folded if not w[:1].isalpha()), key=len, reverse=True)
    words = sorted((w for w in folded if w[:1].isalpha()), key=len, reverse=True)
    # Words need a boundary on both sides ('kn', 'kr', 'lei' are inside many words).
    cur = (
        "(?:" + "|".join(re.escape(s) for s in symbols)
        + r"|(?<![^\W\d_])(?:(?i:" + "|".join(re.escape(w) for w in words) + ")"
        + "".join("|" + re.escape(w) for w in sorted(cased, key=len, reverse=True)) + r")(?![^\W\d_]))"
    )
    amount = re.compile(
        rf"(?P<pre>{cur})?\s?(?<![\d.,])(?P<num>{SPACED}|{NUMBER})(?![\d])\s?(?P<mag>{_MAG})?\s?(?P<post>{cur})?"
    )
    return Currencies(folded, cased, shared, re.compile(cur), amount)


_SENTENCE = re.compile(r".*?(?:[.!?](?=\s|$)|\n|$)", re.S)
_CLAUSE = re.compile(r"[,;]")
# Most specific first: a sentence naming both 'grant' and 'total' gives the amount the closer word.
_ROLES = (
    ("per project maximum", re.compile(r"\bper (?:project|company|beneficiary|applicant)\b|\bmaximum\b", re.I)),
    ("per year", re.compile(r"\b(?:per|each|a) year\b|\bannual(?:ly)?\b|\byearly\b|\bper annum\b", re.I)),
    ("grant", re.compile(r"\bgrants?\b|\bsubsid", re.I)),
    ("co-financing", re.compile(r"\bco-?financ|\bmatch[- ]fund", re.I)),
    ("total", re.compile(r"\btotal\b", re.I)),
    ("budget", re.compile(r"\bbudget\b", re.I)),
    ("funding", re.compile(r"\bfund(?:ing|ed)?\b|\bfinanc|\binvestment\b", re.I)),
)


def currency_code(token: str | None) -> str | None:
    if not token:
        return None
    known = currencies()
    return known.cased.get(token) or known.folded.get(token.lower())


def currency_in_country(money: dict, country_code: str | None) -> str | None:
    """Settle an amount whose currency word several countries share ('kr': Swedish,
    Danish, Norwegian or Icelandic kronor) by the practice's country, in place. Returns
    the word when the country does not settle it (the amount keeps the word's default
    code), else None."""
    known = currencies()
    for match in known.currency.finditer(money.get("raw") or ""):
        by_country = known.shared.get(match.group().lower())
        if by_country is None:
            continue
        if country_code in by_country:
            money["currency"] = by_country[country_code]
            return None
        return match.group()
    return None


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _role(sentence_before: str, before: str, after: str) -> str | None:
    """The role the nearest words give: a '%' share, a yearly amount anywhere in the
    sentence, else the most specific keyword in the clause before, then the one after."""
    if re.search(r"\d\s?%\s*\(\s*$", before):
        return "share"
    per_year = dict(_ROLES)["per year"]
    if per_year.search(sentence_before) or per_year.search(after):
        return "per year"
    for window in (_CLAUSE.split(before)[-1], _CLAUSE.split(after)[0]):
        for role, pattern in _ROLES:
            if pattern.search(window):
                return role
    return None


def find_money(text: str) -> list[dict]:
    """Every amount, in order: raw, amount, currency, role, qualifier, start, end.
    An amount without a currency sign counts only after a priced amount in its sentence
    ('73,46 million euro: 65% (47,5 million)'), and inherits that currency."""
    found: list[dict] = []
    amounts = currencies().amount
    for start, end in _sentences(text):
        sentence = text[start:end]
        matches = list(amounts.finditer(sentence))
        priced = [currency_code(m.group("pre")) or currency_code(m.group("post")) for m in matches]
        hits = []
        for k, m in enumerate(matches):
            mag = m.group("mag")
            code = priced[k]
            if code is None and mag and len(mag) > 2:
                # '47,5 million' beside priced amounts: the nearest one's currency
                before = [c for c in priced[:k] if c]
                after = [c for c in priced[k + 1:] if c]
                code_from_context = before[-1] if before else after[0] if after else None
            else:
                code_from_context = None
            if code is None and code_from_context is None:
                continue
            number = parse_number(m.group("num"), scaled=bool(mag))
            if number is None and code is None:
                continue  # not clearly money, and not readable: not ours to report
            raw = m.group(0).strip()
            offset = start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            hits.append(
                {
                    "raw": raw,
                    "amount": None if number is None else round(number * magnitude(mag), 2),
                    "currency": code or code_from_context,
                    "currency_from_context": code is None,
                    "start": offset,
                    "end": offset + len(raw),
                }
            )
        for i, hit in enumerate(hits):
            lo = hits[i - 1]["end"] if i else start
            hi = hits[i + 1]["start"] if i + 1 < len(hits) else end
            before, after = text[lo:hit["start"]], text[hit["end"]:hi]
            hit["qualifier"] = qualifier_before(before, money=True)
            hit["role"] = _role(text[start:hit["start"]], before, after)
        for a, b in zip(hits, hits[1:]):
            between = text[a["end"]:b["start"]].strip().lower()
            if between == "and" and re.search(r"\bbetween\s*$", text[start:a["start"]], re.I):
                a["role"], b["role"] = "range minimum", "range maximum"
        found.extend(hits)
    return found
