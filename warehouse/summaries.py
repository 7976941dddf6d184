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
- Revision 0012, one row per answer (without the entities' names), so that a question about one supplier,
  claimant or publisher filters a few thousand rows instead of aggregating every counted transfer, claim or
  article (a filter on an entity id cannot skip row groups: DuckDB's string zone maps keep an 8-byte prefix,
  "country:"): ``view_flows`` (transfer_flows; exchanges sums it), ``view_figure_flows``
  (figure_disagreements), ``view_contested`` (contested_claims), ``view_claimants`` with
  ``view_claimant_predicates`` and ``view_claimant_subjects`` (claimant_activity, claimant_states),
  ``view_source_stories`` and ``view_sources`` (source_coverage). The flows a batch's touched articles report
  (old rows and new) are recomputed from view_transfers, the touched articles' contested claims from
  view_claims, the stories they leave or join from view_articles (then view_sources, 30 rows, from
  view_source_stories); view_claimants and its two multiplicity tables move by the difference of the touched
  articles' old and new counted claims, as view_pairs does.

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
                  "view_article_pairs", "view_pairs", "view_roles", "view_agreement_claims",
                  "view_agreement_provisions", "view_agreements", "view_flows", "view_figure_flows",
                  "view_contested", "view_claimants", "view_claimant_predicates", "view_claimant_subjects",
                  "view_source_stories", "view_sources")

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
    FROM {{claims}} c
    SEMI JOIN _sum_touched t ON t.article_id = c.article_id
    JOIN _sum_state s ON s.article_id = c.article_id AND s.counted_extractor = c.extractor
    LEFT JOIN {{transfers}} tr ON tr.claim_id = c.claim_id
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
FROM {{claims}} c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
SEMI JOIN {{va}} v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
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
FROM {{claims}} c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
JOIN {{va}} v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
JOIN {{transfers}} t ON t.claim_id = c.claim_id
JOIN {{articles}} a ON a.article_id = c.article_id
"""

# the first half of transfer_flows' denials: claimants of counted denial claims pointing at a transfer
DENIALS_SQL = """
INSERT INTO view_flow_denials (article_id, supplier_id, recipient_id, item_category, claimant_id)
SELECT DISTINCT d.article_id, t.supplier_id, t.recipient_id, t.item_category, d.claimant_id
FROM {claims} d
SEMI JOIN _sum_touched k ON k.article_id = d.article_id
JOIN {va} v ON v.article_id = d.article_id AND v.counted_extractor = d.extractor
JOIN {claim_denials} cd ON cd.denial_claim_id = d.claim_id
JOIN {denied_transfers} t ON t.claim_id = cd.denied_claim_id
WHERE d.claimant_id IS NOT NULL
"""

# entity_profiles per article: every reference to an entity (mention, claimant, subject, object, transfer party)
ENTITY_ARTICLES_SQL = """
INSERT INTO view_entity_articles (article_id, entity_id, mentions, story_id, published_on)
WITH counted_claims AS (
    SELECT c.claim_id, c.article_id, c.claimant_id, c.subject_id, c.object_id
    FROM {claims} c
    SEMI JOIN _sum_touched k ON k.article_id = c.article_id
    JOIN {va} v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
),
refs AS (
    SELECT m.article_id, m.entity_id, 1 AS is_mention
    FROM {mentions} m
    SEMI JOIN _sum_touched k ON k.article_id = m.article_id
    JOIN {va} v ON v.article_id = m.article_id AND v.counted_extractor = m.extractor
    UNION ALL
    SELECT article_id, unnest([claimant_id, subject_id, object_id]) AS entity_id, 0 FROM counted_claims
    UNION ALL
    SELECT c.article_id, unnest([t.supplier_id, t.recipient_id, t.system_id]), 0
    FROM {transfers} t JOIN counted_claims c ON c.claim_id = t.claim_id
)
SELECT r.article_id, r.entity_id, sum(r.is_mention), any_value(v.story_id), any_value(v.published_on)
FROM refs r
JOIN {va} v ON v.article_id = r.article_id
WHERE r.entity_id IS NOT NULL
GROUP BY r.article_id, r.entity_id
"""

# entity_cooccurrence per article: an entity named twice in a sentence counts once
ARTICLE_PAIRS_SQL = """
INSERT INTO view_article_pairs (article_id, entity_a, entity_b, sentences)
WITH m AS (
    SELECT m.article_id, m.sentence_index, m.entity_id
    FROM {mentions} m
    SEMI JOIN _sum_touched k ON k.article_id = m.article_id
    JOIN {va} v ON v.article_id = m.article_id AND v.counted_extractor = m.extractor
)
SELECT x.article_id, x.entity_id, y.entity_id, count(DISTINCT x.sentence_index)
FROM m x
JOIN m y ON y.article_id = x.article_id AND y.sentence_index = x.sentence_index AND x.entity_id < y.entity_id
GROUP BY x.article_id, x.entity_id, y.entity_id
"""

# revision 0011: the roles, agreement reports and provisions of the counted claims (role_assertions,
# agreements_overview, timeline), per article like the tables above
ROLES_SQL = """
INSERT INTO view_roles (person_id, role, organization_id, article_id, published_on, claimant_id, claim_id, quote)
SELECT pr.person_id, pr.role, pr.organization_id, c.article_id, v.published_on, c.claimant_id, c.claim_id, c.quote
FROM {claims} c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
JOIN {va} v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
JOIN {person_roles} pr ON pr.claim_id = c.claim_id
"""

AGREEMENT_CLAIMS_SQL = """
INSERT INTO view_agreement_claims (agreement_id, claim_id, article_id)
SELECT DISTINCT ac.agreement_id, c.claim_id, c.article_id
FROM {claims} c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
SEMI JOIN {va} v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
JOIN {agreement_claims} ac ON ac.claim_id = c.claim_id
"""

AGREEMENT_PROVISIONS_SQL = """
INSERT INTO view_agreement_provisions (agreement_id, provision, article_id)
SELECT p.agreement_id, p.provision, c.article_id
FROM {claims} c
SEMI JOIN _sum_touched k ON k.article_id = c.article_id
SEMI JOIN {va} v ON v.article_id = c.article_id AND v.counted_extractor = c.extractor
JOIN {agreement_provisions} p ON p.claim_id = c.claim_id
"""

# view_agreements: recomputed for the agreements whose counted reports changed (_sum_agreements)
AGREEMENTS_SQL = """
INSERT INTO view_agreements (agreement_id, reports, articles, article_id)
SELECT agreement_id, count(DISTINCT claim_id), count(DISTINCT article_id), min(article_id)
FROM view_agreement_claims
WHERE agreement_id IN (SELECT agreement_id FROM _sum_agreements)
GROUP BY agreement_id
"""

# Revision 0012: one row per answer of the questions about a flow, a denied claim or a claimant.
# view_flows: transfer_flows without the entities' names, for the flows of {vt} (view_transfers, or its rows of the
# touched flows) and their denials ({vfd}); the same SQL as the view's before this revision
FLOWS_SQL = """
INSERT INTO view_flows (supplier_id, recipient_id, item_category, reports, articles, publishers, quantity_min,
    quantity_max, quantity_unit, statuses, claimants, denied_by, first_published, last_published, value_totals,
    stories, independent_sources)
WITH unit_counts AS (
    SELECT supplier_id, recipient_id, item_category, quantity_unit,
           row_number() OVER (PARTITION BY supplier_id, recipient_id, item_category
                              ORDER BY count(*) DESC, quantity_unit) AS rn
    FROM {vt}
    WHERE quantity_unit IS NOT NULL AND (quantity_low IS NOT NULL OR quantity_high IS NOT NULL)
    GROUP BY supplier_id, recipient_id, item_category, quantity_unit
),
main_unit AS (SELECT supplier_id, recipient_id, item_category, quantity_unit FROM unit_counts WHERE rn = 1),
denials AS (
    SELECT supplier_id, recipient_id, item_category, claimant_id FROM {vfd}
    UNION
    SELECT supplier_id, recipient_id, item_category, claimant_id FROM {vt}
    WHERE stance = 'denies' AND claimant_id IS NOT NULL
),
denied AS (
    SELECT supplier_id, recipient_id, item_category, list_sort(list(DISTINCT claimant_id)) AS denied_by
    FROM denials GROUP BY ALL
),
value_per_currency AS (
    SELECT supplier_id, recipient_id, item_category, value_currency AS currency,
           sum(DISTINCT value_amount) AS total, count(*) AS reports
    FROM {vt} WHERE value_amount IS NOT NULL GROUP BY ALL
),
valued AS (
    SELECT supplier_id, recipient_id, item_category,
           list({{'currency': currency, 'total': total, 'reports': reports}} ORDER BY currency) AS value_totals
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
FROM {vt} r
LEFT JOIN sources s ON s.source_id = r.source_id
LEFT JOIN main_unit mu USING (supplier_id, recipient_id, item_category)
LEFT JOIN denied dn USING (supplier_id, recipient_id, item_category)
LEFT JOIN valued vl USING (supplier_id, recipient_id, item_category)
GROUP BY r.supplier_id, r.recipient_id, r.item_category
"""

# view_figure_flows: figure_disagreements without names and spread_ratio, for the flows of {vt}
FIGURE_FLOWS_SQL = """
INSERT INTO view_figure_flows (supplier_id, recipient_id, item_category, quantity_unit, figures,
    distinct_figures, sources, stories, lowest, highest)
WITH figured AS (
    SELECT supplier_id, recipient_id, item_category, quantity_unit, quantity_low, quantity_high, quantity_qualifier,
           status, claimant_id, article_id, quote, claim_id, story_id
    FROM {vt}
    WHERE quantity_unit IS NOT NULL AND (quantity_low IS NOT NULL OR quantity_high IS NOT NULL)
)
SELECT supplier_id, recipient_id, item_category, quantity_unit,
       list({{'low': quantity_low, 'high': quantity_high, 'qualifier': quantity_qualifier, 'status': status,
              'claimant': claimant_id, 'article_id': article_id, 'quote': quote}}
            ORDER BY coalesce(quantity_low, quantity_high), coalesce(quantity_high, quantity_low), article_id,
                     claim_id),
       count(DISTINCT {{'low': quantity_low, 'high': quantity_high}}),
       count(DISTINCT coalesce(claimant_id, 'article:' || article_id)),
       count(DISTINCT story_id),
       min(coalesce(quantity_low, quantity_high)),
       max(coalesce(quantity_high, quantity_low))
FROM figured
GROUP BY supplier_id, recipient_id, item_category, quantity_unit
HAVING count(DISTINCT {{'low': quantity_low, 'high': quantity_high}}) >= 2
   AND count(DISTINCT coalesce(claimant_id, 'article:' || article_id)) >= 2
"""

# view_contested: contested_claims without the claimant's name, from {cd} (claim_denials), {vc} (view_claims), {va}
# (view_articles) and {tr} (transfers), or the touched articles' rows of them (a denial and the claims it denies are
# in one record: warehouse/records.py); the transfers of a counted claim are its rows of view_transfers
CONTESTED_SQL = """
INSERT INTO view_contested (claim_id, predicate, article_id, claimant_id, supplier_id, recipient_id,
    item_category, quote, denied_by, denial_quotes, articles, stories)
WITH pairs AS (
    SELECT cd.denied_claim_id, dc.article_id AS denied_article, d.claimant_id AS denier, d.quote AS denial_quote,
           d.article_id AS denial_article, ast.story_id AS denial_story
    FROM {cd} cd
    JOIN {vc} d ON d.claim_id = cd.denial_claim_id
    JOIN {vc} dc ON dc.claim_id = cd.denied_claim_id
    JOIN {va} ast ON ast.article_id = d.article_id
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
JOIN {vc} c ON c.claim_id = d.denied_claim_id AND c.article_id = d.denied_article
JOIN {va} cst ON cst.article_id = c.article_id
LEFT JOIN {tr} t ON t.claim_id = c.claim_id
"""

# source_coverage: view_source_stories per (publisher, story) of view_articles, for the stories {where} names (every
# publisher's rows of them), and view_sources summed from it
SOURCE_STORIES_SQL = """
INSERT INTO view_source_stories (publisher, story_id, source_id, articles, claims, transfers, first_published,
    last_published)
SELECT coalesce(s.name, 'unknown'), v.story_id, any_value(v.source_id), count(*), sum(v.claims), sum(v.transfers),
       min(v.published_on), max(v.published_on)
FROM view_articles v
LEFT JOIN sources s ON s.source_id = v.source_id
{where}
GROUP BY coalesce(s.name, 'unknown'), v.story_id
"""
SOURCES_SQL = """
INSERT INTO view_sources (publisher, source_id, articles, stories, claims, transfers, first_published,
    last_published)
SELECT publisher, any_value(source_id), sum(articles), count(*), sum(claims), sum(transfers), min(first_published),
       max(last_published)
FROM view_source_stories
GROUP BY publisher
"""

# claimant_activity and claimant_states per claimant, as sums over the counted claims ({vc}: view_claims, or some
# articles' rows of it), with ``sign`` -1 for the rows that leave and 1 for those that arrive
CLAIMANT_DELTA_SQL = """
INSERT INTO _sum_claimant_delta
SELECT claimant_id, {sign} * count(*), {sign} * count(*) FILTER (WHERE stance = 'asserts'),
       {sign} * count(*) FILTER (WHERE stance = 'denies'), {sign} * count(*) FILTER (WHERE hedge <> 'confirmed'),
       {sign} * count(*) FILTER (WHERE predicate = 'transfer'),
       {sign} * count(*) FILTER (WHERE predicate = 'agreement'),
       {sign} * count(DISTINCT article_id)
FROM {vc} GROUP BY claimant_id
"""
CLAIMANT_PREDICATE_DELTA_SQL = """
INSERT INTO _sum_predicate_delta SELECT claimant_id, predicate, {sign} * count(*) FROM {vc} GROUP BY ALL
"""
CLAIMANT_SUBJECT_DELTA_SQL = """
INSERT INTO _sum_subject_delta SELECT claimant_id, subject_id, {sign} * count(*) FROM {vc}
WHERE subject_id IS NOT NULL GROUP BY ALL
"""
_CLAIMANT_COUNTS = ("claims", "assertions", "denials", "hedged", "transfer_claims", "agreement_claims", "articles")

_TOUCHED = "IN (SELECT article_id FROM _sum_touched)"
# touched articles whose summary rows are computed in one statement (memory is bounded by this, not the batch)
CHUNK = 50_000
# what the last refresh did (the benchmark reports it): limited to the batch or not, articles whose state was
# compared (candidates), touched; and by kind ('full': recomputed, 'story': rows copied with a new story)
LAST: dict = {}

# The fact tables a batch appends to, and what ``mark`` records of each at the start of the batch.
MARKED_TABLES = ("articles", "current_records", "claims", "mentions", "transfers", "claim_denials",
                 "person_roles", "agreement_claims", "agreement_provisions", "article_links")

# The state columns that decide an article's fact rows; the others (story_id, original_publisher) are copied
# into its stored rows when only they change (a story merge): its claims, transfers and pairs stay as they are.
_FACT_STATE = ("source_id", "published_on", "counted_extractor", "record_version", "batch_id")
_STORY_STATE = ("story_id", "original_publisher")


def _differ(cols: tuple[str, ...]) -> str:
    return " OR ".join(f"s.{c} IS DISTINCT FROM o.{c}" for c in cols)


def mark(conn: sa.Connection, batch_id: str) -> None:
    """Record, at the start of a batch (load.start_batch, before it writes), where the fact tables end.

    A row the batch appends has a rowid above every row stored before it (DuckDB numbers a transaction's
    appends above the committed rows), so ``rowid >= count`` (the rows stored before, counted: at most as many
    as their rowids) holds every row the batch writes, and a filter on rowid skips the row groups before it.
    ``refresh`` reads a batch's new facts through it instead of scanning the fact tables for the touched
    articles' ids (their ids are content hashes, spread over every row group)."""
    counts = ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in MARKED_TABLES)
    conn.exec_driver_sql(f"CREATE OR REPLACE TEMP TABLE _sum_marks AS SELECT ? AS batch_id, {counts}", (batch_id,))


def _marks(conn: sa.Connection, batch_id: str) -> dict[str, int] | None:
    """The marks of this batch (a temp table lives as long as the connection: another batch's are not used)."""
    exists = conn.exec_driver_sql("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '_sum_marks'"
                                  ).scalar()
    if not exists:
        return None
    row = conn.exec_driver_sql(f"SELECT {', '.join(MARKED_TABLES)} FROM _sum_marks WHERE batch_id = ?",
                               (batch_id,)).fetchone()
    return dict(zip(MARKED_TABLES, row, strict=True)) if row else None


def _fresh_lookups(conn: sa.Connection, marks: dict[str, int]) -> None:
    """For the touched articles whose facts the batch wrote: their articles' columns (_sum_art) and the transfers
    their denials deny (_sum_dt), from the rows the batch appended; a row stored before it (a record given to an
    article stored earlier, a denial of an older article's claim) is looked up in the whole table."""
    x = conn.exec_driver_sql
    fresh = ("(SELECT t.article_id FROM _sum_touched_all t JOIN _sum_state s USING (article_id) "
             "WHERE t.kind = 'full' AND t.fresh AND s.counted_extractor IS NOT NULL)")  # the others have no facts
    cols = "article_id, title, source_id, published_on, published_precision"
    x(f"CREATE OR REPLACE TEMP TABLE _sum_art AS SELECT {cols} FROM {_since('articles', marks)} "
      f"WHERE article_id IN {fresh}")
    if x(f"SELECT count(*) FROM {fresh} f ANTI JOIN _sum_art a USING (article_id)").scalar():
        x(f"INSERT INTO _sum_art SELECT {cols} FROM articles WHERE article_id IN "
          f"(SELECT article_id FROM {fresh} f ANTI JOIN _sum_art a USING (article_id))")
    cols = "claim_id, supplier_id, recipient_id, item_category"
    denied = f"(SELECT DISTINCT denied_claim_id AS claim_id FROM {_since('claim_denials', marks)})"
    x(f"CREATE OR REPLACE TEMP TABLE _sum_dt AS SELECT {cols} FROM {_since('transfers', marks)} "
      f"WHERE claim_id IN {denied}")
    older = f"(SELECT claim_id FROM {denied} d ANTI JOIN {_since('claims', marks)} c USING (claim_id))"
    if x(f"SELECT count(*) FROM {older}").scalar():
        x(f"INSERT INTO _sum_dt SELECT {cols} FROM transfers WHERE claim_id IN {older} "
          f"AND claim_id NOT IN (SELECT claim_id FROM _sum_dt)")


def _since(table: str, marks: dict[str, int]) -> str:
    """The rows of ``table`` the batch wrote (and perhaps a few before them: see mark)."""
    return f"(SELECT * FROM {table} WHERE rowid >= {int(marks[table])})"


def refresh(conn: sa.Connection, batch_id: str | None = None) -> int:
    """Bring the summary tables up to date with the facts (inside the caller's transaction).
    Returns the number of articles recomputed (or their rows rewritten with a new story).

    With ``batch_id`` and the marks ``mark`` recorded at the start of that batch, the work is priced by the
    batch: the articles it wrote or gave records, their stories' other articles (the batch's links and
    supersessions are among them), and the copies that supersede or are superseded by any of those are the only
    candidates; their state is compared with view_articles; the changed ones whose record is this batch's read
    their facts from the rows the batch appended (rowid >= mark), the others from the fact tables. Without
    (init, the migration's backfill, tests) every article is a candidate and the facts are read in full."""
    x = conn.exec_driver_sql
    for t in ("_sum_state", "_sum_touched", "_sum_pair_delta", "_sum_touched_all", "_sum_order", "_sum_cand",
              "_sum_old", "_sum_written", "_sum_va", "_sum_copy_t", "_sum_copy_e", "_sum_art", "_sum_dt",
              "_sum_seed"):
        x(f"DROP TABLE IF EXISTS {t}")
    marks = _marks(conn, batch_id) if batch_id else None
    limited = marks is not None and x("SELECT count(*) FROM (SELECT 1 FROM view_articles LIMIT 1)").scalar() > 0
    if limited:
        x("CREATE TEMP TABLE _sum_written AS "
          f"SELECT article_id FROM articles WHERE rowid >= {int(marks['articles'])} AND batch_id = ? "
          f"UNION SELECT article_id FROM current_records WHERE rowid >= {int(marks['current_records'])} "
          "AND batch_id = ?", (batch_id, batch_id))
        # the batch's links (warehouse.stories writes one per duplicate or same-story pair it finds, each with a new
        # article at one end): their ends are the older articles whose story or supersession the batch may change
        x(f"""CREATE TEMP TABLE _sum_seed AS
SELECT article_id FROM _sum_written
UNION SELECT article_a FROM article_links WHERE rowid >= {int(marks['article_links'])}
UNION SELECT article_b FROM article_links WHERE rowid >= {int(marks['article_links'])}""")
        seed = "IN (SELECT article_id FROM _sum_seed)"
        # Stories only grow. A story whose first article changes is renamed ('sty_' + its first article) and its
        # original publisher (that article's source) changes with it: every article of the old story id is a
        # candidate. A story that keeps its id keeps its original publisher: its other articles keep their state,
        # except a copy superseded before, by a copy that a newer one now supersedes (same story, same publisher).
        x(f"""CREATE TEMP TABLE _sum_cand AS
WITH old AS (SELECT article_id, story_id, source_id FROM view_articles WHERE article_id {seed}),
renamed AS (SELECT o.story_id FROM old o JOIN article_stories s USING (article_id) WHERE s.story_id <> o.story_id)
SELECT article_id FROM _sum_seed
UNION SELECT article_id FROM view_articles WHERE story_id IN (SELECT story_id FROM renamed)
UNION SELECT v.article_id FROM view_articles v SEMI JOIN old o
      ON o.story_id = v.story_id AND o.source_id IS NOT DISTINCT FROM v.source_id
      WHERE v.counted_extractor IS NULL AND v.record_version IS NOT NULL
UNION SELECT superseded_by FROM article_stories WHERE superseded_by IS NOT NULL AND article_id {seed}
UNION SELECT article_id FROM article_stories WHERE superseded_by {seed}""")
        cand = "IN (SELECT article_id FROM _sum_cand)"
        # the supersession pairs with a candidate at either end, before their records are joined
        state = STATE_SQL.replace("    FROM article_stories s\n    LEFT JOIN current_records ro", f"""    FROM (
        SELECT article_id, superseded_by FROM article_stories WHERE superseded_by IS NOT NULL AND article_id {cand}
        UNION
        SELECT article_id, superseded_by FROM article_stories WHERE superseded_by {cand}
    ) s
    LEFT JOIN current_records ro""")
        x(f"CREATE TEMP TABLE _sum_state AS {state}WHERE a.article_id {cand}")
        x(f"CREATE TEMP TABLE _sum_old AS SELECT * FROM view_articles WHERE article_id {cand}")
    else:
        x("CREATE TEMP TABLE _sum_written AS SELECT article_id FROM article_extractions WHERE batch_id = ? "
          "UNION SELECT article_id FROM articles WHERE batch_id = ?", (batch_id or "", batch_id or ""))
        x(f"CREATE TEMP TABLE _sum_state AS {STATE_SQL}")
        x("CREATE TEMP TABLE _sum_old AS SELECT * FROM view_articles")
    # touched: the written articles and those whose state differs from view_articles. 'story': only the story
    # columns differ (rows copied with the new story); 'full': rows recomputed from the facts; fresh: the record
    # that counts was written by this batch (or none counts), so its facts are among the rows the batch appended
    x(f"""CREATE TEMP TABLE _sum_touched_all AS
SELECT article_id, kind, had_rows, fresh, row_number() OVER (ORDER BY kind, fresh, article_id) - 1 AS n FROM (
    SELECT coalesce(s.article_id, o.article_id) AS article_id,
           CASE WHEN s.article_id IS NULL OR o.article_id IS NULL OR w.article_id IS NOT NULL
                     OR {_differ(_FACT_STATE)} THEN 'full' ELSE 'story' END AS kind,
           o.article_id IS NOT NULL AS had_rows,
           {'coalesce(s.batch_id = ? OR s.counted_extractor IS NULL, false)' if limited else 'false'} AS fresh
    FROM _sum_state s
    FULL JOIN _sum_old o ON o.article_id = s.article_id
    LEFT JOIN _sum_written w ON w.article_id = coalesce(s.article_id, o.article_id)
    WHERE w.article_id IS NOT NULL OR {_differ(_FACT_STATE + _STORY_STATE)}
)""", (batch_id,) if limited else ())
    touched = x("SELECT count(*) FROM _sum_touched_all").scalar()
    LAST.clear()
    LAST.update(limited=limited, candidates=x("SELECT count(*) FROM _sum_state").scalar(), touched=touched)
    if touched:
        _apply(conn, batch_id, marks if limited else None)
    x("DROP TABLE IF EXISTS _sum_touched_all")
    for t in ("_sum_state", "_sum_old", "_sum_written", "_sum_cand", "_sum_seed"):
        x(f"DROP TABLE IF EXISTS {t}")
    return touched


def _apply(conn: sa.Connection, batch_id: str | None, marks: dict[str, int] | None) -> None:
    x = conn.exec_driver_sql
    counts = dict(x("SELECT kind || CASE WHEN had_rows THEN '+' ELSE '' END, count(*) FROM _sum_touched_all "
                    "GROUP BY ALL").fetchall())
    LAST.update(counts)
    full_old, story = counts.get("full+", 0), counts.get("story+", 0)
    pairs_mark = {"view_article_pairs": x("SELECT count(*) FROM view_article_pairs").scalar()}
    had = "IN (SELECT article_id FROM _sum_touched_all WHERE had_rows)"
    old_full = "IN (SELECT article_id FROM _sum_touched_all WHERE had_rows AND kind = 'full')"
    old_story = "IN (SELECT article_id FROM _sum_touched_all WHERE kind = 'story')"
    answers_mark = _answers_before(conn, full_old, story)
    if story:  # a new story for rows that stay: copied before the old rows go
        x(f"CREATE TEMP TABLE _sum_copy_t AS SELECT t.* REPLACE (s.story_id AS story_id, "
          f"s.original_publisher AS original_publisher) FROM view_transfers t JOIN _sum_state s USING (article_id) "
          f"WHERE t.article_id {old_story}")
        x(f"CREATE TEMP TABLE _sum_copy_e AS SELECT e.* REPLACE (s.story_id AS story_id) "
          f"FROM view_entity_articles e JOIN _sum_state s USING (article_id) WHERE e.article_id {old_story}")
        x(f"CREATE TEMP TABLE _sum_copy_a AS SELECT {_cols(STATE_COLUMNS, 's.')}, o.claims, o.transfers "
          f"FROM _sum_state s JOIN _sum_old o USING (article_id) WHERE s.article_id {old_story}")
    if full_old or story:
        x(f"DELETE FROM view_articles WHERE article_id {had}")
    x("CREATE OR REPLACE TEMP TABLE _sum_agreements (agreement_id VARCHAR)")
    if full_old:
        x(f"INSERT INTO _sum_agreements SELECT agreement_id FROM view_agreement_claims WHERE article_id {old_full}")
        for table in ("view_claims", "view_flow_denials", "view_roles", "view_agreement_claims",
                      "view_agreement_provisions"):
            x(f"DELETE FROM {table} WHERE article_id {old_full}")
    if full_old or story:
        both = "IN (SELECT article_id FROM _sum_touched_all WHERE had_rows AND kind = 'full' OR kind = 'story')"
        for table in ("view_transfers", "view_entity_articles"):
            x(f"DELETE FROM {table} WHERE article_id {both}")
    if story:
        x(f"INSERT INTO view_articles ({_COLS}, claims, transfers) SELECT * FROM _sum_copy_a")
        x("INSERT INTO view_transfers SELECT * FROM _sum_copy_t")
        x("INSERT INTO view_entity_articles SELECT * FROM _sum_copy_e")
        for t in ("_sum_copy_t", "_sum_copy_e", "_sum_copy_a"):
            x(f"DROP TABLE {t}")
    # view_pairs moves by (new pairs - old pairs) of the recomputed articles
    x("CREATE TEMP TABLE _sum_pair_delta (entity_a VARCHAR, entity_b VARCHAR, sentences BIGINT, articles BIGINT)")
    if full_old:
        x("INSERT INTO _sum_pair_delta SELECT entity_a, entity_b, -sentences, -1 FROM view_article_pairs "
          f"WHERE article_id {old_full}")
        x(f"DELETE FROM view_article_pairs WHERE article_id {old_full}")
    # The per-article rows are computed CHUNK touched articles at a time: a one-batch load of a million
    # articles ran DuckDB out of memory (1 GB writer limit) in the article-pairs aggregate when it ran over all
    # of them at once. Each statement below reads _sum_touched, so it is narrowed to one chunk in turn.
    full = [(fresh, n) for fresh, n in x("SELECT fresh, count(*) FROM _sum_touched_all WHERE kind = 'full' "
                                          "GROUP BY fresh ORDER BY fresh").fetchall()]
    base = {"claims": "claims", "mentions": "mentions", "transfers": "transfers", "claim_denials": "claim_denials",
            "person_roles": "person_roles", "agreement_claims": "agreement_claims",
            "agreement_provisions": "agreement_provisions", "articles": "articles", "denied_transfers": "transfers",
            "va": "_sum_va"}
    agreements_mark = {"view_agreement_claims": x("SELECT count(*) FROM view_agreement_claims").scalar()}
    try:
        for fresh, n in full:
            sources = dict(base)
            if fresh:  # this batch's records: their facts are among the rows it appended
                for t in ("claims", "mentions", "transfers", "claim_denials", "person_roles", "agreement_claims",
                          "agreement_provisions"):
                    sources[t] = _since(t, marks)
                _fresh_lookups(conn, marks)
                sources["articles"], sources["denied_transfers"] = "_sum_art", "_sum_dt"
            # the 'full' rows, numbered fresh last (n), are taken CHUNK at a time
            lo0 = x("SELECT coalesce(min(n), 0) FROM _sum_touched_all WHERE kind = 'full' AND fresh = ?",
                    (fresh,)).scalar()
            for lo in range(lo0, lo0 + n, CHUNK):
                x("CREATE OR REPLACE TEMP TABLE _sum_touched AS SELECT article_id FROM _sum_touched_all "
                  f"WHERE kind = 'full' AND fresh = ? AND n >= {lo} AND n < {min(lo + CHUNK, lo0 + n)}", (fresh,))
                x(ARTICLES_SQL.format(**sources))
                x(f"CREATE OR REPLACE TEMP TABLE _sum_va AS SELECT * FROM _sum_state WHERE article_id {_TOUCHED}")
                x(CLAIMS_SQL.format(**sources))
                x(TRANSFERS_SQL.format(**sources))
                x(DENIALS_SQL.format(**sources))
                x(ENTITY_ARTICLES_SQL.format(**sources))
                x(ARTICLE_PAIRS_SQL.format(**sources))
                x(ROLES_SQL.format(**sources))
                x(AGREEMENT_CLAIMS_SQL.format(**sources))
                x(AGREEMENT_PROVISIONS_SQL.format(**sources))
                # the rows just appended (their old rows are deleted)
                x("INSERT INTO _sum_pair_delta SELECT entity_a, entity_b, sentences, 1 FROM "
                  f"{_since('view_article_pairs', pairs_mark)} WHERE article_id {_TOUCHED}")
    finally:
        for t in ("_sum_touched", "_sum_va", "_sum_art", "_sum_dt"):
            x(f"DROP TABLE IF EXISTS {t}")
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
    # the agreements whose reports changed: those of the old rows (above) and of the new ones
    x("INSERT INTO _sum_agreements SELECT agreement_id FROM "
      f"{_since('view_agreement_claims', agreements_mark)} WHERE article_id IN "
      "(SELECT article_id FROM _sum_touched_all WHERE kind = 'full')")
    x("DELETE FROM view_agreements WHERE agreement_id IN (SELECT agreement_id FROM _sum_agreements)")
    x(AGREEMENTS_SQL)
    x("DROP TABLE _sum_agreements")
    _answers_after(conn, answers_mark)


_ANSWER_TEMPS = ("_sum_flows", "_sum_cc", "_sum_ca", "_sum_ct", "_sum_claimant_delta", "_sum_predicate_delta",
                 "_sum_subject_delta", "_sum_cd", "_sum_stories")
# a flow: transfer_flows' grain (figure_disagreements' without the unit; exchanges sums its flows)
_FLOW = "supplier_id, recipient_id, item_category"
_NOT_DISTINCT = "{a}.claimant_id IS NOT DISTINCT FROM {b}.claimant_id"


def _answers_before(conn: sa.Connection, full_old: int, story: int) -> dict[str, int]:
    """Revision 0012's summaries, first half (before the touched articles' old rows go): the flows, stories and
    claimants those rows hold. Returns where view_transfers, view_claims and view_articles end."""
    x = conn.exec_driver_sql
    for t in _ANSWER_TEMPS:
        x(f"DROP TABLE IF EXISTS {t}")
    mark_ = {t: x(f"SELECT count(*) FROM {t}").scalar() for t in ("view_transfers", "view_claims", "view_articles")}
    # the stories the touched articles leave (their publishers' rows of view_source_stories are recomputed)
    x("CREATE TEMP TABLE _sum_stories AS SELECT story_id FROM view_articles "
      "WHERE article_id IN (SELECT article_id FROM _sum_touched_all WHERE had_rows)")
    x(f"CREATE TEMP TABLE _sum_flows AS SELECT {_FLOW} FROM view_flows LIMIT 0")
    x("CREATE TEMP TABLE _sum_claimant_delta AS SELECT claimant_id, "
      + ", ".join(f"{c}" for c in _CLAIMANT_COUNTS) + " FROM view_claimants LIMIT 0")
    x("CREATE TEMP TABLE _sum_predicate_delta AS SELECT * FROM view_claimant_predicates LIMIT 0")
    x("CREATE TEMP TABLE _sum_subject_delta AS SELECT * FROM view_claimant_subjects LIMIT 0")
    old_full = "IN (SELECT article_id FROM _sum_touched_all WHERE had_rows AND kind = 'full')"
    moved = "IN (SELECT article_id FROM _sum_touched_all WHERE had_rows AND kind = 'full' OR kind = 'story')"
    if full_old or story:
        # their flows (a new story changes a flow's stories and independent sources). The flows of their denials
        # (view_flow_denials) are among them: a record's denials name claims of the same record (warehouse/records.py)
        x(f"INSERT INTO _sum_flows SELECT DISTINCT {_FLOW} FROM view_transfers WHERE article_id {moved}")
    if full_old:
        old = f"(SELECT * FROM view_claims WHERE article_id {old_full})"
        for sql in (CLAIMANT_DELTA_SQL, CLAIMANT_PREDICATE_DELTA_SQL, CLAIMANT_SUBJECT_DELTA_SQL):
            x(sql.format(sign=-1, vc=old))
    return mark_


def _answers_after(conn: sa.Connection, mark_: dict[str, int]) -> None:
    """Revision 0012's summaries, second half: add the flows, stories and claimants of the touched articles' new
    rows; recompute view_flows and view_figure_flows for the flows found, view_contested for the touched articles,
    view_source_stories for the stories found and view_sources from it; move view_claimants (and its predicates
    and subjects) by the difference of the old and new counted claims."""
    x = conn.exec_driver_sql
    full = "IN (SELECT article_id FROM _sum_touched_all WHERE kind = 'full')"
    x(f"INSERT INTO _sum_flows SELECT DISTINCT {_FLOW} FROM {_since('view_transfers', mark_)}")  # denials: above
    new = f"(SELECT * FROM {_since('view_claims', mark_)} WHERE article_id {full})"
    for sql in (CLAIMANT_DELTA_SQL, CLAIMANT_PREDICATE_DELTA_SQL, CLAIMANT_SUBJECT_DELTA_SQL):
        x(sql.format(sign=1, vc=new))
    # the flows
    x(f"CREATE OR REPLACE TEMP TABLE _sum_flows AS SELECT DISTINCT {_FLOW} FROM _sum_flows")
    same = " AND ".join(f"v.{c} = f.{c}" for c in _FLOW.split(", "))
    x(f"DELETE FROM view_flows v USING _sum_flows f WHERE {same}")
    x(f"DELETE FROM view_figure_flows v USING _sum_flows f WHERE {same}")
    vt = f"(SELECT t.* FROM view_transfers t SEMI JOIN _sum_flows f USING ({_FLOW}))"
    vfd = f"(SELECT t.* FROM view_flow_denials t SEMI JOIN _sum_flows f USING ({_FLOW}))"
    x(FLOWS_SQL.format(vt=vt, vfd=vfd))
    x(FIGURE_FLOWS_SQL.format(vt=vt))
    # the denied claims of the recomputed articles: a record's denials name claims of the same record
    # (warehouse/records.py), so a denied claim's row depends on its own article's counted claims only (its
    # stories count is 1; an article given a new story keeps its rows). Their rows of view_claims, view_articles
    # and view_transfers are the ones this refresh appended (rowid >= the marks): read from there, not from scans
    # of the whole tables (six million claims at 1,000,000 articles)
    x(f"DELETE FROM view_contested WHERE article_id {full}")
    x(f"CREATE TEMP TABLE _sum_cc AS SELECT * FROM {_since('view_claims', mark_)} WHERE article_id {full}")
    x(f"CREATE TEMP TABLE _sum_ca AS SELECT article_id, story_id FROM {_since('view_articles', mark_)} "
      f"WHERE article_id {full}")
    x(f"CREATE TEMP TABLE _sum_ct AS SELECT claim_id, supplier_id, recipient_id, item_category "
      f"FROM {_since('view_transfers', mark_)} WHERE article_id {full}")
    x(CONTESTED_SQL.format(
        cd="(SELECT * FROM claim_denials WHERE denial_claim_id IN (SELECT claim_id FROM _sum_cc))",
        vc="_sum_cc", va="_sum_ca", tr="_sum_ct"))
    # the stories the touched articles join or leave, then every publisher's sums
    x(f"INSERT INTO _sum_stories SELECT story_id FROM {_since('view_articles', mark_)} "
      "WHERE article_id IN (SELECT article_id FROM _sum_touched_all)")
    x("CREATE OR REPLACE TEMP TABLE _sum_stories AS SELECT DISTINCT story_id FROM _sum_stories")
    x("DELETE FROM view_source_stories WHERE story_id IN (SELECT story_id FROM _sum_stories)")
    x(SOURCE_STORIES_SQL.format(where="WHERE v.story_id IN (SELECT story_id FROM _sum_stories)"))
    x("DELETE FROM view_sources")
    x(SOURCES_SQL)
    # the claimants, moved by the difference
    sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in _CLAIMANT_COUNTS)
    x(f"CREATE TEMP TABLE _sum_cd AS SELECT claimant_id, {sums} FROM _sum_claimant_delta GROUP BY claimant_id")
    sets = ", ".join(f"{c} = v.{c} + d.{c}" for c in _CLAIMANT_COUNTS)
    x(f"UPDATE view_claimants v SET {sets} FROM _sum_cd d WHERE {_NOT_DISTINCT.format(a='v', b='d')}")
    cols = ", ".join(_CLAIMANT_COUNTS)
    x(f"INSERT INTO view_claimants (claimant_id, {cols}) SELECT d.claimant_id, "
      + ", ".join(f"d.{c}" for c in _CLAIMANT_COUNTS)
      + f" FROM _sum_cd d ANTI JOIN view_claimants v ON {_NOT_DISTINCT.format(a='v', b='d')}")
    for table, delta, col in (("view_claimant_predicates", "_sum_predicate_delta", "predicate"),
                              ("view_claimant_subjects", "_sum_subject_delta", "subject_id")):
        x(f"CREATE OR REPLACE TEMP TABLE {delta} AS SELECT claimant_id, {col}, sum(claims)::BIGINT AS claims "
          f"FROM {delta} GROUP BY ALL HAVING sum(claims) <> 0")
        on = f"{_NOT_DISTINCT.format(a='v', b='d')} AND v.{col} = d.{col}"
        x(f"UPDATE {table} v SET claims = v.claims + d.claims FROM {delta} d WHERE {on}")
        x(f"INSERT INTO {table} SELECT d.* FROM {delta} d ANTI JOIN {table} v ON {on}")
        x(f"DELETE FROM {table} WHERE claims <= 0")
    x("DELETE FROM view_claimants WHERE claims <= 0")
    # the lists of the claimants that moved
    x(f"""UPDATE view_claimants v SET predicates = l.predicates, subjects = l.subjects FROM (
    SELECT d.claimant_id, p.predicates, s.subjects FROM _sum_cd d
    LEFT JOIN (SELECT claimant_id, list_sort(list(predicate)) AS predicates FROM view_claimant_predicates
               GROUP BY claimant_id) p ON {_NOT_DISTINCT.format(a='p', b='d')}
    LEFT JOIN (SELECT claimant_id, list_sort(list(subject_id)) AS subjects FROM view_claimant_subjects
               GROUP BY claimant_id) s ON {_NOT_DISTINCT.format(a='s', b='d')}
) l WHERE {_NOT_DISTINCT.format(a='v', b='l')}""")
    for t in _ANSWER_TEMPS:
        x(f"DROP TABLE IF EXISTS {t}")
