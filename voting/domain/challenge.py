"""A small question against form spam that needs no third party and works offline.

The form shows an addition ("7 + 5 = ?") and carries a token: the time it was
issued, a random nonce and an HMAC of both with the answer, under the app's
secret. The server keeps nothing until the form comes back; then it checks the
signature with the typed answer, that the form was not filled faster than a person
can (`min_age_s`) nor left open for ever (`max_age_s`). The caller records the
nonce as used, so one solved token cannot be replayed by a script.

Standard library only. Errors: ChallengeError with `code` `missing`, `malformed`,
`wrong_answer`, `too_fast` or `expired`.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

MIN_AGE_S = 3  # a person reads the form first
MAX_AGE_S = 4 * 3600  # a form left open over lunch still works


class ChallengeError(Exception):
    """The answer or its token is not acceptable: `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Challenge:
    """The question's two numbers and the token that goes into a hidden field."""

    a: int
    b: int
    token: str


def _signature(secret: bytes, issued: int, nonce: str, answer: int) -> str:
    message = f"sum-challenge|{issued}|{nonce}|{answer}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def new_challenge(secret: bytes, now: int, rng: secrets.SystemRandom | None = None) -> Challenge:
    """A fresh question issued at `now` (Unix seconds): two numbers from 1 to 9 to add."""
    rng = rng or secrets.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    nonce = secrets.token_hex(8)
    return Challenge(a, b, f"{now}.{nonce}.{_signature(secret, now, nonce, a + b)}")


def check_challenge(secret: bytes, token: str | None, answer: str | None, now: int,
                    min_age_s: int = MIN_AGE_S, max_age_s: int = MAX_AGE_S) -> str:
    """Check the typed `answer` against `token`; returns the token's nonce (to mark it used).

    The answer may use full-width digits (a Chinese keyboard's １２). Raises ChallengeError.
    """
    if not token or answer is None or not str(answer).strip():
        raise ChallengeError("missing")
    parts = str(token).split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1] or not parts[2]:
        raise ChallengeError("malformed")
    issued, nonce, signature = int(parts[0]), parts[1], parts[2]
    typed = unicodedata.normalize("NFKC", str(answer)).strip()
    if not typed.isdigit() or len(typed) > 3:
        raise ChallengeError("wrong_answer")
    if not hmac.compare_digest(signature, _signature(secret, issued, nonce, int(typed))):
        raise ChallengeError("wrong_answer")
    age = now - issued
    if age < min_age_s:
        raise ChallengeError("too_fast")
    if age > max_age_s:
        raise ChallengeError("expired")
    return nonce
