"""claimant_states (sql/views/claimant_states.sql): claimants resolved to the state they speak for, on
the seed warehouse (curated records; the counts below were read from the seed records by hand: Shin
Wonsik's eight claims in two articles, the DIA and the Secret Service as US agencies, Russian state
media as Russia, and the unnamed experts with no state)."""

from __future__ import annotations

import pandas as pd

from warehouse.query import sql_frame


def test_people_agencies_and_media_resolve_to_their_state(seeded):
    df = sql_frame(seeded, "select * from claimant_states")
    state = dict(zip(df.claimant_id, df.claimant_state, strict=True))
    assert state["person:shin-wonsik"] == "country:KOR"
    assert state["person:vladimir-putin"] == "country:RUS"
    assert state["org:us-defense-intelligence-agency"] == "country:USA"
    assert state["other:russian-state-media"] == "country:RUS"
    assert state["country:PRK"] == "country:PRK"
    assert pd.isna(state["other:experts"])  # no state
    shin = df[df.claimant_id == "person:shin-wonsik"].iloc[0]
    assert (shin.claims, shin.transfer_claims, shin.agreement_claims, shin.articles) == (8, 7, 1, 2)


def test_asking_by_country_gathers_every_speaker_of_that_state(seeded):
    df = sql_frame(seeded, "select claimant_id, claims from claimant_states where claimant_state = 'country:USA' "
                           "order by claimant_id")
    assert list(df.claimant_id) == ["country:USA", "org:us-defense-intelligence-agency", "org:us-secret-service",
                                    "org:us-state-department", "person:john-kirby", "person:victor-cha"]
    total = sql_frame(seeded, "select count(*) as n from current_claims c join entities e on e.entity_id = "
                              "c.claimant_id where c.claimant_id = 'country:USA' or e.parent_id = 'country:USA'")
    assert int(df.claims.sum()) == int(total.n[0])
