"""RQ as the worker runs it: a real Redis, a real forking worker in burst mode, the app's database."""
from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import func, select

from voting.actions.bodies import create_body
from voting.jobs import QUEUES, enqueue, get_queue, make_worker
from voting.storage.models import Body


def count_bodies_named(name: str) -> int:
    """A job: reads the database through the app the worker pushed."""
    with current_app.extensions["voting.db"].session() as s:
        return s.scalar(select(func.count()).select_from(Body).where(Body.name == name))


def fail_loudly(message: str) -> None:
    """A job that raises, as a job with a bug would."""
    raise RuntimeError(message)


def _dotted(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def test_a_worker_runs_jobs_inside_the_app_on_its_database(app, db):
    with app.app_context(), db.transaction() as s:
        create_body(s, "测试市人民代表大会", "people_congress")
    job = enqueue(app, _dotted(count_bodies_named), "测试市人民代表大会")
    assert make_worker(app).work(burst=True)
    job.refresh()
    assert job.get_status() == "finished" and job.return_value() == 1


def test_a_failing_job_is_recorded_as_failed_not_swallowed(app):
    job = enqueue(app, _dotted(fail_loudly), "boom", queue="render")
    make_worker(app).work(burst=True)
    job.refresh()
    assert job.get_status() == "failed"
    assert "boom" in job.latest_result().exc_string
    assert job.id in get_queue(app, "render").failed_job_registry.get_job_ids()


def test_the_queues_are_known_and_most_urgent_first(app):
    assert QUEUES == ("certify", "default", "render")
    with pytest.raises(ValueError):
        get_queue(app, "renders")
