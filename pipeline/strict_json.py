"""JSON read back from a file a person may have edited: only what this tool writes.

Python's json module accepts NaN and Infinity (not JSON), turns 1e400 into infinity,
reads integers of any size (a database column holds 64 bits), and recurses once per
level of nesting. Each of those becomes `JSONRefused`, whose message says why in words.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32  # a guide.json is about six levels deep
_INT_BOUND = 2**63  # what a database's BIGINT holds


class JSONRefused(ValueError):
    """Valid-looking JSON this tool will not read; str() is the reason."""


def _int(text: str) -> int:
    # 20 digits are enough for any 64-bit value: longer text is refused before int()
    # (Python refuses over 4300 digits with a message of its own)
    if len(text.lstrip("-")) > 19 or not -_INT_BOUND <= int(text) < _INT_BOUND:
        raise JSONRefused(f"the integer {text[:24]}{'...' if len(text) > 24 else ''} is larger than 64 bits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRefused(f"the number {text[:24]}{'...' if len(text) > 24 else ''} is too large")
    return value


def _constant(name: str):
    raise JSONRefused(f"{name} is not a JSON number")


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth, counted without recursion, up to limit + 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                break
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads, refusing NaN, infinities, numbers out of range and deep nesting
    (JSONRefused); json.JSONDecodeError for what is not JSON at all."""
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise JSONRefused(f"nested more than {max_depth} levels deep") from None
    if depth(data, max_depth) > max_depth:
        raise JSONRefused(f"nested more than {max_depth} levels deep")
    return data
