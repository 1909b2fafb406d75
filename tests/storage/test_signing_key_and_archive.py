"""The signing key (made once, private, never two) and the write-once archive."""
from __future__ import annotations

import multiprocessing
import os
import stat
import threading

import pytest

from voting.storage import archive, signing_key


def _make_key(path: str, start, out) -> None:
    """In a child process: wait for the others, then load or make the key; report its fingerprint."""
    start.wait()
    out.put(signing_key.fingerprint(signing_key.load_or_create(path).public_key()))


def test_processes_starting_together_make_one_key(tmp_path):
    path = tmp_path / "signing_key.pem"
    context = multiprocessing.get_context("fork")
    start, out = context.Barrier(8), context.Queue()
    children = [context.Process(target=_make_key, args=(str(path), start, out)) for _ in range(8)]
    for child in children:
        child.start()
    fingerprints = [out.get(timeout=30) for _ in children]
    for child in children:
        child.join(timeout=30)
    assert len(set(fingerprints)) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signing_key.pem"]  # no temporary files left
    again = signing_key.load_or_create(path)
    assert signing_key.fingerprint(again.public_key()) == fingerprints[0]


def test_signatures_check_only_for_the_signed_bytes_and_key(tmp_path):
    key = signing_key.load_or_create(tmp_path / "a.pem")
    other = signing_key.load_or_create(tmp_path / "b.pem")
    signature = signing_key.sign(key, "记录".encode())
    assert signature == signing_key.sign(key, "记录".encode())  # Ed25519 is deterministic
    assert signing_key.is_valid(key.public_key(), signature, "记录".encode())
    assert not signing_key.is_valid(key.public_key(), signature, "记彔".encode())
    assert not signing_key.is_valid(other.public_key(), signature, "记录".encode())
    assert not signing_key.is_valid(key.public_key(), "not base64!", b"x")
    public = tmp_path / "public.pem"
    public.write_bytes(signing_key.public_pem(key.public_key()))
    assert signing_key.fingerprint(signing_key.load_public(public)) == signing_key.fingerprint(key.public_key())
    assert signing_key.fingerprint(signing_key.load_public(tmp_path / "a.pem")) == signing_key.fingerprint(key.public_key())


def test_the_archive_stores_by_content_hash_once(tmp_path):
    folder = tmp_path / "archive"
    sha = archive.store(folder, b"%PDF-1.4 certificate")
    path = archive.path_for(folder, sha)
    assert path.read_bytes() == b"%PDF-1.4 certificate" and archive.file_sha256(path) == sha
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # read-only once written
    before = path.stat().st_mtime_ns
    assert archive.store(folder, b"%PDF-1.4 certificate") == sha  # the same bytes again: nothing happens
    assert path.stat().st_mtime_ns == before
    results = []
    threads = [threading.Thread(target=lambda: results.append(archive.store(folder, b"%PDF-1.4 other"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{sha}.pdf", f"{results[0]}.pdf"])


def test_the_archive_never_overwrites_a_file_that_does_not_match_its_name(tmp_path):
    folder = tmp_path / "archive"
    sha = archive.store(folder, b"genuine")
    path = archive.path_for(folder, sha)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    with pytest.raises(archive.ArchiveConflict):
        archive.store(folder, b"genuine")
    assert path.read_bytes() == b"tampered"  # left as found, for someone to look at
    with pytest.raises(ValueError):
        archive.path_for(folder, "../../etc/passwd")
