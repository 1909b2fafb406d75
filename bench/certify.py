"""How long certifying a 3,000-ballot vote takes, on SQLite and on PostgreSQL (target: under 5 s).

    .venv/bin/python bench/certify.py [--voters 3000] [--pg postgresql://postgres@127.0.0.1:5432/test]

The vote is built through the actions layer as the hall makes it: a 3,000-member
people's congress, everyone checked in, one vote each cast with cast_vote (a
secret ballot box, one transaction per vote), close_ballot. Then the certify_ballot
job runs as the worker runs it (inside the app): recount from the sealed box,
compare, sign, chain, render the PDF, archive it, mark the ballot certified,
announce. Two ballots: a motion (one item) and a 民生实事 selection of 15 projects
for 10 seats (3,000 ballots × 15 choices). "--pg ''" skips PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voting import create_app  # noqa: E402
from voting.actions.ballots import cast_vote, close_ballot, create_ballot, open_ballot  # noqa: E402
from voting.actions.bodies import create_body  # noqa: E402
from voting.actions.certificates.certify import recount  # noqa: E402
from voting.actions.meetings import create_meeting  # noqa: E402
from voting.actions.roster_import import import_roster  # noqa: E402
from voting.embedded_redis import stop_embedded_redis  # noqa: E402
from voting.jobs.certify import certify_ballot  # noqa: E402
from voting.storage.attendance import upsert_attendance  # noqa: E402
from voting.storage.ballots import Ballot  # noqa: E402
from voting.storage.migrate import upgrade  # noqa: E402

PROJECTS = [f"2026年民生实事候选项目{i:02d}" for i in range(1, 16)]


def build_vote(db, voters: int) -> tuple[int, int, float]:
    """A congress of `voters`, all present; a motion and a selection, each voted on by everyone and closed.

    Returns (motion id, selection id, seconds spent casting).
    """
    with db.transaction() as s:
        body = create_body(s, "某市第十六届人民代表大会", "people_congress", 16, [])
        rows = [{"姓名": f"代表{i:05d}", "代表证号": f"{160000 + i}"} for i in range(voters)]
        reps = [rep.id for rep, _code in import_roster(s, body, rows).created]
        meeting = create_meeting(s, body.id, "第十六届人民代表大会第五次会议")
        for rep_id in reps:
            upsert_attendance(s, meeting.id, rep_id, "present", method="desk")
        motion = create_ballot(s, meeting.id, "motion", "关于2025年国民经济和社会发展计划执行情况的决议（草案）",
                               [{"title": "关于2025年国民经济和社会发展计划执行情况的决议（草案）"}])
        selection = create_ballot(s, meeting.id, "selection", "2026年民生实事项目票决",
                                  [{"title": t} for t in PROJECTS], {"seats": 10})
        ids = (motion.id, selection.id)
        items = ([i.id for i in motion.items], [i.id for i in selection.items])
    started = time.perf_counter()
    for ballot_id, item_ids in zip(ids, items):
        with db.transaction() as s:
            open_ballot(s, ballot_id)
        for n, rep_id in enumerate(reps):
            choices = {str(item): ("yes", "no", "abstain", "yes")[(n + k) % 4] for k, item in enumerate(item_ids)}
            with db.transaction() as s:
                cast_vote(s, ballot_id, rep_id, choices, secrets.token_urlsafe(24))
        with db.transaction() as s:
            close_ballot(s, ballot_id)
    return ids[0], ids[1], time.perf_counter() - started


def bench(database_url: str | None, instance: Path, voters: int) -> list[tuple[str, float]]:
    """Times for one database (None: SQLite in the instance folder)."""
    instance.mkdir(parents=True)
    upgrade(database_url or f"sqlite:///{instance / 'voting.db'}")
    app = create_app({"instance_path": instance, "database_url": database_url, "testing": True,
                      "SOCKETIO_ASYNC_MODE": "threading"})
    db = app.extensions["voting.db"]
    results: list[tuple[str, float]] = []
    try:
        with app.test_request_context("/"):
            motion_id, selection_id, casting = build_vote(db, voters)
            results.append((f"casting {2 * voters} votes (setup)", casting))
            for label, ballot_id in (("motion", motion_id), ("selection 15×", selection_id)):
                with db.session() as s:
                    started = time.perf_counter()
                    recount(s, s.get(Ballot, ballot_id))
                    results.append((f"{label}: recount only", time.perf_counter() - started))
                started = time.perf_counter()
                outcome = certify_ballot(ballot_id)
                results.append((f"{label}: certify_ballot job", time.perf_counter() - started))
                assert outcome["new"], outcome
    finally:
        db.dispose()
        stop_embedded_redis(instance / "redis")
    return results


def main() -> int:
    """Run the benchmark on each database and print the seconds."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=3000)
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()

    runs: dict[str, list[tuple[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="voting-bench-") as folder:
        runs["SQLite"] = bench(None, Path(folder) / "sqlite", args.voters)
        if args.pg:
            admin_url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
            name = f"voting_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                runs["PostgreSQL"] = bench(admin_url.rsplit("/", 1)[0] + "/" + name, Path(folder) / "pg", args.voters)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

    print(f"certifying a {args.voters}-ballot vote (seconds)")
    labels = [label for label, _s in next(iter(runs.values()))]
    print(f"{'':34}" + "".join(f"{db:>12}" for db in runs))
    for i, label in enumerate(labels):
        print(f"{label:34}" + "".join(f"{runs[db][i][1]:12.3f}" for db in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
