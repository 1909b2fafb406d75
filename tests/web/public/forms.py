"""Filling in the public proposal form like a person: read the sum and the hidden fields, answer, post."""
from __future__ import annotations

import html
import re

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TOKEN = re.compile(r'name="challenge" value="([^"]+)"')
_SUM = re.compile(r"(\d+) \+ (\d+)")

GOOD = {
    "title": "东门老旧小区加装电梯",
    "category": "housing",
    "description": "东门片区有12栋六层住宅没有电梯，老人上下楼困难，希望统一加装。",
    "place": "城关镇东门社区",
    "estimated_cost": "360",
    "proposer_name": "王小明",
    "proposer_contact": "13800001111",
}


def text(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def read_form(page: str) -> dict:
    """The form's hidden values and the answer to its sum."""
    a, b = (int(x) for x in _SUM.search(html.unescape(page)).groups())
    return {"csrf_token": _CSRF.search(page).group(1), "challenge": _TOKEN.search(page).group(1), "answer": str(a + b)}


def propose(client, fields: dict, address: str = "10.0.0.1", answer: str | None = None, **extra):
    """Open the form from `address`, answer the sum (or give `answer`), send `fields`; returns the POST's response."""
    page = client.get("/public/propose", environ_base={"REMOTE_ADDR": address})
    assert page.status_code == 200, text(page)
    hidden = read_form(text(page))
    if answer is not None:
        hidden["answer"] = answer
    return client.post("/public/propose", data={**hidden, **fields, **extra}, environ_base={"REMOTE_ADDR": address})
