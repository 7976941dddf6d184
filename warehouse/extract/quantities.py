"""Stage 2b, quantities: the count of a transfer's item with its bounds and qualifier."""

from __future__ import annotations

import re

from .items import Item
from .model import Sent
from .numbers import find_quantities, singular


class QuantityStage:
    """The figure of an item phrase (numbers.py parses it). A mixin of pipeline.Extraction."""

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
            unit = best.unit or head_unit(it.text)
            return {"low": best.low, "high": best.high, "unit": unit, "qualifier": best.qualifier,
                    "text": best.text}
        det = re.search(r"\b(?P<det>an?|another|one|a\s+(?:second|third|fourth|fifth|new|single|further)|"
                        r"(?<![Oo]f )the\s+first)\s+"
                        r"(?:[\w-]+\s+){0,3}$", self.text[max(s.start, it.start - 40):it.start], re.I)
        head = head_unit(it.text)
        last_word = re.findall(r"[A-Za-z][\w-]*", it.text.split(" of ")[0])[-1:] or [""]
        uncountable = ("ammunition", "equipment", "oil", "aid", "technology", "support", "assistance")
        if det and head and singular(last_word[0]) == last_word[0].lower() and head not in uncountable:
            return {"low": 1, "high": 1, "unit": head, "qualifier": None, "text": det.group("det")}
        return None


def head_unit(item_text: str) -> str | None:
    words = re.findall(r"[A-Za-z][\w-]*", item_text.split(" of ")[0])
    if not words:
        return None
    return singular(words[-1])
