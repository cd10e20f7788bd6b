"""A web address's scheme and 'www' as OCR misreads them, repaired from the text alone
(no ink): used on OCR words (`read/glyphs.py`) and on the websites the fields stage
joins from wrapped pieces (`fields/hosts.py`), where a scheme read twice only shows once
the pieces are joined. Kept apart from glyphs.py so that the fields stage, which runs on
every run, a cached one too, imports no numpy."""

from __future__ import annotations

import re

# 'htips://', 'hitp://', 'htlps://': a letter of 'http' read as the thin letter beside it;
# 'htps://': its two t's read as one (light type at 150 dpi): no scheme is spelt so
_MISREAD_HTTP = re.compile(r"^h(?!ttps?:)[tlif1]{1,2}p(s?)(?=:/)", re.I)
# 'https:/Awww.', 'https:/Mww.', 'https:/www.': the two slashes before 'www.' read as one,
# or as a letter, or run into the first 'w' (a slanted or soft scan), or as '#/' (two
# slashes that touch: 'https:#/www.' read again whole on a speckled scan)
# (case matters past the scheme: 'https://vw.de' is a host as printed)
_GARBLED_SCHEME = re.compile(r"^((?i:https?)):(?!//www\.)[/\\|lI#]{0,2}[AMVW]?w{1,3}\.(?=\w|$)")


# 'https.//www.': the scheme's colon read as a stop or a comma (light type at 150 dpi),
# also after the scheme the fields stage gave the address it took for one without any
# ('https://https.//www.')
_STOP_FOR_COLON = re.compile(r"^(?:(?i:https?)://)?((?i:https?))[.,;](?=//)")


# 'https://://www.': the separator read twice (a scheme's piece read again over the
# one before it, '://' joined to '://'); an address has one separator, and nothing
# else starts with a colon or a slash after it
_SECOND_SEPARATOR = re.compile(r"^((?i:https?|ftp)://)[:/\\|]+(?=\w)")


# 'https:/host.gov.pl': the two slashes before a host name read as one (or lost); a
# host name (letters, digits, hyphens, then a dot) follows, so nothing else is meant
_ONE_SLASH = re.compile(r"^(https?):[/\\|]?(?=[a-z0-9][a-z0-9-]*\.[a-z])", re.I)


# 'https://wwew.', 'https://wvww.': three w's that touch on a soft scan make one wide
# glyph the model reads with a letter too many between them; a host's first label of
# three w's and one other letter is that misreading
_STRAY_IN_WWW = re.compile(r"^((?:https?|ftp)://)(?:w[a-vx-z]ww|ww[a-vx-z]w)\.", re.I)


# 'https://hittps:/Awww.': the scheme read twice (a piece read again over the one before
# it, joined), the second one misread; an address holds one scheme
_SECOND_SCHEME = re.compile(r"^(https?://)h[tlif1]{1,3}ps?:(?=[/\\|lI]{0,2}[AMVWvw]{2,4}\.)", re.I)
# 'https://Avww.': the 'www' of a soft scan read with capitals or a 'v' for a 'w' (at least
# two w's stay, so 'vw.de' is a host as printed)
_MISREAD_WWW = re.compile(r"^((?i:https?|ftp)://)(?=(?:[^.]*w){2})[AMVWvw]{3,4}\.")


def scheme_repaired(text: str) -> str:
    """A web address whose scheme ('htips', 'https.') or '//' after it was misread, its scheme read
    twice ('https://hittps:/Awww.'), or its 'www' misread ('Avww', 'wwew'), gets them back."""
    text = _STOP_FOR_COLON.sub(r"\1:", text)
    text = _SECOND_SCHEME.sub(lambda m: m.group(1)[:-2], text)
    text = _SECOND_SEPARATOR.sub(r"\1", text)
    text = _MISREAD_HTTP.sub(r"http\1", text)
    text = _GARBLED_SCHEME.sub(lambda m: f"{m.group(1)}://www.", text)
    text = _MISREAD_WWW.sub(lambda m: f"{m.group(1)}www.", text)
    text = _STRAY_IN_WWW.sub(lambda m: f"{m.group(1)}www.", text)
    return _ONE_SLASH.sub(lambda m: f"{m.group(1)}://", text)
