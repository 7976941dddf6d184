"""Add a transfer's deal value: transfers.value_amount, value_currency, value_text.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Analysts compare deals by value ("a $2.6 billion sale", "a 450 million euro contract"). The value
is kept as written, in its own currency (ISO 4217), never converted. Record format 1.1 carries
it; records of format 1.0 have no values, so rows loaded before this revision are complete as
they are (NULL values) and nothing is marked for reloading.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("transfers", sa.Column("value_amount", sa.Double()))
    op.add_column("transfers", sa.Column("value_currency", sa.Text()))
    op.add_column("transfers", sa.Column("value_text", sa.Text()))


def downgrade() -> None:
    op.drop_column("transfers", "value_text")
    op.drop_column("transfers", "value_currency")
    op.drop_column("transfers", "value_amount")
