"""Stage 4: read a practice draft into the contract's fields, as printed.

Sidebar values keep their printed wording; only layout is undone (wrapped lines joined,
URLs rebuilt). Anything missing is left empty with a warning, never filled in.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.cards.tables import OTHER
from pipeline.cards.vocabulary import is_budget_label
from pipeline.model import Field_, Line, PracticeDraft, Region
from pipeline.fields.hosts import email_repaired, url_repaired
from pipeline.fields.period_words import period_words_repaired
from pipeline.fields.periods import parse_period
from pipeline.fields.text import clean_text, join_lines
from pipeline.fields.vocabulary import is_absent
from pipeline.warn import warning as _warning
from pipeline.fields.websites import parse_websites
from pipeline.values.places import commas_before_countries
from pipeline.review.ocr_checks import UNSURE_WORD

SECTION_KEYS = ("about", "resources", "evidence", "challenges", "transfer")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_ORG_WORDS = re.compile(
    r"\b(university|institute|government|council|authority|foundation|centre|center|"
    r"municipality|ministry|agency|chamber|cluster|association|ltd|gmbh|s\.?p\.?a|company|"
    r"department|office|region|network|hub|district|coordinator|manager|director|officer|"
    r"lep|trade|investment|school|college|academy|platform)\b",
    re.IGNORECASE,
)
_PARTICLES = {"de", "del", "della", "da", "van", "von", "der", "den", "la", "le", "di", "du", "dos", "y"}


_SLUG_MAX = 64
_FIELD_KEYS = {"contact": "contacts", "website": "websites"}


def slugify(text: str) -> str:
    """Kebab-case ASCII of the title, cut at a word boundary so ids stay usable as keys."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "practice"
    if len(slug) > _SLUG_MAX:
        slug = slug[: _SLUG_MAX + 1].rsplit("-", 1)[0]
    return slug


def span(page: int, bbox, confidence: float | None = None) -> dict:
    out = {"page": page, "bbox": [round(v, 1) for v in bbox]}
    if confidence is not None:
        out["confidence"] = confidence
    return out


def lowest_confidence(lines: list[Line]) -> float | None:
    """The OCR confidence of a value: that of its least certain word (None when no word
    came from OCR)."""
    confs = [w.conf for line in lines for w in line.words if w.conf is not None]
    return round(min(confs), 1) if confs else None


def spans_of(lines: list[Line], confidence_of: list[Line] | None = None) -> list[dict]:
    """One box per page and column around the given lines (a section that runs from one
    column into the next gets two boxes, not one over both); each box carries the OCR
    confidence of the value (`confidence_of`, by default the lines themselves)."""
    confidence = lowest_confidence(lines if confidence_of is None else confidence_of)
    clusters: list[tuple[int, list[Line]]] = []
    for line in lines:
        x0, _, x1, _ = line.bbox
        for page, group in clusters:
            if page == line.page and any(min(x1, g.bbox[2]) > max(x0, g.bbox[0]) for g in group):
                group.append(line)
                break
        else:
            clusters.append((line.page, [line]))
    out = []
    for page, group in clusters:
        boxes = [ln.bbox for ln in group]
        out.append(
            span(page, (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)), confidence)
        )
    return out


def one_line(lines: list[Line], lexicon: frozenset[str]) -> str | None:
    text = ""
    for line in lines:
        text = join_lines(text, re.sub(r"\s+", " ", line.text).strip(), lexicon)
    return text or None


def _looks_like_person(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text) or _ORG_WORDS.search(text):
        return False
    # 'Jean DUPONT' is a name; 'RETE IMPRESE' (every word in capitals) is not
    return all(w[:1].isupper() or w.lower() in _PARTICLES for w in words) and not all(w.isupper() for w in words)


def _surname_run_on(name: str, nxt: str) -> bool:
    return (
        " " not in nxt and nxt[:1].isupper() and not nxt.isupper() and not any(ch.isdigit() for ch in nxt)
        and not _ORG_WORDS.search(nxt) and _looks_like_person(f"{name} {nxt}")
    )


# Capitals that differ from their small letter only in size: a low-resolution scan
# cannot tell them apart ('z.gOv.pl'). Not 'K': a 'Dr.Kim' after an address is a name.
_SIZE_ONLY = "COSUVWXZ"
_CASE_BLIND_FRAGMENT = rf"[A-Z]?[a-z0-9{_SIZE_ONLY}-]*\.[a-z0-9{_SIZE_ONLY}.-]*[a-z{_SIZE_ONLY}]"


def _join_wrapped_emails(texts: list[str]) -> list[str]:
    """An address a narrow column broke inside ('…@agency.region.g' / 'ov.pl') is
    one address: the next line is a lone lower-case fragment of a domain. A scan's
    fragment may open with a capital OCR could not tell from its small letter ('Z.gov.pl'
    at 150 dpi), or hold one of the capitals that differ from their small letter only in
    size ('z.gOv.pl'): with a dot in it, it is a fragment too, in small letters."""
    out: list[str] = []
    for text in texts:
        last = out[-1].split()[-1] if out and out[-1].split() else ""
        if "@" in last and "@" not in text and (
            re.fullmatch(r"[a-z0-9][a-z0-9.-]*", text)
            or re.fullmatch(_CASE_BLIND_FRAGMENT, text)
        ):
            out[-1] += text.lower()
        else:
            out.append(text)
    return out


_LEADING_MARK = re.compile(r"^[.,;:·'`]+(?:\s+|$)")


def parse_contacts(lines: list[Line], lexicon: frozenset[str]) -> list[dict]:
    """Name, organisation and e-mail per contact; an e-mail closes a contact."""
    contacts: list[dict] = []
    pending: list[str] = []

    def close(email: str | None) -> None:
        if not pending and email is None:
            return
        name = pending[0] if pending and _looks_like_person(pending[0]) else None
        org_lines = pending[1:] if name else pending
        if name and len(org_lines) >= 2 and _surname_run_on(name, org_lines[0]):
            # a narrow cell wrapped the name: 'Simona Knežević' / 'Vernon' / 'TECOS'
            name = f"{name} {org_lines[0]}"
            org_lines = org_lines[1:]
        organisation = None
        for part in org_lines:
            organisation = part if organisation is None else join_lines(organisation, part, lexicon)
        if name and re.search(r"\w{3}\.$", name):
            # a name does not end a sentence: a stop after a whole word (not an initial,
            # 'J.', nor 'Jr.') is a speck a scan left under the baseline, or stray typing
            name = name[:-1]
        contacts.append({"name": name, "organisation": organisation, "email": email})
        pending.clear()

    # a lone mark before a contact's first word, or on a line of its own, is a speck a
    # scan left ('.' over a contact's name: the name was no longer a person's)
    texts = [_LEADING_MARK.sub("", re.sub(r"\s+", " ", line.text).strip()) for line in lines]
    for text in _join_wrapped_emails([t for t in texts if t]):
        emails = _EMAIL.findall(text)
        rest = _EMAIL.sub(" ", text).strip(" ,;") if emails else text
        if rest:
            pending.append(rest)
        if emails:
            for email in emails:
                close(email.lower().rstrip("."))
    close(None)
    return contacts


def _values(fields: list[Field_]) -> list[Line]:
    return [line for field in fields for line in field.values]


def _field_spans(fields: list[Field_]) -> list[dict]:
    values = _values(fields)
    spans = spans_of([line for field in fields for line in [field.label, *field.values]], values)
    words = [w for line in values for w in line.words if w.conf is not None]
    if spans and words:
        # the word OCR was least sure of, for the warning to name (review/ocr_checks.py):
        # in a contact or a web address it is the one to compare with the page
        spans[0][UNSURE_WORD] = min(words, key=lambda w: w.conf).text
    return spans


def build_practice(draft: PracticeDraft, number: int, theme: dict | None, lexicon: frozenset[str]) -> dict:
    """Contract-shaped dict of one practice (validated by the next stage)."""
    first = draft.pages[0]
    warnings: list[dict] = []
    provenance: dict[str, list[dict]] = {}

    title = one_line(draft.title_lines, lexicon)
    if title:
        provenance["title"] = spans_of(draft.title_lines)
    else:
        title = f"Untitled practice on page {first}"
        warnings.append(_warning("missing_title", "No title was found (no line set larger than the body text).", first, "title"))

    summary = one_line(draft.summary_lines, lexicon)
    if summary:
        provenance["summary"] = spans_of(draft.summary_lines)
    else:
        warnings.append(_warning("missing_summary", "No tagline was found under the title.", first, "summary"))

    def sidebar(field: str, human: str, key: str) -> list[Line]:
        found = draft.fields.get(field, [])
        values = _values(found)
        if found:
            provenance[key] = _field_spans(found)
        if not values:
            warnings.append(_warning(f"missing_{field}", f"No '{human}' is given in the sidebar.", first, key))
        return values

    def stated(lines: list[Line], human: str, key: str) -> list[Line]:
        """The field's lines, or none when the field says 'n/a', 'none', '-' ...: the
        document states there is no value, which is not a value to report."""
        kept = [ln for ln in lines if not is_absent(ln.text)]
        if lines and not kept:
            printed = " ".join(re.sub(r"\s+", " ", ln.text).strip() for ln in lines)
            warnings.append(_warning("not_applicable", f"The '{human}' field reads '{printed}'; it is left empty.", lines[0].page, key))
        return kept

    institution = one_line(stated(sidebar("institution", "Main institution", "institution"), "Main institution", "institution"), lexicon)
    location_lines = stated(sidebar("location", "Location", "location"), "Location", "location")
    location_raw = one_line(location_lines, lexicon)
    if location_raw and lowest_confidence(location_lines) is not None:
        location_raw = commas_before_countries(location_raw)
    contact_lines = stated(sidebar("contact", "Contact", "contacts"), "Contact", "contacts")
    contacts = parse_contacts(contact_lines, lexicon)
    website_lines = stated(sidebar("website", "Website", "websites"), "Website", "websites")
    websites, site_warnings = parse_websites(website_lines, draft.links)
    # a top-level domain one look-alike letter off a known one, where OCR read it (a text
    # layer's address is what the author typed)
    if lowest_confidence(contact_lines) is not None:
        contacts = [{**c, "email": email_repaired(c["email"]) if c["email"] else None} for c in contacts]
    if lowest_confidence(website_lines) is not None:
        websites = [url_repaired(url) for url in websites]
    period_lines = sidebar("period", "Start-end date", "period")
    period_raw = " ".join(re.sub(r"\s+", " ", ln.text).strip() for ln in period_lines) or None
    if period_raw and lowest_confidence(period_lines) is not None:
        # a month name, 'ongoing' or a year OCR misread, where the period's closed
        # vocabulary makes the word certain (a text layer's words are as typed)
        period_raw = period_words_repaired([(w.text, w.conf) for ln in period_lines for w in ln.words]) or None
    period, period_warnings = parse_period(period_raw)
    for code, message in site_warnings:
        warnings.append(_warning(code, message, first, "websites"))
    for code, message in period_warnings:
        warnings.append(_warning(code, message, first, "period"))
    notes = [one_line([n], lexicon) for field_list in draft.fields.values() for f in field_list for n in f.notes]
    notes += [one_line([n], lexicon) for n in draft.notes]
    other: dict[str, str] = {}
    for key, found in draft.fields.items():
        # a fact-table row no contract field holds ('Funding source'): kept as printed
        if key.startswith(OTHER) and (text := one_line(_values(found), lexicon)):
            other[key[len(OTHER):]] = text
            provenance[f"other_sections.{key[len(OTHER):]}"] = _field_spans(found)
    for label in draft.unknown_labels:
        printed = label.text.split(":", 1)[0].strip()
        field = next((k for k, found in draft.fields.items() if any(f.label is label for f in found)), None)
        if field and field.startswith(OTHER):
            warnings.append(_warning("unknown_label", f"The label '{printed}' names none of the contract's fields; its value is kept under other_sections.", label.page, "other_sections"))
            continue
        warnings.append(
            _warning(
                "unknown_label",
                f"The label '{printed}' is in no vocabulary; its value was read as the {field or 'unknown'} field.",
                label.page,
                _FIELD_KEYS.get(field, field),
            )
        )

    sections: dict[str, str | None] = dict.fromkeys(SECTION_KEYS)
    printed: dict[str, list] = {}  # section -> [page, bbox, text] per line, to place values later
    for key, found in draft.fields.items():
        # a fact row naming money ('Total cost', 'Budget') is read for amounts with the
        # 'Resources needed' text: its lines are placed with that section's
        if key.startswith(OTHER) and is_budget_label(key[len(OTHER):]):
            printed.setdefault("resources", []).extend([ln.page, list(ln.bbox), ln.text, [w.conf for w in ln.words]] for ln in _values(found))
    for section in draft.sections:
        text = clean_text(section.blocks, lexicon)
        lines = [ln for block in section.blocks for ln in block.lines]
        if section.key:
            printed.setdefault(section.key, []).extend([ln.page, list(ln.bbox), ln.text, [w.conf for w in ln.words]] for ln in lines)
        if section.key is None:
            warnings.append(
                _warning("unknown_heading", f"Heading '{section.heading}' names none of the contract's sections.", section.heading_lines[0].page, "sections")
            )
            if text:
                other[section.heading] = text
            continue
        key = f"sections.{section.key}"
        provenance.setdefault(key, []).extend(spans_of(section.heading_lines + lines))
        if sections[section.key] and text:
            warnings.append(
                _warning("repeated_section", f"Section '{section.key}' appears twice; the texts are joined.", section.heading_lines[0].page, f"sections.{section.key}")
            )
            sections[section.key] = sections[section.key] + "\n\n" + text
        elif text:
            sections[section.key] = text
        if not text:
            warnings.append(_warning("empty_section", f"Section '{section.heading}' has no text.", section.heading_lines[0].page, f"sections.{section.key}"))
    for key in SECTION_KEYS:
        if sections[key] is None and not any(s.key == key for s in draft.sections):
            warnings.append(_warning("missing_section", f"The card has no '{key}' section.", first, f"sections.{key}"))
    if draft.unlabelled:
        placed = ", ".join(key for key in ("institution", "location", "contact", "website", "period") if key in draft.fields)
        warnings.append(_warning(
            "ocr_labels_unread",
            f"The card's fact labels could not be read on the scan; its facts were placed by what their values are ({placed}), "
            "the one value of no such kind as the institution: check them against the page.",
            first, "institution",
        ))
    preamble = clean_text(draft.preamble, lexicon) if draft.preamble else None
    if preamble:
        other["preamble"] = preamble
        warnings.append(_warning("text_outside_sections", "Text between the tagline and the first heading.", first, "sections"))

    return {
        "id": slugify(title),
        "number": number,
        "theme": theme,
        "title": title,
        "summary": summary,
        "institution": institution,
        "location": {"raw": location_raw, "country": None, "country_code": None, "country_codes": []},
        "contacts": contacts,
        "websites": websites,
        "period": period,
        "sections": sections,
        "other_sections": other,
        "notes": [n for n in notes if n],
        "budgets": [],
        "metrics": [],
        "pages": draft.pages,
        "links": [{"uri": link.uri, "page": link.page, "bbox": list(link.bbox)} for link in draft.links],
        "provenance": provenance,
        "warnings": warnings,
        "_printed": printed,
    }


def theme_intro(regions: list[Region], lexicon: frozenset[str]) -> str | None:
    return clean_text(regions, lexicon) if regions else None
