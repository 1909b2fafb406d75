"""The certified result record: what is hashed, signed, chained and printed (domain-rules §8.1, §8.2).

Standard library only. Everything here is a function of plain values, so a
verifier can rebuild and check a record without the rest of the stack.

Interface
---------
- `build_record(...) -> dict`: the canonical record of one closed ballot from
  plain values (the result decided at close, attendance, the ballots' digest,
  times, the chain position). Raises ValueError when the parts disagree (a
  digest or a count of ballots that is not the result's).
- `canonical_json(obj) -> bytes`: sorted keys, no whitespace, UTF-8 kept
  (`json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))`).
  This byte string is what is hashed and signed; the record holds no floats.
- `sha256_hex(data) -> str`: lower-case hex SHA-256.
- `result_differences(stored, recount) -> list[str]`: where two results differ,
  as readable paths ("items[0].counts.yes: 17 ≠ 16"); empty when equal.
- `method_of(rules) -> str`: how the vote was taken, `METHOD_SECRET_ELECTRONIC`
  (无记名按表决器（手机）) or `METHOD_NAMED_ELECTRONIC` (记名按表决器（手机）).
- `Link` and `link_problem(link, previous)`, `head_problem(last, head_sequence,
  head_sha256)`: the checks of one step of the hash chain, for `voting audit`.

What the record never holds (§8.2): anyone's name or id next to a choice. For
a named ballot the names stay in the database (participation rows); the record
keeps counts only, like the secret ones.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

FORMAT = "voting-certificate/1"
SOFTWARE = "voting"

METHOD_SECRET_ELECTRONIC = "electronic_secret"  # 无记名按表决器（手机）
METHOD_NAMED_ELECTRONIC = "electronic_named"  # 记名按表决器（手机）


def canonical_json(obj: Any) -> bytes:
    """The canonical bytes of `obj`: sorted keys, no spaces, UTF-8 (what is hashed and signed)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of `data` as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()


def utc_iso(moment: datetime | None) -> str | None:
    """A naive-UTC datetime as ISO 8601 with a Z ("2025-03-18T01:30:05Z"); None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        raise ValueError("times are naive UTC")
    return moment.isoformat() + "Z"


def method_of(rules: Mapping[str, Any]) -> str:
    """How the vote was taken: by phone (as a keypad, 表决器), secret unless the rules say named."""
    return METHOD_NAMED_ELECTRONIC if rules.get("secret") is False else METHOD_SECRET_ELECTRONIC


def _base_count(rules: Mapping[str, Any], expected: int, present: int) -> int | None:
    """N of the passing rule: 应到 (roster), 实到 (present), or None when it is per item (cast)."""
    return {"roster": expected, "present": present}.get(rules.get("pass_base", "roster"))


def build_record(
    *,
    sequence: int,
    previous_sha256: str | None,
    body: Mapping[str, Any],
    meeting: Mapping[str, Any],
    ballot: Mapping[str, Any],
    result: Mapping[str, Any],
    on_leave: int,
    ballots_count: int,
    ballots_digest: str,
    opened_at: datetime | None,
    closed_at: datetime | None,
    certified_at: datetime,
    software_version: str,
    key_fingerprint: str,
) -> dict[str, Any]:
    """The record of one closed ballot, ready for `canonical_json`.

    `body` {"name", "kind", "term"}; `meeting` {"id", "title", "date" (ISO or None),
    "location"}; `ballot` {"id", "position", "title", "kind"}; `result` is the
    result decided at close (`BallotResult.to_dict()`, with its rules); `on_leave`
    is 请假 frozen at close. `ballots_count` and `ballots_digest` describe the
    stored ballots the result was recounted from. Raises ValueError when the
    result does not belong to these ballots or to this kind of ballot.
    """
    if sequence < 1:
        raise ValueError("certificate sequence numbers start at 1")
    if (sequence == 1) != (previous_sha256 is None):
        raise ValueError("only the first certificate has no predecessor")
    if result.get("kind") != ballot["kind"]:
        raise ValueError("the result belongs to another kind of ballot")
    if result.get("cast") != ballots_count or result.get("digest") != ballots_digest:
        raise ValueError("the result was not counted from these ballots")
    rules = dict(result["rules"])
    expected, present = int(result["expected"]), int(result["present"])
    if not 0 <= on_leave <= expected - present:
        raise ValueError("请假 must fit between 实到 and 应到")
    return {
        "format": FORMAT,
        "sequence": sequence,
        "previous_sha256": previous_sha256,
        "body": {"name": body["name"], "kind": body["kind"], "term": body.get("term")},
        "meeting": {
            "id": meeting["id"],
            "title": meeting["title"],
            "date": meeting.get("date"),
            "location": meeting.get("location"),
        },
        "agenda_item": {"ballot_id": ballot["id"], "position": ballot["position"], "title": ballot["title"]},
        "kind": ballot["kind"],
        "method": method_of(rules),
        "rules": rules,
        "rule": {
            "pass_base": rules.get("pass_base"),
            "threshold": rules.get("threshold"),
            "base": _base_count(rules, expected, present),
            "needed": result.get("needed"),
        },
        "attendance": {
            "expected": expected,
            "present": present,
            "on_leave": on_leave,
            "absent": expected - present - on_leave,
            "quorum": result.get("quorum"),
        },
        "tally": {
            "cast": result["cast"],
            "shortfall": result.get("shortfall"),
            "runoff": result.get("runoff"),
        },
        "items": [dict(item) for item in result["items"]],
        "ballots": {"count": ballots_count, "digest": ballots_digest},
        "times": {
            "opened_at": utc_iso(opened_at),
            "closed_at": utc_iso(closed_at),
            "certified_at": utc_iso(certified_at),
        },
        "software": {"name": SOFTWARE, "version": software_version},
        "signing_key": key_fingerprint,
    }


def result_differences(stored: Any, recount: Any, path: str = "") -> list[str]:
    """Every place where `recount` differs from `stored`, as "path: stored ≠ recount" lines."""
    if isinstance(stored, Mapping) and isinstance(recount, Mapping):
        found: list[str] = []
        for key in sorted(set(stored) | set(recount), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in stored or key not in recount:
                found.append(f"{where}: {stored.get(key, '—')!r} ≠ {recount.get(key, '—')!r}")
            else:
                found.extend(result_differences(stored[key], recount[key], where))
        return found
    if isinstance(stored, list) and isinstance(recount, list):
        if len(stored) != len(recount):
            return [f"{path}: {len(stored)} entries ≠ {len(recount)} entries"]
        found = []
        for index, (a, b) in enumerate(zip(stored, recount)):
            found.extend(result_differences(a, b, f"{path}[{index}]"))
        return found
    return [] if stored == recount else [f"{path}: {stored!r} ≠ {recount!r}"]


@dataclass(frozen=True)
class Link:
    """One stored certificate as the chain sees it: its row's columns and its record's bytes."""

    sequence: int
    record: bytes
    record_sha256: str
    previous_sha256: str | None


def link_problem(link: Link, previous: Link | None) -> str | None:
    """What is wrong with `link` given the certificate stored before it (None for the first), or None.

    Codes: "record_hash_mismatch" (the record's bytes are not the ones hashed),
    "record_unreadable", "record_position_mismatch" (the record's own sequence or
    predecessor disagree with its row), "missing_predecessor" (a certificate is
    missing before this one), "previous_hash_mismatch" (the predecessor's record
    is not the one this one was chained to).
    """
    if sha256_hex(link.record) != link.record_sha256:
        return "record_hash_mismatch"
    try:
        record = json.loads(link.record.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "record_unreadable"
    if record.get("sequence") != link.sequence or record.get("previous_sha256") != link.previous_sha256:
        return "record_position_mismatch"
    expected_sequence = 1 if previous is None else previous.sequence + 1
    if link.sequence != expected_sequence:
        return "missing_predecessor"
    if link.previous_sha256 != (previous.record_sha256 if previous else None):
        return "previous_hash_mismatch"
    return None


def head_problem(last: Link | None, head_sequence: int, head_sha256: str | None) -> str | None:
    """Whether the newest stored certificate is the one the chain's head remembers ("missing_tail")."""
    if (last.sequence if last else 0) != head_sequence or (last.record_sha256 if last else None) != head_sha256:
        return "missing_tail"
    return None


def first_problem(links: Sequence[Link]) -> tuple[int, str] | None:
    """The first (sequence, code) of a walk over `links` in sequence order, or None when all hold."""
    previous = None
    for link in links:
        problem = link_problem(link, previous)
        if problem:
            return link.sequence, problem
        previous = link
    return None
