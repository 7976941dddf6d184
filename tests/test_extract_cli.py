"""``warehouse extract`` and ``warehouse eval`` (typer CliRunner on warehouse.cli.app)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warehouse.cli import app
from warehouse.records import ArticleRecord

ROOT = Path(__file__).resolve().parent.parent
SEED_RECORDS = ROOT / "seeds" / "records"
needs_gold = pytest.mark.skipif(not SEED_RECORDS.is_dir(), reason="no curated seed records")


@pytest.fixture
def run_cli(monkeypatch):
    monkeypatch.delenv("WAREHOUSE_DB", raising=False)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _copy_gold(dst: Path, n: int = 2) -> Path:
    dst.mkdir()
    for p in sorted(SEED_RECORDS.glob("*.json"))[:n]:
        shutil.copy(p, dst / p.name)
    return dst


@needs_gold
def test_eval_runs_the_extractor_on_gold_texts(run_cli, tmp_path):
    gold = _copy_gold(tmp_path / "gold")
    res = run_cli("eval", "--gold", gold)
    assert res.exit_code == 0, res.output
    for word in ("entities", "transfers", "quantities", "agreements", "denials", "precision", "recall", "F1"):
        assert word in res.stdout
    assert "2 article(s)" in res.stdout


@needs_gold
def test_eval_with_predictions_and_jsonl(run_cli, tmp_path):
    gold = _copy_gold(tmp_path / "gold", 1)
    pred = tmp_path / "pred"
    pred.mkdir()
    rec = ArticleRecord.model_validate_json(next(gold.glob("*.json")).read_text())
    (pred / "all.jsonl").write_text(rec.model_dump_json() + "\n")
    res = run_cli("eval", "--gold", gold, "--pred", pred, "--no-details")
    assert res.exit_code == 0, res.output
    assert "1.000" in res.stdout and "missed" not in res.stdout


def test_eval_bad_gold_dir(run_cli, tmp_path):
    res = run_cli("eval", "--gold", tmp_path / "nope")
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")


def test_eval_invalid_record(run_cli, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "bad.json").write_text(json.dumps({"extractor": {"name": "x", "version": "1"}, "article": {}}))
    res = run_cli("eval", "--gold", gold)
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ") and "bad.json" in res.stderr and len(res.stderr.splitlines()) == 1
    (gold / "bad.json").write_text("{not json")
    res = run_cli("eval", "--gold", gold)
    assert res.exit_code == 1 and "malformed JSON" in res.stderr


def test_extract_without_warehouse(run_cli, tmp_path):
    res = run_cli("--db", tmp_path / "none.duckdb", "extract", "--all")
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ") and len(res.stderr.strip().splitlines()) == 1


def test_extract_needs_a_selection(run_cli, tmp_path):
    res = run_cli("--db", tmp_path / "none.duckdb", "extract")
    assert res.exit_code == 1 and res.stderr.startswith("Error: ")


def test_help_texts(run_cli):
    for cmd in ("extract", "eval"):
        res = run_cli(cmd, "--help")
        assert res.exit_code == 0
    assert "--workers" in run_cli("extract", "--help").stdout
    assert "--gold" in run_cli("eval", "--help").stdout


def _build_warehouse(db: Path, tmp_path: Path) -> None:
    import duckdb

    from warehouse.db import writer
    from warehouse.etl import init_warehouse
    from warehouse.ingest import read_articles

    with writer(db) as engine:
        init_warehouse(engine)
    art = read_articles(ROOT / "seeds" / "002_0fc9a8740045b183.txt")[0]
    con = duckdb.connect(str(db))
    try:
        con.execute("INSERT INTO load_batches (batch_id, command, inputs, started_at, outcome, tool_version) "
                    "VALUES ('b1', 'test', '[]', now(), 'ok', 'test')")
        con.execute("INSERT INTO sources (source_id, name, kind) VALUES ('reuters', 'Reuters', 'wire')")
        con.execute(
            "INSERT INTO articles (article_id, text_sha256, source_id, title, published_on, published_precision, "
            "raw_text, cleaned_text, origin_file, ingested_at, batch_id) "
            "VALUES (?, ?, 'reuters', ?, DATE '2024-06-19', 'day', ?, ?, ?, now(), 'b1')",
            [art.article_id, "x" * 64, art.title, art.raw_text, art.cleaned_text, art.origin_file],
        )
    finally:
        con.close()


def test_extract_writes_one_record_per_article(run_cli, tmp_path):
    db = tmp_path / "w.duckdb"
    try:
        _build_warehouse(db, tmp_path)
    except Exception as exc:  # the schema belongs to another module; skip if it cannot be built here
        pytest.skip(f"cannot build a warehouse: {exc}")
    out = tmp_path / "out"
    res = run_cli("--db", db, "extract", "--all", "--out", out)
    assert res.exit_code == 0, res.output
    files = list(out.glob("*.json"))
    assert len(files) == 1 and "extracted 1 article" in res.stdout
    rec = ArticleRecord.model_validate_json(files[0].read_text())
    assert files[0].stem == rec.article.article_id
    assert (rec.article.published, rec.article.published_precision, rec.article.publisher) == (
        "2024-06-19", "day", "Reuters")
    assert any(c.transfer for c in rec.claims)
    res = run_cli("--db", db, "extract", "--article", "0000000000000000", "--out", out)
    assert res.exit_code == 1 and res.stderr.startswith("Error: ")
