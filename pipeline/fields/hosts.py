"""The last label of an address read by OCR, repaired where one look-alike letter (or a
letter read twice) keeps it from being a top-level domain: 'joanna@itee.gov.pi' is
'joanna@itee.gov.pl' (an 'l'
read as 'i' at 89 on a 300 dpi scan; the Latin model read it the same again, enlarged).
Only a label that is no known domain and becomes exactly one known domain is changed;
the list of domains is data (`vocabulary.toml`, `top_level_domains`)."""

from __future__ import annotations

import functools
import re

from pipeline.fields.vocabulary import _words
from pipeline.read.schemes import scheme_repaired

# Letters OCR takes for one another in a thin sans or serif face at scan resolution.
_LOOK_ALIKES = {"i": "l", "l": "i", "1": "l", "0": "o", "o": "0"}


@functools.cache
def _domains() -> frozenset[str]:
    return frozenset(_words()["top_level_domains"])


def _repaired_label(label: str) -> str:
    if label.lower() in _domains():
        return label
    found = {
        label[:i] + other + label[i + 1 :]
        for i, char in enumerate(label.lower())
        for other in (_LOOK_ALIKES.get(char),)
        if other is not None and (label[:i] + other + label[i + 1 :]).lower() in _domains()
    }
    # ...or a letter read twice ('ijs.ssi' on an office scan: one glyph, two readings)
    found |= {
        label[:i] + label[i + 1 :] for i in range(1, len(label))
        if label[i].lower() == label[i - 1].lower() and (label[:i] + label[i + 1 :]).lower() in _domains()
    }
    return found.pop() if len(found) == 1 else label


def email_repaired(email: str) -> str:
    """An e-mail address whose top-level domain is one look-alike letter off a known one."""
    local, at, host = email.rpartition("@")
    if not at or "." not in host:
        return email
    stem, _, label = host.rpartition(".")
    return f"{local}@{stem}.{_repaired_label(label)}"


def url_repaired(url: str) -> str:
    """A web address whose host's top-level domain is one look-alike letter off a known
    one; and one whose scheme or 'www' was misread (`schemes.scheme_repaired`), checked
    again on the whole address: its pieces were read as words of their own, and a
    scheme read twice ('https://' ending a line, 'hittps:/Awww.' opening the next) only
    shows once they are joined."""
    url = scheme_repaired(url)
    match = re.match(r"^((?:[a-z][a-z0-9+.-]*://)?)([^/?#:]+)(.*)$", url, re.I)
    if not match or "." not in match.group(2):
        return url
    scheme, host, rest = match.groups()
    split = _SLASH_IN_HOST.match(rest)
    if split and split.group(1).lower() in _domains():
        # 'www.agency.got/.it/index.php': a 'v' read as 't/' (its right stroke a slash) at the
        # end of a host's label; a path never opens with a top-level domain, so the slash
        # is inside the host and the letter before it is the 'v' it was read from
        host = (host[:-1] + "v" if host.endswith("t") else host) + "." + split.group(1)
        rest = rest[split.end():]
    stem, _, label = host.rpartition(".")
    return f"{scheme}{stem}.{_repaired_label(label)}{rest}"


_SLASH_IN_HOST = re.compile(r"^/\.([a-z]{2,3})(?=[/?#]|$)", re.I)
