"""Date expressions resolved against the article's published date.

Hand-rolled: dateparser misses "last November" and reads the verb "may" as May.

Conventions
- Absolute dates ("June 19, 2024", "19 June 2024", "2024-06-19", "March 2024", "in 2017")
  resolve without the published date.
- Relative expressions need a published date at least as precise as the answer:
  weekdays ("on Wednesday"), "yesterday", "last week" need a day; "last November",
  "in January", "last month", "by mid-April" need a month; "last year", "two years ago"
  need a year. When the published date is too coarse, or the expression cannot be
  resolved, the date is None with precision "unknown" and the words are kept: never guess.
- Direction: "last X" is the most recent X strictly before the published date, "next X"
  the first one after; a bare month or weekday is the most recent one on or before the
  published date, except after a deadline word ("by", "until", "before") or in a
  sentence about the future ("will", "is set to", "is due to") where it is the next one
  on or after the published date.
- Precision: weekdays and calendar dates are days; weeks are given as their Monday
  (precision "week"); months as YYYY-MM; years as YYYY. "mid-April", "early March",
  "late 2023" keep the month or year they qualify.
- Month names count only when capitalised and, for "May", only after a date word
  ("in May", "last May", "May 2024", "May 9"), so the verb "may" is never a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
    "Oct": 10, "Nov": 11, "Dec": 12,
}
WEEKDAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
            "Sunday": 6}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_LONG_MONTH = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_LEAD = r"(?:(?P<lead>(?i:since|from|until|till|by|before|after|in|on|during|through|as of|last|next|this|" \
        r"earlier this|later this|early|mid|late|end of|the end of|the start of|the beginning of|" \
        r"earlier in|later in))[\s-]+)"
_PART = r"(?:(?P<part>(?i:early|mid|late|end of|the end of|the start of|the beginning of))[\s-]+)?"

DATE_RE = re.compile(
    "|".join(
        [
            # absolute days
            rf"(?P<md>(?P<md_m>{_MONTH})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*(?P<md_y>(?:19|20)\d\d))?)\b",
            rf"(?P<dm>(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MONTH})(?:,?\s+(?P<dm_y>(?:19|20)\d\d))?)\b",
            r"(?P<iso>(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>\d\d)-(?P<iso_d>\d\d))\b",
            # relative day / week / month / year words
            r"(?P<rel>\b(?i:(?P<rel_lead>since |from |until |by |before |after )?"
            r"(?P<rel_mod>last|this|next|earlier this|"
            r"later this|past|coming)\s+(?P<rel_unit>week|month|year|weekend)))\b",
            r"(?P<ago>\b(?i:(?P<ago_n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
            r"(?P<ago_unit>day|week|month|year)s?\s+ago))\b",
            r"(?P<yday>\b(?i:yesterday|today|tomorrow))\b",
            # weekdays
            rf"(?P<wd>\b(?:(?P<wd_lead>(?i:on|last|next|this|since|by|until|from|before|after))\s+)?(?P<wd_name>{_WEEKDAY}))\b",
            # months with or without a year
            # ("on January 17, 2025" is a day, read by the first alternatives)
            rf"(?P<my>\b{_LEAD}?{_PART}(?P<my_m>{_MONTH})(?!\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
            rf"(?:\s+(?:of\s+)?(?P<my_y>(?:19|20)\d\d))?)\b",
            # bare years after a preposition, or "late 2023", "the 2000s" excluded
            r"(?P<yr>\b(?:(?P<yr_lead>(?i:in|since|from|until|by|before|after|during|of|early|mid|late|end of|"
            r"through))[\s-]+)(?P<yr_y>(?:19|20)\d\d))\b(?!s|-\d)",
        ]
    )
)

_FUTURE = re.compile(r"\b(?:will|shall|is set to|are set to|is due to|are due to|is expected to|are expected to|"
                     r"plans? to|planned to|is going to|are going to|to be held|next)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    date: str | None
    precision: str  # day, week, month, year, unknown
    kind: str  # point, since, until


@dataclass(frozen=True)
class Published:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, published: str | None, precision: str = "unknown") -> Published:
        if not published or precision == "unknown":
            return cls()
        parts = [int(p) for p in published.split("-")]
        y = parts[0]
        m = parts[1] if len(parts) > 1 and precision in ("day", "month") else None
        d = parts[2] if len(parts) > 2 and precision == "day" else None
        return cls(y, m, d)

    @property
    def as_date(self) -> date | None:
        if self.day is None or self.month is None or self.year is None:
            return None
        return date(self.year, self.month, self.day)


def _kind(lead: str | None) -> str:
    lead = (lead or "").strip().lower()
    if lead in ("since", "from", "after", "as of"):
        return "since"
    if lead in ("until", "till", "by", "before"):
        return "until"
    return "point"


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + delta
    return idx // 12, idx % 12 + 1


def _valid_day(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_relative(month: int, lead: str, pub: Published, future: bool) -> tuple[str | None, str]:
    """A month named without a year: pick its year from the published month."""
    if pub.year is None or pub.month is None:
        return None, "unknown"
    lead = lead.lower().strip()
    if lead == "last":
        y = pub.year if month < pub.month else pub.year - 1
    elif lead == "next":
        y = pub.year if month > pub.month else pub.year + 1
    elif lead == "this":
        y = pub.year
    elif lead in ("by", "until", "till", "before") or future:
        y = pub.year if month >= pub.month else pub.year + 1
    else:
        y = pub.year if month <= pub.month else pub.year - 1
    return _ym(y, month), "month"


def _weekday_relative(wd: int, lead: str, pub: Published, future: bool) -> tuple[str | None, str]:
    d0 = pub.as_date
    if d0 is None:
        return None, "unknown"
    lead = lead.lower()
    if lead == "last":
        delta = (d0.weekday() - wd) % 7 or 7
        return (d0 - timedelta(days=delta)).isoformat(), "day"
    if lead == "next" or (future and lead not in ("last", "since")) or lead in ("by", "until"):
        delta = (wd - d0.weekday()) % 7
        if lead == "next" and delta == 0:
            delta = 7
        return (d0 + timedelta(days=delta)).isoformat(), "day"
    delta = (d0.weekday() - wd) % 7
    return (d0 - timedelta(days=delta)).isoformat(), "day"


def _relative_unit(mod: str, unit: str, pub: Published) -> tuple[str | None, str]:
    mod = mod.lower()
    step = {"last": -1, "past": -1, "this": 0, "earlier this": 0, "later this": 0, "next": 1, "coming": 1}[mod]
    if unit in ("week", "weekend"):
        d0 = pub.as_date
        if d0 is None:
            return None, "unknown"
        monday = d0 - timedelta(days=d0.weekday()) + timedelta(weeks=step)
        return monday.isoformat(), "week"
    if unit == "month":
        if pub.month is None or pub.year is None:
            return None, "unknown"
        y, m = _shift_month(pub.year, pub.month, step)
        return _ym(y, m), "month"
    if pub.year is None:
        return None, "unknown"
    return f"{pub.year + step:04d}", "year"


def _ago(n_text: str, unit: str, pub: Published) -> tuple[str | None, str]:
    n = int(n_text) if n_text.isdigit() else NUMBER_WORDS.get(n_text.lower())
    if n is None:
        return None, "unknown"
    if unit == "year":
        return (f"{pub.year - n:04d}", "year") if pub.year is not None else (None, "unknown")
    if unit == "month":
        if pub.year is None or pub.month is None:
            return None, "unknown"
        y, m = _shift_month(pub.year, pub.month, -n)
        return _ym(y, m), "month"
    d0 = pub.as_date
    if d0 is None:
        return None, "unknown"
    if unit == "week":
        d = d0 - timedelta(weeks=n)
        return (d - timedelta(days=d.weekday())).isoformat(), "week"
    return (d0 - timedelta(days=n)).isoformat(), "day"


_QUICK = re.compile(r"\d|day\b|week|month|year|ago\b|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
                    re.IGNORECASE)


def find_dates(text: str, published: str | None = None, precision: str = "unknown") -> list[DateMatch]:
    """Every date expression in ``text`` (a sentence), resolved as far as the published date allows."""
    if not _QUICK.search(text):
        return []
    pub = Published.parse(published, precision)
    future = bool(_FUTURE.search(text))
    out: list[DateMatch] = []
    for m in DATE_RE.finditer(text):
        value: str | None = None
        prec = "unknown"
        kind = "point"
        g = m.lastgroup
        if m.group("md"):
            month = MONTHS[m.group("md_m").rstrip(".")]
            if m.group("md_m").startswith("May") and not m.group("md_y") and int(m.group("md_d")) > 31:
                continue
            day = int(m.group("md_d"))
            if m.group("md_y"):
                value = _valid_day(int(m.group("md_y")), month, day)
            elif pub.year is not None and pub.month is not None:
                y = pub.year if month <= pub.month else pub.year - 1
                value = _valid_day(y, month, day)
            prec = "day" if value else "unknown"
            start, end = m.start("md"), m.end("md")
            lead = text[max(0, start - 8):start].strip().split(" ")[-1:] or [""]
            kind = _kind(lead[0])
        elif m.group("dm"):
            month = MONTHS[m.group("dm_m").rstrip(".")]
            day = int(m.group("dm_d"))
            if m.group("dm_y"):
                value = _valid_day(int(m.group("dm_y")), month, day)
            elif pub.year is not None and pub.month is not None:
                y = pub.year if month <= pub.month else pub.year - 1
                value = _valid_day(y, month, day)
            prec = "day" if value else "unknown"
            start, end = m.start("dm"), m.end("dm")
        elif m.group("iso"):
            value = _valid_day(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
            prec = "day" if value else "unknown"
            start, end = m.start("iso"), m.end("iso")
        elif m.group("rel"):
            value, prec = _relative_unit(m.group("rel_mod"), m.group("rel_unit"), pub)
            kind = _kind(m.group("rel_lead"))
            start, end = m.start("rel"), m.end("rel")
        elif m.group("ago"):
            value, prec = _ago(m.group("ago_n"), m.group("ago_unit"), pub)
            start, end = m.start("ago"), m.end("ago")
        elif m.group("yday"):
            d0 = pub.as_date
            word = m.group("yday").lower()
            if d0 is not None:
                value = (d0 + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])).isoformat()
                prec = "day"
            start, end = m.start("yday"), m.end("yday")
        elif m.group("wd"):
            lead = m.group("wd_lead") or ""
            value, prec = _weekday_relative(WEEKDAYS[m.group("wd_name")], lead, pub, future)
            kind = _kind(lead)
            start, end = m.start("wd"), m.end("wd")
        elif m.group("my"):
            name = m.group("my_m").rstrip(".")
            lead = m.group("lead") or ""
            part = m.group("part")
            if name == "May" and not (lead or part or m.group("my_y")):
                continue  # the verb "may" capitalised at a sentence start, or a name
            if name in ("Mar", "Jan", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Feb", "Apr") \
                    and not m.group("my_y"):
                continue  # abbreviations alone are too ambiguous without a year
            month = MONTHS[name]
            if m.group("my_y"):
                value, prec = _ym(int(m.group("my_y")), month), "month"
            else:
                value, prec = _month_relative(month, lead, pub, future)
            kind = _kind(lead)
            start, end = m.start("my"), m.end("my")
            if lead.lower() in ("in", "on", "during", "through", "of") and not part:
                pass
        elif m.group("yr"):
            value, prec = m.group("yr_y"), "year"
            kind = _kind(m.group("yr_lead"))
            start, end = m.start("yr"), m.end("yr")
        else:  # pragma: no cover - every alternative has a group
            continue
        del g
        out.append(DateMatch(start, end, text[start:end], value, prec if value else "unknown", kind))
    return out
