"""Ballots through the API as the clerk and the phones use it: every kind, every refusal."""
from __future__ import annotations

import pytest

from tests.hall import make_hall, nonce


def create(client, auth, meeting_id, kind="motion", items=("关于……的决定(草案)",), rules=None, title="表决"):
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/ballots",
        json={"kind": kind, "title": title, "items": [{"title": t} for t in items], "rules": rules or {}},
        headers=auth,
    )
    assert response.status_code == 201, response.json
    return response.json


def vote(client, member, ballot_id, choices, key=None):
    return client.post(
        f"/api/v1/ballots/{ballot_id}/votes",
        json={"choices": {str(k): v for k, v in choices.items()}, "nonce": key or nonce()},
        headers=member.headers,
    )


def test_motion_example_5a_fails_with_17_of_35(app, client, auth):
    """domain-rules §5.4 5-A: N=35, 实到 28, 赞成 17 反对 5 弃权 4 未按 2 → 未通过."""
    hall = make_hall(app, 35, present=28)
    ballot = create(client, auth, hall.meeting_id)
    item = ballot["items"][0]["id"]
    assert client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth).json["status"] == "open"
    plan = ["yes"] * 17 + ["no"] * 5 + ["abstain"] * 4
    for member, choice in zip(hall.present, plan):
        assert vote(client, member, ballot["id"], {item: choice}).status_code == 201
    status = client.get(f"/api/v1/ballots/{ballot['id']}", headers=auth).json
    assert (status["cast"], status["present"], status["expected"]) == (26, 28, 35)
    assert client.get(f"/api/v1/ballots/{ballot['id']}/result", headers=auth).status_code == 409
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=auth)
    result = client.get(f"/api/v1/ballots/{ballot['id']}/result", headers=auth).json
    assert (result["expected"], result["present"], result["cast"], result["needed"]) == (35, 28, 26, 18)
    line = result["items"][0]
    assert line["counts"] == {"yes": 17, "no": 5, "abstain": 4}
    assert line["not_voted"] == 2
    assert line["outcome"] == "failed"


def test_one_more_yes_passes_at_18(app, client, auth):
    hall = make_hall(app, 35, present=20)
    ballot = create(client, auth, hall.meeting_id)
    item = ballot["items"][0]["id"]
    client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth)
    for member in hall.present[:18]:
        vote(client, member, ballot["id"], {item: "yes"})
    client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=auth)
    assert client.get(f"/api/v1/ballots/{ballot['id']}/result", headers=auth).json["items"][0]["outcome"] == "passed"


def test_refusals_change_nothing(app, client, auth):
    hall = make_hall(app, 20, present=15)
    ballot = create(client, auth, hall.meeting_id)
    bid, item = ballot["id"], ballot["items"][0]["id"]
    member, absent = hall.members[0], hall.members[19]

    before_open = vote(client, member, bid, {item: "yes"})
    assert before_open.status_code == 409 and before_open.json["error"]["code"] == "ballot_not_open"
    assert before_open.json["error"]["message"] == "表决尚未开始。"
    client.post(f"/api/v1/ballots/{bid}/open", headers=auth)
    cases = [
        (absent, {item: "yes"}, nonce(), 403, "not_checked_in"),
        (member, {item + 999: "yes"}, nonce(), 422, "vote_unknown_item"),
        (member, {item: "maybe"}, nonce(), 422, "vote_unknown_choice"),
        (member, {}, nonce(), 422, "vote_empty_vote"),
        (member, {item: "yes"}, "short", 422, "invalid_input"),
    ]
    for who, choices, key, status, code in cases:
        response = vote(client, who, bid, choices, key)
        assert response.status_code == status, (code, response.json)
        assert response.json["error"]["code"] == code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json["error"]["message"]), response.json
    assert client.get(f"/api/v1/ballots/{bid}", headers=auth).json["cast"] == 0
    # The clerk cannot vote, a phone cannot open or close.
    assert client.post(f"/api/v1/ballots/{bid}/votes", json={"choices": {str(item): "yes"}, "nonce": nonce()}, headers=auth).status_code == 403
    assert client.post(f"/api/v1/ballots/{bid}/close", headers=member.headers).status_code == 403
    client.post(f"/api/v1/ballots/{bid}/close", headers=auth)
    after_close = vote(client, member, bid, {item: "yes"})
    assert after_close.status_code == 409 and after_close.json["error"]["code"] == "ballot_not_open"
    assert client.get(f"/api/v1/ballots/{bid}/result", headers=auth).json["cast"] == 0


def test_replay_counts_once_and_change_keeps_the_last_choice(app, client, auth):
    hall = make_hall(app, 5)
    ballot = create(client, auth, hall.meeting_id)
    bid, item = ballot["id"], ballot["items"][0]["id"]
    client.post(f"/api/v1/ballots/{bid}/open", headers=auth)
    member, key = hall.members[0], nonce()
    first = vote(client, member, bid, {item: "yes"}, key)
    again = vote(client, member, bid, {item: "yes"}, key)
    assert first.status_code == again.status_code == 201
    assert first.json["receipt"] == again.json["receipt"]
    assert (first.json["status"], again.json["status"]) == ("recorded", "unchanged")
    changed = vote(client, member, bid, {item: "no"}, key)
    assert changed.json == {"receipt": first.json["receipt"], "status": "changed"}
    other_device = vote(client, member, bid, {item: "abstain"}, nonce())
    assert other_device.status_code == 409 and other_device.json["error"]["code"] == "already_voted"
    client.post(f"/api/v1/ballots/{bid}/close", headers=auth)
    result = client.get(f"/api/v1/ballots/{bid}/result", headers=auth).json
    assert result["cast"] == 1
    assert result["items"][0]["counts"] == {"yes": 0, "no": 1, "abstain": 0}


def test_no_change_when_the_ballot_forbids_it(app, client, auth):
    hall = make_hall(app, 5)
    ballot = create(client, auth, hall.meeting_id, rules={"allow_change": False})
    bid, item = ballot["id"], ballot["items"][0]["id"]
    client.post(f"/api/v1/ballots/{bid}/open", headers=auth)
    key = nonce()
    vote(client, hall.members[0], bid, {item: "yes"}, key)
    refused = vote(client, hall.members[0], bid, {item: "no"}, key)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "change_not_allowed"


def test_selection_up_to_k_refuses_more_than_k_and_reports_a_tie(app, client, auth):
    hall = make_hall(app, 9, kind="people_congress")
    projects = ["学校扩容", "老旧小区改造", "社区食堂", "公交线路"]
    ballot = create(client, auth, hall.meeting_id, "selection", projects, {"seats": 2, "form": "up_to_k"})
    bid = ballot["id"]
    ids = [i["id"] for i in ballot["items"]]
    client.post(f"/api/v1/ballots/{bid}/open", headers=auth)
    too_many = vote(client, hall.members[0], bid, {ids[0]: "approve", ids[1]: "approve", ids[2]: "approve"})
    assert too_many.status_code == 422 and too_many.json["error"]["code"] == "vote_too_many_approvals"
    # Nine voters, two marks each: P1, P2 and P3 get 6 each (≥ 5 needed), tied across the 2nd seat.
    pairs = [(0, 1)] * 3 + [(1, 2)] * 3 + [(0, 2)] * 3
    for member, (a, b) in zip(hall.members, pairs):
        assert vote(client, member, bid, {ids[a]: "approve", ids[b]: "approve"}).status_code == 201
    client.post(f"/api/v1/ballots/{bid}/close", headers=auth)
    result = client.get(f"/api/v1/ballots/{bid}/result", headers=auth).json
    by_title = {line["title"]: line for line in result["items"]}
    assert [by_title[t]["counts"]["approve"] for t in projects] == [6, 6, 6, 0]
    assert [by_title[t]["outcome"] for t in projects] == ["tie", "tie", "tie", "not_selected"]
    assert result["runoff"] == {"seats": 2, "items": ids[:3]}


def test_satisfaction_example_4a(app, client, auth):
    """domain-rules §4.9 4-A: N=35, S14 B11 U3 → 基本满意 (tiered); rates over V=28."""
    hall = make_hall(app, 35, present=29)
    ballot = create(client, auth, hall.meeting_id, "satisfaction", ["县政府关于生态环境保护工作情况的报告"])
    bid, item = ballot["id"], ballot["items"][0]["id"]
    client.post(f"/api/v1/ballots/{bid}/open", headers=auth)
    plan = ["satisfied"] * 14 + ["basically_satisfied"] * 11 + ["dissatisfied"] * 3
    for member, choice in zip(hall.present, plan):
        assert vote(client, member, bid, {item: choice}).status_code == 201
    client.post(f"/api/v1/ballots/{bid}/close", headers=auth)
    line = client.get(f"/api/v1/ballots/{bid}/result", headers=auth).json["items"][0]
    assert line["grade"] == "basically_satisfied"
    assert line["not_voted"] == 1
    assert line["rates"]["combined"]["percent"] in ("89.3%", "89.3")
    assert line["rates"]["satisfied"]["percent"] in ("50.0%", "50.0")


def test_open_needs_quorum_and_one_ballot_at_a_time(app, client, auth):
    hall = make_hall(app, 35, present=17)
    first = create(client, auth, hall.meeting_id)
    refused = client.post(f"/api/v1/ballots/{first['id']}/open", headers=auth)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "no_quorum"
    assert "17" in refused.json["error"]["message"] and "18" in refused.json["error"]["message"]
    hall2 = make_hall(app, 10)
    a, b = create(client, auth, hall2.meeting_id), create(client, auth, hall2.meeting_id)
    assert client.post(f"/api/v1/ballots/{a['id']}/open", headers=auth).status_code == 200
    second = client.post(f"/api/v1/ballots/{b['id']}/open", headers=auth)
    assert second.status_code == 409 and second.json["error"]["code"] == "another_ballot_open"


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"kind": "selection", "title": "票决", "items": [{"title": "A"}, {"title": "B"}], "rules": {"seats": 2}}, "not_enough_candidates"),
        ({"kind": "motion", "title": "x", "items": [{"title": "A"}], "rules": {"threshold": "most"}}, "invalid_rule"),
        ({"kind": "motion", "title": "x", "items": [{"title": "A"}], "rules": {"colour": 1}}, "unknown_rule"),
        ({"kind": "vote", "title": "x", "items": [{"title": "A"}]}, "invalid_input"),
        ({"kind": "motion", "title": "x", "items": []}, "invalid_input"),
    ],
)
def test_bad_ballot_definitions_are_refused(app, client, auth, payload, code):
    hall = make_hall(app, 3)
    response = client.post(f"/api/v1/meetings/{hall.meeting_id}/ballots", json=payload, headers=auth)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == code
