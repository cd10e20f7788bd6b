"""The output contract: the one definition of what downstream catalogues read."""

from schemas.models import (
    SCHEMA_VERSION,
    Contact,
    Guide,
    Location,
    Metric,
    Money,
    MoneyMention,
    Period,
    Practice,
    Sections,
    Source,
    SourceSpan,
    Theme,
    ThemeRef,
    Warning,
)

__all__ = [
    "SCHEMA_VERSION",
    "Contact",
    "Guide",
    "Location",
    "Metric",
    "Money",
    "MoneyMention",
    "Period",
    "Practice",
    "Sections",
    "Source",
    "SourceSpan",
    "Theme",
    "ThemeRef",
    "Warning",
]
