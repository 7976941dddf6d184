"""Smoke test of the scale benchmarks (benchmarks/): the whole run on a small corpus.

No timing is asserted: only that the run completes, prints its JSON last, and that the
warehouse holds exactly what the generated corpus says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is importable from a checkout even if not installed

from benchmarks.corpus import Manifest, generate  # noqa: E402
from benchmarks.run import REQUIRED_KEYS  # noqa: E402
from warehouse.records import ArticleRecord  # noqa: E402
from warehouse.views import load_views  # noqa: E402

ARTICLES = 200


def _extractor_available() -> bool:
    try:
        from warehouse.extract import extract_many  # noqa: F401
    except Exception:
        return False
    return True


def test_corpus_is_valid_deterministic_and_shaped_like_news():
    recs = list(generate(60, seed=7))
    assert recs == list(generate(60, seed=7))
    assert recs != list(generate(60, seed=8))
    man = Manifest()
    for r in recs:
        ArticleRecord.model_validate(r)  # quotes and surfaces equal the text at their spans
        man.add(r)
        words = len(r["article"]["text"].split())
        assert 480 <= words <= 900
    s = man.summary()
    assert s["claims_per_article"] == 6 and s["transfers_per_article"] == 2
    assert 6 <= s["entities_per_article"] <= 10
    assert len({r["article"]["id"] for r in recs}) == len(recs)
    # some stories are retold by other outlets: the same flows in different texts
    flows = [(c["transfer"]["supplier"], c["transfer"]["recipient"], c["transfer"]["item"])
             for r in recs for c in r["claims"] if c["key"] == "t1"]
    assert len(set(flows)) < len(flows)


@pytest.mark.slow
def test_benchmark_end_to_end(tmp_path: Path):
    args = [sys.executable, "-m", "benchmarks", "--articles", str(ARTICLES), "--out", str(tmp_path)]
    use_extractor = _extractor_available()
    args += ["--extract-sample", "40"] if use_extractor else ["--skip-extract"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])

    for key in REQUIRED_KEYS:
        assert key in result, key
    assert result["articles"] == ARTICLES
    assert set(result["view_ms"]) == {v.name for v in load_views()}
    assert all(ms >= 0 for ms in result["view_ms"].values())
    assert set(result["selective_ms"]) == set(result["view_ms"])  # one selective question per view
    assert all(ms >= 0 for ms in result["selective_ms"].values())
    assert all(n <= result["view_rows"][v] for v, n in result["selective_rows"].items())
    assert result["load_ratio"] > 0 and result["peak_rss_mb"] > 0 and result["db_bytes_per_article"] > 0
    assert result["reload_unchanged"] == ARTICLES
    if use_extractor:
        assert result["extract_words_per_s"] > 0 and result["extract_words_per_s_workers2"] > 0
    else:
        assert result["extract_words_per_s"] is None

    # The warehouse holds exactly what the corpus describes (checked here, not trusted from the JSON).
    man = Manifest()
    for rec in generate(ARTICLES, seed=result["seed"]):
        man.add(rec)
    expected = man.expected_rows()
    for db_name in ("library.duckdb", "native.duckdb"):
        con = duckdb.connect(str(tmp_path / db_name), read_only=True)
        try:
            def count(sql: str, con: duckdb.DuckDBPyConnection = con) -> int:
                return con.execute(sql).fetchone()[0]

            for table in ("articles", "sources", "mentions", "claims", "claim_denials", "transfers",
                          "person_roles", "agreements", "agreement_parties", "agreement_claims",
                          "agreement_provisions", "article_extractions"):
                assert count(f"SELECT count(*) FROM {table}") == expected[table], (db_name, table)
            assert count("SELECT count(*) FROM entities WHERE origin = 'record'") == expected["entities"], db_name
            assert count("SELECT count(*) FROM entity_aliases WHERE origin = 'record'") == \
                expected["entity_aliases"], db_name
            assert count("SELECT count(*) FROM load_batches WHERE outcome = 'ok'") >= 1
        finally:
            con.close()
    assert result["counts_match"] and result["native_counts_match"]


def test_results_file_keeps_one_block_per_size_in_order(tmp_path):
    from benchmarks import results_file

    md = tmp_path / "RESULTS.md"
    md.write_text("# Results\n\nProse written by hand.\n", encoding="utf-8")
    machine = {"cpu": "X", "nproc": 2, "ram_gb": 23.5, "python": "3.11", "duckdb": "2.0.0"}
    results_file.update(md, {"articles": 100000, "load_ratio": 2.4, "machine": machine})
    results_file.update(md, {"articles": 10000, "load_ratio": 2.0, "machine": machine})
    results_file.update(md, {"articles": 10000, "load_ratio": 1.9, "machine": machine})
    text = md.read_text()
    assert text.startswith("# Results\n\nProse written by hand.\n")
    assert text.count("<!-- benchmark articles=10000:") == 1 and '"load_ratio": 1.9' in text
    assert '"load_ratio": 2.0' not in text
    assert text.index("articles=10000:") < text.index("articles=100000:")
