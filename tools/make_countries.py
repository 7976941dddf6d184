"""Regenerate warehouse/data/countries.csv from pycountry's ISO 3166-1 table.

Run by hand when ISO 3166 changes (``pip install pycountry``); the CSV is reviewed and
committed, and the warehouse never imports pycountry at run time. Short names people
use, demonyms and capitals live in aliases.csv, which is edited by hand.
"""

import csv
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "warehouse" / "data" / "countries.csv"

# The names people and newsrooms use where ISO's short name is not it.
PREFERRED = {
    "RUS": "Russia",
    "TUR": "Turkey",
    "PSE": "Palestine",
    "BRN": "Brunei",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "VAT": "Vatican City",
    "CPV": "Cape Verde",
    "CIV": "Ivory Coast",
}

rows = []
for c in pycountry.countries:
    rows.append(
        {
            "iso3": c.alpha_3,
            "iso2": c.alpha_2,
            "name": PREFERRED.get(c.alpha_3) or getattr(c, "common_name", None) or c.name,
            "iso_name": c.name,
            "official_name": getattr(c, "official_name", "") or "",
        }
    )
rows.sort(key=lambda r: r["iso3"])
with OUT.open("w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
print(f"wrote {len(rows)} countries to {OUT}")
