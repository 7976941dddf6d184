"""The item lexicon: what is being transferred, and its category.

Item nouns are matched with their usual modifiers ("short-range ballistic missiles",
"containers of munitions", "barrels of oil", "advanced missile technology"). A named
weapon system ("a Patriot air defense system", "F-16 fighter jets") is one item whose
category comes from the system (or the noun after it when the system is unknown).
Container nouns ("containers", "barrels", "shipments") take the category of what they
hold when an "of" phrase follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import DESIGNATOR, DESIGNATOR_NAME, ITEM_LEXICON, ITEM_MODIFIERS, SYSTEM_CATEGORY, VARIANT

# Modifiers and head nouns with their categories: resources/item_modifiers.csv and item_heads.csv
# (earlier rows win on overlap; the longest match is preferred anyway).
_ADJ = ITEM_MODIFIERS
LEXICON: list[tuple[str, str]] = ITEM_LEXICON

# One adjective prefix shared by all alternatives (much faster than one per alternative).
ITEM_RE = re.compile(
    rf"\b(?=[A-Za-z])(?P<adj>{_ADJ})(?:" + "|".join(f"(?P<c{i}>(?:{p}))" for i, (p, _) in enumerate(LEXICON))
    + r")\b"
    # a noun modifier, not what is sent: "ammunition plants", "drone factory", "arms industry"
    r"(?!\s+(?:plants?|factor(?:y|ies)|industry|industries|makers?|manufacturers?|producers?|depots?|"
    r"stockpiles?|stocks|production|workshops?|programs?|programmes?|exports?\s+controls?|markets?|networks?|"
    r"sectors?|budgets?|umbrella|layers?)\b)",
    re.IGNORECASE,
)

# SYSTEM_CATEGORY (named system -> category): resources/system_categories.csv
__all__ = ["SYSTEM_CATEGORY", "Item", "find_items", "merge_systems"]

CONTAINER_HEADS = re.compile(r"^(?:shipping\s+)?(?:containers?|barrels|tons|tonnes|shipments|cargoes)$", re.I)
# Generic nouns that are items only next to a transfer verb, never on their own.
WEAK_ITEMS = re.compile(r"^(?:equipment|goods|energy|gas|armou?r|labou?r|launchers?|rockets?|fuel|"
                        r"personnel|funds|funding|support|assistance)$", re.IGNORECASE)


@dataclass
class Item:
    start: int
    end: int
    text: str
    category: str
    system: str | None = None


# an unknown designator (and its name words, and lowercase modifiers) right before an item's head:
# "J-35A stealth fighter jets", "AIM-9X Sidewinder Block II missiles", "HQ-9B long-range air defence system"
_DESIGNATOR_BEFORE = re.compile(rf"(?<![\w/-])(?:{DESIGNATOR})(?:\s+(?:{DESIGNATOR_NAME})){{0,3}}"
                                r"(?:\s+[a-z][a-z-]*){0,3}\s+$")
# the gap between a named system and the head noun of its item: "Rafale F4 fighter jets", "Patriot batteries"
_SYSTEM_GAP = re.compile(rf"\s{{0,2}}|[-\s]class\s+|(?:/[A-Z0-9]{{1,3}})?"
                         rf"(?:\s+(?:Block|Lot|Tranche|Increment)\s+[\dIVX]+[A-Z]?(?:/[\dIVX]+)?)?\s+|\s(?:(?:{VARIANT}|(?!(?:and|or|to|from|for|of|in|with|by|at|on)\s)[a-z][a-z-]*)"
                         r"\s){1,3}")
_DIGIT = re.compile(r"\d")
_VARIANT_GAP = re.compile(r"\s+|\s+(?:Block\s+[IVX\d]+[A-Z]?|Increment\s+\d|Mk\s?\d+|[A-Z]?\d[A-Z]?)\s+")
_PLATFORM_AFTER = re.compile(r"\s+(?:chassis|hulls?|platforms?|airframes?|design|"
                             # a name that only qualifies another noun: "the European F-16 Training Center", "F-16
                             # pilots", "the F-16 coalition"
                             r"(?:training|pilots?|crews?|coalition|programmes?|programs?|school|academy|simulators?|"
                             r"instructors?|mechanics|technicians|maintenance|hub|cent(?:er|re)))\b", re.I)
_PLATFORM_BEFORE = re.compile(r"\b(?:built|based|mounted|modell?ed|derived)\s+(?:on|from)\s+(?:the\s+|an?\s+|its\s+)?$",
                              re.I)
_PARTS = re.compile(r"(?:spare\s+)?parts(?:\s+for\s+.*)?|spares|components", re.I | re.S)
_PARTS_FOR = re.compile(r"\s+(?:for|and)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}")


def system_category(sid: str) -> str | None:
    """A named system's category: resources/system_categories.csv (the conventions of the gold sets),
    else the catalogue's (warehouse/data/catalogue/systems.csv), when the record schema knows it."""
    cat = SYSTEM_CATEGORY.get(sid)
    if cat is None:
        cat = _catalogue_category(sid)
    return cat


UNKNOWN = "?"  # a catalogued category the record schema does not know yet (naval_vessels): no item


def _catalogue_category(sid: str) -> str | None:
    try:
        from ..catalogue import system_category as catalogue_category
        from ..schema import ITEM_CATEGORIES

        cat = catalogue_category(sid)
    except (ImportError, OSError, KeyError, ValueError):  # no catalogue yet
        return None
    if cat is None:
        return None
    return cat if cat in ITEM_CATEGORIES else UNKNOWN


def _with_designator(text: str, start: int) -> int:
    """The start of the item phrase with an unknown designator before it ("J-35A ...")."""
    lo = max(0, start - 60)
    before = text[lo:start]
    if not _DIGIT.search(before):
        return start
    m = _DESIGNATOR_BEFORE.search(before)
    return lo + m.start() if m else start


def find_items(text: str) -> list[Item]:
    """Item phrases in ``text`` with their categories, left to right, not overlapping."""
    out: list[Item] = []
    for m in ITEM_RE.finditer(text):
        idx = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None and k != "adj")
        phrase = m.group(0)
        start = m.start()
        # drop leading adjectives that are not part of what is sent ("more", "further")
        lead = re.match(r"(?:(?:more|further|additional|large|significant|vast|new)\s+)+", phrase, re.I)
        if lead and len(lead.group(0)) < len(phrase):
            start += lead.end()
            phrase = phrase[lead.end():]
        if text.startswith(("'s", "’s"), m.end()):
            continue  # a possessor, not what is sent: "the aircraft's engines"
        d_start = _with_designator(text, start)
        if d_start < start and not (out and out[-1].end > d_start):
            start, phrase = d_start, text[d_start:m.end()]
        if out and _PARTS.fullmatch(out[-1].text) and _PARTS_FOR.fullmatch(text[out[-1].end:start]):
            # "spare parts for attack helicopters and Harpoon missiles": parts, not helicopters
            prev = out.pop()
            out.append(Item(prev.start, m.end(), text[prev.start:m.end()], prev.category))
            continue
        out.append(Item(start, m.end(), phrase, LEXICON[idx][1]))
    return out


def merge_systems(text: str, items: list[Item], systems: list[tuple[int, int, str]]) -> list[Item]:
    """Fold named systems into item phrases: "Patriot" + "air defense system" -> one item."""
    items = sorted(items, key=lambda i: i.start)
    used: set[int] = set()
    out: list[Item] = []
    for s_start, s_end, sid in systems:
        if any(o.start <= s_start and o.end >= s_end for o in out):
            continue  # a second name of a system inside an item already made ("AIM-120C-8 AMRAAM missiles")
        cat = system_category(sid)
        merged = None
        for k, it in enumerate(items):
            if k in used:
                continue
            if it.end <= s_start and (it.category in ("munitions", "artillery_ammunition") or (
                    it.category == "missiles" and cat == "air_defense")) and \
                    re.fullmatch(r"\s+for\s+(?:the\s+|its\s+|their\s+)?", text[it.end:s_start]):
                # "ammunition for the HIMARS": ammunition (artillery rounds for an artillery system)
                # "missiles for the IRIS-T air defence system": interceptors, so air defence
                ammo_cat = "artillery_ammunition" if cat == "weapons" else ("air_defense" if cat == "air_defense"
                                                                            else it.category)
                if cat in ("ballistic_missiles", "missiles") and re.search(r"\bpods?$", it.text, re.I):
                    ammo_cat = cat  # "64 pods for the Army Tactical Missile System (ATACMS)": the missiles
                end = s_end
                for k2, it2 in enumerate(items):  # "ammunition for the M270 launchers"
                    if k2 not in used and k2 != k and it2.start >= s_end and \
                            re.fullmatch(r"\s{0,2}|\s(?:[a-z][a-z-]*\s){1,2}", text[s_end:it2.start]):
                        end = it2.end
                        used.add(k2)
                        break
                merged = Item(it.start, end, text[it.start:end], ammo_cat, sid)
                used.add(k)
                break
            gap = text[s_end:it.start]
            # "Patriot batteries", "Fath-360 close-range ballistic missiles", "M270 tracked launchers"
            if it.start >= s_end and _SYSTEM_GAP.fullmatch(gap):
                # "HIMARS ammunition", "Excalibur rounds": what is sent is the ammunition
                ammo = it.category in ("artillery_ammunition", "munitions", "technology")  # "Rafale production line"
                merged = Item(s_start, it.end, text[s_start:it.end], it.category if ammo else (cat or it.category), sid)
                used.add(k)
                break
            if it.start <= s_start and it.end >= s_end:  # the system is inside an item phrase
                keep = _PARTS.fullmatch(it.text) is not None  # "spare parts for Harpoon missiles"
                merged = Item(it.start, it.end, it.text, it.category if keep else (cat or it.category), sid)
                used.add(k)
                break
        if merged is None:
            if _PLATFORM_AFTER.match(text, s_end) or _PLATFORM_BEFORE.search(text, max(0, s_start - 30), s_start):
                continue  # "vehicles built on the K2 chassis", "based on the Piranha": a platform, not what is sent
            if any(o.start <= s_start and o.end >= s_end for o in out):
                continue  # a second name of a system inside an item already made ("AN/MPQ-64F1 Sentinel radars")
            merged = Item(s_start, s_end, text[s_start:s_end], cat or "weapons", sid)
        out.append(merged)
    for k, it in enumerate(items):
        if k not in used and not any(o.start <= it.start < o.end for o in out):
            out.append(it)
    out = [i for i in out if i.category != UNKNOWN]
    out.sort(key=lambda i: i.start)
    # "containers of munitions", "barrels of oil": the container takes the held item's category
    final: list[Item] = []
    for it in out:
        if final and it.system and final[-1].system == it.system and \
                re.fullmatch(r"\s*,?\s*(?:or|\(|also\s+known\s+as|known\s+as)\s*", text[final[-1].end:it.start]):
            continue  # "the High Mobility Artillery Rocket System, or HIMARS": the same thing renamed
        if final and it.system and final[-1].system == it.system and \
                _VARIANT_GAP.fullmatch(text[final[-1].end:it.start]):
            # "40 AIM-9X Block II Sidewinders": a variant and the family name, one item
            prev = final.pop()
            final.append(Item(prev.start, it.end, text[prev.start:it.end], prev.category, prev.system))
            continue
        if final and final[-1].system and not it.system and re.fullmatch(r"\s+or\s+", text[final[-1].end:it.start]) \
                and _DIGIT.search(it.text.split()[0]) and final[-1].end - final[-1].start <= 8:
            # "24 F100 or F110 engines": a designator that is an alternative of the item after it
            prev = final.pop()
            final.append(Item(prev.start, it.end, text[prev.start:it.end], it.category, None))
            continue
        if final and CONTAINER_HEADS.match(final[-1].text.split(" of ")[0].strip()) and \
                re.fullmatch(r"\s+of\s+", text[final[-1].end:it.start]):
            prev = final.pop()
            final.append(Item(prev.start, it.end, text[prev.start:it.end], it.category, it.system))
            continue
        if final and not it.system and re.fullmatch(r"(?:systems?|units?|vehicles?)", it.text, re.I) and \
                text[final[-1].end:it.start] == " " and final[-1].category == it.category:
            # "Pinaka multi barrel rocket launcher systems": one item, the head's plural noun after it
            prev = final.pop()
            final.append(Item(prev.start, it.end, text[prev.start:it.end], prev.category, prev.system))
            continue
        final.append(it)
    return final
