"""DuckDB's own load of a records JSONL file: the lower bound the library load is compared with.

One transaction of SQL only: ``read_json`` parses the file once into a temporary table,
and ``INSERT ... SELECT`` over ``unnest`` fills the same tables the library fills
(sources, articles, entities, entity_aliases, mentions, claims, claim_denials, transfers,
person_roles, agreements, agreement_parties, agreement_claims, agreement_provisions,
article_extractions, plus a load_batches row), with the same kinds of content hashes as
ids (sha256 in SQL). No Python touches a row.

What it leaves out, which is why it is a lower bound rather than an equivalent:
- no validation beyond DuckDB's types and the tables' constraints (the library checks
  every field, every reference and that each quote equals the text at its span);
- entities are resolved by id only: an unknown id becomes a new entity (the library
  also tries the name and aliases against entity_aliases). On the synthetic corpus both
  give the same rows, and the benchmark checks that the per-table counts agree;
- claim ids hash DuckDB's JSON of the claim rather than pydantic's, so they differ from
  the library's ids (mention and article ids are the same); record_sha256 likewise.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse import __version__
from warehouse.ingest import KNOWN_PUBLISHERS

RECORD_COLUMNS = {
    "record_version": "VARCHAR",
    "extractor": "STRUCT(name VARCHAR, version VARCHAR)",
    "article": "STRUCT(id VARCHAR, origin_file VARCHAR, title VARCHAR, publisher VARCHAR, url VARCHAR, "
               "dateline VARCHAR, published VARCHAR, published_precision VARCHAR, text VARCHAR)",
    "entities": "STRUCT(id VARCHAR, type VARCHAR, name VARCHAR, aliases VARCHAR[], country_code VARCHAR, "
                "parent VARCHAR)[]",
    "mentions": 'STRUCT(entity VARCHAR, start INTEGER, "end" INTEGER, surface VARCHAR, sentence INTEGER)[]',
    "claims": 'STRUCT("key" VARCHAR, predicate VARCHAR, claimant VARCHAR, subject VARCHAR, object VARCHAR, '
              'stance VARCHAR, hedge VARCHAR, quote VARCHAR, start INTEGER, "end" INTEGER, date VARCHAR, '
              "date_precision VARCHAR, date_text VARCHAR, summary VARCHAR, "
              "transfer STRUCT(supplier VARCHAR, recipient VARCHAR, item VARCHAR, category VARCHAR, "
              "system VARCHAR, quantity STRUCT(low DOUBLE, high DOUBLE, unit VARCHAR, qualifier VARCHAR, "
              "text VARCHAR), status VARCHAR, period VARCHAR, period_start VARCHAR, period_end VARCHAR), "
              "role STRUCT(person VARCHAR, role VARCHAR, organization VARCHAR), agreement VARCHAR, "
              "provisions VARCHAR[], denies VARCHAR[])[]",
    "agreements": "STRUCT(id VARCHAR, name VARCHAR, kind VARCHAR, status VARCHAR, signed_on VARCHAR, "
                  "signed_precision VARCHAR, parties VARCHAR[])[]",
}

# warehouse.normalize.alias_key in SQL (exact for names without non-Latin letters).
_ALIAS_KEY = ("trim(regexp_replace(lower(strip_accents(regexp_replace({x}, '[''\u2019\u2018`\u02bc]', '', 'g'))), "
              "'[^a-z0-9]+', ' ', 'g'))")


def alias_key_sql(x: str) -> str:
    return _ALIAS_KEY.format(x=x)


def slug_sql(x: str) -> str:
    return f"coalesce(nullif(replace({alias_key_sql(x)}, ' ', '-'), ''), 'unnamed')"


def iso_date_sql(x: str) -> str:
    return (f"CAST(CASE length({x}) WHEN 4 THEN {x} || '-01-01' WHEN 7 THEN {x} || '-01' ELSE {x} END AS DATE)")


_MEN_PARTS = 'aid, ext, m.entity, m.start, m."end"'


def _short(parts: str) -> str:
    return f"left(sha256(concat_ws(chr(31), {parts})), 16)"


def native_statements(path: Path, batch_id: str) -> list[str]:
    cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in RECORD_COLUMNS.items()) + "}"
    kinds = ", ".join(f"('{name}', '{kind}')" for name, kind in {v[0]: v[1] for v in KNOWN_PUBLISHERS.values()}.items())
    p = str(path).replace("'", "''")
    return [
        # parse once
        f"CREATE TEMP TABLE _rec AS SELECT row_number() OVER () AS rn, left(sha256(article.text), 16) AS aid, "
        f"extractor.name AS ext, extractor.version AS ver, * "
        f"FROM read_json('{p}', format = 'newline_delimited', columns = {cols}, "
        f"maximum_object_size = 16777216)",
        # sources
        f"INSERT INTO sources (source_id, name, kind) "
        f"SELECT s.source_id, s.name, coalesce(k.kind, 'outlet') FROM ("
        f"  SELECT DISTINCT {slug_sql('article.publisher')} AS source_id, article.publisher AS name FROM _rec "
        f"  WHERE article.publisher IS NOT NULL) s "
        f"LEFT JOIN (VALUES {kinds}) k(name, kind) ON k.name = s.name "
        f"WHERE NOT EXISTS (SELECT 1 FROM sources t WHERE t.source_id = s.source_id)",
        # articles
        f"INSERT INTO articles (article_id, text_sha256, source_id, title, url, dateline, published_on, "
        f"published_precision, raw_text, cleaned_text, origin_file, ingested_at, batch_id) "
        f"SELECT aid, sha256(article.text), CASE WHEN article.publisher IS NOT NULL "
        f"THEN {slug_sql('article.publisher')} END, article.title, article.url, article.dateline, "
        f"{iso_date_sql('article.published')}, coalesce(article.published_precision, 'unknown'), article.text, "
        f"article.text, article.origin_file, now()::timestamp, '{batch_id}' FROM _rec r "
        f"WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = r.aid)",
        # entities: unknown ids are new
        "CREATE TEMP TABLE _ent AS SELECT rn, unnest(e) FROM (SELECT rn, unnest(entities) AS e FROM _rec)",
        f"INSERT INTO entities (entity_id, entity_type, name, country_code, parent_id, origin, is_new, batch_id) "
        f"SELECT DISTINCT ON (id) id, type, name, country_code, parent, 'record', true, '{batch_id}' FROM _ent e "
        f"WHERE NOT EXISTS (SELECT 1 FROM entities t WHERE t.entity_id = e.id)",
        f"INSERT INTO entity_aliases (alias_key, entity_id, alias, alias_kind, origin) "
        f"SELECT DISTINCT ON (id, alias) k, id, alias, kind, 'record' FROM ("
        f"  SELECT {alias_key_sql('name')} AS k, id, name AS alias, 'name' AS kind FROM _ent"
        f"  UNION ALL SELECT {alias_key_sql('a')}, id, a, 'record' FROM (SELECT id, unnest(aliases) AS a FROM _ent)"
        f") n WHERE k <> '' AND NOT EXISTS (SELECT 1 FROM entity_aliases t WHERE t.entity_id = n.id "
        f"AND t.alias = n.alias)",
        # mentions (same ids as the library)
        f"INSERT INTO mentions (mention_id, article_id, entity_id, start_char, end_char, surface, sentence_index, "
        f"extractor, extractor_version, batch_id) "
        f"SELECT 'men_' || {_short(_MEN_PARTS)}, aid, m.entity, m.start, m.\"end\", "
        f"m.surface, coalesce(m.sentence, 0), ext, ver, '{batch_id}' "
        f"FROM (SELECT aid, ext, ver, unnest(mentions) AS m FROM _rec)",
        # claims
        f"CREATE TEMP TABLE _clm AS SELECT rn, aid, ext, ver, c, "
        f"'clm_' || {_short('aid, ext, to_json(c)')} AS cid FROM (SELECT rn, aid, ext, ver, unnest(claims) AS c "
        f"FROM _rec)",
        f"INSERT INTO claims (claim_id, article_id, record_key, claimant_id, predicate, subject_id, object_id, "
        f"stance, hedge, quote, start_char, end_char, event_date, event_date_precision, date_text, summary, "
        f"extractor, extractor_version, batch_id) "
        f"SELECT cid, aid, c.key, c.claimant, c.predicate, c.subject, c.object, coalesce(c.stance, 'asserts'), "
        f"coalesce(c.hedge, 'reported'), c.quote, c.start, c.\"end\", {iso_date_sql('c.date')}, "
        f"coalesce(c.date_precision, 'unknown'), c.date_text, c.summary, ext, ver, '{batch_id}' FROM _clm",
        "INSERT INTO claim_denials (denial_claim_id, denied_claim_id) "
        "SELECT DISTINCT d.cid, x.cid FROM (SELECT rn, cid, unnest(c.denies) AS k FROM _clm) d "
        "JOIN _clm x ON x.rn = d.rn AND x.c.key = d.k",
        f"INSERT INTO transfers (transfer_id, claim_id, supplier_id, recipient_id, item, item_category, system_id, "
        f"quantity_low, quantity_high, quantity_unit, quantity_qualifier, quantity_text, status, period_text, "
        f"period_start, period_end) "
        f"SELECT 'trf_' || left(sha256(cid), 16), cid, t.supplier, t.recipient, t.item, t.category, t.system, "
        f"t.quantity.low, t.quantity.high, t.quantity.unit, t.quantity.qualifier, t.quantity.text, t.status, "
        f"t.period, {iso_date_sql('t.period_start')}, {iso_date_sql('t.period_end')} "
        f"FROM (SELECT cid, c.transfer AS t FROM _clm WHERE c.transfer IS NOT NULL)",
        "INSERT INTO person_roles (role_assertion_id, claim_id, person_id, role, organization_id) "
        "SELECT 'rol_' || left(sha256(cid), 16), cid, c.role.person, c.role.role, c.role.organization "
        "FROM _clm WHERE c.role IS NOT NULL",
        # agreements
        f"INSERT INTO agreements (agreement_id, name, kind, status, signed_on, signed_precision, batch_id) "
        f"SELECT DISTINCT ON (g.id) g.id, g.name, g.kind, g.status, {iso_date_sql('g.signed_on')}, "
        f"coalesce(g.signed_precision, 'unknown'), '{batch_id}' "
        f"FROM (SELECT unnest(agreements) AS g FROM _rec) "
        f"WHERE NOT EXISTS (SELECT 1 FROM agreements t WHERE t.agreement_id = g.id)",
        "INSERT INTO agreement_parties (agreement_id, entity_id) "
        "SELECT DISTINCT id, p FROM (SELECT g.id AS id, unnest(g.parties) AS p FROM "
        "(SELECT unnest(agreements) AS g FROM _rec)) n "
        "WHERE NOT EXISTS (SELECT 1 FROM agreement_parties t WHERE t.agreement_id = n.id AND t.entity_id = n.p)",
        "INSERT INTO agreement_claims (agreement_id, claim_id) "
        "SELECT DISTINCT c.agreement, cid FROM _clm WHERE c.agreement IS NOT NULL",
        f"INSERT INTO agreement_provisions (provision_id, agreement_id, claim_id, provision) "
        f"SELECT DISTINCT ON (pid) 'prv_' || {_short('a, cid, p')} AS pid, a, cid, p FROM "
        f"(SELECT c.agreement AS a, cid, unnest(c.provisions) AS p FROM _clm WHERE c.agreement IS NOT NULL)",
        # provenance of the extraction
        f"INSERT INTO article_extractions (article_id, extractor, extractor_version, record_sha256, batch_id) "
        f"SELECT aid, ext, ver, sha256(to_json({{'record_version': record_version, 'extractor': extractor, "
        f"'article': article, 'entities': entities, 'mentions': mentions, 'claims': claims, "
        f"'agreements': agreements}})), '{batch_id}' FROM _rec",
        # which record the views count (the library's loader keeps this table too): one per article
        f"INSERT INTO current_records (article_id, extractor, extractor_version, batch_id) "
        f"SELECT DISTINCT ON (aid) aid, ext, ver, '{batch_id}' FROM _rec ORDER BY aid, ext = 'curated' DESC, ext",
        "DROP TABLE _clm",
        "DROP TABLE _ent",
        "DROP TABLE _rec",
    ]


def native_load(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    """Load ``path`` with SQL only, in one transaction; returns rows inserted per table."""
    batch_id = f"batch_native_{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC).replace(tzinfo=None)
    rows: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO load_batches (batch_id, command, inputs, started_at, outcome, tool_version) "
            "VALUES (?, 'native-load', ?, ?, 'running', ?)", [batch_id, json.dumps([str(path)]), now, __version__])
        for sql in native_statements(path, batch_id):
            res = con.execute(sql).fetchall()
            if sql.startswith("INSERT INTO") and res:
                rows[sql.split()[2]] = rows.get(sql.split()[2], 0) + int(res[0][0])
        con.execute("UPDATE load_batches SET finished_at = ?, outcome = 'ok', rows_json = ? WHERE batch_id = ?",
                    [datetime.now(UTC).replace(tzinfo=None), json.dumps(rows, sort_keys=True), batch_id])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return rows
