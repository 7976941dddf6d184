"""Stage 3b, a transfer's status from tense, modality and the trigger word."""

from __future__ import annotations

import re

from .items import Item
from .lexicon import (
    DENY,
    cues,
)
from .model import Sent

# The cue words are rows of resources/status_cues.csv (the order of the checks is in _status).
_PROSPECT = re.compile(rf"\b(?:{cues('planned', 'prospect')})\s+(?:of|for|that)\b", re.I)
_URGE = re.compile(rf"\b(?:{cues('requested', 'urge')})\s+(?:the\s+)?\S+(?:\s+\S+)?\s+to\s+$", re.I)
_REQUEST = re.compile(rf"\b(?:{cues('requested', 'before')})\b")
_PROMISE = re.compile(rf"\b(?:{cues('promised', 'before')})\b")
_SALE_APPROVAL = re.compile(rf"\b(?:{cues('planned', 'sale')})\b")
_INTENT = re.compile(r"\b(?:letters?\s+of\s+intent|memorand(?:um|a)\s+of\s+understanding|MoUs?|LoIs?)\b")
_CONTRACT = re.compile(rf"\b(?:{cues('ordered', 'before')})\b")
_AWARD = re.compile(rf"\b(?:{cues('ordered', 'award')})\s+(?:\S+\s+){{0,3}}?$", re.I)
_PLAN = re.compile(rf"\b(?:{cues('planned', 'before')})\b")
_PERFECT_MODAL = re.compile(r"\b(?:could|may|might|would|must|will)\s+(?:\w+ly\s+)?(?:not\s+)?have\s+(?:\w+ly\s+)?$")
_ONGOING = re.compile(r"\b(?:has|have|had)\s+been\s+\w+ing\b|\b(?:is|are|was|were)\s+(?:\w+ly\s+)?\w+ing\b|"
                      rf"\b(?:{cues('ongoing', 'before')})\b")
_PROGRESSIVE_TAIL = re.compile(r"\b(?:is|are|was|were|been|reportedly|with|allegedly)\s+(?:(?:also|now|still|already|"
                               r"quietly|secretly)\s+)?$|"
                               r"\b(?:reportedly|allegedly)\s*$")
_PRESENT = re.compile(rf"(?:{cues('ongoing', 'present')})")
_PRESENT_PASSIVE = re.compile(r"\b(?:is|are)\s+(?:\w+ly\s+)?$")


_FUTURE_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:will|would|are\s+(?:due|expected|scheduled|set)|is\s+(?:due|"
                           r"expected|scheduled|set)|should)\b", re.I)


_WOULD_SEE = re.compile(r"\b(?:would|will|is\s+to|are\s+to)\s+see\s+(?:\S+\s+){1,3}$", re.I)
_APPROVED_AFTER = re.compile(r"\b(?:was|were|has\s+been|have\s+been|had\s+been|is|are|being)\s+(?:\w+ly\s+)?"
                             r"(?:approved|authori[sz]ed|cleared|notified)\b")


class StatusStage:
    """A transfer frame's status (status_cues.csv, triggers.csv). A mixin of pipeline.Extraction."""

    def _status(self, pre: str, trig: str, kind: str, s: Sent, it: Item, wide: str = "",
                tstat: str | None = None) -> str:
        """``pre``: the words between the frame's subject and its trigger; ``wide``: the clause up to
        the trigger; ``tstat``: the trigger word's own status (triggers.csv)."""
        p = pre.lower()
        if DENY.search(p):
            return "denied"
        if kind == "agent":
            return "ongoing"  # "the top supplier of": a standing trade
        if _PROSPECT.search(wide) or _WOULD_SEE.search(wide):
            return "planned"  # "the potential for North Korea receiving ...", "that contract would see Moscow ship ..."
        if _URGE.search(wide):
            return "requested"  # "Zelensky urged Washington to send ..."
        if tstat == "requested" or _REQUEST.search(p):
            return "requested"
        if _INTENT.search(p):
            return "planned"  # "signed a letter of intent to acquire up to 100 Rafales": not yet a contract
        if _CONTRACT.search(p) or _AWARD.search(wide):
            return "ordered"  # "signed a deal to export 48 jets": a contract, not a plan
        if re.search(r"\b(?:sales?|exports?|transfers?|deliver(?:y|ies))\b", trig) and _SALE_APPROVAL.search(p):
            return "planned"  # "the State Department approved the (possible) sale of": not yet a deal
        if re.search(r"\b(?:sales?|exports?|transfers?)\b", trig) and _APPROVED_AFTER.search(s.text, it.end - s.start):
            return "planned"  # "The sale of 40 F-16s to Turkey ... was approved by Congress": approved, not yet a deal
        if kind == "recv" and tstat == "ordered" and re.search(r"\bagree[sd]?\s+(?:\S+\s+){0,6}?to\s+$", p):
            return "ordered"  # the buyer "agreed to buy": a purchase agreed, not a promise to give
        if kind in ("recv", "noun") and re.search(
                r"\b(?:approv\w*|authori[sz]\w*|clear\w*|back\w*)\s+(?:the\s+|a\s+)?(?:\S+\s+){0,3}?"
                r"(?:purchase|acquisition|procurement|buy)", p + " " + trig):
            return "planned"  # a buyer's parliament "approved the purchase of": not yet a contract
        if _PROMISE.search(p) or tstat == "promised":
            return "promised"
        if kind == "noun" and re.match(r"deliver", trig) and _FUTURE_AFTER.match(s.text, it.end - s.start):
            return "planned"  # "Deliveries of Taiwan's 66 F-16s will probably run into 2027": not yet made
        if _PLAN.search(p) and not _PERFECT_MODAL.search(p) and \
                not re.search(r"\b(?:likely|probably|possibly|reportedly)\s+(?:have\s+|has\s+|had\s+)?been\s+$", p):
            # ("had most likely been re-exported": done, and hedged; not a plan)
            return "planned"
        if tstat in ("ordered", "planned"):
            return tstat  # "signed a contract for", "bought"; "in talks with"
        if _ONGOING.search(p + " " + trig) or (trig.endswith("ing") and _PROGRESSIVE_TAIL.search(p)):
            return "ongoing"
        if kind != "nafter" and _PRESENT.fullmatch(trig):
            return "ongoing"  # present simple: a habit or a process
        if kind == "move" and tstat == "ongoing":
            return "ongoing"  # in transit
        if _PRESENT_PASSIVE.search(p) and trig.endswith(("ed", "sent", "sold")):
            return "ongoing"  # present passive: "troops are sent to support Russia"
        return "delivered"
