"""The translation layer: every message id in the code has Chinese, and the English switch works.

Message ids are English; zh_CN is the default locale, so an id without a
msgstr would show English in the middle of a Chinese page.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "voting" / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
METHODS = {
    "voting": [("**/translations/**", "ignore"), ("**.py", "python")],
    "templates": [("**.html", "jinja2")],
}


def extracted_messages() -> dict[str, str]:
    """Every literal message id in voting/ and templates/ → where it is first used."""
    found: dict[str, str] = {}
    for folder, method_map in METHODS.items():
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map, keywords=KEYWORDS
        ):
            ids = message if isinstance(message, tuple) else (message,)
            if ids and ids[0]:  # _(variable) has no literal id to check
                found.setdefault(ids[0], f"{folder}/{filename}:{lineno}")
    return found


def load_catalog():
    with CATALOG.open("rb") as f:
        return read_po(f, locale="zh_CN")


def raw_msgids(text: str) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry, read straight from the .po text so duplicates show."""
    entries, context, current, key = [], None, None, None
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith('"') and key is not None:
            current += ast.literal_eval(stripped)
            continue
        if key == "msgid":
            entries.append((context, current))
            context = None
        if key == "msgctxt":
            context = current
        key = current = None
        for keyword in ("msgctxt", "msgid"):
            if stripped.startswith(keyword + " "):
                key, current = keyword, ast.literal_eval(stripped[len(keyword) + 1:])
    return entries


def test_extraction_finds_the_code_messages():
    """Guard against a silently broken extraction (which would make the next test pass vacuously)."""
    found = extracted_messages()
    assert "Wrong username or password." in found  # Python, lazy and plain
    assert "Import roster" in found  # a Jinja template
    assert len(found) > 100


def test_every_message_has_a_chinese_translation():
    catalog = load_catalog()
    missing = []
    for msgid, where in sorted(extracted_messages().items(), key=lambda kv: kv[1]):
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None and isinstance(entry.string, (list, tuple)) else [
            entry.string if entry is not None else ""
        ]
        if entry is None or entry.fuzzy or not all(s and s.strip() for s in strings):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "no zh_CN translation for:\n" + "\n".join(missing)


def test_catalog_has_no_duplicate_msgid():
    ids = raw_msgids(CATALOG.read_text(encoding="utf-8"))
    seen, duplicates = set(), []
    for key in ids:
        if key in seen:
            duplicates.append(key[1])
        seen.add(key)
    assert len(ids) > 100
    assert not duplicates, f"duplicate msgid in messages.po: {duplicates}"


def test_translations_keep_the_placeholders():
    """A msgstr with a different %(name)s than its msgid fails at run time, on a Chinese page."""
    problems = [
        f"{message.id!r}: {[str(e) for e in errors]}" for message, errors in load_catalog().check() if errors
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/admin/login"])
def test_pages_are_chinese_by_default_and_english_on_request(client, path):
    chinese = client.get(path).get_data(as_text=True)
    assert '<html lang="zh-CN">' in chinese
    assert "人大表决系统" in chinese and "登录" in chinese

    english = client.get(path + "?lang=en")
    text = english.get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Congress voting" in text and "Log in" in text
    assert "登录" not in text and "人大表决系统" not in text
    assert "lang=en" in english.headers.get("Set-Cookie", "")

    # The choice is remembered: the next page without ?lang= is English too.
    again = client.get(path).get_data(as_text=True)
    assert "Log in" in again and "登录" not in again
    back = client.get(path + "?lang=zh_CN").get_data(as_text=True)
    assert "登录" in back
