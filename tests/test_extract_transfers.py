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
    # the 2024 treaty is in the reference file (warehouse/data/agreements.csv): its id and contents
    assert ag.id == "agreement:rus-prk-comprehensive-strategic-partnership-2024"
    assert set(ag.parties) == {"country:RUS", "country:PRK"}
    assert (ag.kind, ag.status, ag.signed_on, ag.signed_precision) == ("treaty", "signed", "2024-06-19", "day")
    [claim] = [c for c in rec.claims if c.predicate == "agreement"]
    assert "mutual assistance in the event of aggression" in claim.provisions
    roles = {c.role.person: (c.role.role, c.role.organization) for c in rec.claims if c.role}
    assert roles["person:vladimir-putin"] == ("President", "country:RUS")
    assert roles["person:kim-jong-un"] == ("leader", "country:PRK")


def test_agreement_outside_the_reference_gets_a_natural_id():
    text = ("Mali and Burkina Faso signed a mutual defence pact on Wednesday, pledging to treat an attack "
            "on one as an attack on both.")
    [ag] = extract_article(text, **PUB).agreements
    assert ag.id == "agreement:bfa-mli-mutual-defense-pact-2024"
    assert set(ag.parties) == {"country:MLI", "country:BFA"}
    assert (ag.kind, ag.status, ag.signed_on, ag.signed_precision) == ("pact", "signed", "2024", "year")


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


# --------------------------------------------------------------------------- generalisation (0.5)

def denials_of(rec):
    by_key = {c.key: c for c in rec.claims}
    out = set()
    for c in rec.claims:
        if c.predicate == "denial":
            for k in c.denies:
                t = by_key[k].transfer
                out.add((c.claimant, t.supplier, t.recipient, t.category))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # coordinated suppliers and recipients
        ("Norway and Denmark have delivered CV90 infantry fighting vehicles to Kyiv.",
         {("country:NOR", "country:UKR", "armored_vehicles"), ("country:DNK", "country:UKR", "armored_vehicles")}),
        ("Sweden, Finland and Estonia sent artillery shells to Ukraine in May.",
         {("country:SWE", "country:UKR", "artillery_ammunition"),
          ("country:FIN", "country:UKR", "artillery_ammunition"),
          ("country:EST", "country:UKR", "artillery_ammunition")}),
        ("Belarus shipped fuel to Syria and Venezuela last winter.",
         {("country:BLR", "country:SYR", "oil"), ("country:BLR", "country:VEN", "oil")}),
        # a package that includes items, recipient from the article's main counterpart
        ("Ukraine needs air defence. Ukraine's allies met in Brussels. Canada announced a new package that "
         "includes NASAMS launchers and 155mm artillery rounds.",
         {("country:CAN", "country:UKR", "air_defense"), ("country:CAN", "country:UKR", "artillery_ammunition")}),
        # agentive nouns
        ("Russia keeps buying abroad. Turkey has become the main supplier of machine tools to Russia.",
         {("country:TUR", "country:RUS", "technology")}),
        # "take volumes of" with the origin on the item
        ("Indian refiners have taken huge volumes of Russian crude since 2022.",
         {("country:RUS", "country:IND", "oil")}),
        # relative object clause + "came from"
        ("Officials say most of the microchips that Iran imported last year came from China.",
         {("country:CHN", "country:IRN", "technology")}),
        # help build a factory
        ("Belarus reportedly helped Russia build a drone factory near Minsk.",
         {("country:BLR", "country:RUS", "technology")}),
        # demonym group as recipient after "to"
        ("Serbian firms were selling explosives to Russian arms factories, the report says.",
         {("country:SRB", "country:RUS", "munitions")}),
        # arrival of a named system: the maker's country sends it
        ("A second SAMP/T battery, built by a French-Italian consortium, arrived in Ukraine last week.",
         {("country:FRA", "country:UKR", "air_defense")}),
        # "hand over N": the particle is no quantity qualifier; "it" is the speaker of the sentence
        ("Slovakia said it would hand over 13 MiG-29 fighter jets to Ukraine.",
         {("country:SVK", "country:UKR", "aircraft")}),
    ],
)
def test_generalised_transfer_phrases(text, expected):
    assert set(triples(text)) == expected


def test_hand_over_quantity_is_exact():
    _, ts = transfers("Slovakia said it would hand over 13 MiG-29 fighter jets to Ukraine.")
    q = ts[0][1].quantity
    assert (q.low, q.high) == (13, 13)


def test_several_dozen_and_approximate_figures():
    _, ts = transfers("Iran has sent several dozen Mohajer-6 drones to Sudan.")
    q = ts[0][1].quantity
    assert (q.low, q.high) == (24, None)
    _, ts = transfers("North Korea has sent roughly 3,000 soldiers to Russia.")
    q = ts[0][1].quantity
    assert (q.low, q.high, q.qualifier) == (3000, 3000, "roughly")
    _, ts = transfers("The Kremlin may receive as many as 5,000 troops from North Korea.")
    q = ts[0][1].quantity
    assert (q.low, q.high) == (None, 5000)


def test_named_system_with_adjectives_is_one_item():
    _, ts = transfers("Sweden delivered Archer self-propelled howitzers to Ukraine.")
    assert [(t.system, t.category) for _, t in ts] == [("system:archer", "weapons")]
    _, ts = transfers("The Pentagon announced a package that includes ammunition for the M270 launchers for Ukraine.")
    assert [(t.category, t.system) for _, t in ts] == [("artillery_ammunition", "system:m270")]


def test_negated_transfer_is_a_denial_not_a_transfer():
    text = ("Officials in Kyiv said Belarus had shipped artillery shells to Russia in March. "
            "Belarusian Foreign Minister Maxim Ryzhenkov wrote that Minsk had not sent any artillery shells to Russia.")
    rec, ts = transfers(text)
    assert [(t.supplier, t.recipient, t.category) for _, t in ts] == \
        [("country:BLR", "country:RUS", "artillery_ammunition")]
    assert denials_of(rec) == {("person:maxim-ryzhenkov", "country:BLR", "country:RUS", "artillery_ammunition")}


def test_denial_by_titled_spokesman_of_earlier_allegations():
    text = ("Ukrainian intelligence alleged that Chinese firms were shipping drone engines to Russia. "
            "Western officials say China sold machine tools to Russia. "
            "Chinese foreign ministry spokeswoman Mao Ning rejected the accusations on Monday and called them "
            "baseless.")
    rec, _ = transfers(text)
    assert denials_of(rec) == {("person:mao-ning", "country:CHN", "country:RUS", "technology")}
    [d] = [c for c in rec.claims if c.predicate == "denial"]
    assert d.denies == ["t1"]  # the alleged shipment, not the officials' plain report


def test_called_the_reports_baseless_is_a_denial():
    text = ("Media reports say Belarus has sent tanks to Russia. "
            "Belarusian Defence Minister Viktor Khrenin called the reports baseless.")
    rec, _ = transfers(text)
    assert denials_of(rec) == {("person:viktor-khrenin", "country:BLR", "country:RUS", "armored_vehicles")}


def test_not_just_is_no_negation():
    rec, ts = transfers("The report suggests Iran is not just sending drones to Russia.")
    assert [(t.supplier, t.recipient) for _, t in ts] == [("country:IRN", "country:RUS")]
    assert not [c for c in rec.claims if c.predicate == "denial"]


def test_declared_partnership_is_an_agreement():
    rec = extract_article("Iran and Russia declared a strategic partnership in January 2025, weeks before "
                          "Russian forces struck Ukraine again.", **PUB)
    assert [sorted(a.parties) for a in rec.agreements] == [["country:IRN", "country:RUS"]]


def test_military_rank_and_bare_appositive_titles():
    rec = extract_article("Pentagon spokesman Major General Ann Kessler said more aid would follow. "
                          "\"This matters,\" said Ivan Petrov, director of the Kiel Institute.", **PUB)
    ids = {e.id for e in rec.entities}
    assert "person:ann-kessler" in ids and "person:ivan-petrov" in ids
    assert "org:us-department-of-defense" in ids


def test_regional_groups_and_wire_credit():
    rec = extract_article("LONDON (Reuters) - Western officials and two European intelligence sources said Iran "
                          "sent drones to Russia, according to diplomats.", **PUB)
    ids = {e.id for e in rec.entities}
    assert {"other:western-officials", "other:european-intelligence-sources", "other:diplomats",
            "location:london"} <= ids
    assert "org:reuters" not in ids


def test_framework_agreement_with_parties_and_day_date():
    rec = extract_article("Poland and South Korea concluded a framework agreement on defence procurement on "
                          "August 27, 2022.", **PUB)
    [ag] = rec.agreements
    assert sorted(ag.parties) == ["country:KOR", "country:POL"]
    [a] = [c for c in rec.claims if c.predicate == "agreement"]
    assert (a.date, a.date_precision) == ("2022-08-27", "day")


def test_appositive_lowercase_minister_role():
    rec = extract_article("Sergei Shoigu, the Russian defence minister, met his hosts. Tomas Novak, the Czech "
                          "foreign minister, said more shells would follow.", **PUB)
    roles = {(c.role.person, c.role.organization) for c in rec.claims if c.predicate == "role"}
    assert ("person:tomas-novak", "country:CZE") in roles


def test_spokesman_country_from_possessive_title():
    text = ("Kyiv says Iran sent drones to Russia. Iran's Foreign Ministry spokesman Reza Karimi denied the claims.")
    rec, _ = transfers(text)
    assert denials_of(rec) == {("person:reza-karimi", "country:IRN", "country:RUS", "drones")}


def test_the_seed_articles_extract_one_id_for_the_2024_treaty():
    """Issue 13's check, on the extractor side: the five seed articles call the treaty "a new 'strategic
    partnership' treaty", "the defense agreement", "the Comprehensive Strategic Partnership Treaty", ...;
    read as `warehouse run` reads them (cleaned text, month-precision dates), every mention of it is the
    reference agreement (warehouse/data/agreements.csv), whose id the curated seed records use too."""
    from warehouse.etl import read_article_files

    articles = read_article_files([SEED_RECORDS.parent])
    recs = extract_many([{"text": a.cleaned_text, "title": a.title, "publisher": a.publisher,
                          "published": a.published, "published_precision": a.published_precision or "unknown"}
                         for a in articles])
    ids = {ag.id for r in recs for ag in r.agreements}
    treaty = "agreement:rus-prk-comprehensive-strategic-partnership-2024"
    assert treaty in ids
    assert {i for i in ids if "treaty" in i or "partnership" in i or "defense" in i} == {treaty}
    for r in recs:
        for ag in r.agreements:
            if ag.id == treaty:
                assert set(ag.parties) == {"country:RUS", "country:PRK"}
