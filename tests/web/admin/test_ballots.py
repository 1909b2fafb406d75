"""The console's ballots: put them on the agenda, open, extend and close them, read the result
in the hall's form, and create the run-off of a tie. CSRF stays on, as in production."""
from __future__ import annotations

import re

import pytest

from tests.hall import make_hall, nonce

from .pages import csrf_from, submit, text_of


def new_ballot(console, meeting_id, kind, title, items, **rules):
    """Fill the create form of `kind` as a clerk would; returns the response to the post."""
    data = {"kind": kind, "title": title, "items": "\n".join(items), "pass_base": "roster",
            "threshold": "more_than_half", "secret": "y", "allow_change": "y", "require_checkin": "y",
            "selection_form": "per_item", "grading": "tiered"}
    data.update({key: value for key, value in rules.items() if value is not None})
    return submit(console, f"/admin/meetings/{meeting_id}/ballots/new?kind={kind}", data)


def ballot_id_of(response) -> int:
    assert response.status_code == 302, text_of(response)
    return int(re.search(r"/admin/ballots/(\d+)$", response.headers["Location"]).group(1))


def press(console, ballot_id, action, **data):
    """Press a button of the ballot's page (the page's own CSRF token)."""
    return submit(console, f"/admin/ballots/{ballot_id}", data, action=f"/admin/ballots/{ballot_id}/{action}")


def cast(client, member, ballot_id, choices):
    response = client.post(f"/api/v1/ballots/{ballot_id}/votes", headers=member.headers,
                           json={"choices": {str(k): v for k, v in choices.items()}, "nonce": nonce()})
    assert response.status_code == 201, response.json


def test_create_form_shows_the_rules_in_chinese_with_their_defaults(app, console):
    hall = make_hall(app, 5)
    page = text_of(console.get(f"/admin/meetings/{hall.meeting_id}/ballots/new"))
    for words in ("通过基数", "全体（应到人数）", "实到人数", "参加该项表决的人数", "过半数", "三分之二以上",
                  "无记名", "允许改票", "表决中实时显示票数", "须签到后才能表决", "倒计时秒数"):
        assert words in page
    # Defaults: 全体, 过半数, 无记名, 允许改票 and 须签到 ticked; live counts not.
    assert re.search(r'value="roster"[^>]*checked|checked[^>]*value="roster"', page)
    assert re.search(r'value="more_than_half"[^>]*checked|checked[^>]*value="more_than_half"', page)
    for name, ticked in (("secret", True), ("allow_change", True), ("require_checkin", True), ("live_results", False)):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert ("checked" in tag) is ticked, name
    selection = text_of(console.get(f"/admin/meetings/{hall.meeting_id}/ballots/new?kind=selection"))
    assert "应选项目数 K" in selection and "票决方式" in selection and "限选 K 项" in selection
    satisfaction = text_of(console.get(f"/admin/meetings/{hall.meeting_id}/ballots/new?kind=satisfaction"))
    assert "测评等次规则" in satisfaction and "设弃权选项" in satisfaction


def test_create_open_extend_close_and_the_result_in_the_halls_form(app, client, console):
    hall = make_hall(app, 35, present=28)
    created = new_ballot(console, hall.meeting_id, "motion", "关于批准某某县2025年预算调整方案的决议",
                         ["关于批准某某县2025年预算调整方案的决议(草案)"], duration_s="60")
    ballot_id = ballot_id_of(created)
    page = text_of(console.get(f"/admin/ballots/{ballot_id}"))
    assert "已列入议程" in page and "开始表决" in page and "未开始" in page
    agenda = text_of(console.get(f"/admin/meetings/{hall.meeting_id}"))
    assert "关于批准某某县2025年预算调整方案的决议" in agenda and "未开始" in agenda

    opened = press(console, ballot_id, "open")
    assert opened.status_code == 303
    page = text_of(console.get(f"/admin/ballots/{ballot_id}"))
    assert "表决进行中" in page and "已表决" in page and 'id="live-cast">0<' in page and 'id="live-present">28<' in page
    assert "表决中" in text_of(console.get(f"/admin/meetings/{hall.meeting_id}"))

    before = client.get(f"/api/v1/ballots/{ballot_id}", headers=hall.members[0].headers).json["remaining_s"]
    assert press(console, ballot_id, "extend", seconds="120").status_code == 303
    after = client.get(f"/api/v1/ballots/{ballot_id}", headers=hall.members[0].headers).json["remaining_s"]
    assert after >= before + 115

    item = client.get(f"/api/v1/ballots/{ballot_id}", headers=hall.members[0].headers).json["items"][0]["id"]
    for member, choice in zip(hall.present, ["yes"] * 17 + ["no"] * 5 + ["abstain"] * 4):
        cast(client, member, ballot_id, {item: choice})
    assert 'id="live-cast">26<' in text_of(console.get(f"/admin/ballots/{ballot_id}"))

    closed = press(console, ballot_id, "close")
    assert closed.status_code == 303
    page = text_of(console.get(f"/admin/ballots/{ballot_id}"))
    # domain-rules §5.4 example 5-A, as the hall hears it.
    flat = re.sub(r"<[^>]+>", "", page)
    flat = re.sub(r"\s+", " ", flat)
    for words in ("应到 35", "实到 28", "赞成 ≥ 18", "全体 35 人的过半数", "赞成 17", "反对 5", "弃权 4", "未按 2",
                  "表决结果： 未通过"):
        assert words in flat, words
    assert "已结束" in text_of(console.get(f"/admin/meetings/{hall.meeting_id}"))


def test_refusals_are_shown_in_chinese(app, console):
    hall = make_hall(app, 10, present=4)
    too_few = new_ballot(console, hall.meeting_id, "selection", "民生实事项目票决", ["甲", "乙"], seats="2")
    assert too_few.status_code == 422
    assert "候选项目" in text_of(too_few) or "2 个候选" in text_of(too_few)
    ballot_id = ballot_id_of(new_ballot(console, hall.meeting_id, "motion", "某决定", ["某决定"]))
    # 4 of 10 present: no quorum, the ballot stays a draft.
    refused = press(console, ballot_id, "open")
    page = text_of(console.get(refused.headers["Location"]))
    assert "不足法定人数" in page and "开始表决" in page


def test_buttons_need_the_csrf_token(app, console):
    hall = make_hall(app, 3)
    ballot_id = ballot_id_of(new_ballot(console, hall.meeting_id, "motion", "某决定", ["某决定"]))
    assert console.post(f"/admin/ballots/{ballot_id}/open").status_code == 400
    assert console.post(f"/admin/meetings/{hall.meeting_id}/ballots/new?kind=motion",
                        data={"kind": "motion", "title": "x", "items": "x"}).status_code == 400
    assert "未开始" in text_of(console.get(f"/admin/ballots/{ballot_id}"))


def test_pages_need_a_staff_login(app, client):
    hall = make_hall(app, 3)
    assert client.get(f"/admin/meetings/{hall.meeting_id}/ballots/new").status_code == 302
    assert client.get("/admin/ballots/1").status_code == 302


def test_selection_tie_makes_a_runoff_among_the_tied(app, client, console):
    hall = make_hall(app, 5)
    ballot_id = ballot_id_of(new_ballot(console, hall.meeting_id, "selection", "2026年民生实事项目票决",
                                        ["老旧小区改造", "城乡公交", "农贸市场", "学校食堂"], seats="2"))
    press(console, ballot_id, "open")
    items = [i["id"] for i in client.get(f"/api/v1/ballots/{ballot_id}", headers=hall.members[0].headers).json["items"]]
    plans = [("yes", "yes", "yes", "no"), ("yes", "yes", "yes", "no"), ("yes", "yes", "yes", "yes"),
             ("yes", "no", "no", "no"), ("no", "no", "no", "no")]
    for member, plan in zip(hall.members, plans):
        cast(client, member, ballot_id, dict(zip(items, plan)))
    press(console, ballot_id, "close")
    page = text_of(console.get(f"/admin/ballots/{ballot_id}"))
    assert "入选" in page and "票数相同，需再次投票" in page and "创建再次投票" in page
    # 老旧小区改造 4 selected; 城乡公交 and 农贸市场 tie at 3 for the last seat.
    runoff = press(console, ballot_id, "runoff")
    runoff_id = int(re.search(r"/admin/ballots/(\d+)$", runoff.headers["Location"]).group(1))
    state = client.get(f"/api/v1/ballots/{runoff_id}", headers=hall.members[0].headers).json
    assert [i["title"] for i in state["items"]] == ["城乡公交", "农贸市场"]
    assert state["rules"]["seats"] == 1 and state["parent_ballot_id"] == ballot_id
    assert state["title"] == "2026年民生实事项目票决（再次投票）"
    again = press(console, ballot_id, "runoff")
    assert "已经创建" in text_of(console.get(again.headers["Location"]))
    assert "查看再次投票" in text_of(console.get(f"/admin/ballots/{ballot_id}"))


def test_satisfaction_result_shows_grades_and_exact_rates(app, client, console):
    """domain-rules §4.4 example 4-A: N 35, 满意 14, 基本满意 11, 不满意 3 → 50.0%, 综合 89.3%, 基本满意."""
    hall = make_hall(app, 35, present=29)
    ballot_id = ballot_id_of(new_ballot(console, hall.meeting_id, "satisfaction", "专项工作报告满意度测评",
                                        ["关于某某专项工作的报告"]))
    press(console, ballot_id, "open")
    item = client.get(f"/api/v1/ballots/{ballot_id}", headers=hall.members[0].headers).json["items"][0]["id"]
    plan = ["satisfied"] * 14 + ["basically_satisfied"] * 11 + ["dissatisfied"] * 3
    for member, choice in zip(hall.present, plan):
        cast(client, member, ballot_id, {item: choice})
    press(console, ballot_id, "close")
    page = text_of(console.get(f"/admin/ballots/{ballot_id}"))
    for words in ("满意率", "综合满意率", "50.0%", "89.3%", "10.7%", 'class="grade grade-basically_satisfied">基本满意'):
        assert words in page, words


@pytest.mark.parametrize("kind", ["motion", "selection", "satisfaction"])
def test_each_kind_reaches_the_agenda(app, console, kind):
    hall = make_hall(app, 3)
    response = new_ballot(console, hall.meeting_id, kind, f"{kind} 表决", ["一", "二", "三"],
                          seats="1" if kind == "selection" else None)
    ballot_id = ballot_id_of(response)
    agenda = text_of(console.get(f"/admin/meetings/{hall.meeting_id}"))
    assert f"/admin/ballots/{ballot_id}" in agenda and {"motion": "表决", "selection": "项目票决",
                                                        "satisfaction": "满意度测评"}[kind] in agenda
    assert csrf_from(text_of(console.get(f"/admin/ballots/{ballot_id}")))
