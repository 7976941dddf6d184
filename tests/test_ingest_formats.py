"""Input formats (issue 16): web pages through trafilatura, RSS/Atom feeds, CSV/TSV tables,
folders that hold other files, and golden files that hold every cleaned text.

The golden files (``tests/data/ingest/expected/``, one per fixture and one per seed) keep the
cleaned text and the metadata each input gives: the cleaned text is what every character span
points into and its hash is the article id, so a change in trafilatura or in the cleaning
rules shows here first. After a deliberate change, rewrite them with
``WAREHOUSE_UPDATE_GOLDEN=1 pytest tests/test_ingest_formats.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from warehouse.cli import app
from warehouse.etl import read_article_files
from warehouse.ingest import (
    IngestError,
    find_published_date,
    parse_published,
    read_articles,
    read_feed,
    read_html,
    read_table,
    scan_article_files,
    strip_site_suffix,
    xml_root,
)
from warehouse.paths import SEEDS_DIR

DATA = Path(__file__).parent / "data" / "ingest"
NEWS = DATA / "news"
EXPECTED = DATA / "expected"
UPDATE = os.environ.get("WAREHOUSE_UPDATE_GOLDEN") == "1"
FIELDS = ("origin_file", "article_id", "title", "publisher", "author", "published", "published_precision", "url",
          "dateline")


def _fixtures() -> list[Path]:
    return list(scan_article_files([NEWS]))


def _seeds() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


def _as_golden(path: Path) -> list[dict]:
    return [{**{f: getattr(a, f) for f in FIELDS}, "cleaned_text": a.cleaned_text.split("\n")}
            for a in read_articles(path)]


def _golden_path(path: Path) -> Path:
    return EXPECTED / ("seeds" if path.parent == SEEDS_DIR else "") / f"{path.name}.json"


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize("path", _fixtures() + _seeds(), ids=lambda p: p.name)
def test_cleaned_text_and_metadata_match_the_golden_file(path):
    got = _as_golden(path)
    golden = _golden_path(path)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with WAREHOUSE_UPDATE_GOLDEN=1 and review it"
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_golden_file_has_its_input():
    inputs = {_golden_path(p) for p in _fixtures() + _seeds()}
    assert sorted(EXPECTED.rglob("*.json")) == sorted(inputs)


def test_the_fixtures_cover_every_format():
    suffixes = {p.suffix or "(by content)" for p in _fixtures()}
    assert suffixes == {".html", ".htm", ".rss", ".atom", "(by content)", ".csv", ".tsv"}


def test_seed_texts_are_read_byte_for_byte_as_before():
    """The .txt path is not touched by the page or feed readers: a seed's cleaned text is the raw
    text cleaned by the rules alone, and its golden file pins it (ids in tests/test_ingest.py)."""
    from warehouse.ingest import clean_text, read_text_file

    for f in _seeds():
        (art,) = read_articles(f)
        assert art.cleaned_text == clean_text(read_text_file(f))[0]
        assert art.raw_text == read_text_file(f)


# ---------------------------------------------------------------- pages


JUNK = ("cookie", "Cookie", "Accept all", "I agree", "Subscribe", "Sign up", "Newsletter", "Share on", "Share this",
        "Related articles", "Read more", "Most read", "comments", "Finally some good news", "All rights reserved",
        "Privacy", "Home", "Log in", "E-Paper", "Breaking:", "Visitors today", "See also", "Advertisement",
        "Tags:", "Estonia takes delivery", "Oil prices steady", "Main page", "Photo:", "Archive", "Contacts",
        "Reprinting", "Uzbekistan shows new drones", "Denmark orders four patrol boats")


@pytest.mark.parametrize("path", sorted(NEWS.glob("*.htm*")), ids=lambda p: p.name)
def test_page_furniture_is_left_out(path):
    (art,) = read_articles(path)
    raw = path.read_bytes().decode("utf-8", errors="replace")
    found_in_raw = [j for j in JUNK if j in raw]
    assert len(found_in_raw) >= 5, "the fixture holds furniture to remove"
    assert [j for j in found_in_raw if j in art.cleaned_text] == []
    assert art.raw_text.lstrip().lower().startswith("<!doctype"), "the page is kept as collected"


PAGES = {
    # file: title, publisher, author, published, url, first words
    "harbor_review_frigates.html": (
        "Norway agrees to sell two used frigates to Lithuania", "Harbor Defense Review", "Ingrid Solberg",
        "2025-03-10", "https://www.harbordefensereview.example/naval/2025/03/norway-frigates-lithuania",
        "OSLO – Norway will sell two decommissioned frigates"),
    "baltic_courier_drones.html": (
        "Latvia orders loitering munitions from a Polish maker", "The Baltic Courier", "Mārtiņš Ozols",
        "2024-11-21", "https://balticcourier.example/defence/latvia-loitering-munitions-order",
        "RIGA – Latvia has signed a contract"),
    "gulf_post_wire_reprint.html": (
        "Qatar buys anti-ship missiles in European deal", "Gulf Evening Post", None, "2023-09-14",
        "https://www.gulfeveningpost.example/world/qatar-anti-ship-missiles", "DOHA (Reuters) - Qatar has agreed"),
    "steppe_monitor_howitzers.htm": (
        "Kazakhstan to get self-propelled howitzers from Turkey", "Steppe Monitor", None, "2024-06-03",
        "https://steppemonitor.example/news/2024/06/kazakhstan-howitzers.html", "ASTANA, June 3, 2024"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_metadata(name):
    title, publisher, author, published, url, first = PAGES[name]
    (art,) = read_articles(NEWS / name)
    assert (art.title, art.publisher, art.author, art.published, art.published_precision, art.url) == (
        title, publisher, author, published, "day", url)
    assert art.cleaned_text.startswith(first)
    assert title not in art.cleaned_text, "the <h1> heading the text is the title, not body text"


def test_page_dates_come_from_markup_first_then_from_the_text():
    """article:published_time (harbor), JSON-LD datePublished only (baltic), a bare date meta
    (gulf); no date markup at all: the dateline's date, read by the extractor's parser (steppe)."""
    page = read_html((NEWS / "steppe_monitor_howitzers.htm").read_bytes().decode("cp1252"))
    assert page.published is None and page.publisher == "Steppe Monitor"
    assert read_articles(NEWS / "steppe_monitor_howitzers.htm")[0].published == "2024-06-03"


def test_a_copyright_year_is_not_a_publication_date():
    html = ("<html><head><title>Missiles for the coast | Tiny Site</title></head><body><article>"
            + "<p>The navy said on Monday that it had received the first coastal missile battery of three.</p>" * 3
            + "</article><footer>© 2024 Tiny Site</footer></body></html>")
    page = read_html(html)
    assert page.published is None
    assert page.title == "Missiles for the coast"


@pytest.mark.parametrize(("title", "names", "expected"), [
    ("Headline | Site", ("Site",), "Headline"),
    ("Headline | Some Unknown Outlet", (), "Headline"),
    ("Headline - Harbor Defense Review", ("Harbor Defense Review",), "Headline"),
    ("Headline — The Baltic Courier", ("balticcourier.example",), "Headline"),
    ("Steppe Monitor :: Headline", ("steppemonitor.example",), "Headline"),
    ("Gulf Evening Post | Headline words", ("Gulf Evening Post",), "Headline words"),
    ("Ukraine - allies pledge more shells", ("Harbor Defense Review",), "Ukraine - allies pledge more shells"),
    ("North Korea: the missile programme", ("Site",), "North Korea: the missile programme"),
    ("A | B", (), "A"),
])
def test_site_name_is_taken_off_the_title(title, names, expected):
    assert strip_site_suffix(title, *names) == expected


def test_a_page_trafilatura_finds_no_text_in_is_read_by_its_tags(tmp_path):
    f = tmp_path / "tiny.html"
    f.write_text("<html><head><title>Short</title></head><body><p>Tanks sent.</p></body></html>", encoding="utf-8")
    (art,) = read_articles(f)
    assert art.cleaned_text == "Tanks sent." and art.title == "Short"


def test_the_seed_sheet_wins_over_page_metadata(tmp_path):
    shutil.copy(NEWS / "harbor_review_frigates.html", tmp_path / "p.html")
    (tmp_path / "articles.csv").write_text("file,title,publisher,published,published_precision,url,notes\n"
                                           "p.html,Reviewed title,,2025-03,month,,\n", encoding="utf-8")
    (art,) = read_articles(tmp_path / "p.html")
    assert (art.title, art.publisher, art.published, art.published_precision) == (
        "Reviewed title", "Harbor Defense Review", "2025-03", "month")
    assert read_article_files([tmp_path]).skipped == {}, "the sheet is read with the articles, not skipped"


# ---------------------------------------------------------------- feeds

RSS_ITEM = """<item><title>{title}</title><link>https://x.example/{n}</link>{date}{body}</item>"""


def rss(*items: str, channel: str = "<title>Example Wire</title>") -> str:
    return ('<?xml version="1.0"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"\n<channel>{channel}\n" + "\n".join(items) + "\n</channel>\n</rss>\n")


def item(n: int, date: str = "Tue, 11 Jun 2024 10:00:00 +0000", body: str | None = None, title: str = "T") -> str:
    body = body if body is not None else f"<description>Body {n}: the army received new trucks.</description>"
    return RSS_ITEM.format(title=title, n=n, date=f"<pubDate>{date}</pubDate>" if date else "", body=body)


def test_feed_entries_become_articles_with_the_fullest_content():
    arts = read_articles(NEWS / "harbor_review.rss")
    assert [a.origin_file for a in arts] == ["harbor_review.rss#13", "harbor_review.rss#30"]
    full = arts[0]
    assert full.title == "Finland picks a German yard for four corvette hulls"
    assert full.url == "https://www.harbordefensereview.example/naval/2025/03/finland-corvette-hulls"
    assert (full.published, full.publisher, full.author) == ("2025-03-11", "Harbor Defense Review", "Ingrid Solberg")
    assert "hull sections last month" in full.cleaned_text, "content:encoded, not the one-line description"
    assert "Share on Facebook" not in full.cleaned_text and "appeared first on" not in full.cleaned_text
    assert arts[1].cleaned_text.startswith("COPENHAGEN - Denmark will send"), "a description alone is the content"


def test_atom_content_over_summary_local_dates_and_html_titles():
    chile, ghana = read_articles(NEWS / "defence_notes.atom")
    assert chile.title == "Chile buys used tanker aircraft from Spain"
    assert chile.published == "2024-10-07", "the date as written (23:30 at -04:00), not the UTC day after"
    assert "flight simulator" in chile.cleaned_text and "More on Chile" not in chile.cleaned_text
    assert chile.author == "Lucía Herrera"
    assert (ghana.published, ghana.cleaned_text.split(" – ")[0]) == ("2024-10-05", "ACCRA"), "updated; xhtml content"


def test_a_feed_is_known_by_its_content_whatever_its_name(tmp_path):
    for name in ("feed", "rss.php", "news.txt", "saved.html", "bulletin.xml"):
        f = tmp_path / name
        shutil.copy(NEWS / "harbor_review.rss", f)
        assert [a.title for a in read_articles(f)][0] == "Finland picks a German yard for four corvette hulls", name
    arts = read_articles(NEWS / "ministry_bulletin")  # RSS 1.0 (rdf:RDF), declared ISO-8859-1, no suffix
    assert [a.published for a in arts] == ["2024-05-16", "2024-05-14"]
    assert arts[0].publisher == "Ministry of Defence Press Office", "dc:publisher over the channel title"
    assert "Côte Électronique" in arts[1].cleaned_text


@pytest.mark.parametrize(("head", "root"), [
    ('<?xml version="1.0"?>\n<!-- generator -->\n<rss version="2.0">', "rss"),
    ('\ufeff<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    ("<rdf:RDF xmlns:rdf='x'>", "RDF"),
    ("<!DOCTYPE html>\n<html lang=en>", "html"),
    ("Plain text that mentions <rss> later", None),
])
def test_xml_root(head, root):
    assert xml_root(head) == root


@pytest.mark.parametrize(("date", "expected"), [
    ("Tue, 11 Jun 2024 10:00:00 +0000", "2024-06-11"),
    ("Tue, 11 Jun 2024 23:59:00 -0800", "2024-06-11"),
    ("2024-06-11T23:30:00-04:00", "2024-06-11"),
    ("June 2024", "2024-06"),
    ("2024", "2024"),
])
def test_entry_dates(date, expected):
    (art,) = read_feed(rss(item(1, date=date)), "f.rss")
    assert art.published == expected


@pytest.mark.parametrize(("date", "message"), [
    ("yesterday", "got 'yesterday'"),
    ("2024-02-30T10:00:00Z", "published '2024-02-30' is not a calendar date"),
])
def test_a_bad_entry_date_names_the_entry_line_and_field(date, message):
    with pytest.raises(IngestError, match="^line 5 field published: ") as exc:
        read_feed(rss(item(1), item(2, date=date)), "f.rss")
    assert message in str(exc.value)


def test_feed_entries_without_text_and_feeds_without_entries_are_errors():
    with pytest.raises(IngestError, match="line 5: entry 2 has no content or summary"):
        read_feed(rss(item(1), item(2, body="")), "f.rss")
    with pytest.raises(IngestError, match="a feed without entries"):
        read_feed(rss(), "f.rss")


def test_html_in_entries_is_cleaned_like_a_page():
    body = ("<content:encoded><![CDATA[<nav>Home | World</nav><p>The navy took delivery of two minehunters on "
            "Friday, the ministry said.</p><p>Share this article</p><p><a href='/x'>Read more</a></p>]]>"
            "</content:encoded>")
    (art,) = read_feed(rss(item(1, body=body)), "f.rss")
    assert art.cleaned_text == "The navy took delivery of two minehunters on Friday, the ministry said."


# ---------------------------------------------------------------- tables


def test_table_rows_become_articles():
    arts = read_articles(NEWS / "briefs.csv")
    assert [a.origin_file for a in arts] == ["briefs.csv#2", "briefs.csv#5", "briefs.csv#8"], "line a row starts on"
    assert [(a.published, a.published_precision) for a in arts] == [
        ("2024-12-03", "day"), ("2023-11", "month"), ("2024", "year")]
    assert arts[0].cleaned_text.count("\n\n") == 1, "a quoted value keeps its paragraphs"
    assert (arts[2].title, arts[2].publisher) == (None, None), "empty cells are not given"
    seoul, ankara = read_articles(NEWS / "wire_digest.tsv")
    assert (seoul.publisher, ankara.publisher) == ("Yonhap", "Agence France-Presse"), "an empty cell: the credit"


@pytest.mark.parametrize("column", ["text", "body", "content", "Body", " TEXT "])
def test_the_text_column_is_named_text_body_or_content(column):
    (art,) = read_table(f"title,{column}\nA title,The army ordered ten trucks.\n", "t.csv")
    assert (art.title, art.cleaned_text) == ("A title", "The army ordered ten trucks.")


def test_a_table_without_a_text_column_is_one_clear_error(tmp_path):
    with pytest.raises(IngestError, match=r"^line 1: no text column: the header names none of text, body, "
                                          r"content \(it has title, article\)$"):
        read_table("title,article\nx,y\n", "t.csv")


@pytest.mark.parametrize(("table", "where", "message"), [
    ('title,body,published\nA,"one\n\ntwo",2024-06-01\nB,three,2024-13\n', "line 5 field published",
     "published '2024-13' is not a calendar date"),
    ("body,published\n\n\nfour,yesterday\n", "line 4 field published", "got 'yesterday'"),
    ("body,title\nfive,\n,Empty\n", "line 3 field body", "a non-empty text is required"),
    ("body,title\nsix,t,extra\n", "line 2", "3 values, the header names 2 columns"),
    ("body,Body\nx,y\n", "line 1", "column 'body' appears twice"),
    ("body,published,published_precision\nseven,2024,day\n", "line 2 field published",
     "published '2024' does not match precision 'day'"),
])
def test_bad_rows_name_their_line_and_field(table, where, message):
    with pytest.raises(IngestError) as exc:
        read_table(table, "t.csv")
    assert str(exc.value).startswith(f"{where}: ") and message in str(exc.value), str(exc.value)


def test_tsv_is_tab_separated():
    (art,) = read_table("text\ttitle\nThe ministry bought radars, it said.\tRadars\n", "t.tsv", "\t")
    assert (art.title, art.cleaned_text) == ("Radars", "The ministry bought radars, it said.")


# ---------------------------------------------------------------- folders and the CLI


def invoke(db: Path, *args: object):
    return CliRunner().invoke(app, ["--db", str(db), *(str(a) for a in args)])


def one_error(res) -> str:
    assert res.exit_code == 1, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    return lines[0]


def test_a_folder_skips_what_is_not_an_article_and_counts_it(tmp_path):
    folder = tmp_path / "news"
    shutil.copytree(NEWS, folder)
    for name in ("README.txt", "LICENSE", "CHANGELOG.md"):
        (folder / name).write_text("Project notes, not an article.\n", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "pairs.csv").write_text("a,b,label\nx.txt,y.txt,duplicate\n", encoding="utf-8")
    (folder / "records").mkdir()
    (folder / "records" / "r.jsonl").write_text("{}\n", encoding="utf-8")
    found = scan_article_files([folder])
    assert sorted(p.name for p in found) == sorted(p.name for p in _fixtures())
    assert found.skipped == {"README": 2, "LICENSE": 1, "CHANGELOG": 1, ".pdf": 1, ".xml": 1,
                             ".csv without a text column": 1}


def test_ingest_prints_what_it_read_and_skipped(fresh_db):
    res = invoke(fresh_db, "ingest", NEWS)
    assert res.exit_code == 0, res.output
    n = sum(len(read_articles(p)) for p in _fixtures())
    assert n == 15
    assert res.stdout.startswith(f"ingested {n} articles ({n} new) in ")
    assert res.stdout.rstrip().endswith("; skipped 2 files (1 .xml, 1 README)")
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        rows = con.execute("SELECT origin_file, title, published_on::VARCHAR, published_precision, url "
                           "FROM articles WHERE origin_file LIKE 'briefs.csv#%' ORDER BY origin_file").fetchall()
    finally:
        con.close()
    assert rows[0] == ("briefs.csv#2", "Estonia and Latvia order more HIMARS launchers", "2024-12-03", "day",
                       "https://nordicwire.example/2024/12/himars")
    res = invoke(fresh_db, "ingest", NEWS / "harbor_review.rss")
    assert res.stdout.rstrip().endswith("(0 new) in " + res.stdout.rsplit(" ", 1)[-1].strip()), res.stdout
    assert "skipped" not in res.stdout, "nothing is skipped of a file given by name"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("t.csv", b"title,article\nx,y\n", "line 1: no text column: the header names none of text, body, content"),
    ("t.tsv", b"body\tpublished\nx\t2024-02-30\n", "line 2 field published: published '2024-02-30' is not a"),
    ("f.rss", rss(item(1, date="soon")).encode(), "line 4 field published: "),
    ("empty.rss", b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title></channel></rss>\n',
     "a feed without entries"),
    ("sitemap.xml", (NEWS / "sitemap.xml").read_bytes(), "not a feed: its XML root is <urlset>"),
    ("broken.atom", b"<feed><title>x</tit", "not a readable feed: "),
    ("notes.pdf", b"%PDF-1.4", "not an article file"),
])
def test_bad_inputs_by_name_are_one_error_line_and_nothing_is_written(name, data, message, fresh_db, tmp_path):
    f = tmp_path / name
    f.write_bytes(data)
    line = one_error(invoke(fresh_db, "ingest", f))
    assert line.startswith(f"Error: {f}: {message}"), line
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    finally:
        con.close()


# ---------------------------------------------------------------- one date parser


def test_ingest_reads_dates_with_the_extractors_parser(monkeypatch):
    import warehouse.extract.dates as dates
    import warehouse.ingest as ingest

    assert ingest.find_dates is dates.find_dates
    assert not hasattr(ingest, "_MONTHS") and not hasattr(ingest, "_FULL_DATE")
    assert find_published_date("MOSCOW, 19th June 2024 - talks") == "2024-06-19"
    assert parse_published("Wed, 19 Jun 2024 08:00:00 GMT") == ("2024-06-19", "day")
    assert parse_published("mid-2024") is None or parse_published("mid-2024")[1] == "year"


def test_bylines_are_stored_in_article_authors(tmp_path):
    """Pages and feed entries keep their author (revision 0007's article_authors)."""
    import duckdb

    from warehouse.db import writer
    from warehouse.etl import ingest_files, init_warehouse

    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
        ingest_files(engine, [Path(__file__).parent / "data" / "ingest" / "news"])
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT a.title, w.author FROM article_authors w JOIN articles a USING (article_id) "
                           "ORDER BY 1").fetchall()
    finally:
        con.close()
    assert ("Norway agrees to sell two used frigates to Lithuania", "Ingrid Solberg") in rows
    assert ("Latvia orders loitering munitions from a Polish maker", "Mārtiņš Ozols") in rows
    assert len(rows) == 5
