"""People found by their titles: "Russian President Vladimir Putin", "expert Richter",
"Victor Cha, a former U.S. national security official", "His adviser, Yuri Ushakov".

A title right after a country name, a possessive country or a demonym gives the person
that country as parent ("South Korean Defense Minister Shin Wonsik" -> country:KOR);
later bare mentions of a name part ("Shin", "Putin") resolve to the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLE = (
    r"(?:(?:Major|Lieutenant|Brigadier|Lt\.|Maj\.|Brig\.)\s+Gen(?:eral|\.)|(?:Rear|Vice)\s+Admiral|"
    r"Air\s+(?:Vice\s+|Chief\s+)?Marshal|Air\s+Commodore|Group\s+Captain|Wing\s+Commander|"
    r"Lieutenant\s+Colonel|Lt\.\s+Col\.|"
    r"Deputy\s+Prime\s+Minister|Prime\s+Minister|Vice\s+President|President|Premier|Chancellor|"
    r"(?:Defen[cs]e|Foreign|Interior|Finance|Economy|Trade|Energy|Unification|Prime)\s+Minister|Minister|"
    r"(?:defen[cs]e|foreign|interior|finance|economy|trade|energy|prime)\s+minister|"
    r"Secretary\s+of\s+State|Secretary\s+General|Secretary-General|[Ss]ecretary|Supreme\s+Leader|[Ll]eader|"
    r"[Ss]pokes(?:man|woman|person)|[Aa]dvis[eo]r|[Ee]xpert|[Aa]nalyst|[Cc]ommander-in-[Cc]hief|"
    r"[Cc]ommander|General|Gen\.|Admiral|Ambassador|[Aa]mbassador|[Ee]nvoy|[Oo]fficial|[Aa]ide|[Dd]irector|"
    r"[Cc]hief\s+[Ee]xecutive(?:\s+[Oo]fficer)?|CEO|[Mm]anaging\s+[Dd]irector|[Cc]hief|King|Queen|Senator|Sen\.|Rep\.|[Rr]esearcher|[Pp]rofessor|Prof\.|[Dd]iplomat|[Cc]hairman|"
    r"[Cc]hairwoman|Governor|Mayor|[Ll]awmaker|[Jj]ournalist|[Cc]orrespondent|[Ff]ellow|[Ss]cholar|Colonel|"
    r"Col\.|Marshal|[Pp]resident|"
    # lower case only before an appositive name: "a retired Egyptian general, Samir Farag, said"
    r"(?:general|admiral|colonel|brigadier|officer)(?=,\s+[A-Z]))"
)
_NAME_TOKEN = r"[A-Z][a-zà-öø-ÿ]+(?:-[A-Za-z][a-zà-öø-ÿ]+)?"
NAME = rf"{_NAME_TOKEN}(?:\s{_NAME_TOKEN}){{0,2}}"

TITLE_NAME_RE = re.compile(rf"\b(?P<title>{TITLE})\s*,?\s+(?P<name>{NAME})")
APPOSITIVE_RE = re.compile(
    rf"(?<![\w.])(?P<name>{_NAME_TOKEN}\s{_NAME_TOKEN}(?:\s{_NAME_TOKEN})?),\s+(?:a|an|the)\s+"
    rf"(?P<mods>(?:[\w.'’-]+\s+){{0,5}}?)(?P<title>{TITLE})\b"
)
# "Alexander Gabuev, director of the Carnegie Center": an appositive title without an article
APPOSITIVE_BARE_RE = re.compile(
    rf"(?<![\w.])(?P<name>{_NAME_TOKEN}\s{_NAME_TOKEN}(?:\s{_NAME_TOKEN})?),\s+"
    rf"(?P<mods>(?:(?:senior|deputy|chief|executive|managing|former|research)\s+)?)"
    rf"(?P<title>director|head|chief|spokes(?:man|woman|person)|president|chairman|founder|analyst|fellow|"
    rf"researcher|professor|editor|commander|minister|ambassador|adviser|advisor)\s+(?:of|at)\b"
)
_RANK = re.compile(r"(?:Major|Lieutenant|Brigadier|Lt\.|Maj\.|Brig\.|Rear|Vice)\s+(?:Gen|Adm)|"
                   r"Air\s+(?:(?:Vice|Chief)\s+)?Marshal|Air\s+Commodore|Group\s+Captain|Wing\s+Commander|"
                   r"Lieutenant\s+Colonel")
_NOT_NAMES = {
    "The", "A", "An", "This", "That", "These", "Those", "He", "She", "It", "They", "His", "Her", "Its", "In",
    "On", "At", "For", "And", "But", "Or", "If", "As", "Mr", "Ms", "Mrs", "Dr", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December", "Comrade", "Office",
    "Council", "Ministry", "Department", "Party", "Agency", "Committee", "General", "Staff", "State",
    "House", "Security", "Defense", "Defence", "Foreign", "National", "Union", "Republic", "Kingdom",
}
_LAST_WORD = re.compile(r"(?:^|(?<=\s))([A-Za-z][A-Za-z-]*)\s+$")
_ROLE_STOP = {"the", "a", "an", "of", "and", "'s", "’s", "his", "her", "its", "their", "by", "with", "to",
              "from", "said", "says", "in", "on", "at", "for", "as", "that", "former", "current", "then"}


@dataclass
class PersonHit:
    start: int
    end: int
    name: str
    title: str
    role_start: int  # start of the role words ("Defense Minister", "military expert")
    mods: str = ""


def find_titled_people(text: str, is_entity_surface) -> list[PersonHit]:
    """Title + name and name + appositive title, with the role words as written."""
    hits: list[PersonHit] = []
    pos = 0
    while True:
        m = TITLE_NAME_RE.search(text, pos)
        if m is None:
            break
        pos = m.end()
        name = m.group("name")
        tokens = name.split()
        # trim tokens that are not names (a weekday, a known entity such as a country)
        while tokens and (tokens[-1] in _NOT_NAMES or is_entity_surface(tokens[-1])):
            tokens.pop()
        if not tokens or tokens[0] in _NOT_NAMES or is_entity_surface(" ".join(tokens)):
            continue
        if is_entity_surface(tokens[0]) and len(tokens) == 1:
            continue
        name = " ".join(tokens)
        if _RANK.match(name):
            pos = m.start("name")  # "spokesman Major General Pat Ryder": the rank is the title before the name
            continue
        start = m.start("name")
        # role modifiers: lowercase or capitalised words right before the title ("national security")
        role_start = m.start("title")
        k = 0
        while k < 3:
            lo = max(0, role_start - 40)  # a bounded window: searching the whole prefix is quadratic
            wm = _LAST_WORD.search(text, lo, role_start)
            if not wm or (wm.start(1) == lo and lo > 0 and not text[lo - 1].isspace()):
                break
            w = wm.group(1)
            if w.lower() in _ROLE_STOP or is_entity_surface(w) or w[0].isupper() and is_entity_surface(w):
                break
            if w[0].isupper() and not re.match(r"(?:Defen[cs]e|Foreign|Homeland|Security|National|Deputy|Vice|"
                                               r"Supreme|Senior|Chief|Interior|State|Military|Intelligence|"
                                               r"Ministry|Affairs|Press|Presidential|First)$", w):
                break
            role_start = wm.start(1)
            k += 1
        hits.append(PersonHit(start, start + len(name), name, text[role_start:m.end("title")], role_start))
    for m in [*APPOSITIVE_RE.finditer(text), *APPOSITIVE_BARE_RE.finditer(text)]:
        name = m.group("name")
        tokens = name.split()
        if tokens[0] in _NOT_NAMES or any(is_entity_surface(t) for t in tokens) or is_entity_surface(name):
            continue
        if any(h.start <= m.start("name") < h.end for h in hits):
            continue
        hits.append(PersonHit(m.start("name"), m.end("name"), name, m.group("title"), m.start("mods"),
                              mods=m.group("mods")))
    hits.sort(key=lambda h: h.start)
    return hits
