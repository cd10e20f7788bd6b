"""One constructor for warnings, so every one names its code, field and page."""

from __future__ import annotations


def warning(code: str, message: str, page: int | None = None, field: str | None = None) -> dict:
    return {"code": code, "message": message, "page": page, "field": field}
