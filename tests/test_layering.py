"""Imports go one way (STYLE.md): domain/ imports nothing of the stack, realtime/ nothing of what uses it."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import voting.domain
import voting.realtime

DOMAIN = Path(voting.domain.__file__).parent
REALTIME = Path(voting.realtime.__file__).parent


def foreign_imports(source: str, package: str = "voting.domain") -> list[str]:
    """Modules imported by `source` (a module inside `package`) that are neither stdlib nor `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # A relative import stays inside the package only one level up (from . import x).
                names = [] if node.level == 1 else ["." * node.level + (node.module or node.names[0].name)]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if name == package or name.startswith(package + ".") or top in sys.stdlib_module_names:
                continue
            found.append(name)
    return found


def test_domain_modules_import_only_the_standard_library():
    """Every module under voting/domain/ (one home of the counting rules) stays pure."""
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) >= 5  # __init__, bodies, roster, ballots, tally, outcomes, rates...
    offenders = {
        str(path.relative_to(DOMAIN)): bad
        for path in modules
        if (bad := foreign_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_realtime_modules_import_no_use_case_storage_or_page():
    """voting/realtime/ moves payloads it is given (web → actions → realtime): of voting, only itself and domain/."""
    offenders = {
        str(path.relative_to(REALTIME)): bad
        for path in sorted(REALTIME.rglob("*.py"))
        if (bad := [
            name for name in foreign_imports(path.read_text(encoding="utf-8"), "voting.realtime")
            if name.split(".")[0] == "voting" and not name.startswith("voting.domain")
        ])
    }
    assert offenders == {}


def test_the_checker_catches_stack_imports():
    """The check itself can fail: Flask, SQLAlchemy, the rest of voting, or an escaping relative import."""
    source = (
        "import json\nfrom fractions import Fraction\nfrom voting.domain.bodies import quorum\nfrom . import roster\n"
        "import flask\nfrom sqlalchemy.orm import Session\nfrom voting.storage import models\nimport voting\n"
        "from .. import web\n"
    )
    assert foreign_imports(source) == ["flask", "sqlalchemy.orm", "voting.storage", "voting", "..web"]
