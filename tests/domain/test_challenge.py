"""The offline challenge against form spam: a signed sum, not too fast, not too old, one answer only."""
from __future__ import annotations

import random

import pytest

from voting.domain.challenge import ChallengeError, check_challenge, new_challenge

SECRET = b"test secret"


def code_of(*args, **kwargs) -> str:
    with pytest.raises(ChallengeError) as caught:
        check_challenge(*args, **kwargs)
    return caught.value.code


def test_the_right_sum_after_a_human_pause_passes_and_names_its_nonce():
    challenge = new_challenge(SECRET, 1000, random.Random(1))
    nonce = check_challenge(SECRET, challenge.token, str(challenge.a + challenge.b), 1010)
    assert nonce and nonce in challenge.token


def test_full_width_digits_count():
    challenge = new_challenge(SECRET, 1000)
    typed = str(challenge.a + challenge.b).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert check_challenge(SECRET, challenge.token, typed, 1010)


def test_wrong_fast_old_forged_and_missing_answers_are_refused():
    challenge = new_challenge(SECRET, 1000)
    right = str(challenge.a + challenge.b)
    assert code_of(SECRET, challenge.token, str(challenge.a + challenge.b + 1), 1010) == "wrong_answer"
    assert code_of(SECRET, challenge.token, "abc", 1010) == "wrong_answer"
    assert code_of(SECRET, challenge.token, right, 1001) == "too_fast"
    assert code_of(SECRET, challenge.token, right, 1000 + 5 * 3600) == "expired"
    assert code_of(b"another secret", challenge.token, right, 1010) == "wrong_answer"
    issued, nonce, signature = challenge.token.split(".")
    assert code_of(SECRET, f"{int(issued) - 100}.{nonce}.{signature}", right, 1010) == "wrong_answer"
    assert code_of(SECRET, "garbage", right, 1010) == "malformed"
    assert code_of(SECRET, "", right, 1010) == "missing"
    assert code_of(SECRET, challenge.token, "", 1010) == "missing"
