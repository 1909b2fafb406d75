"""How long a 3,000-person roster takes to import, on SQLite and on PostgreSQL.

    .venv/bin/python bench/import_roster.py [--rows 3000] [--pg postgresql://postgres@127.0.0.1:5432/test]

For each database it times: reading a GBK CSV, the preview, the first import
(3,000 new people with login codes) and a re-import that changes every name
(3,000 updates). SQLite lives in a temporary folder; on PostgreSQL the script
creates its own database (voting_bench_<random>) next to the one in DATABASE_URL
(or --pg) and drops it at the end. "--pg ''" skips PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voting import create_app  # noqa: E402
from voting.actions.bodies import create_body, get_body  # noqa: E402
from voting.actions.roster_import import import_roster, preview_roster, read_roster_file  # noqa: E402
from voting.embedded_redis import stop_embedded_redis  # noqa: E402
from voting.storage.migrate import upgrade  # noqa: E402

GROUPS = [f"第{i}代表团" for i in range(1, 13)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def roster_csv(rows: int, suffix: str = "") -> bytes:
    """A GBK roster of `rows` people in 12 delegations, as a Chinese office would export it."""
    lines = ["姓名,代表证号,代表团,状态"]
    for i in range(rows):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[i % len(GIVEN)] + suffix
        lines.append(f"{name},{160000 + i},{GROUPS[i % len(GROUPS)]},{'暂停' if i % 97 == 0 else '在任'}")
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def timed(label: str, results: list, function, *args):
    """Run function(*args), remember how long it took, return its value."""
    started = time.perf_counter()
    value = function(*args)
    results.append((label, time.perf_counter() - started))
    return value


def bench(database_url: str | None, instance: Path, rows: int) -> list[tuple[str, float]]:
    """Times for one database (None: SQLite in the instance folder)."""
    instance.mkdir(parents=True)
    upgrade(database_url or f"sqlite:///{instance / 'voting.db'}")
    app = create_app({"instance_path": instance, "database_url": database_url, "testing": True,
                      "SOCKETIO_ASYNC_MODE": "threading"})
    db = app.extensions["voting.db"]
    results: list[tuple[str, float]] = []
    try:
        with app.test_request_context("/"):
            with db.transaction() as s:
                body_id = create_body(s, "某市第十六届人民代表大会", "people_congress", 16, GROUPS).id
            data = roster_csv(rows)
            parsed = timed("read GBK CSV", results, read_roster_file, "名单.csv", data)

            def preview():
                with db.session() as s:
                    return preview_roster(s, get_body(s, body_id), parsed)

            def run(rows_to_import):
                with db.transaction() as s:
                    return import_roster(s, get_body(s, body_id), rows_to_import)

            assert len(timed("preview (all new)", results, preview).to_create) == rows
            assert len(timed("import (all new)", results, run, parsed).created) == rows
            changed = read_roster_file("名单.csv", roster_csv(rows, suffix="甲"))
            assert len(timed("re-import (all updated)", results, run, changed).updated) == rows
            assert timed("re-import (unchanged)", results, run, changed).unchanged == rows
    finally:
        db.dispose()
        stop_embedded_redis(instance / "redis")
    return results


def main() -> int:
    """Run the benchmark on each database and print the seconds."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()

    runs: dict[str, list[tuple[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="voting-bench-") as folder:
        runs["SQLite"] = bench(None, Path(folder) / "sqlite", args.rows)
        if args.pg:
            admin_url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
            name = f"voting_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                runs["PostgreSQL"] = bench(admin_url.rsplit("/", 1)[0] + "/" + name, Path(folder) / "pg", args.rows)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

    print(f"roster import, {args.rows} rows (seconds)")
    labels = [label for label, _s in next(iter(runs.values()))]
    print(f"{'':28}" + "".join(f"{db:>12}" for db in runs))
    for i, label in enumerate(labels):
        print(f"{label:28}" + "".join(f"{runs[db][i][1]:12.3f}" for db in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
