"""Normalisation shared by the loader, the gazetteer and the extractor."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc]")


def alias_key(text: str) -> str:
    """Key used to resolve entity names across spellings.

    Case, diacritics, hyphens and punctuation are ignored, so "Kim Jong-un",
    "Kim Jong Un" and "KIM JONG UN" share a key, as do "Kyiv's" apostrophes forms.

    >>> alias_key("Kim Jong-un") == alias_key("Kim Jong Un")
    True
    >>> alias_key("Škoda  Auto")
    'skoda auto'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _APOSTROPHES.sub("", stripped)
    # casefold() leaves the Turkish dotless i alone although its upper case is "I"
    return _NON_WORD.sub(" ", stripped.casefold().replace("ı", "i")).strip()


def slug(text: str) -> str:
    """A readable id fragment: ``Kim Jong-un`` -> ``kim-jong-un``."""
    return alias_key(text).replace(" ", "-") or "unnamed"


def short_hash(*parts: object, length: int = 16) -> str:
    """Deterministic id from parts (joined with a unit separator)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id_for(cleaned_text: str) -> str:
    """Articles are identified by the hash of their cleaned text."""
    return text_sha256(cleaned_text)[:16]
