"""Stage 4, attribution and hedges: who asserts a statement, and how firmly."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import catalogue
from ..normalize import slug
from .lexicon import (
    ATTRIB_VERBS,
    GROUP_NOUNS,
    HEDGES,
)
from .model import Actor, Sent

# firm kinds (warehouse/data/catalogue/firms.csv) that "the agency" / "the company" can stand for
AGENCY_KINDS = frozenset({"state_export_agency", "procurement_agency", "ministry", "research_agency",
                          "export_control_authority"})
FIRM_KINDS = frozenset({"manufacturer", "shipbuilder", "trading_company"})
_DEFINITE_SPEAKER = re.compile(rf"\b(?:[Tt]he\s+(?P<noun>company|firm|manufacturer|maker|agency|shipbuilder|contractor|"
                               r"planemaker|carmaker|group|team|monitors|panel|report)(?:['’]s)?|(?P<staff>company|firm|agency)\s+(?:officials|"
                               r"executives|spokes(?:man|woman|person|people)))\s+(?:(?:has|have|had|also)\s+)*"
                               rf"(?:{ATTRIB_VERBS})\b")
# "the officials said", "officials said", "the sources said": the speakers of the statement before
_BARE_SPEAKERS = re.compile(r"(?:^|,\s+|\b[Tt]he\s+|\b)(?:(?:the|these|those|same)\s+)?(?:officials|sources|"
                            r"diplomats|ministry|spokesm[ae]n|spokeswom[ae]n|spokespeople|spokesperson)\s+"
                            rf"(?:(?:have|has|had|also)\s+)*(?:{ATTRIB_VERBS})\b")
# "..., the defence ministry said": a speaker at the end of the sentence that may be a state's body
_TRAILING_BODY = re.compile(rf",\s+(?P<body>(?:the\s+)?[a-z][a-z ]{{2,40}}?)\s+(?:(?:has|had|also)\s+)*"
                            rf"(?:{ATTRIB_VERBS})\s*[.,]?\s*$")
# "a tracker kept by the Cato Institute", "figures compiled by SIPRI": the document's keeper speaks
_DOCUMENT_BY = re.compile(r"(?:(?:an?|the|its)\s+)?(?:[\w-]+\s+){0,2}?(?:tracker|database|tally|count|report|study|"
                          r"analysis|survey|estimates?|data|figures|assessment)\s+(?:(?:kept|compiled|maintained|"
                          r"published|run|released|produced|prepared|issued)\s+)?by\s+(?:the\s+)?(?P<who>(?-i:[A-Z]).+)$",
                          re.I)
# "according to the defence ministry / the air force / the government": the state whose body it is
_STATE_BODY = re.compile(r"(?:the\s+)?(?:(?:country's|national)\s+)?(?:defen[cs]e\s+ministry|"
                         r"ministry\s+of\s+defen[cs]e|foreign\s+ministry|ministry|air\s+force|army|navy|government|armed\s+forces|"
                         r"military|presidency|defen[cs]e\s+department)\b", re.I)
_SPEAKER_STOP = re.compile(r"\s*(?:,|\.|;|\bwho\b|\bthat\b|\bwhich\b|\bcited\b|\bquoted\b|\bspeaking\b|"
                           r"\bsent\b|\bseen\b|\bpublished\b|\bon\s+\w+day\b|$)")
_SPEAKER_DROP = re.compile(r"^(?:the|a|an|two|three|four|several|some|many|other|unnamed|senior|independent)\s+", re.I)


# evidence read by someone: "images analysed by the Open Source Centre", "documents seen by Reuters"
_ANALYSED_BY = re.compile(r"\b(?:images?|imagery|data|documents?|records|footage|photos?|analysis|figures|research)\s+"
                          r"(?:[\w-]+\s+){0,2}?(?:analy[sz]ed|reviewed|obtained|seen|compiled|published|gathered|"
                          r"verified)\s+by\s+(?P<who>(?:the\s+)?(?-i:[A-Z])[\w&.'’-]*(?:\s+(?-i:[A-Z])[\w&.'’-]*){0,5})",
                          re.I)


@lru_cache(maxsize=1)
def _org_kinds() -> dict[str, str]:
    return {f.org_id: f.kind for f in catalogue.firms()}


class AttributionStage:
    """Claimants ("according to X", "X said", "X's accusations") and hedges.
    A mixin of pipeline.Extraction."""

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
            if who and re.match(r"\s+(?:[Ee]mbass(?:y|ies)|[Cc]onsulates?|[Mm]issions?)\s+(?:in|to)\b",
                                text[who[0].end:who[0].end + 20]):
                who = who[:1]  # "according to the U.S. Embassy in Buenos Aires": the embassy's state
            best = self._ids(who) if who else self._unnamed_source(s, a_start, a_end)
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
            if a.entity.startswith("person:") and re.match(rf",\s+(?:(?:has|had|also)\s+)?(?:{ATTRIB_VERBS})\b", after):
                return self._ids([a])  # "A retired Egyptian general, Samir Farag, said ..."
            if re.match(rf"\)?(?:['’]s)?\s*(?:{GROUP_NOUNS}\s+)?(?:(?:has|have|had|also|again|repeatedly|"
                        rf"publicly|previously|recently)\s+)*(?:{ATTRIB_VERBS})\b", after, re.I):
                author = next((b for b in s.actors if b.end <= a.start and re.fullmatch(
                    r"(?:['’]s)?\s+(?:[\w-]+\s+){0,3}(?:report|document|assessment|memo|letter|study|dossier)\s+"
                    r"(?:seen|obtained|reviewed|viewed)\s+by\s+(?:the\s+)?", text[b.end:a.start], re.I)), None)
                if author is not None:
                    return self._ids([author])  # "a confidential UN report seen by AFP said": the report's author
                return self._ids(self._coordinated(s, a))
            if re.match(r"(?:['’]s)?\s+(?:accusations?|allegations?|claims?|estimates?|intelligence|report)\b",
                        after, re.I) and a.start < pos:
                return self._ids([a])
        # "The company said ...", "..., the agency said": the firm or agency named last
        m = _DEFINITE_SPEAKER.search(s.text)
        if m:
            orgs = [mm for mm in self.mentions if mm.entity.startswith("org:") and mm.start < s.start + m.start()
                    and mm.sentence >= s.index - 3]
            # "the agency" is the agency named last, not the maker named since ("... the eight General
            # Atomics aircraft ..., the agency said"); "the company" the firm named last
            kinds = _org_kinds()
            want = AGENCY_KINDS if (m.group("noun") or m.group("staff")) == "agency" else FIRM_KINDS
            typed = [mm for mm in orgs if kinds.get(mm.entity) in want]
            if typed or orgs:
                return [(typed or orgs)[-1].entity]
        # (the verbs in lowercase: "from the United States" ends with no verb "states")
        m = re.search(rf",\s+(?P<who>[^,]{{2,60}}?)\s+(?-i:{ATTRIB_VERBS})(?:\s+(?:reporters|journalists|lawmakers|"
                      rf"parliament|the\s+[a-z]+|(?-i:[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)))?(?:,?\s+(?:in|on|at|during|late|"
                      rf"early|last|this|after|before|citing)\b[^,]{{0,50}}?)?\s*[.,]?\s*$|"
                      rf"\b(?:he|she)\s+(?:{ATTRIB_VERBS})\b", s.text, re.I)
        if m:
            inside = [a for a in s.actors if m.start() <= a.start - s.start < m.end()]
            # "..., Turkish Aerospace chief executive Temel Kotil told reporters": the person speaking, not
            # the firm that qualifies them
            person = next((a for a in inside if a.entity.startswith("person:")), None)
            if person is not None:
                return self._ids([person])
            if inside:
                return self._ids(inside[:1])
            if m.group("who") and re.match(r"(?-i:[A-Z])", m.group("who").removeprefix("the ")) and \
                    re.search(r"(?i:agency|news|media|television|tv|radio|newspaper|daily|times|post|international|"
                              r"institute|watch|group|centre|center|monitor|observatory|foundation|council)\b",
                              m.group("who")):
                # "..., Tasnim news agency reported", "..., Amnesty International said in a report": a named
                # source the gazetteer lacks
                src = self._unnamed_source(s, s.start + m.start("who"), s.start + m.end("who"))
                if src:
                    return src
            if m.group("who") and re.fullmatch(r"(?-i:[A-Z])[\w.'’-]+(?:\s+(?-i:[A-Z])[\w.'’-]+){0,2}",
                                               m.group("who")) \
                    and re.search(r"\breport(?:ed|s)\b", m.group(0)[len(m.group("who")):]):
                # "..., Menadefense reported": a name that reports is an outlet the gazetteer lacks
                src = self._unnamed_source(s, s.start + m.start("who"), s.start + m.end("who"))
                if src:
                    return src
            if re.search(r"\b(?:he|she)\b", m.group(0), re.I):
                prev_people = [mm for mm in self.mentions if mm.entity.startswith("person:") and mm.start < s.start
                               and mm.sentence >= s.index - 3]
                if prev_people:
                    return [prev_people[-1].entity]

        m = _BARE_SPEAKERS.search(s.text)
        if m and not any(m.start() <= a.start - s.start < m.end() for a in s.actors):
            prior = self._prior_claimants(s)
            if prior:
                return prior
        m = _TRAILING_BODY.search(s.text)
        if m and _STATE_BODY.fullmatch(m.group("body").strip()):
            # "Peru has asked South Korea for K2 tanks, the defence ministry said": the state it is about
            state = self._unnamed_source(s, s.start + m.start("body"), s.start + m.end("body"))
            if state:
                return state
        m = _ANALYSED_BY.search(s.text)
        if m:
            # "Satellite images analysed by the Open Source Centre show ...": who read the evidence
            who = [a for a in s.actors if s.start + m.start("who") <= a.start < s.start + m.end("who")]
            return self._ids(who[:1]) if who else self._unnamed_source(s, s.start + m.start("who"),
                                                                           s.start + m.end("who"))
        # "X's (national security) adviser, Shin Wonsik, ... alleging": a person before an attribution
        for mm in self.mentions:
            if mm.sentence == s.index and mm.entity.startswith("person:") and mm.start < pos and re.search(
                    rf"\b(?:{ATTRIB_VERBS}|alleging|claiming|saying|accusing|asserting|assertions?)\b",
                    text[mm.end:pos], re.I):
                return [mm.entity]
        return []

    def _prior_claimants(self, s: Sent) -> list[str]:
        """The speakers of the last attributed statement in the three sentences before (the
        officials of "..., the officials said")."""
        for t in reversed(self.transfers):
            if s.index - 3 <= t.sent.index < s.index and t.claimants:
                return list(t.claimants)
        return []

    def _unnamed_source(self, s: Sent, lo: int, hi: int) -> list[str]:
        """ "according to X" where X names no known actor: a state's body stands for the state the
        sentence is about ("according to the defence ministry"); a described source gets an id from its words
        ("according to a congressional aide" -> other:congressional-aide, "according to Far Maroc" ->
        org:far-maroc)."""
        words = self.text[lo:hi]
        stop = _SPEAKER_STOP.search(words)
        words = words[:stop.start()] if stop else words
        words = _SPEAKER_DROP.sub("", _SPEAKER_DROP.sub("", words.strip())).strip()
        if not words or len(words) > 60:
            return []
        by = _DOCUMENT_BY.match(words)
        if by:
            words = by.group("who")  # "according to a tracker kept by the Cato Institute": its keeper
        if _STATE_BODY.fullmatch(words):
            # the state the sentence is about (its first one: "Nigeria received ... from Italy, according
            # to the air force"), else the one named last before it
            here = [mm for mm in self.mentions if mm.entity.startswith("country:") and s.start <= mm.start < lo]
            before = [mm for mm in self.mentions if mm.entity.startswith("country:") and mm.start < s.start
                      and mm.sentence >= s.index - 2]
            return [here[0].entity] if here else ([before[-1].entity] if before else [])
        if re.search(r"\b(?:reports?|statement|documents?|data|figures|notices|records|filings?|images?|"
                     r"footage|estimates?)\b", words, re.I):
            return []  # a document, not a speaker: the speaker is found elsewhere (or none)
        sid = slug(words)
        if not sid:
            return []
        eid = ("org:" if words[0].isupper() else "other:") + sid
        self.declare(eid, words, "organization" if words[0].isupper() else "other")
        return [eid]

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
        if a.kind in ("demonym", "demonym_group") and \
                re.match(r"\s+(?:news\s+)?media\b", self.text[a.end:a.end + 12]) and \
                not re.search(r"\bstate\s+$", self.text[max(0, a.start - 7):a.start]):
            # "Indian media have reported", "according to Moroccan media": the press, not the state
            surface = self.text[a.start:a.end]
            eid = f"other:{slug(surface)}-media"
            self.declare(eid, f"{surface} media", "other", a.entity)
            return eid
        if a.entity.startswith("org:") and _org_kinds().get(a.entity) == "ministry":
            # a government department speaks for its state ("the Defense Department said" -> the US)
            return self.g.country_of(a.entity) or a.entity
        if a.entity.startswith(("person:", "org:")):
            return a.entity  # a named person or agency speaks for itself ("DSCA said")
        return a.id
