"""A year of livelihood projects, end to end, the way the people involved do it:

the public sends proposals through the form (good ones, empty, oversize, script,
a flood from one address), a representative proposes from the phone, the clerk
merges, replies, declines and builds the candidate list in the console, exports
it and approves it; the congress votes (phones on the API) with a tie at the last
seat; certification runs in a real RQ worker and adopts the winners; the run-off
settles the tie; the clerk enters progress, a representative inspects from the
phone; at year end the standing committee rates the projects; and the public
pages show all of it, escaped.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.closed_ballots import run_worker
from tests.hall import make_hall, nonce
from tests.web.admin.pages import login, submit
from tests.web.public.forms import GOOD, propose, text
from voting.storage.ballots import Ballot
from voting.storage.projects import Project, Proposal

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def app_config(app_config):
    """A person-speed pause is not needed in tests; certification retries without waiting."""
    return {**app_config, "PROPOSAL_CHALLENGE_MIN_AGE_S": 0, "PROPOSAL_RATE_LIMIT": "5 per hour",
            "CERTIFY_RETRY_INTERVALS": [0, 0]}


def vote(client, auth, ballot_id: int, members, choices_by_member) -> dict:
    """Open the ballot, let each member's phone vote through the API, close it; returns the result."""
    assert client.post(f"/api/v1/ballots/{ballot_id}/open", headers=auth).status_code == 200
    items = [item["id"] for item in client.get(f"/api/v1/ballots/{ballot_id}", headers=auth).json["items"]]
    for member, choices in zip(members, choices_by_member):
        sent = client.post(
            f"/api/v1/ballots/{ballot_id}/votes",
            json={"choices": {str(i): c for i, c in zip(items, choices) if c}, "nonce": nonce()},
            headers=member.headers,
        )
        assert sent.status_code == 201, sent.json
    assert client.post(f"/api/v1/ballots/{ballot_id}/close", headers=auth).status_code == 200
    return client.get(f"/api/v1/ballots/{ballot_id}/result", headers=auth).json


def ballot_id_from(response) -> int:
    """The ballot page a console action redirected to."""
    match = re.search(r"/admin/ballots/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def projects_by_title(db) -> dict[str, Project]:
    with db.session() as s:
        return {p.title: p for p in s.scalars(select(Project))}


def test_a_year_from_proposals_to_the_satisfaction_test(app, client, auth, db):
    congress = make_hall(app, 9, kind="people_congress")
    committee = make_hall(app, 5, kind="standing_committee")
    console = app.test_client()
    assert login(console).status_code == 302

    # --- The clerk sets up 2026 and opens the call ----------------------------------------
    made = submit(console, "/admin/projects", {"year": "2026", "title": "测试县2026年民生实事项目"})
    assert made.status_code == 303
    year_url = made.headers["Location"]
    year_id = int(year_url.rsplit("/", 1)[1])
    assert "民生实事" in text(client.get("/public/propose"))  # closed: a plain message, no form
    assert "name=\"challenge\"" not in text(client.get("/public/propose"))
    submit(console, year_url, {"open": "1"}, action=f"/admin/projects/{year_id}/collecting")

    # --- 征集: the public form ------------------------------------------------------------
    good = propose(client, GOOD, "10.0.0.1")
    assert good.status_code == 303
    first_url = good.headers["Location"]
    assert "感谢" in text(client.get(first_url))  # the proposer's own page, with the thanks
    duplicate = propose(client, {**GOOD, "title": "东门小区装电梯", "proposer_name": "李华",
                                 "proposer_contact": "lihua@example.cn"}, "10.0.0.2")
    assert duplicate.status_code == 303
    for address, title, category in [
        ("10.0.0.3", "城南小学扩建教学楼", "education"),
        ("10.0.0.4", "社区老年食堂", "elderly_care"),
        ("10.0.0.5", "滨河公园夜间照明", "environment"),
        ("10.0.0.6", "修建跨省高铁站", "transport"),
    ]:
        assert propose(client, {**GOOD, "title": title, "category": category}, address).status_code == 303
    injected = propose(client, {**GOOD, "title": SCRIPT, "description": f"正文 {SCRIPT} <b>粗体</b>"}, "10.0.0.7")
    assert injected.status_code == 303  # stored as text, not refused

    empty = propose(client, {name: "" for name in GOOD}, "10.0.0.8")
    assert empty.status_code == 422
    page = text(empty)
    for message in ("请填写标题。", "请填写内容。", "请选择类别。", "请填写您的姓名。", "请填写联系电话或其他联系方式。"):
        assert message in page, message
    oversize = propose(client, {**GOOD, "title": "长" * 101, "description": "字" * 3001}, "10.0.0.8")
    assert oversize.status_code == 422
    assert "标题太长：最多 100 个字（现在 101 个字）。" in text(oversize)
    assert "内容太长：最多 3000 个字（现在 3001 个字）。" in text(oversize)
    assert "长" * 101 in text(oversize)  # what was typed comes back to be shortened, not lost
    wrong = propose(client, GOOD, "10.0.0.8", answer="999")
    assert wrong.status_code == 422 and "算式的答案不对" in text(wrong)
    trap = propose(client, GOOD, "10.0.0.8", website="http://spam.example")
    assert trap.status_code == 422

    # A flood from one address: five posts an hour, then refused whatever they contain.
    flood = [propose(client, {**GOOD, "title": f"刷屏{i}"}, "10.9.9.9").status_code for i in range(7)]
    assert flood == [303] * 5 + [429] * 2
    refused = propose(client, GOOD, "10.9.9.9")
    assert refused.status_code == 429 and "提交过于频繁" in text(refused)
    assert propose(client, {**GOOD, "title": "换一个地址照常提交"}, "10.9.9.10").status_code == 303

    with db.session() as s:
        stored = {p.title: p for p in s.scalars(select(Proposal))}
    assert SCRIPT in stored and stored[SCRIPT].description.startswith("正文 <script>")
    assert "长" * 101 not in stored and not any(t.startswith("刷屏5") for t in stored)
    assert len([t for t in stored if t.startswith("刷屏")]) == 5

    # --- A representative proposes from the phone ---------------------------------------
    phone = app.test_client()
    deputy = congress.members[0]
    assert phone.get(f"/r/{deputy.login_code}").status_code == 302
    sent = submit(phone, "/booth/projects/propose", {"title": "乡镇卫生院添置救护车", "category": "health",
                                                      "description": "偏远乡镇急救车辆不足。", "place": "北山乡"})
    assert sent.status_code == 303
    with db.session() as s:
        from_deputy = s.scalars(select(Proposal).where(Proposal.source == "representative")).one()
        assert from_deputy.proposer_name == deputy.name and from_deputy.representative_id == deputy.id

    # --- The clerk handles the proposals --------------------------------------------------
    ids = {title: p.id for title, p in stored.items()}
    elevator, duplicate_id = ids[GOOD["title"]], ids["东门小区装电梯"]
    merged = submit(console, f"/admin/proposals/{duplicate_id}", {"into_id": str(elevator)},
                    action=f"/admin/proposals/{duplicate_id}/merge")
    assert merged.status_code == 303
    replied = submit(console, f"/admin/proposals/{elevator}", {"reply": "已纳入候选项目，请关注票决结果。"},
                     action=f"/admin/proposals/{elevator}/reply")
    assert replied.status_code == 303
    declined = submit(console, f"/admin/proposals/{ids['修建跨省高铁站']}", {"reason": "属于省级事权，已转交有关部门研究。"},
                      action=f"/admin/proposals/{ids['修建跨省高铁站']}/decline")
    assert declined.status_code == 303
    console_page = text(console.get(f"/admin/proposals/{elevator}"))
    assert "13800001111" in console_page  # the clerk sees the contact

    # --- 初选: candidates from the proposals, export, approve ------------------------------
    plan = [
        ("老旧小区加装电梯", "housing", "县住建局", "360", [elevator]),
        ("城南小学扩建", "education", "县教育局", "1200", [ids["城南小学扩建教学楼"]]),
        ("社区老年食堂", "elderly_care", "县民政局", "85.5", [ids["社区老年食堂"]]),
        ("滨河公园夜间照明", "environment", "县城管局", "40", [ids["滨河公园夜间照明"]]),
    ]
    for title, category, department, budget, linked in plan:
        response = submit(console, f"/admin/projects/{year_id}/candidates/new", {
            "title": title, "category": category, "description": f"{title}：具体建设内容。",
            "department": department, "budget": budget, "planned_completion": "2026-12-31",
            "proposal_ids": [str(i) for i in linked],
        })
        assert response.status_code == 303, text(response)
    bad = submit(console, f"/admin/projects/{year_id}/candidates/new", {
        "title": "", "category": "housing", "description": "x", "department": "", "budget": "abc",
        "planned_completion": "2025-01-01"})
    assert bad.status_code == 422
    for message in ("请填写标题。", "请填写责任单位。", "预算必须是以万元为单位的数字", "计划完成时间不能早于2026年"):
        assert message in text(bad), message

    exported = console.get(f"/admin/projects/{year_id}/candidates.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["序号", "项目", "类别"] and [r[1] for r in rows[1:]] == [p[0] for p in plan]
    assert rows[3][5] == "85.5" and f"#{elevator}" in rows[1][7]
    book = load_workbook(io.BytesIO(console.get(f"/admin/projects/{year_id}/candidates.xlsx").data))
    assert book.active["B3"].value == "城南小学扩建" and book.active["E3"].value == "县教育局"

    assert submit(console, f"/admin/projects/{year_id}/candidates", action=f"/admin/projects/{year_id}/approve").status_code == 303
    assert "name=\"challenge\"" not in text(client.get("/public/propose"))  # approval closed the call

    # --- 票决: refused unless 差额 and at a plenary, then created with K = 2 ---------------
    not_competitive = submit(console, year_url, {"meeting_id": str(congress.meeting_id), "seats": "4", "form": "per_item"},
                             action=f"/admin/projects/{year_id}/vote")
    assert "差额" in text(console.get(not_competitive.headers["Location"]))
    wrong_body = submit(console, year_url, {"meeting_id": str(committee.meeting_id), "seats": "2", "form": "per_item"},
                        action=f"/admin/projects/{year_id}/vote")
    assert wrong_body.headers["Location"].endswith(f"/admin/projects/{year_id}")
    created = submit(console, year_url, {"meeting_id": str(congress.meeting_id), "seats": "2", "form": "per_item"},
                     action=f"/admin/projects/{year_id}/vote")
    selection_id = ballot_id_from(created)

    # 9 deputies, threshold 5 (过半数 of 9): 电梯 8, 小学 6, 食堂 6, 照明 3 → 电梯 first, 小学 and 食堂 tied for the 2nd seat.
    ballots = [
        ["yes" if i < 8 else "abstain", "yes" if i < 6 else "no", "yes" if i >= 3 else "no", "yes" if i < 3 else "no"]
        for i in range(9)
    ]
    result = vote(client, auth, selection_id, congress.members, ballots)
    assert result["runoff"]["seats"] == 1 and len(result["runoff"]["items"]) == 2
    assert projects_by_title(db)["老旧小区加装电梯"].stage == "candidate"  # not before certification
    assert "待认证" in text(client.get("/public/2026"))

    assert run_worker(app)  # the real certify job, in a forked RQ worker
    with db.session() as s:
        assert s.get(Ballot, selection_id).status == "certified"
    stages = {t: p.stage for t, p in projects_by_title(db).items()}
    assert stages == {"老旧小区加装电梯": "adopted", "城南小学扩建": "tied", "社区老年食堂": "tied", "滨河公园夜间照明": "not_selected"}

    # --- The run-off, one click from the year's page --------------------------------------
    year_page = text(console.get(year_url))
    assert "城南小学扩建、社区老年食堂" in year_page
    runoff_id = ballot_id_from(submit(console, year_url, action=f"/admin/projects/{year_id}/runoff"))
    with db.session() as s:
        runoff = s.get(Ballot, runoff_id)
        assert runoff.parent_ballot_id == selection_id and [i.title for i in runoff.items] == ["城南小学扩建", "社区老年食堂"]
    vote(client, auth, runoff_id, congress.members, [["yes", "no"]] * 7 + [["no", "yes"]] * 2)
    assert run_worker(app)
    stages = {t: p.stage for t, p in projects_by_title(db).items()}
    assert stages["城南小学扩建"] == "adopted" and stages["社区老年食堂"] == "not_selected"

    # --- 实施 and 监督 --------------------------------------------------------------------
    projects = projects_by_title(db)
    elevator_project, school = projects["老旧小区加装电梯"], projects["城南小学扩建"]
    today = date.today().isoformat()
    for project_id, status, progress, spent, note in [
        (elevator_project.id, "in_progress", "60", "200", "已完成8栋楼的井道施工。"),
        (elevator_project.id, "completed", "100", "352.8", "12部电梯全部通过验收并投入使用。"),
        (school.id, "delayed", "30", "420", f"因地质勘察补充延期一个月。{SCRIPT}"),
    ]:
        response = submit(console, f"/admin/projects/project/{project_id}", {
            "update_date": today, "status": status, "progress": progress, "spent": spent, "note": note})
        assert response.status_code == 303, text(response)
    refused_progress = submit(console, f"/admin/projects/project/{school.id}", {
        "update_date": today, "status": "completed", "progress": "90", "spent": "1", "note": "x"})
    assert refused_progress.status_code == 422 and "已完成的项目进度应为 100%" in text(refused_progress)
    with db.session() as s:
        done = s.get(Project, elevator_project.id)
        assert (done.status, done.progress, done.spent) == ("completed", 100, 3_528_000)

    inspector = app.test_client()
    assert inspector.get(f"/r/{congress.members[3].login_code}").status_code == 302
    noted = submit(inspector, f"/booth/projects/{elevator_project.id}/inspect",
                   {"inspected_on": today, "note": "实地察看东门社区，电梯运行平稳，居民反映良好。"})
    assert noted.status_code == 303
    not_adopted = submit(inspector, f"/booth/projects/{projects['社区老年食堂'].id}/inspect",
                         {"inspected_on": today, "note": "未入选项目"})
    assert not_adopted.status_code == 409

    # --- 评: the standing committee's satisfaction test -----------------------------------
    evaluation_id = ballot_id_from(submit(console, year_url, {"meeting_id": str(committee.meeting_id)},
                                          action=f"/admin/projects/{year_id}/evaluation"))
    with db.session() as s:
        assert [i.title for i in s.get(Ballot, evaluation_id).items] == ["老旧小区加装电梯", "城南小学扩建"]
    # 5 members: 电梯 S4 B1 → 满意 (4 > 5/2); 小学 S1 B3 U1 → 基本满意.
    vote(client, auth, evaluation_id, committee.members,
         [["satisfied", "satisfied"], ["satisfied", "basically_satisfied"], ["satisfied", "basically_satisfied"],
          ["satisfied", "basically_satisfied"], ["basically_satisfied", "dissatisfied"]])
    assert run_worker(app)
    with db.session() as s:
        grades = {p.title: p.evaluation_grade for p in s.scalars(select(Project)) if p.evaluation_grade}
    assert grades == {"老旧小区加装电梯": "satisfied", "城南小学扩建": "basically_satisfied"}

    # --- The public pages show it all ------------------------------------------------------
    public = text(client.get("/public/2026"))
    for expected in ("测试县2026年民生实事项目", "老旧小区加装电梯", "城南小学扩建", "已完成", "延期", "100%", "30%",
                     "赞成 8 票", "第 1 名", "再次投票赞成 7 票", "满意", "基本满意", "县住建局", "352.8"):
        assert expected in public, expected
    assert "社区老年食堂" in public and "未入选" in public  # the others are listed with their result
    project_page = text(client.get(f"/public/2026/projects/{school.id}"))
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in project_page and SCRIPT not in project_page
    elevator_page = text(client.get(f"/public/2026/projects/{elevator_project.id}"))
    assert "电梯运行平稳" in elevator_page and congress.members[3].name in elevator_page
    summary = client.get("/public/2026/summary")
    assert summary.status_code == 200 and "<svg" in text(summary) and "住房和社区" in text(summary)
    proposals = text(client.get("/public/2026/proposals"))
    assert "已纳入候选项目，请关注票决结果。" in proposals  # the reply
    assert f"/public/2026/proposals/{elevator}" in proposals and "已合并" in proposals  # the duplicate's link
    assert "属于省级事权" in proposals  # why it was not taken
    assert "13800001111" not in proposals and "lihua@example.cn" not in proposals  # contacts never public
    assert "王小明" not in proposals and "王**" in proposals  # the public proposer by surname only
    assert deputy.name in proposals  # a representative by name
    assert SCRIPT not in proposals and "&lt;script&gt;" in proposals
