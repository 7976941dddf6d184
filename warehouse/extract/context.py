"""Stage 3c, context: missing parties from earlier frames; one claim per statement."""

from __future__ import annotations

import re
from collections import Counter

from .lexicon import NON_PARTY_ORGS
from .model import Sent, Transfer, is_weapon
from .numbers import find_quantities

# a generic head with modifiers ("fighter jets", "main battle tanks"): when the same sentence names the
# system with the same figure ("26 Rafale Marine fighter jets"), the plain noun adds nothing
_PLAIN_HEAD = re.compile(r"[a-z][a-z -]*")

# a system may go back to its maker's state: licence-built, returned, sent back for repair or an upgrade
_BACK_TO_MAKER = re.compile(r"licen[cs]|\breturn|\bback\b|refurbish|overhaul|repair|upgrad", re.I)


_FRONTED_PLACE = re.compile(r"(?:In|Inside|Across)\s+(?:the\s+)?(?=[A-Z])")
_NUM = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty(?:-[a-z]+)?)"
_PART_OF = re.compile(rf"\b(?:(?:the\s+)?(?:first|initial|last|final)\s+(?P<part>{_NUM})\s+of\s+"
                      rf"(?:the\s+|its\s+|their\s+)?|(?P<part2>{_NUM})\s+of\s+(?:the\s+|its\s+|their\s+)|"
                      rf"(?P<one>\b[Tt]he\s+first\s+of\s+(?:the\s+|its\s+|their\s+)?))"
                      rf"(?P<whole>{_NUM})\b", re.I)
_DEFINITE_COUNT = re.compile(r"\b[Tt]he\s+(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                             r"[a-z]+teen|[a-z]+ty(?:-[a-z]+)?)\s+(?:[\w-]+\s+){0,4}\S*$")

class ContextStage:
    """Fill a frame's missing supplier or recipient from the sentence's or the article's other
    frames, then emit one transfer claim per claimant. A mixin of pipeline.Extraction."""

    def _fill_from_context(self) -> None:
        mention_count = Counter()
        mention_ids: list[tuple[int, str]] | None = None
        for t in self.transfers:
            if t.recipient is None and t.supplier is not None:
                # "In the Philippines, a radar supplied by Mitsubishi Electric has been operating": the place
                # the sentence opens with
                lead = _FRONTED_PLACE.match(t.sent.text)
                if lead:
                    here = next((a for a in t.sent.actors if a.start == t.sent.start + lead.end() and
                                 a.id.startswith("country:") and a.id != t.supplier), None)
                    if here is not None:
                        t.recipient = here.id
        for t in self.transfers:
            if t.supplier is None or t.recipient is None:
                earlier = self.headline + [o for o in self.transfers if o.sent.index < t.sent.index and
                                           t.sent.index - o.sent.index <= 6 and o.supplier and o.recipient]
                same = [o for o in earlier if o.item.category == t.item.category]
                if not same and t.recipient is None and t.supplier is not None:
                    # a supplier's offer of the kind of thing the article is about, further back
                    same = [o for o in self.transfers if o.sent.index < t.sent.index and o.supplier and o.recipient
                            and o.item.category == t.item.category and not o.negated]
                pool = same or ([o for o in earlier if is_weapon(o.item.category)]
                                if t.item.category == "weapons" else [])
                t.inferred = True
                if t.recipient is None and t.supplier is not None:
                    cands = [o.recipient for o in same if o.recipient != t.supplier]
                    if cands:
                        if mention_ids is None:  # (start, actor) of every mention, resolved once per article
                            mention_ids = [(m.start, self.actor_id(m.entity)) for m in self.mentions]
                        wanted = set(cands)
                        counts = Counter(a for start, a in mention_ids if start < t.trigger_start and a in wanted)
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
                    if t.item.system in self.g.entities:
                        # a named system: whoever was said to supply that system, else its maker's country, before
                        # the supplier of something else of its kind ("the NASAMS purchase" after Chinese HQ-9Bs)
                        maker = self.g.country_of(self.g.entities[t.item.system].parent)
                        same_system = [o.supplier for o in pool if o.recipient == t.recipient and
                                       o.item.system == t.item.system and o.supplier != t.recipient]
                        if same_system:
                            cands = same_system
                        elif maker and maker != t.recipient:
                            cands = [maker]
                    if not cands and re.search(r"\b(?:same|similar|such)\s+(?:[\w-]+\s+){0,2}$",
                                               self.text[max(t.sent.start, t.item.start - 25):t.item.start] + " "):
                        # "Saudi Arabia and the UAE have sought the same drone": the one just reported
                        cands = [o.supplier for o in same if o.supplier != t.recipient]
                    if cands:
                        t.supplier = cands[-1]
                    else:
                        # "oil ... compensatory for arms supplied to Russia": the other side of an exchange
                        counter = [o.recipient for o in earlier + [x for x in self.transfers if x.sent is t.sent]
                                   if o.supplier == t.recipient and o.recipient and o.recipient != t.recipient]
                        if counter:
                            t.supplier = counter[-1]
                elif t.supplier is None and t.recipient is None and t.kind in ("give", "move", "noun"):
                    # "Russian officials said the last two aircraft will be delivered next year": the parties of
                    # the latest transfer of that kind, two sentences back at most
                    recent = [o for o in same if t.sent.index - o.sent.index <= 2]
                    if recent and (t.item.system is None or t.item.system == recent[-1].item.system):
                        t.supplier, t.recipient = recent[-1].supplier, recent[-1].recipient
            if t.supplier is None and t.recipient is not None and t.item.system in self.g.entities:
                # "The first batch of 10 K2 tanks was delivered to Poland": the maker's country
                maker = self.g.country_of(self.g.entities[t.item.system].parent)
                if maker and maker != t.recipient:
                    t.supplier = maker
            delivered_here = t.status == "delivered" and ((t.kind == "give" and t.item.system) or t.kind == "move")
            contracted = t.kind == "give" and t.status == "ordered" and re.search(
                r"\b(?:contracts?|deals?|orders?)\b", self.text[t.sent.start:t.item.start])
            if t.recipient is None and t.supplier is not None and (delivered_here or contracted) and \
                    not t.salient and not t.negated and (t.sent.index > 0 or t.kind == "move") and \
                    t.supplier.startswith("country:"):
                # "Turkey has delivered Bayraktar TB2 drones, and ...", with no recipient in the sentence: the state
                # the article is about (its main recipient, else its dateline's). So too "Six of the nine fast attack
                # craft ordered from Israel Shipyards have arrived", "Fincantieri signed a contract to supply two
                # patrol ships", and an arrival from abroad in the lead (the dateline's state)
                home = self._home_state()
                if home is not None and home != t.supplier:
                    t.recipient, t.inferred = home, True
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

    def _split_partial_deliveries(self) -> None:
        """ "received the first six of 24 Apache helicopters": six delivered, and 24 ordered (the whole
        order). "the remaining 18" and "the last six of 24" are the same shape; "the first of four radars"
        is one delivered (the count already read) and four ordered, and with a buyer's verb ("the first of
        24 F-16s that Argentina bought") the order alone."""
        out = []
        for t in self.transfers:
            out.append(t)
            lo = max(t.sent.start, t.item.start - 50)
            found = list(_PART_OF.finditer(self.text, lo, min(t.item.end, t.item.start + 20)))
            m = found[-1] if found else None
            if m is None or not (t.item.start - 1 <= m.end() <= t.item.end or re.fullmatch(
                    r"\s+(?:(?-i:[A-Z])[\w-]*\s+){1,2}", self.text[m.end():t.item.start])) or \
                    not re.fullmatch(r"[\s\w-]*", self.text[m.end():t.item.start] if m.end() < t.item.start else ""):
                # "The two helicopters, the first of six that Abuja ordered": the part of the order after the item
                m = _PART_OF.match(self.text, t.item.end + 2) if self.text.startswith(", ", t.item.end) else None
                if m is None or not m.group("one"):
                    continue
            whole = find_quantities(m.group("whole"))
            unit = (t.quantity or {}).get("unit")
            if m.group("one"):
                # "handed over the first of four radars", "The two helicopters, the first of six that Abuja
                # ordered": the part is the count already read (one, or the subject's); the whole is the order
                if not whole:
                    continue
                if t.status != "delivered":  # "They are the first of 24 F-16s that Argentina bought": the order
                    t.quantity = {"low": whole[0].low, "high": whole[0].high, "unit": unit,
                                  "qualifier": whole[0].qualifier, "text": m.group("whole")}
                    continue
            else:
                part_text = m.group("part") or m.group("part2")
                part = find_quantities(part_text)
                if not part or not whole:
                    continue
                t.quantity = {"low": part[0].low, "high": part[0].high, "unit": unit,
                              "qualifier": part[0].qualifier, "text": part_text}
            if t.status == "delivered":
                out.append(Transfer(**{**t.__dict__, "status": "ordered", "quantity": {
                    "low": whole[0].low, "high": whole[0].high, "unit": unit, "qualifier": whole[0].qualifier,
                    "text": m.group("whole")}}))
        self.transfers = out

    def _drop_package_leads(self) -> None:
        """ "announced a $725 million package of weapons for Ukraine. ... the package includes 500 Stinger
        missiles, ...": the package's items are the transfers; the generic lead adds nothing (its value goes
        to the first item, quantities.py)."""
        listed = [t for t in self.transfers if t.kind in ("package", "contain") and (t.quantity or t.item.system)]
        if not listed:
            return
        self.transfers = [t for t in self.transfers if not (
            t.item.system is None and t.quantity is None and t.item.category == "weapons"
            and re.search(r"\bpackage\b", t.sent.text, re.I)
            and any(0 < o.sent.index - t.sent.index <= 2 and o.supplier == t.supplier and o.recipient == t.recipient
                    for o in listed))]

    def _drop_purposes(self) -> None:
        """ "48 pods of GMLRS rockets for HIMARS launchers": the launchers say what the rockets are for."""
        out = []
        for t in self.transfers:
            lead = re.search(r"(?P<prev>\S)\s+for\s+(?:the\s+|its\s+|their\s+|use\s+(?:with|on|in)\s+)?$",
                             self.text[max(t.sent.start, t.item.start - 25):t.item.start])
            if lead and t.quantity is None and any(
                    o is not t and o.sent is t.sent and o.item.end <= t.item.start and
                    re.fullmatch(r"\s+for\s+(?:the\s+|its\s+|their\s+|use\s+(?:with|on|in)\s+)?",
                                 self.text[o.item.end:t.item.start]) for o in self.transfers):
                continue
            out.append(t)
        self.transfers = out

    def _drop_shared_totals(self) -> None:
        """ "a contract to sell nine aircraft to the Netherlands and Austria. ... five for the Netherlands and
        four for Austria": the nine is the two orders together; each recipient's own count replaces it."""
        splits = [t for t in self.transfers if t.split]
        if not splits:
            return
        keep, self.shared_totals = [], []
        for t in self.transfers:
            shared = not t.split and t.quantity and any(
                0 < o.sent.index - t.sent.index <= 3 and (o.supplier, o.recipient, o.item.category) ==
                (t.supplier, t.recipient, t.item.category) for o in splits)
            (self.shared_totals if shared else keep).append(t)
        self.transfers = keep  # the shared total still signs the contract (agreements.py)

    def _emit_transfers(self) -> None:
        self._drop_shared_totals()
        self._split_partial_deliveries()
        self._drop_package_leads()
        self._drop_purposes()
        n = 0
        kept = []
        self.negated = [t for t in self.transfers if t.negated]
        self.transfers = [t for t in self.transfers if not t.negated]
        # a refused offer or dropped plan ("Spain dropped plans to buy the F-35", "Jakarta ruled out the
        # Su-35"): the article's offers, plans and requests of that thing between the same parties go too
        refused = {(t.supplier, t.recipient, what) for t in self.negated
                   if t.negated == "refused" and t.supplier and t.recipient
                   for what in (t.item.system, t.item.category) if what}
        if refused:
            self.transfers = [t for t in self.transfers if not (
                t.status in ("promised", "planned", "requested") and
                ((t.supplier, t.recipient, t.item.system or t.item.category) in refused or
                 (t.supplier, t.recipient, t.item.category) in refused))]
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
        named_here = {key[:4] for key in with_system}
        for t in self.transfers:
            q = t.quantity or {}
            if t.item.system is None and t.quantity is None and t.inferred and \
                    (t.sent.index, t.supplier, t.recipient, t.item.category) in named_here:
                continue  # "... 12 used Typhoons from Qatar ... until the new aircraft arrive": the same jets
            if t.item.system is None and (re.fullmatch(r"[\w-]+", t.item.text) or (
                    _PLAIN_HEAD.fullmatch(t.item.text) and q.get("low") is not None)) and all(
                    (t.sent.index, t.supplier, t.recipient, t.item.category, c, q.get("low"), q.get("high"))
                    in with_system for c in (t.claimants or [None])):
                continue
            if t.inferred and (t.sent.index, t.supplier, t.recipient, t.item.category, t.item.text.lower()) in explicit:
                continue  # "oil transfers from Russia to North Korea ... oil sales": one statement
            if not t.supplier or not t.recipient or t.supplier == t.recipient:
                continue
            if t.item.system in self.g.entities and t.supplier.startswith("country:") and \
                    self.g.country_of(self.g.entities[t.item.system].parent) == t.recipient and \
                    not _BACK_TO_MAKER.search(t.sent.text):  # (licence-built, returned or repaired ones may go back)
                # "the contract between Colombia's defence ministry and Saab of Sweden for the Gripens": a state does
                # not receive its own system from its buyer; the parties were read the wrong way round
                t.supplier, t.recipient = t.recipient, t.supplier
            if t.recipient.startswith("other:") and t.recipient in (t.claimants or ()):
                continue  # "Analysts say buying Chinese jets could ...": the speakers are no buyer
            if t.supplier.startswith(("person:", "location:")) or t.recipient.startswith(("person:", "location:")) or \
                    t.supplier in NON_PARTY_ORGS or t.recipient in NON_PARTY_ORGS:
                continue
            if self._back_reference(t, kept):
                continue  # "The package includes the eight General Atomics aircraft": the drones again
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

    def _back_reference(self, t: Transfer, kept: list[Transfer]) -> bool:
        """A definite count ("the 26 launchers", "the eight aircraft") repeating a transfer of an
        earlier sentence between the same parties with the same figure."""
        q = t.quantity or {}
        if q.get("low") is None or q.get("low") != q.get("high"):
            return False
        window = self.text[max(t.sent.start, t.item.start - 30):t.item.end]
        if not _DEFINITE_COUNT.search(window):
            return False
        return any(k.sent.index < t.sent.index and k.supplier == t.supplier and k.recipient == t.recipient
                   and (k.quantity or {}).get("low") == q["low"] and (k.quantity or {}).get("high") == q["high"]
                   for k in kept)

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
