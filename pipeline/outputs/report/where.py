"""Where a value was read, in words a steward recognises on the page ('page 5, sidebar'),
from the field it fills and where its box sits; the raw coordinates go in a tooltip."""

from __future__ import annotations

from schemas import SourceSpan

_LABELLED = {"institution", "location", "contacts", "websites", "period"}
_NAMED = {
    "title": "title", "summary": "tagline",
    "sections.about": "‘about’ text", "sections.resources": "‘resources needed’ text",
    "sections.evidence": "‘evidence of success’ text", "sections.challenges": "‘challenges’ text",
    "sections.transfer": "‘transfer’ text",
    "budgets": "‘resources needed’ text", "metrics": "‘evidence of success’ text",
}
# A labelled field's box narrower than this share of the page, at its left or right edge,
# sits in a sidebar; elsewhere it is a fact box (a table of labels, say).
_SIDEBAR_WIDTH = 0.4


def region(field: str, span: SourceSpan, page_width: float | None) -> str:
    base = field.split("[", 1)[0]
    if base in _LABELLED:
        if page_width:
            x0, _, x1, _ = span.bbox
            at_edge = x1 <= page_width * _SIDEBAR_WIDTH or x0 >= page_width * (1 - _SIDEBAR_WIDTH)
            if at_edge and (x1 - x0) <= page_width * _SIDEBAR_WIDTH:
                return "sidebar"
        return "fact box"
    return _NAMED.get(field) or _NAMED.get(base) or field


def coordinates(span: SourceSpan) -> str:
    return f"p. {span.page} [{', '.join(f'{v:.0f}' for v in span.bbox)}] (x0, top, x1, bottom in PDF points)"
