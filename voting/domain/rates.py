"""Exact rates (满意率, share of votes cast) and their display as a percentage.

A rate is kept as its two counts (unreduced: 14/28 stays 14/28, as announced);
decisions never use a rate, and display rounds half up with integer arithmetic
so 2/3 shows "66.7" and 1/8 shows "12.5" on every machine.

Interface: `Rate(numerator, denominator)`, `Rate.of(numerator, denominator) -> Rate | None`
(None when the denominator is 0), `rate.value -> Fraction`, `rate.percent(decimals=1) -> str`,
`rate.to_dict() -> {"numerator", "denominator", "percent"}`, `format_percent(fraction, decimals=1)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


def format_percent(value: Fraction, decimals: int = 1) -> str:
    """`value` (a fraction of 1, ≥ 0) as a percentage string, rounded half up: Fraction(25, 28) → "89.3".

    No "%" sign: the template adds it. Raises ValueError for a negative value.
    """
    if value < 0:
        raise ValueError("a rate cannot be negative")
    scale = 10**decimals
    whole, rest = divmod(value.numerator * 100 * scale, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    if decimals == 0:
        return str(whole)
    return f"{whole // scale}.{whole % scale:0{decimals}d}"


@dataclass(frozen=True)
class Rate:
    """numerator / denominator as counted, e.g. 满意 14 of 28 valid votes."""

    numerator: int
    denominator: int

    @classmethod
    def of(cls, numerator: int, denominator: int) -> "Rate | None":
        """The rate, or None when there is nothing to divide by (no valid votes)."""
        if denominator == 0:
            return None
        if numerator < 0 or denominator < 0 or numerator > denominator:
            raise ValueError("a rate needs 0 ≤ numerator ≤ denominator")
        return cls(numerator, denominator)

    @property
    def value(self) -> Fraction:
        """The exact rate as a Fraction."""
        return Fraction(self.numerator, self.denominator)

    def percent(self, decimals: int = 1) -> str:
        """The rate as a percentage string, half up ("89.3")."""
        return format_percent(self.value, decimals)

    def to_dict(self) -> dict[str, int | str]:
        """Plain JSON: the exact counts plus the 1-decimal percentage for display."""
        return {"numerator": self.numerator, "denominator": self.denominator, "percent": self.percent()}
