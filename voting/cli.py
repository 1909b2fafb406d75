"""The `voting` command: run the stack, migrate, manage accounts, import a roster.

Every command builds the app from the environment (VOTING_INSTANCE, DATABASE_URL,
REDIS_URL), so the CLI, the web processes and the workers see the same settings.
"""
from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

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


@main.command("import-roster")
@click.argument("body_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN", show_default=True,
              help="Language of the summary and the row errors.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--codes-file", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write the new people's login codes here (CSV: number,name,login_code); shown nowhere else.")
def import_roster_command(body_id: int, file: Path, lang: str, dry_run: bool, codes_file: Path | None) -> None:
    """Import a roster (CSV in UTF-8 or GBK, or .xlsx) into body BODY_ID, all or nothing.

    Prints the summary, or every bad row and exits with status 1.
    """
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from voting.actions.bodies import get_body
    from voting.actions.errors import ActionError
    from voting.actions.roster_import import import_roster, invalid_roster_error, preview_roster, read_roster_file

    app = _app()
    with app.app_context(), force_locale(lang):
        try:
            rows = read_roster_file(file.name, file.read_bytes())
            if dry_run:
                with app.extensions["voting.db"].session() as session:
                    preview = preview_roster(session, get_body(session, body_id), rows)
                if not preview.is_valid:
                    raise invalid_roster_error(preview.errors)
                click.echo(_(
                    "Would add %(created)d, update %(updated)d, leave %(unchanged)d unchanged "
                    "(dry run: nothing was written).",
                    created=len(preview.to_create), updated=len(preview.to_update), unchanged=preview.unchanged,
                ))
                return
            with app.extensions["voting.db"].transaction() as session:
                result = import_roster(session, get_body(session, body_id), rows)
                codes = [(rep.number, rep.name, code) for rep, code in result.created]
                if codes_file is not None and codes:
                    # Before the commit: if the codes cannot be saved, no one is imported.
                    _write_codes(codes_file, codes)
        except ActionError as error:
            click.echo(error.message, err=True)
            for row in (error.details or {}).get("rows", []):
                click.echo("  " + _row_line(row), err=True)
            sys.exit(1)
        except OSError as error:  # the codes file could not be written; the import was rolled back
            raise click.ClickException(str(error)) from None
        click.echo(result.summary())
        if codes_file is not None and codes:
            click.echo(_("%(n)d login codes written to %(path)s.", n=len(codes), path=codes_file))
        elif codes:
            click.echo(_("%(n)d new login codes were not saved (use --codes-file); reissue the cards to get new ones.",
                         n=len(codes)))


def _write_codes(path: Path, codes: list[tuple[str, str, str]]) -> None:
    """Save login codes as CSV (UTF-8 with BOM, so Excel shows the names); they are secrets: mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([("number", "name", "login_code"), *codes])


def _row_line(row: dict) -> str:
    """A row error from ActionError.details as one terminal line (already translated)."""
    from voting.actions.roster_import import RowError

    return RowError(row["row"], row["field"], row["code"], row["message"]).as_line()


from voting.cli_certificates import audit, verify  # noqa: E402  (issue 6: certificates)

main.add_command(verify)
main.add_command(audit)


def register_commands(app: Flask) -> None:
    """Nothing app-bound yet: the commands build their own app."""
