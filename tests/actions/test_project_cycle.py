"""The project cycle's use cases on both backends: screening rules, the vote's refusals, a shortfall,
run-offs made either way, and certified results that land once, in any order."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.hall import make_hall, nonce
from voting.actions.ballots import cast_vote, close_ballot, create_runoff, open_ballot
from voting.actions.errors import ActionError
from voting.actions.projects.adopt import apply_certified_result
from voting.actions.projects.candidates import approve_list, create_candidate, reopen_list, update_candidate
from voting.actions.projects.evaluate import create_evaluation_ballot
from voting.actions.projects.export import candidate_table, to_csv, to_xlsx
from voting.actions.projects.handle import merge_proposal
from voting.actions.projects.read import year_view
from voting.actions.projects.submit import submit_proposal
from voting.actions.projects.vote import create_project_runoff, create_selection_ballot
from voting.actions.projects.years import create_year, set_collecting
from voting.storage.ballots import Ballot
from voting.storage.projects import Project, ProjectBallot, Proposal


def candidate(title: str, budget: str = "100") -> dict:
    return {"title": title, "description": f"{title}的内容", "category": "other", "department": "县政府办",
            "budget": budget, "planned_completion": date(2026, 12, 31)}


@pytest.fixture
def year(app, db):
    """A 2026 year with four candidates on an approved list; returns (year_id, [project ids])."""
    with app.app_context(), db.transaction() as s:
        year_id = create_year(s, 2026).id
        ids = [create_candidate(s, year_id, candidate(t)).id for t in ("甲", "乙", "丙", "丁")]
        approve_list(s, year_id, None)
    return year_id, ids


def run_ballot(app, db, ballot_id: int, members, votes) -> None:
    """Open, cast `votes` (lists of choices in item order), close; then mark certified as the job would."""
    with app.app_context():
        with db.transaction() as s:
            items = [i.id for i in open_ballot(s, ballot_id).items]
        for member, choices in zip(members, votes):
            with db.transaction() as s:
                cast_vote(s, ballot_id, member.id, {i: c for i, c in zip(items, choices)}, nonce())
        with db.transaction() as s:
            close_ballot(s, ballot_id)


def certify(app, db, ballot_id: int) -> bool:
    """The certification's last step, as far as projects are concerned: status certified, then the hook."""
    with app.app_context(), db.transaction() as s:
        s.get(Ballot, ballot_id).status = "certified"
        return apply_certified_result(s, ballot_id)


def stages(db) -> dict[str, str]:
    with db.session() as s:
        return {p.title: p.stage for p in s.scalars(select(Project))}


def test_the_vote_needs_an_approved_competitive_list_at_a_plenary(app, db):
    congress = make_hall(app, 5, kind="people_congress")
    committee = make_hall(app, 5, kind="standing_committee")
    with app.app_context(), db.transaction() as s:
        year_id = create_year(s, 2026).id
        create_candidate(s, year_id, candidate("甲"))
        with pytest.raises(ActionError) as early:
            create_selection_ballot(s, year_id, congress.meeting_id, 1)
        assert early.value.code == "list_not_approved"
        with pytest.raises(ActionError) as alone:
            approve_list(s, year_id, None)
        assert alone.value.code == "too_few_candidates"
        create_candidate(s, year_id, candidate("乙"))
        approve_list(s, year_id, None)
        for meeting_id, seats, code in [(congress.meeting_id, 2, "not_competitive"), (congress.meeting_id, 0, "seats_required"),
                                        (committee.meeting_id, 1, "not_plenary")]:
            with pytest.raises(ActionError) as refused:
                create_selection_ballot(s, year_id, meeting_id, seats)
            assert refused.value.code == code
        ballot = create_selection_ballot(s, year_id, congress.meeting_id, 1)
        assert [i.title for i in ballot.items] == ["甲", "乙"] and "县政府办" in ballot.items[0].description
        with pytest.raises(ActionError) as again:
            create_selection_ballot(s, year_id, congress.meeting_id, 1)
        assert again.value.code == "selection_exists"
        with pytest.raises(ActionError) as frozen:
            reopen_list(s, year_id)
        assert frozen.value.code == "vote_exists"
        with pytest.raises(ActionError) as nothing:
            create_evaluation_ballot(s, year_id, committee.meeting_id)
        assert nothing.value.code == "nothing_adopted"


def test_fewer_projects_passing_than_seats_leaves_a_shortfall_shown_on_the_year(app, db, year):
    year_id, ids = year
    congress = make_hall(app, 5, kind="people_congress")
    with app.app_context(), db.transaction() as s:
        ballot_id = create_selection_ballot(s, year_id, congress.meeting_id, 3).id
    # Threshold 3 of 5: only 甲 passes (乙 has 2); three seats → two left empty.
    run_ballot(app, db, ballot_id, congress.members, [["yes", "no", "no", "no"]] * 3 + [["no", "yes", "no", "no"]] * 2)
    assert certify(app, db, ballot_id)
    assert stages(db) == {"甲": "adopted", "乙": "not_selected", "丙": "not_selected", "丁": "not_selected"}
    with db.session() as s:
        view = year_view(s, s.get(Project, ids[0]).year)
    assert view["ballots"][0]["shortfall"] == 2
    assert [p["title"] for p in view["adopted"]] == ["甲"] and view["adopted"][0]["votes"]["selection"]["support"] == 3


def test_a_result_lands_once_and_a_run_off_certified_first_is_not_undone(app, db, year):
    year_id, ids = year
    congress = make_hall(app, 5, kind="people_congress")
    with app.app_context(), db.transaction() as s:
        selection_id = create_selection_ballot(s, year_id, congress.meeting_id, 2).id
    # 甲 5, 乙 4, 丙 4, 丁 0 with K=2: 甲 in, 乙 and 丙 tied for the last seat.
    run_ballot(app, db, selection_id, congress.members,
               [["yes", "yes", "yes", "no"]] * 3 + [["yes", "yes", "no", "no"], ["yes", "no", "yes", "no"]])
    with app.app_context(), db.transaction() as s:
        runoff_id = create_project_runoff(s, year_id).id
    run_ballot(app, db, runoff_id, congress.members, [["no", "yes"]] * 4 + [["yes", "no"]])
    assert certify(app, db, runoff_id)  # the run-off's job happened to finish first
    assert stages(db) == {"甲": "candidate", "乙": "not_selected", "丙": "adopted", "丁": "candidate"}
    assert certify(app, db, selection_id)
    assert stages(db) == {"甲": "adopted", "乙": "not_selected", "丙": "adopted", "丁": "not_selected"}
    assert not certify(app, db, selection_id) and not certify(app, db, runoff_id)  # a second run changes nothing
    with db.session() as s:
        view = year_view(s, s.get(Project, ids[2]).year)
    third = next(p for p in view["projects"] if p["title"] == "丙")
    assert third["votes"]["selection"]["outcome"] == "tie" and third["votes"]["runoff"]["support"] == 4


def test_a_run_off_made_from_the_ballot_page_is_tied_to_its_projects_at_certification(app, db, year):
    year_id, _ = year
    congress = make_hall(app, 5, kind="people_congress")
    with app.app_context(), db.transaction() as s:
        selection_id = create_selection_ballot(s, year_id, congress.meeting_id, 1).id
    run_ballot(app, db, selection_id, congress.members, [["yes", "yes", "no", "no"]] * 5)
    assert certify(app, db, selection_id)
    assert stages(db)["甲"] == "tied" and stages(db)["乙"] == "tied"
    with app.app_context(), db.transaction() as s:
        runoff_id = create_runoff(s, selection_id).id  # the generic button, not the projects' one
    with db.session() as s:
        assert s.get(ProjectBallot, runoff_id) is None
    run_ballot(app, db, runoff_id, congress.members, [["no", "yes"]] * 5)
    assert certify(app, db, runoff_id)
    assert stages(db) == {"甲": "not_selected", "乙": "adopted", "丙": "not_selected", "丁": "not_selected"}
    with app.app_context(), db.transaction() as s:
        with pytest.raises(ActionError) as none_left:
            create_project_runoff(s, year_id)
        assert none_left.value.code == "no_tie"


def test_a_certified_evaluation_puts_grades_and_rates_on_each_project(app, db, year):
    year_id, ids = year
    congress = make_hall(app, 3, kind="people_congress")
    committee = make_hall(app, 29, kind="standing_committee")
    with app.app_context(), db.transaction() as s:
        selection_id = create_selection_ballot(s, year_id, congress.meeting_id, 2).id
    run_ballot(app, db, selection_id, congress.members, [["yes", "yes", "no", "no"]] * 3)
    certify(app, db, selection_id)
    with app.app_context(), db.transaction() as s:
        evaluation_id = create_evaluation_ballot(s, year_id, committee.meeting_id).id
    # 镇海 2022 rows (domain-rules §3.5): 公共卫生 20/8/1 and 老年护理 17/11/1 of 29 members: both 满意.
    run_ballot(app, db, evaluation_id, committee.members,
               [["satisfied", "satisfied"]] * 17 + [["satisfied", "basically_satisfied"]] * 3
               + [["basically_satisfied", "basically_satisfied"]] * 8 + [["dissatisfied", "dissatisfied"]])
    assert certify(app, db, evaluation_id)
    with db.session() as s:
        view = year_view(s, s.get(Project, ids[0]).year)
    first, second = view["adopted"]
    assert (first["grade"], second["grade"]) == ("satisfied", "satisfied")
    assert first["votes"]["evaluation"]["counts"] == {"satisfied": 20, "basically_satisfied": 8, "dissatisfied": 1}
    assert second["votes"]["evaluation"]["rates"]["combined"]["percent"] == "96.6"  # 28/29
    assert view["phase"] == "done"


def test_merging_keeps_one_step_links_and_editing_a_candidate_frees_its_proposals(app, db):
    with app.app_context(), db.transaction() as s:
        year_id = create_year(s, 2026).id
        set_collecting(s, year_id, True)
        base = {"description": "d", "category": "housing", "proposer_name": "王", "proposer_contact": "1"}
        a, b, c = (submit_proposal(s, year_id, {**base, "title": t}).id for t in "ABC")
        merge_proposal(s, c, b)
        merge_proposal(s, b, a)  # C followed B into A
        assert s.get(Proposal, c).merged_into_id == a
        project_id = create_candidate(s, year_id, candidate("项目"), [a]).id
        assert s.get(Proposal, a).status == "candidate"
    with app.app_context(), pytest.raises(ActionError) as merged, db.transaction() as s:
        create_candidate(s, year_id, candidate("另一个"), [b])  # merged: it speaks through A
    assert merged.value.code == "proposal_unavailable"
    with app.app_context(), db.transaction() as s:
        update_candidate(s, project_id, candidate("项目"), [])
        assert s.get(Proposal, a).status == "new" and s.get(Proposal, a).project_id is None
        assert [p.title for p in s.scalars(select(Project))] == ["项目"]  # the refused one was rolled back


def test_the_export_keeps_text_as_text(app, db):
    with app.app_context(), db.transaction() as s:
        year_id = create_year(s, 2026).id
        create_candidate(s, year_id, {**candidate("=HYPERLINK(\"http://evil\")"), "description": "+1 -1 @x"})
        header, rows = candidate_table(s, year_id)
    assert rows[0][1] == '=HYPERLINK("http://evil")'  # the table keeps the title as typed...
    assert "'=HYPERLINK" in to_csv(header, rows).decode("utf-8-sig")  # ...and the files quote it
    sheet = load_workbook(io.BytesIO(to_xlsx(header, rows, "2026"))).active
    assert sheet["B2"].value.startswith("'=") and sheet["B2"].data_type == "s" and sheet["D2"].value == "'+1 -1 @x"
    assert json.dumps(header, ensure_ascii=False).startswith('["序号"')
