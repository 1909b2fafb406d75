"""`voting verify FILE.pdf` (offline, with the public key) and `voting audit` (the whole chain).

Both exit 0 when everything checks out and 1 otherwise, so scripts and cron
jobs can act on them. Output is in the instance's language (zh_CN by default).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The public key (PEM, as /verify/key.pem serves it). Default: this instance's own key.")
def verify(file: Path, key_path: Path | None) -> None:
    """Check a certificate PDF offline: its signed record and the signature over the whole file."""
    from flask_babel import force_locale

    from voting.actions.certificates.verify import verify_offline
    from voting.storage import signing_key

    app = _app()
    with app.app_context(), force_locale(app.extensions["voting.settings"].default_locale):
        if key_path is not None:
            public_key = signing_key.load_public(key_path)
        else:
            from voting.actions.certificates import certificate_store

            store = certificate_store(app)
            if not store.key_path.exists():
                raise click.ClickException("no signing key in this instance; give the public key with --key")
            public_key = store.public_key()
        verdict = verify_offline(file.read_bytes(), public_key)
        label = f"#{verdict.certificate_id}" if verdict.certificate_id else "-"
        click.echo(f"{'VALID' if verdict.valid else 'INVALID'} {label} {verdict.reason}: {verdict.message}")
    sys.exit(0 if verdict.valid else 1)


@click.command("audit")
def audit() -> None:
    """Walk the whole certificate chain from the first link; name the first broken one."""
    from flask_babel import force_locale

    from voting.actions.certificates import certificate_store
    from voting.actions.certificates.verify import audit_chain, reason_message

    app = _app()
    with app.app_context(), force_locale(app.extensions["voting.settings"].default_locale):
        with app.extensions["voting.db"].session() as session:
            report = audit_chain(session, certificate_store(app))
        if report.pending:
            click.echo(f"pending (sealed, PDF not stored yet): {', '.join(f'#{n}' for n in report.pending)}")
        if report.ok:
            click.echo(f"OK: {report.count} certificates, every link holds")
            sys.exit(0)
        click.echo(f"BROKEN at certificate #{report.broken_at}: {report.reason}: {reason_message(report.reason)}")
        sys.exit(1)


def _app():
    """The app as the other commands build it: from the environment, in the worker role."""
    from voting import create_app

    return create_app(role="worker")
