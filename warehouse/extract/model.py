"""Data holders shared by the stages: mentions, actors, sentences, transfer frames."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import DateMatch
from .items import Item


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
    value: tuple[float, str] | None = None  # the deal value (amount, ISO 4217 currency), quantities.py
    value_text: str | None = None  # the value as written: "worth $2.6 billion"
    split: bool = False  # a count with its own recipient out of a shared order (frames._distributed)
    negated: str = ""  # "Iran had not sent missiles": a denial, not a transfer ("own"; "outer" when the
    # negation governs a wider statement: "X has not accused Y of sending")



def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or (text[start] in "-–•*" and start + 1 < end
                                                     and text[start + 1].isspace())):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end



class Occupied:
    """Character positions already taken by a mention (O(1) lookups)."""

    def __init__(self, n: int):
        self.mask = bytearray(n + 1)

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        self.mask[a:b] = b"\x01" * (b - a)

    def covers(self, pos: int) -> bool:
        return bool(self.mask[pos])


def is_weapon(category: str) -> bool:
    return category in {"artillery_ammunition", "munitions", "ballistic_missiles", "missiles", "air_defense",
                        "drones", "aircraft", "armored_vehicles", "small_arms", "weapons"}

