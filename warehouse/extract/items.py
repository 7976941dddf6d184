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

_ADJ = (r"(?:(?:advanced|modern|sophisticated|new|old|older|sensitive|additional|further|more|large|"
        r"significant|vast|heavy|light|long-range|short-range|medium-range|intermediate-range|"
        r"lethal|non-lethal|military|defensive|offensive|high-tech|dual-use|critical|key|cheap|"
        r"used|surplus|outdated|Soviet-era|Soviet-made|Western|Western-made|foreign|crucial|badly needed|"
        r"much-needed|precision|guided|unguided|spare)\s+)*")

# (pattern, category); earlier entries win on overlap (longest match is preferred anyway).
LEXICON: list[tuple[str, str]] = [
    (r"(?:surface-to-air|anti-aircraft|air[- ]defen[cs]e|missile[- ]defen[cs]e)\s+(?:missile\s+)?"
     r"(?:missiles?|systems?|batter(?:y|ies)|interceptors?|equipment|launchers?|units?|guns?|weapons?|tanks|"
     r"capabilit(?:y|ies)|defen[cs]es?|assets?)", "air_defense"),
    (r"air[- ]defen[cs]es?|anti-aircraft\s+defen[cs]es|interceptors?(?:\s+missiles?)?", "air_defense"),
    (r"(?:(?:short|medium|intermediate|long)-range\s+)?(?:ballistic\s+missiles?|ICBMs?|SRBMs?|IRBMs?)"
     r"(?:\s+launchers?)?", "ballistic_missiles"),
    (r"(?:cruise|anti-ship|anti-tank|hypersonic|air-to-air|air-to-surface)\s+missiles?", "missiles"),
    (r"(?:artillery|howitzer|tank|mortar)\s+(?:shells?|rounds?|ammunition|munitions|projectiles?)",
     "artillery_ammunition"),
    (r"rocket[- ]launcher\s+(?:ammunition|rockets?|rounds?)|(?:MLRS|multiple[- ]rocket)\s+(?:rockets?|ammunition)",
     "artillery_ammunition"),
    # bare "grenades" is how translations (German "Granaten") render artillery shells; hand and
    # rifle grenades are small arms (below)
    (r"shells|projectiles|shell|rounds\s+of\s+ammunition|(?<!hand\s)(?<!rifle\s)grenades", "artillery_ammunition"),
    (r"(?:shipping\s+)?containers?(?:\s+of\s+(?:munitions|ammunition|weapons|arms))?", "munitions"),
    (r"munitions|ammunition", "munitions"),
    # propellants for shells are ammunition; on their own they are munitions
    (r"(?:gunpowder|propellants?|explosives)\s+for\s+(?:artillery\s+|tank\s+)?(?:shells|ammunition|rounds)",
     "artillery_ammunition"),
    (r"gunpowder|propellants?|explosives", "munitions"),
    # dual-use industrial goods and production know-how are technology
    (r"(?:(?:CNC|precision)\s+)?machine[- ]tools|micro-?electronics|semiconductors|(?:computer\s+)?chips|"
     r"microchips|optics|(?:turbojet|jet|drone|aircraft|diesel)\s+engines|engines|components|"
     r"dual-use\s+(?:goods|items|products|components)|licen[cs]es\s+to\s+(?:build|produce|make)|"
     r"production\s+(?:lines?|facilit(?:y|ies))",
     "technology"),
    (r"(?:(?:missile|satellite|military|nuclear|space|submarine|weapons?|drone|rocket|aviation|"
     r"defen[cs]e|sensitive|dual-use|advanced)(?:\s+and\s+(?:missile|satellite|military|nuclear|space))?\s+)?"
     r"(?:technolog(?:y|ies)|know-how|expertise|technical\s+(?:assistance|support|help))", "technology"),
    (r"(?:kamikaze\s+|attack\s+|combat\s+|suicide\s+)?(?:drones?|UAVs?|unmanned\s+aerial\s+vehicles?|"
     r"loitering\s+munitions?)", "drones"),
    (r"(?:fighter\s+)?jets?|fighter\s+(?:jets?|planes?|aircraft)|warplanes?|fighters(?=\s+(?:to|from))|"
     r"(?<!anti-)aircraft|helicopters?|bombers?|combat\s+planes?", "aircraft"),
    (r"(?:main\s+)?battle\s+tanks|tanks|(?:armou?red|infantry\s+fighting)\s+vehicles?|APCs|IFVs|armou?r",
     "armored_vehicles"),
    (r"(?:assault\s+)?rifles|machine\s+guns|small\s+arms|(?:hand|rifle)\s+grenades|pistols|firearms",
     "small_arms"),
    (r"(?:military\s+)?(?:troops|soldiers|personnel|servicemen|mercenaries|combat\s+engineers|"
     r"special\s+forces|fighters(?=\s+(?:to|in|into)\b))", "troops"),
    (r"(?:forced\s+)?(?:workers|labou?rers|labou?r)", "workers"),
    (r"(?:barrels|tons|tonnes|shipments|cargoes)\s+of\s+(?:crude\s+|refined\s+)?(?:oil|petroleum|fuel|diesel)|"
     r"(?:crude|refined)\s+(?:oil|petroleum)(?:\s+products)?|petroleum(?:\s+products)?|oil|fuel|diesel|gasoline|"
     r"crude(?=\s*[.,;:)]|\s+(?:from|to|and|since|in|via|through|by|for|at|on|exports?|imports?|shipments?|"
     r"deliveries|sales|supplies)\b)",
     "oil"),
    (r"food(?:\s+aid)?|grain|rice|wheat|fertili[sz]ers?", "food"),
    (r"(?:financial\s+aid|cash|money|loans?|funds|funding|hard\s+currency)", "money"),
    (r"(?:weapons?(?:\s+systems?)?|arms(?:\s+shipments)?|armaments|weaponry|military\s+(?:equipment|aid|"
     r"supplies|hardware|assistance|support|materiel)|materiel|war\s+materiel|equipment|howitzers?|"
     r"artillery(?:\s+systems?|\s+pieces)?|rocket\s+launchers?|launchers?)", "weapons"),
    (r"missiles?|rockets?", "missiles"),
    (r"energy|natural\s+gas|gas|electricity|coal|goods|nitrocellulose|(?:passenger\s+)?cars|trucks|"
     r"consumer\s+electronics|electronics", "other"),
    # generic heads: items only with a named system ("Patriot batteries") or as an anaphor of
    # one ("a similar system", "two previous systems")
    (r"(?:(?:similar|previous|same|other|further|additional|such)\s+)?(?:systems?|batter(?:y|ies))", "weapons"),
]

# One adjective prefix shared by all alternatives (much faster than one per alternative).
ITEM_RE = re.compile(
    rf"\b(?=[A-Za-z])(?P<adj>{_ADJ})(?:" + "|".join(f"(?P<c{i}>(?:{p}))" for i, (p, _) in enumerate(LEXICON))
    + r")\b"
    # a noun modifier, not what is sent: "ammunition plants", "drone factory", "arms industry"
    r"(?!\s+(?:plants?|factor(?:y|ies)|industry|industries|makers?|manufacturers?|producers?|depots?|"
    r"stockpiles?|stocks|production|workshops?|programs?|programmes?|exports?\s+controls?)\b)",
    re.IGNORECASE,
)

SYSTEM_CATEGORY = {
    "system:patriot": "air_defense", "system:iris-t": "air_defense", "system:nasams": "air_defense",
    "system:s-400": "air_defense", "system:s-300": "air_defense", "system:samp-t": "air_defense",
    "system:hawk": "air_defense", "system:gepard": "air_defense", "system:pantsir": "air_defense",
    "system:tor": "air_defense", "system:stinger": "air_defense",
    "system:f-16": "aircraft", "system:mig-29": "aircraft", "system:gripen": "aircraft",
    "system:su-35": "aircraft", "system:su-27": "aircraft", "system:f-35": "aircraft",
    "system:mirage-2000": "aircraft",
    "system:atacms": "ballistic_missiles", "system:kn-23": "ballistic_missiles",
    "system:kn-24": "ballistic_missiles", "system:kn-25": "ballistic_missiles",
    "system:iskander": "ballistic_missiles", "system:hwasong-15": "ballistic_missiles",
    "system:fath-360": "ballistic_missiles", "system:kinzhal": "ballistic_missiles",
    "system:kn-23-launcher": "ballistic_missiles", "system:kn-25-mrl": "ballistic_missiles",
    "system:storm-shadow": "missiles", "system:taurus": "missiles", "system:kalibr": "missiles",
    "system:harpoon": "missiles", "system:javelin": "missiles",
    "system:shahed-136": "drones", "system:shahed-131": "drones", "system:lancet": "drones",
    "system:bayraktar-tb2": "drones",
    "system:leopard-2": "armored_vehicles", "system:abrams": "armored_vehicles",
    "system:challenger-2": "armored_vehicles", "system:bradley": "armored_vehicles",
    "system:stryker": "armored_vehicles", "system:t-72": "armored_vehicles",
    "system:himars": "weapons", "system:m777": "weapons", "system:caesar": "weapons",
    "system:k9-thunder": "weapons", "system:excalibur": "artillery_ammunition",
    # tube and rocket artillery systems are weapons (there is no artillery-system category)
    "system:m270": "weapons", "system:chunmoo": "weapons", "system:krab": "weapons", "system:pzh-2000": "weapons",
    "system:archer": "weapons",
    "system:k2-black-panther": "armored_vehicles", "system:marder": "armored_vehicles",
    "system:leopard-1": "armored_vehicles", "system:cv90": "armored_vehicles", "system:amx-10-rc": "armored_vehicles",
    "system:t-90": "armored_vehicles", "system:m113": "armored_vehicles", "system:mrap": "armored_vehicles",
    "system:fa-50": "aircraft", "system:yak-130": "aircraft", "system:mi-28": "aircraft", "system:su-25": "aircraft",
    "system:eurofighter": "aircraft", "system:rafale": "aircraft", "system:f-15": "aircraft", "system:a-50": "aircraft",
    "system:scalp": "missiles", "system:kh-101": "missiles", "system:zircon": "missiles", "system:nlaw": "missiles",
    "system:oreshnik": "ballistic_missiles", "system:hwasong-11": "ballistic_missiles",
    "system:shahed-238": "drones", "system:mohajer-6": "drones", "system:ababil": "drones",
    "system:switchblade": "drones",
    "system:avenger": "air_defense", "system:piorun": "air_defense", "system:thaad": "air_defense",
    "system:sm-3": "air_defense",
}

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
        out.append(Item(start, m.end(), phrase, LEXICON[idx][1]))
    return out


def merge_systems(text: str, items: list[Item], systems: list[tuple[int, int, str]]) -> list[Item]:
    """Fold named systems into item phrases: "Patriot" + "air defense system" -> one item."""
    items = sorted(items, key=lambda i: i.start)
    used: set[int] = set()
    out: list[Item] = []
    for s_start, s_end, sid in systems:
        cat = SYSTEM_CATEGORY.get(sid)
        merged = None
        for k, it in enumerate(items):
            if k in used:
                continue
            if it.end <= s_start and it.category in ("munitions", "artillery_ammunition") and \
                    re.fullmatch(r"\s+for\s+(?:the\s+|its\s+|their\s+)?", text[it.end:s_start]):
                # "ammunition for the HIMARS": ammunition (artillery rounds for an artillery system)
                ammo_cat = "artillery_ammunition" if cat == "weapons" else it.category
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
            if it.start >= s_end and re.fullmatch(r"\s{0,2}|\s(?:[a-z][a-z-]*\s){1,2}", gap):
                # "HIMARS ammunition", "Excalibur rounds": what is sent is the ammunition
                ammo = it.category in ("artillery_ammunition", "munitions")
                merged = Item(s_start, it.end, text[s_start:it.end], it.category if ammo else (cat or it.category), sid)
                used.add(k)
                break
            if it.start <= s_start and it.end >= s_end:  # the system is inside an item phrase
                merged = Item(it.start, it.end, it.text, cat or it.category, sid)
                used.add(k)
                break
        if merged is None:
            merged = Item(s_start, s_end, text[s_start:s_end], cat or "weapons", sid)
        out.append(merged)
    for k, it in enumerate(items):
        if k not in used and not any(o.start <= it.start < o.end for o in out):
            out.append(it)
    out.sort(key=lambda i: i.start)
    # "containers of munitions", "barrels of oil": the container takes the held item's category
    final: list[Item] = []
    for it in out:
        if final and it.system and final[-1].system == it.system and \
                re.fullmatch(r"\s*,?\s*(?:or|\(|also\s+known\s+as|known\s+as)\s*", text[final[-1].end:it.start]):
            continue  # "the High Mobility Artillery Rocket System, or HIMARS": the same thing renamed
        if final and CONTAINER_HEADS.match(final[-1].text.split(" of ")[0].strip()) and \
                re.fullmatch(r"\s+of\s+", text[final[-1].end:it.start]):
            prev = final.pop()
            final.append(Item(prev.start, it.end, text[prev.start:it.end], it.category, it.system))
            continue
        final.append(it)
    return final
