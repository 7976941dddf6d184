"""Turn collected pages into articles: strip web junk, pick up title, publisher, date.

The cleaning rules are about how web pages are built, not about particular articles:
- page furniture lines ("top of page", "Advertise Now (1).png", share/follow widgets,
  video durations, copyright and address blocks) are dropped;
- an end-of-article marker (a wire credit such as "Source: Reuters" or "(dpa, Reuters)",
  an editor's initials sign-off such as "(CP/RML)", a "Comments" / "Top Stories" /
  "Related:" heading) ends the article: what follows is another page's content;
- a trailing run of teaser lines (short lines cut off with "…") is dropped;
- a line repeating an earlier one (a photo caption shown twice) is dropped;
- blank-line runs collapse to one blank line.

The cleaned text is what every character span in the warehouse points into, so these
rules are stable: changing them changes article ids (the hash of the cleaned text),
and tests/test_ingest.py pins the seeds' cleaned texts to the curated records.

Input formats (``read_articles``): plain text (.txt, .md) as it is; web pages (.html, .htm,
.xhtml) through trafilatura, which keeps the main text and reads the title, site, author,
date and canonical url; JSON Lines (.jsonl) with a ``text`` field; RSS and Atom feeds (.rss,
.atom, .xml, or any file whose XML root is rss, feed or rdf:RDF), one article per entry; CSV
and TSV tables with a ``text`` (or ``body``, ``content``) column. The metadata of every row
and entry is validated like a JSON Lines row (``article_metadata``). Dates in text are read by
the extractor's date parser (``warehouse.extract.dates``), the one parser of the project.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from .db import WarehouseError
from .extract.dates import find_dates
from .normalize import article_id_for, slug

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
TABLE_DELIMITERS = {".csv": ",", ".tsv": "\t"}
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".jsonl", *FEED_SUFFIXES, *TABLE_DELIMITERS)
TEXT_COLUMNS = ("text", "body", "content")  # a table's text column: the first of these in its header
FEED_ROOTS = ("rss", "feed", "RDF")  # RSS 2.0 / 0.9x, Atom, RSS 1.0 (rdf:RDF)
# A project's own documents in a folder of articles are not articles (README_A.md, LICENSE.txt).
_DOC_FILE = re.compile(
    r"^(?:(?P<readme>readme)(?:[._ -].*)?|(?P<doc>license|licence|changelog|changes|contributing|authors|notice"
    r"|copying|code_of_conduct)(?:\.\w+)?)$",
    re.IGNORECASE,
)
REPEAT_BUCKET = 64  # see clean_text: earlier lines compared per 40-character head
SEED_METADATA_FILE = "articles.csv"

_FURNITURE = re.compile(
    r"""^(?:
        top\ of\ page | bottom\ of\ page | skip\ to\ (?:main\ )?content | back\ to\ top
      | advertisement | advertise(?:\ now)?\b.* | sponsored(?:\ content)?
      | share(?:\ this(?:\ article|\ story)?)? | share\ on\ \w+ | print | email
      | follow\ us(?:\ on)?\b.* | get\ in\ touch | subscribe\b.* | sign\ up\b.* | newsletter
      | live\ streams?\ \|.* | menu | search | log\ ?in | register
      | (?:[•·*-]\s*)?(?:x|twitter|facebook|linkedin|youtube|instagram|whatsapp|telegram|reddit)
      | .*\bprivacy\ policy\b.* | ©.* | copyright\b.* | all\ rights\ reserved.*
      | \S+\.(?:png|jpe?g|gif|webp|svg)
      | \d{1,2}:\d{2}(?::\d{2})?
      | \#\w+(?:\s+\#\w+)*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_END_MARKERS = re.compile(
    r"""^(?:
        source:\s*(?P<credit>[A-Z][\w .&'-]{1,60})
      | \((?P<initials>[A-Z]{1,4}(?:/[A-Z]{1,4})+)\)
      | \((?P<wires>(?:reuters|ap|afp|dpa|yonhap|tass|kcna|bloomberg|epd|kna)
                   (?:\s*[,/]\s*(?:reuters|ap|afp|dpa|yonhap|tass|kcna|bloomberg|epd|kna))*)\)
      | (?:comments?|commenti|kommentare|commentaires|comentarios)(?:\s*\(\d+\))?
      | (?:top|related|more|latest|recommended|trending)\ (?:stories|news|articles|reads|videos)
      | related(?:\ content|\ coverage|\ articles)? | read\ (?:more|next|also) | you\ may\ also\ like
      | more\ from\ .{1,40} | most\ (?:read|popular)
    )\s*:?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_TEASER = re.compile(r"^.{10,240}(?:…|\.\.\.)\s*$")
_WIRE_IN_DATELINE = re.compile(r"\((Reuters|AP|AFP|dpa|Yonhap|TASS|KCNA|Bloomberg)\)")
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Z .'/,-]{1,60}?)\s*(?:\((?P<wire>[A-Za-z]+)\)\s*)?[-–—]\s+\S", re.MULTILINE)
KNOWN_PUBLISHERS = {
    "reuters": ("Reuters", "wire"),
    "ap": ("Associated Press", "wire"),
    "associated press": ("Associated Press", "wire"),
    "afp": ("Agence France-Presse", "wire"),
    "dpa": ("dpa", "wire"),
    "yonhap": ("Yonhap", "wire"),
    "tass": ("TASS", "wire"),
    "kcna": ("KCNA", "state_media"),
    "bloomberg": ("Bloomberg", "wire"),
    "dw": ("DW", "broadcaster"),
    "deutsche welle": ("DW", "broadcaster"),
    "bbc": ("BBC", "broadcaster"),
}


class IngestError(WarehouseError, ValueError):
    """An input file that cannot be read as articles: ``[line N] [field F]: what is wrong``."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        where = " ".join(p for p in (f"line {line}" if line else "", f"field {field}" if field else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.message, self.line, self.field = message, line, field

    def at_line(self, line: int) -> IngestError:
        return IngestError(self.message, line=line, field=self.field)


@dataclass(frozen=True)
class Article:
    raw_text: str
    cleaned_text: str
    title: str | None = None
    publisher: str | None = None
    dateline: str | None = None
    published: str | None = None  # ISO, shape by precision
    published_precision: str = "unknown"
    url: str | None = None
    origin_file: str | None = None
    notes: str | None = None
    extras: dict = field(default_factory=dict)
    author: str | None = None  # a page's or feed entry's byline (articles.author)

    @property
    def article_id(self) -> str:
        return article_id_for(self.cleaned_text)

    @property
    def source_id(self) -> str | None:
        return slug(self.publisher) if self.publisher else None


def clean_text(raw: str, *, find_title: bool = True) -> tuple[str, dict]:
    """Cleaned body text and what was learned on the way (title, credit, dateline).

    ``find_title=False`` when the title is known from elsewhere (a page's metadata, a feed
    entry's title): a short first line is then body text, not a title to take off."""
    lines = [ln.rstrip() for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    info: dict = {}
    kept: list[str] = []
    # A line of 40+ characters that begins an earlier line repeats it (a caption shown twice).
    # Earlier lines are bucketed by their first 40 characters, so a line is compared only with
    # the lines it could repeat: linear in the input (comparing with every earlier line took
    # minutes on a 4 MB file). A bucket keeps its REPEAT_BUCKET latest lines, which bounds the
    # work on adversarial input (thousands of distinct lines sharing one 40-character head)
    # and changes nothing on real pages.
    heads: dict[str, list[str]] = {}
    for ln in lines:
        stripped = ln.strip()
        if not stripped:
            kept.append("")
            continue
        end = _END_MARKERS.match(stripped)
        if end and kept:  # an end marker at the very top would be a heading, not an end
            if end.group("credit"):
                info["credit"] = end.group("credit").strip()
            elif end.group("wires"):  # "(dpa, Reuters)": the first wire named
                info["credit"] = re.split(r"\s*[,/]\s*", end.group("wires"))[0]
            break
        if _FURNITURE.match(stripped):
            continue
        bucket = heads.setdefault(stripped[:40], []) if len(stripped) >= 40 else None
        if bucket is not None:
            if any(prev.startswith(stripped) for prev in bucket):
                continue  # a repeated caption or pull quote
            bucket.append(stripped)
            if len(bucket) > REPEAT_BUCKET:
                del bucket[0]
        kept.append(stripped)
    # A trailing run of teasers ("Memoirs of former European heads …") is another page's.
    while kept and (not kept[-1] or _TEASER.match(kept[-1])):
        kept.pop()
    body = "\n".join(kept).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    # A title: a short first line without closing punctuation, followed by the body.
    first, _, rest = body.partition("\n")
    if find_title and rest.strip() and len(first) <= 150 and not re.search(r"[.!?:;\"”’)]$", first):
        info["title"] = first.strip()
        body = rest.lstrip("\n")
    m = _DATELINE.search(body[:1500])
    if m and len(m.group("place").split()) <= 6:
        info["dateline"] = m.group("place").strip()
        if m.group("wire"):
            info.setdefault("credit", m.group("wire"))
    w = _WIRE_IN_DATELINE.search(body[:400])
    if w:
        info.setdefault("credit", w.group(1))
    return body, info


_TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")


def find_published_date(text: str, window: int = 800) -> str | None:
    """An explicit full date near the top of the text (dateline or photo caption).

    Read by the extractor's date parser (``warehouse.extract.dates.find_dates``) with no
    published date to resolve against, so only absolute calendar days count: "June 19, 2024",
    "19 June 2024", "Sept. 3, 2023", "2024-06-19"; weekdays, months and impossible days do not.
    Times of day are blanked first: the parser reads "16:05 November 01, 2023" as "05 November"."""
    for m in find_dates(_TIME_OF_DAY.sub(lambda t: " " * len(t.group()), text[:window])):
        if m.precision == "day" and m.date:
            return m.date
    return None


_ISO_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d")


def parse_published(value: str) -> tuple[str, str] | None:
    """(ISO date, precision) of a date as a feed or page writes it, or None.

    "Mon, 10 Mar 2025 07:45:00 +0100" (RSS), "2025-03-10T07:45:00+01:00" (Atom, meta tags; the
    date as written, in the writer's time zone), "March 2024". Read by the extractor's date
    parser; the time of day is not kept."""
    s = value.strip()
    stamp = _ISO_STAMP.match(s)
    for m in find_dates(stamp.group(1) if stamp else s):
        if m.date and m.precision in ("day", "month", "year"):
            return m.date, m.precision
    return None


def publisher_from_credit(credit: str | None) -> str | None:
    if not credit:
        return None
    known = KNOWN_PUBLISHERS.get(credit.strip().lower())
    return known[0] if known else credit.strip()


def publisher_kind(publisher: str) -> str:
    for name, kind in KNOWN_PUBLISHERS.values():
        if name == publisher:
            return kind
    return "outlet"


def article_metadata(meta: dict) -> dict:
    """Validated article metadata (title, publisher, published and its precision, url, notes).

    The checks and messages are the record format's (``records.ArticleInput``): a title must be
    a string, a date must be a calendar date whose shape agrees with its precision. Empty
    strings mean "not given" (a metadata sheet's empty cells).
    """
    from pydantic import ValidationError

    from .records import ArticleInput, RecordError

    given = {k: v for k, v in meta.items() if k in ArticleInput.model_fields and v not in (None, "")}
    try:
        valid = ArticleInput.model_validate(given)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        ctx_err = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_err, RecordError):
            raise IngestError(ctx_err.message, field=ctx_err.field) from exc
        where = ".".join(str(p) for p in err["loc"]) or None
        msg = err["msg"].removeprefix("Value error, ")
        if "input" in err and not isinstance(err["input"], dict | list):
            msg += f" (got {err['input']!r})"
        elif isinstance(err.get("input"), dict | list):
            msg += f" (got a JSON {'object' if isinstance(err['input'], dict) else 'array'})"
        raise IngestError(msg, field=where) from exc
    return valid.model_dump(exclude_none=True)


def make_article(
    raw: str,
    origin_file: str | None = None,
    meta: dict | None = None,
    *,
    find_title: bool = True,
    author: str | None = None,
) -> Article:
    """Clean one raw page; metadata given (seed sheet, JSONL fields) wins over guesses."""
    meta = article_metadata(meta or {})
    cleaned, info = clean_text(raw, find_title=find_title)
    if not cleaned.strip():
        raise IngestError("no article text left after cleaning")
    published = meta.get("published")
    precision = meta.get("published_precision")
    if published is None:
        published = find_published_date(cleaned)
        precision = "day" if published else "unknown"
    return Article(
        raw_text=raw,
        cleaned_text=cleaned,
        title=meta.get("title") or info.get("title"),
        publisher=meta.get("publisher") or publisher_from_credit(info.get("credit")),
        dateline=info.get("dateline"),
        published=published,
        published_precision=precision or "unknown",
        url=meta.get("url"),
        origin_file=origin_file,
        notes=meta.get("notes"),
        author=author.strip() if isinstance(author, str) and author.strip() else None,
    )


class _TextExtractor(HTMLParser):
    _SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "figure"}
    _BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "li", "section", "article", "tr", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data.strip()
            return
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> tuple[str, str | None]:
    """(text, <title>) of a page by tags alone: the fallback when trafilatura finds no main text."""
    parser = _TextExtractor()
    parser.feed(html)
    text = "".join(parser.parts)
    text = "\n".join(ln.strip() for ln in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip(), parser.title


# trafilatura's date search (htmldate) without the "extensive" pass over the visible text, which
# takes "© 2024" for 1 January 2024: only the page's own date markup (article:published_time,
# JSON-LD datePublished, <time>, the url) counts; a dateline date is read from the cleaned text.
_PAGE_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TITLE_SEP = re.compile(r"(\s+(?:\||–|—|-|·|•|::|»|~)\s+)")


def _key(name: str | None) -> str:
    """A name compared loosely: letters and digits only, no leading "the", no "www."/TLD."""
    k = re.sub(r"[\W_]+", "", (name or "").lower())
    return k.removeprefix("the") if len(k) > 6 else k


def _site_keys(*names: str | None) -> set[str]:
    keys = set()
    for n in names:
        if not n:
            continue
        keys.add(_key(n))
        if "." in n and " " not in n:  # a host name: harbordefensereview.example -> its first label
            host = n.lower().removeprefix("www.")
            keys.add(_key(host.split(".")[0]))
    return keys - {""}


def strip_site_suffix(title: str, *site_names: str | None) -> str:
    """A page title without the site's name: "Headline | Site", "Site :: Headline" -> "Headline".

    A segment is the site's when it names it (its name or host name, loosely compared); a last
    segment after " | " of at most four words is taken for a site name in any case."""
    keys = _site_keys(*site_names)
    parts = _TITLE_SEP.split(title.strip())  # [text, sep, text, sep, text]
    while len(parts) >= 3 and _key(parts[-1]) in keys:
        parts = parts[:-2]
    while len(parts) >= 3 and _key(parts[0]) in keys:
        parts = parts[2:]
    if len(parts) >= 3 and parts[-2].strip() == "|" and len(parts[-1].split()) <= 4:
        parts = parts[:-2]
    return "".join(parts).strip()


def _site_name_in_title(raw_title: str | None, host: str | None) -> str | None:
    """The segment of a <title> that spells the host name ("Steppe Monitor" for steppemonitor.example)."""
    if not raw_title or not host:
        return None
    keys = _site_keys(host)
    for seg in _TITLE_SEP.split(raw_title)[::2]:
        if _key(seg) in keys:
            return seg.strip()
    return None


@dataclass(frozen=True)
class Page:
    """The main text of a web page (paragraphs separated by blank lines) and its metadata."""

    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None


def read_html(html: str, *, fragment: bool = False) -> Page:
    """A web page (or a feed entry's HTML, ``fragment=True``) through trafilatura.

    trafilatura keeps the main text (navigation, headers, footers, cookie banners, share
    widgets, related links and comments are left out) and reads the metadata: the title
    (og:title, <title>, <h1>) without the site's name, the site (og:site_name, JSON-LD
    publisher, else the host name), the author, the date (article:published_time, JSON-LD,
    <time>: htmldate) and the canonical url. A page trafilatura finds no text in is read by
    its tags (``html_to_text``)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=not fragment,
            include_comments=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
            deduplicate=False,
            date_extraction_params=_PAGE_DATE_PARAMS,
        )
    except Exception:  # markup lxml cannot build a tree of: read it by its tags
        doc = None
    lines = [ln.strip() for ln in (doc.text or "").split("\n")] if doc is not None else []
    if not any(lines):
        text, tag_title = html_to_text(html)
        return Page(text=text, title=None if fragment else (tag_title or None))
    if fragment:
        return Page(text="\n\n".join(ln for ln in lines if ln))
    m = _TITLE_TAG.search(html[:200_000])
    raw_title = re.sub(r"\s+", " ", html_lib.unescape(m.group(1))).strip() if m else None
    host = doc.hostname.removeprefix("www.") if doc.hostname else None
    site = doc.sitename.strip() if doc.sitename else None
    if not site or _key(site) in _site_keys(host):  # trafilatura falls back to the host name
        site = _site_name_in_title(raw_title, host) or site or host
    title = strip_site_suffix(doc.title, site, host) if doc.title else None
    if title and lines and _key(lines[0]) == _key(title):  # the <h1> heading the text
        lines = lines[1:]
    return Page(
        text="\n\n".join(ln for ln in lines if ln),
        title=title or None,
        publisher=site,
        author=doc.author or None,
        published=doc.date or None,
        url=doc.url or None,
    )


_BOMS = (  # longest first: the UTF-32-LE mark begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control characters other than tab, newline, carriage return and form feed: a text that holds
# more than a few of these is binary data that some single-byte encoding happened to accept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _no_bom_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII-range text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and (even if zeros is odd else odd).count(0) < 0.1 * len(zeros):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes, or IngestError when they are not text.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32); then strict UTF-8; then UTF-16 without
    a mark (NUL in every other byte); then charset-normalizer guesses a legacy encoding
    (Windows-1252, Latin-1, KOI8-R, Shift-JIS, ...). What still holds NUL or other control
    bytes is refused: random binary data decodes as Latin-1 but is not an article.
    """
    text = enc = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, enc = data[len(bom) :].decode(name), name
            except UnicodeDecodeError as exc:
                raise IngestError(f"not valid {name} text (invalid bytes at offset {exc.start + len(bom)})") from exc
            break
    if text is None:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if text is None or "\x00" in text:
        utf16 = _no_bom_utf16(data)
        if utf16 is not None:
            text, enc = utf16, "utf-16 (no byte-order mark)"
    if text is None:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data))
        if not matches:
            raise IngestError("not text: no character encoding fits these bytes (a binary file?)")
        # charset-normalizer's best() goes by "chaos" alone, and on a short Western text it picks
        # Baltic cp1257 ("déją vu") over cp1252 by 0.03. Among the near-best by chaos, the most
        # coherent (language-wise) wins, and cp1252, the web's usual legacy encoding, breaks ties.
        floor = min(m.chaos for m in matches) + 0.05
        best = max((m for m in matches if m.chaos <= floor), key=lambda m: (m.coherence, m.encoding == "cp1252"))
        text, enc = str(best), best.encoding
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(2, len(text[:65536]) // 1000):
        raise IngestError(f"not text: {controls} control characters in the first {min(len(text), 65536):,} "
                          "(a binary file?)")
    return text, enc


def read_text_file(path: Path) -> str:
    """A text file's contents, decoded (see decode_text); unreadable files are IngestError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError("no such file (was it deleted while reading?)") from exc
    except IsADirectoryError as exc:
        raise IngestError("is a folder, not a file") from exc
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise IngestError("empty file: no article text")
    return decode_text(data)[0]


def load_seed_metadata(folder: Path) -> dict[str, dict]:
    """The reviewed metadata sheet beside seed articles (file -> fields), if there is one."""
    sheet = folder / SEED_METADATA_FILE
    if not sheet.exists():
        return {}
    with sheet.open(newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def read_articles(path: Path, meta: dict[str, dict] | None = None) -> list[Article]:
    """Articles in one file: text, page, JSON Lines, feed or table (see the module's docstring)."""
    meta = meta if meta is not None else load_seed_metadata(path.parent)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _read_jsonl(path)
    if suffix in TABLE_DELIMITERS:
        return read_table(read_text_file(path), path.name, TABLE_DELIMITERS[suffix])
    raw = read_text_file(path)
    root = xml_root(raw)
    if root in FEED_ROOTS:
        return read_feed(raw, path.name)
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        what = f"its XML root is <{root}>" if root else "it is not XML"
        raise IngestError(f"not a feed: {what} (expected <rss>, <feed> or <rdf:RDF>)")
    m = dict(meta.get(path.name, {}))
    if suffix in HTML_SUFFIXES:
        page = read_html(raw)
        for key in ("title", "publisher", "published", "url"):
            if getattr(page, key) and not m.get(key):
                m[key] = getattr(page, key)
        article = make_article(page.text, path.name, m, find_title=page.title is None, author=page.author)
        return [Article(**{**article.__dict__, "raw_text": raw})]
    return [make_article(raw, path.name, m)]


# A .jsonl file bigger than this is read a line at a time by iter_articles (``warehouse run``), as
# strict UTF-8 (a byte-order mark allowed): decoding it whole (to guess a legacy encoding) held
# the file three times over. Smaller files, and every other kind, are read whole as before.
STREAM_JSONL_BYTES = 32 * 1024 * 1024


def iter_articles(path: Path, meta: dict[str, dict] | None = None) -> Iterator[Article]:
    """The articles of one file, as read_articles gives them, one at a time: a big .jsonl file
    (over STREAM_JSONL_BYTES) is streamed line by line, so memory does not grow with it."""
    try:
        big = path.suffix.lower() == ".jsonl" and path.stat().st_size > STREAM_JSONL_BYTES
    except OSError:
        big = False
    if not big:
        yield from read_articles(path, meta)
        return
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from exc
    with fh:
        offset = 0
        for n, raw in enumerate(fh, start=1):
            at, offset = offset, offset + len(raw)
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw, at = raw[3:], 3
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise IngestError(f"not valid utf-8 text (invalid bytes at offset {at + exc.start})", line=n) from exc
            article = _jsonl_article(path, n, line.removesuffix("\n"))
            if article is not None:
                yield article


def _jsonl_article(path: Path, n: int, line: str) -> Article | None:
    if not line.strip():
        return None
    obj = _json_line(line, n)
    if not isinstance(obj, dict):
        raise IngestError(f"an article is a JSON object, got {type(obj).__name__}", line=n)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError("a non-empty string is required", line=n, field="text")
    try:
        return make_article(text, f"{path.name}#{n}", obj)
    except IngestError as exc:
        raise exc.at_line(n) from exc


def _read_jsonl(path: Path) -> list[Article]:
    out = []
    # lines end at "\n" only (JSON Lines); str.splitlines() would also split at U+2028 in a string
    for n, line in enumerate(read_text_file(path).split("\n"), start=1):
        if not line.strip():
            continue
        obj = _json_line(line, n)
        if not isinstance(obj, dict):
            raise IngestError(f"an article is a JSON object, got {type(obj).__name__}", line=n)
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise IngestError("a non-empty string is required", line=n, field="text")
        try:
            out.append(make_article(text, f"{path.name}#{n}", obj))
        except IngestError as exc:
            raise exc.at_line(n) from exc
    return out


# ---------------------------------------------------------------- feeds

_XML_PROLOG = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL)
_XML_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_XML_ENCODING = re.compile(r"""\A(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
_FEED_ENTRY = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
# the line a blog engine (WordPress) appends to every entry of its feed
_FEED_FOOTER = re.compile(r"^(?:The post .{1,300} appeared first on|The entry .{1,300} was first posted on)"
                          r" .{1,120}\.$")


def xml_root(text: str) -> str | None:
    """The local name of a document's XML root element ("rss", "feed", "RDF", "html"), or None."""
    head = text[:65536].lstrip("\ufeff")
    rest = head[_XML_PROLOG.match(head).end():]
    m = _XML_ROOT.match(rest)
    return m.group(1) if m else None


def _entry_lines(raw: str, n: int) -> list[int | None]:
    """The line each entry (<item>, <entry>) starts on, when there are as many tags as entries."""
    starts = [raw.count("\n", 0, m.start()) + 1 for m in _FEED_ENTRY.finditer(raw)]
    return starts if len(starts) == n else [None] * n


def _fullest(entry) -> tuple[str, str]:
    """(value, MIME type) of the fullest text an entry carries: its longest content
    (content:encoded, Atom content), else its summary (description)."""
    best = ("", "text/plain")
    for c in entry.get("content") or []:
        if len((c.get("value") or "").strip()) > len(best[0].strip()):
            best = (c.get("value") or "", c.get("type") or "text/html")
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary") or ""
    if len(summary.strip()) > len(best[0].strip()):
        best = (summary, detail.get("type") or "text/html")
    return best


def _entry_date(entry) -> str | None:
    """An entry's date as written (published, else updated), read by the project's date parser;
    feedparser's reading (in UTC) when that finds none; else the text as it is, for validation
    to refuse."""
    for key in ("published", "updated", "created"):
        value = entry.get(key)
        if not value:
            continue
        found = parse_published(value)
        if found:
            return found[0]
        value = value.strip()
        stamp = _ISO_STAMP.match(value)
        if stamp or re.fullmatch(r"\d{4}(?:-\d{1,2}){0,2}", value):  # "2024", "2024-02-30": validation decides
            return stamp.group(1) if stamp else value
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
        return value
    return None


def read_feed(raw: str, name: str) -> list[Article]:
    """One article per entry of an RSS or Atom feed: its title, link, date and fullest content.

    HTML content is cleaned like a page (``read_html``); the publisher is the feed's
    (dc:publisher, else its title). An entry's metadata is validated like a JSON Lines row and
    an error names the line the entry starts on."""
    import feedparser

    # the text is decoded already: feedparser must not decode it again by the XML declaration
    data = _XML_ENCODING.sub(r"\1\2utf-8\2", raw.lstrip("\ufeff"), count=1).encode("utf-8")
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-type": "application/xml; charset=utf-8"})
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise IngestError(f"not a readable feed: {parsed.get('bozo_exception')}")
        raise IngestError("a feed without entries: no article text")
    channel = parsed.get("feed") or {}
    publisher = channel.get("publisher") or channel.get("title") or None
    out = []
    for n, (entry, line) in enumerate(zip(entries, _entry_lines(raw, len(entries)), strict=True), start=1):
        where = f"{name}#{line}" if line else f"{name}#entry{n}"
        value, mime = _fullest(entry)
        original = value
        if "html" in mime:
            value = read_html(value, fragment=True).text if value.strip() else ""
            value = "\n\n".join(p for p in value.split("\n\n") if not _FEED_FOOTER.match(p.strip()))
        if not value.strip():
            raise IngestError(f"entry {n} has no content or summary: no article text", line=line)
        title = (entry.get("title") or "").strip() or None
        if title and "html" in ((entry.get("title_detail") or {}).get("type") or ""):
            title = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]*>", "", title))).strip() or None
        meta = {"title": title, "url": entry.get("link"), "published": _entry_date(entry), "publisher": publisher}
        try:
            article = make_article(value, where, meta, find_title=title is None, author=entry.get("author"))
        except IngestError as exc:
            raise (exc.at_line(line) if line else exc) from exc
        out.append(Article(**{**article.__dict__, "raw_text": original.strip()}))  # the entry as the feed has it
    return out


# ---------------------------------------------------------------- tables


def _header_text_column(header: list[str]) -> str | None:
    return next((c for c in TEXT_COLUMNS if c in header), None)


def read_table(raw: str, name: str, delimiter: str = ",") -> list[Article]:
    """One article per row of a CSV or TSV table whose header names the text column (``text``,
    ``body`` or ``content``); ``title``, ``published``, ``published_precision``, ``publisher``,
    ``url`` and ``notes`` are read when there; other columns are ignored. A row's metadata is
    validated like a JSON Lines row, and an error names the line the row starts on."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    text_col = ""
    out: list[Article] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num  # a quoted value can span lines
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                dup = next((c for c in header if c and header.count(c) > 1), None)
                if dup:
                    raise IngestError(f"column {dup!r} appears twice in the header", line=start)
                text_col = _header_text_column(header) or ""
                if not text_col:
                    raise IngestError(f"no text column: the header names none of {', '.join(TEXT_COLUMNS)} "
                                      f"(it has {', '.join(c for c in header if c) or 'no names'})", line=start)
                continue
            if len(row) > len(header):
                raise IngestError(f"{len(row)} values, the header names {len(header)} columns", line=start)
            values = dict(zip(header, row, strict=False))
            text = values.get(text_col) or ""
            if not text.strip():
                raise IngestError("a non-empty text is required", line=start, field=text_col)
            meta = {k: v.strip() for k, v in values.items() if k != text_col and k}
            try:
                out.append(make_article(text, f"{name}#{start}", meta))
            except IngestError as exc:
                raise exc.at_line(start) from exc
    except csv.Error as exc:
        raise IngestError(f"not a readable table ({exc})", line=reader.line_num or None) from exc
    if header is None:
        raise IngestError("empty table: no header and no rows")
    if not out:
        raise IngestError("a table without rows: no article text")
    return out


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"key {dup!r} appears twice in one JSON object")
    return obj


def _json_line(line: str, n: int):
    try:
        return json.loads(line, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise IngestError(f"not JSON ({exc.msg} at column {exc.colno})", line=n) from exc
    except RecursionError as exc:
        raise IngestError("JSON nested too deeply to be an article", line=n) from exc
    except ValueError as exc:  # a duplicate key; an integer of more than 4,300 digits
        raise IngestError(str(exc), line=n) from exc


class ArticleFiles(list):
    """The article files found under some paths (a list of Path), and what was passed over:
    ``skipped`` counts the files of a folder that are not articles, by kind ("README", ".pdf")."""

    def __init__(self, files=(), skipped: Counter | None = None):
        super().__init__(files)
        self.skipped: Counter = skipped if skipped is not None else Counter()


def _head_text(path: Path, size: int = 65536) -> str:
    """The first bytes of a file, decoded leniently (to look at its XML root)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(size)
    except OSError as exc:
        raise IngestError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="ignore")
    if b"\x00" in data:
        even = data[: len(data) // 2 * 2]
        return _no_bom_utf16(even) or ""
    return data.decode("utf-8", errors="ignore")


def _is_feed(path: Path) -> bool:
    return xml_root(_head_text(path)) in FEED_ROOTS


def _table_header(path: Path) -> list[str]:
    line = next((ln for ln in _head_text(path).splitlines() if ln.strip()), "")
    delimiter = TABLE_DELIMITERS.get(path.suffix.lower(), ",")
    return [c.strip().lower() for c in next(csv.reader([line], delimiter=delimiter), [])]


def _skip_reason(f: Path) -> str | None:
    """Why a file met in a folder is not read as articles (its kind, for the summary), or None.

    The metadata sheet beside seed articles (``articles.csv`` with a ``file`` column) is read
    with them, and a table without a text column is some other table (a list of pairs)."""
    doc = _DOC_FILE.match(f.name)
    if doc:
        return "README" if doc.group("readme") else doc.group("doc").upper()
    suffix = f.suffix.lower()
    if suffix in TABLE_DELIMITERS:
        header = _table_header(f)
        if _header_text_column(header):
            return None
        if f.name == SEED_METADATA_FILE and "file" in header:
            return ""  # read with the articles it describes; not counted
        return f"{suffix} without a text column"
    if suffix in ARTICLE_SUFFIXES and suffix != ".xml":
        return None
    if _is_feed(f):  # a feed is known by its root element, whatever its name (.xml, feed, rss.php)
        return None
    return suffix or "no suffix"


def scan_article_files(paths: list[Path]) -> ArticleFiles:
    """Article files under the given paths (a folder's sorted), with the files passed over.

    In a folder only articles are taken: a project's own documents (README, LICENSE, ...) and
    files of another kind are skipped and counted; ``records/`` folders are records, not
    articles. A file given by name in no article format is an error."""
    found = ArticleFiles()
    for p in paths:
        if p.is_dir():
            for f in _walk(p):
                if "records" in f.relative_to(p).parts:
                    continue
                reason = _skip_reason(f)
                if reason is None:
                    found.append(f)
                elif reason:
                    found.skipped[reason] += 1
        elif p.exists():
            if p.suffix.lower() not in ARTICLE_SUFFIXES and not _is_feed(p):
                raise IngestError(f"{p}: not an article file (expected {' '.join(ARTICLE_SUFFIXES)}, "
                                  "or a feed by its content)")
            found.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    return found


def find_article_files(paths: list[Path]) -> list[Path]:
    """Article files under the given paths, sorted per folder (see ``scan_article_files``)."""
    return scan_article_files(paths)


def skipped_summary(skipped: Counter) -> str:
    """ "skipped 3 files (2 README, 1 .pdf)", or "" when nothing was skipped."""
    n = sum(skipped.values())
    if not n:
        return ""
    kinds = ", ".join(f"{c} {k}" for k, c in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"skipped {n} file{'s' if n != 1 else ''} ({kinds})"


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted; a subfolder that cannot be read is an error, not skipped."""

    def fail(exc: OSError) -> None:
        raise IngestError(f"{exc.filename}: cannot read folder: {exc.strerror}") from exc

    files = []
    for root, dirs, names in os.walk(folder, onerror=fail):
        dirs.sort()
        files.extend(Path(root) / n for n in names if (Path(root) / n).is_file())
    return sorted(files)
