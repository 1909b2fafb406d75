"""`voting run`: everything a meeting needs, in one command, on one machine.

A small supervisor: it resolves the settings, starts the embedded Redis when
REDIS_URL is unset, applies the migrations, loads the demo data if asked, then
starts ONE web server process and ONE RQ worker process and watches them. Ctrl-C
or SIGTERM stops the children and the embedded Redis; a child that dies stops
everything with a non-zero exit, so a service manager notices and restarts it.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import click
import psutil

HEALTH_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15  # the worker finishes its current job first (warm shutdown)
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


class _Stop(Exception):
    """Raised by the signal handler: Ctrl-C or SIGTERM asked us to stop."""


class StartupError(Exception):
    """The stack could not start; the message says why."""


@dataclass
class Child:
    """One supervised process."""

    label: str
    process: subprocess.Popen


def _die_with_parent() -> None:
    """In the child before exec: receive SIGTERM if the supervisor itself is killed (Linux only)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: the supervisor still stops its children on every ordinary exit


def _become_subreaper() -> None:
    """Adopt our children's orphans (Linux): what a dying worker leaves behind is ours to end."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1)
    except OSError:
        pass


def _port_is_free(host: str, port: int) -> bool:
    """Whether we can listen on host:port right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _lan_address() -> str | None:
    """This machine's address on the local network (what phones in the hall would use), if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # UDP connect sends nothing; it only picks a route
            return s.getsockname()[0]
        except OSError:
            return None


def _base_url(host: str, port: int) -> str:
    """The address to print: a wildcard host is shown as the LAN address."""
    if host in ("0.0.0.0", "::", ""):
        host = _lan_address() or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _probe_url(host: str, port: int) -> str:
    """Where the supervisor asks /healthz: loopback when listening on every interface."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def _start_child(label: str, args: list[str], env: dict[str, str]) -> Child:
    """Start `python args...` in its own session: Ctrl-C reaches only the supervisor,
    which then stops the children in order."""
    process = subprocess.Popen(
        [sys.executable, *args], env=env, start_new_session=True, preexec_fn=_die_with_parent
    )
    return Child(label, process)


def _wait_healthy(url: str, children: list[Child], timeout: float) -> None:
    """Poll /healthz until it answers 200; raise StartupError if a child dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children:
            if child.process.poll() is not None:
                raise StartupError(f"{child.label} exited with code {child.process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise StartupError(f"the web server did not answer {url} within {timeout:.0f} s")


def _group_members(pgid: int) -> list[psutil.Process]:
    """Live (not zombie) processes of process group `pgid`."""
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                members.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return members


def _stop_children(children: list[Child]) -> None:
    """SIGTERM every child, wait for each, SIGKILL whatever is still running after the timeout;
    then end whatever each child left behind in its process group."""
    for child in children:
        if child.process.poll() is None:
            # The child only, not its group: RQ's warm shutdown lets the job in
            # hand finish in its work horse, then stops its scheduler itself.
            child.process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()
    # A worker that was killed leaves its RQ scheduler and work horse orphaned. They
    # hold its Redis connections (one in a blocking pop that would swallow the next
    # job) and its scheduler lock: they must not outlive it. As the subreaper we
    # inherited them; without that (not Linux) the scheduler is still in its group.
    leftovers = {p.pid: p for p in psutil.Process().children(recursive=True)}
    for child in children:
        leftovers.update((p.pid, p) for p in _group_members(child.process.pid))
    for process in leftovers.values():
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _gone, alive = psutil.wait_procs(list(leftovers.values()), timeout=5)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def run_stack(host: str, port: int, demo: bool, echo: Callable[..., None] = click.echo) -> int:
    """Run the whole stack until stopped. Returns the exit status (0 after Ctrl-C/SIGTERM)."""
    from voting.config import Settings
    from voting.embedded_redis import start_embedded_redis, stop_embedded_redis

    def on_signal(signum, _frame):  # noqa: ANN001
        raise _Stop(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    settings = Settings.from_env()
    redis_folder: Path | None = None
    children: list[Child] = []
    app = None
    status = 0
    try:
        if not _port_is_free(host, port):
            raise StartupError(f"port {port} on {host} is in use: stop what holds it or pass --port")
        settings.ensure_instance()
        env = dict(os.environ, VOTING_INSTANCE=str(settings.instance_path), PYTHONUNBUFFERED="1")
        if not settings.redis_url:
            # One embedded server for every process of the stack, handed down by URL.
            redis_folder = settings.instance_path / "redis"
            env["REDIS_URL"] = os.environ["REDIS_URL"] = start_embedded_redis(redis_folder)

        from voting import create_app
        from voting.storage.migrate import upgrade

        app = create_app(role="worker")
        upgrade(app.config["DATABASE_URL"])
        info = None
        if demo:
            from voting.demo import load_demo

            info = load_demo(app)
        app.extensions["voting.db"].dispose()  # the children open their own connections

        # After the embedded Redis has daemonized (it is not a child to adopt).
        _become_subreaper()
        children.append(_start_child("web server", ["-m", "voting.serve", "--host", host, "--port", str(port)], env))
        children.append(_start_child("worker", ["-m", "voting", "worker"], env))
        _wait_healthy(_probe_url(host, port), children, HEALTH_TIMEOUT_SECONDS)
        with app.app_context():
            _print_addresses(echo, app, _base_url(host, port), info)

        while True:
            for child in children:
                code = child.process.poll()
                if code is not None:
                    echo(f"voting: the {child.label} exited with code {code}; stopping everything", err=True)
                    status = 1
                    raise _Stop()
            time.sleep(0.5)
    except _Stop:
        pass
    except StartupError as error:
        echo(f"voting: {error}", err=True)
        status = 1
    finally:
        # A second Ctrl-C must not interrupt the clean-up half way.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        _stop_children(children)
        if app is not None:
            app.extensions["voting.db"].dispose()
        if redis_folder is not None:
            stop_embedded_redis(redis_folder)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if status == 0:
        echo("voting: stopped")
    return status


def _print_addresses(echo: Callable[..., None], app, base: str, info) -> None:  # noqa: ANN001
    """Tell the operator where to go: the console, the public address, the API document, demo logins."""
    from flask_babel import gettext as _

    public = app.config.get("VOTING_PUBLIC_URL") or base
    lines = [
        "",
        _("voting is running. Press Ctrl-C to stop."),
        f"  {_('Clerk console')}: {base}/admin/",
        f"  {_('Public address (phones, QR codes)')}: {public}/",
        f"  {_('API document')}: {base}/api/v1/openapi.json",
    ]
    if info is not None:
        unknown = _("(an existing account: its password is unchanged)")
        lines += [
            "",
            f"  {_('Demo clerk login')}: {info.clerk_username} / {info.clerk_password or unknown}",
            f"  {_('Demo chair login')}: {info.chair_username} / {info.chair_password or unknown}",
        ]
        if info.login_code:
            lines.append(
                f"  {_('Phone login link of %(name)s', name=info.representative_name)}: {public}/r/{info.login_code}"
            )
    lines.append("")
    echo("\n".join(lines))
