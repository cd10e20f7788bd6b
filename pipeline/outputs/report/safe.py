"""Every string in the report comes from a PDF and is hostile: escaped for the context it
lands in (HTML text, attribute, JSON read by the script, TOML handed to the steward), and a
link only for schemes that cannot run code."""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

_SAFE_URL = re.compile(r"(?i)(https?://|mailto:)[^\s\x00-\x1f\x7f-\x9f]+")


def text(value: Any) -> str:
    """For element text and for double-quoted attribute values alike."""
    return escape(str(value), quote=True)


def safe_href(url: str | None) -> str | None:
    """The URL when it is plain http(s) or mailto with nothing a browser would strip or
    reinterpret; None otherwise (shown as text, never a link)."""
    return url if url and _SAFE_URL.fullmatch(url) else None


def link(url: str, label: str | None = None) -> str:
    href = safe_href(url)
    shown = text(label if label is not None else url)
    return f'<a href="{text(href)}" rel="noopener noreferrer">{shown}</a>' if href else f'<span class="unlinked" title="not a web or mail address; not linked">{shown}</span>'


def script_json(data: Any) -> str:
    """JSON safe inside <script type="application/json">: no '</' to end the element, no
    '<!--' to open a comment, no raw U+2028/2029."""
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped; a lone
    surrogate (not representable in TOML) becomes U+FFFD."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if value is None:
        return '""'  # a value that was not found is written as an empty string
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # TOML reads Python's repr, inf and nan included
    return toml_string(str(value))


def correction_block(practice: str, field: str, was: Any) -> str:
    """The [[correction]] table a steward fills in (docs/corrections.md)."""
    return (
        "[[correction]]\n"
        f"practice = {toml_string(practice)}\n"
        f"field = {toml_string(field)}\n"
        f"was = {toml_value(was)}\n"
        'value = ""  # the right value\n'
        '# by = ""\n'
        '# note = ""\n'
    )
