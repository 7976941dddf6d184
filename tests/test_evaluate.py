"""Scoring predictions against gold records (warehouse.evaluate)."""

from __future__ import annotations

from warehouse.evaluate import evaluate, render_text
from warehouse.records import ArticleRecord

TEXT = "North Korea supplied Russia with shells. Russia sent oil to North Korea. Both sides denied these reports."


def claim(key, s, r, cat, low=None, high=None):
    t = {"supplier": s, "recipient": r, "item": cat, "category": cat, "status": "delivered"}
    if low is not None or high is not None:
        t["quantity"] = {"low": low, "high": high}
    return {"key": key, "predicate": "transfer", "quote": "QUOTE", "start": 0, "end": 5, "transfer": t}


def record(claims=(), entities=("country:PRK", "country:RUS"), agreements=(), denials=(), text=TEXT, name="curated"):
    ents = [{"id": e, "type": "country", "name": e, "country_code": e.split(":")[1]} for e in entities]
    cl = [{**c, "quote": text[:5]} for c in claims]
    for i, (who, keys) in enumerate(denials):
        cl.append({"key": f"d{i}", "predicate": "denial", "claimant": who, "stance": "denies", "quote": text[:5],
                   "start": 0, "end": 5, "denies": list(keys)})
    ags = [{"id": f"agreement:x{i}", "name": "x", "kind": "treaty", "status": "signed", "parties": list(p)}
           for i, p in enumerate(agreements)]
    return ArticleRecord.model_validate({"extractor": {"name": name, "version": "1"}, "article": {"text": text},
                                         "entities": ents, "claims": cl, "agreements": ags})


def test_perfect_match():
    g = record([claim("t1", "country:PRK", "country:RUS", "artillery_ammunition", 10, 10)],
               agreements=[("country:PRK", "country:RUS")], denials=[("country:RUS", ["t1"])])
    rep = evaluate([g], [g])
    for s in rep.scores.values():
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert not any(rep.misses.values()) and not any(rep.false_hits.values())


def test_precision_recall_and_lists():
    g = record([claim("t1", "country:PRK", "country:RUS", "artillery_ammunition", None, 4_800_000),
                claim("t2", "country:RUS", "country:PRK", "oil", 1_000_000, None)],
               denials=[("country:RUS", ["t1"]), ("country:PRK", ["t1"])])
    p = record([claim("t1", "country:PRK", "country:RUS", "artillery_ammunition", 4_800_000, None),
                claim("t2", "country:PRK", "country:RUS", "drones")],
               entities=("country:PRK", "country:RUS", "country:USA"), denials=[("country:RUS", ["t1"])],
               name="rules")
    rep = evaluate([g], [p])
    t = rep.scores["transfers"]
    assert (t.tp, t.fp, t.fn) == (1, 1, 1) and t.f1 == 0.5
    q = rep.scores["quantities"]
    assert (q.tp, q.fp, q.fn) == (0, 1, 2)  # bounds must match exactly
    e = rep.scores["entities"]
    assert (e.tp, e.fp, e.fn) == (2, 1, 0)
    d = rep.scores["denials"]
    assert (d.tp, d.fp, d.fn) == (1, 0, 1) and d.precision == 1.0 and d.recall == 0.5
    aid = g.article.article_id
    assert (aid, "country:RUS | country:PRK | oil") in rep.misses["transfers"]
    assert (aid, "country:PRK | country:RUS | drones") in rep.false_hits["transfers"]
    assert (aid, "country:USA") in rep.false_hits["entities"]
    text = render_text(rep)
    assert "transfers" in text and "missed transfers:" in text and "country:RUS | country:PRK | oil" in text


def test_agreements_by_party_set():
    g = record(agreements=[("country:RUS", "country:PRK")])
    p = record(agreements=[("country:PRK", "country:RUS"), ("country:PRK", "country:RUS", "country:USA")],
               entities=("country:PRK", "country:RUS", "country:USA"))
    s = evaluate([g], [p]).scores["agreements"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


def test_articles_matched_by_id_and_missing_predictions():
    g1 = record([claim("t1", "country:PRK", "country:RUS", "oil")])
    g2 = record([claim("t1", "country:PRK", "country:RUS", "oil")], text=TEXT + " More.")
    other = record([claim("t1", "country:PRK", "country:RUS", "oil")], text="Another text.")
    rep = evaluate([g1, g2], [other, g1])
    assert rep.articles == 2 and rep.articles_without_prediction == [g2.article.article_id]
    assert (rep.scores["transfers"].tp, rep.scores["transfers"].fn) == (1, 1)


def test_empty_categories_score_one():
    g = record()
    rep = evaluate([g], [g])
    assert rep.scores["transfers"].f1 == 1.0
    assert rep.as_dict()["scores"]["transfers"]["f1"] == 1.0


def test_cli_records_mode_still_scores_records():
    """``warehouse eval`` on ArticleRecord folders (not light gold): gold against itself is perfect."""
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from warehouse.cli import app

    seeds = Path(__file__).resolve().parent.parent / "seeds" / "records"
    runner = CliRunner()
    res = runner.invoke(app, ["eval", "--gold", str(seeds), "--pred", str(seeds)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "5 article(s)" in res.stdout and "missed" not in res.stdout and "false " not in res.stdout
    rows = [ln for ln in res.stdout.splitlines() if any(f"│ {c} " in ln for c in ("entities", "transfers",
                                                                                   "quantities", "agreements",
                                                                                   "denials"))]
    assert len(rows) == 5 and all(ln.rstrip(" │").endswith("1.000") for ln in rows), rows
    res = runner.invoke(app, ["eval", "--gold", str(seeds), "--pred", str(seeds), "--json"], catch_exceptions=False)
    scores = json.loads(res.stdout)["scores"]
    assert scores["transfers"]["f1"] == 1.0 and scores["transfers"]["tp"] > 0
    assert all(s["f1"] == 1.0 for s in scores.values())
