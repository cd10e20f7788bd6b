"""Every country of a practice (`practice_countries`) and the guide's own metadata
(`guides.document_metadata`, `authors`, `licence`).

An older catalogue is upgraded in place. `practice_countries` is filled from each
practice's stored `data` (the current version, withdrawn practices included, as
`budgets` and `metrics` are): its `location.country_codes`, else its one `country_code`
(a result written before `country_codes` existed). The catalogue never kept a guide's
JSON, only `edition_date` and `edition_version`, so a guide's `document_metadata`,
`authors` and `licence` stay null until that guide is loaded again.

Revision ID: 0004
Revises: 0003
"""

import json
import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")
_CODE = re.compile(r"[A-Z]{2}")  # what the contract's CountryCode allows; anything else in old data is skipped


def upgrade() -> None:
    op.add_column("guides", sa.Column(
        "document_metadata", Document,
        comment="the guide's metadata as in guide.json; null until loaded by a version that keeps it",
    ))
    op.add_column("guides", sa.Column("authors", sa.Text, comment="metadata.authors joined with '; '"))
    op.add_column("guides", sa.Column("licence", sa.Text, comment="metadata.licence"))
    op.create_table(
        "practice_countries",
        sa.Column("series", sa.String(200), nullable=False),
        sa.Column("practice_id", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("country_code", sa.String(2), nullable=False, comment="ISO 3166-1 alpha-2"),
        sa.PrimaryKeyConstraint("series", "practice_id", "position", name="pk_practice_countries"),
        sa.ForeignKeyConstraint(["series", "practice_id"], ["practices.series", "practices.id"],
                                name="fk_practice_countries_practice"),
    )
    op.create_index("ix_practice_countries_country_code", "practice_countries", ["country_code"])
    _backfill_countries(op.get_bind())


def _backfill_countries(bind) -> None:
    practices = sa.table("practices", sa.column("series"), sa.column("id"), sa.column("data"))
    countries = sa.table("practice_countries", sa.column("series"), sa.column("practice_id"), sa.column("position"),
                         sa.column("country_code"))
    rows = []
    for row in bind.execute(sa.select(practices.c.series, practices.c.id, practices.c.data)).all():
        data = json.loads(row.data) if isinstance(row.data, str) else row.data
        location = (data or {}).get("location") or {}
        codes = location.get("country_codes") or ([location["country_code"]] if location.get("country_code") else [])
        codes = [code for code in codes if isinstance(code, str) and _CODE.fullmatch(code)]
        rows.extend(
            {"series": row.series, "practice_id": row.id, "position": i, "country_code": code}
            for i, code in enumerate(dict.fromkeys(codes), 1)  # each country once, in printed order, as the loader does
        )
    if rows:
        bind.execute(countries.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_practice_countries_country_code", "practice_countries")
    op.drop_table("practice_countries")
    with op.batch_alter_table("guides") as batch:
        for column in ("licence", "authors", "document_metadata"):
            batch.drop_column(column)
