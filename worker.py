"""The RQ worker entry: build the app for the worker role, then work.

Run it on any host that reaches the same DATABASE_URL and REDIS_URL as the web
processes (`python worker.py`, or `voting worker`).
"""
from voting import create_app
from voting.jobs import run_worker

if __name__ == "__main__":
    run_worker(create_app(role="worker"))
