"""The catalogue's tables as SQLAlchemy Core (docs/catalogue.md fixes the names).

The migrations in `migrations/versions/` create exactly these; a change here needs a new
migration, so a catalogue made by an older version of the tool is upgraded in place.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

# JSONB on PostgreSQL, so a catalogue can query inside `data`; JSON text elsewhere
Document = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

EDITION_COMMENT = (
    "1, 2, ... in edition order: by edition_date, then edition_version, else by loaded_order"
)

guides = Table(
    "guides",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("file", Text, nullable=False),
    Column("title", Text),
    Column("series", String(200), nullable=False, index=True),
    Column("edition", Integer, nullable=False, comment=EDITION_COMMENT),
    Column("pages", Integer, nullable=False),
    Column("practice_count", Integer, nullable=False),
    Column("schema_version", String(20), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False, comment="when this file was first loaded"),
    Column("edition_date", String(10), comment="YYYY, YYYY-MM or YYYY-MM-DD: --edition-date, else the guide's publication date"),
    Column("edition_version", String(200), comment="the version the guide names (its metadata)"),
    Column("loaded_order", Integer, comment="1, 2, ... in the order the series' editions were first loaded"),
    Column("document_metadata", Document, comment="the guide's metadata as in guide.json; null until loaded by a version that keeps it"),
    Column("authors", Text, comment="metadata.authors joined with '; '"),
    Column("licence", Text, comment="metadata.licence"),
    UniqueConstraint("series", "edition", name="uq_guides_series_edition"),
)

guide_practices = Table(
    "guide_practices",
    metadata,
    Column("guide_sha256", String(64), nullable=False),
    Column("series", String(200), nullable=False, index=True),
    Column("practice_id", String(100), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    PrimaryKeyConstraint("guide_sha256", "practice_id", name="pk_guide_practices"),
    ForeignKeyConstraint(["guide_sha256"], ["guides.sha256"], name="fk_guide_practices_guide"),
    comment="which practices, with which content, each edition has: the catalogue is rebuilt from it in edition order",
)

practices = Table(
    "practices",
    metadata,
    Column("series", String(200), nullable=False),
    Column("id", String(100), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text),
    Column("theme_number", Integer),
    Column("theme_title", Text),
    Column("institution", Text),
    Column("location", Text),
    Column("country", Text),
    Column("country_code", String(2)),
    Column("period_start", String(7)),
    Column("period_end", String(7)),
    Column("ongoing", Boolean, nullable=False),
    Column("budget_total", Float, comment="the budgets counted once (guide.json budget_total)"),
    Column("budget_total_currency", String(3)),
    Column("first_guide", String(64), nullable=False),
    Column("last_guide", String(64), nullable=False, comment="the latest edition that contains the practice"),
    Column("withdrawn", Boolean, nullable=False),
    Column("withdrawn_in", String(64), comment="the edition that no longer contains it"),
    Column("content_sha256", String(64), nullable=False),
    Column("data", Document, nullable=False),
    PrimaryKeyConstraint("series", "id", name="pk_practices"),
    ForeignKeyConstraint(["first_guide"], ["guides.sha256"], name="fk_practices_first_guide"),
    ForeignKeyConstraint(["last_guide"], ["guides.sha256"], name="fk_practices_last_guide"),
    ForeignKeyConstraint(["withdrawn_in"], ["guides.sha256"], name="fk_practices_withdrawn_in"),
)

practice_versions = Table(
    "practice_versions",
    metadata,
    Column("series", String(200), nullable=False),
    Column("practice_id", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("guide_sha256", String(64), nullable=False, comment="the earliest edition with this content"),
    Column("data", Document, nullable=False),
    PrimaryKeyConstraint("series", "practice_id", "version", name="pk_practice_versions"),
    UniqueConstraint("series", "practice_id", "content_sha256", name="uq_practice_versions_content"),
    ForeignKeyConstraint(["series", "practice_id"], ["practices.series", "practices.id"], name="fk_versions_practice"),
    ForeignKeyConstraint(["guide_sha256"], ["guides.sha256"], name="fk_versions_guide"),
)


def _value_table(name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("series", String(200), nullable=False),
        Column("practice_id", String(100), nullable=False),
        Column("position", Integer, nullable=False),
        *columns,
        PrimaryKeyConstraint("series", "practice_id", "position", name=f"pk_{name}"),
        ForeignKeyConstraint(["series", "practice_id"], ["practices.series", "practices.id"], name=f"fk_{name}_practice"),
    )


budgets = _value_table(
    "budgets",
    Column("raw", Text, nullable=False),
    Column("amount", Float),
    Column("currency", String(3)),
    Column("role", Text),
    Column("qualifier", Text),
)

metrics = _value_table(
    "metrics",
    Column("raw", Text, nullable=False),
    Column("value", Float),
    Column("unit", Text),
    Column("qualifier", Text),
    Column("scale", Float),
)

# every country the practice's location names, in printed order; position 1 is
# practices.country_code, so "practices in PT" finds 'Spain, Portugal and France'
practice_countries = _value_table(
    "practice_countries",
    Column("country_code", String(2), nullable=False, index=True, comment="ISO 3166-1 alpha-2"),
)
