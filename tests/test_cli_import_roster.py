"""`voting import-roster BODY_ID FILE` as an operator runs it: a real process on the test's database."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voting.actions.bodies import create_body

REPO_ROOT = Path(__file__).resolve().parent.parent
GOOD = "姓名,代表证号,代表团\n张三,10001,城东代表团\n李四,10002,\n"


def import_roster(app_config, *args: str) -> subprocess.CompletedProcess:
    """Run `voting import-roster ARGS` with the test's database and Redis in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["VOTING_INSTANCE"] = str(app_config["instance_path"])
    env["REDIS_URL"] = app_config["redis_url"]
    if app_config["database_url"]:
        env["DATABASE_URL"] = app_config["database_url"]
    return subprocess.run(
        [sys.executable, "-m", "voting", "import-roster", *args],
        env=env, capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
    )


@pytest.fixture
def body_id(app, db):
    with app.app_context(), db.transaction() as s:
        return create_body(s, "某市人大", "people_congress", 16, ["城东代表团"]).id


def test_imports_a_gbk_file_and_saves_the_codes_privately(app_config, body_id, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_bytes(GOOD.encode("gbk"))
    codes = tmp_path / "codes.csv"
    result = import_roster(app_config, str(body_id), str(roster), "--codes-file", str(codes))
    assert result.returncode == 0, result.stderr
    assert "导入完成：新增 2 人，更新 0 人，0 人无变化。" in result.stdout
    assert oct(codes.stat().st_mode & 0o777) == "0o600"
    with codes.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["number"], r["name"]) for r in rows] == [("10001", "张三"), ("10002", "李四")]
    assert all(len(r["login_code"]) >= 32 for r in rows)

    again = import_roster(app_config, str(body_id), str(roster), "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "Imported: 0 added, 0 updated, 2 unchanged." in again.stdout


def test_bad_rows_are_listed_and_the_exit_status_is_1(app_config, body_id, tmp_path, db):
    roster = tmp_path / "名单.csv"
    roster.write_text(GOOD + ",10003,火星代表团\n", encoding="utf-8")
    result = import_roster(app_config, str(body_id), str(roster))
    assert result.returncode == 1
    assert "名单中有 2 处错误，未导入任何人员。" in result.stderr
    assert "第 4 行，姓名：缺少姓名。" in result.stderr
    assert "第 4 行，代表团：代表团“火星代表团”不在本机构的代表团名单中。" in result.stderr
    dry = import_roster(app_config, str(body_id), str(tmp_path / "名单.csv"), "--dry-run", "--lang", "en")
    assert dry.returncode == 1 and "Row 4, Name: The name is missing." in dry.stderr

    from sqlalchemy import func, select

    from voting.storage.models import Representative

    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Representative)) == 0


def test_an_unknown_body_or_file_type_fails_cleanly(app_config, body_id, tmp_path):
    roster = tmp_path / "名单.pdf"
    roster.write_bytes(b"%PDF-1.4")
    result = import_roster(app_config, str(body_id), str(roster))
    assert result.returncode == 1 and "请上传 CSV 或 Excel（.xlsx）文件。" in result.stderr
    (tmp_path / "名单.csv").write_text(GOOD, encoding="utf-8")
    result = import_roster(app_config, "999", str(tmp_path / "名单.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
