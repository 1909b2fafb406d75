"""Representatives' login codes: the secret printed on a card (QR code) that logs a phone in."""
from __future__ import annotations

import secrets


def new_login_code() -> str:
    """A fresh login code: 24 random bytes, URL-safe (32 characters), unguessable.

    Only hash_secret(code) (voting.actions.accounts) is stored; the code itself is
    shown once, when the card is made.
    """
    return secrets.token_urlsafe(24)
