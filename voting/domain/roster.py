"""Who is on a body's roster, and who counts in 应到."""
from __future__ import annotations

ACTIVE = "active"  # 在任
SUSPENDED = "suspended"  # 暂停执行代表职务 (代表法 第61条)
LEFT = "left"  # 已离任 (resigned, recalled, deceased, moved away)
REPRESENTATIVE_STATUSES = (ACTIVE, SUSPENDED, LEFT)


def counts_in_roster(status: str, is_suspended_counted: bool = False) -> bool:
    """Whether a representative with `status` counts in 应到 (the body's current roster).

    ⚠ No source settles suspended members (domain-rules §2.3); the body decides.
    """
    if status == ACTIVE:
        return True
    if status == SUSPENDED:
        return is_suspended_counted
    return False
