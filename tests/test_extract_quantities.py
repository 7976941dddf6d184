"""The hand-rolled number and qualifier parser (warehouse.extract.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warehouse.extract.numbers import find_quantities, parse_quantity_text, singular


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("up to 4.8 million artillery shells", None, 4_800_000, "shell"),
        ("at least three million grenades", 3_000_000, None, "grenade"),
        ("over 11,000 containers of munitions", 11_000, None, "container"),
        ("dozens of ballistic missiles", 24, None, "missile"),
        ("10,000 shipping containers", 10_000, 10_000, "container"),
        ("over one million barrels of oil", 1_000_000, None, "barrel"),
        ("more than 20 North Korean missiles", 20, None, "missile"),
        ("a dozen tanks", 12, 12, "tank"),
        ("between 20 and 30 jets", 20, 30, "jet"),
        ("tens of thousands of troops", 20_000, None, "troop"),
        ("hundreds of Shahed drones", 200, None, "drone"),
        ("several thousand workers", 3_000, None, "worker"),
        ("half a million rounds", 500_000, 500_000, "round"),
        ("nearly four billion dollars", None, 4_000_000_000, "dollar"),
        ("about 900 kilometers", 900, 900, "kilometer"),
        ("twenty-five tanks", 25, 25, "tank"),
        ("as many as 1.5 million shells", None, 1_500_000, "shell"),
        ("no fewer than 12 F-16 jets", 12, None, "jet"),
    ],
)
def test_quantity_bounds(text, low, high, unit):
    q = parse_quantity_text(text)
    assert q is not None
    assert (q.low, q.high, q.unit) == (low, high, unit)


def test_qualifier_is_kept_as_written():
    q = parse_quantity_text("Up to 4.8 million shells")
    assert q.qualifier == "up to" and q.text == "Up to 4.8 million"


@pytest.mark.parametrize("text", ["the KN-23 and F-16", "at 2:45 a.m.", "in 2017", "one of the leaders",
                                  "the 1950 Korean War"])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_verb_may_and_designators_are_ignored():
    assert [q.text for q in find_quantities("Shahed-136 drones, 300 Javelin missiles")] == ["300"]


def test_singular():
    assert [singular(w) for w in ("shells", "batteries", "boxes", "troops", "aircraft", "missiles")] == [
        "shell", "battery", "box", "troop", "aircraft", "missile"]


def _digits(n: int) -> str:
    return f"{n:,}"


HIGH = ["up to", "as many as", "no more than", "at most", "fewer than", "less than", "nearly", "almost"]
LOW = ["at least", "over", "more than", "above", "in excess of", "upwards of", "no fewer than"]
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@given(n=st.integers(min_value=1, max_value=10**9), qual=st.sampled_from(["", *HIGH, *LOW]))
def test_digits_with_qualifier(n, qual):
    if 1900 <= n <= 2099 and not qual:
        n += 200  # a bare four-digit year is not a quantity
    text = f"{qual} {_digits(n)} shells".strip()
    q = parse_quantity_text(text)
    assert q is not None
    if qual in HIGH:
        assert (q.low, q.high) == (None, n)
    elif qual in LOW:
        assert (q.low, q.high) == (n, None)
    else:
        assert (q.low, q.high) == (n, n)
    assert q.unit == "shell"


@given(whole=st.integers(min_value=1, max_value=999), frac=st.integers(min_value=0, max_value=9),
       scale=st.sampled_from(sorted(SCALES)), qual=st.sampled_from(["up to", "at least", ""]))
def test_decimal_scales(whole, frac, scale, qual):
    figure = f"{whole}.{frac}" if frac else str(whole)
    q = parse_quantity_text(f"{qual} {figure} {scale} barrels of oil".strip())
    value = round(float(figure) * SCALES[scale])
    assert q is not None and q.unit == "barrel"
    bounds = {"up to": (None, value), "at least": (value, None), "": (value, value)}[qual]
    assert (q.low, q.high) == bounds


WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
         10: "ten", 20: "twenty", 40: "forty", 90: "ninety"}


@given(n=st.sampled_from(sorted(WORDS)), scale=st.sampled_from(["", "hundred", "thousand", "million"]))
def test_number_words(n, scale):
    q = parse_quantity_text(f"at least {WORDS[n]} {scale} missiles".replace("  ", " "))
    mult = {"": 1, "hundred": 100, "thousand": 1_000, "million": 1_000_000}[scale]
    assert q is not None and q.low == n * mult and q.high is None and q.unit == "missile"


@given(lo=st.integers(min_value=1, max_value=5000), span=st.integers(min_value=1, max_value=5000))
def test_ranges_are_ordered(lo, span):
    q = parse_quantity_text(f"between {lo} and {lo + span} drones")
    assert q is not None and (q.low, q.high) == (lo, lo + span)
