"""The `voting` command: run the stack, migrate, manage accounts, import a roster.

Every command builds the app from the environment (VOTING_INSTANCE, DATABASE_URL,
REDIS_URL), so the CLI, the web processes and the workers see the same settings.
"""
from __future__ import annotations

import sys

import click
from flask import Flask


def _app(role: str = "worker") -> Flask:
    from voting import create_app

    return create_app(role=role)


@click.group()
def main() -> None:
    """voting: real-time voting for people's congresses (人民代表大会) and standing committees (常委会)."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the Alembic migrations."""
    from voting.storage.migrate import upgrade

    app = _app()
    upgrade(app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@main.group()
def user() -> None:
    """Staff accounts."""


@user.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["clerk", "chair"]), required=True)
@click.option("--display-name", default=None)
def user_create(username: str, role: str, display_name: str | None) -> None:
    """Create a clerk or chair account. The password is asked for, or read from standard input."""
    from voting.actions.accounts import create_user
    from voting.actions.errors import ActionError

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        # One line, so `echo "$PASSWORD" | voting user create ...` works in scripts.
        password = sys.stdin.readline().rstrip("\r\n")
    app = _app()
    with app.app_context():
        try:
            with app.extensions["voting.db"].transaction() as session:
                create_user(session, username, password, role, display_name)
        except ActionError as error:
            raise click.ClickException(error.message) from None
    click.echo(f"created {role} {username}")


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo", is_flag=True, help="Load the demo congress, committee, meetings and accounts (idempotent).")
def run(host: str, port: int, demo: bool) -> None:
    """Start everything a meeting needs: web server with websockets, one worker, and Redis if REDIS_URL is unset."""
    from voting.supervisor import run_stack

    sys.exit(run_stack(host, port, demo))


@main.command("worker")
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker (the same as `python worker.py`): on any host that reaches DATABASE_URL and REDIS_URL."""
    from voting.jobs import run_worker

    run_worker(_app("worker"), burst=burst)


def register_commands(app: Flask) -> None:
    """Nothing app-bound yet: the commands build their own app."""
