"""Closed ballots of every kind, made the way the hall makes them: a clerk and phones on the HTTP API.

`close_ballot_of(app, client, auth, kind)` returns a `Closed` with the hall, the
ballot's id and the counts the test can expect on the certificate.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.hall import Hall, make_hall, nonce
from voting.jobs import make_worker

PLANS = {
    # domain-rules §5.4 5-A: N=35, 实到 28, 赞成 17 反对 5 弃权 4 未按 2 → 未通过
    "motion": dict(
        size=35, present=28, items=["关于批准2025年市级预算调整方案的决议（草案）"], rules={},
        votes=[["yes"]] * 17 + [["no"]] * 5 + [["abstain"]] * 4,
    ),
    # Two seats among three projects, per-item 赞成/反对/弃权 over 应到 9.
    "selection": dict(
        size=9, present=9, items=["学校扩容", "老旧小区改造", "社区食堂"], rules={"seats": 2},
        votes=[["yes", "yes", "no"]] * 6 + [["yes", "no", "yes"]] * 2 + [["abstain", "yes", "no"]],
    ),
    # domain-rules §4.9 4-A: S14 B11 U3 → 基本满意 (tiered), 实到 29.
    "satisfaction": dict(
        size=35, present=29, items=["县政府关于生态环境保护工作情况的报告"], rules={},
        votes=[["satisfied"]] * 14 + [["basically_satisfied"]] * 11 + [["dissatisfied"]] * 3,
    ),
}


@dataclass
class Closed:
    """A ballot closed through the API."""

    hall: Hall
    ballot_id: int
    item_ids: list[int]
    kind: str


def close_ballot_of(app, client, auth, kind: str = "motion", hall: Hall | None = None, title: str | None = None) -> Closed:
    """Create, open, vote on (by phone) and close a ballot of `kind` as planned in PLANS."""
    plan = PLANS[kind]
    hall = hall or make_hall(app, plan["size"], present=plan["present"])
    response = client.post(
        f"/api/v1/meetings/{hall.meeting_id}/ballots",
        json={"kind": kind, "title": title or plan["items"][0], "items": [{"title": t} for t in plan["items"]],
              "rules": plan["rules"]},
        headers=auth,
    )
    assert response.status_code == 201, response.json
    ballot = response.json
    item_ids = [item["id"] for item in ballot["items"]]
    assert client.post(f"/api/v1/ballots/{ballot['id']}/open", headers=auth).status_code == 200
    for member, choices in zip(hall.present, plan["votes"]):
        sent = client.post(
            f"/api/v1/ballots/{ballot['id']}/votes",
            json={"choices": {str(i): c for i, c in zip(item_ids, choices)}, "nonce": nonce()},
            headers=member.headers,
        )
        assert sent.status_code == 201, sent.json
    closed = client.post(f"/api/v1/ballots/{ballot['id']}/close", headers=auth)
    assert closed.status_code == 200, closed.json
    return Closed(hall, ballot["id"], item_ids, kind)


def run_worker(app) -> bool:
    """A real forking RQ worker in burst mode on the app's queues; returns whether it did anything."""
    return make_worker(app).work(burst=True)


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler's pdftotext extracts it (what a search or a screen reader finds)."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
