"""create_runoff: a one-step run-off among the projects tied across the K-th place (domain-rules §3.3)."""
from __future__ import annotations

import pytest

from tests.hall import make_hall, nonce
from voting.actions.ballots import cast_vote, close_ballot, create_ballot, create_runoff, open_ballot
from voting.actions.errors import ActionError


def closed_selection(app, db, plans, seats=2, titles=("甲", "乙", "丙", "丁"), form="per_item"):
    """A selection voted by the hall's members with `plans` (one choices tuple per member), then closed."""
    hall = make_hall(app, len(plans))
    with app.app_context():
        with db.transaction() as s:
            ballot = create_ballot(s, hall.meeting_id, "selection", "民生实事项目票决",
                                   [{"title": t, "description": f"{t}的说明"} for t in titles],
                                   {"seats": seats, "form": form, "threshold": "more_than_half"})
            ballot_id, items = ballot.id, [i.id for i in ballot.items]
        with db.transaction() as s:
            open_ballot(s, ballot_id)
        for member, plan in zip(hall.members, plans):
            with db.transaction() as s:
                cast_vote(s, ballot_id, member.id, {i: c for i, c in zip(items, plan) if c}, nonce())
        with db.transaction() as s:
            close_ballot(s, ballot_id)
    return hall, ballot_id, items


def test_runoff_among_the_tied_for_the_seats_left(app, db):
    # 甲 5 selected; 乙 and 丙 tie at 4 across the second seat; 丁 3 is eligible but ranked below.
    plans = [("yes", "yes", "yes", "yes")] * 3 + [("yes", "yes", "yes", "no"), ("yes", "no", "no", "no")]
    hall, parent_id, items = closed_selection(app, db, plans)
    with app.app_context(), db.transaction() as s:
        runoff = create_runoff(s, parent_id)
        got = (runoff.kind, runoff.status, runoff.parent_ballot_id, runoff.meeting_id,
               [(i.title, i.description) for i in runoff.items], runoff.title, runoff.rules_json)
    assert got[:4] == ("selection", "draft", parent_id, hall.meeting_id)
    assert got[4] == [("乙", "乙的说明"), ("丙", "丙的说明")]
    assert got[5] == "民生实事项目票决（再次投票）"
    assert '"seats":1' in got[6] and '"form":"per_item"' in got[6]
    with app.app_context(), db.transaction() as s, pytest.raises(ActionError) as again:
        create_runoff(s, parent_id)
    assert again.value.code == "runoff_exists" and again.value.status == 409


def test_up_to_k_runoff_keeps_the_form(app, db):
    # N 6, needed 4, two seats: 甲, 乙 and 丙 each get 4 approvals, all tied for both seats.
    a, n = "approve", None
    plans = [(a, a, n, n)] * 2 + [(a, n, a, n)] * 2 + [(n, a, a, n)] * 2
    _, parent_id, _ = closed_selection(app, db, plans, form="up_to_k")
    with app.app_context(), db.transaction() as s:
        runoff = create_runoff(s, parent_id)
        assert [i.title for i in runoff.items] == ["甲", "乙", "丙"]
        assert '"form":"up_to_k"' in runoff.rules_json and '"seats":2' in runoff.rules_json


@pytest.mark.parametrize("case", ["no_tie", "still_open", "motion"])
def test_no_runoff_without_a_closed_tie(app, db, case):
    if case == "no_tie":
        plans = [("yes", "yes", "no", "no")] * 3
        _, ballot_id, _ = closed_selection(app, db, plans)
    else:
        hall = make_hall(app, 3)
        with app.app_context(), db.transaction() as s:
            kind, rules = ("motion", {}) if case == "motion" else ("selection", {"seats": 1})
            ballot_id = create_ballot(s, hall.meeting_id, kind, "某事项", [{"title": "甲"}, {"title": "乙"}], rules).id
    with app.app_context(), db.transaction() as s, pytest.raises(ActionError) as refused:
        create_runoff(s, ballot_id)
    assert refused.value.code == "no_runoff" and "再次投票" in refused.value.message
