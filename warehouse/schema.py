"""The warehouse schema: the one source of truth, as SQLAlchemy Core metadata.

The hand-written Alembic revisions in migrations/versions reproduce exactly this;
tests/test_migrations.py proves it by comparing DuckDB's information_schema for a
database built from this metadata with one built by the migrations.

Conventions
- Every key is text: content hashes or natural keys (``country:PRK``), never SERIAL
  (duckdb_engine turns Integer primary keys into SERIAL, which DuckDB rejects).
- CHECK constraints (and foreign keys, where kept) are declared here, at create time: DuckDB
  cannot add them later with ALTER TABLE.
- Keys only on the small tables (load_batches, item_categories, sources, entities,
  entity_aliases, sanctions_regimes). The tables that grow with the corpus (articles and every
  row hanging off one) have NOT NULL and CHECK constraints but no PRIMARY KEY, UNIQUE or
  FOREIGN KEY since revision 0008: DuckDB keeps an ART index behind each of those and rewrites
  a changed table's indexes whole at every checkpoint, so a daily load paid for the whole
  corpus. The loader guarantees what they enforced: ids are content hashes written once (a
  changed record's old rows are deleted first; shared rows are inserted with NOT EXISTS), and
  every reference is resolved before it is written; warehouse.integrity.problems() checks it
  (the tests run it after their loads).
- Fact tables (claims and the rows hanging off them) carry provenance: article,
  character span, quote, claimant, extractor name and version, load batch.
- Rows hanging off a claim (transfers, denials, role assertions, agreement links and
  provisions) reference it by claim_id: the loader writes claims and their children
  together and deletes them together.
"""

from __future__ import annotations

from duckdb_engine.datatypes import Struct
from sqlalchemy import (
    ARRAY,
    TIMESTAMP,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Double,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)

# An article_extractions.record_sha256 starting with this marks a record to be written again in
# full by the next load (after a downgrade, or an upgrade that adds fact tables: warehouse.migrate).
STALE_PREFIX = "stale:"

# Controlled vocabularies, shared with the record models and the CHECK constraints.
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
PUBLISHED_PRECISIONS = ("day", "month", "year", "unknown")
ENTITY_TYPES = (
    "country",
    "person",
    "organization",
    "international_body",
    "location",
    "weapon_system",
    "other",
)
PREDICATES = ("transfer", "agreement", "denial", "role", "accusation", "estimate", "event", "other")
STANCES = ("asserts", "denies")
HEDGES = ("confirmed", "reported", "alleged", "estimated", "speculative", "expected")
TRANSFER_STATUSES = (
    "delivered",
    "ongoing",
    "promised",
    "planned",
    "ordered",
    "requested",
    "alleged",
    "denied",
)
ITEM_CATEGORIES = (
    "artillery_ammunition",
    "munitions",
    "ballistic_missiles",
    "missiles",
    "air_defense",
    "drones",
    "aircraft",
    "armored_vehicles",
    "small_arms",
    "naval_vessels",
    "troops",
    "workers",
    "oil",
    "technology",
    "food",
    "money",
    "weapons",
    "other",
)
AGREEMENT_KINDS = ("treaty", "pact", "deal", "memorandum", "arms_deal", "other")
AGREEMENT_STATUSES = ("proposed", "announced", "signed", "in_force", "rumoured", "denied")
BATCH_OUTCOMES = ("running", "ok", "failed", "dry_run")
SANCTION_DIRECTIONS = ("to_target", "from_target", "both")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = MetaData()

load_batches = Table(
    "load_batches",
    metadata,
    Column("batch_id", Text, primary_key=True),
    Column("command", Text, nullable=False),
    Column("inputs", Text, nullable=False),  # JSON list of paths
    Column("started_at", TIMESTAMP, nullable=False),
    Column("finished_at", TIMESTAMP),
    Column("outcome", Text, nullable=False),
    Column("rows_json", Text),  # JSON object: table -> rows inserted
    Column("error", Text),
    Column("tool_version", Text, nullable=False),
    CheckConstraint(_in("outcome", BATCH_OUTCOMES), name="ck_load_batches_outcome"),
)

item_categories = Table(
    "item_categories",
    metadata,
    Column("category", Text, primary_key=True),
    # Arms embargoes name "weapons"; every military category has it as parent.
    Column("parent", Text),
    Column("description", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("source_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),  # wire, broadcaster, outlet, aggregator, unknown
    Column("url", Text),
)

articles = Table(
    "articles",
    metadata,
    Column("article_id", Text, nullable=False),  # first 16 hex of sha256(cleaned_text)
    Column("text_sha256", Text, nullable=False),
    Column("source_id", Text),
    Column("title", Text),
    Column("url", Text),
    Column("dateline", Text),
    Column("published_on", Date),
    Column("published_precision", Text, nullable=False),
    Column("raw_text", Text, nullable=False),
    Column("cleaned_text", Text, nullable=False),
    Column("origin_file", Text),
    Column("ingested_at", TIMESTAMP, nullable=False),
    Column("batch_id", Text, nullable=False),
    CheckConstraint(_in("published_precision", PUBLISHED_PRECISIONS), name="ck_articles_precision"),
)

entities = Table(
    "entities",
    metadata,
    Column("entity_id", Text, primary_key=True),  # country:PRK, person:kim-jong-un, system:patriot
    Column("entity_type", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("country_code", Text),  # ISO 3166-1 alpha-3, countries only
    # Affiliation (Pyongyang -> country:PRK). Checked by the loader, not by a FK: DuckDB
    # checks foreign keys per statement, and a bulk insert may hold both ends.
    Column("parent_id", Text),
    Column("origin", Text, nullable=False),  # reference, record, new
    Column("is_new", Boolean, nullable=False),  # created by a load, needs review
    Column("batch_id", Text),
    CheckConstraint(_in("entity_type", ENTITY_TYPES), name="ck_entities_type"),
    CheckConstraint("(entity_type = 'country') = (country_code IS NOT NULL)", name="ck_entities_country_code"),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("alias_key", Text, nullable=False),  # normalize.alias_key(alias)
    Column("entity_id", Text, ForeignKey("entities.entity_id"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("alias_kind", Text, nullable=False),  # name, short_name, demonym, capital, abbreviation, ...
    Column("origin", Text, nullable=False),
    # every surface form is kept; resolution goes through alias_key
    PrimaryKeyConstraint("entity_id", "alias", name="pk_entity_aliases"),
)

article_extractions = Table(
    "article_extractions",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("extractor", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("record_sha256", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
    # sha256 of the record's bytes as read (NULL: made in memory); a re-load skips inputs
    # whose bytes it has loaded before without parsing them (revision 0003)
    Column("input_sha256", Text),
)

# A page's or feed entry's byline, as given (revision 0007). Its own table: DuckDB cannot add a
# column to articles, which other tables reference.
article_authors = Table(
    "article_authors",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("author", Text, nullable=False),
)

# Which record of an article the views count (revision 0005): the curated record when there is
# one, else the most recently loaded extraction. Maintained by the loader for the articles each
# batch touches; records that are not current stay (for evaluation) but no view counts them.
current_records = Table(
    "current_records",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("extractor", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
)

# Near-duplicates and stories (revision 0006; warehouse/stories.py). Signatures and LSH band keys
# are written once per new article; article_lsh has no key or index on purpose: a batch joins its
# own articles' keys against it (a hash join), and an ART index would be rewritten at every checkpoint.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("dup_sig", LargeBinary, nullable=False),  # MinHash of word 5-gram shingles, uint32 values
    Column("names", Text),  # the names and figures of the text, one per line (same-story check)
    Column("published_on", Date),  # day-precision publication date only (else NULL)
    Column("source_id", Text),
)

# article_lsh holds the rows of the buckets of at most stories.MAX_BUCKET articles; a bucket that
# passes it is recorded in article_lsh_full and its rows leave article_lsh (revision 0010): a bucket
# only grows, so it can never give a candidate again, and a batch's scan reads the small buckets only.
article_lsh = Table(
    "article_lsh",
    metadata,
    Column("band", SmallInteger, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("article_id", Text, nullable=False),
)

article_lsh_full = Table(
    "article_lsh_full",
    metadata,
    Column("band", SmallInteger, nullable=False),
    Column("bucket", BigInteger, nullable=False),
)

article_links = Table(
    "article_links",
    metadata,
    Column("article_a", Text, nullable=False),  # article_a < article_b
    Column("article_b", Text, nullable=False),
    Column("relation", Text, nullable=False),
    Column("score", Double, nullable=False),
    CheckConstraint("relation IN ('duplicate', 'same_story')", name="ck_article_links_relation"),
)

article_stories = Table(
    "article_stories",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("story_id", Text, nullable=False),
    # a later copy of this article by the same publisher (an update): this one is counted by no view
    Column("superseded_by", Text),
)

stories = Table(
    "stories",
    metadata,
    Column("story_id", Text, nullable=False),  # 'sty_' + the id of the story's earliest article
    Column("first_published", Date),
    Column("articles", Integer, nullable=False),
    Column("publishers", Integer, nullable=False),
    Column("original_publisher", Text),  # the source of the earliest article
    Column("title", Text),
)

mentions = Table(
    "mentions",
    metadata,
    Column("mention_id", Text, nullable=False),
    Column("article_id", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("surface", Text, nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("extractor", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
    CheckConstraint("start_char >= 0 AND end_char > start_char", name="ck_mentions_span"),
)

claims = Table(
    "claims",
    metadata,
    Column("claim_id", Text, nullable=False),
    Column("article_id", Text, nullable=False),
    Column("record_key", Text, nullable=False),  # the claim's key inside its record
    Column("claimant_id", Text),  # NULL: unattributed
    Column("predicate", Text, nullable=False),
    Column("subject_id", Text),
    Column("object_id", Text),
    Column("stance", Text, nullable=False),
    Column("hedge", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("event_date", Date),
    Column("event_date_precision", Text, nullable=False),
    Column("date_text", Text),
    Column("summary", Text),
    Column("extractor", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
    CheckConstraint(_in("predicate", PREDICATES), name="ck_claims_predicate"),
    CheckConstraint(_in("stance", STANCES), name="ck_claims_stance"),
    CheckConstraint(_in("hedge", HEDGES), name="ck_claims_hedge"),
    CheckConstraint(_in("event_date_precision", DATE_PRECISIONS), name="ck_claims_date_precision"),
    CheckConstraint("start_char >= 0 AND end_char > start_char", name="ck_claims_span"),
)

claim_denials = Table(
    "claim_denials",
    metadata,
    Column("denial_claim_id", Text, nullable=False),
    Column("denied_claim_id", Text, nullable=False),
)

transfers = Table(
    "transfers",
    metadata,
    Column("transfer_id", Text, nullable=False),
    Column("claim_id", Text, nullable=False),
    Column("supplier_id", Text, nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("item_category", Text, nullable=False),
    Column("system_id", Text),
    Column("quantity_low", Double),
    Column("quantity_high", Double),
    Column("quantity_unit", Text),
    Column("quantity_qualifier", Text),
    Column("quantity_text", Text),
    Column("status", Text, nullable=False),
    Column("period_text", Text),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("value_amount", Double),  # 0004: the deal's value as written, in value_currency
    Column("value_currency", Text),
    Column("value_text", Text),
    CheckConstraint(_in("status", TRANSFER_STATUSES), name="ck_transfers_status"),
    CheckConstraint(
        "(quantity_low IS NULL OR quantity_low >= 0) AND (quantity_high IS NULL OR quantity_high >= 0) "
        "AND (quantity_low IS NULL OR quantity_high IS NULL OR quantity_low <= quantity_high)",
        name="ck_transfers_quantity",
    ),
)

agreements = Table(
    "agreements",
    metadata,
    Column("agreement_id", Text, nullable=False),  # natural key, e.g. agreement:rus-prk-csp-2024
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("signed_on", Date),
    Column("signed_precision", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
    CheckConstraint(_in("kind", AGREEMENT_KINDS), name="ck_agreements_kind"),
    CheckConstraint(_in("status", AGREEMENT_STATUSES), name="ck_agreements_status"),
    CheckConstraint(_in("signed_precision", DATE_PRECISIONS), name="ck_agreements_precision"),
)

agreement_parties = Table(
    "agreement_parties",
    metadata,
    Column("agreement_id", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
)

agreement_claims = Table(
    "agreement_claims",
    metadata,
    Column("agreement_id", Text, nullable=False),
    Column("claim_id", Text, nullable=False),
)

agreement_provisions = Table(
    "agreement_provisions",
    metadata,
    Column("provision_id", Text, nullable=False),
    Column("agreement_id", Text, nullable=False),
    Column("claim_id", Text, nullable=False),
    Column("provision", Text, nullable=False),
)

person_roles = Table(
    "person_roles",
    metadata,
    Column("role_assertion_id", Text, nullable=False),
    Column("claim_id", Text, nullable=False),
    Column("person_id", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("organization_id", Text),
)

sanctions_regimes = Table(
    "sanctions_regimes",
    metadata,
    Column("regime_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("authority", Text, nullable=False),
    Column("resolution", Text, nullable=False),
    Column("target_id", Text, ForeignKey("entities.entity_id"), nullable=False),
    Column("direction", Text, nullable=False),
    Column("item_category", Text, ForeignKey("item_categories.category"), nullable=False),
    Column("cap", Double),  # NULL: total ban
    Column("cap_unit", Text),
    Column("period", Text),  # per_year, ...
    Column("since", Date),
    Column("notes", Text),
    CheckConstraint(_in("direction", SANCTION_DIRECTIONS), name="ck_sanctions_direction"),
    UniqueConstraint("authority", "resolution", "target_id", "item_category", "direction", name="uq_sanctions_scope"),
)

# Summary tables the canned views read (revision 0009; warehouse/summaries.py): derived from the
# tables above, kept by the loader for the articles each batch touches (warehouse.summaries.refresh).
# No foreign keys: they are rewritten, never referenced. view_claims, view_entity_articles and view_article_pairs
# have no key on purpose (several rows per article; a batch deletes and inserts its articles' rows: an ART index
# would be rewritten).
view_articles = Table(
    "view_articles",
    metadata,
    Column("article_id", Text, nullable=False),  # unique: warehouse/integrity.py (no index, revision 0009)
    Column("source_id", Text),
    Column("published_on", Date),
    Column("story_id", Text, nullable=False),
    Column("original_publisher", Text),
    Column("counted_extractor", Text),  # NULL: no record, or superseded (counted by no view)
    Column("record_version", Text),
    Column("batch_id", Text),
    Column("claims", BigInteger, nullable=False),
    Column("transfers", BigInteger, nullable=False),
)

view_claims = Table(  # the counted claims: claims of each view_articles.counted_extractor record (current_claims)
    "view_claims",
    metadata,
    Column("claim_id", Text, nullable=False),
    Column("article_id", Text, nullable=False),
    Column("record_key", Text, nullable=False),
    Column("claimant_id", Text),
    Column("predicate", Text, nullable=False),
    Column("subject_id", Text),
    Column("object_id", Text),
    Column("stance", Text, nullable=False),
    Column("hedge", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("event_date", Date),
    Column("event_date_precision", Text, nullable=False),
    Column("date_text", Text),
    Column("summary", Text),
    Column("extractor", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("batch_id", Text, nullable=False),
)

view_transfers = Table(
    "view_transfers",
    metadata,
    Column("transfer_id", Text, nullable=False),  # unique: warehouse/integrity.py
    Column("claim_id", Text, nullable=False),
    Column("article_id", Text, nullable=False),
    Column("article_title", Text),
    Column("source_id", Text),
    Column("published_on", Date),
    Column("published_precision", Text, nullable=False),
    Column("supplier_id", Text, nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("item_category", Text, nullable=False),
    Column("system_id", Text),
    Column("quantity_low", Double),
    Column("quantity_high", Double),
    Column("quantity_unit", Text),
    Column("quantity_qualifier", Text),
    Column("quantity_text", Text),
    Column("value_amount", Double),
    Column("value_currency", Text),
    Column("value_text", Text),
    Column("status", Text, nullable=False),
    Column("claimant_id", Text),
    Column("stance", Text, nullable=False),
    Column("hedge", Text, nullable=False),
    Column("event_date", Date),
    Column("event_date_precision", Text, nullable=False),
    Column("date_text", Text),
    Column("period_text", Text),
    Column("quote", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("extractor", Text, nullable=False),
    Column("extractor_version", Text, nullable=False),
    Column("story_id", Text, nullable=False),
    Column("original_publisher", Text),
)

view_flow_denials = Table(
    "view_flow_denials",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("supplier_id", Text, nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("item_category", Text, nullable=False),
    Column("claimant_id", Text, nullable=False),
)

view_entity_articles = Table(
    "view_entity_articles",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("mentions", BigInteger, nullable=False),
    Column("story_id", Text, nullable=False),
    Column("published_on", Date),
)

view_article_pairs = Table(
    "view_article_pairs",
    metadata,
    Column("article_id", Text, nullable=False),
    Column("entity_a", Text, nullable=False),  # entity_a < entity_b
    Column("entity_b", Text, nullable=False),
    Column("sentences", BigInteger, nullable=False),
)

view_pairs = Table(
    "view_pairs",
    metadata,
    Column("entity_a", Text, nullable=False),
    Column("entity_b", Text, nullable=False),
    Column("sentences", BigInteger, nullable=False),
    Column("articles", BigInteger, nullable=False),  # (entity_a, entity_b) unique: warehouse/integrity.py
)

# Revision 0011: what role_assertions, agreements_overview and timeline read, so that a question about one person,
# agreement or article filters one narrow table instead of joining every claim (view_claims) by claim_id.
view_roles = Table(  # the roles of the counted claims (person_roles of view_claims), with their claim's article
    "view_roles",
    metadata,
    Column("person_id", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("organization_id", Text),
    Column("article_id", Text, nullable=False),
    Column("published_on", Date),
    Column("claimant_id", Text),
    Column("claim_id", Text, nullable=False),
    Column("quote", Text, nullable=False),
)

view_agreement_claims = Table(  # the counted claims reporting an agreement (agreement_claims of view_claims)
    "view_agreement_claims",
    metadata,
    Column("agreement_id", Text, nullable=False),
    Column("claim_id", Text, nullable=False),
    Column("article_id", Text, nullable=False),
)

view_agreement_provisions = Table(  # the provisions of the counted claims (agreement_provisions of view_claims)
    "view_agreement_provisions",
    metadata,
    Column("agreement_id", Text, nullable=False),
    Column("provision", Text, nullable=False),
    Column("article_id", Text, nullable=False),
)

view_agreements = Table(  # per agreement reported by a counted claim: its reports, articles and first article
    "view_agreements",
    metadata,
    Column("agreement_id", Text, nullable=False),  # unique: warehouse/integrity.py
    Column("reports", BigInteger, nullable=False),
    Column("articles", BigInteger, nullable=False),
    Column("article_id", Text, nullable=False),  # the first article reporting it (the least id: timeline)
)

# Revision 0012: what the questions about one flow, one denied claim or one claimant read, pre-aggregated. A filter
# on supplier_id cannot skip row groups of view_transfers (DuckDB's string zone maps keep an 8-byte prefix, and
# every entity id starts "country:" or alike), so one supplier's flows were aggregated from a scan of every
# counted transfer; these tables hold one row per answer, recomputed (flows, denied claims) or moved by the
# difference of the touched articles' old and new rows (claimants) by warehouse.summaries.refresh.
VALUE_TOTAL = Struct({"currency": Text, "total": Double, "reports": BigInteger})
FIGURE = Struct({"low": Double, "high": Double, "qualifier": Text, "status": Text, "claimant": Text,
                 "article_id": Text, "quote": Text})

view_flows = Table(  # one row per (supplier_id, recipient_id, item_category) of view_transfers: transfer_flows
    "view_flows",
    metadata,
    Column("supplier_id", Text, nullable=False),  # the three unique: warehouse/integrity.py
    Column("recipient_id", Text, nullable=False),
    Column("item_category", Text, nullable=False),
    Column("reports", BigInteger, nullable=False),
    Column("articles", BigInteger, nullable=False),
    Column("publishers", BigInteger, nullable=False),
    Column("quantity_min", Double),
    Column("quantity_max", Double),
    Column("quantity_unit", Text),
    Column("statuses", ARRAY(Text)),
    Column("claimants", ARRAY(Text)),
    Column("denied_by", ARRAY(Text)),
    Column("first_published", Date),
    Column("last_published", Date),
    Column("value_totals", ARRAY(VALUE_TOTAL)),
    Column("stories", BigInteger, nullable=False),
    Column("independent_sources", BigInteger, nullable=False),
)

view_figure_flows = Table(  # one row per disputed (flow, quantity_unit): figure_disagreements without names
    "view_figure_flows",
    metadata,
    Column("supplier_id", Text, nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("item_category", Text, nullable=False),
    Column("quantity_unit", Text, nullable=False),
    Column("figures", ARRAY(FIGURE)),
    Column("distinct_figures", BigInteger, nullable=False),
    Column("sources", BigInteger, nullable=False),
    Column("stories", BigInteger, nullable=False),
    Column("lowest", Double),
    Column("highest", Double),
)

view_contested = Table(  # one row per counted claim a counted claim denies: contested_claims without names
    "view_contested",
    metadata,
    Column("claim_id", Text, nullable=False),
    Column("predicate", Text, nullable=False),
    Column("article_id", Text, nullable=False),
    Column("claimant_id", Text),
    Column("supplier_id", Text),
    Column("recipient_id", Text),
    Column("item_category", Text),
    Column("quote", Text, nullable=False),
    Column("denied_by", ARRAY(Text)),
    Column("denial_quotes", ARRAY(Text)),
    Column("articles", ARRAY(Text)),
    Column("stories", BigInteger),
)

view_claimants = Table(  # one row per claimant of the counted claims (NULL: unattributed): claimant_activity/_states
    "view_claimants",
    metadata,
    Column("claimant_id", Text),
    Column("claims", BigInteger, nullable=False),
    Column("assertions", BigInteger, nullable=False),
    Column("denials", BigInteger, nullable=False),
    Column("hedged", BigInteger, nullable=False),
    Column("transfer_claims", BigInteger, nullable=False),
    Column("agreement_claims", BigInteger, nullable=False),
    Column("articles", BigInteger, nullable=False),
    Column("predicates", ARRAY(Text)),
    Column("subjects", ARRAY(Text)),
)

view_claimant_predicates = Table(  # counted claims per (claimant, predicate): view_claimants.predicates
    "view_claimant_predicates",
    metadata,
    Column("claimant_id", Text),
    Column("predicate", Text, nullable=False),
    Column("claims", BigInteger, nullable=False),
)

view_claimant_subjects = Table(  # counted claims per (claimant, subject): view_claimants.subjects
    "view_claimant_subjects",
    metadata,
    Column("claimant_id", Text),
    Column("subject_id", Text, nullable=False),
    Column("claims", BigInteger, nullable=False),
)

view_source_stories = Table(  # per (publisher, story) of view_articles: its articles, claims, transfers and dates
    "view_source_stories",
    metadata,
    Column("publisher", Text, nullable=False),  # the source's name, 'unknown' without one (source_coverage)
    Column("story_id", Text, nullable=False),  # (publisher, story_id) unique: warehouse/integrity.py
    Column("source_id", Text),
    Column("articles", BigInteger, nullable=False),
    Column("claims", BigInteger, nullable=False),
    Column("transfers", BigInteger, nullable=False),
    Column("first_published", Date),
    Column("last_published", Date),
)

view_sources = Table(  # one row per publisher: source_coverage, summed from view_source_stories
    "view_sources",
    metadata,
    Column("publisher", Text, nullable=False),  # unique: warehouse/integrity.py
    Column("source_id", Text),
    Column("articles", BigInteger, nullable=False),
    Column("stories", BigInteger, nullable=False),
    Column("claims", BigInteger, nullable=False),
    Column("transfers", BigInteger, nullable=False),
    Column("first_published", Date),
    Column("last_published", Date),
)

# Tables holding facts loaded from records, children before parents (delete order).
FACT_TABLES_DELETE_ORDER = (
    "claim_denials",
    "agreement_claims",
    "agreement_provisions",
    "person_roles",
    "transfers",
    "claims",
    "mentions",
)
