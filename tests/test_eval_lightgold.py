"""Light-gold evaluation (warehouse.evaluate: load_light_gold, extract_for_gold, evaluate_light; ``warehouse eval``).

The fixtures (tests/data/eval_fixtures/) are three invented articles; the predictions are
hand-made records on their cleaned texts, so every expected figure below is computed by hand:

01_norway_k9 (europe, other)      gold: KOR->NOR weapons 24 ($700m, claimant NOR, ordered),
                                        KOR->NOR armored_vehicles 60 (claimant NOR, promised),
                                        agreement kor-nor-defence-industry-2025 (KOR, NOR)
                                  pred: org:hanwha-aerospace->NOR weapons 24 (claimant none, ordered),
                                        agreement kor-nor-2025-03 (KOR, NOR)
02_seoul_denial (europe, other)   gold: KOR->NOR weapons 6 (delivered), KOR->NOR drones (denied),
                                        denial by KOR of the drones, the same agreement (KOR, NOR)
                                  pred: the same two transfers and the denial,
                                        agreement kor-nor-usa-defence-industry (KOR, NOR, USA)
03_pyongyang_drone_test (hard negative, russia_ukraine, seed)
                                  gold: nothing; pred: RUS->PRK drones (planned)
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import warehouse.evaluate as ev
from warehouse.cli import app
from warehouse.db import WarehouseError
from warehouse.evaluate import (
    evaluate_light,
    extract_for_gold,
    is_light_gold,
    load_light_gold,
    match_predictions,
    render_light,
)
from warehouse.ingest import read_articles
from warehouse.records import ArticleRecord

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "eval_fixtures"

# facet: (gold, pred, match, P, R, F1)
EXPECTED = {
    "transfers": (4, 4, 3, 0.75, 0.75, 0.75),
    "quantities": (3, 2, 2, 1.0, 0.6667, 0.8),
    "values": (1, 0, 0, 0.0, 0.0, 0.0),
    "claimants": (4, 4, 2, 0.5, 0.5, 0.5),
    "statuses": (4, 4, 3, 0.75, 0.75, 0.75),
    "denials": (1, 1, 1, 1.0, 1.0, 1.0),
    "agreements": (2, 2, 1, 0.5, 0.5, 0.5),
}


def _entity(eid: str) -> dict:
    kind, _, code = eid.partition(":")
    if kind == "country":
        return {"id": eid, "type": "country", "name": code, "country_code": code}
    return {"id": eid, "type": {"org": "organization", "person": "person"}.get(kind, "other"), "name": code}


def _record(text: str, transfers=(), denials=(), agreements=()) -> ArticleRecord:
    """A prediction on ``text``: transfers (supplier, recipient, category, low, high, status, claimant),
    denials (claimant, index of the denied transfer), agreements (id, parties)."""
    quote = text.split("\n")[0]
    span = {"quote": quote, "start": 0, "end": len(quote)}
    ids: set[str] = set()
    claims = []
    for i, (s, r, cat, low, high, status, who) in enumerate(transfers):
        t = {"supplier": s, "recipient": r, "item": cat, "category": cat, "status": status}
        if low is not None or high is not None:
            t["quantity"] = {"low": low, "high": high}
        claims.append({"key": f"t{i}", "predicate": "transfer", "claimant": who, "transfer": t, **span})
        ids.update(x for x in (s, r, who) if x)
    for j, (who, target) in enumerate(denials):
        claims.append({"key": f"d{j}", "predicate": "denial", "claimant": who, "stance": "denies",
                       "denies": [f"t{target}"], **span})
        ids.add(who)
    ags = []
    for aid, parties in agreements:
        ags.append({"id": aid, "name": aid, "kind": "deal", "status": "signed", "parties": list(parties)})
        ids.update(parties)
    return ArticleRecord.model_validate({
        "extractor": {"name": "hand", "version": "1"}, "article": {"text": text},
        "entities": [_entity(e) for e in sorted(ids)], "claims": claims, "agreements": ags})


KOR, NOR, RUS, PRK, USA = "country:KOR", "country:NOR", "country:RUS", "country:PRK", "country:USA"


def _predictions(articles) -> list[ArticleRecord]:
    a1, a2, a3 = (a.cleaned.cleaned_text for a in articles)
    return [
        _record(a1, transfers=[("org:hanwha-aerospace", NOR, "weapons", 24, 24, "ordered", None)],
                agreements=[("agreement:kor-nor-2025-03", (KOR, NOR))]),
        _record(a2, transfers=[(KOR, NOR, "weapons", 6, 6, "delivered", None),
                               (KOR, NOR, "drones", None, None, "denied", None)],
                denials=[(KOR, 1)], agreements=[("agreement:kor-nor-usa-defence-industry", (KOR, NOR, USA))]),
        _record(a3, transfers=[(RUS, PRK, "drones", None, None, "planned", None)]),
    ]


@pytest.fixture(scope="module")
def articles():
    return load_light_gold(FIXTURES)


@pytest.fixture(scope="module")
def report(articles):
    return evaluate_light(articles, _predictions(articles))


@pytest.fixture
def pred_dir(tmp_path, articles) -> Path:
    d = tmp_path / "pred"
    d.mkdir()
    for a, rec in zip(articles, _predictions(articles), strict=True):
        (d / f"{a.name}.json").write_text(rec.model_dump_json(indent=1), encoding="utf-8")
    return d


@pytest.fixture
def run_cli(monkeypatch):
    monkeypatch.delenv("WAREHOUSE_DB", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _bad_copy(tmp_path: Path, name: str, edit) -> Path:
    d = tmp_path / "gold"
    shutil.copytree(FIXTURES, d)
    p = d / f"{name}.gold.json"
    data = json.loads(p.read_text())
    edit(data)
    p.write_text(json.dumps(data))
    return d


# --- reading ---------------------------------------------------------------------------


def test_load_light_gold(articles):
    assert [a.name for a in articles] == ["01_norway_k9", "02_seoul_denial", "03_pyongyang_drone_test"]
    a1 = articles[0]
    assert a1.gold.article.region == "europe" and a1.gold.transfers[0].value_amount == 7e8
    assert articles[2].gold.article.hard_negative and not articles[2].gold.transfers
    assert is_light_gold(FIXTURES) and not is_light_gold(ROOT / "seeds" / "records")


def test_cleaned_as_ingest_cleans(articles):
    a1 = articles[0]
    (ingested,) = read_articles(a1.txt_path)
    assert a1.cleaned.cleaned_text == ingested.cleaned_text and a1.article_id == ingested.article_id
    assert "Advertisement" not in a1.cleaned.cleaned_text and "Share this" not in a1.cleaned.cleaned_text
    assert a1.cleaned.dateline == "OSLO"


def test_extract_for_gold(articles):
    recs = extract_for_gold(articles)
    assert [r.article.article_id for r in recs] == [a.article_id for a in articles]
    r = recs[0]
    assert (r.article.title, r.article.publisher) == ("Norway orders more K9 howitzers from South Korea", "Reuters")
    assert (r.article.published, r.article.published_precision) == ("2025-03-04", "day")
    assert match_predictions(articles, list(reversed(recs))) == recs


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["transfers"][1].update(category="tanks"), "02_seoul_denial.gold.json field transfers[1].category: "),
    (lambda d: d["transfers"][0].update(quote="not in the text"),
     "02_seoul_denial.gold.json field transfers[0].quote: not found in 02_seoul_denial.txt"),
    (lambda d: d["article"].update(published="2025-02-30"),
     "02_seoul_denial.gold.json field article: published '2025-02-30' is not a calendar date"),
    (lambda d: d["article"].pop("region"), "02_seoul_denial.gold.json field article.region: Field required"),
    (lambda d: d["transfers"][0].update(quantity_low=9), "field transfers[0]: quantity_low 9 is above quantity_high 6"),
    (lambda d: d["transfers"][0].update(value_amount=5.0), "field transfers[0]: value_amount and value_currency go"),
    (lambda d: d.update(notes="x"), "02_seoul_denial.gold.json field notes: Extra inputs are not permitted"),
    (lambda d: d["article"].update(hard_negative=True), "02_seoul_denial.gold.json: a hard negative holds no"),
    (lambda d: d["denials"][0].update(denier="Korea"), "field denials[0].denier: String should match pattern"),
])
def test_bad_gold_names_file_and_field(tmp_path, edit, message):
    d = _bad_copy(tmp_path, "02_seoul_denial", edit)
    with pytest.raises(WarehouseError) as exc:
        load_light_gold(d)
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_bad_gold_files(tmp_path):
    d = tmp_path / "gold"
    shutil.copytree(FIXTURES, d)
    (d / "04_orphan.txt").write_text("Some text.\n")
    with pytest.raises(WarehouseError, match=r"04_orphan.txt: no gold file beside it"):
        load_light_gold(d)
    (d / "04_orphan.txt").unlink()
    (d / "01_norway_k9.gold.json").write_text("{not json")
    with pytest.raises(WarehouseError, match=r"01_norway_k9.gold.json: malformed JSON \(line 1"):
        load_light_gold(d)
    (d / "01_norway_k9.txt").unlink()
    with pytest.raises(WarehouseError, match=r"01_norway_k9.gold.json: no article text beside it"):
        load_light_gold(d)
    nested = tmp_path / "outer"
    shutil.copytree(FIXTURES, nested / "dev")
    with pytest.raises(WarehouseError, match="light gold only in subfolders"):
        is_light_gold(nested)


# --- scoring ---------------------------------------------------------------------------


def test_facet_scores(report):
    got = {f: (d["gold"], d["pred"], d["match"], d["precision"], d["recall"], d["f1"])
           for f, d in report.as_dict()["scores"].items()}
    assert got == EXPECTED


def test_claimants_agreements_hard_negatives(report):
    assert (report.claimant_found, report.claimant_right) == (3, 2)
    assert report.real_agreements == {"agreement:kor-nor-defence-industry-2025":
                                      {"agreement:kor-nor-2025-03", "agreement:kor-nor-usa-defence-industry"}}
    assert report.ids_per_agreement == 2.0
    assert report.non_signatory == [("02_seoul_denial", "agreement:kor-nor-usa-defence-industry", USA)]
    assert report.hard_negative_hits == [("03_pyongyang_drone_test", "country:RUS | country:PRK | drones")]


def test_misses_and_false_hits(report):
    assert report.misses["transfers"] == [("01_norway_k9", "country:KOR | country:NOR | armored_vehicles")]
    assert report.false_hits["transfers"] == [("03_pyongyang_drone_test", "country:RUS | country:PRK | drones")]
    assert report.misses["values"] == [("01_norway_k9", "country:KOR | country:NOR | weapons | 700000000 | USD")]
    assert ("01_norway_k9", "country:KOR | country:NOR | weapons | country:NOR") in report.misses["claimants"]
    assert ("01_norway_k9", "country:KOR | country:NOR | weapons | -") in report.false_hits["claimants"]
    assert report.misses["statuses"] == [("01_norway_k9", "country:KOR | country:NOR | armored_vehicles | promised")]


def test_breakdowns_and_per_article(report):
    d = report.as_dict()
    other, seed = d["by_theatre"]["other"], d["by_theatre"]["seed"]
    assert (other["transfers"]["gold"], other["transfers"]["pred"], other["transfers"]["match"]) == (4, 3, 3)
    assert (other["transfers"]["f1"], other["quantities"]["f1"]) == (0.8571, 0.8)
    assert (seed["transfers"]["pred"], seed["transfers"]["f1"], seed["quantities"]["f1"]) == (1, 0.0, 1.0)
    assert d["by_region"]["europe"] == other and d["by_region"]["russia_ukraine"] == seed
    per = {a["article"]: a["scores"] for a in d["per_article"]}
    assert per["01_norway_k9"]["transfers"]["f1"] == 0.6667 and per["02_seoul_denial"]["transfers"]["f1"] == 1.0


def test_no_prediction_counts_as_misses(articles):
    preds = _predictions(articles)
    rep = evaluate_light(articles, [None, preds[1], preds[2]])
    t = rep.scores["transfers"]
    assert (t.tp, t.fp, t.fn) == (2, 1, 2)
    assert rep.as_dict()["articles_without_prediction"] == ["01_norway_k9"]
    assert rep.real_agreements["agreement:kor-nor-defence-industry-2025"] == {"agreement:kor-nor-usa-defence-industry"}


def test_org_kept_when_the_gold_names_it(articles):
    gold = articles[0].gold
    t0 = gold.transfers[0].model_copy(update={"supplier": "org:hanwha-aerospace"})
    g = gold.model_copy(update={"transfers": [t0, *gold.transfers[1:]]})
    a = ev.GoldArticle(articles[0].name, articles[0].gold_path, articles[0].txt_path, articles[0].raw_text, g)
    rep = evaluate_light([a], _predictions(articles)[:1])
    assert rep.scores["transfers"].tp == 1 and rep.misses["transfers"][0][1].startswith("country:KOR")


def test_predicted_values(monkeypatch, articles):
    monkeypatch.setattr(ev, "HAS_PREDICTED_VALUES", True)
    assert ev._predicted_value(SimpleNamespace(value_amount=2.6 * 1e9, value_currency="USD")) == (2.6e9, "USD")
    assert ev._predicted_value(SimpleNamespace(value_amount=None, value_currency=None)) is None
    values = {24.0: (7e8, "USD"), 6.0: (1e6, "EUR")}  # the K9s of 01 (right) and of 02 (no gold value)
    monkeypatch.setattr(ev, "_predicted_value", lambda t: values.get(t.quantity.high) if t.quantity else None)
    s = evaluate_light(articles, _predictions(articles)).scores["values"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


def test_render(report):
    text = render_light(report, per_article=True, details=True)
    assert "facet         gold  pred match      P      R     F1" in text
    assert "\nmissed values:\n  01_norway_k9  country:KOR | country:NOR | weapons | 700000000 | USD" in text


# --- the command -----------------------------------------------------------------------

KEY_LINES = [
    "3 article(s), 1 hard negative(s)",
    "facet         gold  pred match      P      R     F1",
    "transfers        4     4     3  0.750  0.750  0.750",
    "quantities       3     2     2  1.000  0.667  0.800",
    "values           1     0     0  0.000  0.000  0.000",
    "claimants        4     4     2  0.500  0.500  0.500",
    "statuses         4     4     3  0.750  0.750  0.750",
    "denials          1     1     1  1.000  1.000  1.000",
    "agreements       2     2     1  0.500  0.500  0.500",
    "claimant accuracy of found transfers: 2/3 = 0.667",
    "agreements: 1 of 1 real agreement(s) found, ids per real agreement 2.00 (ideal 1.0), "
    "1 with a non-signatory party",
    "  02_seoul_denial  agreement:kor-nor-usa-defence-industry  non-signatory: country:USA",
    "hard negatives: 1 transfer(s) predicted on 1 hard-negative article(s) (ideal 0)",
    "  03_pyongyang_drone_test  country:RUS | country:PRK | drones",
    "other            transfers      4     3     3  1.000  0.750  0.857",
    "seed             transfers      0     1     0  0.000  0.000  0.000",
    "europe           quantities     3     2     2  1.000  0.667  0.800",
]


def test_cli_with_predictions(run_cli, pred_dir):
    res = run_cli("eval", "--gold", FIXTURES, "--pred", pred_dir)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    for line in KEY_LINES:
        assert line in lines, line
    assert "missed transfers:" not in res.stdout and "01_norway_k9 " not in res.stdout
    res = run_cli("eval", "--gold", FIXTURES, "--pred", pred_dir, "--per-article", "--details")
    lines = res.stdout.splitlines()
    assert "01_norway_k9            europe              2     1     1  0.667       2     1     1  0.667" in lines
    assert "03_pyongyang_drone_test russia_ukraine      0     1     0  0.000       0     0     0  1.000  " \
           "(hard negative)" in lines
    assert "missed transfers:" in lines


def test_cli_json(run_cli, pred_dir):
    res = run_cli("eval", "--gold", FIXTURES, "--pred", pred_dir, "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["scores"]["transfers"] == {"gold": 4, "pred": 4, "match": 3, "precision": 0.75, "recall": 0.75,
                                        "f1": 0.75}
    assert d["agreements"]["ids_per_real_agreement"] == 2.0
    assert d["claimant_accuracy_of_found_transfers"] == {"found": 3, "right": 2, "accuracy": 0.6667}
    assert d["hard_negatives"]["transfers_predicted"] == 1 and len(d["per_article"]) == 3


def test_cli_runs_the_extractor(run_cli):
    res = run_cli("eval", "--gold", FIXTURES, "--workers", "1")
    assert res.exit_code == 0, res.output
    assert "3 article(s), 1 hard negative(s)" in res.stdout
    for facet, gold in (("transfers", 4), ("quantities", 3), ("values", 1), ("claimants", 4), ("statuses", 4),
                        ("denials", 1), ("agreements", 2)):
        row = rf"^{facet} +{gold} +\d+ +\d+ +\d\.\d{{3}} +\d\.\d{{3}} +\d\.\d{{3}}$"
        assert re.search(row, res.stdout, re.M), facet


def _one_error(res) -> str:
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    return lines[0]


def test_cli_bad_gold(run_cli, tmp_path):
    d = _bad_copy(tmp_path, "01_norway_k9", lambda g: g["transfers"][0].update(status="sold"))
    line = _one_error(run_cli("eval", "--gold", d))
    assert "01_norway_k9.gold.json field transfers[0].status: Input should be" in line
    nested = tmp_path / "outer"
    shutil.copytree(FIXTURES, nested / "dev")
    assert "light gold only in subfolders" in _one_error(run_cli("eval", "--gold", nested))
    assert "no such gold folder" in _one_error(run_cli("eval", "--gold", tmp_path / "nope"))
    assert "--per-article needs a light-gold folder" in _one_error(
        run_cli("eval", "--gold", ROOT / "seeds" / "records", "--per-article"))


# --- the evaluation sets themselves (tests/data/eval/{dev,test,holdout,blind2,blind3,blind4}) ---
# File checks only: the gold loads (shape, ids, categories, quotes in the .txt), every quote
# survives the ingest cleaner, and an agreement id names the same parties wherever it is used.
# Nothing here runs the extractor: test/, holdout/ and blind2/ are blind splits, scored once.

EVAL_SETS = ROOT / "tests" / "data" / "eval"


@pytest.mark.parametrize("split", ["dev", "test", "holdout", "blind2", "blind3", "blind4"])
def test_eval_set_files(split):
    arts = load_light_gold(EVAL_SETS / split)
    assert len(arts) >= (20 if split in ("blind2", "blind3", "blind4") else 22)
    assert all(re.fullmatch(r"\d{2,3}_[a-z0-9_]+", a.name) for a in arts)
    assert sum(a.gold.article.hard_negative for a in arts) >= 4
    parties: dict[str, set] = {}
    for a in arts:
        g, text = a.gold, a.cleaned.cleaned_text
        assert (g.article.theatre == "seed") == (g.article.region == "russia_ukraine"), a.name
        for part in ("transfers", "denials", "agreements"):
            for i, item in enumerate(getattr(g, part)):
                assert item.quote in text, f"{a.name} {part}[{i}]: quote lost by the ingest cleaner"
        for t in g.transfers:
            assert t.supplier.startswith(("country:", "other:")), (a.name, t.supplier)
        for ag in g.agreements:
            assert ag.agreement_id.startswith("agreement:"), (a.name, ag.agreement_id)
            assert parties.setdefault(ag.agreement_id, set(ag.parties)) == set(ag.parties), (a.name, ag.agreement_id)


def test_gold_ids_are_read_through_the_catalogues_aliases():
    from warehouse.evaluate import canonical_gold_id

    # a slug of a firm's full name is the catalogue's entity; a known id, a country and an unknown slug stay
    assert canonical_gold_id("org:korea-aerospace-industries") == "org:kai"
    assert canonical_gold_id("org:turkish-aerospace") == "org:tusas"
    assert canonical_gold_id("org:kai") == "org:kai"
    assert canonical_gold_id("country:KOR") == "country:KOR"
    assert canonical_gold_id("org:no-such-firm-anywhere") == "org:no-such-firm-anywhere"
    assert canonical_gold_id(None) is None
