"""The reference catalogue (warehouse/data/catalogue, warehouse.catalogue): counts, ids, aliases,
vocabularies, the names the gazetteer resolves, and `warehouse run seeds/` unchanged by it."""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import duckdb
import pytest
from typer.testing import CliRunner

from warehouse import catalogue
from warehouse.cli import app
from warehouse.extract.gazetteer import load_gazetteer, resolve
from warehouse.normalize import alias_key
from warehouse.paths import DATA_DIR, SEEDS_DIR
from warehouse.refdata import reference_aliases, reference_entities
from warehouse.schema import ITEM_CATEGORIES

ISO3 = {r["iso3"] for r in csv.DictReader((DATA_DIR / "countries.csv").open(encoding="utf-8"))}
CATEGORY_ROWS = {r["category"] for r in csv.DictReader((DATA_DIR / "item_categories.csv").open(encoding="utf-8"))}
SYSTEM_CATEGORIES = {"artillery_ammunition", "munitions", "ballistic_missiles", "missiles", "air_defense", "drones",
                     "aircraft", "armored_vehicles", "small_arms", "naval_vessels", "technology", "weapons"}

# The weapon systems entities.csv held before the catalogue, with the category items.py gave them
# (gold records in seeds/records and tests/data/heldout/records use these ids).
KEPT = {
    "air_defense": "patriot iris-t nasams s-400 s-300 samp-t hawk gepard pantsir tor stinger avenger piorun thaad sm-3",
    "aircraft": "f-16 mig-29 gripen su-35 su-27 f-35 mirage-2000 fa-50 yak-130 mi-28 su-25 eurofighter rafale "
                "f-15 a-50",
    "ballistic_missiles": "atacms kn-23 kn-24 kn-25 iskander hwasong-15 fath-360 kinzhal kn-23-launcher kn-25-mrl "
                          "oreshnik hwasong-11",
    "missiles": "storm-shadow taurus kalibr harpoon javelin scalp kh-101 zircon nlaw",
    "drones": "shahed-136 shahed-131 lancet bayraktar-tb2 shahed-238 mohajer-6 ababil switchblade",
    "armored_vehicles": "leopard-2 abrams challenger-2 bradley stryker t-72 k2-black-panther marder leopard-1 cv90 "
                        "amx-10-rc t-90 m113 mrap",
    "weapons": "himars m777 caesar k9-thunder m270 chunmoo krab pzh-2000 archer",
    "artillery_ammunition": "excalibur",
}
KEPT_IDS = {f"system:{s}": cat for cat, ids in KEPT.items() for s in ids.split()}
# Firms and agencies whose ids entities.csv already used.
KEPT_ORGS = ("hanwha-aerospace baykar rosoboronexport rostec norinco kai iai rafael elbit-systems us-state-department "
             "us-department-of-defense lockheed-martin raytheon-technologies rheinmetall diehl-defence bae-systems "
             "general-dynamics northrop-grumman boeing mbda thales saab kongsberg leonardo hyundai-rotem "
             "krauss-maffei-wegmann almaz-antey pgz nammo knds").split()
# Surfaces the gazetteer gives two systems or two firms, all from before the catalogue or documented in its
# README: SCALP (system:scalp, legacy alias of Storm Shadow), Hwasong-11 (system:hwasong-11 and the name
# "KN-23 (Hwasong-11)"), Thunder (K9 Thunder and "JF-17 Thunder"), KNDS (org:knds, legacy successor alias).
SHARED_SURFACES = {"SCALP", "Hwasong-11", "Hwasong-11s", "Thunder", "KNDS"}


def test_counts():
    assert len(catalogue.systems()) >= 600
    assert len(catalogue.firms()) >= 150
    codes = [c.iso3 for c in catalogue.country_names()]
    assert sorted(codes) == sorted(ISO3) and len(codes) == len(set(codes))


def test_every_country_has_a_demonym_or_says_why_not():
    for c in catalogue.country_names():
        assert c.demonyms or c.note, f"{c.iso3}: no demonym and no note"
        assert c.capital or c.note, f"{c.iso3}: no capital and no note"


def test_ids_are_unique_slugs():
    sids = [s.system_id for s in catalogue.systems()]
    oids = [f.org_id for f in catalogue.firms()]
    assert len(sids) == len(set(sids)) and len(oids) == len(set(oids))
    assert all(re.fullmatch(r"system:[a-z0-9]+(?:-[a-z0-9]+)*", s) for s in sids), [
        s for s in sids if not re.fullmatch(r"system:[a-z0-9]+(?:-[a-z0-9]+)*", s)]
    assert all(re.fullmatch(r"org:[a-z0-9]+(?:-[a-z0-9]+)*", o) for o in oids)


def test_names_and_aliases_are_unique_across_systems_and_firms():
    owners: dict[str, set[str]] = defaultdict(set)
    for s in catalogue.systems():
        for a in (s.name, s.designator, *s.aliases):
            if a:
                owners[alias_key(a)].add(s.system_id)
    for f in catalogue.firms():
        for a in (f.name, *f.aliases):
            owners[alias_key(a)].add(f.org_id)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_no_alias_is_a_country_name_or_a_demonym():
    country = set()
    for r in csv.DictReader((DATA_DIR / "countries.csv").open(encoding="utf-8")):
        country |= {alias_key(r["name"]), alias_key(r["iso_name"])}
    for c in catalogue.country_names():
        country |= {alias_key(x) for x in (*c.demonyms, *c.short_names, *c.capital, *c.metonyms)}
    for s in catalogue.systems():
        assert not {alias_key(a) for a in (s.name, s.designator, *s.aliases) if a} & country, s.system_id
    for f in catalogue.firms():
        assert not {alias_key(a) for a in (f.name, *f.aliases)} & country, f.org_id


def test_vocabularies_countries_and_makers():
    assert "naval_vessels" in ITEM_CATEGORIES and "naval_vessels" in CATEGORY_ROWS
    orgs = {f.org_id for f in catalogue.firms()}
    for s in catalogue.systems():
        assert s.category in SYSTEM_CATEGORIES and s.category in ITEM_CATEGORIES, s.system_id
        assert s.kind, s.system_id
        assert s.origin in ISO3 or (not s.origin and s.partners), f"{s.system_id}: origin {s.origin!r}"
        assert all(p in ISO3 for p in s.partners), s.system_id
        assert not s.maker or s.maker in orgs, f"{s.system_id}: maker {s.maker} is not in firms.csv"
    for f in catalogue.firms():
        assert f.country in ISO3 or (not f.country and f.hq_country in ISO3), f.org_id
        assert not f.hq_country or f.hq_country in ISO3, f.org_id
        assert f.kind, f.org_id


def test_demonyms_belong_to_one_country():
    owner: dict[str, set[str]] = defaultdict(set)
    for c in catalogue.country_names():
        for d in c.demonyms:
            owner[d].add(c.iso3)
    for r in csv.DictReader((DATA_DIR / "aliases.csv").open(encoding="utf-8")):
        if r["alias_kind"] == "demonym":
            owner[r["alias"]].add(r["entity_id"].removeprefix("country:"))
    assert not {d: v for d, v in owner.items() if len(v) > 1}


def test_existing_systems_and_firms_are_kept_with_their_categories():
    for sid, cat in KEPT_IDS.items():
        assert catalogue.system_category(sid) == cat, sid
    assert len(KEPT_IDS) == 83
    firm_ids = {f.org_id for f in catalogue.firms()}
    assert {f"org:{o}" for o in KEPT_ORGS} <= firm_ids
    assert catalogue.system_origin("system:k2-black-panther") == "KOR"
    assert catalogue.system_origin("system:eurofighter") is None  # multinational: partners instead
    assert catalogue.firm_country("org:naval-group") == "FRA"
    assert catalogue.firm_country("org:mbda") == "FRA"  # multinational: its HQ country
    assert catalogue.system_category("system:unknown") is None


def test_refdata_has_the_systems_once_and_entities_csv_wins():
    ents = reference_entities()
    assert not ents["entity_id"].duplicated().any()
    by_id = ents.set_index("entity_id")
    assert set(KEPT_IDS) <= set(by_id.index)
    assert by_id.loc["system:patriot", "name"] == "MIM-104 Patriot"
    assert by_id.loc["system:patriot", "parent_id"] == "country:USA"
    assert by_id.loc["org:mbda", "parent_id"] == "country:FRA"  # entities.csv's row, not the catalogue's
    assert by_id.loc["location:hanoi", "parent_id"] == "country:VNM"
    aliases = reference_aliases()
    assert set(aliases["entity_id"]) <= set(ents["entity_id"])
    rows = catalogue.alias_rows()
    assert len({(r["entity_id"], r["alias"]) for r in rows}) == len(rows)
    pairs = set(zip(aliases["entity_id"], aliases["alias"], strict=True))
    assert ("system:k2-black-panther", "K2PL") in pairs and ("country:IND", "Indian") in pairs


def test_entity_and_alias_rows_have_the_csv_shapes():
    assert all(tuple(r) == catalogue.ENTITY_COLUMNS for r in catalogue.entity_rows())
    assert all(tuple(r) == catalogue.ALIAS_COLUMNS for r in catalogue.alias_rows())
    kinds = {r["alias_kind"] for r in catalogue.alias_rows()}
    assert kinds <= {"name", "short_name", "designation", "variant", "demonym", "capital", "seat_of_government",
                     "metonym", "abbreviation", "transliteration"}


@pytest.mark.parametrize(("surface", "before", "expected"), [
    ("K2PL", "", "system:k2-black-panther"),
    ("Rafale", "", "system:rafale"),
    ("Naval Group", "", "org:naval-group"),
    ("Élysée", "", "country:FRA"),
    ("Elysee", "", "country:FRA"),
    ("Quai d'Orsay", "", "country:FRA"),
    ("South Block", "", "country:IND"),
    ("Hanoi", "", "country:VNM"),
    ("Hanoi", "talks in ", "location:hanoi"),
    ("Patriot", "", "system:patriot"),
    ("Pentagon", "", "org:us-department-of-defense"),
    ("Kyiv", "in ", "location:kyiv"),
    ("HQ-9", "", "system:hq-9"),
    ("Harop", "", "system:harop"),
])
def test_gazetteer_resolves(surface, before, expected):
    got = resolve(load_gazetteer(), surface, before)
    assert got is not None and got[0] == expected


def test_gazetteer_demonyms_and_firm_countries():
    g = load_gazetteer()
    assert g.demonyms["Indian"] == "country:IND" and g.demonyms["Indians"] == "country:IND"
    assert g.country_of("org:naval-group") == "country:FRA"
    assert g.country_of("system:rafale") == "country:FRA"


def test_no_surface_names_two_systems_or_two_firms():
    g = load_gazetteer()
    for surface, options in g.surfaces.items():
        ids = {e for e, _ in options if e.startswith(("system:", "org:"))}
        if len(ids) > 1:
            assert surface in SHARED_SURFACES, (surface, ids)


def _transfers(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [c[0] for c in con.execute("DESCRIBE transfers").fetchall() if c[0] != "batch_id"]
        return con.execute(f"SELECT {', '.join(cols)} FROM transfers ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_run_seeds_gives_the_same_transfers_with_and_without_the_catalogue(tmp_path, monkeypatch):
    """Without = the reference data before the catalogue: entities.csv, aliases.csv and the 83 systems."""
    monkeypatch.delenv("WAREHOUSE_DB", raising=False)
    runner = CliRunner()
    with_cat = tmp_path / "with.duckdb"
    assert runner.invoke(app, ["--db", str(with_cat), "run", str(SEEDS_DIR), "--quiet"]).exit_code == 0
    old_ents = [r for r in catalogue.entity_rows() if r["entity_id"] in KEPT_IDS]
    old_aliases = [r for r in catalogue.alias_rows() if r["entity_id"] in KEPT_IDS]
    monkeypatch.setattr(catalogue, "merge_entities", lambda base: [dict(r) for r in base] + old_ents)
    monkeypatch.setattr(catalogue, "merge_aliases", lambda base: [dict(r) for r in base] + old_aliases)
    without = tmp_path / "without.duckdb"
    assert runner.invoke(app, ["--db", str(without), "run", str(SEEDS_DIR), "--quiet"]).exit_code == 0
    got = _transfers(with_cat)
    assert got == _transfers(without) and len(got) >= 50
