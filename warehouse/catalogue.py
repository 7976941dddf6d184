"""The reference catalogue of the arms trade: weapon systems, firms and country names.

Reviewed CSV files in warehouse/data/catalogue (see its README.md for columns, sources
and review rules):

- systems.csv: weapon systems and families (id, name, designator, aliases, category,
  origin, maker, kind);
- firms.csv: defence firms and state agencies with their country;
- countries.csv: demonyms, capitals, seats of government, metonyms and short names
  for every country in warehouse/data/countries.csv.

``entity_rows()`` and ``alias_rows()`` give these as rows shaped like entities.csv and
aliases.csv; ``merge_entities()`` and ``merge_aliases()`` put them after the rows of those
files (deduplicated, the hand-kept files win), which is what refdata and the gazetteer load.
Capitals and seats of government are also ``location:`` entities (the place reading of
"in Hanoi"), as location:kyiv is for Kyiv.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .normalize import slug
from .paths import DATA_DIR

CATALOGUE_DIR = DATA_DIR / "catalogue"

ENTITY_COLUMNS = ("entity_id", "entity_type", "name", "country_code", "parent_id")
ALIAS_COLUMNS = ("entity_id", "alias", "alias_kind")


@dataclass(frozen=True)
class System:
    system_id: str
    name: str
    designator: str
    aliases: tuple[str, ...]
    category: str
    origin: str  # ISO3; empty for a multinational programme (then partners is set)
    maker: str  # an org: id from firms.csv, or empty
    kind: str
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Firm:
    org_id: str
    name: str
    aliases: tuple[str, ...]
    country: str  # ISO3; empty for a multinational firm (then hq_country is set)
    hq_country: str
    kind: str


@dataclass(frozen=True)
class CountryNames:
    iso3: str
    demonyms: tuple[str, ...]
    capital: tuple[str, ...]  # first spelling is the place's name, the rest transliterations
    seat_of_government: tuple[str, ...]
    metonyms: tuple[str, ...]
    short_names: tuple[str, ...]
    note: str  # why a column is empty (uninhabited, no distinct demonym, ...)


@dataclass(frozen=True)
class ReferenceAgreement:
    """A row of warehouse/data/agreements.csv: a major agreement as its parties signed it."""
    agreement_id: str
    name: str
    kind: str
    status: str
    signed_on: str
    parties: tuple[str, ...]
    names: tuple[str, ...]
    words: frozenset[str]
    systems: frozenset[str]
    source: str


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split("|") if p.strip())


def _read(name: str) -> list[dict[str, str]]:
    with (CATALOGUE_DIR / name).open(newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def systems() -> tuple[System, ...]:
    return tuple(
        System(r["system_id"], r["name"], r["designator"], _split(r["aliases"]), r["category"], r["origin"],
               r["maker"], r["kind"], _split(r.get("partners")))
        for r in _read("systems.csv")
    )


@lru_cache(maxsize=1)
def firms() -> tuple[Firm, ...]:
    return tuple(
        Firm(r["org_id"], r["name"], _split(r["aliases"]), r["country"], r.get("hq_country", ""), r["kind"])
        for r in _read("firms.csv")
    )


@lru_cache(maxsize=1)
def country_names() -> tuple[CountryNames, ...]:
    return tuple(
        CountryNames(r["iso3"], _split(r["demonyms"]), _split(r["capital"]), _split(r["seat_of_government"]),
                     _split(r["metonyms"]), _split(r["short_names"]), r.get("note", ""))
        for r in _read("countries.csv")
    )


@lru_cache(maxsize=1)
def reference_agreements() -> tuple[ReferenceAgreement, ...]:
    """The reviewed reference file of major agreements (warehouse/data/agreements.csv; comment
    lines start with '#')."""
    with (DATA_DIR / "agreements.csv").open(newline="", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#") and ln.strip()]
    rows = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(lines)]
    return tuple(ReferenceAgreement(
        r["agreement_id"], r["name"], r["kind"], r["status"], r["signed_on"], _split(r["parties"]),
        _split(r["names"]), frozenset(w.lower() for w in _split(r["words"])), frozenset(_split(r["systems"])),
        r["source"]) for r in rows)


@lru_cache(maxsize=1)
def _system_index() -> dict[str, System]:
    return {s.system_id: s for s in systems()}


@lru_cache(maxsize=1)
def _firm_index() -> dict[str, Firm]:
    return {f.org_id: f for f in firms()}


def system_category(system_id: str | None) -> str | None:
    """The item category of a catalogued system (None when it is not catalogued)."""
    s = _system_index().get(system_id or "")
    return s.category if s else None


def system_origin(system_id: str | None) -> str | None:
    """The ISO3 code of the country a system comes from (None if unknown or multinational)."""
    s = _system_index().get(system_id or "")
    return (s.origin or None) if s else None


def firm_country(org_id: str | None) -> str | None:
    """The ISO3 code of a firm's or agency's country (its HQ country for a multinational)."""
    f = _firm_index().get(org_id or "")
    return (f.country or f.hq_country or None) if f else None


def _capital_places(c: CountryNames, country_name: str) -> list[tuple[str, ...]]:
    """Spellings of the capital and seat of government, each a place (first spelling is its name)."""
    places = [c.capital] if c.capital else []
    if c.seat_of_government and c.seat_of_government[0] not in c.capital:
        places.append(c.seat_of_government)
    return [p for p in places if p[0] != country_name]  # "Singapore", "Monaco": the country itself


@lru_cache(maxsize=1)
def _country_display_names() -> dict[str, str]:
    with (DATA_DIR / "countries.csv").open(newline="", encoding="utf-8") as fh:
        return {r["iso3"]: r["name"] for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _entity_rows() -> tuple[dict[str, str], ...]:
    rows: list[dict[str, str]] = []
    for s in systems():
        rows.append({"entity_id": s.system_id, "entity_type": "weapon_system", "name": s.name, "country_code": "",
                     "parent_id": f"country:{s.origin}" if s.origin else ""})
    for f in firms():
        rows.append({"entity_id": f.org_id, "entity_type": "organization", "name": f.name, "country_code": "",
                     "parent_id": f"country:{f.country}" if f.country else ""})
    names = _country_display_names()
    for c in country_names():
        for spellings in _capital_places(c, names.get(c.iso3, "")):
            rows.append({"entity_id": f"location:{slug(spellings[0])}", "entity_type": "location",
                         "name": spellings[0], "country_code": "", "parent_id": f"country:{c.iso3}"})
    return tuple(rows)


def entity_rows() -> list[dict[str, str]]:
    """Catalogue entities in the shape of entities.csv (systems, firms, capitals as places)."""
    return [dict(r) for r in _entity_rows()]


def _system_alias_kind(alias: str, s: System) -> str:
    stems = [x for x in (s.designator, s.name) if x]
    if any(alias != x and alias.startswith(x) and re.match(r"[\w-]", alias[len(x):len(x) + 1] or " ")
           for x in stems) and re.search(r"\d", alias):
        return "variant"  # "K2PL", "F-16V", "Leopard 2A7"
    if re.fullmatch(r"[A-Z][A-Z/&.-]+", alias):
        return "abbreviation"
    if alias in s.name:
        return "short_name"
    return "name"


def _short_name_kind(alias: str) -> str:
    return "abbreviation" if re.fullmatch(r"[A-Z][A-Z.]+", alias) else "short_name"


@lru_cache(maxsize=1)
def _alias_rows() -> tuple[dict[str, str], ...]:
    rows: list[tuple[str, str, str]] = []
    for s in systems():
        rows.append((s.system_id, s.name, "name"))
        if s.designator:
            rows.append((s.system_id, s.designator, "designation"))
        rows.extend((s.system_id, a, _system_alias_kind(a, s)) for a in s.aliases)
    for f in firms():
        rows.append((f.org_id, f.name, "name"))
        rows.extend((f.org_id, a, "abbreviation" if re.fullmatch(r"[A-Z][A-Z&.-]+", a) else "short_name")
                    for a in f.aliases)
    names = _country_display_names()
    for c in country_names():
        cid = f"country:{c.iso3}"
        rows.extend((cid, d, "demonym") for d in c.demonyms)
        places = _capital_places(c, names.get(c.iso3, ""))
        rows.extend((cid, a, "capital") for a in c.capital if a != names.get(c.iso3))
        rows.extend((cid, a, "seat_of_government") for a in c.seat_of_government if a not in c.capital)
        rows.extend((cid, m, "metonym") for m in c.metonyms)
        rows.extend((cid, n, _short_name_kind(n)) for n in c.short_names)
        for spellings in places:  # the other spellings of a capital are spellings of the place too
            rows.extend((f"location:{slug(spellings[0])}", a, "transliteration") for a in spellings[1:])
    seen: set[tuple[str, str]] = set()
    out = []
    for eid, alias, kind in rows:
        if (eid, alias) not in seen:
            seen.add((eid, alias))
            out.append({"entity_id": eid, "alias": alias, "alias_kind": kind})
    return tuple(out)


def alias_rows() -> list[dict[str, str]]:
    """Catalogue aliases in the shape of aliases.csv (entity_id, alias, alias_kind)."""
    return [dict(r) for r in _alias_rows()]


def merge_entities(base: Iterable[dict]) -> list[dict]:
    """``base`` (rows of entities.csv) then the catalogue's entities not in it: entities.csv wins."""
    out = [dict(r) for r in base]
    seen = {r["entity_id"] for r in out}
    out.extend(r for r in entity_rows() if r["entity_id"] not in seen)
    return out


def merge_aliases(base: Iterable[dict]) -> list[dict]:
    """``base`` (rows of aliases.csv) then the catalogue's aliases not in it, one row per (entity, alias)."""
    out = [dict(r) for r in base]
    seen = {(r["entity_id"], r["alias"]) for r in out}
    for r in alias_rows():
        if (r["entity_id"], r["alias"]) not in seen:
            seen.add((r["entity_id"], r["alias"]))
            out.append(r)
    return out
