"""The canned views answer the analysts' questions on the warehouse built from seeds/.

Expected answers live in tests/data/seed_expectations.json, written down by reading the
seed articles; nothing here is computed by the code under test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warehouse import etl, query
from warehouse.cli import app
from warehouse.paths import SEEDS_DIR, VIEWS_DIR
from warehouse.views import load_views

EXPECT = json.loads((Path(__file__).parent / "data" / "seed_expectations.json").read_text())
REQUIRED_COLUMNS = {
    "transfer_reports": "transfer_id, claim_id, article_id, article_title, publisher, published_on, supplier_id, "
    "supplier_name, recipient_id, recipient_name, item, item_category, system_id, quantity_low, quantity_high, "
    "quantity_unit, quantity_qualifier, status, claimant_id, claimant_name, hedge, quote",
    "transfer_flows": "supplier_id, supplier_name, recipient_id, recipient_name, item_category, reports, articles, "
    "publishers, quantity_min, quantity_max, quantity_unit, statuses, claimants, denied_by, first_published, "
    "last_published",
    "exchanges": "party_a, party_b, a_to_b, b_to_a",
    "figure_disagreements": "supplier_id, recipient_id, item_category, quantity_unit, figures, lowest, highest, "
    "spread_ratio",
    "contested_claims": "claim_id, predicate, supplier_id, recipient_id, item_category, claimant_id, denied_by, "
    "denial_quotes, articles",
    "agreements_overview": "agreement_id, name, kind, parties, party_names, signed_on, status, provisions, reports, "
    "articles",
    "entity_profiles": "entity_id, name, type, country_code, aliases, mentions, articles, first_seen, last_seen",
    "claimant_activity": "claimant_id, claimant_name, claims, assertions, denials, hedged, subjects",
    "sanctions_exposure": "regime, authority, target_id, transfer_id, supplier_id, recipient_id, item_category, "
    "quantity_low, quantity_high, quantity_unit, cap, cap_unit, exceeds_cap, quote",
    "timeline": "event_date, date_precision, date_text, kind, summary, article_id",
    "entity_cooccurrence": "entity_a, entity_b, sentences, articles",
    "role_assertions": "person_id, person_name, role, organization_id, article_id, published_on, conflicting",
    "source_coverage": "publisher, articles, claims, transfers, first_published, last_published",
}


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "warehouse.duckdb"
    etl.run(db, [SEEDS_DIR])
    return db


def rows(db: Path, view: str, where: str | None = None) -> list[dict]:
    return query.records(query.ask(db, view, where=where))


def one(items: list[dict], **match) -> dict:
    found = [r for r in items if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one row matching {match}, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------- files and headers


def test_every_required_view_has_a_file_named_after_it():
    assert set(REQUIRED_COLUMNS) <= {p.stem for p in VIEWS_DIR.glob("*.sql")}


@pytest.mark.parametrize("path", sorted(VIEWS_DIR.glob("*.sql")), ids=lambda p: p.stem)
def test_view_file_opens_with_question_grain_and_columns(path: Path):
    head = path.read_text().splitlines()[:6]
    assert head[0].startswith("-- question: ") and head[0].rstrip().endswith("?")
    assert any(line.startswith("-- grain: one row per") for line in head)
    assert any(line.startswith("-- columns: ") for line in head)
    assert re.search(rf"create or replace view {path.stem}\b", path.read_text(), re.IGNORECASE)


@pytest.mark.parametrize("view", sorted(REQUIRED_COLUMNS))
def test_view_has_the_required_columns(seed_db, view):
    columns = list(query.ask(seed_db, view, limit=0).columns)
    required = [c.strip() for c in REQUIRED_COLUMNS[view].split(",")]
    assert [c for c in required if c not in columns] == []
    header = next(v for v in load_views() if v.name == view).columns
    assert all(c in header for c in columns), "the header comment lists every column"


def _duckdb_cli() -> str | None:
    near = Path(sys.executable).parent / "duckdb"
    return str(near) if near.exists() else shutil.which("duckdb")


def test_every_view_runs_in_the_duckdb_cli(seed_db):
    cli = _duckdb_cli()
    if cli is None:
        pytest.skip("the duckdb CLI is not installed (pip install duckdb-cli)")
    for view in load_views():
        proc = subprocess.run([cli, "-readonly", str(seed_db), "-csv", "-c", f"SELECT count(*) AS n FROM {view.name}"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"{view.name}: {proc.stderr}"
        assert int(proc.stdout.splitlines()[-1]) >= 0


# ---------------------------------------------------------------- answers


def test_source_coverage(seed_db):
    got = {r["publisher"]: r["articles"] for r in rows(seed_db, "source_coverage")}
    assert got == EXPECT["summary"]["publishers"]


@pytest.mark.parametrize("flow", EXPECT["transfer_flows"], ids=lambda f: f"{f['supplier_id']}>{f['recipient_id']}:"
                         f"{f['item_category']}")
def test_transfer_flows(seed_db, flow):
    row = one(rows(seed_db, "transfer_flows"), supplier_id=flow["supplier_id"], recipient_id=flow["recipient_id"],
              item_category=flow["item_category"])
    assert row["articles"] >= flow["min_articles"]
    assert set(flow.get("denied_by_includes", [])) <= set(row["denied_by"])
    for key in ("quantity_unit", "quantity_min", "quantity_max"):
        if key in flow:
            assert row[key] == flow[key], key


def test_web_junk_never_reaches_the_warehouse(seed_db):
    junk = EXPECT["web_junk_absent"]
    ids = {r["entity_id"] for r in rows(seed_db, "entity_profiles")}
    assert ids.isdisjoint(junk["entities"])
    flows = {(r["supplier_id"], r["recipient_id"]) for r in rows(seed_db, "transfer_flows")}
    assert flows.isdisjoint({tuple(f) for f in junk["flows"]})
    quotes = query.sql_frame(seed_db, "SELECT quote FROM claims")["quote"].tolist()
    texts = query.sql_frame(seed_db, "SELECT cleaned_text FROM articles")["cleaned_text"].tolist()
    for needle in junk["quote_substrings"]:
        assert not any(needle in q for q in quotes), needle
        assert not any(needle in t for t in texts), needle


def test_exchanges(seed_db):
    e = EXPECT["exchanges"]
    row = one(rows(seed_db, "exchanges"), party_a=e["party_a"], party_b=e["party_b"])
    assert set(e["a_to_b_includes"]) <= set(row["a_to_b"])
    assert set(e["b_to_a_includes"]) <= set(row["b_to_a"])


@pytest.mark.parametrize("exp", EXPECT["figure_disagreements"], ids=lambda e: e["item_category"])
def test_figure_disagreements(seed_db, exp):
    row = one(rows(seed_db, "figure_disagreements"), supplier_id=exp["supplier_id"],
              recipient_id=exp["recipient_id"], item_category=exp["item_category"],
              quantity_unit=exp["quantity_unit"])
    assert (row["lowest"], row["highest"]) == (exp["lowest"], exp["highest"])
    assert row["spread_ratio"] == pytest.approx(exp["spread_ratio"], abs=0.001)
    assert len(row["figures"]) >= 2
    assert all({"low", "high", "qualifier", "claimant", "article_id"} <= set(f) for f in row["figures"])


@pytest.mark.parametrize("exp", EXPECT["contested_claims"], ids=lambda e: e["item_category"])
def test_contested_claims(seed_db, exp):
    found = [r for r in rows(seed_db, "contested_claims") if r["supplier_id"] == exp["supplier_id"]
             and r["recipient_id"] == exp["recipient_id"] and r["item_category"] == exp["item_category"]
             and any(exp["denial_quote_contains"] in q for q in r["denial_quotes"])]
    assert found, "a claim of this flow is denied in the expected words"
    assert all(set(exp["denied_by"]) <= set(r["denied_by"]) for r in found)


def test_agreements_overview(seed_db):
    exp = EXPECT["agreements_overview"]
    row = one(rows(seed_db, "agreements_overview"), agreement_id=exp["agreement_id"])
    assert sorted(row["parties"]) == exp["parties"]
    assert row["signed_on"] == exp["signed_on"]
    assert row["articles"] >= exp["min_articles"]
    assert set(exp["provisions_includes"]) <= set(row["provisions"])


@pytest.mark.parametrize("exp", EXPECT["entity_profiles"], ids=lambda e: e["entity_id"])
def test_entity_profiles(seed_db, exp):
    row = one(rows(seed_db, "entity_profiles"), entity_id=exp["entity_id"])
    assert row["articles"] == exp["articles"]
    assert set(exp.get("aliases_include", [])) <= set(row["aliases"])


@pytest.mark.parametrize("exp", EXPECT["claimant_activity"], ids=lambda e: e["claimant_id"])
def test_claimant_activity(seed_db, exp):
    row = one(rows(seed_db, "claimant_activity"), claimant_id=exp["claimant_id"])
    assert row["denials"] >= exp["min_denials"]
    assert row["claims"] == row["assertions"] + row["denials"]


@pytest.mark.parametrize("exp", EXPECT["sanctions_exposure"], ids=lambda e: e["regime"])
def test_sanctions_exposure(seed_db, exp):
    found = [r for r in rows(seed_db, "sanctions_exposure", where=f"regime = '{exp['regime']}'")
             if all(r.get(k) == v for k, v in exp.items())]
    assert found, f"no row matches {exp}"


def test_timeline_is_ordered_and_holds_the_treaty(seed_db):
    tl = rows(seed_db, "timeline")
    dated = [r["event_date"] for r in tl if r["event_date"]]
    assert dated == sorted(dated)
    for exp in EXPECT["timeline"]:
        assert any(r["event_date"] == exp["event_date"] and r["kind"] == exp["kind"] for r in tl)


def test_role_assertions_flag_conflicting_titles(seed_db):
    exp = EXPECT["role_assertions"]
    got = rows(seed_db, "role_assertions", where=f"person_id = '{exp['person_id']}'")
    assert {r["conflicting"] for r in got} == {exp["conflicting"]}
    assert set(exp["roles_include"]) <= {r["role"] for r in got}


def test_entity_cooccurrence(seed_db):
    exp = EXPECT["entity_cooccurrence"]
    row = one(rows(seed_db, "entity_cooccurrence"), entity_a=exp["entity_a"], entity_b=exp["entity_b"])
    assert row["sentences"] >= exp["min_sentences"]
    assert row["articles"] == exp["articles"]


def test_entity_cooccurrence_counts_each_sentence_once(seed_db):
    """Every pair and count, recomputed in Python from the mentions: a sentence naming an entity
    twice still counts once, and no pair is lost or made up."""
    ments = query.sql_frame(seed_db, "SELECT article_id, sentence_index, entity_id FROM mentions")
    by_sentence: dict[tuple, set] = {}
    for a, s, e in ments.itertuples(index=False):
        by_sentence.setdefault((a, s), set()).add(e)
    sentences: dict[tuple, int] = {}
    articles: dict[tuple, set] = {}
    for (article, _s), ents in by_sentence.items():
        for x in ents:
            for y in ents:
                if x < y:
                    sentences[(x, y)] = sentences.get((x, y), 0) + 1
                    articles.setdefault((x, y), set()).add(article)
    assert ments.duplicated().sum() > 0, "the seeds should hold an entity named twice in one sentence"
    view = rows(seed_db, "entity_cooccurrence")
    got = {(r["entity_a"], r["entity_b"]): (r["sentences"], r["articles"]) for r in view}
    assert got == {k: (n, len(articles[k])) for k, n in sentences.items()}


def test_transfer_reports_quote_is_the_article_text_at_its_span(seed_db):
    df = query.sql_frame(seed_db, "SELECT r.quote, substr(a.cleaned_text, r.start_char + 1, r.end_char - r.start_char)"
                         " AS at_span FROM transfer_reports r JOIN articles a USING (article_id)")
    assert len(df) > 0
    assert (df["quote"] == df["at_span"]).all()


# ---------------------------------------------------------------- warehouse ask


def test_ask_lists_views_with_questions(seed_db):
    result = CliRunner().invoke(app, ["--db", str(seed_db), "ask", "--format", "json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert {v["view"] for v in listed} == {v.name for v in load_views()}
    assert all(v["question"].endswith("?") for v in listed)


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown", "table"])
def test_ask_formats_are_parseable(seed_db, fmt):
    result = CliRunner().invoke(app, ["--db", str(seed_db), "ask", "transfer_flows", "--format", fmt,
                                      "--where", "supplier_id = 'country:PRK'", "--limit", "3"])
    assert result.exit_code == 0, result.output
    expected = query.records(query.ask(seed_db, "transfer_flows", where="supplier_id = 'country:PRK'", limit=3))
    if fmt == "json":
        assert json.loads(result.stdout) == expected
    elif fmt == "csv":
        import csv
        import io

        parsed = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [r["item_category"] for r in parsed] == [r["item_category"] for r in expected]
        assert [json.loads(r["denied_by"]) for r in parsed] == [r["denied_by"] for r in expected]
    elif fmt == "markdown":
        lines = result.stdout.strip().splitlines()
        assert len(lines) == 2 + len(expected)
        header = [c.strip() for c in lines[0].strip("|").split("|")]
        assert header == list(expected[0].keys())
    else:  # not a terminal (CliRunner): the table format is tab-separated values (tests/test_terminal.py)
        lines = result.stdout.splitlines()
        assert lines[0].split("\t") == list(expected[0].keys())
        assert [ln.split("\t")[0] for ln in lines[1:]] == ["country:PRK"] * len(expected)


def test_ask_is_read_only_and_leaves_the_file_unchanged(seed_db):
    before = seed_db.read_bytes()
    result = CliRunner().invoke(app, ["--db", str(seed_db), "ask", "transfer_reports", "--format", "csv"])
    assert result.exit_code == 0
    assert seed_db.read_bytes() == before


def test_ask_bad_predicate_is_one_error_line(seed_db):
    result = CliRunner().invoke(app, ["--db", str(seed_db), "ask", "transfer_flows", "--where", "no_such_col = 1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: view transfer_flows: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_role_assertions_several_titles_in_one_article_are_not_a_conflict(seed_db):
    got = {r["person_id"]: r["conflicting"] for r in rows(seed_db, "role_assertions")}
    for person in EXPECT["role_assertions"]["not_conflicting"]:
        assert got[person] is False, person


@pytest.mark.parametrize("exp", EXPECT["figure_disagreements_absent"], ids=lambda e: e["supplier_id"])
def test_one_source_giving_several_figures_is_not_a_disagreement(seed_db, exp):
    found = [r for r in rows(seed_db, "figure_disagreements") if r["supplier_id"] == exp["supplier_id"]
             and r["recipient_id"] == exp["recipient_id"] and r["item_category"] == exp["item_category"]]
    assert found == [], exp["why"]
