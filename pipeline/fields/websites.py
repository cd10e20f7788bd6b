"""Rebuild the URLs printed in a sidebar: join wrapped lines, drop stray spaces, repair a
host and path that the wrap separated, end each URL where its link annotation ends (or
before a word of prose), and compare with the page's link annotations."""

from __future__ import annotations

import os
import re

from pipeline.fields.vocabulary import is_absent
from pipeline.model import Line, Link

_START = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
_CONNECTORS = {"and", "or", "&", "/", "|", ",", ";", "y", "et", "und", "e"}
_HOST_DONE = re.compile(r"^(?:https?://)?[^/]+\.[a-z]{2,}$", re.IGNORECASE)
_HOST_TAIL = re.compile(r"^[\w-]*\.[a-z]{2,}/", re.IGNORECASE)
_TRAILING = ".,;:)]}>\"'”’"
_HYPHENS = ("-", "\u2010", "\u00ad")


def _with_scheme(url: str) -> str:
    return url if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) else "https://" + url


def _extend(url: str, fragment: str) -> str:
    if _HOST_TAIL.match(fragment):
        return url + fragment  # the wrap fell inside the host name ('toscan' / 'a.it/...')
    if _HOST_DONE.match(url) and not fragment.startswith(("/", "?", "#", ".", "-")):
        return url + "/" + fragment
    return url + fragment


def _bare(url: str) -> str:
    """A URL as its annotation is followed: no scheme, and no spaces or slashes, since a
    broken annotation may hold a space where the print has a slash ('….it digital-…/')."""
    return re.sub(r"[\s/]+", "", re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.IGNORECASE))


# A word of prose after a URL ('This', '-The', 'Read'): capitalised letters only, maybe
# behind a dash or before a stop. A URL part has no such shape ('b.html', 'en/', 'index').
_PROSE = re.compile(r"^[-–—(\"“']*[A-Z][a-z]+[.,;:!?)\"”']*$")
_URL_CHARS = re.compile(r"^[\w\-.~:/?#\[\]@!$&'()*+,;=%]+$")


def _url_part(token: str) -> bool:
    return bool(_URL_CHARS.match(token)) and not _PROSE.match(token) and not is_absent(token)


def _annotated(url: str, links: list[Link]) -> list[str]:
    """The link targets that go on from this URL (its annotation says where it ends)."""
    bare = _bare(url)
    stem = bare[:-1] if bare.endswith(tuple(_HYPHENS)) else bare
    return [_bare(link.uri) for link in links if not link.uri.startswith("mailto:") and _bare(link.uri).startswith(stem)]


def _continue(url: str, token: str, links: list[Link], followed: bool = False) -> str | None:
    """`url` carried on by `token`, or None when the URL ends before it.

    With a link annotation for the URL, the annotation decides: the URL goes on only
    while the target goes on with the token's first character; a hyphen at the break is
    kept when the target has it and dropped when it does not. Without one, the token
    must look like a piece of a URL, not a word of prose or a filler ('n/a'); a plain
    word with more words after it on its line ('is the address') starts a sentence."""
    targets = _annotated(url, links)
    candidates = [_extend(url, token)]
    if url.endswith(tuple(_HYPHENS)):
        candidates.append(url[:-1] + token)  # the hyphen may be the line break's
    if targets:
        for candidate in candidates:
            bare, base = _bare(candidate), len(_bare(candidate)) - len(_bare(token))
            if any(len(os.path.commonprefix([bare, target])) > base for target in targets):
                return candidate
        return None
    if followed and re.fullmatch(r"[^\W_]+", token):
        return None
    return candidates[0] if _url_part(token) else None


def parse_websites(lines: list[Line], links: list[Link]) -> tuple[list[str], list[tuple[str, str]]]:
    """Printed URLs in order, and (code, message) warnings. A URL ends where its link
    annotation ends, or before a word that is not part of a URL."""
    urls: list[str] = []
    warnings: list[tuple[str, str]] = []
    current: str | None = None
    for line in lines:
        tokens = line.text.split()
        stray: list[str] = []
        for position, token in enumerate(tokens):
            if current is not None and not _START.match(token) and token.lower() not in _CONNECTORS and (
                position == 0 or current.endswith(("/", "-", "_", ".", "="))
            ):
                rest = tokens[position + 1 : position + 2]
                followed = bool(rest) and not _START.match(rest[0]) and rest[0].lower() not in _CONNECTORS
                joined = _continue(current, token, links, followed)
                if joined is not None:
                    current = joined
                    continue
            if _START.match(token):
                if current:
                    urls.append(current)
                current = token
            elif token.lower() in _CONNECTORS:
                if current:
                    urls.append(current)
                current = None
            elif "." in token and not token.endswith(".") and _url_part(token) and not is_absent(token):
                if current:
                    urls.append(current)
                current = token
            else:
                if current:
                    urls.append(current)
                current = None
                if not is_absent(token):
                    stray.append(token)
        if stray:
            # one warning per line: the words that are not a URL, as printed
            warnings.append(("unreadable_website", f"'{' '.join(stray)}' in the website field is not part of a URL."))
    if current:
        urls.append(current)
    cleaned = []
    for url in urls:
        url = _with_scheme(url.rstrip(_TRAILING))
        if url not in cleaned:
            cleaned.append(url)
    warnings.extend(_compare_links(cleaned, lines, links))
    return cleaned, warnings


def _inside(link: Link, line: Line) -> bool:
    x0, top, x1, bottom = line.bbox
    lx0, ltop, lx1, lbottom = link.bbox
    return min(x1, lx1) - max(x0, lx0) > 0 and min(bottom, lbottom) - max(top, ltop) > 0


def _compare_links(urls: list[str], lines: list[Line], links: list[Link]) -> list[tuple[str, str]]:
    warnings = []
    seen: set[str] = set()
    for link in links:
        if link.uri.startswith("mailto:") or link.uri in seen:
            continue
        if not any(_inside(link, line) for line in lines):
            continue
        seen.add(link.uri)
        target = link.uri
        if any(ch.isspace() for ch in target):
            warnings.append(("link_has_spaces", f"The link annotation '{target}' contains spaces."))
        squashed = re.sub(r"\s+", "", target).rstrip("/")
        if not any(u.rstrip("/") == squashed for u in urls):
            warnings.append(("link_differs", f"The link annotation '{target}' differs from the printed URL."))
    return warnings
