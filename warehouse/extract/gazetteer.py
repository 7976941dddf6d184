"""The gazetteer: every name the reference data knows, as spaCy phrase patterns.

Built once per process from warehouse/data/*.csv (countries, entities, aliases):
- countries by their short, ISO and official names, plus the aliases (short names,
  demonyms, capitals and seats of government, which stand for the country's government:
  "Pyongyang", "the Kremlin", "the White House" -> the country);
- international bodies, firms, agencies, weapon systems and places from entities.csv by
  name and alias; weapon-system designators also match their plural ("F-16s", "ATACMS");
- matching is case-sensitive (so "US" is the country and "us" is not); a name that is
  also a known place ("Kyiv") is the country unless the text uses it as a place
  ("in Kyiv", "downtown Pyongyang", "visit to Pyongyang"), then it is the place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import catalogue
from ..normalize import alias_key
from ..paths import DATA_DIR


@dataclass(frozen=True)
class EntityInfo:
    id: str
    type: str
    name: str
    country_code: str | None = None
    parent: str | None = None


@dataclass
class Gazetteer:
    entities: dict[str, EntityInfo] = field(default_factory=dict)
    # surface -> list of (entity id, alias kind)
    surfaces: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # surface -> country id
    places: dict[str, str] = field(default_factory=dict)  # capital surface -> location id
    by_key: dict[str, str] = field(default_factory=dict)  # alias_key -> entity id

    def add(self, surface: str, entity_id: str, kind: str) -> None:
        surface = surface.strip()
        if not surface:
            return
        lst = self.surfaces.setdefault(surface, [])
        if (entity_id, kind) not in lst:
            lst.append((entity_id, kind))
        self.by_key.setdefault(alias_key(surface), entity_id)

    def country_of(self, entity_id: str | None) -> str | None:
        """The country an entity stands for or belongs to (itself for a country)."""
        seen = 0
        while entity_id is not None and seen < 5:
            info = self.entities.get(entity_id)
            if info is None:
                return entity_id if entity_id.startswith("country:") else None
            if info.type == "country":
                return info.id
            entity_id = info.parent
            seen += 1
        return None


def _read(name: str) -> list[dict]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


_DESIGNATOR = re.compile(r"[A-Z]")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    g = Gazetteer()
    for row in _read("countries.csv"):
        cid = f"country:{row['iso3']}"
        g.entities[cid] = EntityInfo(cid, "country", row["name"], row["iso3"])
        g.add(row["name"], cid, "name")
        for extra in (row.get("iso_name"), row.get("official_name")):
            if extra and "," not in extra:
                g.add(extra, cid, "official_name")
                if extra.startswith("Republic of ") or extra.startswith("Kingdom of "):
                    g.add("the " + extra, cid, "official_name")
    for row in catalogue.merge_entities(_read("entities.csv")):
        info = EntityInfo(row["entity_id"], row["entity_type"], row["name"], row.get("country_code") or None,
                          row.get("parent_id") or None)
        g.entities.setdefault(info.id, info)
        g.add(info.name, info.id, "name")
        if info.type == "weapon_system":
            _add_system_variants(g, info.name, info.id)
        if info.type == "location" and info.parent and info.parent.startswith("country:"):
            g.places[info.name] = info.id
    for row in catalogue.merge_aliases(_read("aliases.csv")):
        eid, alias, kind = row["entity_id"], row["alias"], row["alias_kind"]
        if eid not in g.entities:
            continue
        if kind == "demonym":
            g.demonyms[alias] = eid
        g.add(alias, eid, kind)
        if g.entities[eid].type == "weapon_system":
            _add_system_variants(g, alias, eid)
        if eid.startswith("location:") and kind == "transliteration":
            g.places[alias] = eid
    for surface, options in list(g.surfaces.items()):
        # a class name shared by two systems ("River-class": an OPV and a destroyer) names neither
        if any(k == "class_name" for _, k in options) and len({e for e, _ in options}) > 1:
            kept = [(e, k) for e, k in options if k != "class_name"]
            if g.by_key.get(alias_key(surface)) not in {e for e, _ in kept}:
                g.by_key.pop(alias_key(surface), None)
            if kept:
                g.surfaces[surface] = kept
            else:
                del g.surfaces[surface]
    return g


def _add_system_variants(g: Gazetteer, name: str, eid: str) -> None:
    """Designators: "F-16" also as "F-16s"; "MIM-104 Patriot" also as "Patriot"."""
    if re.search(r"\d", name) and not name.endswith("s") and " " not in name:
        g.add(name + "s", eid, "plural")
    elif re.fullmatch(r"[A-Z][a-z]{3,}", name) and not name.endswith(("s", "x", "sh", "ch", "y")):
        g.add(name + "s", eid, "plural")  # a one-word name: "Typhoons", "Gripens", "Apaches", "Akincis"
    if " " in name and re.search(r"\b(?:System|Vehicle|Missile|Launcher|Gun|Howitzer|Rifle|Tank|Carrier|Helicopter|"
                                r"Aircraft|Drone|Radar|Rocket|Munition|Interceptor|Frigate|Corvette|Submarine)$", name):
        # "High Mobility Artillery Rocket System" -> "... Systems"
        g.add(name if name.endswith("Aircraft") else name + "s", eid, "plural")
    cls = re.match(r"^([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?)[- ][Cc]lass\b", name)
    if cls:  # "Virginia-class submarine" -> "Virginia-class" and "Virginia class" ("Virginia-class boats")
        for variant in (f"{cls.group(1)}-class", f"{cls.group(1)} class"):
            g.add(variant, eid, "class_name")  # dropped again when two systems share it (load_gazetteer)
    parts = name.split()
    if len(parts) == 2 and re.search(r"\d", parts[0]) and parts[1][0].isupper():
        g.add(parts[1], eid, "short_name")  # "MIM-104 Patriot" -> "Patriot"
    if len(parts) == 2 and re.search(r"\d", parts[1]) and parts[0][0].isupper() and "(" not in name:
        pass
    m = re.match(r"^([A-Z][\w-]+) \(([^)]+)\)$", name)  # "KN-23 (Hwasong-11)"
    if m:
        g.add(m.group(1), eid, "short_name")
        g.add(m.group(2), eid, "name")


def resolve(g: Gazetteer, surface: str, before: str) -> tuple[str, str] | None:
    """The entity a surface stands for, given the text right before it."""
    options = g.surfaces.get(surface)
    if not options:
        return None
    ids = [eid for eid, _ in options]
    place = g.places.get(surface) or g.places.get(surface.removeprefix("the "))
    if place and re.search(r"\b(?:officials|diplomats|sources|authorities|government|leaders|leadership)\s+in\s+$",
                           before, re.IGNORECASE):
        place = None  # "officials in Warsaw": the government
    if place and re.search(r"(?:\b(?:in|at|near|around|downtown|outside|into|across|visit to|trip to|"
                           r"arrival in|arrived in|flew to|flies to|travel to|travelled to|traveled to|streets of|"
                           r"capital,?)\s*)$", before, re.IGNORECASE):
        return place, "place"
    for prefer in ("country:", "body:", "org:", "system:", "person:", "location:"):
        for eid, kind in options:
            if eid.startswith(prefer):
                return eid, kind
    return ids[0], options[0][1]
