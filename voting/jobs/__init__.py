"""RQ: the one place that knows queue names, the Redis connection, the serializer
and how a worker runs jobs inside the app.

Jobs are enqueued by dotted name with ids as arguments (never ORM objects), after
the rows they read are committed; they re-read those rows and are safe to run
twice. Exceptions are left to reach RQ, so its retries and failed-job registry work.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.serializers import JSONSerializer

QUEUE_CERTIFY = "certify"  # sealing a ballot's result: the hall waits for it
QUEUE_DEFAULT = "default"
QUEUE_RENDER = "render"  # QR cards and PDFs: slow, nobody is blocked on them
# A worker drains the queues in this order, so a long render never delays a result.
QUEUES = (QUEUE_CERTIFY, QUEUE_DEFAULT, QUEUE_RENDER)


def redis_connection(app: Flask) -> Redis:
    """A Redis client for the app's REDIS_URL (the embedded server or a real one)."""
    return Redis.from_url(app.config["REDIS_URL"])


def get_queue(app: Flask, name: str = QUEUE_DEFAULT) -> Queue:
    """The named queue, with the JSON serializer (jobs take ids and plain values only)."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=redis_connection(app), serializer=JSONSerializer)


def enqueue(app: Flask, func: str, *args: Any, queue: str = QUEUE_DEFAULT, **options: Any):
    """Enqueue `func` (a dotted name such as "voting.jobs.render.render_cards") with plain arguments.

    `options` are RQ's enqueue options (job_id, retry, job_timeout, result_ttl...).
    Call it only after the transaction that wrote the rows the job reads has committed.
    """
    return get_queue(app, queue).enqueue(func, args=args, **options)


class _InAppContext:
    """Runs each job inside the app's context, so jobs reach the database and settings."""

    app: Flask

    def perform_job(self, job, queue, execution):  # noqa: ANN001 (RQ's signature)
        """Perform the job with the app context pushed."""
        with self.app.app_context():
            return super().perform_job(job, queue, execution)


class AppWorker(_InAppContext, Worker):
    """RQ's forking worker: each job runs in a fresh child (a crash or a leak dies with it)."""

    def main_work_horse(self, job, queue):  # noqa: ANN001 (RQ's signature)
        """In the forked child: drop the pooled database connections inherited from the parent first."""
        # Two processes must never talk over one socket; close=False leaves the
        # parent's connections alone and only forgets them here.
        self.app.extensions["voting.db"].engine.dispose(close=False)
        super().main_work_horse(job, queue)


class AppSimpleWorker(_InAppContext, SimpleWorker):
    """A worker that runs jobs in its own process (tests in burst mode)."""


def make_worker(app: Flask, queues: tuple[str, ...] = QUEUES, simple: bool = False) -> Worker:
    """An RQ worker bound to `app` for `queues` (in priority order), with the JSON serializer."""
    cls = AppSimpleWorker if simple else AppWorker
    worker = cls(list(queues), connection=redis_connection(app), serializer=JSONSerializer)
    worker.app = app
    return worker


def run_worker(app: Flask, burst: bool = False) -> bool:
    """Work until stopped (SIGTERM/SIGINT: finish the current job, then exit), or until empty with burst.

    Returns whether any job was performed.
    """
    # The scheduler moves jobs retried with back-off (Retry intervals) back into their queues.
    return make_worker(app).work(burst=burst, logging_level="INFO", with_scheduler=True)
