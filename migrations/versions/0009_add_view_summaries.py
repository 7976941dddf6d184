"""Add the summary tables the canned views read: view_articles, view_claims, view_transfers, view_flow_denials,
view_entity_articles, view_article_pairs, view_pairs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Selective questions (one supplier, one entity, one source) scanned every claim and mention and the
stories tables, whatever their filter: current_claims, superseded_articles and article_story sit
under every view. These tables hold, per article, what those views decide (which record counts, the
article's story) and the counted transfers and co-mentioned entity pairs, ready to filter and group.
They are derived data: filled here from the tables (the backfill), then kept by the loader for the
articles each batch touches (warehouse/summaries.py). Downgrading drops them; nothing else changes.
Like the other tables that grow with the corpus (revision 0008), they carry no PRIMARY KEY: DuckDB
would rewrite its index at every checkpoint; warehouse/integrity.py checks their keys by query.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# the backfill: warehouse.summaries.refresh with every article touched, frozen as of this revision
STATE = """
WITH pairs AS (
    SELECT s.article_id AS older, s.superseded_by AS newer,
           coalesce(ro.extractor = 'curated', false) AS older_curated,
           coalesce(rn.extractor = 'curated', false) AS newer_curated
    FROM article_stories s
    LEFT JOIN current_records ro ON ro.article_id = s.article_id
    LEFT JOIN current_records rn ON rn.article_id = s.superseded_by
    WHERE s.superseded_by IS NOT NULL
),
superseded AS (
    SELECT DISTINCT CASE WHEN older_curated AND NOT newer_curated THEN newer ELSE older END AS article_id
    FROM pairs
)
SELECT a.article_id, a.source_id, a.published_on,
       coalesce(s.story_id, 'sty_' || a.article_id) AS story_id,
       coalesce(st.original_publisher, a.source_id) AS original_publisher,
       CASE WHEN sp.article_id IS NULL THEN r.extractor END AS counted_extractor,
       r.extractor_version AS record_version,
       r.batch_id
FROM articles a
LEFT JOIN article_stories s ON s.article_id = a.article_id
LEFT JOIN stories st ON st.story_id = s.story_id
LEFT JOIN current_records r ON r.article_id = a.article_id
LEFT JOIN superseded sp ON sp.article_id = a.article_id
"""

ARTICLES = """
INSERT INTO view_articles (article_id, source_id, published_on, story_id, original_publisher, counted_extractor,
    record_version, batch_id, claims, transfers)
SELECT s.article_id, s.source_id, s.published_on, s.story_id, s.original_publisher, s.counted_extractor,
    s.record_version, s.batch_id,
       coalesce(n.claims, 0), coalesce(n.transfers, 0)
FROM _sum_state s
SEMI JOIN _sum_touched t ON t.article_id = s.article_id
LEFT JOIN (
    SELECT c.article_id, count(*) AS claims, count(tr.claim_id) AS transfers
    FROM claims c
    SEMI JOIN _sum_touched t ON t.article_id = c.article_id
    JOIN _sum_state s ON s.article_id = c.article_id AND s.counted_extractor = c.extractor
    LEFT JOIN transfers tr ON tr.claim_id = c.claim_id
    GROUP BY c.article_id
) n ON n.article_id = s.article_id
"""

CLAIMS = """
INSERT INTO view_claims (
    claim_id, article_id, record_key, claimant_id, predicate, subject_id,
    object_id, stance, hedge, quote, start_char, end_char,
    event_date, event_date_precision, date_text, summary, extractor, extractor_version,
    batch_id)
SELECT c.claim_id, c.article_id, c.record_key, c.claimant_id, c.predicate, c.subject_id,
    c.object_id, c.stance, c.hedge, c.quote, c.start_char, c.end_char,
    c.event_date, c.event_date_precision, c.date_text, c.summary, c.extractor, c.extractor_version,
    c.batch_id
FROM claims c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
SEMI JOIN view_articles v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
"""

TRANSFERS = """
INSERT INTO view_transfers (
    transfer_id, claim_id, article_id, article_title, source_id, published_on,
    published_precision, supplier_id, recipient_id, item, item_category, system_id,
    quantity_low, quantity_high, quantity_unit, quantity_qualifier, quantity_text, value_amount,
    value_currency, value_text, status, claimant_id, stance, hedge,
    event_date, event_date_precision, date_text, period_text, quote, start_char,
    end_char, extractor, extractor_version, story_id, original_publisher)
SELECT t.transfer_id, c.claim_id, c.article_id, a.title, a.source_id, a.published_on, a.published_precision,
       t.supplier_id, t.recipient_id, t.item, t.item_category, t.system_id, t.quantity_low, t.quantity_high,
       t.quantity_unit, t.quantity_qualifier, t.quantity_text, t.value_amount, t.value_currency, t.value_text,
       t.status, c.claimant_id, c.stance, c.hedge, c.event_date, c.event_date_precision, c.date_text, t.period_text,
       c.quote, c.start_char, c.end_char, c.extractor, c.extractor_version, v.story_id, v.original_publisher
FROM claims c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
JOIN view_articles v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
JOIN transfers t ON t.claim_id = c.claim_id
JOIN articles a ON a.article_id = c.article_id
"""

DENIALS = """
INSERT INTO view_flow_denials (article_id, supplier_id, recipient_id, item_category, claimant_id)
SELECT DISTINCT d.article_id, t.supplier_id, t.recipient_id, t.item_category, d.claimant_id
FROM claims d
SEMI JOIN _sum_touched k ON k.article_id = d.article_id
JOIN view_articles v ON v.article_id = d.article_id AND v.counted_extractor = d.extractor
JOIN claim_denials cd ON cd.denial_claim_id = d.claim_id
JOIN transfers t ON t.claim_id = cd.denied_claim_id
WHERE d.claimant_id IS NOT NULL
"""

ENTITY_ARTICLES = """
INSERT INTO view_entity_articles (article_id, entity_id, mentions, story_id, published_on)
WITH counted_claims AS (
    SELECT c.claim_id, c.article_id, c.claimant_id, c.subject_id, c.object_id
    FROM claims c
    SEMI JOIN _sum_touched k ON k.article_id = c.article_id
    JOIN view_articles v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
),
refs AS (
    SELECT m.article_id, m.entity_id, 1 AS is_mention
    FROM mentions m
    SEMI JOIN _sum_touched k ON k.article_id = m.article_id
    JOIN view_articles v ON v.article_id = m.article_id AND v.counted_extractor = m.extractor
    UNION ALL
    SELECT article_id, unnest([claimant_id, subject_id, object_id]) AS entity_id, 0 FROM counted_claims
    UNION ALL
    SELECT c.article_id, unnest([t.supplier_id, t.recipient_id, t.system_id]), 0
    FROM transfers t JOIN counted_claims c ON c.claim_id = t.claim_id
)
SELECT r.article_id, r.entity_id, sum(r.is_mention), any_value(v.story_id), any_value(v.published_on)
FROM refs r
JOIN view_articles v ON v.article_id = r.article_id
WHERE r.entity_id IS NOT NULL
GROUP BY r.article_id, r.entity_id
"""

ARTICLE_PAIRS = """
INSERT INTO view_article_pairs (article_id, entity_a, entity_b, sentences)
WITH m AS (
    SELECT m.article_id, m.sentence_index, m.entity_id
    FROM mentions m
    SEMI JOIN _sum_touched k ON k.article_id = m.article_id
    JOIN view_articles v ON v.article_id = m.article_id AND v.counted_extractor = m.extractor
)
SELECT x.article_id, x.entity_id, y.entity_id, count(DISTINCT x.sentence_index)
FROM m x
JOIN m y ON y.article_id = x.article_id AND y.sentence_index = x.sentence_index AND x.entity_id < y.entity_id
GROUP BY x.article_id, x.entity_id, y.entity_id
"""

PAIRS = """
INSERT INTO view_pairs (entity_a, entity_b, sentences, articles)
SELECT entity_a, entity_b, sum(sentences), count(*) FROM view_article_pairs GROUP BY entity_a, entity_b
"""


def upgrade() -> None:
    op.create_table(
        "view_articles",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text()),
        sa.Column("published_on", sa.Date()),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("original_publisher", sa.Text()),
        sa.Column("counted_extractor", sa.Text()),
        sa.Column("record_version", sa.Text()),
        sa.Column("batch_id", sa.Text()),
        sa.Column("claims", sa.BigInteger(), nullable=False),
        sa.Column("transfers", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "view_claims",
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("claimant_id", sa.Text()),
        sa.Column("predicate", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Text()),
        sa.Column("object_id", sa.Text()),
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
        sa.Column("batch_id", sa.Text(), nullable=False),
    )
    op.create_table(
        "view_transfers",
        sa.Column("transfer_id", sa.Text(), nullable=False),
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("article_title", sa.Text()),
        sa.Column("source_id", sa.Text()),
        sa.Column("published_on", sa.Date()),
        sa.Column("published_precision", sa.Text(), nullable=False),
        sa.Column("supplier_id", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.Text(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("item_category", sa.Text(), nullable=False),
        sa.Column("system_id", sa.Text()),
        sa.Column("quantity_low", sa.Double()),
        sa.Column("quantity_high", sa.Double()),
        sa.Column("quantity_unit", sa.Text()),
        sa.Column("quantity_qualifier", sa.Text()),
        sa.Column("quantity_text", sa.Text()),
        sa.Column("value_amount", sa.Double()),
        sa.Column("value_currency", sa.Text()),
        sa.Column("value_text", sa.Text()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("claimant_id", sa.Text()),
        sa.Column("stance", sa.Text(), nullable=False),
        sa.Column("hedge", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date()),
        sa.Column("event_date_precision", sa.Text(), nullable=False),
        sa.Column("date_text", sa.Text()),
        sa.Column("period_text", sa.Text()),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("extractor", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("original_publisher", sa.Text()),
    )
    op.create_table(
        "view_flow_denials",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("supplier_id", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.Text(), nullable=False),
        sa.Column("item_category", sa.Text(), nullable=False),
        sa.Column("claimant_id", sa.Text(), nullable=False),
    )
    op.create_table(
        "view_entity_articles",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("mentions", sa.BigInteger(), nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date()),
    )
    op.create_table(
        "view_article_pairs",
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("entity_a", sa.Text(), nullable=False),
        sa.Column("entity_b", sa.Text(), nullable=False),
        sa.Column("sentences", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "view_pairs",
        sa.Column("entity_a", sa.Text(), nullable=False),
        sa.Column("entity_b", sa.Text(), nullable=False),
        sa.Column("sentences", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.BigInteger(), nullable=False),
    )
    op.execute(f"CREATE TEMP TABLE _sum_state AS {STATE}")
    op.execute("CREATE TEMP TABLE _sum_touched AS SELECT article_id FROM articles")
    for sql in (ARTICLES, CLAIMS, TRANSFERS, DENIALS, ENTITY_ARTICLES, ARTICLE_PAIRS, PAIRS):
        op.execute(sql)
    op.execute("DROP TABLE _sum_state")
    op.execute("DROP TABLE _sum_touched")


def downgrade() -> None:
    op.drop_table("view_pairs")
    op.drop_table("view_article_pairs")
    op.drop_table("view_entity_articles")
    op.drop_table("view_flow_denials")
    op.drop_table("view_transfers")
    op.drop_table("view_claims")
    op.drop_table("view_articles")
