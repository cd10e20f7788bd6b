"""Each practice's budgets counted once: `practices.budget_total` and its currency.

A catalogue loaded before has them filled from each practice's `data` where it already
holds a `budget_total` (results extracted by a version that computes it); otherwise they
stay empty until the practice's next load of a newer result.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("practices", sa.Column("budget_total", sa.Float, comment="the budgets counted once (guide.json budget_total)"))
    op.add_column("practices", sa.Column("budget_total_currency", sa.String(3)))
    bind = op.get_bind()
    practices = sa.table("practices", sa.column("series"), sa.column("id"), sa.column("data"),
                         sa.column("budget_total"), sa.column("budget_total_currency"))
    for row in bind.execute(sa.select(practices.c.series, practices.c.id, practices.c.data)).all():
        data = json.loads(row.data) if isinstance(row.data, str) else row.data
        total = (data or {}).get("budget_total")
        if isinstance(total, dict):
            bind.execute(
                practices.update().where(practices.c.series == row.series, practices.c.id == row.id)
                .values(budget_total=total.get("amount"), budget_total_currency=total.get("currency"))
            )


def downgrade() -> None:
    with op.batch_alter_table("practices") as batch:
        batch.drop_column("budget_total_currency")
        batch.drop_column("budget_total")
