"""Date expressions resolved against the published date (warehouse.extract.dates)."""

from __future__ import annotations

import pytest

from warehouse.extract.dates import find_dates

DAY = ("2024-06-19", "day")  # a Wednesday
MONTH = ("2024-06", "month")
YEAR = ("2024", "year")


def one(text, published):
    found = find_dates(text, *published)
    assert len(found) == 1, found
    d = found[0]
    return d.date, d.precision, d.text


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Putin arrived on Wednesday.", DAY, ("2024-06-19", "day", "on Wednesday")),
        ("The White House said on Monday it was troubled.", DAY, ("2024-06-17", "day", "on Monday")),
        ("Putin will visit Vietnam on Friday.", DAY, ("2024-06-21", "day", "on Friday")),
        ("Last week, the minister said so.", DAY, ("2024-06-10", "week", "Last week")),
        ("Talks earlier this week went well.", DAY, ("2024-06-17", "week", "earlier this week")),
        ("It launched a satellite last November.", MONTH, ("2023-11", "month", "last November")),
        ("It launched a satellite last November.", ("2024-12", "month"), ("2024-11", "month", "last November")),
        ("In January, the US accused Moscow.", MONTH, ("2024-01", "month", "In January")),
        ("Oil has flowed since March.", MONTH, ("2024-03", "month", "since March")),
        ("Germany will send a battery by mid-April.", ("2024-03", "month"), ("2024-04", "month", "by mid-April")),
        ("Last month, the agency declassified a report.", MONTH, ("2024-05", "month", "Last month")),
        ("Two years ago, they vetoed a resolution.", DAY, ("2022", "year", "Two years ago")),
        ("Romania bought them in 2017.", YEAR, ("2017", "year", "in 2017")),
        ("Pyongyang, June 19, 2024.", ("2024", "year"), ("2024-06-19", "day", "June 19, 2024")),
        ("On 9 May 2023 a parade was held.", (None, "unknown"), ("2023-05-09", "day", "9 May 2023")),
        ("Sanctions since 2006 have failed.", (None, "unknown"), ("2006", "year", "since 2006")),
        ("Shipments rose last year.", YEAR, ("2023", "year", "last year")),
    ],
)
def test_resolution(text, published, expected):
    assert one(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Putin arrived on Wednesday.", MONTH),  # a weekday needs a published day
        ("It launched a satellite last November.", YEAR),  # Nov 2023 or Nov 2024? never guess
        ("Last week, the minister said so.", MONTH),
        ("Oil has flowed since March.", (None, "unknown")),
        ("Last month, the agency declassified a report.", YEAR),
    ],
)
def test_too_coarse_keeps_text_without_a_date(text, published):
    found = find_dates(text, *published)
    assert len(found) == 1
    assert found[0].date is None and found[0].precision == "unknown" and found[0].text


def test_the_verb_may_is_not_a_month():
    assert find_dates("It may not decide the war. May we go?", *DAY) == []
    assert one("The deal was signed in May.", DAY) == ("2024-05", "month", "in May")


def test_kinds():
    assert find_dates("Oil has flowed since March.", *MONTH)[0].kind == "since"
    assert find_dates("They will deliver by mid-April.", *MONTH)[0].kind == "until"
    assert find_dates("It arrived in April.", *MONTH)[0].kind == "point"


def test_deadline_months_look_forward():
    # a deadline month after the published month is in the same year; one before it, next year
    assert one("They promised to deliver it by April.", MONTH)[0] == "2025-04"
    assert one("They promised to deliver it by September.", MONTH)[0] == "2024-09"


def test_invalid_calendar_dates_are_unknown():
    found = find_dates("On February 30, 2024 nothing happened.")
    assert found and found[0].date is None and found[0].precision == "unknown"
