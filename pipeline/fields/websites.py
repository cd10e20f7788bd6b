"""Rebuild the URLs printed in a sidebar: join wrapped lines, drop stray spaces, repair a
host and path that the wrap separated, and compare with the page's link annotations."""

from __future__ import annotations

import re

from pipeline.model import Line, Link

_START = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
_CONNECTORS = {"and", "or", "&", "/", "|", ",", ";", "y", "et", "und", "e"}
_HOST_DONE = re.compile(r"^(?:https?://)?[^/]+\.[a-z]{2,}$", re.IGNORECASE)
_HOST_TAIL = re.compile(r"^[\w-]*\.[a-z]{2,}/", re.IGNORECASE)
_TRAILING = ".,;:)]}>\"'”’"


def _with_scheme(url: str) -> str:
    return url if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) else "https://" + url


def _extend(url: str, fragment: str) -> str:
    if _HOST_TAIL.match(fragment):
        return url + fragment  # the wrap fell inside the host name ('toscan' / 'a.it/...')
    if _HOST_DONE.match(url) and not fragment.startswith(("/", "?", "#", ".", "-")):
        return url + "/" + fragment
    return url + fragment


def parse_websites(lines: list[Line], links: list[Link]) -> tuple[list[str], list[tuple[str, str]]]:
    """Printed URLs in order, and (code, message) warnings."""
    urls: list[str] = []
    warnings: list[tuple[str, str]] = []
    current: str | None = None
    for line in lines:
        tokens = line.text.split()
        for position, token in enumerate(tokens):
            if _START.match(token):
                if current:
                    urls.append(current)
                current = token
            elif token.lower() in _CONNECTORS:
                if current:
                    urls.append(current)
                current = None
            elif current is not None and (position == 0 or current.endswith(("/", "-", "_", ".", "="))):
                current = _extend(current, token)
            elif "." in token and not token.endswith("."):
                if current:
                    urls.append(current)
                current = token
            else:
                warnings.append(("unreadable_website", f"'{token}' in the website field is not part of a URL."))
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
