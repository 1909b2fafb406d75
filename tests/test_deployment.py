"""Behind a reverse proxy: whose address counts (TRUSTED_PROXIES)."""
from __future__ import annotations

from voting import create_app


def _failed_logins(client, address: str, n: int) -> list[int]:
    return [
        client.post("/api/v1/auth/token", json={"username": "nobody", "password": "wrong password"},
                    headers={"X-Forwarded-For": address}).status_code
        for _ in range(n)
    ]


def test_behind_one_trusted_proxy_the_login_limit_counts_each_phone(app_config):
    client = create_app({**app_config, "trusted_proxies": 1}).test_client()
    assert _failed_logins(client, "10.0.0.1", 21)[-1] == 429
    assert _failed_logins(client, "10.0.0.2", 1) == [401]  # another phone in the hall is not locked out


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app_config):
    client = create_app(app_config).test_client()
    assert _failed_logins(client, "10.0.0.1", 21)[-1] == 429
    assert _failed_logins(client, "10.0.0.2", 1) == [429]  # a spoofed header does not reset the limit
