"""The catalogue: guides, practices, their versions, budgets and metrics.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "guides",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("series", sa.String(200), nullable=False),
        sa.Column("edition", sa.Integer, nullable=False, comment="1, 2, ... in the order the series' editions were first loaded"),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("practice_count", sa.Integer, nullable=False),
        sa.Column("schema_version", sa.String(20), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False, comment="when this file was first loaded"),
        sa.UniqueConstraint("series", "edition", name="uq_guides_series_edition"),
    )
    op.create_index("ix_guides_series", "guides", ["series"])
    op.create_table(
        "practices",
        sa.Column("series", sa.String(200), nullable=False),
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("theme_number", sa.Integer),
        sa.Column("theme_title", sa.Text),
        sa.Column("institution", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("country_code", sa.String(2)),
        sa.Column("period_start", sa.String(7)),
        sa.Column("period_end", sa.String(7)),
        sa.Column("ongoing", sa.Boolean, nullable=False),
        sa.Column("first_guide", sa.String(64), nullable=False),
        sa.Column("last_guide", sa.String(64), nullable=False, comment="the latest edition that contains the practice"),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("withdrawn_in", sa.String(64), comment="the edition that no longer contains it"),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("data", Document, nullable=False),
        sa.PrimaryKeyConstraint("series", "id", name="pk_practices"),
        sa.ForeignKeyConstraint(["first_guide"], ["guides.sha256"], name="fk_practices_first_guide"),
        sa.ForeignKeyConstraint(["last_guide"], ["guides.sha256"], name="fk_practices_last_guide"),
        sa.ForeignKeyConstraint(["withdrawn_in"], ["guides.sha256"], name="fk_practices_withdrawn_in"),
    )
    op.create_table(
        "practice_versions",
        sa.Column("series", sa.String(200), nullable=False),
        sa.Column("practice_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("guide_sha256", sa.String(64), nullable=False, comment="where this content was first seen"),
        sa.Column("data", Document, nullable=False),
        sa.PrimaryKeyConstraint("series", "practice_id", "version", name="pk_practice_versions"),
        sa.UniqueConstraint("series", "practice_id", "content_sha256", name="uq_practice_versions_content"),
        sa.ForeignKeyConstraint(["series", "practice_id"], ["practices.series", "practices.id"], name="fk_versions_practice"),
        sa.ForeignKeyConstraint(["guide_sha256"], ["guides.sha256"], name="fk_versions_guide"),
    )
    for name, columns in (
        ("budgets", [sa.Column("amount", sa.Float), sa.Column("currency", sa.String(3)), sa.Column("role", sa.Text)]),
        ("metrics", [sa.Column("value", sa.Float), sa.Column("unit", sa.Text)]),
    ):
        extra = [sa.Column("scale", sa.Float)] if name == "metrics" else []
        op.create_table(
            name,
            sa.Column("series", sa.String(200), nullable=False),
            sa.Column("practice_id", sa.String(100), nullable=False),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("raw", sa.Text, nullable=False),
            *columns,
            sa.Column("qualifier", sa.Text),
            *extra,
            sa.PrimaryKeyConstraint("series", "practice_id", "position", name=f"pk_{name}"),
            sa.ForeignKeyConstraint(
                ["series", "practice_id"], ["practices.series", "practices.id"], name=f"fk_{name}_practice"
            ),
        )


def downgrade() -> None:
    for name in ("metrics", "budgets", "practice_versions", "practices"):
        op.drop_table(name)
    op.drop_index("ix_guides_series", "guides")
    op.drop_table("guides")
