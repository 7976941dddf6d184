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
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from .db import WarehouseError
from .normalize import article_id_for, slug

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
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
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_FULL_DATE = re.compile(
    r"\b(?:(?P<m1>[A-Z][a-z]{2,8})\.? (?P<d1>\d{1,2}), (?P<y1>(?:19|20)\d\d)"
    r"|(?P<d2>\d{1,2}) (?P<m2>[A-Z][a-z]{2,8}) (?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))\b"
)
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
    """An input file that cannot be read as articles."""


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

    @property
    def article_id(self) -> str:
        return article_id_for(self.cleaned_text)

    @property
    def source_id(self) -> str | None:
        return slug(self.publisher) if self.publisher else None


def clean_text(raw: str) -> tuple[str, dict]:
    """Cleaned body text and what was learned on the way (title, credit, dateline)."""
    lines = [ln.rstrip() for ln in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    info: dict = {}
    kept: list[str] = []
    seen: list[str] = []
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
        if any(prev.startswith(stripped) for prev in seen if len(stripped) >= 40):
            continue  # a repeated caption or pull quote
        seen.append(stripped)
        kept.append(stripped)
    # A trailing run of teasers ("Memoirs of former European heads …") is another page's.
    while kept and (not kept[-1] or _TEASER.match(kept[-1])):
        kept.pop()
    body = "\n".join(kept).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    # A title: a short first line without closing punctuation, followed by the body.
    first, _, rest = body.partition("\n")
    if rest.strip() and len(first) <= 150 and not re.search(r"[.!?:;\"”’)]$", first):
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


def find_published_date(text: str, window: int = 800) -> str | None:
    """An explicit full date near the top of the text (dateline or photo caption)."""
    for m in _FULL_DATE.finditer(text[:window]):
        try:
            if m.group("y3"):
                d = date(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
            else:
                month_name = (m.group("m1") or m.group("m2")).lower()
                month = _MONTHS.get(month_name)
                if month is None:
                    continue
                d = date(int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2")))
        except ValueError:
            continue
        return d.isoformat()
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


def make_article(raw: str, origin_file: str | None = None, meta: dict | None = None) -> Article:
    """Clean one raw page; metadata given (seed sheet, JSONL fields) wins over guesses."""
    meta = {k: v for k, v in (meta or {}).items() if v not in (None, "")}
    cleaned, info = clean_text(raw)
    if not cleaned.strip():
        raise IngestError("no article text left after cleaning")
    published = meta.get("published")
    precision = meta.get("published_precision")
    if published is None:
        published = find_published_date(cleaned)
        precision = "day" if published else "unknown"
    elif precision is None:
        precision = {0: "year", 1: "month", 2: "day"}[str(published).count("-")]
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
    parser = _TextExtractor()
    parser.feed(html)
    text = "".join(parser.parts)
    text = "\n".join(ln.strip() for ln in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip(), parser.title


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"not UTF-8 text (byte {exc.start})") from exc


def load_seed_metadata(folder: Path) -> dict[str, dict]:
    """The reviewed metadata sheet beside seed articles (file -> fields), if there is one."""
    sheet = folder / SEED_METADATA_FILE
    if not sheet.exists():
        return {}
    with sheet.open(newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def read_articles(path: Path, meta: dict[str, dict] | None = None) -> list[Article]:
    """Articles in one file (.txt, .md, .html, .jsonl)."""
    meta = meta if meta is not None else load_seed_metadata(path.parent)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        out = []
        for n, line in enumerate(read_text_file(path).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise IngestError(f"line {n}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise IngestError(f"line {n} field text: a string is required")
            try:
                out.append(make_article(obj["text"], f"{path.name}#{n}", obj))
            except IngestError as exc:
                raise IngestError(f"line {n}: {exc}") from exc
        return out
    raw = read_text_file(path)
    m = dict(meta.get(path.name, {}))
    if suffix in (".html", ".htm"):
        text, title = html_to_text(raw)
        if title:
            m.setdefault("title", title)
        article = make_article(text, path.name, m)
        return [Article(**{**article.__dict__, "raw_text": raw})]
    return [make_article(raw, path.name, m)]


def find_article_files(paths: list[Path]) -> list[Path]:
    """Article files under the given paths, sorted; records/ folders are not articles."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES and "records" not in f.relative_to(p).parts:
                    found.append(f)
        elif p.exists():
            found.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    return found
