"""Pydantic models of the output contract (docs/output-contract.md).

Field names and meanings are fixed by the contract; fields beyond it are additions,
never renames. Models forbid unknown keys so a typo in a stage fails loudly.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_serializer, model_validator

SCHEMA_VERSION = "1.0"

Year = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
OneLine = Annotated[str, StringConstraints(pattern=r"^[^\n]*$", min_length=1)]


# Text from a PDF may carry terminal escape sequences, NUL and other C0/C1 controls, or
# bidi overrides that make a line read differently than it is stored; none of it is text.
# Newline and tab are kept (sections are multi-line). NUL and undecodable bytes of a file
# name (lone surrogates) become U+FFFD: they stand for a character that was lost, and the
# catalogue stores NUL that way on every database.
_CONTROLS = re.compile(r"[\x01-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNREADABLE = re.compile(r"[\x00\ud800-\udfff]")


def clean_text(value: Any) -> Any:
    """Every string inside `value` (keys too) without control and bidi characters."""
    if isinstance(value, str):
        return _UNREADABLE.sub("\ufffd", _CONTROLS.sub("", value))
    if isinstance(value, dict):
        return {clean_text(k): clean_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_text(v) for v in value)
    return value


class _Model(BaseModel):
    # no NaN or infinity in any number: JSON has no such value, and a catalogue sum or a
    # comparison with one is silently wrong (corrections and `load` refuse them first)
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, data: Any) -> Any:
        return clean_text(data) if isinstance(data, dict) else data


class SourceSpan(_Model):
    """Where a value was read: 1-based page and box (x0, top, x1, bottom) in PDF points."""

    page: int = Field(ge=1)
    bbox: tuple[float, float, float, float]
    confidence: float | None = Field(default=None, ge=0, le=100, description="OCR only: Tesseract's word confidence, the lowest over the value's words (0-100)")
    corrected: bool = Field(default=False, description="the field read here holds a value from a correction (see Practice.corrections); written only when true")

    @model_serializer(mode="wrap")
    def _corrected_only_when_true(self, handler):
        data = handler(self)
        if not data.get("corrected"):
            data.pop("corrected", None)
        return data


class Warning(_Model):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    message: str
    practice: str | None = None
    page: int | None = None
    field: str | None = Field(default=None, description="the practice field the warning is about, e.g. 'websites' or 'sections.challenges'")


class ThemeRef(_Model):
    number: int
    title: str


class LinkAnnotation(_Model):
    """A clickable link on the card as the PDF stores it (which may differ from the print)."""

    uri: str
    page: int
    bbox: tuple[float, float, float, float]


class Theme(ThemeRef):
    intro: str | None = None
    pages: list[int] = []


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Location(_Model):
    raw: str | None = None
    country: str | None = None
    country_code: CountryCode | None = Field(default=None, description="the first country named (ISO 3166-1 alpha-2)")
    country_codes: list[CountryCode] = Field(default=[], description="every country the location names, in printed order ('Spain, Portugal and France' -> ES, PT, FR); country_code is the first")


class Contact(_Model):
    name: str | None = None
    organisation: str | None = None
    email: str | None = None

    @field_validator("email")
    @classmethod
    def _lower_and_plausible(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value != value.lower() or "@" not in value or " " in value:
            raise ValueError("email must be one lower-case address")
        return value


class Period(_Model):
    raw: str | None = None
    start: Year | None = None
    end: Year | None = None
    ongoing: bool = False


class Sections(_Model):
    about: str | None = None
    resources: str | None = None
    evidence: str | None = None
    challenges: str | None = None
    transfer: str | None = None


class Money(_Model):
    raw: str
    amount: float | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    role: str | None = Field(default=None, description="total, grant, budget, funding, per year, per project maximum, co-financing, share, range minimum/maximum")
    qualifier: str | None = Field(default=None, description="over, about, up to, ... as printed before the amount")
    currency_from_context: bool = Field(default=False, description="no currency printed at the amount; taken from its sentence")


class BudgetTotal(_Model):
    """The practice's money counted once (docs/output-contract.md, "Budget roles and totals")."""

    amount: float
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    basis: Literal["stated", "sum of parts"] = Field(description="a total the card states, or the sum of amounts that do not overlap")
    positions: list[int] = Field(description="1-based positions in `budgets` of the amounts it came from")
    raw: list[str] = Field(description="those amounts as printed")


class MoneyMention(Money):
    section: str


class Metric(_Model):
    raw: str
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    scale: float | None = Field(default=None, description="for ratings: the top of the scale ('3,4/4' -> 4)")
    quantity: str | None = Field(default=None, description="the quantity as printed ('more than 1,700 apprentices' -> '1,700 apprentices')")


Scalar = str | int | float | bool | None


class Correction(_Model):
    """A steward's fix of one extracted value (docs/corrections.md), applied by the run."""

    field: str = Field(description="path into the practice: 'institution', 'contacts.0.email', 'budgets.1.amount', ...")
    was: Scalar = Field(description="the extracted value the correction replaced")
    value: Scalar = Field(description="the value the field holds now")
    by: str | None = None
    note: str | None = None


class Practice(_Model):
    id: Slug
    number: int = Field(ge=1)
    theme: ThemeRef | None
    title: OneLine
    summary: str | None = None
    institution: OneLine | None = None
    location: Location = Location()
    contacts: list[Contact] = []
    websites: list[str] = []
    period: Period = Period()
    sections: Sections = Sections()
    other_sections: dict[str, str] = Field(default={}, description="Headed text that names none of the five sections")
    notes: list[str] = Field(default=[], description="Small print in the sidebar, such as photo credits")
    budgets: list[Money] = []
    budget_total: BudgetTotal | None = Field(default=None, description="the budgets counted once: stated total, else sum of non-overlapping parts in one currency, else none")
    metrics: list[Metric] = []
    money_mentions: list[MoneyMention] = Field(default=[], description="amounts printed outside 'Resources needed'")
    organisations: list[str] = Field(default=[], description="organisations named on the card (NER and fields), deduplicated")
    technologies: list[str] = Field(default=[], description="technology categories mentioned, from a fixed taxonomy")
    links: list[LinkAnnotation] = Field(default=[], description="the card's link annotations, as stored in the PDF")
    pages: list[int]
    provenance: dict[str, list[SourceSpan]] = {}
    warnings: list[Warning] = []
    corrections: list[Correction] = Field(default=[], description="corrections applied to this practice on this run")

    @field_validator("websites")
    @classmethod
    def _urls_have_no_spaces(cls, value: list[str]) -> list[str]:
        for url in value:
            if any(ch.isspace() for ch in url) or "://" not in url:
                raise ValueError(f"not a full URL: {url!r}")
        return value


class DuplicateText(_Model):
    field: str
    practices: list[str]
    opening: str
    exact: bool


class Checks(_Model):
    """Document-level checks for the audit report."""

    stated_practices: int | None = None
    found_practices: int = 0
    stated_themes: int | None = None
    found_themes: int = 0
    duplicate_texts: list[DuplicateText] = []
    shared_emails: dict[str, list[str]] = {}
    suspicious_links: list[Warning] = []
    missing: dict[str, list[str]] = {}


class Source(_Model):
    file: str
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    pages: int = Field(ge=0)
    ocr_pages: list[int] = Field(default=[], description="pages whose words were read by OCR (no usable text layer)")


class GuideMetadata(_Model):
    """What the document says about itself (a metadata block, the PDF's info): never practice data."""

    authors: list[str] = Field(default=[], description="the document's author(s), as printed; not an institution of any practice")
    publication_date: str | None = Field(default=None, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD) the document says it was published")
    version: str | None = Field(default=None, description="the edition or version the document names, as printed")
    licence: str | None = Field(default=None, description="terms of reuse, as printed")
    document_type: str | None = None
    keywords: list[str] = []
    provenance: list[SourceSpan] = []


class Guide(_Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    title: str | None
    metadata: GuideMetadata = GuideMetadata()
    title_provenance: list[SourceSpan] = []
    themes: list[Theme] = []
    practices: list[Practice] = []
    warnings: list[Warning] = []
    checks: Checks = Checks()
