"""Figures and number words with their qualifiers, turned into quantity bounds.

Hand-rolled on purpose: word2number reads "4.8 million" as 1,000,000 and quantulum3
drops the qualifiers ("up to", "at least") that carry the bounds, so neither fits.

Conventions (a bound is inclusive; the qualifier is kept as written):
- an exact figure sets both bounds: "10,000 containers" -> low = high = 10000;
- ceiling qualifiers set the high bound only: "up to", "as many as", "no more than",
  "at most", "fewer than", "less than", "under", "below", "nearly", "almost",
  "close to", "just under";
- floor qualifiers set the low bound only: "at least", "over", "more than", "above",
  "in excess of", "upwards of", "no fewer than", "no less than", "exceeding", "beyond";
- approximations keep the figure on both bounds: "about", "around", "approximately",
  "roughly", "some", "an estimated", "estimated", "nearly" is a ceiling (see above);
- ranges set both: "between 20 and 30", "20 to 30", "20-30";
- vague plurals are floors at twice the unit: "dozens" -> low 24, "scores" -> low 40,
  "hundreds" -> 200, "thousands" -> 2,000, "tens of thousands" -> 20,000,
  "hundreds of thousands" -> 200,000, "millions" -> 2,000,000, "billions" -> 2e9;
  "several"/"a few" + scale ("several thousand") -> low 2 x scale (3 for "several");
- "a dozen" = 12, "half a million" = 500,000, "a million" = 1,000,000.
- The unit is the head noun of the phrase that follows (singular): "artillery shells"
  -> "shell", "containers of munitions" -> "container", "barrels of oil" -> "barrel".
- Four-digit years (1900-2099 without a thousands comma) are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "mln": 1_000_000, "bn": 1_000_000_000, "m": 1_000_000,
          "k": 1_000}
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
         "billions": 1_000_000_000, "tens": 10}

HIGH_QUALIFIERS = (
    "up to", "as many as", "as much as", "no more than", "not more than", "at most", "fewer than",
    "less than", "under", "below", "nearly", "almost", "close to", "just under", "a maximum of",
    "a total of up to",
)
LOW_QUALIFIERS = (
    "at least", "over", "more than", "above", "in excess of", "upwards of", "no fewer than",
    "no less than", "not less than", "exceeding", "beyond", "a minimum of", "just over", "well over",
)
APPROX_QUALIFIERS = ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
                     "an approximate", "approx.", "circa", "nearly as many as")

_WORDNUM = "|".join(sorted([*UNITS, *TENS, "a", "an", "half", "dozen", "several", "few"], key=len,
                           reverse=True))
_SCALE = r"(?:hundred|thousand|million|billion|trillion|mln|bn)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CORE = (
    rf"(?<![\w./:-])(?:(?:a|one|half\s+a)\s+dozen|(?:several|a\s+few)\s+dozen"
    rf"|(?:{_DIGITS})(?![\d:])(?:\s*(?:{_SCALE}|[mk]\b(?!-)))*(?![A-Za-z0-9])"
    rf"|(?:tens|hundreds)\s+of\s+(?:thousands|millions)"
    rf"|(?:dozens|scores|hundreds|thousands|millions|billions)"
    rf"|(?:(?:{_WORDNUM})(?:[\s-]+(?:{_WORDNUM}|and))*?(?:\s+{_SCALE})+)"
    rf"|(?:(?:{_WORDNUM})(?:-(?:{_WORDNUM}))?)(?![A-Za-z]))"  # not "four" of "fourth"
)
_QUAL = "|".join(re.escape(q) for q in sorted((*HIGH_QUALIFIERS, *LOW_QUALIFIERS, *APPROX_QUALIFIERS),
                                              key=len, reverse=True))
QUANTITY_RE = re.compile(
    rf"\b(?:(?P<qual>{_QUAL})\s+)?(?:(?P<between>between)\s+)?(?P<num>{_CORE})"
    rf"(?:\s*(?:(?:-|–|to|and)\s*)(?P<num2>{_CORE}))?"
    r"(?=(?P<after>(?:\s+[A-Za-z][\w-]*){1,5}))?",
    re.IGNORECASE,
)

_UNIT_STOP = {
    "of", "to", "from", "and", "or", "in", "on", "at", "for", "by", "with", "have", "has", "had", "were",
    "was", "are", "is", "be", "been", "per", "a", "an", "the", "that", "which", "who", "than", "as",
    "annually", "each", "every", "this", "these", "those", "its", "their", "his", "her", "it", "they",
    "into", "across", "after", "before", "since", "until", "over", "under", "about", "could", "would",
    "will", "may", "might", "can", "should", "must", "ago", "more", "less", "said", "says", "later",
    "en", "via", "toward", "towards", "through", "during", "near", "while", "but", "because", "if",
    "when", "not", "also", "already", "all", "both", "such", "so", "then", "there", "here", "now",
}
_IRREGULAR = {
    "people": "person", "men": "man", "women": "woman", "children": "child", "personnel": "personnel",
    "ammunition": "ammunition", "munitions": "munition", "aircraft": "aircraft", "equipment": "equipment",
    "oil": "oil", "fuel": "fuel", "series": "series", "troops": "troop", "kilometres": "kilometre",
    "kilometers": "kilometer", "news": "news", "arms": "arms", "gas": "gas",
}


def singular(word: str) -> str:
    """A rough English singular: shells -> shell, batteries -> battery, boxes -> box."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and re.search(r"(?:ches|shes|sses|xes|zes)$", w):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _word_value(text: str) -> float | None:
    """Value of a number written in words or digits ("4.8 million", "three million", "a dozen")."""
    t = text.lower().replace("–", "-").strip()
    t = re.sub(r"\bhalf\s+an?\b", "half", t)
    vague = re.fullmatch(r"(tens|hundreds)\s+of\s+(thousands|millions)", t)
    if vague:
        return VAGUE[vague.group(1)] * VAGUE[vague.group(2)]
    if t in VAGUE:
        return VAGUE[t]
    tokens = re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[a-z]+", t)
    # Decimal arithmetic: 128.2 billion is 128200000000, not 128199999999.99998
    total = Decimal(0)
    current: Decimal | None = None
    for tok in tokens:
        if tok[0].isdigit():
            current = (current or 0) + Decimal(tok.replace(",", ""))
        elif tok in UNITS:
            current = (current or 0) + UNITS[tok]
        elif tok in TENS:
            current = (current or 0) + TENS[tok]
        elif tok in ("a", "an"):
            current = (current or 0) + 1
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok == "half":
            current = (current or 0) + Decimal("0.5")
        elif tok == "several":
            current = (current or 0) + 3
        elif tok == "few":
            current = (current or 0) + 2
        elif tok == "and":
            continue
        elif tok in SCALES:
            scale = SCALES[tok]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current if current is not None else 1) * scale
                current = None
        else:
            return None
    if current is not None:
        total += current
    return float(total)


@dataclass(frozen=True)
class QuantityMatch:
    start: int
    end: int  # end of the figure (without the unit words)
    text: str
    low: float | None
    high: float | None
    qualifier: str | None
    unit: str | None
    unit_end: int  # end of the unit phrase (== end when there is none)


def _unit_from(after: str | None) -> tuple[str | None, int]:
    """Head noun of the words after the figure and how many characters it spans."""
    if not after:
        return None, 0
    words = list(re.finditer(r"[A-Za-z][\w-]*", after))
    if not words:
        return None, 0
    head = None
    end = 0
    start_idx = 0
    if words[0].group(0).lower() == "of":
        start_idx = 1
    for m in words[start_idx:]:
        w = m.group(0)
        if w.lower() in _UNIT_STOP:
            break
        head = m
        end = m.end()
    if head is None:
        return None, 0
    return singular(head.group(0)), end


def parse_quantity_text(text: str) -> QuantityMatch | None:
    """Parse one quantity expression ("up to 4.8 million artillery shells")."""
    for q in find_quantities(text):
        return q
    return None


def _bounds(qual: str | None, value: float, value2: float | None) -> tuple[float | None, float | None]:
    if value2 is not None:
        lo, hi = sorted((value, value2))
        return lo, hi
    if qual is None:
        return value, value
    q = qual.lower()
    if q in HIGH_QUALIFIERS:
        return None, value
    if q in LOW_QUALIFIERS:
        return value, None
    return value, value


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity expression in ``text`` with its bounds, left to right."""
    out: list[QuantityMatch] = []
    for m in QUANTITY_RE.finditer(text):
        num = m.group("num")
        low_num = num.lower()
        # A bare article or "few"/"half" is not a figure; "a dozen", "a million" are.
        if re.fullmatch(r"(?:a|an|few|half|several)", low_num):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", num) and not m.group("qual") and not m.group("between") and \
                not re.match(r"\s+[a-z]", m.group("after") or "") or \
                re.fullmatch(r"(?:19|20)\d\d", num) and re.match(
                    r"\s+(?:and|to|or|for|in|on|at|when|as|with|after|before|until|the|a|an)\b",
                    m.group("after") or ""):
            continue  # a year ("in 2017", "the 1950 Korean War"), not "2000 troops"
        if re.fullmatch(r"one", low_num) and not m.group("qual"):
            after = (m.group("after") or "").strip().lower()
            if not after or after.split()[0] in ("of", "another", "side", "day", "way"):
                continue  # "one of", "one another"
        value = _word_value(num)
        if value is None:
            continue
        value2 = None
        num2 = m.group("num2")
        if num2:
            value2 = _word_value(num2)
            # "20 to 30": a bare second figure takes the scale of the first ("2 to 3 million")
            if value2 is None:
                num2 = None
        if num2 and value2 is not None and not m.group("between"):
            sep = text[m.end("num"):m.start("num2")].strip().lower()
            if sep == "and":  # "three and five" without "between" is not a range
                num2, value2 = None, None
        if num2 is None:
            end = m.end("num")
        else:
            end = m.end("num2")
        after_text = text[end:m.end("after")] if m.group("after") and m.end("after") > end else None
        qual = m.group("qual")
        start = m.start()
        if qual and qual.lower() == "over" and re.search(
                r"\b(?:hand(?:s|ed|ing)?|turn(?:s|ed|ing)?|took|tak(?:e|es|en|ing)|sign(?:s|ed|ing)?|"
                r"pass(?:es|ed|ing)?)\s+$", text[max(0, start - 12):start], re.I):
            qual = None  # the particle of "hand over 14 tanks", not "over 14"
            start = m.start("num")
        if value2 is None and re.match(r"(?:several|a\s+few)\s+dozen\b", low_num):
            low, high = 24, None  # "several dozen": like "dozens"
            qual = qual or " ".join(num.lower().split())
        elif value2 is None and re.match(r"(?:dozens|scores|hundreds|thousands|millions|billions|tens)\b",
                                       low_num):
            # a vague plural is a floor at twice its unit, whatever the qualifier says
            low, high = value * 2, None
            qual = qual or None
        elif value2 is None and re.match(r"(?:several|a few|few)\b", low_num):
            low, high = value, None  # "several thousand": at least 3,000
        else:
            low, high = _bounds(qual, value, value2)
        unit, unit_len = _unit_from(after_text)
        out.append(
            QuantityMatch(
                start=start,
                end=end,
                text=text[start:end],
                low=low,
                high=high,
                qualifier=qual.lower() if qual else ("between" if m.group("between") else None),
                unit=unit,
                unit_end=end + unit_len,
            )
        )
    return out


# --------------------------------------------------------------------------- deal values

# Currency words and signs -> ISO 4217. A word that several currencies share ("pesos", "crowns",
# "dinars", "riyals") is resolved by the country the sentence is about (PESO_BY_COUNTRY ...), else
# left out: never guess.
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP", "won": "KRW", "yen": "JPY",
    "rupee": "INR", "rupees": "INR", "indian rupees": "INR", "lei": "RON", "leu": "RON", "lira": "TRY",
    "liras": "TRY", "turkish lira": "TRY", "dirhams": "AED", "dirham": "AED", "zloty": "PLN", "zlotys": "PLN",
    "shekels": "ILS", "shekel": "ILS", "rand": "ZAR", "naira": "NGN", "baht": "THB", "ringgit": "MYR",
    "rupiah": "IDR", "yuan": "CNY", "renminbi": "CNY", "roubles": "RUB", "rubles": "RUB", "rouble": "RUB",
    "ruble": "RUB", "hryvnias": "UAH", "hryvnia": "UAH", "swiss francs": "CHF", "swedish crowns": "SEK",
    "swedish kronor": "SEK", "kronor": "SEK", "norwegian crowns": "NOK", "norwegian kroner": "NOK",
    "danish crowns": "DKK", "danish kroner": "DKK", "australian dollars": "AUD", "canadian dollars": "CAD",
    "saudi riyals": "SAR", "qatari riyals": "QAR", "brazilian reais": "BRL", "reais": "BRL", "real": "BRL",
    "pesos": "*peso", "peso": "*peso", "riyals": "*riyal", "dinars": "*dinar", "crowns": "*crown",
    "kroner": "*kroner", "krone": "*kroner",
}
CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
                  "NT$": "TWD", "HK$": "HKD", "S$": "SGD", "NZ$": "NZD", "R$": "BRL", "€": "EUR", "£": "GBP",
                  "¥": "JPY", "₩": "KRW", "₹": "INR", "Rs": "INR", "Rs.": "INR"}
CURRENCY_CODES = ("USD", "EUR", "GBP", "KRW", "JPY", "INR", "AUD", "CAD", "CHF", "SEK", "NOK", "DKK", "PLN",
                  "RON", "TRY", "AED", "SAR", "QAR", "ILS", "ZAR", "NGN", "BRL", "COP", "MXN", "PHP", "CNY", "RUB",
                  "TWD", "SGD", "IDR", "MYR", "THB", "UAH", "CLP", "ARS", "PEN", "EGP", "PKR")
AMBIGUOUS_CURRENCY = {
    "*peso": {"COL": "COP", "MEX": "MXN", "ARG": "ARS", "CHL": "CLP", "PHL": "PHP", "URY": "UYU", "DOM": "DOP"},
    "*riyal": {"SAU": "SAR", "QAT": "QAR", "OMN": "OMR", "YEM": "YER", "IRN": "IRR"},
    "*dinar": {"DZA": "DZD", "IRQ": "IQD", "JOR": "JOD", "KWT": "KWD", "LBY": "LYD", "TUN": "TND", "SRB": "RSD",
               "BHR": "BHD"},
    "*crown": {"SWE": "SEK", "NOR": "NOK", "DNK": "DKK", "CZE": "CZK"},
    "*kroner": {"NOR": "NOK", "DNK": "DKK"},  # (Swedish "kronor" is SEK above)
}
_MONEY_SCALE = r"(?:trillion|billion|million|thousand|crore|lakh|bn|mn|mln|tn|m|b|k)\b"
_MONEY_SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6,
                 "mln": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3, "crore": 1e7, "lakh": 1e5}
_SIGN = "|".join(re.escape(s) for s in sorted(CURRENCY_SIGNS, key=len, reverse=True))
_CWORD = "|".join(re.escape(w) for w in sorted(CURRENCY_WORDS, key=len, reverse=True))
_CODE = "|".join(CURRENCY_CODES)
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY_RE = re.compile(
    rf"(?:(?P<sign>{_SIGN})\s?(?P<n1>{_AMOUNT})(?:[\s-]*(?P<s1>{_MONEY_SCALE}))?"
    rf"|(?<![\w.])(?P<code1>{_CODE})\s?(?P<n2>{_AMOUNT})(?:[\s-]*(?P<s2>{_MONEY_SCALE}))?"
    rf"|(?<![\w.$€£])(?P<n3>{_AMOUNT})(?:[\s-]*(?P<s3>{_MONEY_SCALE}))?[\s-]*(?:(?P<code2>{_CODE})\b|"
    rf"(?P<word>{_CWORD})\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MoneyMatch:
    start: int
    end: int
    text: str
    amount: float
    currency: str  # ISO 4217, or "*peso" etc. when the word is shared by several currencies


def find_money(text: str) -> list[MoneyMatch]:
    """Money amounts ("$4.67 billion", "A$10 billion", "about 17 billion euros", "a 450 million euro
    contract", "1.4 trillion won", "63,000 crore rupees", "EUR 3.1 bn"), left to right."""
    out = []
    for m in MONEY_RE.finditer(text):
        num = m.group("n1") or m.group("n2") or m.group("n3")
        scale = (m.group("s1") or m.group("s2") or m.group("s3") or "").lower()
        if m.group("sign"):
            sign = m.group("sign")
            cur = CURRENCY_SIGNS.get(sign) or CURRENCY_SIGNS.get(sign.upper())
        elif m.group("code1") or m.group("code2"):
            cur = (m.group("code1") or m.group("code2")).upper()
            if not (m.group("code1") or "").isupper() and not (m.group("code2") or "").isupper():
                continue  # "won" as a code in lower case is the verb; codes are written in capitals
        else:
            word = " ".join(m.group("word").lower().split())
            if word in ("real", "won", "rand", "yen", "k") and not scale and "," not in num:
                continue  # "won 3 matches", "a real 2 ..."
            cur = CURRENCY_WORDS[word]
        if cur is None:
            continue
        if not m.group("sign") and not scale and len(num.replace(",", "").split(".")[0]) < 4 and \
                cur in ("KRW", "JPY", "INR", "IDR"):
            continue
        value = Decimal(num.replace(",", "")) * Decimal(str(_MONEY_SCALES.get(scale, 1)))
        out.append(MoneyMatch(m.start(), m.end(), m.group(0), float(value), cur))
    return out
