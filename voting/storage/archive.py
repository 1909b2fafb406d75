"""The archive folder: certificate PDFs stored under their content hash, written once, never overwritten.

`<archive>/<sha256>.pdf`. A file is written to a temporary name, synced, then
hard-linked to its final name: the link fails if the name exists, so an existing
file is never replaced (rename would silently replace it). Storing the same
bytes twice is a no-op; finding different bytes under a name is an error that
someone must look at (the archive was tampered with), never something to repair.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


class ArchiveConflict(Exception):
    """A file in the archive does not hold the bytes its name promises."""


def path_for(folder: Path, sha256: str) -> Path:
    """Where the file with this content hash lives."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 in hex")
    return Path(folder) / f"{sha256}.pdf"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store(folder: Path, data: bytes) -> str:
    """Store `data` under its SHA-256 and return the hash. Raises ArchiveConflict if the name holds other bytes."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_for(folder, sha256)
    if target.exists():
        _check(target, sha256)
        return sha256
    Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(f".{sha256}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:  # another worker stored it a moment ago
            _check(target, sha256)
        _sync_folder(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return sha256


def read(folder: Path, sha256: str) -> bytes:
    """The bytes stored under `sha256` (FileNotFoundError if absent). The caller checks them if it must."""
    return path_for(folder, sha256).read_bytes()


def _check(path: Path, sha256: str) -> None:
    """Raise ArchiveConflict unless the file at `path` hashes to `sha256`."""
    if file_sha256(path) != sha256:
        raise ArchiveConflict(f"{path.name} does not hold the bytes its name promises")


def _sync_folder(folder: Path) -> None:
    """Make the new directory entry durable (a power cut must not lose a certified file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
