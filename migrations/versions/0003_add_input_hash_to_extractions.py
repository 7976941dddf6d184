"""Add article_extractions.input_sha256, the hash of a record's bytes as loaded.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Re-loading unchanged files used to parse and validate every record to learn that nothing
had changed. With the hash of the input bytes stored, the loader skips byte-identical
inputs unparsed. Existing rows get NULL (they take the old path once, then are hashed).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("article_extractions", sa.Column("input_sha256", sa.Text()))


def downgrade() -> None:
    op.drop_column("article_extractions", "input_sha256")
