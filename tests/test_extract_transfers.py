"""Transfers, claims, denials and agreements from text (warehouse.extract)."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.evaluate import evaluate
from warehouse.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_article, extract_many
from warehouse.records import ArticleRecord

SEED_RECORDS = Path(__file__).resolve().parent.parent / "seeds" / "records"
PUB = {"published": "2024-06-19", "published_precision": "day"}


def transfers(text: str, **kw):
    rec = extract_article(text, **{**PUB, **kw})
    return rec, [(c, c.transfer) for c in rec.claims if c.transfer is not None]


def triples(text: str, **kw):
    return [(t.supplier, t.recipient, t.category) for _, t in transfers(text, **kw)[1]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iran has shipped hundreds of Shahed drones to Russia, according to U.S. officials.",
         ("country:IRN", "country:RUS", "drones")),
        ("Ukraine received 12 F-16 jets from Denmark.", ("country:DNK", "country:UKR", "aircraft")),
        ("Germany promised to send a third IRIS-T system to Kyiv by mid-April.",
         ("country:DEU", "country:UKR", "air_defense")),
        ("Tehran denied supplying missiles to Moscow.", ("country:IRN", "country:RUS", "missiles")),
        ("Russia supplied Syria with S-400 air defense systems in 2017.",
         ("country:RUS", "country:SYR", "air_defense")),
        ("Turkey gave Ukraine Bayraktar TB2 drones.", ("country:TUR", "country:UKR", "drones")),
        ("Poland delivered more than 200 T-72 tanks to Ukraine.", ("country:POL", "country:UKR", "armored_vehicles")),
        ("Britain's supply of Storm Shadow cruise missiles to Ukraine angered Moscow.",
         ("country:GBR", "country:UKR", "missiles")),
        ("The shipment of 300 Javelin missiles from the United States to Taiwan arrived last week.",
         ("country:USA", "country:TWN", "missiles")),
        ("South Korea plans to buy 20 more F-35 jets from the United States.",
         ("country:USA", "country:KOR", "aircraft")),
        ("According to Western officials, Belarus has been sending artillery shells to Russia since March.",
         ("country:BLR", "country:RUS", "artillery_ammunition")),
        ("Satellite imagery showed oil transfers from Russia to North Korea.", ("country:RUS", "country:PRK", "oil")),
        ("Over 10,000 North Korean troops have been deployed to Ukraine to aid Russian forces.",
         ("country:PRK", "country:RUS", "troops")),
        ("Russian forces used North Korean ballistic missiles against Kharkiv.",
         ("country:PRK", "country:RUS", "ballistic_missiles")),
        ("Romania purchased seven Patriot batteries in 2017.", ("country:USA", "country:ROU", "air_defense")),
        ("Pyongyang reportedly supplied Moscow with large quantities of artillery shells.",
         ("country:PRK", "country:RUS", "artillery_ammunition")),
        ("North Korea could receive advanced missile technology from Russia.",
         ("country:RUS", "country:PRK", "technology")),
        ("Ten thousand containers were seen en route from North Korea to Russia.",
         ("country:PRK", "country:RUS", "munitions")),
    ],
)
def test_transfer_triples(text, expected):
    assert expected in triples(text)


def test_no_transfer_without_parties():
    assert triples("Hungary refused to allow weapons deliveries through its territory.") == []
    assert triples("The weather was fine and the shells of the turtles were green.") == []


def test_quantity_status_and_hedge():
    _, [(claim, t)] = transfers("Iran has shipped hundreds of Shahed drones to Russia, according to U.S. officials.")
    assert t.system == "system:shahed-136"
    assert (t.quantity.low, t.quantity.high, t.quantity.unit) == (200, None, "drone")
    assert t.status == "delivered" and claim.claimant == "country:USA"

    _, [(claim, t)] = transfers("Germany promised to send a third IRIS-T system to Kyiv by mid-April.")
    assert t.status == "promised" and (t.quantity.low, t.quantity.high) == (1, 1)
    assert t.period == "by mid-April" and t.period_end == "2025-04"

    _, [(claim, t)] = transfers("The Netherlands will deliver up to 24 F-16 fighter jets to Ukraine next year.")
    assert t.status == "planned" and claim.hedge == "expected" and t.quantity.high == 24
    assert (claim.date, claim.date_precision) == ("2025", "year")

    _, [(claim, t)] = transfers("Pyongyang allegedly provided at least 5,000 containers of ammunition to Moscow.")
    assert claim.hedge == "alleged" and t.quantity.low == 5000 and t.category == "munitions"

    _, [(claim, t)] = transfers("Richter estimates that North Korea could have supplied Russia with up to "
                                "three million artillery shells.")
    assert claim.hedge == "estimated" and t.quantity.high == 3_000_000

    _, [(claim, t)] = transfers("Belarus has been sending artillery shells to Russia since March.")
    assert t.status == "ongoing" and t.period_start == "2024-03"


def test_requests_and_purchases():
    _, [(_, t)] = transfers("Romania is negotiating with the United States to secure a Patriot system.")
    assert (t.supplier, t.recipient, t.status) == ("country:USA", "country:ROU", "requested")
    _, [(_, t)] = transfers("Japan purchased 400 missiles from the United States.")
    assert (t.supplier, t.recipient, t.status) == ("country:USA", "country:JPN", "ordered")


def test_inline_denial_links_the_denied_transfer():
    rec, [(claim, t)] = transfers("Tehran denied supplying missiles to Moscow.")
    assert t.status == "denied"
    denials = [c for c in rec.claims if c.predicate == "denial"]
    assert [(d.claimant, d.denies) for d in denials] == [("country:IRN", [claim.key])]


def test_denial_of_earlier_reports_one_per_party():
    text = ("According to U.S. officials, North Korea has supplied Russia with artillery shells. "
            "Both sides denied these reports.")
    rec, trs = transfers(text)
    keys = [c.key for c, _ in trs]
    denials = [c for c in rec.claims if c.predicate == "denial"]
    assert sorted(d.claimant for d in denials) == ["country:PRK", "country:RUS"]
    assert all(d.denies == keys and d.stance == "denies" for d in denials)

    text = ("North Korea has shipped dozens of ballistic missiles to Russia. "
            "Moscow and Pyongyang have denied arms transfers.")
    rec, _ = transfers(text)
    assert sorted(c.claimant for c in rec.claims if c.predicate == "denial") == ["country:PRK", "country:RUS"]


def test_context_fills_a_missing_recipient():
    text = ("Romania announced the deployment of a Patriot system to Kyiv. "
            "Germany has also promised to send a third Patriot battery.")
    assert ("country:DEU", "country:UKR", "air_defense") in triples(text)


def test_agreement_with_parties_provisions_and_natural_id():
    text = ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive "
            "strategic partnership treaty on Wednesday, pledging mutual assistance in the event of aggression.")
    rec = extract_article(text, **PUB)
    [ag] = rec.agreements
    assert ag.id == "agreement:prk-rus-strategic-partnership-treaty-2024"
    assert set(ag.parties) == {"country:RUS", "country:PRK"}
    assert (ag.kind, ag.status, ag.signed_on, ag.signed_precision) == ("treaty", "signed", "2024", "year")
    [claim] = [c for c in rec.claims if c.predicate == "agreement"]
    assert "mutual assistance in the event of aggression" in claim.provisions
    roles = {c.role.person: (c.role.role, c.role.organization) for c in rec.claims if c.role}
    assert roles["person:vladimir-putin"] == ("President", "country:RUS")
    assert roles["person:kim-jong-un"] == ("leader", "country:PRK")


def test_people_by_title_get_their_country():
    rec = extract_article("South Korean Defense Minister Shin Wonsik said Pyongyang shipped shells to Moscow. "
                          "Shin did not give details.", **PUB)
    ents = {e.id: e for e in rec.entities}
    assert ents["person:shin-wonsik"].parent == "country:KOR"
    assert sum(1 for m in rec.mentions if m.entity == "person:shin-wonsik") == 2
    [(claim, _)] = [(c, c.transfer) for c in rec.claims if c.transfer]
    assert claim.claimant == "person:shin-wonsik"


def test_capitals_and_seats_of_government_are_countries():
    rec = extract_article("The Kremlin and the White House traded barbs while Kyiv waited.", **PUB)
    assert {m.entity for m in rec.mentions} >= {"country:RUS", "country:USA", "country:UKR"}


def test_every_claim_quote_is_its_span():
    text = Path(__file__).resolve().parent.parent.joinpath("seeds", "000_5fa28b2da516ed9a.txt").read_text()
    rec = extract_article(text)
    assert rec.extractor.name == EXTRACTOR_NAME and rec.extractor.version == EXTRACTOR_VERSION
    for c in rec.claims:
        assert rec.article.text[c.start:c.end] == c.quote
    for m in rec.mentions:
        assert rec.article.text[m.start:m.end] == m.surface
    ArticleRecord.model_validate_json(rec.model_dump_json())  # round-trips


def _gold() -> list[ArticleRecord]:
    return [ArticleRecord.model_validate_json(p.read_text(encoding="utf-8"))
            for p in sorted(SEED_RECORDS.glob("*.json"))]


def _items(gold):
    return [{"text": g.article.text, "title": g.article.title, "publisher": g.article.publisher,
             "published": g.article.published, "published_precision": g.article.published_precision}
            for g in gold]


@pytest.mark.skipif(not SEED_RECORDS.is_dir(), reason="no curated seed records")
def test_seed_transfer_f1():
    gold = _gold()
    report = evaluate(gold, extract_many(_items(gold)))
    assert report.scores["transfers"].f1 >= 0.8, report.scores["transfers"]


@pytest.mark.skipif(not SEED_RECORDS.is_dir(), reason="no curated seed records")
def test_workers_give_identical_results_in_order():
    items = _items(_gold())[:3]
    one = extract_many(items, workers=1)
    two = extract_many(items, workers=2)
    assert [r.model_dump() for r in one] == [r.model_dump() for r in two]
    assert [r.article.text for r in two] == [it["text"] for it in items]


def test_deterministic():
    text = "Iran has shipped hundreds of Shahed drones to Russia, according to U.S. officials."
    assert extract_article(text).model_dump_json() == extract_article(text).model_dump_json()
