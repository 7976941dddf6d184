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
import os
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from .db import WarehouseError
from .normalize import article_id_for, slug

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
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


def make_article(raw: str, origin_file: str | None = None, meta: dict | None = None) -> Article:
    """Clean one raw page; metadata given (seed sheet, JSONL fields) wins over guesses."""
    meta = article_metadata(meta or {})
    cleaned, info = clean_text(raw)
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
    """Articles in one file (.txt, .md, .html, .jsonl)."""
    meta = meta if meta is not None else load_seed_metadata(path.parent)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
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
    raw = read_text_file(path)
    m = dict(meta.get(path.name, {}))
    if suffix in (".html", ".htm"):
        text, title = html_to_text(raw)
        if title:
            m.setdefault("title", title)
        article = make_article(text, path.name, m)
        return [Article(**{**article.__dict__, "raw_text": raw})]
    return [make_article(raw, path.name, m)]


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


def find_article_files(paths: list[Path]) -> list[Path]:
    """Article files under the given paths, sorted; records/ folders are not articles."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in _walk(p):
                if f.suffix.lower() in ARTICLE_SUFFIXES and "records" not in f.relative_to(p).parts:
                    found.append(f)
        elif p.exists():
            if p.suffix.lower() not in ARTICLE_SUFFIXES:
                raise IngestError(f"{p}: not an article file (expected {' '.join(ARTICLE_SUFFIXES)})")
            found.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    return found


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted; a subfolder that cannot be read is an error, not skipped."""

    def fail(exc: OSError) -> None:
        raise IngestError(f"{exc.filename}: cannot read folder: {exc.strerror}") from exc

    files = []
    for root, dirs, names in os.walk(folder, onerror=fail):
        dirs.sort()
        files.extend(Path(root) / n for n in names if (Path(root) / n).is_file())
    return sorted(files)
