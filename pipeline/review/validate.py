"""Stage 6: validate against the contract. A practice field that fails is emptied and
the practice carries a warning naming it, so one bad card never sinks the guide."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from schemas import Guide, Practice

_EMPTY: dict[str, Any] = {
    "summary": None, "institution": None, "location": {}, "contacts": [], "websites": [],
    "period": {}, "sections": {}, "other_sections": {}, "notes": [], "budgets": [], "metrics": [],
    "provenance": {}, "theme": None,
}


def validate_practice(data: dict) -> Practice:
    data = {k: v for k, v in data.items() if not k.startswith("_")}  # stage-private working data
    for _ in range(len(_EMPTY) + 1):
        try:
            return Practice.model_validate(data)
        except ValidationError as error:
            broken = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            fixable = broken & _EMPTY.keys()
            if not fixable:
                detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                raise ValueError(f"practice {data.get('id') or data.get('number')}: {detail}") from None
            for field in sorted(fixable):
                messages = "; ".join(e["msg"] for e in error.errors() if e["loc"] and e["loc"][0] == field)
                data["warnings"] = [
                    *data.get("warnings", []),
                    {
                        "code": "invalid_field",
                        "message": f"Field '{field}' failed validation and was emptied: {messages}",
                        "practice": data.get("id"),
                        "page": (data.get("pages") or [None])[0],
                        "field": field,
                    },
                ]
                data[field] = _EMPTY[field]
    raise AssertionError("unreachable")


def validate_guide(data: dict) -> Guide:
    practices = [validate_practice(p) for p in data["practices"]]
    return Guide.model_validate({**data, "practices": practices})
