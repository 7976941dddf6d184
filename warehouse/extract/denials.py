"""Stage 5, denials: which transfers a denial (or a negated statement) denies."""

from __future__ import annotations

import re

from .lexicon import (
    DENY,
    GROUP_NOUNS,
)
from .model import Sent, Transfer, is_weapon

# what is rejected is not a report of a transfer
_NOT_A_CLAIM = re.compile(r"\s+(?:the|a|an|this|that|these|its|their|any)?\s*(?:[\w-]+\s+){0,2}?(?:"
                          r"criticism|criticisms|sanctions|calls?|demands?|proposals?|offers?|ideas?|plans?|requests?|decisions?|bids?|"
                          r"resolution|ultimatum|condemnation)\b", re.I)


# a denial of giving: "denied arming the RSF", "rejected supplying weapons to", "denies sending troops"
_DENIED_GIVING = re.compile(r"\s+(?:that\s+it\s+(?:was|is|had)\s+|any\s+role\s+in\s+)?(?:arming|supplying|sending|"
                            r"providing|shipping|selling|transferring|delivering|exporting)\b", re.I)


class DenialStage:
    """Denial claims pointing at the transfers they deny. A mixin of pipeline.Extraction."""

    def _denials(self) -> None:
        n = 0
        for s in self.sents:
            dm = DENY.search(s.text)
            if dm and _NOT_A_CLAIM.match(s.text, dm.end()):
                dm = None  # "Moscow has rejected the criticism", "dismissed a French offer": no transfer denied
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
                    earlier = [t for t in earlier if is_weapon(t.item.category)] or earlier
                # "dismissed the reports and said Tehran had not sent ballistic missiles": what kind
                neg_cats = {t.item.category for t in negs if t.item.category != "weapons"}
                if neg_cats:
                    earlier = [t for t in earlier if t.item.category in neg_cats] or earlier
                if deniers:
                    targets = [t for t in earlier if t.supplier in deniers or t.recipient in deniers]
                    giving = _DENIED_GIVING.match(s.text, dm.end())
                    if giving:
                        # "denied arming the RSF": the denier as the supplier (to that recipient when named)
                        obj = next((a for a in s.actors if a.start >= s.start + giving.end() - 1 and
                                    a.kind != "demonym"), None)
                        as_supplier = [t for t in targets if t.supplier in deniers]
                        to_obj = [t for t in as_supplier if obj is not None and t.recipient == obj.id]
                        targets = to_obj or as_supplier or targets
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
                targets = [o for o in earlier if is_weapon(o.item.category)]
            else:
                targets = [o for o in earlier if o.item.category == t.item.category]
            if not targets:
                continue
            done.add(who)
            n += 1
            self._add_denial(n, who, s, targets)
        return n
