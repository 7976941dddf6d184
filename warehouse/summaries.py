"""Summary tables the canned views read (revision 0009): kept by the loader for the articles each batch touches.

A selective question (one supplier, one entity, one source) used to cost a scan of every claim and
mention, three passes over current_records and the stories tables (current_claims, superseded_articles,
article_story), whatever its filter: those joins sit under every view. The summaries hold what they
decide, per article, once:

- ``view_articles``: one row per article: its publisher, date, story and story's original publisher,
  which extractor's facts count (``counted_extractor``: the current record's, NULL when the article
  has no record or another copy by the same publisher supersedes it) and how many claims and
  transfers of that record count: current_mentions, source_coverage and contested_claims (stories) read it.
- ``view_claims``: the counted claims (the rows of claims that current_claims gives): current_claims
  is this table, so a filter on a claim column is a filter on one scan, with no join (every view that
  reads claims: agreements_overview, claimant_activity, contested_claims, role_assertions, timeline).
- ``view_transfers``: one row per counted transfer with the columns of transfer_reports (ids, not
  names) and its article's story: transfer_reports, transfer_flows, figure_disagreements,
  sanctions_exposure and exchanges read it.
- ``view_flow_denials``: who denies a counted transfer claim (the claimants of counted denial claims
  pointing at it), by flow: transfer_flows.
- ``view_entity_articles``: one row per (entity, article) where the article's counted record mentions
  the entity or names it in a claim or transfer, with its mentions and the article's story and date:
  entity_profiles.
- ``view_article_pairs`` (pairs of entities one article mentions in a common sentence, with the
  number of such sentences) and ``view_pairs`` (their sums per pair): entity_cooccurrence.

Maintenance (``refresh``, called by ``load.finish_batch`` for every batch that succeeds, inside its
transaction, and by ``init_warehouse`` after it gives stories to older articles): the touched
articles are those whose state row (source, date, story, original publisher, counted record and
its batch) differs from view_articles, plus the articles and records the batch wrote. Their rows
are deleted and recomputed; view_pairs is moved by the difference of their old and new pairs, so
the work is priced by the touched articles and the pairs they name, not by the corpus. Two parts
are one pass over the corpus, both over narrow columns: the state comparison (per-article rows) and
finding the touched articles' rows in each summary (a scan of its article_id column). An empty
view_articles makes every article touched: the backfill (revision 0009 runs the same statements).

Nothing else may write the fact tables without calling ``refresh`` in the same transaction: the views
would answer from stale summaries. Writers in this package all end in finish_batch.

The SQL here reads tables only (no view), so it runs during a migration too; it restates
sql/base (current_records minus superseded_articles; article_story) and tests/test_summaries.py
proves every summary-backed view gives the answers of the original SQL.
"""

from __future__ import annotations

import sqlalchemy as sa

SUMMARY_TABLES = ("view_articles", "view_claims", "view_transfers", "view_flow_denials", "view_entity_articles",
                  "view_article_pairs", "view_pairs")

# Each article's state as sql/base defines it (superseded_articles and article_story, inlined).
STATE_SQL = """
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

STATE_COLUMNS = ("article_id", "source_id", "published_on", "story_id", "original_publisher",
                 "counted_extractor", "record_version", "batch_id")



def _cols(names: tuple[str, ...], prefix: str = "") -> str:
    """Column names for SQL, a few per line."""
    return ",\n    ".join(", ".join(prefix + n for n in names[i:i + 6]) for i in range(0, len(names), 6))


_COLS = _cols(STATE_COLUMNS)

# Articles whose state changed, plus those the batch wrote (a record replaced within one batch).
TOUCHED_SQL = f"""
CREATE TEMP TABLE _sum_touched AS
SELECT DISTINCT article_id FROM (
    SELECT article_id FROM (SELECT {_COLS} FROM _sum_state EXCEPT SELECT {_COLS} FROM view_articles)
    UNION ALL
    SELECT article_id FROM (SELECT {_COLS} FROM view_articles EXCEPT SELECT {_COLS} FROM _sum_state)
    UNION ALL
    SELECT article_id FROM article_extractions WHERE batch_id = $batch
    UNION ALL
    SELECT article_id FROM articles WHERE batch_id = $batch
)
"""

ARTICLES_SQL = f"""
INSERT INTO view_articles ({_COLS}, claims, transfers)
SELECT {_cols(STATE_COLUMNS, "s.")},
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

CLAIM_COLUMNS = (
    "claim_id", "article_id", "record_key", "claimant_id", "predicate", "subject_id", "object_id", "stance", "hedge",
    "quote", "start_char", "end_char", "event_date", "event_date_precision", "date_text", "summary", "extractor",
    "extractor_version", "batch_id",
)

CLAIMS_SQL = f"""
INSERT INTO view_claims (
    {_cols(CLAIM_COLUMNS)})
SELECT {_cols(CLAIM_COLUMNS, "c.")}
FROM claims c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
SEMI JOIN view_articles v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
"""

TRANSFER_COLUMNS = (
    "transfer_id", "claim_id", "article_id", "article_title", "source_id", "published_on", "published_precision",
    "supplier_id", "recipient_id", "item", "item_category", "system_id", "quantity_low", "quantity_high",
    "quantity_unit", "quantity_qualifier", "quantity_text", "value_amount", "value_currency", "value_text",
    "status", "claimant_id", "stance", "hedge", "event_date", "event_date_precision", "date_text", "period_text",
    "quote", "start_char", "end_char", "extractor", "extractor_version", "story_id", "original_publisher",
)

TRANSFERS_SQL = f"""
INSERT INTO view_transfers (
    {_cols(TRANSFER_COLUMNS)})
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

# the first half of transfer_flows' denials: claimants of counted denial claims pointing at a transfer
DENIALS_SQL = """
INSERT INTO view_flow_denials (article_id, supplier_id, recipient_id, item_category, claimant_id)
SELECT DISTINCT d.article_id, t.supplier_id, t.recipient_id, t.item_category, d.claimant_id
FROM claims d
SEMI JOIN _sum_touched k ON k.article_id = d.article_id
JOIN view_articles v ON v.article_id = d.article_id AND v.counted_extractor = d.extractor
JOIN claim_denials cd ON cd.denial_claim_id = d.claim_id
JOIN transfers t ON t.claim_id = cd.denied_claim_id
WHERE d.claimant_id IS NOT NULL
"""

# entity_profiles per article: every reference to an entity (mention, claimant, subject, object, transfer party)
ENTITY_ARTICLES_SQL = """
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

# entity_cooccurrence per article: an entity named twice in a sentence counts once
ARTICLE_PAIRS_SQL = """
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

_TOUCHED = "IN (SELECT article_id FROM _sum_touched)"
# touched articles whose summary rows are computed in one statement (memory is bounded by this, not the batch)
CHUNK = 50_000


def refresh(conn: sa.Connection, batch_id: str | None = None) -> int:
    """Bring the summary tables up to date with the facts (inside the caller's transaction).
    Returns the number of articles recomputed."""
    x = conn.exec_driver_sql
    x("DROP TABLE IF EXISTS _sum_state")
    x("DROP TABLE IF EXISTS _sum_touched")
    x("DROP TABLE IF EXISTS _sum_pair_delta")
    x("DROP TABLE IF EXISTS _sum_touched_all")
    x("DROP TABLE IF EXISTS _sum_order")
    x(f"CREATE TEMP TABLE _sum_state AS {STATE_SQL}")
    x(TOUCHED_SQL.replace("$batch", "?"), (batch_id or "", batch_id or ""))
    touched = x("SELECT count(*) FROM _sum_touched").scalar()
    if touched:
        for table in ("view_articles", "view_claims", "view_transfers", "view_flow_denials", "view_entity_articles"):
            x(f"DELETE FROM {table} WHERE article_id {_TOUCHED}")
        # view_pairs moves by (new pairs - old pairs) of the touched articles
        x("CREATE TEMP TABLE _sum_pair_delta (entity_a VARCHAR, entity_b VARCHAR, sentences BIGINT, articles BIGINT)")
        x("INSERT INTO _sum_pair_delta SELECT entity_a, entity_b, -sentences, -1 FROM view_article_pairs "
          f"WHERE article_id {_TOUCHED}")
        x(f"DELETE FROM view_article_pairs WHERE article_id {_TOUCHED}")
        # The per-article rows are computed CHUNK touched articles at a time: a one-batch load of a million
        # articles ran DuckDB out of memory (1 GB writer limit) in the article-pairs aggregate when it ran over all
        # of them at once. Each statement below reads _sum_touched, so it is narrowed to one chunk in turn.
        x("ALTER TABLE _sum_touched RENAME TO _sum_touched_all")
        x("CREATE TEMP TABLE _sum_order AS SELECT article_id, row_number() OVER (ORDER BY article_id) - 1 AS n "
          "FROM _sum_touched_all")
        try:
            for lo in range(0, touched, CHUNK):
                x("CREATE OR REPLACE TEMP TABLE _sum_touched AS SELECT article_id FROM _sum_order "
                  f"WHERE n >= {lo} AND n < {lo + CHUNK}")
                x(ARTICLES_SQL)
                x(CLAIMS_SQL)
                x(TRANSFERS_SQL)
                x(DENIALS_SQL)
                x(ENTITY_ARTICLES_SQL)
                x(ARTICLE_PAIRS_SQL)
                x("INSERT INTO _sum_pair_delta SELECT entity_a, entity_b, sentences, 1 FROM view_article_pairs "
                  f"WHERE article_id {_TOUCHED}")
        finally:
            x("DROP TABLE IF EXISTS _sum_touched")
            x("DROP TABLE _sum_order")
            x("ALTER TABLE _sum_touched_all RENAME TO _sum_touched")
        x("CREATE OR REPLACE TEMP TABLE _sum_pair_delta AS SELECT entity_a, entity_b, sum(sentences) AS sentences, "
          "sum(articles) AS articles FROM _sum_pair_delta GROUP BY entity_a, entity_b "
          "HAVING sum(sentences) <> 0 OR sum(articles) <> 0")
        x("UPDATE view_pairs p SET sentences = p.sentences + d.sentences, articles = p.articles + d.articles "
          "FROM _sum_pair_delta d WHERE p.entity_a = d.entity_a AND p.entity_b = d.entity_b")
        x("INSERT INTO view_pairs (entity_a, entity_b, sentences, articles) "
          "SELECT d.entity_a, d.entity_b, d.sentences, d.articles FROM _sum_pair_delta d "
          "ANTI JOIN view_pairs p ON p.entity_a = d.entity_a AND p.entity_b = d.entity_b")
        x("DELETE FROM view_pairs WHERE articles <= 0")
        x("DROP TABLE _sum_pair_delta")
    x("DROP TABLE _sum_state")
    x("DROP TABLE _sum_touched")
    return touched
