"""Stage 4, attribution and hedges: who asserts a statement, and how firmly."""

from __future__ import annotations

import re

from .lexicon import (
    ATTRIB_VERBS,
    GROUP_NOUNS,
    HEDGES,
)
from .model import Actor, Sent


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
        # "The company said ...", "..., the agency said": the firm or agency named last
        m = re.search(rf"\b[Tt]he\s+(?:company|firm|manufacturer|maker|agency|shipbuilder|contractor)\s+"
                      rf"(?:(?:has|had|also)\s+)*(?:{ATTRIB_VERBS})\b", s.text)
        if m:
            orgs = [mm for mm in self.mentions if mm.entity.startswith("org:") and mm.start < s.start + m.start()
                    and mm.sentence >= s.index - 3]
            if orgs:
                return [orgs[-1].entity]
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
        if a.entity.startswith(("person:", "org:")):
            return a.entity  # a named person or agency speaks for itself ("DSCA said")
        return a.id
