"""Cleaning web pages into articles: rules on synthetic pages, and the seeds pinned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warehouse.ingest import (
    IngestError,
    clean_text,
    find_article_files,
    find_published_date,
    html_to_text,
    load_seed_metadata,
    make_article,
    read_articles,
)
from warehouse.normalize import article_id_for
from warehouse.paths import SEEDS_DIR

BODY = (
    "Officials said on Tuesday that the shipment had arrived at the port after a long delay.\n"
    "The ministry declined to comment on the size of the cargo."
)


def page(*lines: str) -> str:
    return "\n".join(lines)


# ---------------------------------------------------------------- furniture


@pytest.mark.parametrize("junk", [
    "top of page", "Bottom of page", "Skip to main content", "Advertisement", "Advertise Now (1).png",
    "Share", "Share this article", "Share on Facebook", "Print", "Follow us on", "Subscribe to our channel",
    "Sign up for alerts", "Newsletter", "Menu", "Search", "Log in", "X", "• LinkedIn", "Youtube",
    "© 2024 by Some Outlet | Privacy Policy", "Copyright 2024 Outlet", "All rights reserved.", "photo_9.jpeg",
    "2:45", "01:02:03", "#Drones #CyberWarfare", "Live Streams | Facts | Analysis",
])
def test_furniture_lines_are_removed(junk):
    body, _ = clean_text(page("Headline words here", "", junk, BODY, junk))
    assert junk not in body.splitlines()
    assert BODY in body


def test_furniture_is_matched_on_whole_lines_only():
    line = "Officials will print a report and share it with the search committee in the menu of options."
    body, _ = clean_text(page("Title line", line, BODY))
    assert line in body


def test_blank_line_runs_collapse_and_edges_are_trimmed():
    body, _ = clean_text("\n\n\nFirst paragraph is here.\n\n\n\n\nSecond paragraph is here.\n\n\n")
    assert body == "First paragraph is here.\n\nSecond paragraph is here."


# ---------------------------------------------------------------- end markers


def test_source_credit_ends_the_article_and_sets_the_publisher():
    raw = page("Headline", BODY, "Source: Reuters", "", "Comments", "Another story about something else entirely.")
    art = make_article(raw)
    assert art.cleaned_text == BODY
    assert art.publisher == "Reuters"
    assert "Another story" not in art.cleaned_text


def test_unknown_credit_is_kept_as_written():
    art = make_article(page("Headline", BODY, "Source: Hypothetical Daily", "Teaser of another page."))
    assert art.publisher == "Hypothetical Daily"
    assert art.cleaned_text == BODY


def test_known_credit_is_normalised():
    assert make_article(page("Headline", BODY, "Source: AP")).publisher == "Associated Press"


@pytest.mark.parametrize("sign_off", ["(AB/CD)", "(CP/RML)", "(A/B/C)"])
def test_editor_sign_off_ends_the_article(sign_off):
    raw = page(BODY, sign_off, "Memoirs of former heads of government usually end up in dusty libraries.",
               "Levante UD earned a point during the visit in a match that nobody watched.")
    body, info = clean_text(raw)
    assert body == BODY
    assert "credit" not in info


@pytest.mark.parametrize("heading", ["Comments", "Commenti", "Comments (12)", "Top Stories", "Related", "Read more",
                                     "You may also like", "Most read"])
def test_end_headings_end_the_article(heading):
    body, _ = clean_text(page(BODY, heading, "Something from another page that must not be kept."))
    assert body == BODY


def test_an_end_marker_at_the_very_top_is_not_an_end():
    body, _ = clean_text(page("Related", BODY))
    assert BODY in body


# ---------------------------------------------------------------- teasers and repeats


def test_trailing_teaser_lines_are_removed():
    raw = page(BODY, "", "Memoirs of former European heads of government usually end up in dusty foundation…",
               "Text size The World Health Organization decided on Friday to maintain the maximum...",
               "")
    body, _ = clean_text(raw)
    assert body == BODY


def test_a_teaser_like_line_inside_the_body_is_kept():
    inner = "He paused and said the talks would continue…"
    body, _ = clean_text(page(BODY, inner, "The next round is due in March."))
    assert inner in body


def test_a_repeated_caption_is_removed():
    caption = "Russia's President meets North Korea's leader upon his arrival in Pyongyang, June 19, 2024. Photo/Pool"
    body, _ = clean_text(page("Headline", caption, caption[:70], "", BODY))
    assert body.count("upon his arrival") == 1
    assert caption in body


def test_short_repeated_lines_are_kept():
    body, _ = clean_text(page("Title", "He said no.", BODY, "He said no."))
    assert body.count("He said no.") == 2


# ---------------------------------------------------------------- title, dateline, date


def test_title_is_a_short_first_line_without_closing_punctuation():
    body, info = clean_text(page("Putin flies into North Korea", "", BODY))
    assert info["title"] == "Putin flies into North Korea"
    assert body == BODY


@pytest.mark.parametrize("first", ["This opening sentence ends with a full stop.", "Is this a question?",
                                   "A" * 151])
def test_no_title_when_the_first_line_is_a_sentence_or_too_long(first):
    body, info = clean_text(page(first, BODY))
    assert "title" not in info
    assert body.startswith(first)


def test_a_single_line_is_not_a_title():
    body, info = clean_text("Just one line without punctuation")
    assert "title" not in info and body == "Just one line without punctuation"


def test_dateline_and_wire():
    art = make_article(page("Headline", "SEOUL (Reuters) - North Korea fired a missile on Tuesday, officials said."))
    assert art.dateline == "SEOUL"
    assert art.publisher == "Reuters"


def test_dateline_without_wire():
    body, info = clean_text(page("Headline", "SEOUL/MOSCOW - Putin arrived on Wednesday, state media said."))
    assert info["dateline"] == "SEOUL/MOSCOW"
    assert "credit" not in info


def test_no_dateline_in_plain_text():
    assert make_article(page("Headline", BODY)).dateline is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Pyongyang, North Korea June 19, 2024. Photo", "2024-06-19"),
    ("Published Sept. 3, 2023 by staff", "2023-09-03"),
    ("On 19 June 2024 the leaders met.", "2024-06-19"),
    ("Updated 2024-06-19 10:00", "2024-06-19"),
    ("All News 16:05 November 01, 2023", "2023-11-01"),  # a time of day is not a day of the month
    ("Published: 01 Nov. 2023, 15:47", "2023-11-01"),
    ("SEOUL, June 19th, 2024 (Yonhap)", "2024-06-19"),
    ("On February 30, 2024 nothing happened; on March 1, 2024 something did.", "2024-03-01"),
    ("Putin arrived on Wednesday.", None),
    ("In June 2024 the treaty was signed.", None),
    ("Smarch 3, 2024 is not a month.", None),
])
def test_explicit_date_detection(text, expected):
    assert find_published_date(text) == expected


def test_a_date_far_down_the_text_is_not_the_publication_date():
    assert find_published_date("x" * 900 + " June 19, 2024") is None


def test_found_date_gives_day_precision_and_metadata_wins():
    raw = page("Headline", "Pyongyang June 19, 2024. The leaders met and talked about many things.")
    art = make_article(raw)
    assert (art.published, art.published_precision) == ("2024-06-19", "day")
    art = make_article(raw, meta={"published": "2024-06", "title": "Given title", "publisher": "DW"})
    assert (art.published, art.published_precision) == ("2024-06", "month")
    assert (art.title, art.publisher) == ("Given title", "DW")
    art = make_article(page("Headline", BODY))
    assert (art.published, art.published_precision) == (None, "unknown")


def test_nothing_left_after_cleaning_is_an_error():
    with pytest.raises(IngestError, match="no article text left"):
        make_article(page("top of page", "Advertisement", "© 2024 Someone"))


# ---------------------------------------------------------------- file formats


def test_html_page(tmp_path):
    html = ("<html><head><title>Page title</title><script>var x = 1;</script></head><body>"
            "<nav>Home | World</nav><article><p>First paragraph of the story.</p>"
            "<p>Second   paragraph,\n wrapped.</p></article><footer>© 2024 Outlet</footer></body></html>")
    text, title = html_to_text(html)
    assert title == "Page title"
    assert text == "First paragraph of the story.\n\nSecond paragraph, wrapped."
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    (art,) = read_articles(f)
    assert art.title == "Page title" and art.raw_text == html and art.origin_file == "page.html"
    assert art.cleaned_text == text


def test_jsonl_articles(tmp_path):
    f = tmp_path / "pages.jsonl"
    f.write_text(json.dumps({"text": page("Headline", BODY), "publisher": "DW", "url": "https://x.invalid/1"}) + "\n\n"
                 + json.dumps({"text": BODY, "published": "2024"}) + "\n", encoding="utf-8")
    a, b = read_articles(f)
    assert (a.publisher, a.url, a.origin_file, a.title) == ("DW", "https://x.invalid/1", "pages.jsonl#1", "Headline")
    assert (b.published, b.published_precision, b.origin_file) == ("2024", "year", "pages.jsonl#3")


def test_jsonl_line_without_text_is_an_error(tmp_path):
    f = tmp_path / "pages.jsonl"
    f.write_text(json.dumps({"text": BODY}) + "\n" + json.dumps({"body": BODY}) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="line 2 field text"):
        read_articles(f)


def test_records_folders_are_not_articles(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "r.jsonl").write_text("{}", encoding="utf-8")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")  # a table without a text column
    (tmp_path / "README.md").write_text("About this folder.", encoding="utf-8")
    found = find_article_files([tmp_path])
    assert found == [tmp_path / "a.txt"]
    assert found.skipped == {"README": 1, ".csv without a text column": 1}, "records/ is not counted"


def test_crlf_and_bom_are_handled(tmp_path):
    f = tmp_path / "win.txt"
    f.write_bytes("\ufeffHeadline\r\n".encode() + BODY.replace("\n", "\r\n").encode())
    (art,) = read_articles(f, meta={})
    assert art.title == "Headline" and art.cleaned_text == BODY


# ---------------------------------------------------------------- the seeds


SEED_IDS = {
    "000_5fa28b2da516ed9a.txt": "bfba8b80afeb1b42",
    "001_de3339946ee189eb.txt": "1d36b20b57bf7b18",
    "002_0fc9a8740045b183.txt": "b47ac2b584f3f049",
    "003_6e6a24495718b09e.txt": "6818347d152e8391",
    "004_fbd518f112d8802d.txt": "62ec66ac25d6732b",
}
FORBIDDEN = ("Bhatt", "Operation Sindoor", "Memoirs of former European", "top of page", "Commenti", "Levante")


@pytest.fixture(scope="module")
def seeds() -> dict:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    return {f.name: read_articles(f)[0] for f in files}


def test_seed_files_are_the_pinned_ones(seeds):
    assert sorted(seeds) == sorted(SEED_IDS)


def test_seed_article_ids_are_stable(seeds):
    assert {name: art.article_id for name, art in seeds.items()} == SEED_IDS
    for art in seeds.values():
        assert art.article_id == article_id_for(art.cleaned_text)


@pytest.mark.parametrize("word", FORBIDDEN)
def test_no_cleaned_seed_contains_junk(seeds, word):
    raw_hits = [n for n, a in seeds.items() if word in a.raw_text]
    assert raw_hits, f"{word!r} is in some raw seed (so the check means something)"
    assert [n for n, a in seeds.items() if word in a.cleaned_text] == []


def test_seed_002_cleaning(seeds):
    art = seeds["002_0fc9a8740045b183.txt"]
    body, info = clean_text(art.raw_text)
    assert info["credit"] == "Reuters" and info["dateline"] == "SEOUL/MOSCOW"
    assert info["title"] == "Putin flies into North Korea with promise to back it against the US"
    assert body.count("upon his arrival in Pyongyang") == 1, "the repeated caption is dropped"
    assert body.endswith("After North Korea, Putin will visit Vietnam on Wednesday and Thursday.")
    assert (art.publisher, art.published, art.published_precision, art.dateline) == (
        "Reuters", "2024-06-19", "day", "SEOUL/MOSCOW")


def test_seed_004_ends_at_the_sign_off(seeds):
    art = seeds["004_fbd518f112d8802d.txt"]
    assert "(CP/RML)" in art.raw_text and "(CP/RML)" not in art.cleaned_text
    assert art.cleaned_text.endswith("violate nonproliferation rules.”")
    assert art.publisher == "DW"


def test_seed_metadata_sheet_covers_every_seed(seeds):
    meta = load_seed_metadata(SEEDS_DIR)
    assert set(meta) == set(seeds)
    for name, art in seeds.items():
        row = meta[name]
        assert art.published == row["published"] and art.published_precision == row["published_precision"]
        assert art.title == (row["title"] or art.title)


def _seed_records() -> list[Path]:
    folder = SEEDS_DIR / "records"
    return sorted(folder.rglob("*.json*")) if folder.is_dir() else []


@pytest.mark.skipif(not _seed_records(), reason="no curated seed records yet (seeds/records)")
def test_curated_seed_records_point_into_the_cleaned_seed_texts(seeds):
    from warehouse.load import read_records

    ids = {a.article_id for a in seeds.values()}
    for sr in read_records(_seed_records()):
        assert sr.record.article.article_id in ids, f"{sr.file} record {sr.number}"


def test_wire_credit_list_and_related_heading_end_the_article():
    from warehouse.ingest import clean_text

    raw = ("Berlin sends tanks\nGermany will send Leopard tanks to Ukraine, the government said.\n\n"
           "(dpa, Reuters)\n\nRelated:\nPoland pushes allies on tanks\nWhat makes the Leopard 2 different?\n")
    body, info = clean_text(raw)
    assert body == "Germany will send Leopard tanks to Ukraine, the government said."
    assert info["credit"] == "dpa"
    body2, _ = clean_text("Title here\nA sentence about arms.\n\nRelated:\nAnother story headline\n")
    assert body2 == "A sentence about arms."
