"""Text from a PDF or a file name, made harmless for a terminal: control characters
(escape sequences), bidi overrides and undecodable bytes are shown as escapes."""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: object, newlines: bool = False) -> str:
    """`text` with every unsafe character as `\\xNN` / `\\uNNNN`; a newline or tab too,
    unless `newlines` (multi-line output of our own)."""
    text = str(text)

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    text = _UNPRINTABLE.sub(escape, text)
    return text if newlines else text.replace("\n", "\\n").replace("\t", "\\t")
