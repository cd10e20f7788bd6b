"""Warnings on values read by OCR: a value whose least certain word is below the
threshold, and the values where a misread character does most harm (an e-mail address
or a URL that no longer parses, an amount whose digits are uncertain).

Only values whose provenance carries an OCR confidence are checked: a text layer's
characters are what the author typed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pipeline.warn import warning

# A provenance span's key, set on a value's first span (by the fields stage on a fact
# field's, by the values stage on an amount's): the word OCR was least sure of. Taken
# off here, before validation: it is no part of the contract.
UNSURE_WORD = "_unsure_word"

# Tesseract gives clean print 90-96 (as on the generated scans); a value with a word
# below this is worth checking against the page.
LOW_OCR_CONFIDENCE = 60.0

_EMAIL = re.compile(r"^[a-z0-9](?:[a-z0-9._%+'-]*[a-z0-9_])?@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_HOST_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", re.I)
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")
_FIELD = re.compile(r"^([a-z_]+)")


def _confidence(spans: list[dict]) -> float | None:
    confs = [s["confidence"] for s in spans if s.get("confidence") is not None]
    return min(confs) if confs else None


def email_parses(email: str) -> bool:
    return bool(_EMAIL.match(email)) and ".." not in email


def url_parses(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = parts.hostname or ""
    labels = host.split(".")
    return (
        parts.scheme in ("http", "https")
        and bool(_URL_CHARS.match(url))
        and len(labels) >= 2
        and all(_HOST_LABEL.match(label) for label in labels)
        and labels[-1].isalpha()
        and len(labels[-1]) >= 2
    )


def _shown(practice: dict, key: str) -> str:
    field = _FIELD.match(key).group(1) if _FIELD.match(key) else key
    index = re.search(r"\[(\d+)\]$", key)
    value = practice.get(field)
    if index and isinstance(value, list) and int(index.group(1)) < len(value):
        value = value[int(index.group(1))]
        value = value.get("raw") if isinstance(value, dict) else value
    elif field == "location":
        value = (value or {}).get("raw")
    elif field == "period":
        value = (value or {}).get("raw")
    elif field == "contacts":
        value = "; ".join(c.get("email") or c.get("name") or c.get("organisation") or "" for c in value or [])
    elif isinstance(value, list):
        value = " ".join(map(str, value))
    return str(value)[:120] if value else key


def ocr_warnings(practice: dict) -> None:
    """Append the OCR warnings of one practice (contract-shaped dict) to its warnings."""
    page = practice["pages"][0]
    found: list[dict] = []
    provenance = practice.get("provenance", {})
    # the word OCR was least sure of, where the fields or values stage marked it
    unsure = {key: span.pop(UNSURE_WORD) for key, spans in provenance.items() for span in spans if UNSURE_WORD in span}
    for key, spans in provenance.items():
        confidence = _confidence(spans)
        if confidence is None or confidence >= LOW_OCR_CONFIDENCE or key.startswith("sections."):
            continue  # a long text always holds some uncertain word; values are what is checked
        field = _FIELD.match(key).group(1)
        value = _shown(practice, key)
        word = f" (least sure of '{unsure[key]}')" if key in unsure and unsure[key] != value else ""
        if field in ("budgets", "metrics"):
            message = f"The amount '{value}' was read by OCR with confidence {confidence:.0f}{word}: check its digits against the page."
        elif field == "websites":
            message = f"The web address '{value}' was read by OCR with confidence {confidence:.0f}{word}: check its characters against the page."
        else:
            message = f"'{value}' was read by OCR with confidence {confidence:.0f} (below {LOW_OCR_CONFIDENCE:.0f}){word}: check it against the page."
        found.append(warning("ocr_low_confidence", message, spans[0]["page"], field))
    if _confidence(provenance.get("contacts", [])) is not None:
        for contact in practice.get("contacts", []):
            email = contact.get("email")
            if email and not email_parses(email):
                found.append(warning("ocr_email_suspect", f"The e-mail address '{email}' read by OCR is not a valid address.", page, "contacts"))
            for text in (contact.get("name"), contact.get("organisation")):
                if text and "@" in text:
                    found.append(warning("ocr_email_suspect", f"'{text}' looks like an e-mail address that OCR misread.", page, "contacts"))
    if _confidence(provenance.get("websites", [])) is not None:
        for url in practice.get("websites", []):
            if not url_parses(url):
                found.append(warning("ocr_url_suspect", f"The web address '{url}' read by OCR does not parse as a URL.", page, "websites"))
    practice["warnings"].extend(found)
