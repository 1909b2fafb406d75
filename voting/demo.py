"""Demo data for `voting run --demo`: a city people's congress (300 deputies in 12
delegations), its standing committee (45 members), a meeting of each, and a
clerk and a chair account.

Loading is idempotent: a second run finds the congress by name and changes
nothing. The demo passwords and one deputy's login code are kept in the instance
folder (demo.json, private to this user) so every run prints the same ones.
Names are generated from fixed lists with a fixed seed: the same people every time.
"""
from __future__ import annotations

import json
import os
import random
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

CITY = "云州市"
CONGRESS_NAME = f"{CITY}第十八届人民代表大会"
COMMITTEE_NAME = f"{CITY}第十八届人民代表大会常务委员会"
CONGRESS_MEETING = f"{CITY}第十八届人民代表大会第三次会议"
COMMITTEE_MEETING = f"{CITY}第十八届人大常委会第二十次会议"
TERM = 18
# Delegations (代表团) are named after the city's districts and counties; sizes
# differ as they do in a real congress, and add up to 300.
DELEGATIONS = [
    ("东湖区代表团", 34), ("西城区代表团", 31), ("南山区代表团", 29), ("北塘区代表团", 28),
    ("青山区代表团", 27), ("白沙区代表团", 26), ("新港区代表团", 25), ("高新区代表团", 24),
    ("临江县代表团", 22), ("枫林县代表团", 20), ("石门县代表团", 18), ("安平县代表团", 16),
]
COMMITTEE_GROUPS = ["第一组", "第二组", "第三组", "第四组"]
COMMITTEE_SIZE = 45
# Common surnames, the most frequent first and repeated so they come up more often.
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
    "袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷"
    "侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Given names as people are really named: common two-character names and some single ones.
GIVEN = (
    "建国 建华 建军 建平 国强 国庆 国华 志强 志刚 志明 志华 永刚 永红 永明 德明 德华 卫东 卫国 "
    "红梅 红霞 海燕 海波 海涛 晓东 晓明 晓燕 晓红 文静 文华 文斌 秀英 秀兰 秀珍 桂英 桂兰 玉兰 "
    "玉梅 丽华 丽娟 丽萍 春燕 春梅 美玲 淑珍 凤英 金花 立新 立军 振华 振国 光明 光辉 学军 学明 "
    "宏伟 宏亮 俊杰 俊峰 子豪 浩然 思远 明轩 雨涵 欣怡 梓涵 诗琪 佳怡 婉婷 慧敏 晓丽 雪梅 静怡 "
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 平 刚 辉 鹏 斌 峰 琳 婷 颖 宁 波 青 燕"
).split()
DEMO_FILE = "demo.json"


@dataclass
class DemoInfo:
    """What `voting run --demo` prints. A password is None when the account existed before the demo."""

    clerk_username: str
    clerk_password: str | None
    chair_username: str
    chair_password: str | None
    representative_name: str | None
    login_code: str | None


def demo_names(count: int, seed: int = TERM) -> list[str]:
    """`count` distinct Chinese names (surname + given name), the same for the same seed."""
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def congress_rows() -> list[dict[str, str]]:
    """The congress roster as import rows: 姓名, 代表证号 (0001...), 代表团."""
    names = iter(demo_names(sum(size for _, size in DELEGATIONS)))
    rows = []
    number = 0
    for delegation, size in DELEGATIONS:
        for _ in range(size):
            number += 1
            rows.append({"姓名": next(names), "代表证号": f"{number:04d}", "代表团": delegation})
    return rows


def committee_rows(congress: list[dict[str, str]]) -> list[dict[str, str]]:
    """45 committee members, drawn from the deputies as in life, spread over four groups."""
    chosen = random.Random(TERM * 2).sample(congress, COMMITTEE_SIZE)
    return [
        {"姓名": row["姓名"], "代表证号": f"CW{i + 1:02d}", "代表团": COMMITTEE_GROUPS[i % len(COMMITTEE_GROUPS)]}
        for i, row in enumerate(chosen)
    ]


def _read_state(path: Path) -> dict:
    """The kept demo secrets, or {} before the first run."""
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write_state(path: Path, state: dict) -> None:
    """Write demo.json readable by this user only, atomically."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(state, f, ensure_ascii=False, indent=2)
    tmp.replace(path)


def _ensure_account(session: Session, state: dict, username: str, role: str, display_name: str) -> str | None:
    """Create the demo account on first run; return its password if we know it still works, else None."""
    from voting.actions.accounts import authenticate, create_user
    from voting.storage.models import User

    key = f"{username}_password"
    if session.scalar(select(User.id).where(User.username == username)) is None:
        state[key] = secrets.token_urlsafe(9)  # 12 characters, easy enough to type in a demo
        create_user(session, username, state[key], role, display_name)
        return state[key]
    # Never reset a password we did not set: the instance may hold a real account by this name.
    password = state.get(key)
    return password if password and authenticate(session, username, password) else None


def load_demo(app: Flask) -> DemoInfo:
    """Create the demo bodies, rosters, meetings and accounts unless they exist; return what to print."""
    from voting.actions.bodies import create_body
    from voting.actions.meetings import create_meeting
    from voting.actions.roster_import import import_roster
    from voting.storage.models import Body

    state_path = Path(app.instance_path) / DEMO_FILE
    state = _read_state(state_path)
    db = app.extensions["voting.db"]
    with app.app_context(), db.transaction() as session:
        exists = session.scalar(
            select(Body.id).where(Body.name == CONGRESS_NAME, Body.kind == "people_congress")
        )
        if exists is None:
            rows = congress_rows()
            congress = create_body(session, CONGRESS_NAME, "people_congress", TERM, [d for d, _ in DELEGATIONS])
            created = import_roster(session, congress, rows).created
            committee = create_body(session, COMMITTEE_NAME, "standing_committee", TERM, COMMITTEE_GROUPS)
            import_roster(session, committee, committee_rows(rows))
            create_meeting(session, congress.id, CONGRESS_MEETING, date.today(), "市人民大会堂")
            create_meeting(session, committee.id, COMMITTEE_MEETING, date.today(), "市人大常委会第一会议室")
            representative, login_code = created[0]
            state["representative_name"] = representative.name
            state["login_code"] = login_code
        clerk_password = _ensure_account(session, state, "clerk", "clerk", "会务组")
        chair_password = _ensure_account(session, state, "chair", "chair", "主持人")
        # Kept before the commit: if the commit fails, the next run starts over and rewrites it.
        _write_state(state_path, state)
    return DemoInfo(
        clerk_username="clerk",
        clerk_password=clerk_password,
        chair_username="chair",
        chair_password=chair_password,
        representative_name=state.get("representative_name"),
        login_code=state.get("login_code"),
    )
