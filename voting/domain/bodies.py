"""Kinds of body and the quorum each needs (地方组织法 第14条, 第51条)."""
from __future__ import annotations

from dataclasses import dataclass

PEOPLE_CONGRESS = "people_congress"  # 人民代表大会
STANDING_COMMITTEE = "standing_committee"  # 常务委员会
BODY_KINDS = (PEOPLE_CONGRESS, STANDING_COMMITTEE)


def more_than_half(n: int) -> int:
    """过半数: the smallest count strictly greater than n/2 (N=35 → 18, N=200 → 101)."""
    if n < 0:
        raise ValueError("a count cannot be negative")
    return n // 2 + 1


def two_thirds_or_more(n: int) -> int:
    """三分之二以上: the smallest count at least 2n/3, inclusive (N=327 → 218, N=300 → 200)."""
    if n < 0:
        raise ValueError("a count cannot be negative")
    return -(-2 * n // 3)


def quorum_required(kind: str, expected: int) -> int:
    """How many must be present for the meeting to proceed (法定人数).

    A 人民代表大会 needs two-thirds or more of all representatives (地方组织法 第14条);
    a 常委会 more than half of all members (第51条). `expected` is 应到, the roster.
    Raises ValueError for an unknown kind.
    """
    if kind == PEOPLE_CONGRESS:
        return two_thirds_or_more(expected)
    if kind == STANDING_COMMITTEE:
        return more_than_half(expected)
    raise ValueError(f"unknown body kind: {kind!r}")


@dataclass(frozen=True)
class Quorum:
    required: int
    met: bool


def quorum(kind: str, expected: int, present: int) -> Quorum:
    """The quorum needed and whether `present` (实到) meets it."""
    required = quorum_required(kind, expected)
    return Quorum(required=required, met=present >= required and expected > 0)
