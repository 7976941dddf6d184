"""Add current_records: which record of each article the views count.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

An article can hold a curated record and records of one or more extractors. The views count one
version of the facts per article: the curated record when there is one, else the extraction
loaded last. The table is filled here from article_extractions, then kept by the loader for the
articles each batch touches. Records that are not current are kept (for evaluation).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# the same ranking as warehouse.load.CURRENT_RECORDS_SQL, frozen as of this revision
BACKFILL = """
INSERT INTO current_records (article_id, extractor, extractor_version, batch_id)
SELECT article_id, extractor, extractor_version, batch_id FROM (
    SELECT x.article_id, x.extractor, x.extractor_version, x.batch_id,
           row_number() OVER (PARTITION BY x.article_id
                              ORDER BY (x.extractor = 'curated') DESC, b.started_at DESC NULLS LAST,
                                       x.batch_id DESC, x.extractor) AS rn
    FROM article_extractions x LEFT JOIN load_batches b ON b.batch_id = x.batch_id
) WHERE rn = 1
"""


def upgrade() -> None:
    op.create_table(
        "current_records",
        sa.Column("article_id", sa.Text(), primary_key=True),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Text(), nullable=False),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("current_records")
