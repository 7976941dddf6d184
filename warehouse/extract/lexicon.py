"""The extractor's language resources, read from the reviewed data files in ``resources/``.

Each file is a CSV with a ``#`` comment header that says what its columns mean. This module
only reads and compiles them; the stages (frames.py, attribution.py, denials.py, items.py, ...)
use the compiled forms. A new phrasing is usually a row in one of these files and a test:

- triggers.csv          verbs and nouns that open a transfer frame, by frame kind, with a status
- status_cues.csv       the words before an item that set a transfer's status
- hedges.csv            hedge words, strongest first
- attribution_verbs.csv "X said", "X accused": the claimant's verbs
- denial_words.csv      denial verbs and nouns
- groups.csv            unnamed groups ("Western officials" -> other:western-officials)
- group_nouns.csv       "officials", "forces", "companies" after a demonym or country
- item_heads.csv        item head nouns with their category
- item_modifiers.csv    modifiers that belong to an item phrase
- system_categories.csv categories of named systems the catalogue does not categorise
- designators.csv       shapes of system designators the catalogue lacks ("J-35A", "HQ-9BE")
- agreement_words.csv   kind words of an agreement's name
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"


@cache
def read_rows(name: str) -> tuple[dict, ...]:
    """The rows of resources/<name> (comment lines starting with '#' skipped), as dicts."""
    with (RESOURCES / name).open(newline="", encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#") and ln.strip()]
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines))


def alternation(patterns) -> str:
    return "|".join(patterns)


# --------------------------------------------------------------------------- triggers

TRIGGER_ROWS = read_rows("triggers.csv")


def _kind(kind: str) -> str:
    return alternation(r["pattern"] for r in TRIGGER_ROWS if r["kind"] == kind)


GIVE = _kind("give")
RECV = _kind("recv")
USE = _kind("use")
CONTAIN = _kind("contain")
MOVE = _kind("move")
NOUN_OF = _kind("noun_of")
NOUN_AFTER = _kind("noun_after")
PACKAGE = _kind("package")
AGENT = _kind("agent")
HELP = _kind("help")

TRIGGER_RE = re.compile(
    # not inside a hyphenated compound ("a fly-to-buy test missile", "cross-border supply lines"), but
    # "re-exported" is exported again (the prefix belongs to the trigger)
    rf"(?<![\w-])(?:[Rr]e-)?(?:(?P<noun>(?:{NOUN_OF})\s+of)|(?P<give>{GIVE})|(?P<recv>{RECV})|(?P<move>{MOVE})|"
    rf"(?P<nafter>{NOUN_AFTER})|(?P<use>{USE})|(?P<contain>{CONTAIN})|(?P<package>{PACKAGE})|(?P<agent>{AGENT})|"
    rf"(?P<help>{HELP}))\b",
    re.IGNORECASE,
)
# TRIGGER_RE's group names -> the kind column of triggers.csv
GROUP_KIND = {"noun": "noun_of", "nafter": "noun_after"}

_TRIGGER_STATUS: dict[str, list[tuple[re.Pattern, str]]] = {}
for _r in TRIGGER_ROWS:
    if _r["status"]:
        _TRIGGER_STATUS.setdefault(_r["kind"], []).append((re.compile(rf"(?:{_r['pattern']})\b", re.I), _r["status"]))


def trigger_status(kind: str, text: str, start: int, end: int) -> str | None:
    """The status a trigger word gives by itself (triggers.csv), for the match text[start:end]."""
    for rx, status in _TRIGGER_STATUS.get(kind, ()):
        m = rx.match(text, start)
        if m and m.end() == end:
            return status
    return None


# --------------------------------------------------------------------------- status, hedges, attribution

_CUES: dict[tuple[str, str], list[str]] = {}
for _r in read_rows("status_cues.csv"):
    _CUES.setdefault((_r["status"], _r["scope"]), []).append(_r["pattern"])


def cues(status: str, scope: str) -> str:
    """The alternation of status_cues.csv patterns for (status, scope)."""
    return alternation(_CUES.get((status, scope), []))


_HEDGE_WORDS: dict[str, list[str]] = {}
for _r in read_rows("hedges.csv"):
    _HEDGE_WORDS.setdefault(_r["hedge"], []).append(_r["pattern"])
HEDGES = [(h, re.compile(rf"\b(?:{alternation(ws)})\b", re.I)) for h, ws in _HEDGE_WORDS.items()]

ATTRIB_VERBS = alternation(r["pattern"] for r in read_rows("attribution_verbs.csv"))
DENY_WORDS = alternation(r["pattern"] for r in read_rows("denial_words.csv"))
# a denial word, or "called the reports baseless"
DENY = re.compile(rf"\b(?:{DENY_WORDS}|"
                  r"(?:called|calls|described|describes|branded|brands)(?=\s+(?:the|these|those|such|its|their)\s+"
                  r"(?:[\w-]+\s+)?(?:reports?|claims?|allegations?|accusations?|charges?)\s+(?:as\s+)?[\"“']?"
                  r"(?:\w+\s+){0,2}?(?:baseless|groundless|false|unfounded|fabricat\w*|lies|absurd|nonsense|"
                  r"fake|untrue|slander\w*|propaganda|speculation)))\b",
                  re.IGNORECASE)

# --------------------------------------------------------------------------- groups

GROUP_KEYS = [(r["key"], r["pattern"]) for r in read_rows("groups.csv")]
_GN = read_rows("group_nouns.csv")
GROUP_NOUNS = "(?:(?:" + alternation(r["pattern"] for r in _GN if r["part"] == "modifier") + ")?(?:" + \
    alternation(r["pattern"] for r in _GN if r["part"] == "noun") + "))"

# --------------------------------------------------------------------------- items

def _known_category(category: str) -> bool:
    """A row whose category the record schema does not know yet (naval_vessels before the catalogue
    adds it to schema.ITEM_CATEGORIES) is left out, so no record can fail validation."""
    from ..schema import ITEM_CATEGORIES

    return category in ITEM_CATEGORIES


ITEM_LEXICON: list[tuple[str, str]] = [(r["pattern"], r["category"]) for r in read_rows("item_heads.csv")
                                       if _known_category(r["category"])]
ITEM_MODIFIERS = "(?:(?:" + alternation(r["pattern"] for r in read_rows("item_modifiers.csv")) + r")\s+)*"
SYSTEM_CATEGORY: dict[str, str] = {r["system"]: r["category"] for r in read_rows("system_categories.csv")}

_DS = read_rows("designators.csv")
DESIGNATOR = alternation(r["pattern"] for r in _DS if r["part"] == "designator")
DESIGNATOR_NAME = alternation(r["pattern"] for r in _DS if r["part"] == "name")
VARIANT = alternation(r["pattern"] for r in _DS if r["part"] == "variant")

# A count written as a figure or a word ("12", "1,800", "twelve"): the shared fragment of the frames' count patterns
COUNT_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
COUNT = rf"\d[\d,]*|{COUNT_WORDS}"

# --------------------------------------------------------------------------- agreements

_AW = read_rows("agreement_words.csv")
KIND_WORDS = {r["word"] for r in _AW if r["use"] == "kind"}
DROP_KIND = {r["word"] for r in _AW if r["use"] == "drop"}

# --------------------------------------------------------------------------- speakers that are no parties

NON_PARTY_ORGS = frozenset(r["org"] for r in read_rows("non_party_orgs.csv"))
