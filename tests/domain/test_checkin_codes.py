"""Rotating check-in codes with a controlled clock: rotation, expiry and every bad-code case."""
import pytest

from voting.domain import checkin
from voting.domain.checkin import EXPIRED, FORGED, OK, OTHER_MEETING, issue, verify

SECRET = b"test secret key"
T0 = 1_700_000_010.0  # some moment, not at a period boundary


def start_of_period(t: float) -> float:
    return (t // 30) * 30


def test_code_changes_every_30_seconds_and_not_within_a_period():
    base = start_of_period(T0)
    first = issue(SECRET, 7, base)
    assert issue(SECRET, 7, base + 29.9).code == first.code
    second = issue(SECRET, 7, base + 30)
    assert second.code != first.code
    assert second.period == first.period + 1


@pytest.mark.parametrize(
    "seconds_later, expected",
    [
        (0, OK),
        (29.9, OK),  # same period
        (30, OK),  # the next period: still good ("expires after two periods")
        (59.9, OK),
        (60, EXPIRED),  # two periods later: a photo sent out of the hall is dead
        (3600, EXPIRED),
    ],
)
def test_code_is_good_for_its_period_and_the_next(seconds_later, expected):
    base = start_of_period(T0)
    code = issue(SECRET, 7, base).code
    assert verify(SECRET, 7, code, base + seconds_later) == expected


def test_expires_in_counts_down_to_the_end_of_the_second_period():
    base = start_of_period(T0)
    assert issue(SECRET, 7, base).expires_in == 60
    assert issue(SECRET, 7, base + 10).expires_in == 50
    assert issue(SECRET, 7, base + 29.5).expires_in == 31
    assert issue(SECRET, 7, base + 10).refresh_in == 20


def test_code_of_another_meeting_is_named_as_such():
    code = issue(SECRET, 8, T0).code
    assert verify(SECRET, 7, code, T0) == OTHER_MEETING


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # one character of the MAC changed
        lambda c: "7-" + c.split("-")[1] + "-" + "A" * checkin.MAC_CHARS,  # invented MAC
        lambda c: c.replace("7-", "9-", 1),  # meeting number edited: MAC no longer matches
        lambda c: "",
        lambda c: "hello",
        lambda c: c + "X",
        lambda c: "0-1-" + "A" * checkin.MAC_CHARS,
    ],
)
def test_forged_codes_are_refused(mangle):
    code = issue(SECRET, 7, T0).code
    assert verify(SECRET, 7, mangle(code), T0) == FORGED


def test_a_code_made_with_another_secret_is_forged():
    assert verify(SECRET, 7, issue(b"other server", 7, T0).code, T0) == FORGED


def test_a_code_from_the_future_is_forged():
    # Nobody can have been shown it yet: it can only come from the key.
    future = issue(SECRET, 7, T0 + 30).code
    assert verify(SECRET, 7, future, T0) == FORGED


def test_lower_case_and_spaces_from_a_typed_code_are_accepted():
    code = issue(SECRET, 7, T0).code
    assert verify(SECRET, 7, "  " + code.lower() + " ", T0) == OK


def test_meeting_id_must_be_positive():
    with pytest.raises(ValueError):
        issue(SECRET, 0, T0)


def test_screen_token_is_bound_to_meeting_and_generation():
    token = checkin.screen_token(SECRET, 3, 1)
    assert checkin.verify_screen_token(SECRET, 3, 1, token)
    assert not checkin.verify_screen_token(SECRET, 3, 2, token)  # a new link kills the old one
    assert not checkin.verify_screen_token(SECRET, 4, 1, token)
    assert not checkin.verify_screen_token(SECRET, 3, 0, checkin.screen_token(SECRET, 3, 0))  # none issued
    assert not checkin.verify_screen_token(SECRET, 3, 1, "")
