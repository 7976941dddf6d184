"""Add near-duplicate detection and stories: article_signatures, article_lsh, article_links,
article_stories, stories.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Articles that repeat one story (re-published wire copies, updates, other outlets' rewrites)
are grouped into stories so the views can count distinct stories beside reports and articles
(warehouse/stories.py). Articles stored before this revision have no signature: 'warehouse
init' computes them (warehouse.etl.init_warehouse), batch by batch like any new article.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.Text(), primary_key=True),
        sa.Column("dup_sig", sa.LargeBinary(), nullable=False),
        sa.Column("names", sa.Text()),
        sa.Column("published_on", sa.Date()),
        sa.Column("source_id", sa.Text()),
    )
    op.create_table(
        "article_lsh",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
    )
    op.create_table(
        "article_links",
        sa.Column("article_a", sa.Text(), nullable=False),
        sa.Column("article_b", sa.Text(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("article_a", "article_b", name="pk_article_links"),
        sa.CheckConstraint("relation IN ('duplicate', 'same_story')", name="ck_article_links_relation"),
    )
    op.create_table(
        "article_stories",
        sa.Column("article_id", sa.Text(), primary_key=True),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("superseded_by", sa.Text()),
    )
    op.create_table(
        "stories",
        sa.Column("story_id", sa.Text(), primary_key=True),
        sa.Column("first_published", sa.Date()),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("publishers", sa.Integer(), nullable=False),
        sa.Column("original_publisher", sa.Text()),
        sa.Column("title", sa.Text()),
    )


def downgrade() -> None:
    for table in ("stories", "article_stories", "article_links", "article_lsh", "article_signatures"):
        op.drop_table(table)
