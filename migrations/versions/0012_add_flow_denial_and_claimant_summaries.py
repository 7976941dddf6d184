"""Add one-row-per-answer summaries for the questions about a flow, a denied claim, a claimant or a publisher:
view_flows, view_figure_flows, view_contested, view_claimants, view_claimant_predicates, view_claimant_subjects,
view_source_stories, view_sources.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

At 1,000,000 articles the questions about one supplier (transfer_flows, figure_disagreements, exchanges), one
article's contested claims, one claimant (claimant_activity, claimant_states) and one publisher (source_coverage)
took 0.15-1 s, and their full answers up to 17 s: each aggregated every counted transfer, claim or article before
its filter, and a filter on supplier_id cannot skip row groups (DuckDB's zone maps keep an 8-byte prefix of a
string, and every entity id starts "country:" or alike). These tables hold the answers without the entities'
names: one row per flow (view_flows), per disputed (flow, unit) (view_figure_flows), per denied claim
(view_contested), per claimant (view_claimants, with the multiplicities behind its predicate and subject lists),
per publisher (view_sources, summed from view_source_stories, one row per (publisher, story): a publisher's
distinct stories are a count of rows). Filled here from the summaries of revisions 0009 and 0011 (with the view
SQL of revision 0011, frozen), then kept by the loader (warehouse/summaries.py): the flows, denied claims and
stories a batch's articles touch are recomputed, the claimants moved by the difference of those articles' old and
new counted claims. Derived data: downgrading drops them. No keys (revision 0008); warehouse/integrity.py checks
them by query.
"""

import sqlalchemy as sa
from alembic import op
from duckdb_engine.datatypes import Struct

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("view_flows", "view_figure_flows", "view_contested", "view_claimants", "view_claimant_predicates",
          "view_claimant_subjects", "view_source_stories", "view_sources")

BACKFILL = (
    """INSERT INTO view_flows (supplier_id, recipient_id, item_category, reports, articles, publishers, quantity_min,
    quantity_max, quantity_unit, statuses, claimants, denied_by, first_published, last_published, value_totals,
    stories, independent_sources)
WITH unit_counts AS (
    SELECT supplier_id, recipient_id, item_category, quantity_unit,
           row_number() OVER (PARTITION BY supplier_id, recipient_id, item_category
                              ORDER BY count(*) DESC, quantity_unit) AS rn
    FROM view_transfers
    WHERE quantity_unit IS NOT NULL AND (quantity_low IS NOT NULL OR quantity_high IS NOT NULL)
    GROUP BY supplier_id, recipient_id, item_category, quantity_unit
),
main_unit AS (SELECT supplier_id, recipient_id, item_category, quantity_unit FROM unit_counts WHERE rn = 1),
denials AS (
    SELECT supplier_id, recipient_id, item_category, claimant_id FROM view_flow_denials
    UNION
    SELECT supplier_id, recipient_id, item_category, claimant_id FROM view_transfers
    WHERE stance = 'denies' AND claimant_id IS NOT NULL
),
denied AS (
    SELECT supplier_id, recipient_id, item_category, list_sort(list(DISTINCT claimant_id)) AS denied_by
    FROM denials GROUP BY ALL
),
value_per_currency AS (
    SELECT supplier_id, recipient_id, item_category, value_currency AS currency,
           sum(DISTINCT value_amount) AS total, count(*) AS reports
    FROM view_transfers WHERE value_amount IS NOT NULL GROUP BY ALL
),
valued AS (
    SELECT supplier_id, recipient_id, item_category,
           list({'currency': currency, 'total': total, 'reports': reports} ORDER BY currency) AS value_totals
    FROM value_per_currency GROUP BY ALL
)
SELECT r.supplier_id, r.recipient_id, r.item_category,
    count(*),
    count(DISTINCT r.article_id),
    count(DISTINCT coalesce(s.name, 'unknown')) FILTER (WHERE coalesce(s.name, 'unknown') <> 'unknown'),
    min(coalesce(r.quantity_low, r.quantity_high)) FILTER (WHERE r.quantity_unit = mu.quantity_unit),
    max(coalesce(r.quantity_high, r.quantity_low)) FILTER (WHERE r.quantity_unit = mu.quantity_unit),
    any_value(mu.quantity_unit),
    list_sort(list(DISTINCT r.status)),
    list_sort(list(DISTINCT r.claimant_id) FILTER (WHERE r.claimant_id IS NOT NULL)),
    coalesce(any_value(dn.denied_by), []::VARCHAR[]),
    min(r.published_on),
    max(r.published_on),
    coalesce(any_value(vl.value_totals), []),
    count(DISTINCT r.story_id),
    count(DISTINCT r.original_publisher)
FROM view_transfers r
LEFT JOIN sources s ON s.source_id = r.source_id
LEFT JOIN main_unit mu USING (supplier_id, recipient_id, item_category)
LEFT JOIN denied dn USING (supplier_id, recipient_id, item_category)
LEFT JOIN valued vl USING (supplier_id, recipient_id, item_category)
GROUP BY r.supplier_id, r.recipient_id, r.item_category""",
    """INSERT INTO view_figure_flows (supplier_id, recipient_id, item_category, quantity_unit, figures,
    distinct_figures, sources, stories, lowest, highest)
WITH figured AS (
    SELECT supplier_id, recipient_id, item_category, quantity_unit, quantity_low, quantity_high, quantity_qualifier,
           status, claimant_id, article_id, quote, claim_id, story_id
    FROM view_transfers
    WHERE quantity_unit IS NOT NULL AND (quantity_low IS NOT NULL OR quantity_high IS NOT NULL)
)
SELECT supplier_id, recipient_id, item_category, quantity_unit,
       list({'low': quantity_low, 'high': quantity_high, 'qualifier': quantity_qualifier, 'status': status,
              'claimant': claimant_id, 'article_id': article_id, 'quote': quote}
            ORDER BY coalesce(quantity_low, quantity_high), coalesce(quantity_high, quantity_low), article_id,
                     claim_id),
       count(DISTINCT {'low': quantity_low, 'high': quantity_high}),
       count(DISTINCT coalesce(claimant_id, 'article:' || article_id)),
       count(DISTINCT story_id),
       min(coalesce(quantity_low, quantity_high)),
       max(coalesce(quantity_high, quantity_low))
FROM figured
GROUP BY supplier_id, recipient_id, item_category, quantity_unit
HAVING count(DISTINCT {'low': quantity_low, 'high': quantity_high}) >= 2
   AND count(DISTINCT coalesce(claimant_id, 'article:' || article_id)) >= 2""",
    """INSERT INTO view_contested (claim_id, predicate, article_id, claimant_id, supplier_id, recipient_id,
    item_category, quote, denied_by, denial_quotes, articles, stories)
WITH pairs AS (
    SELECT cd.denied_claim_id, dc.article_id AS denied_article, d.claimant_id AS denier, d.quote AS denial_quote,
           d.article_id AS denial_article, ast.story_id AS denial_story
    FROM claim_denials cd
    JOIN view_claims d ON d.claim_id = cd.denial_claim_id
    JOIN view_claims dc ON dc.claim_id = cd.denied_claim_id
    JOIN view_articles ast ON ast.article_id = d.article_id
),
denials AS (
    SELECT denied_claim_id, denied_article,
           list_sort(list(DISTINCT denier) FILTER (WHERE denier IS NOT NULL)) AS denied_by,
           list_sort(list(DISTINCT denial_quote)) AS denial_quotes,
           list(DISTINCT denial_article) AS denial_articles,
           list(DISTINCT denial_story) AS denial_stories
    FROM pairs
    GROUP BY denied_claim_id, denied_article
)
SELECT c.claim_id, c.predicate, c.article_id, c.claimant_id, t.supplier_id, t.recipient_id, t.item_category, c.quote,
       d.denied_by, d.denial_quotes,
       list_sort(list_distinct(d.denial_articles || [c.article_id])),
       len(list_distinct(d.denial_stories || [cst.story_id]))
FROM denials d
JOIN view_claims c ON c.claim_id = d.denied_claim_id AND c.article_id = d.denied_article
JOIN view_articles cst ON cst.article_id = c.article_id
LEFT JOIN transfers t ON t.claim_id = c.claim_id""",
    """INSERT INTO view_claimant_predicates (claimant_id, predicate, claims)
SELECT claimant_id, predicate, count(*) FROM view_claims GROUP BY ALL""",
    """INSERT INTO view_claimant_subjects (claimant_id, subject_id, claims)
SELECT claimant_id, subject_id, count(*) FROM view_claims WHERE subject_id IS NOT NULL GROUP BY ALL""",
    """INSERT INTO view_claimants (claimant_id, claims, assertions, denials, hedged, transfer_claims, agreement_claims,
    articles, predicates, subjects)
WITH c AS (
    SELECT claimant_id, count(*) AS claims, count(*) FILTER (WHERE stance = 'asserts') AS assertions,
           count(*) FILTER (WHERE stance = 'denies') AS denials, count(*) FILTER (WHERE hedge <> 'confirmed') AS hedged,
           count(*) FILTER (WHERE predicate = 'transfer') AS transfer_claims,
           count(*) FILTER (WHERE predicate = 'agreement') AS agreement_claims, count(DISTINCT article_id) AS articles
    FROM view_claims GROUP BY claimant_id
),
p AS (SELECT claimant_id, list_sort(list(predicate)) AS predicates FROM view_claimant_predicates GROUP BY claimant_id),
s AS (SELECT claimant_id, list_sort(list(subject_id)) AS subjects FROM view_claimant_subjects GROUP BY claimant_id)
SELECT c.claimant_id, c.claims, c.assertions, c.denials, c.hedged, c.transfer_claims, c.agreement_claims,
       c.articles, p.predicates, s.subjects
FROM c
LEFT JOIN p ON p.claimant_id IS NOT DISTINCT FROM c.claimant_id
LEFT JOIN s ON s.claimant_id IS NOT DISTINCT FROM c.claimant_id""",
    """INSERT INTO view_source_stories (publisher, story_id, source_id, articles, claims, transfers, first_published,
    last_published)
SELECT coalesce(s.name, 'unknown'), v.story_id, any_value(v.source_id), count(*), sum(v.claims), sum(v.transfers),
       min(v.published_on), max(v.published_on)
FROM view_articles v
LEFT JOIN sources s ON s.source_id = v.source_id
GROUP BY coalesce(s.name, 'unknown'), v.story_id""",
    """INSERT INTO view_sources (publisher, source_id, articles, stories, claims, transfers, first_published,
    last_published)
SELECT publisher, any_value(source_id), sum(articles), count(*), sum(claims), sum(transfers), min(first_published),
       max(last_published)
FROM view_source_stories
GROUP BY publisher""",
)


def upgrade() -> None:
    value_total = Struct({"currency": sa.Text, "total": sa.Double, "reports": sa.BigInteger})
    figure = Struct({"low": sa.Double, "high": sa.Double, "qualifier": sa.Text, "status": sa.Text,
                     "claimant": sa.Text, "article_id": sa.Text, "quote": sa.Text})
    op.create_table(
        "view_flows",
        sa.Column("supplier_id", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.Text(), nullable=False),
        sa.Column("item_category", sa.Text(), nullable=False),
        sa.Column("reports", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.BigInteger(), nullable=False),
        sa.Column("publishers", sa.BigInteger(), nullable=False),
        sa.Column("quantity_min", sa.Double()),
        sa.Column("quantity_max", sa.Double()),
        sa.Column("quantity_unit", sa.Text()),
        sa.Column("statuses", sa.ARRAY(sa.Text())),
        sa.Column("claimants", sa.ARRAY(sa.Text())),
        sa.Column("denied_by", sa.ARRAY(sa.Text())),
        sa.Column("first_published", sa.Date()),
        sa.Column("last_published", sa.Date()),
        sa.Column("value_totals", sa.ARRAY(value_total)),
        sa.Column("stories", sa.BigInteger(), nullable=False),
        sa.Column("independent_sources", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "view_figure_flows",
        sa.Column("supplier_id", sa.Text(), nullable=False),
        sa.Column("recipient_id", sa.Text(), nullable=False),
        sa.Column("item_category", sa.Text(), nullable=False),
        sa.Column("quantity_unit", sa.Text(), nullable=False),
        sa.Column("figures", sa.ARRAY(figure)),
        sa.Column("distinct_figures", sa.BigInteger(), nullable=False),
        sa.Column("sources", sa.BigInteger(), nullable=False),
        sa.Column("stories", sa.BigInteger(), nullable=False),
        sa.Column("lowest", sa.Double()),
        sa.Column("highest", sa.Double()),
    )
    op.create_table(
        "view_contested",
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("predicate", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text(), nullable=False),
        sa.Column("claimant_id", sa.Text()),
        sa.Column("supplier_id", sa.Text()),
        sa.Column("recipient_id", sa.Text()),
        sa.Column("item_category", sa.Text()),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("denied_by", sa.ARRAY(sa.Text())),
        sa.Column("denial_quotes", sa.ARRAY(sa.Text())),
        sa.Column("articles", sa.ARRAY(sa.Text())),
        sa.Column("stories", sa.BigInteger()),
    )
    op.create_table(
        "view_claimants",
        sa.Column("claimant_id", sa.Text()),
        sa.Column("claims", sa.BigInteger(), nullable=False),
        sa.Column("assertions", sa.BigInteger(), nullable=False),
        sa.Column("denials", sa.BigInteger(), nullable=False),
        sa.Column("hedged", sa.BigInteger(), nullable=False),
        sa.Column("transfer_claims", sa.BigInteger(), nullable=False),
        sa.Column("agreement_claims", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.BigInteger(), nullable=False),
        sa.Column("predicates", sa.ARRAY(sa.Text())),
        sa.Column("subjects", sa.ARRAY(sa.Text())),
    )
    op.create_table(
        "view_claimant_predicates",
        sa.Column("claimant_id", sa.Text()),
        sa.Column("predicate", sa.Text(), nullable=False),
        sa.Column("claims", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "view_claimant_subjects",
        sa.Column("claimant_id", sa.Text()),
        sa.Column("subject_id", sa.Text(), nullable=False),
        sa.Column("claims", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "view_source_stories",
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("story_id", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text()),
        sa.Column("articles", sa.BigInteger(), nullable=False),
        sa.Column("claims", sa.BigInteger(), nullable=False),
        sa.Column("transfers", sa.BigInteger(), nullable=False),
        sa.Column("first_published", sa.Date()),
        sa.Column("last_published", sa.Date()),
    )
    op.create_table(
        "view_sources",
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Text()),
        sa.Column("articles", sa.BigInteger(), nullable=False),
        sa.Column("stories", sa.BigInteger(), nullable=False),
        sa.Column("claims", sa.BigInteger(), nullable=False),
        sa.Column("transfers", sa.BigInteger(), nullable=False),
        sa.Column("first_published", sa.Date()),
        sa.Column("last_published", sa.Date()),
    )
    for sql in BACKFILL:
        op.execute(sql)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
