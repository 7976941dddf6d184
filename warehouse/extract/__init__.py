"""Automatic extraction: raw article text -> ``ArticleRecord`` (offline, deterministic).

``extract_article`` runs the rule-based extractor; ``extract_many`` runs it over many
articles, optionally spread over processes, with results in input order.

Layout (one module per stage; ``pipeline.py`` runs them in order):
- pipeline.py     the spaCy pipeline, ``Extraction`` (state of one article), ``extract``
- mentions.py     entities, demonyms, metonyms, titled people, groups, datelines, actors per sentence
- items.py        item phrases and their categories; numbers.py figures and bounds;
                  quantities.py the count of an item
- frames.py       transfer frames: the trigger words of a sentence, what every frame shares (origins,
                  negation, refusals, one transfer per item and party), chains of givers;
                  frame_kinds.py one method per trigger kind (give, recv, move, package, ...) finding
                  who gives what to whom; status.py their status;
                  context.py missing parties from context (and the title's), one claim per statement
- attribution.py  claimants and hedges
- denials.py      denials and what they deny
- agreements.py   treaties, pacts, deals
- dates.py, persons.py, gazetteer.py  dates, titled people, reference names
- lexicon.py      reads the language resources in resources/*.csv (trigger words, status cues,
                  hedges, attribution verbs, item heads, groups, ...): a new phrasing is usually
                  a row there and a test
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from ..records import ArticleRecord
from .pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract_article", "extract_many"]

_KEYS = ("title", "publisher", "published", "published_precision", "origin_file", "url")


def extract_article(text: str, *, title: str | None = None, publisher: str | None = None,
                    published: str | None = None, published_precision: str = "unknown",
                    origin_file: str | None = None, url: str | None = None) -> ArticleRecord:
    """Extract one article's entities, mentions, claims and agreements."""
    return extract(text, title=title, publisher=publisher, published=published,
                   published_precision=published_precision or "unknown", origin_file=origin_file, url=url)


def _one(item: dict) -> ArticleRecord:
    kwargs = {k: item.get(k) for k in _KEYS if item.get(k) is not None}
    return extract_article(item["text"], **kwargs)


def _warm() -> None:
    from .pipeline import nlp_and_matcher

    nlp_and_matcher()


def extract_many(items: list[dict], workers: int = 1,
                 progress: Callable[[int, int], None] | None = None) -> list[ArticleRecord]:
    """Extract many articles (dicts with ``text`` and the keyword arguments of ``extract_article``).

    With ``workers > 1`` the articles are spread over that many processes; the results
    come back in input order and are identical to a single-process run. ``progress(done, total)``
    is called as articles finish (in input order).
    """
    total = len(items)
    if workers <= 1 or total <= 1:
        out = []
        for it in items:
            out.append(_one(it))
            if progress:
                progress(len(out), total)
        return out
    chunk = max(1, total // (workers * 4))
    if progress:  # smaller chunks, so the count moves; the order and the records are the same
        chunk = max(1, min(chunk, 16))
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm) as pool:
        out = []
        for rec in pool.map(_one, items, chunksize=chunk):
            out.append(rec)
            if progress:
                progress(len(out), total)
        return out
