"""A deterministic synthetic corpus: news-like articles and the records that describe them.

``generate(n, seed)`` yields ``n`` record dicts that validate as
``warehouse.records.ArticleRecord``. Each article is 500-800 words of sentences built
from templates (transfers, denials, roles, agreements, estimates, accusations, visits
and background), and its record holds about 8 entities, 6 claims (2 of them transfers,
1 denial of the first transfer, 1 role, 1 agreement, 1 estimate / accusation / visit)
and a mention for every entity name written in the text. Quotes and mention surfaces
are cut from the generated text by their offsets, so spans always match.

Realism where it matters for the warehouse's costs:
- entity popularity is Zipf-like over the reference countries, weapon systems,
  organisations, bodies and places (warehouse/data/*.csv), plus a pool of synthetic
  people (new entities, resolved and created by the loader);
- about a quarter of the articles retell an earlier story from another outlet: the
  same claims (sometimes with a different figure) in different words, so flows and
  agreements are reported many times and figures disagree;
- agreements have one content per id across the corpus (the loader requires it).

Everything comes from one ``random.Random(seed)``: the same (n, seed) gives the same
bytes. The per-table row counts the loader must produce are accumulated in ``Manifest``.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from warehouse.normalize import article_id_for, slug
from warehouse.refdata import reference_entities

EXTRACTOR = {"name": "benchmark-synthetic", "version": "1.0"}
DEFAULT_SEED = 20240619

# ---------------------------------------------------------------- vocabulary

_COUNTRY_HEAD = ("RUS", "PRK", "UKR", "USA", "IRN", "CHN", "KOR", "DEU", "GBR", "FRA", "BLR", "TUR", "ISR",
                 "SYR", "POL", "JPN", "IND", "ROU", "PAK", "NOR", "SWE", "ITA", "EGY", "SAU", "ARE", "VEN",
                 "MMR", "ETH", "SRB", "HUN")
_PUBLISHERS = ("Reuters", "Associated Press", "Agence France-Presse", "Yonhap", "BBC", "DW", "Bloomberg", "TASS",
               "dpa", "KCNA", "The Korea Herald", "Kyiv Independent", "NK News", "Defense News", "The Guardian",
               "Le Monde", "Nikkei Asia", "Al Jazeera", "Politico Europe", "The Moscow Times", "Jane's",
               "Breaking Defense", "Radio Free Asia", "Voice of America", "South China Morning Post",
               "The Diplomat", "Foreign Policy", "Times of India", "Haaretz", "Daily NK")
_FIRST = ("Anna", "Boris", "Chen", "Daniel", "Elena", "Farid", "Gustav", "Hana", "Igor", "Jae-won", "Karin",
          "Leonid", "Maria", "Nikolai", "Olena", "Pavel", "Qasim", "Rita", "Sergei", "Tomas", "Ulrike", "Viktor",
          "Wei", "Ximena", "Yuri", "Zofia", "Ahmed", "Bettina", "Carlos", "Dmitri", "Eun-ji", "Fatima", "Georg",
          "Hyun-woo", "Ines", "Jonas", "Kenji", "Lars", "Mehmet", "Nadia", "Oleg", "Priya", "Rustam", "Sofia",
          "Taro", "Ursula", "Vera", "Walter", "Yasmin", "Zoran")
_LAST = ("Petrov", "Kim", "Schmidt", "Ivanova", "Park", "Novak", "Hosseini", "Tanaka", "Kowalski", "Lindqvist",
         "Moreau", "Rossi", "Yilmaz", "Kovalenko", "Chen", "Bauer", "Sokolov", "Lee", "Nowak", "Haddad",
         "Fischer", "Popescu", "Horvat", "Jensen", "Volkov", "Choi", "Weber", "Melnyk", "Rahimi", "Suzuki",
         "Andersen", "Dubois", "Greco", "Aksoy", "Shevchenko", "Wagner", "Morozov", "Yoon", "Kaminski",
         "Nazari", "Ito", "Berg", "Laurent", "Conti", "Demir", "Bondarenko", "Koch", "Lebedev", "Han", "Zielinski",
         "Karimi", "Mori", "Holm", "Fontaine", "Ricci", "Sahin", "Tkachenko", "Richter", "Pavlov", "Jang")
_ROLES = ("Defence Minister", "Foreign Minister", "Prime Minister", "President", "Deputy Defence Minister",
          "Chief of the General Staff", "ambassador to the United Nations", "national security adviser",
          "head of military intelligence", "Minister of Industry", "Vice President", "chief arms negotiator")
_ITEMS = (  # text, category, unit
    ("artillery shells", "artillery_ammunition", "shell"),
    ("rounds of artillery ammunition", "artillery_ammunition", "round"),
    ("rockets for multiple launchers", "artillery_ammunition", "rocket"),
    ("ballistic missiles", "ballistic_missiles", "missile"),
    ("attack drones", "drones", "drone"),
    ("barrels of refined petroleum", "oil", "barrel"),
    ("containers of munitions", "munitions", "container"),
    ("assault rifles", "small_arms", "rifle"),
    ("troops", "troops", "soldier"),
    ("construction workers", "workers", "worker"),
    ("tonnes of wheat", "food", "tonne"),
    ("armoured vehicles", "armored_vehicles", "vehicle"),
    ("fighter jets", "aircraft", "aircraft"),
    ("anti-tank missiles", "missiles", "missile"),
    ("machine tools for weapons production", "technology", "unit"),
)
_SYSTEM_CATEGORY = (  # substring of a system id -> item category
    ("patriot", "air_defense"), ("iris-t", "air_defense"), ("nasams", "air_defense"), ("s-400", "air_defense"),
    ("s-300", "air_defense"), ("samp-t", "air_defense"), ("gepard", "air_defense"), ("tor", "air_defense"),
    ("pantsir", "air_defense"), ("hawk", "air_defense"), ("stinger", "air_defense"), ("f-16", "aircraft"),
    ("mig", "aircraft"), ("su-", "aircraft"), ("gripen", "aircraft"), ("f-35", "aircraft"), ("mirage", "aircraft"),
    ("shahed", "drones"), ("lancet", "drones"), ("bayraktar", "drones"), ("kn-25-mrl", "artillery_ammunition"),
    ("kn-2", "ballistic_missiles"), ("iskander", "ballistic_missiles"), ("atacms", "ballistic_missiles"),
    ("hwasong", "ballistic_missiles"), ("fath", "ballistic_missiles"), ("kinzhal", "ballistic_missiles"),
    ("storm-shadow", "missiles"), ("taurus", "missiles"), ("kalibr", "missiles"), ("harpoon", "missiles"),
    ("javelin", "missiles"), ("leopard", "armored_vehicles"), ("abrams", "armored_vehicles"),
    ("t-72", "armored_vehicles"), ("challenger", "armored_vehicles"), ("bradley", "armored_vehicles"),
    ("stryker", "armored_vehicles"),
)
_STATUS = (  # status, hedge, verb phrase (before the figure)
    ("delivered", "reported", "had delivered"),
    ("delivered", "confirmed", "has shipped"),
    ("ongoing", "reported", "has been supplying"),
    ("promised", "reported", "promised to send"),
    ("planned", "expected", "plans to send"),
    ("alleged", "alleged", "allegedly transferred"),
    ("ordered", "reported", "has ordered the transfer of"),
)
_AGREEMENT_KINDS = (
    ("treaty", "comprehensive strategic partnership treaty"),
    ("pact", "mutual defence pact"),
    ("arms_deal", "arms deal"),
    ("memorandum", "memorandum on military-technical cooperation"),
    ("deal", "oil-for-weapons deal"),
)
_AGREEMENT_STATUSES = ("signed", "signed", "in_force", "announced", "proposed", "rumoured")
_PROVISIONS = ("mutual assistance in the event of aggression", "joint military exercises",
               "transfer of missile technology", "training of fighter pilots", "supply of spare parts",
               "joint production of ammunition", "intelligence sharing", "port access for warships",
               "payment in national currencies", "cooperation in space technology")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

# Claim sentences: {A} supplier, {B} recipient, {O} claimant, {S} system, {P} person, {L} place.
_T_TEMPLATES = (
    "{O} said on Tuesday that {A} {verb} {qty} {item} to {B} {when}, citing intelligence assessments.",
    "According to {O}, {A} {verb} {qty} {item} to {B} {when}, a sharp increase on the previous year.",
    "{A} {verb} {qty} {item} to {B} {when}, {O} said in a statement released to reporters.",
    "Officials briefed by {O} said {A} {verb} {qty} {item} to {B} {when} through a network of ports.",
)
_D_TEMPLATES = (
    "{A} rejected the accusation, saying it had never sent {item} to {B} and calling the reports fabricated.",
    "The foreign ministry of {A} denied supplying {item} to {B}, dismissing the claims as hostile propaganda.",
    "A spokesperson for {A} said the country had not transferred any {item} to {B} and would not do so.",
)
_R_TEMPLATES = (
    "{P}, the {role} of {K}, told reporters that the cooperation would continue regardless of Western pressure.",
    "Speaking at a news conference, {K}'s {role} {P} said the talks had been constructive and businesslike.",
    "{P}, who serves as {role} of {K}, declined to comment on the figures but defended the partnership.",
)
_A_TEMPLATES = (
    "{A} and {B} signed a {kind} {when}, with provisions on {provision}.",
    "Under the {kind} that {A} and {B} concluded {when}, the two sides agreed on {provision}.",
    "The {kind} between {A} and {B}, agreed {when}, covers {provision} among other things.",
)
_X_TEMPLATES = {
    "estimate": ("Analysts at {O} estimated that {B} had received {qty} {item} from {A} since the start of the war.",
                 "{O} put the total number of {item} sent by {A} to {B} at {qty}, in its latest estimate."),
    "accusation": ("{O} accused {A} of breaching United Nations sanctions by arming {B} with {item}.",
                   "In a report this week, {O} accused {A} of violating the arms embargo through its deals "
                   "with {B}."),
    "event": ("{P} visited {L} {when} for talks on military cooperation with officials of {B}.",
              "A delegation led by {P} travelled to {L} {when} to discuss deliveries with {B}."),
}
_FILLER = (
    "The war has consumed ammunition at a rate that neither side's factories can sustain, officials in {B} say.",
    "Satellite images reviewed by researchers showed rail cars loaded with crates at a depot near {L}.",
    "Diplomats in {L} said the shipments were discussed at several meetings earlier in the year.",
    "{C} has watched the growing ties between {A} and {B} with concern, according to people familiar "
    "with its thinking.",
    "Experts caution that figures given by governments are difficult to verify independently.",
    "The {S} has been in service for years and remains one of the most widely exported systems of its kind.",
    "Officials in {C} said they were monitoring the situation closely and consulting with partners.",
    "Trade between {A} and {B} has grown steadily over the past three years, customs data suggest.",
    "The deliveries are thought to travel by sea and rail, passing through ports on the eastern coast.",
    "{P} has been a central figure in the negotiations and has travelled to {L} several times.",
    "Critics argue that existing sanctions have done little to slow the flow of weapons and components.",
    "Military analysts said the quality of the munitions was uneven, with many shells failing to detonate.",
    "{B} has sought new suppliers after its stockpiles ran low during months of heavy fighting.",
    "The United Nations panel that once monitored the embargo was disbanded after a veto last year.",
    "Shipping data show that several cargo vessels switched off their transponders near {L}.",
    "Government officials in {A} have rarely commented in public on the country's arms exports.",
    "Western intelligence agencies have shared some of their findings with allies, but not all of them.",
    "The {S} deliveries were described by one official as a signal rather than a decisive contribution.",
    "Several of the companies involved are already under sanctions imposed by the European Union.",
    "In {L}, residents reported an unusual number of military convoys moving at night.",
    "Researchers said debris recovered after strikes bore markings consistent with production in {A}.",
    "The relationship between {A} and {C} has cooled since the start of the conflict, diplomats say.",
    "Officials declined to say how the equipment would be paid for or whether any money had changed hands.",
    "Lawmakers in {C} called for a debate on how to respond to the reports of new deliveries.",
    "Analysts noted that the figures were far higher than those reported a year earlier.",
    "A senior official said on condition of anonymity that the pace of deliveries had accelerated recently.",
    "{B} insists that its military cooperation with other states breaks no international rules.",
    "The reports could not be independently confirmed, and several details remain unclear.",
    "Production lines for the {S} have been expanded to meet demand from abroad, according to the maker.",
    "Observers expect the issue to feature prominently at the next summit of regional leaders.",
    "The ministry of defence of {C} said it would publish its own assessment within weeks.",
    "Independent experts have urged governments to release more of the evidence behind their claims.",
    "Security in {L} was tightened ahead of the talks, with roads closed and checkpoints set up.",
    "{P} is expected to brief parliament on the state of the partnership in the coming days.",
)

_SLOT = re.compile(r"(\{[A-Za-z]+\})")


def _compile(template: str) -> tuple[str, ...]:
    return tuple(p for p in _SLOT.split(template) if p)


_COMPILED: dict[str, tuple[str, ...]] = {}


def _pieces(template: str) -> tuple[str, ...]:
    got = _COMPILED.get(template)
    if got is None:
        got = _COMPILED[template] = _compile(template)
    return got


# ---------------------------------------------------------------- popularity


class Zipf:
    """Draw from a fixed list with probability ~ 1 / rank**s."""

    def __init__(self, items: list, s: float = 1.07):
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(len(items))))

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


@dataclass(frozen=True)
class Ent:
    id: str
    type: str
    name: str
    country_code: str | None = None
    parent: str | None = None  # only for synthetic people (their country)
    surface: str = ""

    def record(self) -> dict:
        out: dict = {"id": self.id, "type": self.type, "name": self.name}
        if self.country_code:
            out["country_code"] = self.country_code
        if self.parent:
            out["parent"] = self.parent
        return out


_NAME_OK = re.compile(r"^[A-Za-z][A-Za-z .-]*$")


class Pools:
    """Reference entities by kind, each with a Zipf popularity, and synthetic people."""

    def __init__(self, seed: int):
        rng = random.Random(seed ^ 0x5EED)
        ref = reference_entities()
        countries = [Ent(r.entity_id, "country", r.name, r.country_code, surface=r.name)
                     for r in ref[ref.entity_type == "country"].itertuples() if _NAME_OK.match(r.name)]
        by_code = {c.country_code: c for c in countries}
        head = [by_code[c] for c in _COUNTRY_HEAD if c in by_code]
        tail = [c for c in countries if c.country_code not in _COUNTRY_HEAD]
        rng.shuffle(tail)
        self.countries = Zipf(head + tail)

        def kind(t: str, prefix: str = "") -> list[Ent]:
            return [Ent(r.entity_id, t, r.name, surface=r.name) for r in ref[ref.entity_type == t].itertuples()
                    if r.entity_id.startswith(prefix)]

        self.systems = Zipf(kind("weapon_system"))
        self.claimants = Zipf(kind("organization") + kind("international_body"), s=0.9)
        self.places = Zipf(kind("location"))
        people = []
        for first, last in itertools.product(_FIRST, _LAST):
            name = f"{first} {last}"
            people.append((name, self.countries.draw(rng), rng.randrange(len(_ROLES))))
        rng.shuffle(people)
        self.people = Zipf([Ent(f"person:{slug(n)}", "person", n, parent=c.id, surface=n) for n, c, _ in people],
                           s=0.8)
        self.base_role = {f"person:{slug(n)}": _ROLES[r] for n, _, r in people}
        self.country_of = {p.id: p.parent for p in self.people.items}
        self.by_id = {e.id: e for z in (self.countries, self.systems, self.claimants, self.places, self.people)
                      for e in z.items}
        self.publishers = Zipf(list(_PUBLISHERS), s=0.8)


def system_category(system_id: str) -> str:
    for key, cat in _SYSTEM_CATEGORY:
        if key in system_id:
            return cat
    return "weapons"


# ---------------------------------------------------------------- stories


def _figure(rng: random.Random) -> tuple[dict, str]:
    """A quantity object and its text: '1,200', 'up to 4.8 million', 'at least 300'."""
    mag = rng.choice((10, 100, 1_000, 10_000, 100_000, 1_000_000))
    value = mag * rng.choice((1, 1.2, 1.5, 2, 3, 4.8, 5, 7))
    if value >= 1_000_000:
        text_num = f"{value / 1_000_000:g} million"
    else:
        value = int(value)
        text_num = f"{value:,}"
    qual = rng.choice((None, None, "up to", "at least", "about", "more than"))
    if qual in ("up to",):
        lo, hi = None, value
    elif qual in ("at least", "more than"):
        lo, hi = value, None
    else:
        lo = hi = value
    text = f"{qual} {text_num}" if qual else text_num
    return {"low": lo, "high": hi, "qualifier": qual, "text": text}, text


def _when(rng: random.Random, day: date) -> tuple[str | None, str, str | None]:
    """(iso date, precision, words) for an event around ``day``."""
    r = rng.random()
    if r < 0.45:
        return day.isoformat(), "day", f"on {day.day} {_MONTHS[day.month - 1]} {day.year}"
    if r < 0.75:
        return f"{day.year}-{day.month:02d}", "month", f"in {_MONTHS[day.month - 1]} {day.year}"
    if r < 0.9:
        return str(day.year), "year", f"in {day.year}"
    return None, "unknown", "in recent months"


@dataclass
class TransferFact:
    supplier: Ent
    recipient: Ent
    item: str
    category: str
    unit: str
    system: Ent | None
    quantity: dict
    qty_text: str
    status: tuple[str, str, str]
    when: tuple[str | None, str, str | None]


@dataclass
class Story:
    A: Ent
    B: Ent
    C: Ent
    S: Ent
    P: Ent
    K: Ent  # the person's country
    src: Ent  # who makes the claims (slot {O})
    L: Ent
    day: date
    t1: TransferFact
    t2: TransferFact
    role: str
    agreement: dict
    agreement_when: tuple[str | None, str, str | None]
    provision: str
    extra: str  # estimate | accusation | event
    extra_qty: tuple[dict, str]
    extra_when: tuple[str | None, str, str | None]


def _agreement(a: Ent, b: Ent, kind_i: int) -> dict:
    """One content per id across the corpus: everything derives from the id."""
    kind, kind_text = _AGREEMENT_KINDS[kind_i]
    x, y = sorted((a, b), key=lambda e: e.id)
    aid = f"agreement:{x.country_code.lower()}-{y.country_code.lower()}-{kind.replace('_', '-')}"
    h = int.from_bytes(hashlib.sha256(aid.encode()).digest()[:8], "big")
    status = _AGREEMENT_STATUSES[h % len(_AGREEMENT_STATUSES)]
    signed = None
    if status in ("signed", "in_force"):
        signed = (date(2015, 1, 1) + timedelta(days=h % 4000)).isoformat()
    return {"id": aid, "name": f"{x.name}-{y.name} {kind_text}", "kind": kind, "status": status,
            "signed_on": signed, "signed_precision": "day" if signed else "unknown", "parties": [x.id, y.id],
            "_text": kind_text}


class Generator:
    def __init__(self, seed: int = DEFAULT_SEED):
        self.rng = random.Random(seed)
        self.pools = Pools(seed)
        self.stories: list[Story] = []

    def _distinct_country(self, *avoid: Ent) -> Ent:
        ids = {e.id for e in avoid}
        while True:
            c = self.pools.countries.draw(self.rng)
            if c.id not in ids:
                return c

    def _transfer(self, supplier: Ent, recipient: Ent, system: Ent, day: date) -> TransferFact:
        rng = self.rng
        if rng.random() < 0.45:
            item, cat, unit, sysent = f"{system.name} systems", system_category(system.id), "system", system
        else:
            item, cat, unit = rng.choice(_ITEMS)
            sysent = None
        q, qt = _figure(rng)
        q["unit"] = unit
        return TransferFact(supplier, recipient, item, cat, unit, sysent, q, qt, rng.choice(_STATUS),
                            _when(rng, day))

    def new_story(self) -> Story:
        rng, p = self.rng, self.pools
        a = p.countries.draw(rng)
        b = self._distinct_country(a)
        c = self._distinct_country(a, b)
        s = p.systems.draw(rng)
        person = p.people.draw(rng)
        k = p.by_id[person.parent]
        day = date(2022, 1, 1) + timedelta(days=rng.randrange(1460))
        t1 = self._transfer(a, b, s, day)
        t2 = self._transfer(c, b, s, day) if rng.random() < 0.5 else self._transfer(a, c, s, day)
        role = p.base_role[person.id] if rng.random() < 0.9 else rng.choice(_ROLES)
        q, qt = _figure(rng)
        q["unit"] = t1.unit
        return Story(a, b, c, s, person, k, p.claimants.draw(rng), p.places.draw(rng), day, t1, t2, role,
                     _agreement(a, b, rng.randrange(len(_AGREEMENT_KINDS))), _when(rng, day),
                     rng.choice(_PROVISIONS), rng.choice(("estimate", "accusation", "event")), (q, qt),
                     _when(rng, day))

    def retell(self, story: Story) -> Story:
        """The same story from another outlet; sometimes with another figure for the first transfer."""
        if self.rng.random() < 0.3:
            t1 = story.t1
            q, qt = _figure(self.rng)
            q["unit"] = t1.unit
            t1 = TransferFact(t1.supplier, t1.recipient, t1.item, t1.category, t1.unit, t1.system, q, qt, t1.status,
                              t1.when)
            return Story(**{**story.__dict__, "t1": t1})
        return story

    def story(self) -> Story:
        if self.stories and self.rng.random() < 0.25:
            base = self.stories[max(0, len(self.stories) - 1 - int(self.rng.expovariate(1 / 200)))]
            return self.retell(base)
        st = self.new_story()
        self.stories.append(st)
        if len(self.stories) > 5000:
            del self.stories[:1000]
        return st

    # ------------------------------------------------------------ rendering

    def article(self, number: int) -> dict:
        rng = self.rng
        st = self.story()
        publisher = self.pools.publishers.draw(rng)
        b = _Builder()
        ents = {"A": st.A, "B": st.B, "C": st.C, "S": st.S, "P": st.P, "K": st.K, "O": st.src, "L": st.L}
        claims: list[dict] = []

        def claim_sentence(templates, values: dict) -> tuple[int, int, str]:
            return b.sentence(rng.choice(templates), {**ents, **values})

        def transfer_claim(key: str, t: TransferFact) -> dict:
            start, end, quote = claim_sentence(_T_TEMPLATES, {"A": t.supplier, "B": t.recipient, "verb": t.status[2],
                                                              "qty": t.qty_text, "item": t.item,
                                                              "when": t.when[2]})
            return {"key": key, "predicate": "transfer", "claimant": st.src.id, "subject": t.supplier.id,
                    "object": t.recipient.id, "hedge": t.status[1], "quote": quote, "start": start, "end": end,
                    "date": t.when[0], "date_precision": t.when[1], "date_text": t.when[2],
                    "transfer": {"supplier": t.supplier.id, "recipient": t.recipient.id, "item": t.item,
                                 "category": t.category, "system": t.system.id if t.system else None,
                                 "quantity": t.quantity, "status": t.status[0],
                                 "period": None}}

        plan = ["t1", "f", "f", "d1", "f", "r1", "f", "t2", "f", "f", "a1", "f", "x1"]
        target_words = rng.randint(500, 800)
        filler = list(_FILLER)
        rng.shuffle(filler)
        fill_iter = itertools.cycle(filler)
        para_left = rng.randint(3, 6)
        i = 0
        while i < len(plan) or b.words < target_words:
            step = plan[i] if i < len(plan) else "f"
            i += 1
            if step == "f":
                b.sentence(next(fill_iter), ents)
            elif step == "t1":
                claims.append(transfer_claim("t1", st.t1))
            elif step == "t2":
                claims.append(transfer_claim("t2", st.t2))
            elif step == "d1":
                t = st.t1
                start, end, quote = claim_sentence(_D_TEMPLATES, {"A": t.supplier, "B": t.recipient,
                                                                  "item": t.item})
                claims.append({"key": "d1", "predicate": "denial", "claimant": t.supplier.id,
                               "subject": t.supplier.id, "object": t.recipient.id, "stance": "denies",
                               "hedge": "confirmed", "quote": quote, "start": start, "end": end,
                               "denies": ["t1"]})
            elif step == "r1":
                start, end, quote = claim_sentence(_R_TEMPLATES, {"role": st.role})
                claims.append({"key": "r1", "predicate": "role", "subject": st.P.id, "quote": quote,
                               "start": start, "end": end,
                               "role": {"person": st.P.id, "role": st.role, "organization": st.K.id}})
            elif step == "a1":
                ag = st.agreement
                when = st.agreement_when
                start, end, quote = claim_sentence(_A_TEMPLATES, {"kind": ag["_text"], "when": when[2],
                                                                  "provision": st.provision})
                claims.append({"key": "a1", "predicate": "agreement", "claimant": st.src.id, "subject": st.A.id,
                               "object": st.B.id, "hedge": "reported", "quote": quote, "start": start,
                               "end": end, "date": when[0], "date_precision": when[1], "date_text": when[2],
                               "agreement": ag["id"], "provisions": [st.provision]})
            elif step == "x1":
                t = st.t1
                q, qt = st.extra_qty
                when = st.extra_when
                start, end, quote = claim_sentence(_X_TEMPLATES[st.extra], {"qty": qt, "item": t.item,
                                                                            "when": when[2]})
                c = {"key": "x1", "predicate": st.extra, "claimant": st.src.id, "subject": st.A.id,
                     "object": st.B.id, "hedge": "estimated" if st.extra == "estimate" else "reported",
                     "quote": quote, "start": start, "end": end}
                if st.extra == "event":
                    c.update(claimant=None, subject=st.P.id, object=st.L.id, date=when[0], date_precision=when[1],
                             date_text=when[2], summary=f"visit of {st.P.name} to {st.L.name}")
                claims.append(c)
            para_left -= 1
            if para_left == 0:
                b.paragraph()
                para_left = rng.randint(3, 6)
        text = b.text()
        published = st.day + timedelta(days=rng.randrange(0, 20))
        ag = {k: v for k, v in st.agreement.items() if not k.startswith("_")}
        used = {m["entity"] for m in b.mentions}
        used |= {c[f] for c in claims for f in ("claimant", "subject", "object") if c.get(f)}
        used |= {x for t in (st.t1, st.t2) for x in (t.supplier.id, t.recipient.id,
                                                    t.system.id if t.system else None) if x}
        used |= {st.P.id, st.K.id, *ag["parties"]}
        entities = [self.pools.by_id[e].record() for e in sorted(used)]
        return {
            "record_version": "1.0",
            "extractor": dict(EXTRACTOR),
            "article": {"id": article_id_for(text), "origin_file": f"bench/{number:07d}.txt",
                        "title": f"{st.A.name} and {st.B.name}: {st.t1.item} under scrutiny",
                        "publisher": publisher, "url": f"https://news.invalid/{slug(publisher)}/{number}",
                        "dateline": None, "published": published.isoformat(), "published_precision": "day",
                        "text": text},
            "entities": entities,
            "mentions": b.mentions,
            "claims": claims,
            "agreements": [ag],
        }


class _Builder:
    """Appends sentences, tracking character offsets, sentence numbers and mentions."""

    def __init__(self):
        self.parts: list[str] = []
        self.pos = 0
        self.sentence_no = 0
        self.words = 0
        self.mentions: list[dict] = []
        self._need_sep = ""

    def paragraph(self) -> None:
        if self.parts:
            self._need_sep = "\n\n"

    def sentence(self, template: str, values: dict) -> tuple[int, int, str]:
        if self.parts:
            sep = self._need_sep or " "
            self.parts.append(sep)
            self.pos += len(sep)
        self._need_sep = ""
        start = self.pos
        out: list[str] = []
        for piece in _pieces(template):
            if piece[0] == "{" and piece[-1] == "}":
                v = values[piece[1:-1]]
                if isinstance(v, Ent):
                    s = v.surface
                    if not out and s[0].islower():
                        s = s[0].upper() + s[1:]
                    at = self.pos + sum(len(x) for x in out)
                    self.mentions.append({"entity": v.id, "start": at, "end": at + len(s), "surface": s,
                                          "sentence": self.sentence_no})
                    out.append(s)
                else:
                    out.append(v if out or not v else v[0].upper() + v[1:])
            else:
                out.append(piece)
        sent = "".join(out)
        self.parts.append(sent)
        self.pos += len(sent)
        self.sentence_no += 1
        self.words += sent.count(" ") + 1
        return start, self.pos, sent

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------- corpus files


@dataclass
class Manifest:
    """What the generated corpus must put in the warehouse (rows per table) and its size."""

    articles: int = 0
    words: int = 0
    bytes: int = 0
    claims: int = 0
    transfers: int = 0
    mentions: int = 0
    claim_denials: int = 0
    person_roles: int = 0
    agreement_claims: int = 0
    agreement_provisions: int = 0
    entities_per_article: float = 0.0
    _sources: set = field(default_factory=set, repr=False)
    _agreements: set = field(default_factory=set, repr=False)
    _parties: set = field(default_factory=set, repr=False)
    _people: set = field(default_factory=set, repr=False)
    _entity_refs: int = field(default=0, repr=False)

    def add(self, rec: dict) -> None:
        self.articles += 1
        self.words += len(rec["article"]["text"].split())
        self.claims += len(rec["claims"])
        self.mentions += len(rec["mentions"])
        for c in rec["claims"]:
            self.transfers += "transfer" in c
            self.claim_denials += len(c.get("denies", ()))
            self.person_roles += "role" in c
            if c.get("agreement"):
                self.agreement_claims += 1
                self.agreement_provisions += len(c.get("provisions", ()))
        self._entity_refs += len(rec["entities"])
        self._sources.add(rec["article"]["publisher"])
        for ag in rec["agreements"]:
            self._agreements.add(ag["id"])
            self._parties.update((ag["id"], p) for p in ag["parties"])
        self._people.update(e["id"] for e in rec["entities"] if e["type"] == "person")

    def expected_rows(self) -> dict[str, int]:
        """Rows the loader adds per table (people are new entities, each with its name as alias)."""
        return {"articles": self.articles, "sources": len(self._sources), "entities": len(self._people),
                "entity_aliases": len(self._people), "mentions": self.mentions, "claims": self.claims,
                "claim_denials": self.claim_denials, "transfers": self.transfers,
                "agreements": len(self._agreements), "agreement_parties": len(self._parties),
                "agreement_claims": self.agreement_claims, "agreement_provisions": self.agreement_provisions,
                "person_roles": self.person_roles, "article_extractions": self.articles}

    def summary(self) -> dict:
        return {"articles": self.articles, "words": self.words, "bytes": self.bytes,
                "words_per_article": round(self.words / max(self.articles, 1), 1),
                "entities_per_article": round(self._entity_refs / max(self.articles, 1), 2),
                "claims_per_article": round(self.claims / max(self.articles, 1), 2),
                "transfers_per_article": round(self.transfers / max(self.articles, 1), 2),
                "mentions_per_article": round(self.mentions / max(self.articles, 1), 2),
                "expected_rows": self.expected_rows()}


def generate(n: int, seed: int = DEFAULT_SEED) -> Iterator[dict]:
    """``n`` record dicts, deterministic for (n, seed); article texts are all distinct."""
    gen = Generator(seed)
    seen: set[str] = set()
    number = 0
    while number < n:
        rec = gen.article(number)
        if rec["article"]["id"] in seen:  # astronomically rare; keep the corpus free of duplicates
            continue
        seen.add(rec["article"]["id"])
        number += 1
        yield rec


def write_corpus(path: Path, n: int, seed: int = DEFAULT_SEED) -> Manifest:
    """Write ``n`` records as JSONL; returns the manifest of what they must load into."""
    man = Manifest()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for rec in generate(n, seed):
            man.add(rec)
            line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
            man.bytes += len(line.encode("utf-8"))
            fh.write(line)
    return man


def read_texts(path: Path, limit: int | None = None) -> list[dict]:
    """Extractor inputs (text, title, publisher, published, published_precision) from a corpus file."""
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(items) >= limit:
                break
            a = json.loads(line)["article"]
            items.append({"text": a["text"], "title": a["title"], "publisher": a["publisher"],
                          "published": a["published"], "published_precision": a["published_precision"]})
    return items
