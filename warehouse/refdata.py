"""Reference data: reviewed CSV files in warehouse/data, loaded by ``warehouse init``.

- countries.csv: ISO 3166-1 (generated from pycountry by tools/make_countries.py).
- entities.csv: international bodies, firms, agencies, places; catalogue/ (warehouse.catalogue)
  adds the weapon systems, defence firms and agencies, and capitals as places.
- aliases.csv: the names people use: short names, demonyms, capitals and seats of
  government used for their governments, abbreviations, transliterations; the catalogue
  adds system designators and aliases, firm aliases, demonyms, capitals, metonyms.
- item_categories.csv: the controlled vocabulary of transferred items.
- sanctions_regimes.csv: caps and embargoes (UNSCR 2397 oil cap, UN arms embargo).

Loading is idempotent: rows already present are left alone.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from . import catalogue
from .bulk import insert_new
from .normalize import alias_key
from .paths import DATA_DIR


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / name, dtype=str, keep_default_na=False).replace({"": None})


def _entities() -> pd.DataFrame:
    """entities.csv plus the catalogue's systems, firms and capitals (entities.csv wins on conflicts)."""
    rows = catalogue.merge_entities(_csv("entities.csv").fillna("").to_dict("records"))
    return pd.DataFrame(rows, columns=list(catalogue.ENTITY_COLUMNS)).replace({"": None})


def _aliases() -> pd.DataFrame:
    """aliases.csv plus the catalogue's aliases, one row per (entity, alias)."""
    rows = catalogue.merge_aliases(_csv("aliases.csv").fillna("").to_dict("records"))
    return pd.DataFrame(rows, columns=list(catalogue.ALIAS_COLUMNS))


def reference_entities() -> pd.DataFrame:
    countries = _csv("countries.csv")
    c = pd.DataFrame(
        {
            "entity_id": "country:" + countries["iso3"],
            "entity_type": "country",
            "name": countries["name"],
            "country_code": countries["iso3"],
            "parent_id": None,
        }
    )
    e = _entities()
    frame = pd.concat([c, e[["entity_id", "entity_type", "name", "country_code", "parent_id"]]], ignore_index=True)
    frame["origin"] = "reference"
    frame["is_new"] = False
    frame["batch_id"] = None
    return frame


def reference_aliases() -> pd.DataFrame:
    countries = _csv("countries.csv")
    parts = []
    for col, kind in (("name", "name"), ("iso_name", "iso_name"), ("official_name", "official_name")):
        sub = countries[countries[col].notna()]
        parts.append(pd.DataFrame({"entity_id": "country:" + sub["iso3"], "alias": sub[col], "alias_kind": kind}))
    ents = _entities()
    parts.append(pd.DataFrame({"entity_id": ents["entity_id"], "alias": ents["name"], "alias_kind": "name"}))
    parts.append(_aliases())
    frame = pd.concat(parts, ignore_index=True)
    frame["alias_key"] = frame["alias"].map(alias_key)
    frame["origin"] = "reference"
    return frame[frame["alias_key"] != ""]


def load_reference_data(conn: sa.Connection) -> dict[str, int]:
    """Insert missing reference rows; returns rows inserted per table."""
    ents = reference_entities()
    known = set(ents["entity_id"])
    aliases = reference_aliases()
    unknown = sorted(set(aliases["entity_id"]) - known)
    if unknown:
        raise ValueError(f"aliases.csv names unknown entities: {', '.join(unknown[:5])}")
    regimes = _csv("sanctions_regimes.csv")
    regimes["cap"] = pd.to_numeric(regimes["cap"])
    regimes["since"] = pd.to_datetime(regimes["since"]).dt.date
    return {
        "item_categories": insert_new(conn, "item_categories", _csv("item_categories.csv"), ["category"]),
        "entities": insert_new(conn, "entities", ents, ["entity_id"]),
        "entity_aliases": insert_new(conn, "entity_aliases", aliases, ["entity_id", "alias"]),
        "sanctions_regimes": insert_new(conn, "sanctions_regimes", regimes, ["regime_id"]),
    }
