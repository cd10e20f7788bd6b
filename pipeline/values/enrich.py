"""Stage 5b: typed values from the printed fields: money, metrics, places, organisations
and technologies. One spaCy pass over every text of the guide (`nlp.pipe`, batched)."""

from __future__ import annotations

import functools
import re

from pipeline.cards.vocabulary import is_budget_label
from pipeline.fields.practice import span as source_span
from pipeline.parallel import processes, ranges, run_all
from pipeline.review.ocr_checks import UNSURE_WORD, ocr_warnings
from pipeline.values.contacts import prose_contacts
from pipeline.values.money import currencies, currency_in_country
from pipeline.values.nlp import TECHNOLOGIES, get_nlp
from pipeline.values.places import resolve
from pipeline.values.totals import budget_total
from pipeline.warn import warning

_TECH_PHRASES = {phrase for phrases in TECHNOLOGIES.values() for phrase in phrases}
_ORG_NOISE = re.compile(r"^(?:the )?(?:sme|smes|eu|i4\.0|industry 4\.0|r&d|ict|gp|cc|ccs|dih|dihs|eur|gbp)$", re.I)


def _clean_org(span) -> str | None:
    """An ORG entity as a catalogue would list it, or None for what the small model
    mislabels (amounts, single common words, fragments across lines)."""
    if "\n" in span.text or re.search(r"[<>|]|\d\s*$|^e\.g\.", span.text):
        return None
    if any(s.start < span.end and span.start < s.end for key in ("money", "metrics") for s in span.doc.spans.get(key, [])):
        return None
    text = re.sub(r"\s+", " ", span.text).strip(" ,.;:()“”\"'-–")
    text = re.sub(r"[’']s$", "", text)
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].strip()
    if text.lower() in _TECH_PHRASES:
        return None
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    if len(text) < 2 or _ORG_NOISE.match(text) or not re.search(r"[A-Za-z]", text):
        return None
    if " " not in text and not (text.isupper() or re.search(r".[A-Z0-9]", text)):
        return None  # one ordinary capitalised word ('Digital', 'Research') is not a name
    return text


# What makes a sentence outside 'Evidence' and 'Resources' worth the statistical model:
# a name-like capitalised sequence or acronym, a technology term, or a currency.
_NAME_CUE = r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][\w’'-]+(?:\s+(?:of|for|and|de|di|la|del)?\s*[A-Z][\w’'-]+)+|[A-Z]{2,}[\w-]*)"
_TECH_CUE = "|".join(re.escape(p) for p in sorted(_TECH_PHRASES, key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def _cue_for(currency: str) -> re.Pattern:
    return re.compile(rf"{_NAME_CUE}|(?i:\b(?:{_TECH_CUE})\b)|{currency}|\b(?:million)\b")


def _cue() -> re.Pattern:
    """The cue for the currency words in force (the user's vocabulary may add some)."""
    return _cue_for(currencies().currency.pattern)
_SENTENCES = re.compile(r"[^\n]+?(?:[.!?](?=\s)|$)", re.M)
# Only 'Evidence' needs part-of-speech tags (for the counted noun of a metric); the other
# texts go through the same pipeline with the tagger and the metric finder switched off.
_NOT_FOR_REST = ["tok2vec", "tagger", "attribute_ruler", "guide_metrics"]


def within(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters (spaCy refuses longer texts): cut
    after the last line end that fits, else after the last space, else anywhere."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit) + 1 or text.rfind(" ", 0, limit) + 1 or limit
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text else pieces


def pieces_of(practices: list[dict], limit: int = 1_000_000) -> tuple[list[tuple[dict, str, str]], list[tuple[dict, str, str]]]:
    """(practice, section, text) for the spaCy pass, in two lots: 'Evidence' whole (every
    sentence may hold a result), and from the other sections only the sentences that
    carry a cue (a name, a technology, a currency); the model never reads the rest, which
    is most of the prose. No text is longer than `limit`."""
    evidence, rest = [], []
    for practice in practices:
        # a fact row naming money ('Total cost') is read as budget text, before the
        # section's own (the order its lines are placed in); its label gives the role
        for heading, text in practice.get("other_sections", {}).items():
            if text and is_budget_label(heading) and _cue().search(text):
                rest.extend((practice, "resources", piece) for piece in within(f"{heading}: {text}", limit))
        for key, text in practice["sections"].items():
            if not text:
                continue
            if key == "evidence":
                evidence.extend((practice, key, piece) for piece in within(text, limit))
                continue
            for match in _SENTENCES.finditer(text):
                if _cue().search(match.group()):
                    rest.extend((practice, key, piece) for piece in within(match.group().strip(), limit))
    return evidence, rest


def _docs(nlp, evidence: list, rest: list, batch_size: int):
    # `disable=` skips components for this call only; `select_pipes` would switch them off
    # on the pipeline every thread of the process shares.
    yield from zip(evidence, nlp.pipe((text for *_, text in evidence), batch_size=batch_size))
    yield from zip(rest, nlp.pipe((text for *_, text in rest), batch_size=batch_size, disable=_NOT_FOR_REST))


# Fewer practices than this are read here. Each worker loads the spaCy pipeline once, on
# its first group, and keeps it for the rest of the run.
PARALLEL_MIN_PRACTICES = 4


def enrich_all(practices: list[dict], parallel: bool = True) -> list[dict]:
    """`enrich` on groups of practices in the run's worker processes, merged in order.
    Each practice is read on its own, so the grouping does not change a value."""
    workers = processes() if parallel and len(practices) >= PARALLEL_MIN_PRACTICES else 1
    if workers < 2:
        return enrich(practices)
    groups = [(practices[a:b],) for a, b in ranges(len(practices), workers * 2)]
    return [practice for group in run_all(enrich, groups) for practice in group]


def enrich(practices: list[dict], batch_size: int = 64) -> list[dict]:
    """Fill budgets, metrics, location country, organisations, technologies in place."""
    nlp = get_nlp()
    evidence, rest = pieces_of(practices, nlp.max_length)
    orgs: dict[int, dict[str, str]] = {id(p): {} for p in practices}
    techs: dict[int, list[str]] = {id(p): [] for p in practices}
    for practice in practices:
        practice["budgets"], practice["metrics"], practice["money_mentions"] = [], [], []
    for (practice, key, _), doc in _docs(nlp, evidence, rest, batch_size):
        for span in doc.spans["money"]:
            hit = dict(span._.value)
            if key == "resources":
                practice["budgets"].append(hit)
            else:
                practice["money_mentions"].append({**hit, "section": key})
        if key == "evidence":
            practice["metrics"].extend(span._.value for span in doc.spans["metrics"])
        for span in doc.spans["technologies"]:
            if span.label_ not in techs[id(practice)]:
                techs[id(practice)].append(span.label_)
        for ent in doc.ents:
            if ent.label_ == "ORG":
                name = _clean_org(ent)
                if name:
                    orgs[id(practice)].setdefault(name.lower(), name)
    for practice in practices:
        if not practice["contacts"]:
            _contacts_from_sections(practice, nlp)
        named = [practice.get("institution")] + [c.get("organisation") for c in practice["contacts"]]
        for name in filter(None, named):
            orgs[id(practice)].setdefault(name.lower(), name)
        practice["organisations"] = sorted(orgs[id(practice)].values(), key=str.lower)
        practice["technologies"] = sorted(techs[id(practice)], key=str.lower)
        emails = [c["email"] for c in practice["contacts"] if c.get("email")]
        location, warnings = resolve(practice["location"]["raw"], emails, practice["websites"], practice.get("institution"))
        practice["location"] = location
        for code, message in warnings:
            practice["warnings"].append(warning(code, message, practice["pages"][0], "location"))
        for money in practice["budgets"] + practice["money_mentions"]:
            shared = currency_in_country(money, location["country_code"])
            if shared:
                practice["warnings"].append(warning(
                    "currency_assumed", f"'{money['raw']}': '{shared}' is the currency of several countries and the practice's location "
                    f"does not settle which; read as {money['currency']}.", practice["pages"][0], "budgets"))
        practice["budget_total"] = budget_total(practice["budgets"])  # after the currencies are settled
        printed = practice.pop("_printed", {})
        for field, key, needles in (
            ("budgets", "resources", [m["raw"] for m in practice["budgets"]]),
            ("metrics", "evidence", [m.get("quantity") or "" for m in practice["metrics"]]),
        ):
            for i, spans in enumerate(place(printed.get(key, []), needles)):
                if spans:
                    practice["provenance"][f"{field}[{i}]"] = spans
        for money in practice["budgets"] + practice["money_mentions"]:
            if money["amount"] is None:
                practice["warnings"].append(
                    warning("unparsed_money", f"'{money['raw']}' names a currency but its number could not be read.", practice["pages"][0], "budgets")
                )
        if "sections.resources" in practice["provenance"] and not practice["budgets"] and practice["sections"]["resources"]:
            practice["warnings"].append(
                warning("no_budget_amount", "'Resources needed' states no monetary amount.", practice["pages"][0], "budgets")
            )
        ocr_warnings(practice)
    return practices


def _contacts_from_sections(practice: dict, nlp) -> None:
    """A card with no contact in its sidebar may print one in its text: each address
    there becomes a contact, placed on the page, with a warning saying where it was read."""
    printed = practice.get("_printed", {})
    texts = [(key, text) for key, text in practice["sections"].items() if text]
    texts += [(heading, text) for heading, text in practice.get("other_sections", {}).items() if text]
    for key, text in texts:
        if "@" not in text:
            continue
        for contact in prose_contacts(text, nlp):
            if any(c["email"] == contact["email"] for c in practice["contacts"]):
                continue
            index = len(practice["contacts"])
            practice["contacts"].append(contact)
            as_printed = re.search(re.escape(contact["email"]), text, re.IGNORECASE)
            spans = place(printed.get(key, []), [as_printed.group() if as_printed else contact["email"]])[0]
            if spans:
                practice["provenance"][f"contacts[{index}]"] = spans
            practice["warnings"].append(
                warning(
                    "contact_from_text",
                    f"The sidebar gives no contact; '{contact['email']}' was read from the text of '{key}'.",
                    spans[0]["page"] if spans else practice["pages"][0],
                    "contacts",
                )
            )


def place(printed: list, needles: list[str]) -> list[list[dict]]:
    """Where each needle (in order) stands among a section's printed lines: one box per
    line it covers. Spaces are ignored, since lines were joined; a needle still not found
    (a word split by a hyphen at a line end) gets no box rather than a wrong one."""
    joined, owner, conf_at, word_at = [], [], [], []
    for index, (_, _, text, *confs) in enumerate(printed):
        squeezed = re.sub(r"\s+", "", text)
        joined.append(squeezed)
        owner.extend([index] * len(squeezed))
        # each character's word's OCR confidence (a line's text is its words joined by spaces)
        words = text.split(" ")
        word_confs = confs[0] if confs and len(confs[0]) == len(words) else [None] * len(words)
        for word, conf in zip(words, word_confs):
            conf_at.extend([conf] * len(re.sub(r"\s+", "", word)))
            word_at.extend([word] * len(re.sub(r"\s+", "", word)))
    stream = "".join(joined)
    out, cursor = [], 0
    for needle in needles:
        target = re.sub(r"\s+", "", needle or "")
        at = stream.find(target, cursor) if target else -1
        if at < 0:
            out.append([])
            continue
        cursor = at + 1
        covered = sorted(set(owner[at : at + len(target)]))
        confs = [(c, w) for c, w in zip(conf_at[at : at + len(target)], word_at[at : at + len(target)]) if c is not None]
        spans = [source_span(printed[i][0], printed[i][1], round(min(confs)[0], 1) if confs else None) for i in covered]
        if confs and spans:
            # the word OCR was least sure of, for the warning to name (ocr_checks)
            spans[0][UNSURE_WORD] = min(confs)[1]
        out.append(spans)
    return out
