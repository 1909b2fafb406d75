"""Where certificates live: the archive folder, the signing key and the public address of /verify.

Built once in create_app from the settings (`init_certificates`), read by the
web pages, the worker's job and the CLI through `certificate_store()`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import Flask, current_app

from voting.storage import signing_key

EXTENSION = "voting.certificates"


@dataclass
class CertificateStore:
    """The archive folder, the key file, the public URL (None: the address of the request) and the locale of PDFs."""

    archive: Path
    key_path: Path
    public_url: str | None
    locale: str
    _key: Ed25519PrivateKey | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def signing_key(self) -> Ed25519PrivateKey:
        """The private key, generated in the instance folder on first use."""
        with self._lock:
            if self._key is None:
                self._key = signing_key.load_or_create(self.key_path)
            return self._key

    def public_key(self) -> Ed25519PublicKey:
        """The public key that checks every certificate of this instance."""
        return self.signing_key().public_key()

    def fingerprint(self) -> str:
        """SHA-256 of the public key (hex), as printed on the certificates."""
        return signing_key.fingerprint(self.public_key())

    def verify_base(self, request_base: str | None) -> str:
        """The site's address for links printed on certificates: PUBLIC_URL, else the request's, else localhost."""
        return (self.public_url or request_base or "http://localhost:5000").rstrip("/")


def init_certificates(app: Flask, instance_path: Path, public_url: str | None, locale: str) -> None:
    """Register the certificate store of this app (archive and key in the instance folder)."""
    app.extensions[EXTENSION] = CertificateStore(
        archive=Path(instance_path) / "archive",
        key_path=Path(instance_path) / signing_key.KEY_FILE,
        public_url=public_url,
        locale=locale,
    )


def certificate_store(app: Flask | None = None) -> CertificateStore:
    """The store of `app` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]
