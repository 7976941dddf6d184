"""Create the core schema: lineage, reference vocabularies, articles, entities, claims, transfers.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Hand-written (autogenerate does not work with duckdb_engine). Every foreign key and
CHECK is declared here, at create time: DuckDB cannot add them with ALTER TABLE.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "load_batches",
    "item_categories",
    "sources",
    "articles",
    "entities",
    "entity_aliases",
    "article_extractions",
    "mentions",
    "claims",
    "claim_denials",
    "transfers",
)


def upgrade() -> None:
    op.create_table(
        "load_batches",
        sa.Column("batch_id", sa.Text(), primary_key=True),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("started_at", sa.TIMESTAMP(), nullable=False),
        sa.Column("finished_at", sa.TIMESTAMP()),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("rows_json", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column("tool_version", sa.Text(), nullable=False),
        sa.CheckConstraint("outcome IN ('running', 'ok', 'failed', 'dry_run')", name="ck_load_batches_outcome"),
    )
    op.create_table(
        "item_categories",
        sa.Column("category", sa.Text(), primary_key=True),
        sa.Column("parent", sa.Text()),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("source_id", sa.Text(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("url", sa.Text()),
    )
    op.create_table(
        "articles",
        sa.Column("article_id", sa.Text(), primary_key=True),
        sa.Column("text_sha256", sa.Text(), nullable=False, unique=True),
        sa.Column("source_id", sa.Text(), sa.ForeignKey("sources.source_id")),
        sa.Column("title", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("dateline", sa.Text()),
        sa.Column("published_on", sa.Date()),
        sa.Column("published_precision", sa.Text(), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("cleaned_text", sa.Text(), nullable=False),
        sa.Column("origin_file", sa.Text()),
        sa.Column("ingested_at", sa.TIMESTAMP(), nullable=False),
        sa.Column("batch_id", sa.Text(), sa.ForeignKey("load_batches.batch_id"), nullable=False),
        sa.CheckConstraint("published_precision IN ('day', 'month', 'year', 'unknown')", name="ck_articles_precision"),
    )
    op.create_table(
        "entities",
        sa.Column("entity_id", sa.Text(), primary_key=True),
        sa.Column("entity_type", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country_code", sa.Text()),
        sa.Column("parent_id", sa.Text()),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("is_new", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Text()),
        sa.CheckConstraint(
            "entity_type IN ('country', 'person', 'organization', 'international_body', 'location', "
            "'weapon_system', 'other')",
            name="ck_entities_type",
        ),
        sa.CheckConstraint("(entity_type = 'country') = (country_code IS NOT NULL)", name="ck_entities_country_code"),
    )
    op.create_table(
        "entity_aliases",
        sa.Column("alias_key", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("alias_kind", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", "alias", name="pk_entity_aliases"),
    )
    op.create_table(
        "article_extractions",
        sa.Column("article_id", sa.Text(), sa.ForeignKey("articles.article_id"), nullable=False),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("record_sha256", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Text(), sa.ForeignKey("load_batches.batch_id"), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "extractor", name="pk_article_extractions"),
    )
    op.create_table(
        "mentions",
        sa.Column("mention_id", sa.Text(), primary_key=True),
        sa.Column("article_id", sa.Text(), sa.ForeignKey("articles.article_id"), nullable=False),
        sa.Column("entity_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("sentence_index", sa.Integer(), nullable=False),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Text(), sa.ForeignKey("load_batches.batch_id"), nullable=False),
        sa.CheckConstraint("start_char >= 0 AND end_char > start_char", name="ck_mentions_span"),
    )
    op.create_table(
        "claims",
        sa.Column("claim_id", sa.Text(), primary_key=True),
        sa.Column("article_id", sa.Text(), sa.ForeignKey("articles.article_id"), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("claimant_id", sa.Text(), sa.ForeignKey("entities.entity_id")),
        sa.Column("predicate", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Text(), sa.ForeignKey("entities.entity_id")),
        sa.Column("object_id", sa.Text(), sa.ForeignKey("entities.entity_id")),
        sa.Column("stance", sa.Text(), nullable=False),
        sa.Column("hedge", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.Date()),
        sa.Column("event_date_precision", sa.Text(), nullable=False),
        sa.Column("date_text", sa.Text()),
        sa.Column("summary", sa.Text()),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Text(), sa.ForeignKey("load_batches.batch_id"), nullable=False),
        sa.CheckConstraint("stance IN ('asserts', 'denies')", name="ck_claims_stance"),
        sa.CheckConstraint(
            "hedge IN ('confirmed', 'reported', 'alleged', 'estimated', 'speculative', 'expected')",
            name="ck_claims_hedge",
        ),
        sa.CheckConstraint(
            "predicate IN ('transfer', 'agreement', 'denial', 'role', 'accusation', 'estimate', 'event', 'other')",
            name="ck_claims_predicate",
        ),
        sa.CheckConstraint(
            "event_date_precision IN ('day', 'week', 'month', 'year', 'unknown')", name="ck_claims_date_precision"
        ),
        sa.CheckConstraint("start_char >= 0 AND end_char > start_char", name="ck_claims_span"),
    )
    op.create_table(
        "claim_denials",
        sa.Column("denial_claim_id", sa.Text(), nullable=False),
        sa.Column("denied_claim_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("denial_claim_id", "denied_claim_id", name="pk_claim_denials"),
    )
    op.create_table(
        "transfers",
        sa.Column("transfer_id", sa.Text(), primary_key=True),
        sa.Column("claim_id", sa.Text(), nullable=False, unique=True),
        sa.Column("supplier_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.Column("recipient_id", sa.Text(), sa.ForeignKey("entities.entity_id"), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("item_category", sa.Text(), sa.ForeignKey("item_categories.category"), nullable=False),
        sa.Column("system_id", sa.Text(), sa.ForeignKey("entities.entity_id")),
        sa.Column("quantity_low", sa.Double()),
        sa.Column("quantity_high", sa.Double()),
        sa.Column("quantity_unit", sa.Text()),
        sa.Column("quantity_qualifier", sa.Text()),
        sa.Column("quantity_text", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("period_text", sa.Text()),
        sa.Column("period_start", sa.Date()),
        sa.Column("period_end", sa.Date()),
        sa.CheckConstraint(
            "status IN ('delivered', 'ongoing', 'promised', 'planned', 'ordered', 'requested', 'alleged', 'denied')",
            name="ck_transfers_status",
        ),
        sa.CheckConstraint(
            "(quantity_low IS NULL OR quantity_low >= 0) AND (quantity_high IS NULL OR quantity_high >= 0) "
            "AND (quantity_low IS NULL OR quantity_high IS NULL OR quantity_low <= quantity_high)",
            name="ck_transfers_quantity",
        ),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
