"""Editions ordered by their date or version, not by when they were loaded: each guide's
date, version and load order, and which practices (with which content) each edition has.

An older catalogue is upgraded in place. Its editions keep the order they were loaded in
(they have no date), and each edition's practices are reconstructed from what the old
schema kept: a practice was in every edition from its `first_guide` to its `last_guide`,
with the latest of its versions first seen at or before that edition.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EDITION_COMMENT = "1, 2, ... in edition order: by edition_date, then edition_version, else by loaded_order"


def upgrade() -> None:
    op.add_column("guides", sa.Column(
        "edition_date", sa.String(10), comment="YYYY, YYYY-MM or YYYY-MM-DD: --edition-date, else the guide's publication date"
    ))
    op.add_column("guides", sa.Column("edition_version", sa.String(200), comment="the version the guide names (its metadata)"))
    op.add_column("guides", sa.Column(
        "loaded_order", sa.Integer, comment="1, 2, ... in the order the series' editions were first loaded"
    ))
    op.create_table(
        "guide_practices",
        sa.Column("guide_sha256", sa.String(64), nullable=False),
        sa.Column("series", sa.String(200), nullable=False),
        sa.Column("practice_id", sa.String(100), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("guide_sha256", "practice_id", name="pk_guide_practices"),
        sa.ForeignKeyConstraint(["guide_sha256"], ["guides.sha256"], name="fk_guide_practices_guide"),
        comment="which practices, with which content, each edition has: the catalogue is rebuilt from it in edition order",
    )
    op.create_index("ix_guide_practices_series", "guide_practices", ["series"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # SQLite keeps no comments (and would rebuild the table)
        op.alter_column("guides", "edition", existing_type=sa.Integer, existing_nullable=False, comment=EDITION_COMMENT)
        op.alter_column(
            "practice_versions", "guide_sha256", existing_type=sa.String(64), existing_nullable=False,
            comment="the earliest edition with this content",
        )
    op.execute("UPDATE guides SET loaded_order = edition")
    _reconstruct_editions(bind)


def _reconstruct_editions(bind) -> None:
    guides = sa.table("guides", sa.column("sha256"), sa.column("series"), sa.column("edition"))
    practices = sa.table("practices", sa.column("series"), sa.column("id"), sa.column("first_guide"), sa.column("last_guide"),
                         sa.column("content_sha256"))
    versions = sa.table("practice_versions", sa.column("series"), sa.column("practice_id"), sa.column("version"),
                        sa.column("content_sha256"), sa.column("guide_sha256"))
    members = sa.table("guide_practices", sa.column("guide_sha256"), sa.column("series"), sa.column("practice_id"),
                       sa.column("content_sha256"))
    edition = {row.sha256: (row.series, row.edition) for row in bind.execute(sa.select(guides))}
    by_series: dict[str, list[tuple[int, str]]] = {}
    for sha, (series, number) in edition.items():
        by_series.setdefault(series, []).append((number, sha))
    seen: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for row in bind.execute(sa.select(versions)):
        seen.setdefault((row.series, row.practice_id), []).append((edition[row.guide_sha256][1], row.version, row.content_sha256))
    rows = []
    for practice in bind.execute(sa.select(practices)):
        first, last = edition[practice.first_guide][1], edition[practice.last_guide][1]
        history = sorted(seen.get((practice.series, practice.id), []))
        for number, sha in sorted(by_series[practice.series]):
            if not first <= number <= last:
                continue
            known = [content for at, _, content in history if at <= number]
            rows.append({"guide_sha256": sha, "series": practice.series, "practice_id": practice.id,
                         "content_sha256": known[-1] if known else practice.content_sha256})
    if rows:
        bind.execute(members.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_guide_practices_series", "guide_practices")
    op.drop_table("guide_practices")
    with op.batch_alter_table("guides") as batch:
        for column in ("loaded_order", "edition_version", "edition_date"):
            batch.drop_column(column)
