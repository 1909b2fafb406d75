"""Voting from the phone with plain form posts (no JavaScript): every kind of ballot, the phone's
secret in its cookie, the confirmation step and "已记录", and every refusal in Chinese."""
from __future__ import annotations

import html
import re


from werkzeug.datastructures import MultiDict

from tests.hall import make_hall

WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560"
)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def text(response) -> str:
    return response.get_data(as_text=True)


def csrf(response) -> str:
    match = _CSRF.search(text(response))
    assert match, "no form with a CSRF token on the page"
    return match.group(1)


def phone(app, member):
    """A phone (in WeChat) logged in from the member's card link."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = WECHAT
    assert client.get(f"/r/{member.login_code}").status_code == 302
    return client


def create(client, auth, meeting_id, kind, items, rules=None, title="表决"):
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/ballots",
        json={"kind": kind, "title": title, "items": [{"title": t} for t in items], "rules": rules or {}},
        headers=auth,
    )
    assert response.status_code == 201, response.json
    return response.json


def open_(client, auth, ballot):
    assert client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth).status_code == 200


def close(client, auth, ballot):
    assert client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=auth).status_code == 200
    return client.get(f"/api/v1/ballots/{ballot['id']}/result", headers=auth).json


def hidden_fields(page: str, action: str) -> list[tuple[str, str]]:
    """The hidden inputs of the form posting to `action`, as a browser would send them."""
    match = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', page, re.S)
    assert match, f"no form posting to {action}"
    return [(html.unescape(n), html.unescape(v)) for n, v in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(1))]


def review(ph, ballot_id, fields, page_url="/booth/vote"):
    """Fill the ballot's form on the voting page and go to the confirmation step."""
    page = ph.get(page_url)
    assert page.status_code == 200
    return ph.post(f"/booth/vote/{ballot_id}/review", data={"csrf_token": csrf(page), **fields})


def confirm(ph, ballot_id, review_page):
    """Press 确认提交 on the confirmation page: post exactly what it carries."""
    action = f"/booth/vote/{ballot_id}/cast"
    return ph.post(action, data=MultiDict(hidden_fields(text(review_page), action)))


def vote(ph, ballot_id, fields, page_url="/booth/vote"):
    """The whole no-JS path: form → 请核对 → 确认提交 → 已记录."""
    checked = review(ph, ballot_id, fields, page_url)
    assert checked.status_code == 200, text(checked)
    assert "请核对您的选择" in text(checked)
    done = confirm(ph, ballot_id, checked)
    assert done.status_code == 200, text(done)
    return done


def test_motion_form_review_recorded_and_counted(app, client, auth):
    hall = make_hall(app, 5)
    ballot = create(client, auth, hall.meeting_id, "motion", ["关于甲的决定(草案)", "关于乙的决定(草案)"])
    first, second = (item["id"] for item in ballot["items"])
    ph = phone(app, hall.members[0])
    waiting = ph.get("/booth/vote")
    assert "等待下一项表决" in text(waiting)
    assert 'http-equiv="refresh"' in text(waiting)  # without JavaScript the page looks again by itself
    open_(client, auth, ballot)

    page = text(ph.get("/booth/vote"))
    for word in ("关于甲的决定(草案)", "赞成", "反对", "弃权", "tone-green", "tone-red", "tone-yellow"):
        assert word in page
    assert 'http-equiv="refresh"' not in page  # never wipe a half-filled ballot

    # One item left blank: the confirmation step warns that it counts as 未按.
    checked = review(ph, ballot["id"], {f"c{first}": "yes"})
    assert "1 项未作选择，将记为“未按”" in text(checked)
    assert "未按" in text(checked) and "赞成" in text(checked)
    done = confirm(ph, ballot["id"], checked)
    page = text(done)
    assert "已记录" in page and "回执" in page
    assert done.headers["Cache-Control"] == "no-store"
    receipt = re.search(r"回执 <strong>([0-9A-F-]+)</strong>", page).group(1)

    vote(phone(app, hall.members[1]), ballot["id"], {f"c{first}": "no", f"c{second}": "abstain"})
    vote(phone(app, hall.members[2]), ballot["id"], {f"c{first}": "yes", f"c{second}": "yes"})

    # Back on the voting page: "you voted", the same receipt, and a way to change.
    again = text(ph.get("/booth/vote"))
    assert "已记录" in again and receipt in again and "修改我的表决" in again
    result = close(client, auth, ballot)
    assert [(i["counts"], i["not_voted"]) for i in result["items"]] == [
        ({"yes": 2, "no": 1, "abstain": 0}, 2),
        ({"yes": 1, "no": 0, "abstain": 1}, 3),
    ]


def test_selection_per_item_counts(app, client, auth):
    hall = make_hall(app, 3)  # N = 3: a project needs 2 赞成
    ballot = create(client, auth, hall.meeting_id, "selection", ["项目一", "项目二", "项目三"], {"seats": 2})
    ids = [item["id"] for item in ballot["items"]]
    open_(client, auth, ballot)
    plans = [("yes", "yes", "no"), ("yes", "no", "abstain"), ("yes", "yes", "yes")]
    for member, plan in zip(hall.members, plans):
        vote(phone(app, member), ballot["id"], {f"c{i}": c for i, c in zip(ids, plan)})
    result = close(client, auth, ballot)
    assert [i["counts"]["yes"] for i in result["items"]] == [3, 2, 1]
    assert [i["outcome"] for i in result["items"]] == ["selected", "selected", "not_selected"]


def test_up_to_k_counts_and_more_than_k_is_refused_in_chinese(app, client, auth):
    hall = make_hall(app, 3)
    ballot = create(
        client, auth, hall.meeting_id, "selection", ["一", "二", "三", "四"], {"seats": 2, "form": "up_to_k"}
    )
    ids = [str(item["id"]) for item in ballot["items"]]
    open_(client, auth, ballot)
    ph = phone(app, hall.members[0])
    page = text(ph.get("/booth/vote"))
    assert 'type="checkbox" name="approve"' in page and "已选" in page and "/ 2" in page

    too_many = review(ph, ballot["id"], {"approve": ids[:3]})
    assert too_many.status_code == 422
    assert "最多只能选择 2 个项目，您选择了 3 个" in text(too_many)
    assert text(too_many).count("checked") >= 3  # the phone's ticks are kept to untick one
    # Posting straight to the cast step is refused the same way, and nothing is recorded.
    forced = ph.post(f"/booth/vote/{ballot['id']}/cast", data={"csrf_token": csrf(too_many), "approve": ids[:3]})
    assert forced.status_code == 422 and "最多只能选择 2 个项目" in text(forced)
    assert client.get(f"/api/v1/ballots/{ballot['id']}", headers=auth).json["cast"] == 0

    done = vote(ph, ballot["id"], {"approve": ids[:2]})
    assert "已记录" in text(done)
    vote(phone(app, hall.members[1]), ballot["id"], {"approve": [ids[1]]})
    blank = review(phone(app, hall.members[2]), ballot["id"], {})
    assert "您没有选择任何项目" in text(blank)
    result = close(client, auth, ballot)
    assert [i["counts"]["approve"] for i in result["items"]] == [1, 2, 0, 0]
    assert result["cast"] == 2


def test_satisfaction_with_abstain(app, client, auth):
    hall = make_hall(app, 3)
    ballot = create(
        client, auth, hall.meeting_id, "satisfaction", ["交通局办理代表建议情况"], {"abstain_option": True}
    )
    item = ballot["items"][0]["id"]
    open_(client, auth, ballot)
    ph = phone(app, hall.members[0])
    page = text(ph.get("/booth/vote"))
    for word in ("满意", "基本满意", "不满意", "弃权"):
        assert f"<span>{word}</span>" in page
    vote(ph, ballot["id"], {f"c{item}": "basically_satisfied"})
    vote(phone(app, hall.members[1]), ballot["id"], {f"c{item}": "abstain"})
    result = close(client, auth, ballot)
    assert result["items"][0]["counts"] == {
        "satisfied": 0, "basically_satisfied": 1, "dissatisfied": 0, "abstain": 1,
    }


def test_the_cookie_secret_makes_a_repost_count_once_and_a_change_work(app, client, auth):
    hall = make_hall(app, 3)
    ballot = create(client, auth, hall.meeting_id, "motion", ["关于某事项的决定"])
    item = ballot["items"][0]["id"]
    open_(client, auth, ballot)
    ph = phone(app, hall.members[0])
    checked = review(ph, ballot["id"], {f"c{item}": "yes"})
    cookie = ph.get_cookie(f"vs_{ballot['id']}", path="/booth/")
    assert cookie is not None and cookie.http_only and len(cookie.value) >= 22
    first = confirm(ph, ballot["id"], checked)
    receipt = re.search(r"回执 <strong>([0-9A-F-]+)</strong>", text(first)).group(1)

    # The browser re-posts (a refresh, a lost answer): same receipt, counted once.
    repeat = confirm(ph, ballot["id"], checked)
    assert "与上次相同" in text(repeat) and receipt in text(repeat)
    assert client.get(f"/api/v1/ballots/{ballot['id']}", headers=auth).json["cast"] == 1

    # A change: the form again (empty: the server does not know the choice), then 反对.
    change = text(ph.get("/booth/vote?change=1"))
    assert "修改表决" in change and "checked" not in change
    changed = vote(ph, ballot["id"], {f"c{item}": "no", "change": "1"}, "/booth/vote?change=1")
    assert "已修改并记录" in text(changed) and receipt in text(changed)

    # Another browser of the same representative has its own secret: one vote each.
    other = phone(app, hall.members[0])
    assert "已在另一部手机或另一个浏览器中提交" in text(other.get("/booth/vote"))
    refused = other.post(f"/booth/vote/{ballot['id']}/cast",
                         data={"csrf_token": csrf(other.get("/booth/")), f"c{item}": "yes"})
    assert refused.status_code == 409 and "您已在另一台设备上对本项表决投票" in text(refused)

    # The secret never appears in a page.
    for page in (checked, first, repeat, changed):
        assert cookie.value not in text(page)
    result = close(client, auth, ballot)
    assert result["items"][0]["counts"] == {"yes": 0, "no": 1, "abstain": 0}
    # Closed: the phone says so, shows no result, and drops the useless secret.
    closed = ph.get("/booth/vote")
    assert "表决已结束" in text(closed) and "未通过" not in text(closed)
    assert f"vs_{ballot['id']}=;" in closed.headers.get("Set-Cookie", "")


def test_no_change_when_the_ballot_forbids_it(app, client, auth):
    hall = make_hall(app, 2)
    ballot = create(client, auth, hall.meeting_id, "motion", ["甲"], {"allow_change": False})
    item = ballot["items"][0]["id"]
    open_(client, auth, ballot)
    ph = phone(app, hall.members[0])
    vote(ph, ballot["id"], {f"c{item}": "yes"})
    assert "修改我的表决" not in text(ph.get("/booth/vote"))
    token = csrf(ph.get("/booth/"))
    refused = ph.post(f"/booth/vote/{ballot['id']}/cast", data={"csrf_token": token, f"c{item}": "no"})
    assert refused.status_code == 409 and "不允许更改" in text(refused)


def test_not_checked_in_is_told_to_check_in(app, client, auth):
    hall = make_hall(app, 4, present=3)
    ballot = create(client, auth, hall.meeting_id, "motion", ["甲"])
    item = ballot["items"][0]["id"]
    open_(client, auth, ballot)
    ph = phone(app, hall.members[3])
    page = ph.get("/booth/vote")
    assert "请先签到" in text(page) and 'name="c' not in text(page)
    token = csrf(ph.get("/booth/"))
    refused = ph.post(f"/booth/vote/{ballot['id']}/cast", data={"csrf_token": token, f"c{item}": "yes"})
    assert refused.status_code == 403 and "请先签到" in text(refused)
    assert client.get(f"/api/v1/ballots/{ballot['id']}", headers=auth).json["cast"] == 0


def test_forms_without_csrf_token_are_refused(app, client, auth):
    hall = make_hall(app, 2)
    ballot = create(client, auth, hall.meeting_id, "motion", ["甲"])
    item = ballot["items"][0]["id"]
    open_(client, auth, ballot)
    ph = phone(app, hall.members[0])
    assert ph.post(f"/booth/vote/{ballot['id']}/review", data={f"c{item}": "yes"}).status_code == 400
    assert ph.post(f"/booth/vote/{ballot['id']}/cast", data={f"c{item}": "yes"}).status_code == 400
    assert client.get(f"/api/v1/ballots/{ballot['id']}", headers=auth).json["cast"] == 0


def test_home_page_points_to_the_open_ballot_and_other_bodies_ballots_are_hidden(app, client, auth, make_roster):
    hall = make_hall(app, 2)
    ballot = create(client, auth, hall.meeting_id, "motion", ["甲"], title="关于召开下次会议的决定")
    ph = phone(app, hall.members[0])
    assert "正在表决" not in text(ph.get("/booth/"))
    open_(client, auth, ballot)
    home = text(ph.get("/booth/"))
    assert "正在表决" in home and "关于召开下次会议的决定" in home and "/booth/vote" in home
    outsider = phone(app, make_roster(1).reps[0])
    response = outsider.post(f"/booth/vote/{ballot['id']}/review", data={"csrf_token": csrf(outsider.get("/booth/"))})
    assert response.status_code == 404


def test_state_for_the_page_script(app, client, auth):
    hall = make_hall(app, 2)
    ph = phone(app, hall.members[0])
    assert ph.get("/booth/vote/state").json == {"meeting_id": hall.meeting_id, "ballot": None}
    ballot = create(client, auth, hall.meeting_id, "motion", ["甲"], {"duration_s": 90})
    open_(client, auth, ballot)
    state = ph.get("/booth/vote/state").json["ballot"]
    assert state["id"] == ballot["id"] and state["status"] == "open" and 85 <= state["remaining_s"] <= 90
    assert state["version"] > 0
    assert app.test_client().get("/booth/vote/state").status_code == 401
