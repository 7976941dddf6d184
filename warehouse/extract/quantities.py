"""Stage 2b, quantities: the count of a transfer's item with its bounds and qualifier, and the
value of a deal ("worth $2.6 billion", "for an estimated $N", "a 450 million euro contract").

Values: the first amount of a sentence (a conversion in brackets after it is the same value)
belongs to the sentence's first transfer (the first item of a package); a sentence without a
transfer that speaks of a deal ("The deal is worth about $1 billion") gives its amount to the
first transfer of the sentence before (or the one before that) when it has none yet. The record
gets ``value_amount`` / ``value_currency`` only when ``TransferRec`` has those fields.
"""

from __future__ import annotations

import re

from ..records import TransferRec
from .items import Item
from .lexicon import COUNT
from .model import Sent, Transfer
from .numbers import AMBIGUOUS_CURRENCY, find_money, find_quantities, singular

HAS_VALUE_FIELDS = "value_amount" in TransferRec.model_fields
HAS_VALUE_TEXT = "value_text" in TransferRec.model_fields
# the words that introduce a value, kept in its text: "worth about $1 billion", "for an estimated $4.67 billion"
_VALUE_LEAD = re.compile(r"(?:\b(?:worth|valued\s+at|for|at|cost(?:ing|s)?|priced\s+at)\s+)?(?:(?:an?\s+)?(?:estimated|"
                         r"about|around|roughly|some|nearly|almost|more\s+than|over|up\s+to|at\s+least)\s+)?$", re.I)
_DEAL_WORDS = re.compile(r"\b(?:deals?|contracts?|orders?|package|programm?e|purchases?|sales?|agreements?|worth|"
                         r"valued|value|cost|priced)\b", re.I)
_AID_AMOUNT = re.compile(r"\s+(?:in|of|for)\s+(?:[\w-]+\s+)?(?:support|aid|assistance|funding|help)\b", re.I)
_MONEY_HINT = re.compile(r"[$€£¥₩₹]|\d\s*(?:-|\s)?(?:trillion|billion|million|crore|bn|mn)\b|\b(?:[A-Z]{3})\s?\d", re.I)


_NUM = rf"(?P<n>{COUNT}|[a-z]+teen|[a-z]+ty(?:-[a-z]+)?)"
_RUNNING_TOTAL_BEFORE = re.compile(rf"\bbring(?:s|ing)?\s+to\s+{_NUM}\s+the\s+(?:total\s+)?(?:number|tally)\s+of\s+"
                                   r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?$", re.I)
_RUNNING_TOTAL_OF = re.compile(r"\bbring(?:s|ing)?\s+the\s+(?:total\s+)?(?:number|tally|total|fleet)\s+of\s+"
                               r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?$", re.I)
_RUNNING_TOTAL_AFTER = re.compile(rf"\s+(?:(?:so\s+far\s+)?(?:delivered|received|handed\s+over|in\s+service)\s+)?"
                                  rf"(?:[a-z]+\s+){{0,2}}?to\s+{_NUM}\b", re.I)


_OTHER_COUNTED = re.compile(r"\s+(?:[a-z]+\s+)?(?:countries|nations|states|governments|years|months|weeks|days|times|"
                            r"decades|sides|allies|members|partners|companies|firms|ministers|officials|leaders)\b",
                            re.I)


class QuantityStage:
    """The figure of an item phrase (numbers.py parses it). A mixin of pipeline.Extraction."""

    def _quantity(self, s: Sent, it: Item) -> dict | None:
        rel_start = it.start - s.start
        window_lo = max(0, rel_start - 60)
        segment = s.text[window_lo:it.end - s.start]
        best = None
        nth = re.search(r"\bthe\s+(?:first|second|third|fourth|fifth|sixth|last|final)\s+of\b(?=\s+(?:the\s+|its\s+|"
                        r"their\s+)?\S+\s+(?:(?-i:[A-Z])[\w-]*\s+){0,2}$)", s.text[max(0, rel_start - 45):rel_start],
                        re.I)
        if it.text.lower() == "first":  # "received its first" (frames._ITS_FIRST): one
            return {"low": 1, "high": 1, "unit": None, "qualifier": None, "text": it.text}
        if nth:
            # "the first of four Scorpene submarines", "the second of three batteries": one of them
            return {"low": 1, "high": 1, "unit": head_unit(it.text), "qualifier": None, "text": nth.group(0)}
        money = [(m.start, m.end) for m in find_money(segment)] if _MONEY_HINT.search(segment) else []
        for q in find_quantities(segment):
            if any(a <= q.start < b or q.start <= a < q.end for a, b in money):
                continue  # "a $3.5 billion sale of Patriot missiles": a price, not a count
            if re.match(r"\s*-?\s*(?:mm|millimet(?:er|re))\b", segment[q.end:]):
                continue  # "70 155 mm artillery guns", "240 mm rocket launchers": a calibre, not a count
            if re.search(r"\b(?:Block|Lot|Batch|Tranche|Mk|Mark|Type|Flight|Increment|Phase)\s*$", segment[:q.start]):
                continue  # "F-16C/D Block 72 jets", "Tranche 3": a version, not a count
            if re.search(r"(?<![\w-])[A-Z]{2,5}\s*$", segment[:q.start]) and \
                    not re.match(r"\s*(?:,|and\b|or\b)", segment[q.end:]):
                continue  # "three OPV 58 S patrol vessels", "the MRAP 4x4": part of a designator, not a count
            if _OTHER_COUNTED.match(segment, q.end):
                continue  # "The two countries picked the C-390": the figure counts something else
            if re.match(r"-[a-z]", segment[q.end:]):
                continue  # "four two-seat F-16D aircraft", "a three-stage rocket": a modifier, not a count
            q_end = window_lo + q.end
            if window_lo + q.start >= rel_start:
                if window_lo + q.start == rel_start:  # the figure starts the item phrase
                    best = q
                continue
            gap = s.text[q_end:rel_start]
            if any(i.start != it.start and s.start + q_end <= i.start < it.start and
                   not re.fullmatch(r"\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}", self.text[i.end:it.start])
                   for i in s.items):
                # "18 F-16 jets and spare parts": the figure counts the jets, not the parts (but "36 pods
                # of GMLRS rockets" counts both)
                continue
            if re.fullmatch(r"[\s\"“”'‘’]*(?:of\s+)?(?:[\w-]+\s+){0,3}?[\s\"“”'‘’]*", gap) and \
                    not re.search(r"\b(?:in|for|by|to|from)\b", gap):
                best = q
        if best is None:
            # a running total: "bringing to 22 the number of the jets delivered", "bringing the number of
            # Rafales delivered to 36"
            tot = _RUNNING_TOTAL_BEFORE.search(s.text, 0, rel_start)
            if tot is None and _RUNNING_TOTAL_OF.search(s.text, 0, rel_start):
                tot = _RUNNING_TOTAL_AFTER.match(s.text, it.end - s.start)
            if tot is not None:
                best = next(iter(find_quantities(tot.group("n"))), None)
        if best is not None:
            unit = best.unit or head_unit(it.text)
            return {"low": best.low, "high": best.high, "unit": unit, "qualifier": best.qualifier,
                    "text": best.text}
        det = re.search(r"\b(?P<det>an?|another|one|a\s+(?:second|third|fourth|fifth|new|single|further)|"
                        r"(?<![Oo]f )the\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                        r"last))\s+"
                        r"(?:[\w-]+\s+){0,3}$", self.text[max(s.start, it.start - 40):it.start], re.I)
        head = head_unit(it.text)
        last_word = re.findall(r"[A-Za-z][\w-]*", it.text.split(" of ")[0])[-1:] or [""]
        uncountable = ("ammunition", "equipment", "oil", "aid", "technology", "support", "assistance")
        if det and head and singular(last_word[0]) == last_word[0].lower() and head not in uncountable:
            return {"low": 1, "high": 1, "unit": head, "qualifier": None, "text": det.group("det")}
        return None

    def _deal_values(self) -> None:
        """Deal values onto the emitted transfers (see the module docstring)."""
        by_sent: dict[int, list[Transfer]] = {}
        for t in self.transfers:
            by_sent.setdefault(t.sent.index, []).append(t)
        for s in self.sents:
            if not _MONEY_HINT.search(s.text):
                continue
            money = [m for m in find_money(s.text)
                     if not re.match(r"\s*(?:in\s+)?(?:per\s*cent|percent|%)", s.text[m.end:])]
            # a conversion right after an amount is the same value: "17 billion euros ($19.2 billion)"
            money = [m for k, m in enumerate(money) if k == 0 or not re.fullmatch(
                r"\s*[(,]?\s*(?:or\s+)?(?:about|roughly|around|some|nearly)?\s*", s.text[money[k - 1].end:m.start])]
            if not money:
                continue
            here = by_sent.get(s.index)
            if here:
                self._values_in(s, here, money)
                continue
            m = money[0]
            if not _DEAL_WORDS.search(s.text) or _AID_AMOUNT.match(s.text, m.end):
                continue  # "7 billion euros in military support": aid, not the value of that deal
            if re.search(r"\bpackage\b", s.text, re.I):
                # "a $725 million package of weapons for Ukraine. ... the package includes 500 Stinger
                # missiles, ...": the value of the package listed next goes to its first item
                nxt = [t for i in (s.index + 1, s.index + 2) for t in by_sent.get(i, [])
                       if t.kind in ("package", "contain")]
                if nxt:
                    first = min(nxt, key=lambda t: (t.sent.index, t.item.start))
                    if first.value is None:
                        self._set_value([t for t in nxt if t.sent is first.sent], first, m, s.text)
                    continue
            prev = [by_sent[i] for i in (s.index - 1, s.index - 2) if i in by_sent]
            if not prev:
                continue
            first = min(prev[0], key=lambda t: (t.item.start, t.trigger_start))
            if first.value is None and not any(t.value is not None and (t.supplier, t.recipient) ==
                                               (first.supplier, first.recipient) for t in self.transfers):
                # (not when the deal between those parties already has its value: "Canadian media put the
                # cost at C$2.4 billion" is another figure for the sale, not the value of its rocket pods)
                self._set_value(prev[0], first, m, s.text)
        if not HAS_VALUE_FIELDS:
            return
        by_key = {t.key: t for t in self.transfers if t.value is not None}
        for c in self.claims:
            t = by_key.get(c["key"]) if c["predicate"] == "transfer" else None
            if t is not None:
                c["transfer"]["value_amount"], c["transfer"]["value_currency"] = t.value
                if HAS_VALUE_TEXT:
                    c["transfer"]["value_text"] = t.value_text

    def _values_in(self, s: Sent, here: list[Transfer], money: list) -> None:
        """Each amount goes to the frame whose trigger comes last before it ("ordered jets from France, and
        in 2022 it signed a contract worth $1.7 billion for K9 howitzers": the K9s), and within that frame to
        the first item since the amount before ("1,050 Javelin missiles and 70 launch units for $375 million,
        1,545 TOW missiles for $353 million": the Javelins, then the TOWs)."""
        prev_end = s.start
        for m in money:
            pos = s.start + m.start
            before = [t.trigger_start for t in here if t.trigger_start < pos]
            group = [t for t in here if t.trigger_start == max(before)] if before else here
            free = [t for t in group if t.value is None]
            seg = [t for t in free if prev_end <= t.item.start < pos] or free
            if seg:
                self._set_value(here, min(seg, key=lambda t: (t.item.start, t.trigger_start)), m, s.text)
            prev_end = s.start + m.end

    def _set_value(self, pool: list[Transfer], first: Transfer, m, sent_text: str) -> None:
        """The amount m (found in sent_text) onto ``first`` and its copies for other claimants."""
        currency = m.currency
        if currency.startswith("*"):
            options = AMBIGUOUS_CURRENCY.get(currency, {})
            currency = next((options[p.split(":", 1)[1]] for p in (first.recipient, first.supplier)
                             if p and p.startswith("country:") and p.split(":", 1)[1] in options), None)
            if currency is None:
                return
        lead = _VALUE_LEAD.search(sent_text, 0, m.start)
        text = sent_text[lead.start():m.end].strip() if lead else m.text
        for t in pool:
            if t.item.start == first.item.start and t.value is None:
                t.value = (m.amount, currency)
                t.value_text = text


def head_unit(item_text: str) -> str | None:
    words = re.findall(r"[A-Za-z][\w-]*", item_text.split(" of ")[0])
    if not words:
        return None
    return singular(words[-1])

