"""The rule-based extractor: an article's cleaned text -> an ArticleRecord.

Pipeline (spaCy blank English, built once per process):
1. tokenise and split sentences (sentencizer, plus a break at every newline);
2. gazetteer mentions (PhraseMatcher over the reference data), titled people, groups;
3. per sentence: items (items.py), quantities (numbers.py), dates (dates.py), then
   transfer frames around trigger words, filled by syntax-free cues:
   - giving verbs (supply, send, deliver, ship, provide, transfer, sell, deploy, ...):
     supplier = nearest actor on the left that is not inside a prepositional phrase,
     recipient = "to X" / "to aid X" on the right or the actor right after the verb
     ("supplied Russia with shells"); passive "Y was sent to Z by X";
   - receiving verbs (receive, buy, purchase, acquire, secure, seek, look to X for):
     recipient on the left, supplier from "from X", "with X" (negotiating with X to
     secure), "X's/Xian support", or the maker of a purchased system;
   - movement (made its way to, en route from X to Z, arrived in);
   - nouns (the deployment/supply/delivery of Y to Z, Y transfers from X to Z);
   a missing supplier or recipient is taken from the same sentence's other transfers or
   from recent transfers of the same kind (the most salient party wins);
4. status from tense and modality, hedge from the words governing the statement,
   claimant from attribution ("according to X", "X said", "X accusations that");
5. denials point at the transfers they deny (same sentence, or earlier ones involving
   the deniers: "Both sides denied these reports");
6. agreements (treaty, pact, deal, agreement) with parties, status, provisions and a
   natural id: agreement:<sorted party codes>-<kind words>[-<year>].
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..normalize import slug
from ..records import ArticleRecord
from .dates import DateMatch, find_dates
from .gazetteer import Gazetteer, load_gazetteer, resolve
from .items import Item, find_items, merge_systems
from .numbers import find_quantities, singular
from .persons import find_titled_people

EXTRACTOR_NAME = "rules"
EXTRACTOR_VERSION = "0.5.0"


# --------------------------------------------------------------------------- spaCy pipeline

@lru_cache(maxsize=1)
def nlp_and_matcher():
    import spacy
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

    if not Language.has_factory("newline_breaks"):
        @Language.component("newline_breaks")
        def newline_breaks(doc):
            for tok in doc[1:]:
                prev = doc[tok.i - 1]
                if prev.is_space and "\n" in prev.text:
                    tok.is_sent_start = True
                elif "\n" in prev.whitespace_:
                    tok.is_sent_start = True
            return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("newline_breaks")
    g = load_gazetteer()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    surfaces = sorted(g.surfaces)
    matcher.add("GAZ", list(nlp.tokenizer.pipe(surfaces)))
    return nlp, matcher


# --------------------------------------------------------------------------- data holders

@dataclass
class Mention:
    start: int
    end: int
    surface: str
    entity: str
    sentence: int
    kind: str = "name"


@dataclass
class Actor:
    start: int  # absolute offsets
    end: int
    id: str  # party id used in transfers (a country, body, org or group)
    entity: str  # the mentioned entity (a person, a capital's place, ...)
    kind: str = "name"  # demonym, person, group, ...


@dataclass
class Sent:
    index: int
    start: int
    end: int
    text: str
    actors: list[Actor] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # absolute offsets
    dates: list[DateMatch] = field(default_factory=list)  # relative offsets
    masked: str = ""  # the text with relative clauses blanked (same offsets)


@dataclass
class Transfer:
    sent: Sent
    supplier: str | None
    recipient: str | None
    item: Item
    status: str
    hedge: str
    claimants: list[str]
    trigger_start: int
    quantity: dict | None = None
    stance: str = "asserts"
    key: str = ""
    inferred: bool = False  # a party was taken from context
    kind: str = ""  # the trigger kind (give, recv, noun, ...)
    salient: bool = False  # a missing recipient may be the article's most mentioned counterpart
    negated: str = ""  # "Iran had not sent missiles": a denial, not a transfer ("own"; "outer" when the
    # negation governs a wider statement: "X has not accused Y of sending")


# Unnamed groups -> other:<slug>; the canonical key first, then the surfaces that stand for it.
GROUP_KEYS = [
    ("the-west", r"[Tt]he\s+West\b(?!ern)|Western\s+(?:powers|countries|nations|governments)"),
    ("western-allies", r"Western\s+(?:allies|partners|backers|supporters)"),
    ("european-allies", r"European\s+(?:allies|partners)"),
    ("nato-allies", r"NATO\s+allies"),
    ("international-community", r"(?:[Tt]he\s+)?international\s+community"),
    # unnamed regional officials and sources: "Western officials", "two European security sources"
    ("*region*", r"(?:Western|European|Asian|Arab|Gulf|NATO)\s+(?:security\s+|intelligence\s+|defen[cs]e\s+|"
                 r"military\s+|government\s+)?(?:officials|sources|diplomats)\b"),
    ("diplomats", r"(?:(?<![a-z] )|(?<=according to ))[Dd]iplomats\b"),
    ("experts", r"(?<!panel of )(?<![a-z] )[Ee]xperts\b"),
    ("analysts", r"(?:(?<![a-z] )|(?<=according to )|(?<=[Ss]ome )|(?<=[Mm]any )|(?<=[Oo]ther ))[Aa]nalysts\b"),
    ("observers", r"(?<![a-z] )[Oo]bservers\b"),
    ("media-reports", r"(?:(?<=[Aa]ccording to )(?:several\s+|some\s+|many\s+)?(?:media\s+)?reports|media\s+reports|"
                      r"^Reports(?=\s+(?:say|said|suggest|indicate|show))|(?<=There are )reports|"
                      r"(?<=\. )Reports(?=\s+(?:say|said|suggest|indicate|show)))"),
]
GROUPS = re.compile("|".join(f"(?P<g{i}>{rx})" for i, (_, rx) in enumerate(GROUP_KEYS)), re.MULTILINE)
GROUP_NOUNS = r"(?:(?:military\s+|spy\s+|intelligence\s+|defen[cs]e\s+|foreign\s+|security\s+)?" \
              r"(?:forces|military|army|troops|officials|authorities|government|sources|side|regime|" \
              r"leadership|state\s+media|media|intelligence|navy|air\s+force|diplomats|leaders|agency|" \
              r"ministry|service|services|envoy|embassy|mission|officers|experts|analysts|lawmakers|" \
              r"companies|firms|suppliers|manufacturers|producers|exporters|refiners|factories|plants|banks|" \
              r"traders|entities|ports?|shipyards|contractors|units|crews|commanders|operators))"

# --------------------------------------------------------------------------- trigger lexicon

GIVE = (r"suppl(?:y|ies|ied|ying)|send(?:s|ing)?|sent|deliver(?:s|ed|ing)?|ship(?:s|ped|ping)?|"
        r"provid(?:e|es|ed|ing)|transfer(?:red|ring)?|giv(?:e|es|ing)|gave|export(?:s|ed|ing)?|"
        r"sell(?:s|ing)?|sold|deploy(?:s|ed|ing)?|dispatch(?:es|ed|ing)?|hand(?:s|ed|ing)?\s+over|"
        r"furnish(?:es|ed|ing)?|donat(?:e|es|ed|ing)|lend(?:s|ing)?|lent|pledg(?:e|es|ed|ing)|"
        r"offer(?:s|ed|ing)?|smuggl(?:e|es|ed|ing)|funnel(?:s|ed|led|ing)?|rush(?:es|ed|ing)?|"
        r"support(?:s|ed|ing)?(?=\s+(?:[A-Z][\w.'’-]*\s+){1,3}with\b)")
RECV = (r"receiv(?:e|es|ed|ing)|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought|"
        r"purchas(?:e|es|ed|ing)|import(?:s|ed|ing)?|procur(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|"
        r"seek(?:s|ing)?|sought|request(?:s|ed|ing)?|ask(?:s|ed|ing)?\s+for|order(?:s|ed|ing)?|"
        r"(?:ask(?:s|ed|ing)?|urg(?:e|es|ed|ing)|press(?:es|ed|ing)?)(?=\s+(?:the\s+)?[A-Z][\w.'’-]*"
        r"(?:\s+[A-Z][\w.'’-]*)?\s+(?:for|to\s+(?:send|supply|provide|deliver)))|"
        r"look(?:s|ed|ing)?\s+to(?=\s+(?:the\s+)?[A-Z])|turn(?:s|ed|ing)?\s+to(?=\s+(?:the\s+)?[A-Z])|"
        r"get(?:s|ting)?|got|gain(?:s|ed|ing)?\s+access\s+to|benefit(?:s|ed|ing)?\s+from|"
        r"(?:take|takes|took|taken|taking)(?=\s+(?:(?:record|large|huge|big|growing|increasing|vast|rising)\s+)*"
        r"(?:volumes|quantities|amounts|shipments|cargoes|deliveries)\s+of\b)")
USE = r"us(?:e|es|ed|ing)|fir(?:e|es|ed|ing)|launch(?:es|ed|ing)?|shot\s+down|employ(?:s|ed|ing)?"
CONTAIN = r"contain(?:s|ed)?|hold(?:s|ing)?|carr(?:y|ies|ied|ying)|includ(?:e|es|ed)"
MOVE = (r"ma(?:de|ke|kes|king)\s+(?:its|their)\s+way|en\s+route|arriv(?:e|es|ed|ing)|"
        r"flow(?:s|ed|ing)?|head(?:ed|ing)\s+(?:to|for)|bound\s+for|reach(?:es|ed|ing)?")
NOUN_OF = (r"suppl(?:y|ies)|deliver(?:y|ies)|shipments?|transfers?|deployment|sales?|exports?|provision|"
           r"dispatch|arrival|influx|purchases?|imports?|acquisition|donation|handover|consignments?")
NOUN_AFTER = r"transfers|deliveries|shipments|supplies|sales|exports|imports|flows?|aid"
PACKAGE = r"(?:(?:aid|military|security|weapons|arms|assistance)\s+)?package"
HELP = (r"help(?:s|ed|ing)?(?=\s+(?:[A-Z][\w'’.-]*\s+){1,3}(?:to\s+)?(?:build|set\s+up|establish|launch|develop|"
        r"expand|construct)\s+(?:an?|the|its|their|new)\s+(?:[\w-]+\s+){0,2}(?:factory|factories|plants?|"
        r"production\s+lines?|assembly\s+lines?|production\s+facilit(?:y|ies))\b)")
HELP_ITEM = re.compile(r"(?:an?|the|its|their|new)\s+(?P<item>(?:[\w-]+\s+){0,2}(?:factory|factories|plants?|"
                       r"production\s+lines?|assembly\s+lines?|production\s+facilit(?:y|ies)))\b")
AGENT = r"(?:suppliers?|providers?|exporters?|sources?|sellers?|vendors?)\s+of"

TRIGGER_RE = re.compile(
    rf"\b(?:(?P<noun>(?:{NOUN_OF})\s+of)|(?P<give>{GIVE})|(?P<recv>{RECV})|(?P<move>{MOVE})|"
    rf"(?P<nafter>{NOUN_AFTER})|(?P<use>{USE})|(?P<contain>{CONTAIN})|(?P<package>{PACKAGE})|(?P<agent>{AGENT})|(?P<help>{HELP}))\b",
    re.IGNORECASE,
)
_PREP_BEFORE = re.compile(r"\b(?:with|from|to|by|of|for|against|in|on|at|into|between|and|among|toward|"
                          r"towards|over|about|than|like|including|amid|behind|than|alongside)\s+(?:the\s+)?$",
                          re.IGNORECASE)
_CLAUSE_LEFT = re.compile(r";|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b|\bthat\b|\bwhich\b|"
                          r"\bwho\b|\bwhere\b|\bbecause\b|\bsince\b(?=\s+[a-z])|\bif\b|\bwhen\b|:|\b(?:said|says)\b",
                          re.IGNORECASE)
_CLAUSE_RIGHT = re.compile(r";|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b|\bwhich\b|\bwho\b|"
                           r"\bwhere\b|\bbecause\b|\bin\s+(?:exchange|return)\b|\bas\s+part\s+of\b|\bfor\s+use\b|"
                           r"\bcompensat\w*|\bin\s+order\s+to\b|\bso\s+that\b|\bafter\b|\bbefore\b|\bwhen\b|"
                           r"\bif\b|\bto\s+(?:ensure|protect|defend|fight|attack|target|replace|destroy|use)\b|"
                           r"\b(?:said|says)\b|:|\.\s", re.IGNORECASE)
_RELATIVE = re.compile(r",\s+(?:(?P<rel>which|who|whose|whom|where|(?:built|made|produced|developed|manufactured|"
                       r"designed|based|known|called|dubbed|named)\s+(?:by|in|as)\b)|a|an|the|its|his|her)\b"
                       r"[^,;:\"“”]{0,140},")
_DATELINE = re.compile(r"^(?P<places>[A-Z][A-Z.' ]{1,40}(?:/[A-Z][A-Z.' ]{1,40})*)\s*(?:\([A-Za-z]+\)\s*)?[-–—]\s",
                       re.MULTILINE)
# a negated statement ("had not sent", "has never provided", "refused to supply") is no transfer
_NEGATION = re.compile(r"\b(?:not|never|n['’]t|no\s+longer|refus(?:ed|es|ing)\s+to|declin(?:ed|es|ing)\s+to|"
                       r"unlikely\s+to)\b"
                       r"(?!\s+(?:only|just|merely|simply|clear|known|(?:yet|immediately)\s+clear|stopped|ceased|"
                       r"halted)\b)",
                       re.IGNORECASE)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|can|may|might|should|must|does|did)\b")

HEDGES = [
    ("alleged", re.compile(r"\b(?:accus\w*|alleg\w*|claim(?:s|ed|ing)?|purported\w*|supposed\w*)\b", re.I)),
    ("estimated", re.compile(r"\bestimat\w*", re.I)),
    ("speculative", re.compile(r"\b(?:could|might|may|likely|possibl\w*|perhaps|potential\w*|conceivabl\w*|"
                               r"suspect\w*|speculat\w*|suggest\w*|if\s+true|consider\w*|"
                               r"believ\w*|appears?|seems?|concerns?\s+that|fears?\s+that)\b", re.I)),
    ("expected", re.compile(r"\b(?:expect\w*|will|would|set\s+to|due\s+to\s+\w+|plan(?:s|ned)?\s+to|"
                            r"intend\w*|imminent|upcoming|is\s+to|are\s+to)\b", re.I)),
    ("confirmed", re.compile(r"(?<!not )(?<!if )(?<!avoid )\bconfirm(?:s|ed)\b", re.I)),
]

ATTRIB_VERBS = (r"said|says|say|told|tells|claimed|claims|claim|alleged|alleges|allege|accused|accuses|accuse|"
                r"warned|warns|estimates|estimated|estimate|believes|believed|believe|asserted|asserts|assert|"
                r"insisted|insists|reported|reports|confirmed|confirms|announced|announces|stated|states|noted|"
                r"notes|argued|argues|added|adds|suspect|suspects|suspected|wrote|writes|indicated|indicates|"
                r"charged|maintains|maintained|acknowledged|acknowledges|suggest|suggests|suggested|"
                r"revealed|reveals|concluded(?!\s+(?:a|an|the|their|its)\b)|concludes(?!\s+(?:a|an|the|their|its)\b)|found|"
                r"say|assessed|assesses")
_DENY = re.compile(r"\b(?:den(?:y|ies|ied|ying)|denials?|rejected|rejects|dismissed|dismisses|refuted|refutes|"
                   r"(?:called|calls|described|describes|branded|brands)(?=\s+(?:the|these|those|such|its|their)\s+"
                   r"(?:[\w-]+\s+)?(?:reports?|claims?|allegations?|accusations?|charges?)\s+(?:as\s+)?[\"“']?"
                   r"(?:\w+\s+){0,2}?(?:baseless|groundless|false|unfounded|fabricat\w*|lies|absurd|nonsense|"
                   r"fake|untrue|slander\w*|propaganda|speculation)))\b",
                   re.IGNORECASE)

AGREEMENT_NOUN = re.compile(
    r"\b(?P<noun>treaty|treaties|pact|agreement|accord|deal|arrangement|memorandum(?:\s+of\s+understanding)?|"
    r"alliance\s+treaty|partnership(?=\s)(?!\s+(?:treaty|treaties|pact|agreement|accord|deal|arrangement)))\b",
    re.IGNORECASE,
)
KIND_WORDS = {
    "strategic", "partnership", "defense", "defence", "mutual", "assistance", "security", "military",
    "cooperation", "arms", "trade", "nuclear", "peace", "non-aggression", "friendship", "economic", "border",
    "ceasefire", "grain", "gas", "oil", "energy", "alliance", "comprehensive", "free-trade", "investment",
    "technology", "space", "weapons", "missile", "support", "framework", "procurement", "supply",
}
_DROP_KIND = {"comprehensive", "new", "landmark", "historic", "bilateral"}


# --------------------------------------------------------------------------- extraction

def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or (text[start] in "-–•*" and start + 1 < end
                                                     and text[start + 1].isspace())):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Extraction:
    """All state for one article."""

    def __init__(self, text: str, published: str | None, precision: str, title: str | None):
        self.text = text
        self.published = published
        self.precision = precision
        self.title = title
        self.g: Gazetteer = load_gazetteer()
        self.entities: dict[str, dict] = {}
        self.mentions: list[Mention] = []
        self.sents: list[Sent] = []
        self.transfers: list[Transfer] = []
        self.negated: list[Transfer] = []
        self.claims: list[dict] = []
        self.agreements: dict[str, dict] = {}
        self.person_names: dict[str, str] = {}  # person id -> name
        self.person_parent: dict[str, str | None] = {}
        self.last_system_item: Item | None = None
        self.role_parent_starts: set[int] = set()

    # ---- entities
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
        return eid

    def run(self) -> None:
        nlp, matcher = nlp_and_matcher()
        doc = nlp(self.text)
        for s in doc.sents:
            a, b = _strip_span(self.text, s.start_char, s.end_char)
            if b > a:
                self.sents.append(Sent(len(self.sents), a, b, self.text[a:b]))
        if not self.sents:
            self.sents.append(Sent(0, 0, len(self.text), self.text))
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
        occupied = _Occupied(len(text))
        # wire credits in a dateline ("LONDON (Reuters) -") are no mentions
        for dm in _DATELINE.finditer(text):
            credit = re.search(r"\([A-Za-z]+\)", dm.group(0))
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
            self._add_mention(sp.start_char, sp.end_char, eid, kind)
            occupied.append((sp.start_char, sp.end_char))
        self._people(occupied)
        self._groups(occupied)
        self._datelines(occupied)
        self.mentions.sort(key=lambda m: (m.start, m.end))
        self._build_sentences()
        for s in self.sents:
            self._transfers_in(s)
        self._fill_from_context()
        self._emit_transfers()
        self._denials()
        self._agreements()
        self._roles()

    def _add_mention(self, start: int, end: int, eid: str, kind: str) -> None:
        self.declare(eid)
        self.mentions.append(Mention(start, end, self.text[start:end], eid, self.sentence_of(start), kind))

    def _people(self, occupied: _Occupied) -> None:
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

    def _datelines(self, occupied: _Occupied) -> None:
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
                start, end = m.start("places") + part.start(), m.start("places") + part.end()
                if eid is None or occupied.covers(start):
                    continue
                self._add_mention(start, end, eid, "dateline")
                occupied.append((start, end))

    def _groups(self, occupied: _Occupied) -> None:
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
                    if re.match(rf"\s+(?:[a-z][a-z-]+\s+)?{GROUP_NOUNS}\b", after) or m.surface.endswith("s"):
                        s.actors.append(Actor(m.start, m.end, m.entity, m.entity, "demonym_group"))
                    else:
                        s.actors.append(Actor(m.start, m.end, m.entity, m.entity, "demonym"))
                    continue
                s.actors.append(Actor(m.start, m.end, self.actor_id(m.entity), m.entity, m.kind))
            # item phrases matter only where a transfer can be said (a trigger word)
            items = find_items(s.text) if TRIGGER_RE.search(s.text) else []
            items = merge_systems(s.text, items, systems)
            s.items = [Item(i.start + s.start, i.end + s.start, i.text, i.category, i.system) for i in items]
            s.dates = find_dates(s.text, self.published, self.precision)

    # ---- transfers
    def _clause(self, s: Sent, pos: int) -> tuple[int, int]:
        """Absolute [start, end) of the clause around absolute position pos."""
        rel = pos - s.start
        left = 0
        for m in _CLAUSE_LEFT.finditer(s.masked, 0, rel):
            left = m.end()
        right = len(s.text)
        m = _CLAUSE_RIGHT.search(s.masked, rel + 1)
        if m:
            right = m.start()
        return s.start + left, s.start + right

    def _masked(self, s: Sent) -> str:
        """The sentence with relative clauses and appositives blanked out (offsets kept)."""
        def blank(m: re.Match) -> str:
            seg = m.group(0)
            # an appositive ("Russia, a veto-wielding member of ..., is") is short and has no verb of its own
            if not m.group("rel") and (len(seg) > 80 or _FINITE.search(seg) or TRIGGER_RE.search(seg)):
                return seg
            return "," + " " * (len(seg) - 2) + ","
        return _RELATIVE.sub(blank, s.text)

    def _left_actor(self, s: Sent, masked: str, lo: int, hi: int, allow_demonym: bool = False) -> Actor | None:
        best = None
        for a in s.actors:
            if a.start < lo or a.end > hi:
                continue
            if a.kind == "demonym" and not allow_demonym:
                continue
            rel = a.start - s.start
            if masked[rel:rel + 1] == " " and s.text[rel:rel + 1] != " ":
                continue  # blanked (relative clause)
            gerund = re.fullmatch(r"\s+(?:\w+ly\s+)?", self.text[a.end:hi]) and re.match(r"\w+ing\b", self.text[hi:])
            if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]) and not re.search(
                    r"\b(?:and|between)\s+(?:the\s+)?$", s.text[max(0, rel - 25):rel]) and not gerund:
                continue
            if re.search(r"according\s+to\s+(?:the\s+)?$", s.text[max(0, rel - 20):rel], re.I):
                continue
            if re.match(r"\s*(?:['’]s)?\s*(?:" + GROUP_NOUNS + r")?\s*(?:said|says|told|accus)",
                        s.text[a.end - s.start:]):
                continue
            best = a
        return best

    def _elided_subject(self, s: Sent, masked: str, c_lo: int) -> Actor | None:
        """ "Russia promised X but would also provide Y": the subject of the first conjunct."""
        if not re.search(r"\b(?:but|and|yet)\s*$", self.text[s.start:c_lo]) or \
                not re.match(r"\s*(?:(?:also|would|will|could|has|have|had|is|are|was|were|then|later|even|"
                             r"not|only)\s+)*\w+", self.text[c_lo:]):
            return None
        for a in s.actors:
            if a.start >= c_lo or a.kind == "demonym":
                continue
            rel = a.start - s.start
            if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]):
                continue
            return a
        return None

    def _pronoun_subject(self, s: Sent, lo: int, hi: int) -> Actor | None:
        """ "it"/"they" as subject: the first non-prepositional actor of the previous sentence."""
        m = re.search(r"\b(?:it|they|It|They)\b", self.text[lo:hi])
        if m is None:
            return None
        # "Poland said it was ready to ...", "Rheinmetall, which makes ..., said it could ...": the speaker
        for a in s.actors:
            if a.end > lo or a.kind == "demonym":
                continue
            rel = a.start - s.start
            if _PREP_BEFORE.search(s.text[max(0, rel - 25):rel]) or (s.masked[rel] == " " and s.text[rel] != " "):
                continue
            gap = " ".join(s.masked[a.end - s.start:lo + m.start() - s.start].replace(",", " ").split()) + " "
            if re.fullmatch(rf"(?:['’]s)?\s*(?:{GROUP_NOUNS}\s+)?(?:(?:has|have|had|also|already|again|"
                            rf"then|later|previously)\s+)*(?:said|says|announced|announces|stated|states|added|"
                            rf"told\s+\w+|confirmed|confirms|indicated|signal(?:l)?ed|insisted)\s+(?:that\s+)?",
                            gap, re.I):
                return a
        if s.index == 0:
            return None
        prev = self.sents[s.index - 1]
        for a in prev.actors:
            if a.kind in ("demonym",) or a.id.startswith("person:"):
                continue
            if a.kind == "group" and m.group(0).lower() == "it":
                continue
            rel = a.start - prev.start
            if _PREP_BEFORE.search(prev.text[max(0, rel - 25):rel]):
                continue
            return a
        return None

    def _actor_after(self, s: Sent, lo: int, hi: int, preps: str) -> Actor | None:
        for a in s.actors:
            if a.start < lo or a.start >= hi or a.kind == "demonym":
                continue
            rel = a.start - s.start
            if s.masked and s.masked[rel] == " " and s.text[rel] != " ":
                continue
            if re.search(rf"\b(?:{preps})\s+(?:the\s+|its\s+|their\s+)?$", s.text[max(0, rel - 30):rel], re.I):
                return a
        return None

    def _transfers_in(self, s: Sent) -> None:
        if not s.items:
            if (self.last_system_item is None or not re.search(r"\breceiv", s.text)) and \
                    not re.search(HELP, s.text):
                return
        masked = s.masked = self._masked(s)
        sent_transfers: list[Transfer] = []
        for m in TRIGGER_RE.finditer(masked):
            inherit_status = None
            salient = False  # a missing recipient may be the article's main counterpart
            extra_sup: list[str] = []  # coordinated parties: "Germany and Britain have supplied"
            extra_rec: list[str] = []
            ts, te = s.start + m.start(), s.start + m.end()
            c_lo, c_hi = self._clause(s, ts)
            kind = m.lastgroup
            trig = m.group(0).lower()
            supplier = recipient = None
            items: list[Item] = []
            pre_lo = c_lo
            if kind == "nafter":
                # "oil transfers from Russia to North Korea", "arms deliveries to Ukraine"
                prev = [i for i in s.items if i.end <= ts and re.fullmatch(r"\s*", self.text[i.end:ts])]
                if not prev:
                    continue
                items = [prev[-1]]
                if trig in ("aid",) and items[0].category not in ("weapons", "food", "money"):
                    continue
                sup = self._actor_after(s, te, c_hi, "from|by")
                rec = self._actor_after(s, te, c_hi, "to|for|into")
                poss = self._possessive_before(s, items[0].start)
                supplier = sup.id if sup else (poss.id if poss else None)
                recipient = rec.id if rec else None
                if supplier is None:
                    subj = self._left_actor(s, masked, c_lo, items[0].start)
                    if subj and re.search(r"\b(?:consider\w*|plan\w*|approv\w*|announc\w*|promis\w*|pledg\w*|"
                                          r"prepar\w*|authori[sz]\w*|discuss\w*|resum\w*|continu\w*|began|"
                                          r"begin\w*|start\w*|increas\w*|step\w*\s+up|boost\w*)\b",
                                          self.text[subj.end:items[0].start], re.I):
                        supplier = subj.id
                pre_lo = supplier and c_lo or c_lo
            elif kind == "package":
                # "X announced a $425 million package for Y that includes Z"
                rec = self._actor_after(s, te, min(c_hi, te + 40), "to|for")
                incl = re.match(r"[^.;]{0,30}?\b(?:that\s+|which\s+)?(?:includ(?:es|ed|ing)|contain(?:s|ed|ing)|"
                                r"compris(?:es|ed|ing)|with)\b", self.text[te:c_hi])
                if rec is None and not (incl and re.search(
                        r"\b(?:announc|approv|unveil|pledg|promis|authori[sz]|sign|provid|send|sent|prepar)\w*\s+"
                        r"(?:(?:a|an|the|its|their|another|new|fresh|latest|further)\s+)[^.;,]{0,40}$",
                        self.text[c_lo:ts], re.I)):
                    continue
                recipient = rec.id if rec else None
                poss = self._possessive_before(s, ts)
                subj = poss or self._left_actor(s, masked, c_lo, ts)
                supplier = subj.id if subj else None
                items = [i for i in self._items_between(s, rec.end if rec else te + incl.end(), s.end)
                         if not re.search(r"[;]|\.\s", self.text[te:i.start])]
                pre_lo = subj.end if subj else c_lo
                salient = True
            elif kind == "help":
                # "Iran helped Moscow build a drone factory": production know-how for the helped party
                subj = self._left_actor(s, masked, c_lo, ts) or self._pronoun_subject(s, c_lo, ts) or \
                    self._elided_subject(s, masked, c_lo)
                supplier = subj.id if subj else None
                rec = next((a for a in s.actors if te < a.start <= te + 2 and a.kind != "demonym"), None)
                recipient = rec.id if rec else None
                hm = HELP_ITEM.search(self.text, rec.end if rec else te, c_hi)
                if hm is None:
                    continue
                items = [Item(hm.start("item"), hm.end("item"), hm.group("item"), "technology")]
                pre_lo = subj.end if subj and subj.end <= ts else c_lo
            elif kind == "agent":
                # "China is the top supplier of machine tools ... to Russia": the subject supplies
                subj = self._left_actor(s, masked, c_lo, ts)
                if subj is None or not re.search(r"\b(?:is|are|was|were|has\s+been|have\s+been|became|"
                                                 r"become|remains?|remained)\b", self.text[subj.end:ts]):
                    continue
                supplier = subj.id
                rec = self._actor_after(s, te, c_hi, "to|for")
                recipient = rec.id if rec else None
                items = self._items_between(s, te, rec.start if rec else c_hi)
                pre_lo = subj.end
                salient = True
            elif kind == "noun":
                rec = self._actor_after(s, te, c_hi, "to|for|into")
                sup = self._actor_after(s, te, c_hi, "from|by")
                poss = self._possessive_before(s, ts)
                items = self._items_between(s, te, rec.start if rec else c_hi)
                if not items:
                    items = self._items_between(s, te, c_hi)
                supplier = sup.id if sup else (poss.id if poss else None)
                recipient = rec.id if rec else None
                if trig.startswith(("arrival", "influx", "purchase", "import", "acquisition")):
                    subj = self._left_actor(s, masked, c_lo, ts)
                    if recipient is None and subj and trig.startswith(("purchase", "import", "acquisition")):
                        recipient = subj.id
                    if recipient is None and trig.startswith(("arrival", "influx")):
                        recipient = None
                elif supplier is None:
                    subj = self._left_actor(s, masked, c_lo, ts)
                    if subj and re.search(r"\b(?:consider\w*|plan\w*|approv\w*|announc\w*|promis\w*|pledg\w*|"
                                          r"prepar\w*|authori[sz]\w*|discuss\w*|resum\w*|continu\w*|began|"
                                          r"begin\w*|start\w*|complet\w*|confirm\w*|order\w*)\b",
                                          self.text[subj.end:ts], re.I):
                        supplier = subj.id
                if "," in self.text[c_lo:ts]:
                    pre_lo = c_lo + self.text[c_lo:ts].rfind(",") + 1
                near = self._left_actor(s, masked, pre_lo, ts, allow_demonym=True)
                if near is not None:
                    pre_lo = near.end
            elif kind == "give":
                passive = (not trig.endswith("ing") and re.search(
                    r"\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+)?$", self.text[max(c_lo, ts - 30):ts], re.I)
                ) or (
                    trig.endswith("ed") or trig in ("sent", "sold", "given", "lent")) and any(
                    re.fullmatch(r"\s*", self.text[i.end:ts]) for i in s.items if i.end <= ts)
                if passive:
                    left_items = [i for i in s.items if c_lo <= i.start and i.end <= ts]
                    items = left_items[-1:] if left_items else []
                    while items and len(left_items) > len(items):
                        prev_item = left_items[-len(items) - 1]
                        if re.fullmatch(r"\s*(?:,|and|or)\s*(?:and\s+)?", self.text[prev_item.end:items[0].start]):
                            items.insert(0, prev_item)
                        else:
                            break
                    rec = self._to_recipient(s, te, c_hi)
                    sup = self._actor_after(s, te, c_hi, "by|from")
                    supplier = sup.id if sup else None
                    recipient = rec.id if rec else None
                else:
                    subj = self._left_actor(s, masked, c_lo, ts) or self._pronoun_subject(s, c_lo, ts) or \
                        self._elided_subject(s, masked, c_lo)
                    supplier = subj.id if subj else None
                    if subj is not None and subj in s.actors and c_lo <= subj.start:
                        extra_sup = [a.id for a in self._conjuncts(s, subj, False)]
                    pre_lo = subj.end if subj and subj.end <= ts and subj.start >= s.start else c_lo
                    direct = self._direct_object_actor(s, te, c_hi)
                    if direct is not None:
                        recipient = direct.id
                        items = self._items_between(s, direct.end, c_hi)
                    else:
                        rec = self._to_recipient(s, te, c_hi)
                        if rec is None and re.match(r"provid|offer|suppl|deliver|send|sent", trig):
                            rec = self._actor_after(s, te, c_hi, r"(?:stride|help|use|benefit)?\s*for")
                            if rec is not None and not rec.id.startswith("country:"):
                                rec = None
                        recipient = rec.id if rec else None
                        if rec is not None:
                            extra_rec = [a.id for a in self._conjuncts(s, rec, True) if a.start < c_hi]
                        items = self._items_between(s, te, rec.start if rec else c_hi) or \
                            self._items_between(s, te, c_hi)
            elif kind == "recv":
                subj = self._left_actor(s, masked, c_lo, ts) or self._pronoun_subject(s, c_lo, ts)
                recipient = subj.id if subj else None
                pre_lo = subj.end if subj and subj.end <= ts and subj.start >= s.start else c_lo
                sup = self._actor_after(s, te, c_hi, "from")
                if sup is None and re.match(r"(?:look|turn|ask|urg|press)", trig):
                    sup = next((a for a in s.actors if te <= a.start < te + 12 and a.kind != "demonym"), None)
                if sup is None:
                    w = self._actor_after(s, c_lo, ts, "with")
                    if w is not None:
                        sup = w
                if sup is None:
                    # "North Korean support in weapons", "Russia's help"
                    first_item = next((i for i in s.items if te <= i.start < c_hi), None)
                    for a in s.actors:
                        if te <= a.start and (first_item is None or a.end <= first_item.start) and a.end <= c_hi:
                            if re.match(r"(?:['’]s)?\s+(?:support|help|assistance|backing|aid)\b",
                                        self.text[a.end:a.end + 20], re.I):
                                sup = a
                                break
                supplier = sup.id if sup else None
                items = self._items_between(s, te, c_hi)
                if not items and subj is not None and subj.start >= s.start:
                    # "the machine tools that Russia imported (came from China)": the head of the relative clause
                    head = [i for i in s.items if i.end <= subj.start and
                            re.fullmatch(r"\s+(?:that|which)\s+(?:the\s+)?", self.text[i.end:subj.start])]
                    if head:
                        items = head
                        sup = sup or self._actor_after(s, te, s.end, "from")
                        supplier = sup.id if sup else None
                bare = re.match(r"\s+(?:(?:only|just|some|about)\s+)?(\d[\d,]*|one|two|three|four|five|six|seven|eight|"
                                r"nine|ten|eleven|twelve|a\s+dozen|dozens)\b(?!\s+[a-z]+s\b)", self.text[te:c_hi])
                if not items and bare and self.last_system_item is not None:
                    last = self.last_system_item
                    items = [Item(te + bare.start(1), te + bare.end(1), bare.group(1), last.category, last.system)]
                if sup is not None and sup.start > te:
                    # "received 30 launchers from X" / "received from X 30 launchers"
                    items = [i for i in items if i.end <= sup.start] or [i for i in items if i.start > sup.start] \
                        or items
                if supplier is None and re.match(r"(?:buy|bought|purchas|order|acquir|procur)", trig):
                    for it in items:
                        if it.system:
                            maker = self.g.country_of(self.g.entities[it.system].parent) \
                                if it.system in self.g.entities else None
                            if maker:
                                supplier = maker
                                break
            elif kind == "use":
                # "Russian forces used North Korean missiles": the maker's country supplied the user
                after_items = [i for i in self._items_between(s, te, c_hi) if self._origin(s, i)]
                before = [i for i in s.items if c_lo <= i.start and i.end <= ts and
                          re.fullmatch(r"\s*(?:(?:were|was|being|been|are|is)\s+)?", self.text[i.end:ts])
                          and self._origin(s, i)]
                if after_items:
                    items = after_items[:1]
                    subj = self._left_actor(s, masked, c_lo, ts)
                    recipient = subj.id if subj else None
                elif before:
                    items = before[-1:]
                    recipient = None
                else:
                    continue
                items = [i for i in items if _is_weapon(i.category)]
                supplier = self._origin(s, items[0]) if items else None
                if supplier is None or supplier == recipient:
                    continue
                pre_lo = c_lo
            elif kind == "contain":
                # "These could contain up to 4.8 million shells": the parties of the thing referred to
                if not re.search(r"(?:^|\W)(?:these|they|those|it|this|the\s+\w+)\s+(?:\w+\s+){0,3}$",
                                 self.text[c_lo:ts], re.I):
                    continue
                prev = [t for t in self.transfers if s.index - t.sent.index in (1, 2)]
                items = self._items_between(s, te, c_hi)
                if not prev or not items:
                    continue
                supplier, recipient = prev[-1].supplier, prev[-1].recipient
                pre_lo = c_lo
                inherit_status = prev[-1].status
            elif kind == "move":
                sup = self._actor_after(s, c_lo, c_hi, "from")
                rec = self._actor_after(s, te, c_hi, "to|into|in|for")
                # the thing that moves is the subject right before the verb ("the missiles arrived in")
                left_items = [i for i in s.items if c_lo <= i.start and i.end <= ts and
                              not re.search(r"[,;]|\b(?:and|but|while)\b",
                                            re.sub(r",\s*,", " ", s.masked[i.end - s.start:ts - s.start]))]
                items = left_items[-1:] if left_items else self._items_between(s, te, c_hi)[:1]
                supplier = sup.id if sup else None
                recipient = rec.id if rec else None
                pre_lo = c_lo
                if supplier is None and items and items[0].system in self.g.entities:
                    # "The first IRIS-T system arrived in Ukraine": sent by the maker's country
                    maker = self.g.country_of(self.g.entities[items[0].system].parent)
                    if maker and maker != recipient:
                        supplier = maker
            items = [i for i in items if not self._weak(i, kind)]
            if not items:
                continue
            # the demonym on an item gives its origin: "North Korean troops"
            if supplier is None:
                for it in items:
                    origin = self._origin(s, it)
                    if origin:
                        supplier = origin
                        break
            pre = self.text[pre_lo:ts]
            neg = _NEGATION.search(self.text[c_lo:ts])
            negated = ("own" if neg and neg.start() + c_lo >= pre_lo else "outer") if neg else ""
            status_override = inherit_status if kind == "contain" else None
            pairs = [(sp, rc) for sp in [*extra_sup, supplier] for rc in [recipient, *extra_rec]
                     if not (sp and rc and sp == rc)]
            for it, (sup_id, rec_id) in ((i, p) for i in self._merge_same_category(items) for p in pairs):
                it = self._resolve_anaphoric(it)
                t = Transfer(
                    sent=s, supplier=sup_id, recipient=rec_id, item=it,
                    status=status_override or self._status(pre, trig, kind, s, it, self.text[c_lo:ts]),
                    hedge=self._hedge(s, c_lo, c_hi),
                    claimants=self._claimants(s, it.start),
                    trigger_start=ts,
                    quantity=self._quantity(s, it) if kind != "help" else None,
                    negated=negated,
                    salient=salient,
                    kind=kind,
                )
                sent_transfers.append(t)
            for it in items:
                if it.system:
                    self.last_system_item = it
        # same-sentence sharing: "promising to send X, following the dispatch of Y"
        for t in sent_transfers:
            others = [o for o in sent_transfers if o is not t and o.supplier and o.recipient]
            if others:
                if t.supplier is None:
                    t.supplier = others[0].supplier
                    t.inferred = True
                if t.recipient is None and t.supplier == others[0].supplier:
                    t.recipient = others[0].recipient
                    t.inferred = True
        # an item claimed by two triggers belongs to the nearer complete one
        # ("accusations that X has been supplying Y", "receives an influx of Y from X")
        best: dict[int, Transfer] = {}

        def rank(t: Transfer) -> tuple:
            return (t.supplier is None or t.recipient is None, abs(t.item.start - t.trigger_start))

        for t in sent_transfers:
            cur = best.get(t.item.start)
            if cur is None or rank(t) < rank(cur):
                best[t.item.start] = t
        sent_transfers = [t for t in sent_transfers if best[t.item.start].trigger_start == t.trigger_start]
        self.transfers.extend(sent_transfers)
        for it in s.items:
            if it.system:
                self.last_system_item = it

    def _weak(self, it: Item, kind: str) -> bool:
        if re.fullmatch(r"(?:support|assistance|help)", it.text, re.I):
            return True
        generic = re.fullmatch(r"(?:(?:similar|previous|same|other|further|additional|such)\s+)?"
                               r"(?:systems?|batter(?:y|ies))", it.text, re.I)
        return bool(generic and it.system is None and self.last_system_item is None)

    def _resolve_anaphoric(self, it: Item) -> Item:
        last = self.last_system_item
        if it.system is None and last is not None and it.category in ("weapons", "missiles") and \
                re.fullmatch(r"(?:weapons|missiles|systems)", it.text, re.I) and \
                re.search(r"\b(?:the|these|those)\s+$", self.text[max(0, it.start - 8):it.start], re.I) and \
                (it.category == "weapons" or last.category in ("ballistic_missiles", "missiles", "air_defense")):
            # "the weapons", "these missiles": the system spoken of
            return Item(it.start, it.end, it.text, last.category, last.system)
        if it.system is None and re.search(r"\b(?:systems?|batter(?:y|ies))$", it.text, re.I) and \
                self.last_system_item is not None and it.category == "weapons" and \
                not re.search(r"\bweapons?\b", it.text, re.I):
            return Item(it.start, it.end, it.text, self.last_system_item.category, self.last_system_item.system)
        if it.category == "missiles" and re.fullmatch(r"(?:[\w-]+\s+)?missiles?", it.text, re.I):
            # "North Korean missiles" after "ballistic missiles" from the same maker: the same kind
            prior = [t for t in self.transfers if t.item.category == "ballistic_missiles"]
            if prior:
                return Item(it.start, it.end, it.text, "ballistic_missiles", it.system)
        return it

    def _possessive_before(self, s: Sent, pos: int) -> Actor | None:
        for a in s.actors:
            if a.end <= pos and pos - a.end <= 40:
                if re.fullmatch(r"['’]s\s+(?:[a-z-]+\s+){0,3}", self.text[a.end:pos]):
                    return a
        return None

    def _to_recipient(self, s: Sent, lo: int, hi: int) -> Actor | None:
        aid = self._actor_after(s, lo, hi, r"to\s+(?:aid|support|help|assist|bolster|reinforce|back|fight\s+for|"
                                           r"fight\s+alongside|supply|arm)")
        if aid:
            return aid
        return self._actor_after(s, lo, hi, "to|into")

    def _direct_object_actor(self, s: Sent, te: int, hi: int) -> Actor | None:
        for a in s.actors:
            if a.start < te or a.start >= hi or a.kind == "demonym":
                continue
            gap = self.text[te:a.start]
            if re.fullmatch(r"\s+(?:(?:also|reportedly|allegedly|already|now|secretly|even)\s+)?(?:the\s+)?", gap):
                after = self.text[a.end:a.end + 40]
                if re.match(r"(?:['’]s\s+\w+)?\s+with\b", after) or any(i.start >= a.end and
                        re.fullmatch(r"\s+(?:[\w,.-]+\s+){0,4}", self.text[a.end:i.start]) for i in s.items):
                    return a
            return None
        return None

    def _items_between(self, s: Sent, lo: int, hi: int) -> list[Item]:
        out = []
        for i in s.items:
            if i.start >= lo and i.end <= hi:
                rel = i.start - s.start
                if s.masked and s.masked[rel] == " " and s.text[rel] != " ":
                    continue  # inside a relative clause ("engines, which can be adapted for drones,")
                out.append(i)
        return out

    def _merge_same_category(self, items: list[Item]) -> list[Item]:
        out: list[Item] = []
        for it in items:
            same = next((o for o in out if o.category == it.category and (o.system == it.system)), None)
            if same is not None and re.fullmatch(r"\s*(?:,|and|or|as\s+well\s+as)\s*(?:and\s+)?",
                                                 self.text[same.end:it.start], re.I):
                idx = out.index(same)
                out[idx] = Item(same.start, it.end, self.text[same.start:it.end], same.category, same.system)
            elif same is None:
                out.append(it)
        return out

    def _origin(self, s: Sent, it: Item) -> str | None:
        for a in s.actors:
            if a.kind in ("demonym", "demonym_group") and a.end <= it.start and \
                    re.fullmatch(r"(?:-(?:made|built|produced|designed|manufactured|supplied)\s+|\s+)(?:[\w-]+\s+){0,2}",
                                 self.text[a.end:it.start]):
                return a.id
        return None

    def _status(self, pre: str, trig: str, kind: str, s: Sent, it: Item, wide: str = "") -> str:
        p = pre.lower()
        if _DENY.search(p):
            return "denied"
        if kind == "agent":
            return "ongoing"  # "the top supplier of": a standing trade
        if re.search(r"\b(?:potential|possibility|prospects?|risk|danger)\s+(?:of|for|that)\b", wide, re.I):
            return "planned"  # "the potential for North Korea receiving ..."
        if re.search(r"\b(?:urg\w*|ask\w*|call\w*\s+on|press\w*|request\w*|appeal\w*\s+to)\s+(?:the\s+)?\S+"
                     r"(?:\s+\S+)?\s+to\s+$", wide, re.I):
            return "requested"  # "Zelensky urged Washington to send ..."
        if kind == "recv" and re.match(r"(?:seek|sought|request|ask|look|turn)", trig) or re.search(
                r"\b(?:seek\w*|sought|request\w*|ask\w*|appeal\w*|call\w*\s+for|negotiat\w*|lobby\w*|urg\w*)\b", p):
            return "requested"
        if re.search(r"\b(?:promis\w*|pledg\w*|vow\w*|commit\w*|announc\w*|offer\w*|agreed|agrees|approv\w*|"
                     r"authori[sz]\w*|imminent)\b", p) or trig.startswith(("pledg", "offer", "promis")):
            return "promised"
        if re.search(r"\b(?:will|would|shall|plan\w*|intend\w*|set\s+to|expected\s+to|due\s+to|going\s+to|"
                     r"to\s+be|could|may|might|consider\w*|prepar\w*|likely|potential\w*|possibl\w*|"
                     r"upcoming|can)\b", p) and not re.search(r"\b(?:could|may|might|would|must|will)\s+(?:\w+ly\s+)?"
                                                          r"(?:not\s+)?have\s+(?:\w+ly\s+)?$", p):
            return "planned"
        if kind == "recv" and re.match(r"(?:buy|bought|purchas|order|acquir|procur)", trig):
            return "ordered"
        if re.search(r"\b(?:has|have|had)\s+been\s+\w+ing\b|\b(?:is|are|was|were)\s+(?:\w+ly\s+)?\w+ing\b|"
                     r"\b(?:continu\w*|keep\w*|keeps|still|steady|ongoing)\b", p + " " + trig) or \
                (trig.endswith("ing") and re.search(r"\b(?:is|are|was|were|been|reportedly|with|allegedly)\s+$|"
                                                    r"\b(?:reportedly|allegedly)\s*$", p)):
            return "ongoing"
        if kind != "nafter" and re.fullmatch(r"(?:suppl(?:y|ies)|sends|delivers|ships|provides|receives|gets|"
                                             r"transfers|sells|exports|imports|flows?|influx\s+of)", trig):
            return "ongoing"  # present simple: a habit or a process
        if kind == "move" and re.match(r"en\s+route|flow|head|bound", trig):
            return "ongoing"  # in transit
        if re.search(r"\b(?:is|are)\s+(?:\w+ly\s+)?$", p) and trig.endswith(("ed", "sent", "sold")):
            return "ongoing"  # present passive: "troops are sent to support Russia"
        return "delivered"

    def _hedge(self, s: Sent, lo: int, hi: int) -> str:
        """The strongest hedge governing the statement: words before it and in its own clause
        ("allegedly", "could", "Experts suggest that ..."), not those of a later clause."""
        text = self.text[s.start:hi]
        for name, rx in HEDGES:
            if rx.search(text):
                return name
        return "reported"

    def _claimants(self, s: Sent, pos: int) -> list[str]:
        """Who asserts the statement at absolute position pos (coordinated sources give several)."""
        text = self.text
        # "according to X (and Y)": the closest one before the statement governs it
        best: list[str] | None = None
        for m in re.finditer(r"according\s+to\s+", s.text, re.I):
            a_start = s.start + m.end()
            if a_start > pos + 1 and best is not None:
                break
            end = s.text.find(",", m.end())
            a_end = s.start + (end if end >= 0 else len(s.text))
            if a_start <= pos < a_end:
                a_end = pos
            who = [a for a in s.actors if a_start <= a.start < a_end]
            best = self._ids(who)
            if a_start > pos + 1:
                break
        if best is not None:
            return best
        for a in s.actors:
            after = text[a.end:a.end + 60]
            if a.kind == "demonym":
                if re.match(rf"\s+{GROUP_NOUNS}\s+(?:(?:has|have|had|also)\s+)*(?:{ATTRIB_VERBS})\b", after, re.I):
                    return self._ids(self._coordinated(s, a))
                continue
            if re.match(rf"(?:['’]s)?\s*(?:{GROUP_NOUNS}\s+)?(?:(?:has|have|had|also|again|repeatedly|"
                        rf"publicly|previously|recently)\s+)*(?:{ATTRIB_VERBS})\b", after, re.I):
                return self._ids(self._coordinated(s, a))
            if re.match(r"(?:['’]s)?\s+(?:accusations?|allegations?|claims?|estimates?|intelligence|report)\b",
                        after, re.I) and a.start < pos:
                return self._ids([a])
        m = re.search(rf",\s+(?P<who>[^,]{{2,60}}?)\s+(?:{ATTRIB_VERBS})\s*[.,]?\s*$|"
                      rf"\b(?:he|she)\s+(?:{ATTRIB_VERBS})\b", s.text, re.I)
        if m:
            for a in s.actors:
                if m.start() <= a.start - s.start < m.end():
                    return self._ids([a])
            if re.search(r"\b(?:he|she)\b", m.group(0), re.I):
                prev_people = [mm for mm in self.mentions if mm.entity.startswith("person:") and mm.start < s.start
                               and mm.sentence >= s.index - 3]
                if prev_people:
                    return [prev_people[-1].entity]
        # "X's (national security) adviser, Shin Wonsik, ... alleging": a person before an attribution
        for mm in self.mentions:
            if mm.sentence == s.index and mm.entity.startswith("person:") and mm.start < pos and re.search(
                    rf"\b(?:{ATTRIB_VERBS}|alleging|claiming|saying|accusing|asserting|assertions?)\b",
                    text[mm.end:pos], re.I):
                return [mm.entity]
        return []

    def _conjuncts(self, s: Sent, a: Actor, forward: bool) -> list[Actor]:
        """ "Germany and Britain", "Britain, France and Germany": the actors coordinated with ``a``
        (before it when forward is False, after it otherwise), without ``a`` itself."""
        out: list[tuple[Actor, bool]] = []
        cur = a
        seq = [x for x in s.actors if x.start >= a.end] if forward else \
            list(reversed([x for x in s.actors if x.end <= a.start]))
        for x in seq:
            gap = self.text[cur.end:x.start] if forward else self.text[x.end:cur.start]
            if x.kind == "demonym" or x.entity.startswith("person:") or \
                    not re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+|as\s+well\s+as\s+)(?:the\s+)?", gap):
                break
            out.append((x, bool(re.search(r"\band\b|\bas\s+well", gap))))
            cur = x
        if forward:
            # "to A, B and C": a list ends with "and"
            last_and = max((k for k, (_, has_and) in enumerate(out) if has_and), default=-1)
            return [x for x, _ in out[:last_and + 1]]
        # "A, B and C have sent": the link right before the subject is "and"
        if not out or not out[0][1]:
            return []
        return list(reversed([x for x, _ in out]))

    def _coordinated(self, s: Sent, last: Actor) -> list[Actor]:
        """ "The United States and Ukraine say": the actors joined by and/commas before ``last``."""
        out = [last]
        cur = last
        for a in reversed([x for x in s.actors if x.end <= last.start]):
            if re.fullmatch(r"\s*,?\s*and\s*(?:the\s+)?", self.text[a.end:cur.start]):
                out.insert(0, a)
                cur = a
            else:
                break
        return out

    def _ids(self, actors: list[Actor]) -> list[str]:
        out: list[str] = []
        for a in actors:
            i = self._claimant_id(a)
            if i not in out:
                out.append(i)
        return out

    def _claimant_id(self, a: Actor) -> str:
        if a.entity.startswith("person:"):
            return a.entity
        return a.id

    def _quantity(self, s: Sent, it: Item) -> dict | None:
        rel_start = it.start - s.start
        window_lo = max(0, rel_start - 60)
        segment = s.text[window_lo:it.end - s.start]
        best = None
        for q in find_quantities(segment):
            q_end = window_lo + q.end
            if window_lo + q.start >= rel_start:
                if window_lo + q.start == rel_start:  # the figure starts the item phrase
                    best = q
                continue
            gap = s.text[q_end:rel_start]
            if re.fullmatch(r"[\s\"“”'‘’]*(?:of\s+)?(?:[\w-]+\s+){0,3}?[\s\"“”'‘’]*", gap) and \
                    not re.search(r"\b(?:in|for|by|to|from)\b", gap):
                best = q
        if best is not None:
            unit = best.unit or _head_unit(it.text)
            return {"low": best.low, "high": best.high, "unit": unit, "qualifier": best.qualifier,
                    "text": best.text}
        det = re.search(r"\b(?P<det>an?|another|one|a\s+(?:second|third|fourth|fifth|new|single|further)|"
                        r"(?<![Oo]f )the\s+first)\s+"
                        r"(?:[\w-]+\s+){0,3}$", self.text[max(s.start, it.start - 40):it.start], re.I)
        head = _head_unit(it.text)
        last_word = re.findall(r"[A-Za-z][\w-]*", it.text.split(" of ")[0])[-1:] or [""]
        uncountable = ("ammunition", "equipment", "oil", "aid", "technology", "support", "assistance")
        if det and head and singular(last_word[0]) == last_word[0].lower() and head not in uncountable:
            return {"low": 1, "high": 1, "unit": head, "qualifier": None, "text": det.group("det")}
        return None

    def _fill_from_context(self) -> None:
        mention_count = Counter()
        for t in self.transfers:
            if t.supplier is None or t.recipient is None:
                earlier = [o for o in self.transfers if o.sent.index < t.sent.index and
                           t.sent.index - o.sent.index <= 6 and o.supplier and o.recipient]
                same = [o for o in earlier if o.item.category == t.item.category]
                if not same and t.recipient is None and t.supplier is not None:
                    # a supplier's offer of the kind of thing the article is about, further back
                    same = [o for o in self.transfers if o.sent.index < t.sent.index and o.supplier and o.recipient
                            and o.item.category == t.item.category and not o.negated]
                pool = same or ([o for o in earlier if _is_weapon(o.item.category)]
                                if t.item.category == "weapons" else [])
                t.inferred = True
                if t.recipient is None and t.supplier is not None:
                    cands = [o.recipient for o in same if o.recipient != t.supplier]
                    if cands:
                        counts = {c: sum(1 for m in self.mentions if m.start < t.trigger_start and
                                         self.actor_id(m.entity) == c) for c in cands}
                        t.recipient = max(cands, key=lambda c: (counts[c], -cands.index(c)))
                    else:
                        # "In return, Russia offered technology": the counterpart of the supplier's
                        # latest exchange
                        counter = [o.supplier if o.recipient == t.supplier else o.recipient for o in earlier
                                   if t.supplier in (o.supplier, o.recipient)]
                        if counter and counter[-1] != t.supplier:
                            t.recipient = counter[-1]
                elif t.supplier is None and t.recipient is not None:
                    cands = [o.supplier for o in pool if o.recipient == t.recipient and o.supplier != t.recipient]
                    if cands:
                        t.supplier = cands[-1]
                    else:
                        # "oil ... compensatory for arms supplied to Russia": the other side of an exchange
                        counter = [o.recipient for o in earlier + [x for x in self.transfers if x.sent is t.sent]
                                   if o.supplier == t.recipient and o.recipient and o.recipient != t.recipient]
                        if counter:
                            t.supplier = counter[-1]
            if t.recipient is None and t.supplier is not None and t.salient:
                # "the Pentagon announced a package that includes ...": for the article's main counterpart
                counts = Counter()
                for m in self.mentions:
                    if m.start >= t.sent.end:
                        break
                    c = self.g.country_of(m.entity) if not m.entity.startswith("person:") else None
                    if c and c != t.supplier:
                        counts[c] += 1
                if counts:
                    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                    if len(top) == 1 or top[0][1] > top[1][1]:
                        t.recipient = top[0][0]
        del mention_count

    def _emit_transfers(self) -> None:
        n = 0
        kept = []
        self.negated = [t for t in self.transfers if t.negated]
        self.transfers = [t for t in self.transfers if not t.negated]
        seen = set()
        explicit = {(t.sent.index, t.supplier, t.recipient, t.item.category, t.item.text.lower())
                    for t in self.transfers if not t.inferred}
        # "Leopard 2 battle tanks ... German-made tanks": a plain noun of a named system's kind adds nothing
        with_system = set()
        for t in self.transfers:
            if t.item.system:
                for c in (t.claimants or [None]):
                    q = t.quantity or {}
                    with_system.add((t.sent.index, t.supplier, t.recipient, t.item.category, c, q.get("low"),
                                     q.get("high")))
        for t in self.transfers:
            q = t.quantity or {}
            if t.item.system is None and re.fullmatch(r"[\w-]+", t.item.text) and all(
                    (t.sent.index, t.supplier, t.recipient, t.item.category, c, q.get("low"), q.get("high"))
                    in with_system for c in (t.claimants or [None])):
                continue
            if t.inferred and (t.sent.index, t.supplier, t.recipient, t.item.category, t.item.text.lower()) in explicit:
                continue  # "oil transfers from Russia to North Korea ... oil sales": one statement
            if not t.supplier or not t.recipient or t.supplier == t.recipient:
                continue
            if t.supplier.startswith("person:") or t.recipient.startswith("person:"):
                continue
            for claimant in (t.claimants or [None]):
                q = t.quantity or {}
                key = (t.sent.index, t.supplier, t.recipient, t.item.category, claimant, t.status,
                       q.get("low"), q.get("high"), t.item.system)  # one claim per named system
                if key in seen:
                    continue  # "oil transfers ... oil sales" in one sentence: one statement
                seen.add(key)
                n += 1
                tt = Transfer(**{**t.__dict__, "claimants": [claimant] if claimant else [], "key": f"t{n}"})
                kept.append(tt)
                self._emit_transfer_claim(tt)
        self.transfers = kept

    def _emit_transfer_claim(self, t: Transfer) -> None:
        s = t.sent
        claimant = t.claimants[0] if t.claimants else None
        for eid in (t.supplier, t.recipient, claimant, t.item.system):
            if eid:
                self.declare(eid)
        date, prec, dtext = self._event_date(s)
        period = next((d for d in s.dates if d.kind in ("since", "until")), None)
        transfer = {
            "supplier": t.supplier, "recipient": t.recipient, "item": t.item.text, "category": t.item.category,
            "system": t.item.system, "status": t.status,
        }
        if t.quantity:
            transfer["quantity"] = t.quantity
        if period is not None:
            transfer["period"] = period.text
            if period.date:
                transfer["period_start" if period.kind == "since" else "period_end"] = period.date
        claim = {
            "key": t.key, "predicate": "transfer", "claimant": claimant, "subject": t.supplier,
            "object": t.recipient, "stance": "denies" if t.status == "denied" else "asserts",
            "hedge": t.hedge, "quote": s.text, "start": s.start, "end": s.end,
            "date": date, "date_precision": prec, "date_text": dtext,
            "summary": f"{t.supplier} -> {t.recipient}: {t.item.text} ({t.status})",
            "transfer": transfer,
        }
        self.claims.append(claim)

    def _event_date(self, s: Sent) -> tuple[str | None, str, str | None]:
        point = next((d for d in s.dates if d.kind == "point"), None)
        if point is None:
            return None, "unknown", None
        return point.date, point.precision if point.date else "unknown", point.text

    # ---- denials
    def _denials(self) -> None:
        n = 0
        for s in self.sents:
            dm = _DENY.search(s.text)
            negs = [t for t in self.negated if t.sent is s]
            if not dm:
                n = self._negation_denials(s, negs, n, set())
                continue
            d_abs = s.start + dm.start()
            deniers: list[str] = []
            speakers: dict[str, str] = {}  # party -> claimant (a named person speaking for it)
            # "Moscow and Pyongyang have denied", "Tehran denied", "Both sides denied"
            left = s.text[:dm.start()]
            both = re.search(r"\b(?:both\s+(?:sides|countries|nations|governments|capitals)|the\s+two\s+"
                             r"(?:sides|countries|nations|governments))\b", left, re.I)
            # the denier is right before the verb ("Tehran denied", "Russian officials have denied",
            # "Foreign Ministry spokesman Wang Wenbin rejected"), with the parties coordinated with it
            # ("Moscow and Pyongyang have denied")
            before = [a for a in s.actors if a.end <= d_abs and a.kind != "demonym"]
            if before and re.fullmatch(rf"(?:['’]s)?\s*(?:{GROUP_NOUNS}\s+|(?:government|spokes\w+)\s+)?"
                                       r"(?:(?:has|have|had|also|both|all|repeatedly|strongly|previously|quickly|"
                                       r"flatly|categorically|vehemently|officially|publicly|again|long|swiftly|"
                                       r"firmly|consistently|on\s+\w+day|later|then|promptly|immediately)\s+)*",
                                       self.text[before[-1].end:d_abs], re.I):
                chain = [before[-1]]
                for a in reversed(before[:-1]):
                    if re.fullmatch(r"\s*(?:,\s*|,?\s*and\s+)(?:the\s+)?", self.text[a.end:chain[0].start]):
                        chain.insert(0, a)
                    else:
                        break
                for a in chain:
                    party = a.id
                    if a.entity.startswith("person:"):
                        party = self.actor_id(a.entity)
                        if party.startswith("person:"):
                            party = self._person_country_from_context(s, a.entity) or party
                        speakers.setdefault(party, a.entity)
                    if party not in deniers:
                        deniers.append(party)
            # inline transfers in the same sentence after the denial verb: "denied supplying missiles to Moscow";
            # before it: "Iran transferred missiles to Russia, a claim Tehran rejected"
            inline = [t for t in self.transfers if t.sent is s and t.trigger_start > d_abs]
            same = [t for t in self.transfers if t.sent is s and t.trigger_start < d_abs]
            reported = re.search(r"\b(?:these|the|such|those|this|that|their|its)\s+(?:[\w-]+\s+){0,2}?"
                                 r"(?:reports?|claims?|allegations?|accusations?|charges?)\b", s.text[dm.start():],
                                 re.I)
            if (inline or same) and not reported:
                targets = inline or same
            else:
                earlier = [t for t in self.transfers if t.sent.index < s.index]
                if reported:
                    if earlier and not deniers:
                        last_sent = earlier[-1].sent.index
                        earlier = [t for t in earlier if t.sent.index >= last_sent - 1]
                    if re.search(r"(?:claims?|allegations?|accusations?|charges?)\b", reported.group(0), re.I):
                        # "rejected the accusations": what was alleged, when something was
                        earlier = [t for t in earlier if t.hedge == "alleged"] or earlier
                else:
                    # a denial of "arms transfers" denies what is said to have happened, not requests
                    earlier = [t for t in earlier if t.status in ("delivered", "ongoing", "alleged")]
                if re.search(r"\b(?:arms|weapons?|military)\b", s.text[dm.start():dm.start() + 60], re.I):
                    earlier = [t for t in earlier if _is_weapon(t.item.category)] or earlier
                # "dismissed the reports and said Tehran had not sent ballistic missiles": what kind
                neg_cats = {t.item.category for t in negs if t.item.category != "weapons"}
                if neg_cats:
                    earlier = [t for t in earlier if t.item.category in neg_cats] or earlier
                if deniers:
                    targets = [t for t in earlier if t.supplier in deniers or t.recipient in deniers]
                elif both:
                    targets = [t for t in earlier if t.sent.index >= s.index - 3]
                else:
                    targets = earlier[-3:]
            if not targets:
                n = self._negation_denials(s, negs, n, set())
                continue
            if both and not deniers:
                for t in targets:
                    for p in (t.supplier, t.recipient):
                        if p not in deniers:
                            deniers.append(p)
            if not deniers:
                n = self._negation_denials(s, negs, n, set())
                continue
            for t in inline:
                t.status = "denied"
                for c in self.claims:
                    if c["key"] == t.key:
                        c["transfer"]["status"] = "denied"
                        c["stance"] = "denies"
                        if c["claimant"] is None:
                            c["claimant"] = deniers[0]
                            self.declare(deniers[0])
            done = set()
            for party in deniers:
                who = speakers.get(party, party)
                done.add(who)
                n += 1
                self._add_denial(n, who, s, targets)
            n = self._negation_denials(s, negs, n, done)

    def _person_country_from_context(self, s: Sent, pid: str) -> str | None:
        """A spokesman's country when the title gave none: a country or demonym shortly before the
        person's name, with only title words between ("China's foreign ministry spokesman Lin Jian")."""
        pm = next((m for m in self.mentions if m.entity == pid and s.start <= m.start < s.end), None)
        if pm is None:
            return None
        for m in reversed([m for m in self.mentions if s.start <= m.end <= pm.start]):
            gap = self.text[m.end:pm.start]
            if len(gap) <= 60 and re.fullmatch(r"(?:['’]s)?(?:\s+[\w-]+){0,5}\s+", gap) and \
                    not re.search(r"\b(?:said|says|and|to|of|with|by|in)\b", gap):
                return self.g.country_of(m.entity)
            break
        return None

    def _add_denial(self, n: int, who: str, s: Sent, targets: list[Transfer]) -> None:
        self.declare(who)
        first = targets[0]
        self.claims.append({
            "key": f"d{n}", "predicate": "denial", "claimant": who, "subject": first.supplier,
            "object": first.recipient, "stance": "denies", "hedge": "reported", "quote": s.text,
            "start": s.start, "end": s.end, "date": None, "date_precision": "unknown", "date_text": None,
            "summary": f"{who} denies " + ", ".join(sorted({t.key for t in targets})),
            "denies": [t.key for t in targets],
        })

    def _negation_denials(self, s: Sent, negs: list[Transfer], n: int, done: set[str]) -> int:
        """ "Araghchi wrote that Iran had NOT delivered ballistic missiles to Russia": a denial of the
        earlier claims that the supplier sent that kind of item (to that recipient)."""
        for t in negs:
            if t.negated != "own" or not t.supplier or t.inferred or t.kind not in ("give", "recv"):
                continue
            who = t.claimants[0] if t.claimants else t.supplier
            if who in done:
                continue
            earlier = [o for o in self.transfers if o.sent.index < s.index and o.supplier == t.supplier
                       and (t.recipient is None or o.recipient == t.recipient)]
            if t.item.category == "weapons":
                targets = [o for o in earlier if _is_weapon(o.item.category)]
            else:
                targets = [o for o in earlier if o.item.category == t.item.category]
            if not targets:
                continue
            done.add(who)
            n += 1
            self._add_denial(n, who, s, targets)
        return n

    # ---- agreements
    def _agreements(self) -> None:
        n = 0
        last_id: str | None = None
        for s in self.sents:
            m = None
            for cand in AGREEMENT_NOUN.finditer(s.text):
                if re.search(r"\bto\s+$", s.text[:cand.start()]) or re.match(r"\s+with\b", s.text[cand.end():]):
                    continue  # the verb "to deal with"
                if re.search(r"\b(?:previously|already)\s+reached\s+$|\bunder\s+(?:the\s+)?$", s.text[:cand.start()]):
                    continue
                if cand.group("noun").lower() == "partnership" and not re.search(
                        r"\b(?:declared|declare|declares|signed|sign|signs|forged|forge|forges|sealed|announced|"
                        r"agreed|struck|launched|established|proclaimed|formali[sz]ed)\s+(?:an?|their|the|a\s+new)\s+"
                        r"[^.;,]{0,40}$", s.text[:cand.start()], re.I):
                    continue  # "partnership" is an agreement only when declared or signed
                m = cand
                break
            if not m:
                continue
            noun = m.group("noun").lower()
            # kind words right before the noun, possibly quoted: "comprehensive strategic partnership" treaty
            pre = s.text[:m.start()]
            words = re.findall(r"[A-Za-z-]+", pre[-80:])
            kind_words: list[str] = []
            for w in reversed(words):
                lw = w.lower()
                if lw in KIND_WORDS or lw in _DROP_KIND:
                    kind_words.insert(0, lw)
                else:
                    break
            parties: list[str] = []
            speakers = set(self._claimants(s, s.start + m.start()))
            clause_end = s.start + len(s.text)
            if noun == "partnership":
                # "Russia and China declared a partnership in 2022, days before Russian troops invaded Ukraine"
                comma = re.search(r"[,;]", s.text[m.end():])
                clause_end = s.start + m.end() + comma.start() if comma else clause_end
            for a in s.actors:
                if a.start >= clause_end:
                    continue
                c = self.g.country_of(a.id) if a.kind not in ("group",) else None
                if a.start in self.role_parent_starts or self._claimant_id(a) in speakers:
                    continue  # "South Korea's adviser, Shin, alleging ...": the speaker, not a party
                if re.search(r"\b(?:in|into|across|over|near|at|on|from|against|inside)\s+(?:the\s+)?$",
                             self.text[max(s.start, a.start - 12):a.start]):
                    continue  # a place ("efforts in Ukraine"), not a party
                if re.match(r"(?:['’]s)?\s*(?:(?:has|have|had|also)\s+)*(?:said|says|warn\w*|claim\w*|accus\w*|"
                            r"alleg\w*|told|stated|insist\w*|argu\w*|noted|fear\w*|express\w*)\b",
                            self.text[a.end:a.end + 40], re.I) and a.start < s.start + m.start():
                    continue  # "The United States has warned that ...": the speaker
                if c and c not in parties and a.kind != "demonym":
                    parties.append(c)
            if not parties and kind_words and not re.search(r"\b(?:this|that|the)\s+$", pre):
                # a named kind of agreement with its parties in earlier sentences: the two most
                # mentioned countries so far
                counts = Counter(self.g.country_of(mm.entity) for mm in self.mentions if mm.start < s.start)
                counts.pop(None, None)
                parties = [c for c, _ in counts.most_common(2)] if len(counts) >= 2 else []
            if re.search(r"\barms\s+deal\b", s.text[max(0, m.start() - 6):m.end()], re.I):
                kind = "arms_deal"
            elif noun.startswith("treat") or noun == "alliance treaty":
                kind = "treaty"
            elif noun == "pact":
                kind = "pact"
            elif noun in ("deal", "arrangement"):
                kind = "deal"
            elif noun.startswith("memorandum"):
                kind = "memorandum"
            elif any(w in kind_words for w in ("defense", "defence", "mutual", "security", "military")):
                kind = "pact"
            else:
                kind = "other"
            status = self._agreement_status(s.text)
            anaphoric = re.search(r"\b(?:the|this|that|its|such\s+a)\s+(?:new\s+)?" + re.escape(m.group("noun")),
                                  s.text[max(0, m.start() - 12):m.end()], re.I) and not kind_words
            if (len(parties) < 2 or anaphoric) and last_id is None:
                continue
            provisions = self._provisions(s.text)
            if len(parties) < 2 or anaphoric:
                ag_id = last_id
            else:
                words_norm = [("defense" if w == "defence" else w) for w in kind_words if w not in _DROP_KIND]
                if noun not in ("agreement", "deal") or not words_norm:
                    head = noun.split()[0] if noun != "alliance treaty" else "treaty"
                    words_norm.append("treaty" if head == "treaties" else head)
                elif noun in ("agreement", "deal"):
                    words_norm.append(noun)
                date, prec, dtext = self._event_date(s)
                # The agreement row is shared by every article that reports it, so its contents must
                # follow from the id alone: the year (when the signing date is known) and a status
                # other than "signed" are part of the id, and signed_on is kept to the year (the
                # claim keeps the full date).
                year = date[:4] if (date and status in ("signed", "in_force")) else None
                codes = sorted(p.split(":", 1)[1].lower() for p in parties)
                ag_id = "agreement:" + "-".join(codes + [slug(" ".join(words_norm))] + ([year] if year else [])
                                                + ([slug(status)] if status != "signed" else []))
                if ag_id not in self.agreements:
                    name_words = " ".join(words_norm).capitalize()
                    signed = year
                    for p in parties:
                        self.declare(p)
                    self.agreements[ag_id] = {
                        "id": ag_id, "name": name_words, "kind": kind, "status": status,
                        "signed_on": signed, "signed_precision": "year" if signed else "unknown",
                        "parties": parties,
                    }
                last_id = ag_id
            if ag_id is None:
                continue
            ag = self.agreements[ag_id]
            n += 1
            date, prec, dtext = self._event_date(s)
            self.claims.append({
                "key": f"a{n}", "predicate": "agreement", "claimant": (self._claimants(s, s.start + m.start())
                                                                        or [None])[0],
                "subject": ag["parties"][0], "object": ag["parties"][1] if len(ag["parties"]) > 1 else None,
                "stance": "asserts", "hedge": self._hedge(s, s.start, s.end), "quote": s.text, "start": s.start,
                "end": s.end, "date": date, "date_precision": prec, "date_text": dtext,
                "summary": f"{ag['name']} ({status})", "agreement": ag_id, "provisions": provisions,
            })
            c = self.claims[-1]["claimant"]
            if c:
                self.declare(c)

    def _agreement_status(self, text: str) -> str:
        t = text.lower()
        if _DENY.search(t):
            return "denied"
        if re.search(r"\b(?:ratif\w*|entered\s+into\s+force|took\s+effect|in\s+force)\b", t):
            return "in_force"
        if re.search(r"\b(?:looking\s+to|could|would|will|may|might|plan\w*|set\s+to|expected|potential\w*|"
                     r"propos\w*|if\s+it|seek\w*|hopes?\s+to|aim\w*|negotiat\w*|talks?\s+on)\b", t):
            return "proposed"
        if re.search(r"\b(?:signed|signing|inked|concluded|sealed)\b", t):
            return "signed"
        if re.search(r"\b(?:announc\w*|agreed|unveil\w*|reached|struck)\b", t):
            return "announced"
        if re.search(r"\b(?:reportedly|rumou?r\w*)\b", t):
            return "rumoured"
        return "announced"

    def _provisions(self, text: str) -> list[str]:
        out = []
        for m in re.finditer(r"\b(?:pledging|pledges|pledged|provides?\s+for|providing\s+for|commit(?:s|ting)?\s+"
                             r"(?:them|both\s+sides|the\s+parties)?\s*to|oblig\w+\s+\w+\s+to|includ(?:e|es|ing))\s+"
                             r"[\"“']?(?P<p>[^.;,\"”]{6,120})", text, re.I):
            p = m.group("p").strip().strip("\"“”'")
            if p:
                out.append(p)
        m = re.search(r"\bmutual\s+(?:assistance|support|defen[cs]e|aid)\b[^.;,\"”]{0,80}", text, re.I)
        if m and not any(m.group(0).strip() in o for o in out):
            out.append(m.group(0).strip())
        return out

    # ---- roles
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

    def record(self, extractor: dict, article: dict) -> ArticleRecord:
        mentions = [
            {"entity": m.entity, "start": m.start, "end": m.end, "surface": m.surface, "sentence": m.sentence}
            for m in self.mentions
        ]
        return ArticleRecord.model_validate({
            "extractor": extractor,
            "article": article,
            "entities": list(self.entities.values()),
            "mentions": mentions,
            "claims": self.claims,
            "agreements": list(self.agreements.values()),
        })


class _Occupied:
    """Character positions already taken by a mention (O(1) lookups)."""

    def __init__(self, n: int):
        self.mask = bytearray(n + 1)

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        self.mask[a:b] = b"\x01" * (b - a)

    def covers(self, pos: int) -> bool:
        return bool(self.mask[pos])


def _is_weapon(category: str) -> bool:
    return category in {"artillery_ammunition", "munitions", "ballistic_missiles", "missiles", "air_defense",
                        "drones", "aircraft", "armored_vehicles", "small_arms", "weapons"}


def _head_unit(item_text: str) -> str | None:
    words = re.findall(r"[A-Za-z][\w-]*", item_text.split(" of ")[0])
    if not words:
        return None
    return singular(words[-1])


def extract(text: str, *, title=None, publisher=None, published=None, published_precision="unknown",
            origin_file=None, url=None) -> ArticleRecord:
    ex = Extraction(text, published, published_precision, title)
    ex.run()
    article = {"title": title, "publisher": publisher, "published": published,
               "published_precision": published_precision, "origin_file": origin_file, "url": url, "text": text}
    from ..normalize import article_id_for

    article["id"] = article_id_for(text)
    return ex.record({"name": EXTRACTOR_NAME, "version": EXTRACTOR_VERSION}, article)
