"""Add agreements, role assertions and sanctions regimes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Agreements are real-world objects shared by the articles that report them
(agreement_claims links them to those claims); provisions and role assertions hang
off the claim that states them; sanctions_regimes is reference data.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
# Records loaded before this revision have no agreements or role assertions stored: after the
# upgrade, the next load writes them again in full (warehouse.migrate.STALE_PREFIX).
invalidates_records = True

TABLES = (
    "agreements",
    "agreement_parties",
    "agreement_claims",
    "agreement_provisions",
    "person_roles",
    "sanctions_regimes",
)


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("agreement_id", sa.Text(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date()),
        sa.Column("signed_precision", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Text(), sa.ForeignKey("load_batches.batch_id"), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'announced', 'signed', 'in_force', 'rumoured', 'denied')",
            name="ck_agreements_status",
        ),
        sa.CheckConstraint(
            "kind IN ('treaty', 'pact', 'deal', 'memorandum', 'arms_deal', 'other')", name="ck_agreements_kind"
        ),
        sa.CheckConstraint(
            "signed_precision IN ('day', 'week', 'month', 'year', 'unknown')", name="ck_agreements_precision"
        ),
    )
    op.create_table(
        "agreement_parties",
        sa.Column("agreement_id", sa.Text(), sa.ForeignKey("agreements.agreement_id"), nullable=False),
        sa.Column("entity_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.PrimaryKeyConstraint("agreement_id", "entity_id", name="pk_agreement_parties"),
    )
    op.create_table(
        "agreement_claims",
        sa.Column("agreement_id", sa.Text(), sa.ForeignKey("agreements.agreement_id"), nullable=False),
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("agreement_id", "claim_id", name="pk_agreement_claims"),
    )
    op.create_table(
        "agreement_provisions",
        sa.Column("provision_id", sa.Text(), primary_key=True),
        sa.Column("agreement_id", sa.Text(), sa.ForeignKey("agreements.agreement_id"), nullable=False),
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("provision", sa.Text(), nullable=False),
    )
    op.create_table(
        "person_roles",
        sa.Column("role_assertion_id", sa.Text(), primary_key=True),
        sa.Column("claim_id", sa.Text(), nullable=False, unique=True),
        sa.Column("person_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Text(), sa.ForeignKey("entities.entity_id")),
    )
    op.create_table(
        "sanctions_regimes",
        sa.Column("regime_id", sa.Text(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("authority", sa.Text(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("item_category", sa.Text(), sa.ForeignKey("item_categories.category"), nullable=False),
        sa.Column("cap", sa.Double()),
        sa.Column("cap_unit", sa.Text()),
        sa.Column("period", sa.Text()),
        sa.Column("since", sa.Date()),
        sa.Column("notes", sa.Text()),
        sa.UniqueConstraint(
            "authority", "resolution", "target_id", "item_category", "direction", name="uq_sanctions_scope"
        ),
        sa.CheckConstraint("direction IN ('to_target', 'from_target', 'both')", name="ck_sanctions_direction"),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
