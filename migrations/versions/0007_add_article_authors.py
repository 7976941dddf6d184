"""Add article_authors: the byline a web page or feed entry gives.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Pages are read with trafilatura and feeds with feedparser, which both give the author. A table
of its own, keyed by article: DuckDB cannot add a column to articles, which other tables
reference. Articles stored before this revision have no row; article ids do not change.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_authors",
        sa.Column("article_id", sa.Text(), primary_key=True),
        sa.Column("author", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_authors")
