"""A realistic year of livelihood projects, built through the actions (fast) and certified by a real RQ worker.

12 candidates for 10 seats at a county congress of 45 deputies, progress reports
of every status, an inspection, a standing committee's satisfaction test. Used
by the page tests and for screenshots.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tests.closed_ballots import run_worker
from tests.hall import Hall, make_hall, nonce
from voting.actions.ballots import cast_vote, close_ballot, open_ballot
from voting.actions.projects.candidates import approve_list, create_candidate
from voting.actions.projects.evaluate import create_evaluation_ballot
from voting.actions.projects.handle import decline_proposal, merge_proposal, reply_to_proposal
from voting.actions.projects.inspections import add_inspection
from voting.actions.projects.progress import record_progress
from voting.actions.projects.submit import submit_proposal
from voting.actions.projects.vote import create_selection_ballot
from voting.actions.projects.years import create_year, set_collecting
from voting.jobs.certify import enqueue_certification

YEAR = 2026
# title, category, department, budget (万元), 赞成 of 45, (status, progress, spent 万元) or None when not chosen
CANDIDATES = [
    ("城区老旧小区加装电梯60部", "housing", "县住房和城乡建设局", "1800", 43, ("in_progress", 65, "1020")),
    ("新建城南小学（36个班）", "education", "县教育局", "9600", 42, ("in_progress", 40, "3500")),
    ("社区老年食堂全覆盖", "elderly_care", "县民政局", "480", 41, ("completed", 100, "462.5")),
    ("乡镇卫生院救护车和急救设备更新", "health", "县卫生健康局", "760", 40, ("completed", 100, "748")),
    ("农村公路提档升级120公里", "transport", "县交通运输局", "5400", 38, ("delayed", 35, "1900")),
    ("滨河公园及绿道夜间照明改造", "environment", "县城市管理局", "320", 36, ("completed", 100, "335.2")),
    ("公交线路优化与新能源公交车50辆", "transport", "县交通运输局", "2500", 35, ("in_progress", 80, "2050")),
    ("零工市场和就业驿站建设", "employment", "县人力资源和社会保障局", "150", 33, ("in_progress", 55, "70")),
    ("城乡污水管网改造", "environment", "县水利局", "3200", 31, ("not_started", 0, "0")),
    ("全民健身中心和社区球场", "culture", "县文化广电体育和旅游局", "1300", 29, ("in_progress", 20, "260")),
    ("农贸市场标准化改造", "other", "县市场监督管理局", "600", 21, None),
    ("城区停车场新增车位800个", "transport", "县住房和城乡建设局", "2100", 18, None),
]
PROPOSALS = [
    ("东门老旧小区加装电梯", "housing", "王小明", "六层老楼没有电梯，老人上下楼困难。"),
    ("希望东门小区装电梯", "housing", "李华", "同上，住在五楼的老人多年没有下楼。"),
    ("城南缺学位", "education", "赵敏", "城南新区孩子上学要跨区，希望新建小学。"),
    ("社区办老年食堂", "elderly_care", "周建国", "独居老人吃饭难，希望社区有食堂。"),
    ("修建高铁站", "transport", "孙强", "希望在县城修建高铁站。"),
    ("<script>alert('x')</script>", "other", "匿名", "<b>测试</b> 这条内容含有代码，应原样显示。"),
]


@dataclass
class BuiltYear:
    year_id: int
    congress: Hall
    committee: Hall
    selection_id: int
    evaluation_id: int | None
    project_ids: list[int]


def _vote(app, ballot_id: int, hall: Hall, choices_for) -> None:
    """Open, let every present member vote (choices_for(i, item_ids) → {item: choice}), close, and certify."""
    db = app.extensions["voting.db"]
    with app.app_context():
        with db.transaction() as s:
            ballot = open_ballot(s, ballot_id)
            item_ids = [item.id for item in ballot.items]
        for index, member in enumerate(hall.present):
            with db.transaction() as s:
                cast_vote(s, ballot_id, member.id, choices_for(index, item_ids), nonce())
        with db.transaction() as s:
            close_ballot(s, ballot_id)
        enqueue_certification(app, ballot_id)
    assert run_worker(app)


def build_year(app, evaluate: bool = True) -> BuiltYear:
    """The year of CANDIDATES, voted, certified, in progress, and (with `evaluate`) rated."""
    db = app.extensions["voting.db"]
    congress = make_hall(app, 45, kind="people_congress")
    committee = make_hall(app, 15, kind="standing_committee")
    today = date.today()
    with app.app_context():
        with db.transaction() as s:
            year_id = create_year(s, YEAR, "云州市2026年民生实事项目").id
            set_collecting(s, year_id, True)
        proposal_ids = []
        with db.transaction() as s:
            for title, category, name, text in PROPOSALS:
                proposal_ids.append(submit_proposal(s, year_id, {
                    "title": title, "category": category, "description": text, "proposer_name": name,
                    "proposer_contact": "13800000000", "place": "城关镇",
                }).id)
            submit_proposal(s, year_id, {"title": "乡镇卫生院添置救护车", "category": "health",
                                         "description": "偏远乡镇急救车辆不足。"}, representative_id=congress.members[0].id)
            merge_proposal(s, proposal_ids[1], proposal_ids[0])
            reply_to_proposal(s, proposal_ids[0], "已纳入候选项目“城区老旧小区加装电梯60部”，请关注票决结果。")
            decline_proposal(s, proposal_ids[4], "高铁站选址属于国家和省级规划事权，已转交县发展改革局研究。")
            reply_to_proposal(s, proposal_ids[4], "感谢建议。高铁站选址属于国家和省级规划事权，已转交有关部门。")
        links = {0: [proposal_ids[0]], 1: [proposal_ids[2]], 2: [proposal_ids[3]]}
        with db.transaction() as s:
            project_ids = [
                create_candidate(s, year_id, {
                    "title": title, "category": category, "department": department, "budget": budget,
                    "description": f"{title}。由{department}牵头，年内完成主体建设，资金列入年度预算。",
                    "planned_completion": date(YEAR, 12, 31) - timedelta(days=30 * (i % 4)),
                }, links.get(i, ())).id
                for i, (title, category, department, budget, _, _) in enumerate(CANDIDATES)
            ]
            approve_list(s, year_id, None)
        with db.transaction() as s:
            selection_id = create_selection_ballot(s, year_id, congress.meeting_id, 10).id
    support = [c[4] for c in CANDIDATES]
    _vote(app, selection_id, congress,
          lambda i, items: {item: ("yes" if i < support[n] else ("no" if i % 3 else "abstain")) for n, item in enumerate(items)})
    with app.app_context():
        for project_id, candidate in zip(project_ids, CANDIDATES):
            if candidate[5] is None:
                continue
            status, progress, spent = candidate[5]
            with db.transaction() as s:
                if status != "not_started":
                    record_progress(s, project_id, today - timedelta(days=60), "完成前期手续和招标。",
                                    "in_progress", min(progress, 10) if progress else 0, "0", None, today)
                record_progress(s, project_id, today - timedelta(days=3),
                                {"completed": "全部完工并通过验收，已投入使用。", "delayed": "受汛期影响，部分路段延期施工。",
                                 "not_started": "正在办理用地手续。"}.get(status, "主体工程按计划推进。"),
                                status, progress, spent, None, today)
        with db.transaction() as s:
            add_inspection(s, project_ids[0], congress.members[5].id, today - timedelta(days=10),
                           "实地察看东门社区加装电梯施工现场，安全措施到位。建议加快审批，减少对居民出行的影响。", today)
            add_inspection(s, project_ids[4], congress.members[6].id, today - timedelta(days=7),
                           "北山乡段路基施工进度滞后，建议责任单位倒排工期。", today)
    evaluation_id = None
    if evaluate:
        with app.app_context(), db.transaction() as s:
            evaluation_id = create_evaluation_ballot(s, year_id, committee.meeting_id).id
        # Per project (of 15 members): S11 B3 U1 → 满意; S6 B7 U2 → 基本满意; S12 B2 U1 → 满意.
        plans = [(11, 3), (6, 7), (12, 2)]

        def rating(i: int, n: int) -> str:
            satisfied, basically = plans[n % 3]
            return "satisfied" if i < satisfied else "basically_satisfied" if i < satisfied + basically else "dissatisfied"

        _vote(app, evaluation_id, committee, lambda i, items: {item: rating(i, n) for n, item in enumerate(items)})
    return BuiltYear(year_id, congress, committee, selection_id, evaluation_id, project_ids)
