"""Stage 1, mentions: the entities an article names and the actors of each sentence."""

from __future__ import annotations

import re

from ..normalize import slug
from .dates import find_dates
from .gazetteer import resolve
from .items import Item, find_items, merge_systems
from .lexicon import (
    GROUP_KEYS,
    GROUP_NOUNS,
    NON_PARTY_ORGS,
    TRIGGER_RE,
)
from .model import Actor, Mention, Occupied
from .persons import find_titled_people

# "the Nigerian Army", "the Royal Saudi Air Force": a demonym with a capitalised force noun is the state
_FORCE_NOUNS = r"(?:Army|Navy|Air\s+Force|Armed\s+Forces|Marines|Coast\s+Guard|Defen[cs]e\s+(?:Ministry|Forces)|" \
               r"(?:Department|Ministry)\s+of\s+(?:National\s+)?Defen[cs]e)"
GROUPS = re.compile("|".join(f"(?P<g{i}>{rx})" for i, (_, rx) in enumerate(GROUP_KEYS)), re.MULTILINE)
# "LONDON (Reuters) -", "ATHENS, Dec 11 (Reuters) -", "FARNBOROUGH, England, July 22 (MAP/Reuters) -"
_DATELINE = re.compile(r"^(?P<places>[A-Z][A-Z.' ]{1,40}(?:/[A-Z][A-Z.' ]{1,40})*)"
                       r"(?:,\s+(?P<country>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?=,|\s*\(|\s+[-–—]))?"
                       r"(?:,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
                       r"\s*(?:\([^()\n]{1,40}\)\s*)?[-–—]{1,2}\s", re.MULTILINE)


_BREAKDOWN_HINT = re.compile(r"\b\d[\d,]*\s+(?:will|would|are|were|should)\s+be\b")


class MentionStage:
    """Gazetteer names, titled people, groups and datelines as mentions; per sentence
    the actors and item phrases the frames work on; role claims. A mixin of pipeline.Extraction."""

    def declare(self, eid: str, name: str | None = None, etype: str | None = None, parent: str | None = None):
        if eid in self.entities:
            return
        info = self.g.entities.get(eid)
        if info is not None:
            rec = {"id": eid, "type": info.type, "name": info.name}
            if info.type == "country":
                rec["country_code"] = info.country_code or eid.split(":", 1)[1]
            if info.parent:
                self.declare(info.parent)
                rec["parent"] = info.parent
        else:
            rec = {"id": eid, "type": etype or "other", "name": name or eid.split(":", 1)[1]}
            if parent:
                self.declare(parent)
                rec["parent"] = parent
        self.entities[eid] = rec

    def sentence_of(self, pos: int) -> int:
        lo, hi = 0, len(self.sents) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sents[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return self.sents[lo].index if self.sents else 0

    def actor_id(self, eid: str) -> str:
        if eid.startswith("location:"):
            return self.g.country_of(eid) or eid
        if eid.startswith("person:"):
            return self.person_parent.get(eid) or (self.g.entities[eid].parent if eid in self.g.entities
                                                   else None) or eid
        if eid.startswith("org:"):
            # a firm or agency stands for its state as a party ("from France's Dassault Aviation",
            # "a deal with Turkey's Baykar"); as a speaker it stays itself (attribution.py). A news
            # outlet or a research institute stands for no state (resources/non_party_orgs.csv).
            if eid in NON_PARTY_ORGS:
                return eid
            return self.g.country_of(eid) or eid
        return eid

    def _find_mentions(self, doc, matcher) -> None:
        """Gazetteer mentions (longest first, not inside a dateline's wire credit), then titled
        people, groups and datelines."""
        spans = [doc[s:e] for _, s, e in matcher(doc)]
        # longest first; on a tie a name beats a "the ..." alias ("the North" vs "North Koreans")
        spans = sorted(spans, key=lambda sp: (-len(sp), sp.text[:4].lower() == "the ", sp.start))
        taken: set[int] = set()
        kept = []
        for sp in spans:
            if any(i in taken for i in range(sp.start, sp.end)):
                continue
            kept.append(sp)
            taken.update(range(sp.start, sp.end))
        spans = sorted(kept, key=lambda sp: sp.start)
        text = self.text
        occupied = Occupied(len(text))
        # wire credits in a dateline ("LONDON (Reuters) -") are no mentions
        for dm in _DATELINE.finditer(text):
            credit = re.search(r"\([^()\n]+\)", dm.group(0))
            if credit:
                occupied.append((dm.start() + credit.start(), dm.start() + credit.end()))
        for sp in spans:
            if occupied.covers(sp.start_char):
                continue
            before = text[max(0, sp.start_char - 40):sp.start_char]
            res = resolve(self.g, sp.text, before)
            if res is None:
                continue
            eid, kind = res
            if kind == "short_name" and sp.text[:4].lower() == "the " and \
                    re.match(r"\s+[A-Z][a-z]", text[sp.end_char:sp.end_char + 3]):
                continue  # "from the North China Industries Corporation": part of a longer name, not the DPRK
            self._add_mention(sp.start_char, sp.end_char, eid, kind)
            occupied.append((sp.start_char, sp.end_char))
        self._people(occupied)
        self._groups(occupied)
        self._datelines(occupied)
        self.mentions.sort(key=lambda m: (m.start, m.end))

    def _add_mention(self, start: int, end: int, eid: str, kind: str) -> None:
        self.declare(eid)
        self.mentions.append(Mention(start, end, self.text[start:end], eid, self.sentence_of(start), kind))

    def _people(self, occupied: Occupied) -> None:
        g = self.g
        text = self.text

        def is_surface(s: str) -> bool:
            """A known name that is not a person's (a country, a system, ...)."""
            return s in g.surfaces and not all(eid.startswith("person:") for eid, _ in g.surfaces[s])

        self.roles: list[tuple[str, str, str | None, int]] = []
        known_parts: dict[str, str] = {}
        for hit in find_titled_people(text, is_surface):
            if occupied.covers(hit.start):
                # a gazetteer person ("President Vladimir Putin"): keep the role, not a new person
                pid = next((m.entity for m in self.mentions if m.start <= hit.start < m.end
                            and m.entity.startswith("person:")), None)
                if pid is None:
                    continue
            elif len(hit.name.split()) == 1 and hit.name in known_parts:
                pid = known_parts[hit.name]  # "aide Ushakov" after "Yuri Ushakov"
                continue
            else:
                pid = "person:" + slug(hit.name)
                for part in hit.name.split():
                    if len(part) > 2:
                        known_parts.setdefault(part, pid)
            parent = self._role_parent(hit.role_start, hit.mods)
            if pid in g.entities and g.entities[pid].parent:
                parent = parent or g.entities[pid].parent
            if pid not in self.person_parent or self.person_parent[pid] is None:
                self.person_parent[pid] = parent
            self.person_names.setdefault(pid, hit.name)
            if pid not in g.entities:
                self.declare(pid, hit.name, "person", self.person_parent.get(pid))
                self._add_mention(hit.start, hit.end, pid, "title")
                occupied.append((hit.start, hit.end))
            role = hit.title if not hit.mods else (hit.mods + hit.title).strip()
            role = text[hit.role_start:hit.role_start + len(role)] if hit.mods else \
                text[hit.role_start:text.index(hit.title, hit.role_start) + len(hit.title)]
            self.roles.append((pid, role.strip(), parent, hit.start))
        # name parts of reference people mentioned in full ("Kim" after "Kim Jong Un")
        for mm in self.mentions:
            if mm.entity.startswith("person:") and len(mm.surface.split()) > 1:
                first = mm.surface.split()[0]
                if len(first) > 2:
                    known_parts.setdefault(first, mm.entity)
                last = mm.surface.split()[-1]
                if len(last) > 3 and "-" not in last:
                    known_parts.setdefault(last, mm.entity)
        # bare later mentions of a known name part ("Shin", "Richter")
        if known_parts:
            pat = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(known_parts, key=len, reverse=True))
                             + r")\b(?!\s+[A-Z][a-z])")
            for m in pat.finditer(text):
                if occupied.covers(m.start()):
                    continue
                self._add_mention(m.start(), m.end(), known_parts[m.group(1)], "name_part")
                occupied.append((m.start(), m.end()))
        # fix person entities declared before their parent was known
        for pid, parent in self.person_parent.items():
            if pid in self.entities and parent and "parent" not in self.entities[pid]:
                self.declare(parent)
                self.entities[pid]["parent"] = parent

    def _role_parent(self, role_start: int, mods: str) -> str | None:
        """Country or demonym right before the role words (or inside an appositive's words)."""
        text = self.text
        for m in reversed(self.mentions):
            if m.end <= role_start and role_start - m.end <= 3:
                between = text[m.end:role_start]
                if re.fullmatch(r"(?:['’]s)?\s*", between):
                    c = self.g.country_of(m.entity)
                    if c:
                        self.role_parent_starts.add(m.start)
                        return c
            if mods and role_start <= m.start < role_start + len(mods):
                c = self.g.country_of(m.entity)
                if c:
                    return c
        return None

    def _datelines(self, occupied: Occupied) -> None:
        """ "SEOUL/MOSCOW - ...", "KYIV (Reuters) - ...": the places a story is filed from."""
        for m in _DATELINE.finditer(self.text):
            for part in re.finditer(r"[A-Z][A-Z.' -]*[A-Z.]", m.group("places")):
                name = part.group(0).title()
                eid = self.g.places.get(name)
                if eid is None:
                    options = self.g.surfaces.get(name, [])
                    eid = next((e for e, _ in options if e.startswith("location:")), None)
                    if eid is None:
                        country = next((e for e, k in options if k == "capital"), None)
                        eid = country
                if eid is None and m.group("country"):
                    # "RIO CUARTO, Argentina (AP) -": a town the gazetteer lacks, in the country named after it
                    eid = next((e for e, _ in self.g.surfaces.get(m.group("country"), [])
                                if e.startswith("country:")), None)
                start, end = m.start("places") + part.start(), m.start("places") + part.end()
                if eid is None or occupied.covers(start):
                    continue
                self._add_mention(start, end, eid, "dateline")
                occupied.append((start, end))

    def _groups(self, occupied: Occupied) -> None:
        for m in GROUPS.finditer(self.text):
            if occupied.covers(m.start()):
                continue
            key = GROUP_KEYS[int(m.lastgroup[1:])][0]
            if key == "*region*":
                key = slug(" ".join(m.group(0).lower().split()))
            eid = "other:" + key
            self.declare(eid, key.replace("-", " ").capitalize(), "other")
            self._add_mention(m.start(), m.end(), eid, "group")
            occupied.append((m.start(), m.end()))
        # "Russian state media", "North Korean state media": a national group
        for mm in list(self.mentions):
            if mm.kind != "demonym":
                continue
            after = re.match(r"\s+(state\s+media|state\s+television|state\s+news\s+agency)\b", self.text[mm.end:])
            if not after:
                continue
            country = mm.entity
            eid = "other:" + slug(mm.surface + " " + after.group(1))
            self.declare(eid, mm.surface + " " + after.group(1), "other", country)
            self.mentions.remove(mm)
            self._add_mention(mm.start, mm.end + after.end(), eid, "group")

    def _build_sentences(self) -> None:
        text = self.text
        by_sent: dict[int, list[Mention]] = {}
        for m in self.mentions:
            by_sent.setdefault(m.sentence, []).append(m)
        for s in self.sents:
            ms = by_sent.get(s.index, [])
            systems = []
            for m in ms:
                info = self.g.entities.get(m.entity)
                etype = info.type if info else self.entities.get(m.entity, {}).get("type")
                if etype == "weapon_system":
                    systems.append((m.start - s.start, m.end - s.start, m.entity))
                    continue
                if m.kind == "demonym":
                    after = text[m.end:m.end + 45]
                    if re.match(rf"\s+(?:[a-z][a-z-]+\s+)?(?:{GROUP_NOUNS}|{_FORCE_NOUNS})\b", after) or \
                            m.surface.endswith("s") or after.startswith("-led "):  # "a Czech-led initiative"
                        # "from the Royal Danish Air Force": the force's name starts at "Royal"
                        start = m.start - 6 if text[max(0, m.start - 6):m.start] == "Royal " else m.start
                        s.actors.append(Actor(start, m.end, m.entity, m.entity, "demonym_group"))
                    else:
                        s.actors.append(Actor(m.start, m.end, m.entity, m.entity, "demonym"))
                    continue
                s.actors.append(Actor(m.start, m.end, self.actor_id(m.entity), m.entity, m.kind))
            # item phrases matter only where a transfer can be said (a trigger word)
            # (or a breakdown of an order: "54 will be K2 tanks, while the other 141 will be ...", frames._breakdown)
            items = find_items(s.text) if TRIGGER_RE.search(s.text) or _BREAKDOWN_HINT.search(s.text) else []
            # a word of a firm's or person's name is no item: "BAE Systems", "Hanwha Aerospace"
            names = [(m.start - s.start, m.end - s.start) for m in ms
                     if m.entity.startswith(("org:", "person:")) and m.kind not in ("demonym",)]
            items = [i for i in items if not any(a <= i.start and i.end <= b for a, b in names)]
            items = merge_systems(s.text, items, systems)
            s.items = [Item(i.start + s.start, i.end + s.start, i.text, i.category, i.system) for i in items]
            s.dates = find_dates(s.text, self.published, self.precision)


    def _roles(self) -> None:
        seen = set()
        n = 0
        for pid, role, org, pos in self.roles:
            if (pid, role) in seen or pid not in self.entities:
                continue
            seen.add((pid, role))
            person_mention = next((m for m in self.mentions if m.entity == pid and m.start >= pos - 1), None)
            if person_mention is None:
                continue
            start = min(pos, person_mention.start)
            # the quote: from the role words (and a country right before them) to the name
            role_idx = self.text.rfind(role, max(0, start - 200), person_mention.end)
            q_start = role_idx if role_idx >= 0 and role_idx < person_mention.start else person_mention.start
            for m in self.mentions:
                if m.end <= q_start and q_start - m.end <= 3 and self.g.country_of(m.entity) and \
                        re.fullmatch(r"(?:['’]s)?\s*", self.text[m.end:q_start]):
                    q_start = m.start
            q_end = max(person_mention.end, role_idx + len(role) if role_idx >= 0 else person_mention.end)
            n += 1
            if org:
                self.declare(org)
            self.claims.append({
                "key": f"r{n}", "predicate": "role", "claimant": None, "subject": pid, "object": org,
                "stance": "asserts", "hedge": "reported", "quote": self.text[q_start:q_end], "start": q_start,
                "end": q_end, "date": None, "date_precision": "unknown", "date_text": None,
                "role": {"person": pid, "role": role, "organization": org},
            })

