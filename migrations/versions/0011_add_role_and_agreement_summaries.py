"""Add the summary tables role_assertions, agreements_overview and timeline read: view_roles,
view_agreement_claims, view_agreement_provisions, view_agreements.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

At 1,000,000 articles a question about one person (role_assertions), one agreement (agreements_overview) or
one article (timeline) took 0.3-0.65 s: each joined person_roles, agreement_claims or agreement_provisions to
every counted claim (view_claims, 5 million rows) by claim_id, and timeline computed every agreement's first
article before its filter. These tables hold those joins per article (the roles, agreement reports and
provisions of the counted claims, with their claim's article), and view_agreements one row per reported
agreement (its reports, articles and first article), so each question filters one narrow table. Filled here
from view_claims (revision 0009), then kept by the loader with the other summaries (warehouse/summaries.py).
Derived data: downgrading drops them. No keys (revision 0008); warehouse/integrity.py checks them by query.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BACKFILL = (
    """INSERT INTO view_roles (person_id, role, organization_id, article_id, published_on, claimant_id, claim_id, quote)
SELECT pr.person_id, pr.role, pr.organization_id, c.article_id, v.published_on, c.claimant_id, c.claim_id, c.quote
FROM person_roles pr JOIN view_claims c ON c.claim_id = pr.claim_id
JOIN view_articles v ON v.article_id = c.article_id""",
    """INSERT INTO view_agreement_claims (agreement_id, claim_id, article_id)
SELECT DISTINCT ac.agreement_id, c.claim_id, c.article_id
FROM agreement_claims ac JOIN view_claims c ON c.claim_id = ac.claim_id""",
    """INSERT INTO view_agreement_provisions (agreement_id, provision, article_id)
SELECT p.agreement_id, p.provision, c.article_id
FROM agreement_provisions p JOIN view_claims c ON c.claim_id = p.claim_id""",
    """INSERT INTO view_agreements (agreement_id, reports, articles, article_id)
SELECT agreement_id, count(DISTINCT claim_id), count(DISTINCT article_id), min(article_id)
FROM view_agreement_claims GROUP BY agreement_id""",
)


def upgrade() -> None:
    op.create_table(
        "view_roles",
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Text()),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date()),
        sa.Column("claimant_id", sa.Text()),
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
    )
    op.create_table(
        "view_agreement_claims",
        sa.Column("agreement_id", sa.Text(), nullable=False),
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
    )
    op.create_table(
        "view_agreement_provisions",
        sa.Column("agreement_id", sa.Text(), nullable=False),
        sa.Column("provision", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
    )
    op.create_table(
        "view_agreements",
        sa.Column("agreement_id", sa.Text(), nullable=False),
        sa.Column("reports", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
    )
    for sql in BACKFILL:
        op.execute(sql)


def downgrade() -> None:
    for table in ("view_agreements", "view_agreement_provisions", "view_agreement_claims", "view_roles"):
        op.drop_table(table)
