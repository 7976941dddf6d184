"""Records -> warehouse -> the same facts back; idempotent, atomic, crash-safe loads."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import FACT_TABLES, ROLE_TABLE, WAREHOUSE_CMD, table_counts, table_rows, write_records
from factories import DELETE, TEXT, mini_record, mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warehouse import etl
from warehouse import schema as s
from warehouse.bulk import duck
from warehouse.db import writer
from warehouse.normalize import alias_key, article_id_for
from warehouse.records import ArticleRecord
from warehouse.schema import FACT_TABLES_DELETE_ORDER, metadata

# ---------------------------------------------------------------- reading facts back


@contextmanager
def connected(target):
    """A read-only DuckDB connection on a path (closed after), or the DuckDB connection given."""
    if isinstance(target, str | Path):
        con = duckdb.connect(str(target), read_only=True)
        try:
            yield con
        finally:
            con.close()
    else:
        yield target


def _fmt_date(value: date | None, precision: str) -> str | None:
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _iso_full(value: str | None) -> str | None:
    """The loader stores period_start/period_end as DATE (2024-06 -> 2024-06-01)."""
    if value is None:
        return None
    y, m, d = (value + "-01-01").split("-")[:3]
    return date(int(y), int(m), int(d)).isoformat()


def read_back(db, article_id: str, extractor: str = "curated") -> dict:
    """The facts the warehouse holds for one (article, extractor), in the record's shape."""
    with connected(db) as con:
        def q(sql: str, *params) -> list[tuple]:
            return con.execute(sql, list(params)).fetchall()

        (title, publisher, url, dateline, published_on, precision, text, origin), = q(
            "SELECT a.title, s.name, a.url, a.dateline, a.published_on, a.published_precision, a.cleaned_text, "
            "a.origin_file FROM articles a LEFT JOIN sources s USING (source_id) WHERE a.article_id = ?", article_id)
        article = {"title": title, "publisher": publisher, "url": url, "dateline": dateline,
                   "published": _fmt_date(published_on, precision), "published_precision": precision,
                   "text": text, "origin_file": origin}
        claims_rows = q(
            "SELECT claim_id, record_key, predicate, claimant_id, subject_id, object_id, stance, hedge, quote, "
            "start_char, end_char, event_date, event_date_precision, date_text, summary, extractor_version "
            "FROM claims WHERE article_id = ? AND extractor = ?", article_id, extractor)
        key_of = {r[0]: r[1] for r in claims_rows}
        claims = {}
        for (cid, key, pred, claimant, subj, obj, stance, hedge, quote, start, end, ev_date, ev_prec, date_text,
             summary, _version) in claims_rows:
            transfer = None
            trows = q("SELECT supplier_id, recipient_id, item, item_category, system_id, quantity_low, quantity_high, "
                      "quantity_unit, quantity_qualifier, quantity_text, status, period_text, period_start, "
                      "period_end FROM transfers WHERE claim_id = ?", cid)
            assert len(trows) <= 1
            if trows:
                sup, rec, item, cat, system, low, high, unit, qual, qtext, status, period, p_start, p_end = trows[0]
                quantity = None if all(v is None for v in (low, high, unit, qual, qtext)) else {
                    "low": low, "high": high, "unit": unit, "qualifier": qual, "text": qtext}
                transfer = {"supplier": sup, "recipient": rec, "item": item, "category": cat, "system": system,
                            "quantity": quantity, "status": status, "period": period,
                            "period_start": p_start.isoformat() if p_start else None,
                            "period_end": p_end.isoformat() if p_end else None}
            role = None
            rrows = q(f"SELECT person_id, role, organization_id FROM {ROLE_TABLE} WHERE claim_id = ?", cid)
            assert len(rrows) <= 1
            if rrows:
                role = {"person": rrows[0][0], "role": rrows[0][1], "organization": rrows[0][2]}
            agreements = [r[0] for r in q("SELECT agreement_id FROM agreement_claims WHERE claim_id = ?", cid)]
            assert len(agreements) <= 1
            provisions = q("SELECT agreement_id, provision FROM agreement_provisions WHERE claim_id = ?", cid)
            assert all(a in agreements for a, _ in provisions)
            denies = [key_of[r[0]] for r in q("SELECT denied_claim_id FROM claim_denials WHERE denial_claim_id = ?",
                                               cid)]
            claims[key] = {
                "key": key, "predicate": pred, "claimant": claimant, "subject": subj, "object": obj,
                "stance": stance, "hedge": hedge, "quote": quote, "start": start, "end": end,
                "date": _fmt_date(ev_date, ev_prec), "date_precision": ev_prec, "date_text": date_text,
                "summary": summary, "transfer": transfer, "role": role,
                "agreement": agreements[0] if agreements else None,
                "provisions": sorted(p for _, p in provisions), "denies": sorted(denies),
            }
        mentions = sorted(q("SELECT entity_id, start_char, end_char, surface, sentence_index FROM mentions "
                            "WHERE article_id = ? AND extractor = ?", article_id, extractor))
        agreement_ids = sorted({c["agreement"] for c in claims.values() if c["agreement"]})
        agreements = {}
        for aid in agreement_ids:
            (name, kind, status, signed_on, signed_prec), = q(
                "SELECT name, kind, status, signed_on, signed_precision FROM agreements WHERE agreement_id = ?", aid)
            parties = sorted(r[0] for r in q("SELECT entity_id FROM agreement_parties WHERE agreement_id = ?", aid))
            agreements[aid] = {"id": aid, "name": name, "kind": kind, "status": status,
                               "signed_on": _fmt_date(signed_on, signed_prec), "signed_precision": signed_prec,
                               "parties": parties}
        return {"article": article, "claims": claims, "mentions": mentions, "agreements": agreements}


def expected_facts(record: dict, mapping: dict[str, str] | None = None) -> dict:
    """What read_back should return for a record (entity ids through ``mapping``)."""
    rec = ArticleRecord.model_validate(record)
    mapping = mapping or {}

    def m(ref: str | None) -> str | None:
        return None if ref is None else mapping.get(ref, ref)

    a = rec.article
    article = {"title": a.title, "publisher": a.publisher, "url": a.url, "dateline": a.dateline,
               "published": a.published, "published_precision": a.published_precision, "text": a.text,
               "origin_file": a.origin_file}
    claims = {}
    for c in rec.claims:
        transfer = None
        if c.transfer is not None:
            t, qn = c.transfer, c.transfer.quantity
            transfer = {"supplier": m(t.supplier), "recipient": m(t.recipient), "item": t.item,
                        "category": t.category, "system": m(t.system),
                        "quantity": None if qn is None else {"low": qn.low, "high": qn.high, "unit": qn.unit,
                                                             "qualifier": qn.qualifier, "text": qn.text},
                        "status": t.status, "period": t.period, "period_start": _iso_full(t.period_start),
                        "period_end": _iso_full(t.period_end)}
        role = None if c.role is None else {"person": m(c.role.person), "role": c.role.role,
                                            "organization": m(c.role.organization)}
        claims[c.key] = {
            "key": c.key, "predicate": c.predicate, "claimant": m(c.claimant), "subject": m(c.subject),
            "object": m(c.object), "stance": c.stance, "hedge": c.hedge, "quote": c.quote, "start": c.start,
            "end": c.end, "date": c.date, "date_precision": c.date_precision, "date_text": c.date_text,
            "summary": c.summary, "transfer": transfer, "role": role, "agreement": c.agreement,
            "provisions": sorted(c.provisions), "denies": sorted(c.denies),
        }
    mentions = sorted((m(x.entity), x.start, x.end, x.surface, x.sentence) for x in rec.mentions)
    used = {c.agreement for c in rec.claims if c.agreement}
    agreements = {ag.id: {"id": ag.id, "name": ag.name, "kind": ag.kind, "status": ag.status,
                          "signed_on": ag.signed_on, "signed_precision": ag.signed_precision,
                          "parties": sorted({m(p) for p in ag.parties})}
                  for ag in rec.agreements if ag.id in used}
    return {"article": article, "claims": claims, "mentions": mentions, "agreements": agreements}


def orphans(db) -> dict[str, int]:
    """Rows hanging off a claim that is not there (must all be 0)."""
    with connected(db) as con:
        out = {}
        for table in FACT_TABLES_DELETE_ORDER:
            for col in ("claim_id", "denial_claim_id", "denied_claim_id"):
                if table != "claims" and col in metadata.tables[table].c:
                    out[f"{table}.{col}"] = con.execute(
                        f"SELECT count(*) FROM {table} WHERE {col} NOT IN (SELECT claim_id FROM claims)").fetchone()[0]
        return out


def batches(db: Path) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT * FROM load_batches ORDER BY started_at, batch_id")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def all_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table but load_batches, sorted (one connection)."""
    with connected(db) as con:
        out = {}
        for table in sorted(metadata.tables):
            if table != "load_batches":
                out[table] = sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        return out


def article_text(n: int) -> str:
    return f"Report {n}. " + TEXT


def record_n(n: int, extractor: str = "curated") -> dict:
    return mini_record(article_text(n), extractor=extractor)


def aid(record: dict) -> str:
    return article_id_for(record["article"]["text"])


# ---------------------------------------------------------------- round trip


def test_loaded_facts_equal_the_record(fresh_db, cli, tmp_path):
    rec = mini_record()
    res = cli("load", write_records(tmp_path / "mini.json", rec))
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("loaded 1 records (0 unchanged) in 1 batch(es): ")
    got = read_back(fresh_db, aid(rec))
    assert got == expected_facts(rec)
    # the facts are really there, not vacuously equal
    assert {c["predicate"] for c in got["claims"].values()} == {"transfer", "denial", "role", "agreement"}
    assert got["claims"]["d1"]["denies"] == ["t1"]
    assert got["claims"]["t1"]["transfer"]["quantity"]["low"] == 200
    assert orphans(fresh_db) == dict.fromkeys(orphans(fresh_db), 0)


def test_provenance_columns(fresh_db, cli, tmp_path):
    rec = mini_record()
    assert cli("load", write_records(tmp_path / "mini.json", rec)).exit_code == 0
    (batch,) = [b for b in batches(fresh_db) if b["outcome"] == "ok"]
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        rows = con.execute("SELECT DISTINCT extractor, extractor_version, batch_id FROM claims").fetchall()
        assert rows == [("curated", "1.0", batch["batch_id"])]
        (art,) = con.execute("SELECT article_id, text_sha256, batch_id, source_id FROM articles").fetchall()
        assert art[0] == aid(rec) and art[1].startswith(aid(rec)) and art[2] == batch["batch_id"]
        assert con.execute("SELECT name, kind FROM sources WHERE source_id = ?", [art[3]]).fetchall() == [
            ("Reuters", "wire")]
        (ext,) = con.execute("SELECT article_id, extractor, extractor_version, batch_id FROM article_extractions"
                             ).fetchall()
        assert ext == (aid(rec), "curated", "1.0", batch["batch_id"])
        # the new person is created once, flagged; reference countries are not duplicated
        assert con.execute("SELECT entity_type, name, origin, is_new, batch_id FROM entities "
                           "WHERE entity_id = 'person:jane-doe'").fetchall() == [
            ("person", "Jane Doe", "record", True, batch["batch_id"])]
        assert con.execute("SELECT origin, is_new FROM entities WHERE entity_id = 'country:IRN'").fetchall() == [
            ("reference", False)]
    finally:
        con.close()


# ---------------------------------------------------------------- idempotency


def test_loading_twice_changes_nothing(fresh_db, cli, tmp_path):
    path = write_records(tmp_path / "two.jsonl", record_n(1), record_n(2))
    first = cli("load", path)
    assert first.exit_code == 0, first.output
    before = all_rows(fresh_db)
    second = cli("load", path)
    assert second.exit_code == 0, second.output
    assert second.stdout == "loaded 2 records (2 unchanged) in 1 batch(es): no new rows\n"
    after = all_rows(fresh_db)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == before
    assert [b["outcome"] for b in batches(fresh_db)] == ["ok", "ok"]
    assert json.loads(batches(fresh_db)[-1]["rows_json"]) == {}


def test_same_record_in_two_files_is_loaded_once(fresh_db, cli, tmp_path):
    rec = record_n(1)
    a = write_records(tmp_path / "a.json", rec)
    b = write_records(tmp_path / "b.jsonl", rec)
    res = cli("load", a, b)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("loaded 1 records (0 unchanged)")
    assert read_back(fresh_db, aid(rec)) == expected_facts(rec)


def test_repeats_inside_a_record_are_written_once(fresh_db, cli, tmp_path):
    """A mention listed twice, a claim key denied twice, a provision given twice: one row each
    (the loader inserts a record's facts without checking the table, so it must dedupe them itself)."""
    plain = record_n(1)
    rec = mutate(plain, "mentions", plain["mentions"] * 2)
    rec = mutate(rec, "claims.1.denies", ["t1", "t1"])
    rec = mutate(rec, "claims.3.provisions", ["defence cooperation", "defence cooperation"])
    res = cli("load", write_records(tmp_path / "rep.json", rec))
    assert res.exit_code == 0, res.output
    counts = table_counts(fresh_db, ("mentions", "claim_denials", "agreement_provisions"))
    assert counts == {"mentions": len(plain["mentions"]), "claim_denials": 1, "agreement_provisions": 1}


def test_jsonl_lines_end_at_newline_only(fresh_db, cli, tmp_path):
    """JSON may hold a raw U+2028, U+0085 or form feed inside a string; a .jsonl line still ends only
    at "\n" (CRLF endings too), so such a record loads whole."""
    rec = mini_record(article_text(1) + " Line\u2028separator, next\u0085line, feed\x0cend.")
    second = record_n(2)
    body = json.dumps(rec, ensure_ascii=False) + "\r\n" + json.dumps(second, ensure_ascii=False) + "\r\n"
    assert "\u2028" in body
    path = tmp_path / "raw.jsonl"
    path.write_bytes(body.encode("utf-8"))
    res = cli("load", path)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("loaded 2 records (0 unchanged)")
    assert read_back(fresh_db, aid(rec)) == expected_facts(rec)
    again = cli("load", path)  # the input hashes of CRLF lines match on reload
    assert again.stdout == "loaded 2 records (2 unchanged) in 1 batch(es): no new rows\n"


# ---------------------------------------------------------------- a changed record replaces its facts


def test_changed_record_replaces_that_articles_facts(fresh_db, cli, tmp_path):
    a, b = record_n(1), record_n(2)
    assert cli("load", write_records(tmp_path / "ab.jsonl", a, b)).exit_code == 0
    old_ids = {r[0] for r in table_rows(fresh_db, "claims") if r[1] == aid(a)}
    # the transfer's hedge changes (so its claim id changes, and the denial must follow it),
    # the role claim disappears
    a2 = mutate(mutate(a, "claims.0.hedge", "alleged"), "claims.2", DELETE)
    a2["extractor"]["version"] = "1.1"
    res = cli("load", write_records(tmp_path / "a2.json", a2))
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("loaded 1 records (0 unchanged)")

    assert read_back(fresh_db, aid(a)) == expected_facts(a2)
    assert read_back(fresh_db, aid(b)) == expected_facts(b), "the other article is untouched"
    assert orphans(fresh_db) == dict.fromkeys(orphans(fresh_db), 0)
    new_ids = {r[0] for r in table_rows(fresh_db, "claims") if r[1] == aid(a)}
    assert len(new_ids) == 3
    assert old_ids - new_ids, "the changed claims got new ids"
    counts = table_counts(fresh_db)
    assert counts["claims"] == 4 + 3
    assert counts[ROLE_TABLE] == 1  # b's only
    assert counts["transfers"] == 2 and counts["claim_denials"] == 2
    assert counts["articles"] == 2 and counts["article_extractions"] == 2
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        versions = con.execute("SELECT DISTINCT extractor_version FROM claims WHERE article_id = ?",
                               [aid(a)]).fetchall()
        assert versions == [("1.1",)]
    finally:
        con.close()

    # loading the old version again puts the old facts back
    assert cli("load", write_records(tmp_path / "a.json", a)).exit_code == 0
    assert read_back(fresh_db, aid(a)) == expected_facts(a)
    assert {r[0] for r in table_rows(fresh_db, "claims") if r[1] == aid(a)} == old_ids
    assert orphans(fresh_db) == dict.fromkeys(orphans(fresh_db), 0)


def test_another_extractor_keeps_its_own_facts(fresh_db, cli, tmp_path):
    cur, auto = record_n(1), record_n(1, extractor="auto")
    assert cli("load", write_records(tmp_path / "both.jsonl", cur, auto)).exit_code == 0
    auto2 = mutate(auto, "claims.0.hedge", "speculative")
    assert cli("load", write_records(tmp_path / "auto2.json", auto2)).exit_code == 0
    assert read_back(fresh_db, aid(cur), "curated") == expected_facts(cur)
    assert read_back(fresh_db, aid(cur), "auto") == expected_facts(auto2)
    assert table_counts(fresh_db)["articles"] == 1


def test_changed_record_updates_its_agreement(fresh_db, cli, tmp_path):
    a = mini_record()
    assert cli("load", write_records(tmp_path / "a.json", a)).exit_code == 0
    a2 = mutate(mutate(a, "agreements.0.status", "in_force"), "agreements.0.name", "Iran-Russia treaty")
    assert cli("load", write_records(tmp_path / "a2.json", a2)).exit_code == 0
    assert read_back(fresh_db, aid(a)) == expected_facts(a2)


# ---------------------------------------------------------------- entity resolution


def one_claim_record(text: str, entity: dict, extractor: str = "curated") -> dict:
    return {
        "extractor": {"name": extractor, "version": "1"},
        "article": {"text": text},
        "entities": [entity],
        "claims": [{"key": "e1", "predicate": "event", "subject": entity["id"], "quote": text, "start": 0,
                    "end": len(text)}],
    }


def subject_of(db: Path, record: dict) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT subject_id FROM claims WHERE article_id = ?", [aid(record)]).fetchone()[0]
    finally:
        con.close()


def entity_row(db, entity_id: str) -> tuple | None:
    with connected(db) as con:
        return con.execute("SELECT entity_type, name, origin, is_new FROM entities WHERE entity_id = ?",
                           [entity_id]).fetchone()


def existing_kim(db: Path, cli, tmp_path: Path) -> str:
    """The person called "Kim Jong Un" in the warehouse: from reference data, else created by a record."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute("SELECT DISTINCT a.entity_id FROM entity_aliases a JOIN entities e USING (entity_id) "
                            "WHERE a.alias_key = ? AND e.entity_type = 'person'", [alias_key("Kim Jong Un")]
                            ).fetchall()
    finally:
        con.close()
    if found:
        assert len(found) == 1
        return found[0][0]
    rec = one_claim_record("Kim Jong Un spoke.", {"id": "person:kim-jong-un", "type": "person",
                                                  "name": "Kim Jong Un"})
    assert cli("load", write_records(tmp_path / "kim.json", rec)).exit_code == 0
    return "person:kim-jong-un"


def test_unknown_id_with_a_known_alias_resolves_to_the_existing_entity(fresh_db, cli, tmp_path):
    kim = existing_kim(fresh_db, cli, tmp_path)
    assert kim != "person:kim-jongun"
    rec = one_claim_record("Kim Jong-un answered.", {"id": "person:kim-jongun", "type": "person",
                                                     "name": "Kim Jong-un"})
    res = cli("load", write_records(tmp_path / "2.json", rec))
    assert res.exit_code == 0
    assert "new entities" not in res.stdout
    assert subject_of(fresh_db, rec) == kim
    assert entity_row(fresh_db, "person:kim-jongun") is None


def test_a_new_entity_is_flagged_and_later_spellings_resolve_to_it(fresh_db, cli, tmp_path):
    first = one_claim_record("Pak Chol Su spoke.", {"id": "person:pak-chol-su", "type": "person",
                                                    "name": "Pak Chol Su"})
    res = cli("load", write_records(tmp_path / "1.json", first))
    assert res.exit_code == 0
    assert "new entities flagged for review: 1 (person:pak-chol-su)" in res.stdout
    assert entity_row(fresh_db, "person:pak-chol-su") == ("person", "Pak Chol Su", "record", True)

    second = one_claim_record("Pak Chol-su answered.", {"id": "person:pak-cholsu", "type": "person",
                                                        "name": "Pak Chol-su"})
    res = cli("load", write_records(tmp_path / "2.json", second))
    assert res.exit_code == 0
    assert "new entities" not in res.stdout
    assert subject_of(fresh_db, second) == "person:pak-chol-su"
    assert entity_row(fresh_db, "person:pak-cholsu") is None

    # through an alias only, whatever the case, diacritics and punctuation
    third = one_claim_record("The marshal left.", {"id": "person:the-marshal", "type": "person",
                                                   "name": "The Hypothetical Marshal", "aliases": ["PÁK  CHOL-SU."]})
    assert cli("load", write_records(tmp_path / "3.json", third)).exit_code == 0
    assert subject_of(fresh_db, third) == "person:pak-chol-su"
    assert entity_row(fresh_db, "person:the-marshal") is None
    aliases = {r[0] for r in table_rows(fresh_db, "entity_aliases") if r[1] == "person:pak-chol-su"}
    assert {alias_key("Pak Chol Su"), alias_key("The Hypothetical Marshal")} <= aliases


def test_same_name_of_another_type_is_not_merged(fresh_db, cli, tmp_path):
    kim = existing_kim(fresh_db, cli, tmp_path)
    before = entity_row(fresh_db, kim)
    ship = one_claim_record("The Kim Jong Un sailed.", {"id": "other:kim-jong-un-ship", "type": "other",
                                                        "name": "Kim Jong-un"})
    res = cli("load", write_records(tmp_path / "2.json", ship))
    assert res.exit_code == 0
    assert "new entities flagged for review: 1 (other:kim-jong-un-ship)" in res.stdout
    assert subject_of(fresh_db, ship) == "other:kim-jong-un-ship"
    assert entity_row(fresh_db, "other:kim-jong-un-ship") == ("other", "Kim Jong-un", "record", True)
    assert entity_row(fresh_db, kim) == before


def test_unknown_country_id_resolves_through_reference_aliases(fresh_db, cli, tmp_path):
    rec = one_claim_record("The DPRK fired.", {"id": "country:NK", "type": "country", "name": "DPRK",
                                               "country_code": "PRK"})
    res = cli("load", write_records(tmp_path / "1.json", rec))
    assert res.exit_code == 0
    assert subject_of(fresh_db, rec) == "country:PRK"
    assert entity_row(fresh_db, "country:NK") is None
    assert "new entities" not in res.stdout


def test_ambiguous_name_creates_a_new_flagged_entity(fresh_db, cli, tmp_path):
    recs = [
        one_claim_record("A spoke.", {"id": "person:pak-a", "type": "person", "name": "Pak Chol Su"}),
        one_claim_record("B spoke.", {"id": "person:pak-b", "type": "person", "name": "Big Pak"}),
        # a known id adding the same alias: now two persons share it
        one_claim_record("B spoke again.", {"id": "person:pak-b", "type": "person", "name": "Big Pak",
                                            "aliases": ["Pak Chol Su"]}),
    ]
    for n, rec in enumerate(recs):
        assert cli("load", write_records(tmp_path / f"{n}.json", rec)).exit_code == 0
    c = one_claim_record("C spoke.", {"id": "person:pak-c", "type": "person", "name": "Pak Chol-su"})
    res = cli("load", write_records(tmp_path / "c.json", c))
    assert res.exit_code == 0
    assert subject_of(fresh_db, c) == "person:pak-c"
    assert entity_row(fresh_db, "person:pak-c") == ("person", "Pak Chol-su", "record", True)


def test_known_id_with_another_type_is_an_error(fresh_db, cli, tmp_path):
    rec = one_claim_record("Iran Inc. said.", {"id": "country:IRN", "type": "organization", "name": "Iran Inc"})
    path = write_records(tmp_path / "x.json", rec)
    before = table_counts(fresh_db)
    res = cli("load", path)
    assert res.exit_code == 1
    assert res.stderr == (f"Error: {path} record 1 field entities[0].type: entity country:IRN is a country in the "
                          f"warehouse, the record says organization\n")
    assert table_counts(fresh_db) == before


# ---------------------------------------------------------------- atomicity and batches


def bad_in_transaction(kind: str, n: int) -> dict:
    """A record that validates but fails inside the load transaction."""
    rec = record_n(n)
    if kind == "entity type":
        return mutate(rec, "entities.0", {"id": "country:IRN", "type": "organization", "name": "Iran"})
    if kind == "agreement conflict":
        return mutate(rec, "agreements.0.name", "A different pact under the same id")
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["validation", "entity type", "agreement conflict"])
def test_a_bad_record_rolls_back_its_whole_batch(fresh_db, cli, tmp_path, kind):
    earlier = record_n(0)
    assert cli("load", write_records(tmp_path / "earlier.json", earlier)).exit_code == 0
    before_rows = all_rows(fresh_db)
    good = record_n(1)
    bad = mutate(record_n(2), "claims.0.quote", "no such words") if kind == "validation" \
        else bad_in_transaction(kind, 2)
    path = write_records(tmp_path / "batch.jsonl", good, bad)
    res = cli("load", path)
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"Error: {path} line 2")
    assert all_rows(fresh_db) == before_rows, "nothing of the batch was written"
    assert read_back(fresh_db, aid(earlier)) == expected_facts(earlier)
    outcomes = batches(fresh_db)
    assert [b["outcome"] for b in outcomes] == ["ok", "failed"]
    assert outcomes[-1]["error"] == line.removeprefix("Error: ")
    assert json.loads(outcomes[-1]["inputs"]) == [str(path)]
    assert outcomes[-1]["finished_at"] is not None


def test_load_batches_rows_for_ok_failed_and_dry_run(fresh_db, cli, tmp_path):
    from warehouse import __version__

    good = write_records(tmp_path / "good.json", record_n(1))
    bad = write_records(tmp_path / "bad.json", mutate(record_n(2), "claims.0.transfer.category", "spaceships"))
    assert cli("load", good).exit_code == 0
    assert cli("load", bad).exit_code == 1
    assert cli("load", "--dry-run", write_records(tmp_path / "dry.jsonl", record_n(3), record_n(4))).exit_code == 0
    rows = batches(fresh_db)
    assert [b["outcome"] for b in rows] == ["ok", "failed", "dry_run"]
    ok, failed, dry = rows
    assert all(b["command"] == "load" and b["tool_version"] == __version__ and b["finished_at"] >= b["started_at"]
               for b in rows)
    assert json.loads(ok["inputs"]) == [str(good)]
    assert json.loads(ok["rows_json"])["claims"] == 4 and ok["error"] is None
    assert failed["error"].startswith(f"{bad} record 1 field claims[0].transfer.category: ")
    assert json.loads(dry["rows_json"]) == {"records_validated": 2} and dry["error"] is None
    assert len({b["batch_id"] for b in rows}) == 3


def test_dry_run_writes_no_facts(fresh_db, cli, tmp_path):
    before = all_rows(fresh_db)
    res = cli("load", "--dry-run", write_records(tmp_path / "x.jsonl", record_n(1), record_n(2)))
    assert res.exit_code == 0
    assert res.stdout == "valid: 2 records (dry run, nothing loaded)\n"
    assert all_rows(fresh_db) == before
    res = cli("load", "--dry-run", write_records(tmp_path / "bad.json", mutate(record_n(3), "claims.0.start", -1)))
    assert res.exit_code == 1
    assert all_rows(fresh_db) == before


def test_batch_size_1_gives_one_batch_per_record(fresh_db, cli, tmp_path):
    recs = [record_n(n) for n in range(3)]
    res = cli("load", "--batch-size", "1", write_records(tmp_path / "three.jsonl", *recs))
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("loaded 3 records (0 unchanged) in 3 batch(es): ")
    rows = batches(fresh_db)
    assert [b["outcome"] for b in rows] == ["ok"] * 3
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        per_article = dict(con.execute("SELECT article_id, batch_id FROM articles").fetchall())
    finally:
        con.close()
    assert sorted(per_article.values()) == sorted(b["batch_id"] for b in rows)
    for rec in recs:
        assert read_back(fresh_db, aid(rec)) == expected_facts(rec)


def test_batch_size_2_with_3_records_gives_2_batches(fresh_db, cli, tmp_path):
    res = cli("load", "--batch-size", "2", write_records(tmp_path / "three.jsonl", *(record_n(n) for n in range(3))))
    assert res.exit_code == 0, res.output
    assert " in 2 batch(es): " in res.stdout
    assert [json.loads(b["rows_json"])["claims"] for b in batches(fresh_db)] == [8, 4]


def test_batches_before_a_failing_one_stay_committed(fresh_db, cli, tmp_path):
    recs = [record_n(0), bad_in_transaction("entity type", 1), record_n(2)]
    res = cli("load", "--batch-size", "1", write_records(tmp_path / "three.jsonl", *recs))
    assert res.exit_code == 1
    assert [b["outcome"] for b in batches(fresh_db)] == ["ok", "failed"]
    assert read_back(fresh_db, aid(recs[0])) == expected_facts(recs[0])
    assert table_counts(fresh_db)["articles"] == 1


def test_negative_batch_size_is_a_usage_error(fresh_db, cli, tmp_path):
    res = cli("load", "--batch-size", "-1", write_records(tmp_path / "x.json", record_n(0)))
    assert res.exit_code == 2


# ---------------------------------------------------------------- kill -9


KILLED_AFTER_WRITING = """
import sys, time, pathlib
import warehouse.load as wl
real = wl.finish_batch
marker = pathlib.Path(sys.argv[1])
def finish(conn, batch_id, outcome, rows=None, error=None):
    if outcome == "ok":  # every fact of the batch is written, the transaction is not committed
        marker.write_text("written")
        time.sleep(120)
    return real(conn, batch_id, outcome, rows, error)
wl.finish_batch = finish
sys.argv = ["warehouse", *sys.argv[2:]]
from warehouse.cli import main
main()
"""


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    n = 300
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(record_n(i)) + "\n")
    return path, n


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DB"}


def _assert_loaded_all(db: Path, n: int, before: dict) -> None:
    after = table_counts(db)
    assert after["articles"] == before["articles"] + n
    assert after["claims"] == before["claims"] + 4 * n
    assert after["transfers"] == before["transfers"] + n
    assert orphans(db) == dict.fromkeys(orphans(db), 0)


def test_kill_9_after_writing_before_commit_leaves_counts_as_before(fresh_db, cli, tmp_path, big_jsonl):
    path, n = big_jsonl
    before = table_counts(fresh_db)
    marker = tmp_path / "written"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_AFTER_WRITING, str(marker), "--db", str(fresh_db),
                             "load", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            cwd=tmp_path)
    try:
        deadline = time.monotonic() + 300  # a hang guard, generous for a loaded machine (not a speed check)
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the load never reached its commit"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert table_counts(fresh_db) == before
    assert [b["outcome"] for b in batches(fresh_db)] == []  # the batch row was part of the transaction

    res = cli("load", path)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith(f"loaded {n} records (0 unchanged) in 1 batch(es)")
    _assert_loaded_all(fresh_db, n, before)


def test_kill_9_at_any_moment_is_all_or_nothing(fresh_db, cli, big_jsonl):
    path, n = big_jsonl
    before = table_counts(fresh_db)
    wal = Path(f"{fresh_db}.wal")
    assert not wal.exists()
    proc = subprocess.Popen([*WAREHOUSE_CMD, "--db", str(fresh_db), "load", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    try:
        deadline = time.monotonic() + 300  # a hang guard, generous for a loaded machine (not a speed check)
        while not wal.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the WAL appears once the load has opened the file and started writing
        time.sleep(0.25)  # into validation / writing
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    after = table_counts(fresh_db)
    if after != before:  # the kill came after the commit: everything is there
        _assert_loaded_all(fresh_db, n, before)
    res = cli("load", path)
    assert res.exit_code == 0, res.output
    _assert_loaded_all(fresh_db, n, before)


# ---------------------------------------------------------------- hypothesis round trip


POOL = [
    {"id": "country:RUS", "type": "country", "name": "Russia", "country_code": "RUS"},
    {"id": "country:PRK", "type": "country", "name": "North Korea", "country_code": "PRK"},
    {"id": "country:IRN", "type": "country", "name": "Iran", "country_code": "IRN"},
    {"id": "country:UKR", "type": "country", "name": "Ukraine", "country_code": "UKR"},
    {"id": "org:hyp-arms-works", "type": "organization", "name": "Hypothetical Arms Works"},
    {"id": "person:hyp-alpha", "type": "person", "name": "Alpha Hypothesis", "aliases": ["A. Hypothesis"]},
    {"id": "person:hyp-beta", "type": "person", "name": "Beta Hypothesis"},
    {"id": "system:hyp-rocket", "type": "weapon_system", "name": "Hypo Rocket", "parent": "org:hyp-arms-works"},
]
PARTIES = [e["id"] for e in POOL if e["type"] in ("country", "organization")]
PERSONS = [e["id"] for e in POOL if e["type"] == "person"]
SYSTEMS = [e["id"] for e in POOL if e["type"] == "weapon_system"]
ALL_IDS = [e["id"] for e in POOL]

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ÄéüøЖ,.'-0123456789", min_size=1, max_size=30)
opt_words = st.none() | words
seps = st.sampled_from([" ", "\n", "\n\n", " — ", "; "])


@st.composite
def dated(draw, precisions=s.DATE_PRECISIONS):
    precision = draw(st.sampled_from(precisions))
    if precision == "unknown":
        return None, precision
    d = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)))
    return _fmt_date(d, precision), precision


@st.composite
def quantities(draw):
    a = draw(st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
    b = draw(st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
    if a is None and b is None:
        return None
    if a is not None and b is not None and a > b:
        a, b = b, a
    return {"low": None if a is None else abs(a), "high": None if b is None else abs(b),
            "unit": draw(opt_words), "qualifier": draw(st.none() | st.sampled_from(["up to", "at least", "about"])),
            "text": draw(opt_words)}


@st.composite
def transfers(draw):
    supplier, recipient = draw(st.lists(st.sampled_from(PARTIES), min_size=2, max_size=2, unique=True))
    full_date = st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)).map(date.isoformat)
    start, end = draw(full_date), draw(full_date)
    if start and end and end < start:  # a period ends after it starts (records refuse the reverse)
        start, end = end, start
    return {"supplier": supplier, "recipient": recipient, "item": draw(words),
            "category": draw(st.sampled_from(s.ITEM_CATEGORIES)),
            "system": draw(st.none() | st.sampled_from(SYSTEMS)), "quantity": draw(quantities()),
            "status": draw(st.sampled_from(s.TRANSFER_STATUSES)), "period": draw(opt_words),
            "period_start": start, "period_end": end}


@st.composite
def valid_records(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    text = draw(st.text(alphabet="xyz ", max_size=5))
    spans = []
    for i in range(n):
        if i:
            text += draw(seps)
        sentence = draw(words)
        spans.append((len(text), len(text) + len(sentence), sentence))
        text += sentence
    agreement = None
    if draw(st.booleans()):
        signed_on, signed_precision = draw(dated())
        agreement = {"id": "agreement:hyp-pact", "name": draw(words), "kind": draw(st.sampled_from(s.AGREEMENT_KINDS)),
                     "status": draw(st.sampled_from(s.AGREEMENT_STATUSES)), "signed_on": signed_on,
                     "signed_precision": signed_precision,
                     "parties": draw(st.lists(st.sampled_from(PARTIES), min_size=1, max_size=3, unique=True))}
    claims, mentions = [], []
    for i, (start, end, quote) in enumerate(spans):
        kinds = ["transfer", "role", "event", "estimate"] + (["denial"] if i else []) + (["agreement"] if agreement
                                                                                        else [])
        kind = draw(st.sampled_from(kinds))
        when, precision = draw(dated())
        claim = {"key": f"c{i}", "predicate": kind, "claimant": draw(st.none() | st.sampled_from(ALL_IDS)),
                 "subject": draw(st.none() | st.sampled_from(ALL_IDS)),
                 "object": draw(st.none() | st.sampled_from(ALL_IDS)),
                 "stance": draw(st.sampled_from(s.STANCES)), "hedge": draw(st.sampled_from(s.HEDGES)),
                 "quote": quote, "start": start, "end": end, "date": when, "date_precision": precision,
                 "date_text": draw(opt_words), "summary": draw(opt_words)}
        if kind == "transfer":
            claim["transfer"] = draw(transfers())
        elif kind == "role":
            claim["role"] = {"person": draw(st.sampled_from(PERSONS)), "role": draw(words),
                             "organization": draw(st.none() | st.sampled_from(PARTIES))}
        elif kind == "denial":
            claim["stance"] = "denies"
            claim["denies"] = draw(st.lists(st.sampled_from([f"c{j}" for j in range(i)]), min_size=1, unique=True))
        if agreement and kind in ("agreement", "event") and draw(st.booleans()):
            claim["agreement"] = agreement["id"]
            claim["provisions"] = draw(st.lists(words, max_size=3, unique=True))
        claims.append(claim)
        if draw(st.booleans()):
            mentions.append({"entity": draw(st.sampled_from(ALL_IDS)), "start": start, "end": end,
                             "surface": quote, "sentence": i})
    published, published_precision = draw(dated(s.PUBLISHED_PRECISIONS))
    return {
        "record_version": "1.0",
        "extractor": {"name": draw(st.sampled_from(["curated", "auto"])), "version": draw(words)},
        "article": {"id": draw(st.sampled_from([None, article_id_for(text)])), "origin_file": draw(opt_words),
                    "title": draw(opt_words), "publisher": draw(st.none() | st.sampled_from(["Reuters", "DW",
                                                                                             "Some Outlet"])),
                    "url": draw(opt_words), "dateline": draw(opt_words), "published": published,
                    "published_precision": published_precision, "text": text},
        "entities": POOL,
        "mentions": mentions,
        "claims": claims,
        "agreements": [agreement] if agreement else [],
    }


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(record=valid_records())
def test_hypothesis_round_trip(record, initialized_template, tmp_path):
    ArticleRecord.model_validate(record)  # the generator only makes valid records
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        db = Path(folder) / "w.duckdb"
        db.write_bytes(initialized_template.read_bytes())  # a fresh, initialised warehouse
        path = write_records(Path(folder) / "r.json", record)
        with writer(db) as eng:
            (result,) = etl.load_paths(eng, [path])
            with eng.connect() as conn:
                con = duck(conn)
                got = read_back(con, aid(record), record["extractor"]["name"])
                assert got == expected_facts(record)
                assert orphans(con) == dict.fromkeys(orphans(con), 0)
                new = {e["id"] for e in POOL if not e["id"].startswith("country:")}
                assert set(result.new_entities) == new
                for e in POOL:
                    row = entity_row(con, e["id"])
                    assert row is not None and row[0] == e["type"]
                    assert row[3] is (e["id"] in new)
        assert result.records == 1 and result.unchanged == 0


def test_fact_tables_constant_covers_the_schema():
    """FACT_TABLES (used for 'nothing was written' checks) names real tables, including every child table."""
    assert set(FACT_TABLES) <= set(metadata.tables)
    assert set(FACT_TABLES_DELETE_ORDER) <= set(FACT_TABLES)
