"""The demo data of `voting run --demo`: the promised sizes, loaded once however often it runs."""
from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import func, select

from voting.actions.accounts import authenticate, create_user, hash_secret
from voting.demo import congress_rows, committee_rows, demo_names, load_demo
from voting.storage.models import Body, Meeting, Representative, User


def test_demo_names_are_distinct_chinese_names_and_the_same_every_time():
    names = demo_names(300)
    assert len(set(names)) == 300 and names == demo_names(300)
    assert all(2 <= len(name) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in name) for name in names)


def test_demo_rosters_have_the_promised_shape():
    congress = congress_rows()
    assert len(congress) == 300
    assert len({row["代表证号"] for row in congress}) == 300
    assert len(Counter(row["代表团"] for row in congress)) == 12
    committee = committee_rows(congress)
    assert len(committee) == 45 and len({row["代表证号"] for row in committee}) == 45
    # committee members are deputies of the congress, as in life
    assert {row["姓名"] for row in committee} <= {row["姓名"] for row in congress}


def _counts(db):
    with db.session() as s:
        return {
            "bodies": s.scalar(select(func.count()).select_from(Body)),
            "representatives": dict(
                s.execute(select(Body.kind, func.count()).join(Representative.body).group_by(Body.kind)).all()
            ),
            "meetings": s.scalar(select(func.count()).select_from(Meeting)),
            "users": sorted(s.scalars(select(User.role))),
        }


def test_load_demo_twice_changes_nothing_and_tells_the_same_secrets(app, db):
    first = load_demo(app)
    counts = _counts(db)
    assert counts == {
        "bodies": 2,
        "representatives": {"people_congress": 300, "standing_committee": 45},
        "meetings": 2,
        "users": ["chair", "clerk"],
    }
    second = load_demo(app)
    assert _counts(db) == counts
    assert second == first
    with app.app_context(), db.transaction() as s:
        assert authenticate(s, "clerk", first.clerk_password).role == "clerk"
        assert authenticate(s, "chair", first.chair_password).role == "chair"
        rep = s.scalar(select(Representative).where(Representative.login_code_hash == hash_secret(first.login_code)))
        assert rep.name == first.representative_name
    state = app.instance_path + "/demo.json"
    assert json.load(open(state))["clerk_password"] == first.clerk_password


def test_load_demo_never_resets_an_existing_accounts_password(app, db):
    with app.app_context(), db.transaction() as s:
        create_user(s, "clerk", "the real clerk password", "clerk")
    info = load_demo(app)
    assert info.clerk_password is None and info.chair_password
    with app.app_context(), db.session() as s:
        assert authenticate(s, "clerk", "the real clerk password") is not None
