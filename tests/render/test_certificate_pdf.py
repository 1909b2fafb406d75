"""The certificate PDF: official layout in Chinese, page numbers, metadata, the embedded signed record.

Rendered from a record built with the domain's own functions; read back with
poppler (pdftotext, pdffonts, pdfinfo, pdfdetach) as an archive office would.
"""
from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from babel.support import Translations

from voting.domain.ballots import MOTION, SELECTION, Rules
from voting.domain.certificate import build_record, canonical_json, sha256_hex
from voting.domain.outcomes import decide
from voting.domain.tally import count
from voting.i18n import compiled_translations
from voting.render.certificate_file import append_signature, read_certificate_file, split_signature
from voting.render.certificate_pdf import formal_title, render_certificate
from voting.render.fonts import BUILTIN, TRUETYPE_CANDIDATES, cjk_font

from tests.domain.builders import per_item_ballots


@pytest.fixture(scope="module")
def zh(tmp_path_factory):
    """gettext in zh_CN from the project's catalog, the way flask_babel's gettext is called."""
    folder = compiled_translations(tmp_path_factory.mktemp("instance"))
    catalog = Translations.load(str(folder), ["zh_CN"])

    def translate(message, **params):
        text = catalog.gettext(message)
        return text % params if params else text

    return translate


def record_for(kind=MOTION, rows=None, seats=None, title="关于批准2025年市级预算调整方案的决议（草案）"):
    """A decided, consistent record: 5-A by default (N=35, 实到 28, 17/5/4 → 未通过)."""
    rows = rows or {7: {"yes": 17, "no": 5, "abstain": 4}}
    rules = Rules(seats=seats) if seats else Rules()
    ballots = per_item_ballots(rows)
    tally = count(kind, rules, list(rows), ballots)
    items = [(item_id, title if len(rows) == 1 else f"民生实事项目{item_id}") for item_id in rows]
    result = json.loads(canonical_json(decide(kind, rules, items, tally, 35, 28, "standing_committee").to_dict()))
    return build_record(
        sequence=12, previous_sha256="cd" * 32,
        body={"name": "XX市第十八届人民代表大会常务委员会", "kind": "standing_committee", "term": 18},
        meeting={"id": 3, "title": "第二十次会议", "date": "2025-03-18", "location": "市人大常委会第一会议室"},
        ballot={"id": 9, "position": 3, "title": title, "kind": kind},
        result=result, on_leave=5, ballots_count=result["cast"], ballots_digest=result["digest"],
        opened_at=datetime(2025, 3, 18, 1, 30), closed_at=datetime(2025, 3, 18, 1, 32, 5),
        certified_at=datetime(2025, 3, 18, 1, 32, 9), software_version="0.1.0", key_fingerprint="ef" * 32,
    )


def render(record, translate, font=None):
    data = canonical_json(record)
    signature = {"algorithm": "Ed25519", "certificate_id": 12, "key_fingerprint": "ef" * 32,
                 "record_sha256": sha256_hex(data), "signature": "A" * 86 + "=="}
    return render_certificate(record, record_bytes=data, record_signature=signature, certificate_id=12,
                              verify_url="http://10.0.0.5:5000/verify/12", translate=translate, font=font)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


def test_the_text_reads_like_the_official_result(zh, tmp_path):
    text = poppler("pdftotext", render(record_for(), zh), tmp_path, "-layout")
    flat = re.sub(r"\s+", "", text)
    for expected in (
        "XX市第十八届人民代表大会常务委员会第二十次会议", "表决结果", "证书编号：第12号", "表决结果：未通过",
        "赞成≥18（全体组成人员35人的过半数）", "无记名按表决器（手机）", "2025年3月18日09:30:00（北京时间）",
        "应到实到请假缺席法定人数符合法定人数", "35285218符合", "赞成反对弃权未按", "17542未通过",
        "第1页共2页", "第2页共2页", "核验信息", "本系统证书链第12份", "2025年3月18日",
    ):
        assert expected in flat, expected


def test_the_same_record_gives_the_same_bytes(zh):
    assert render(record_for(), zh) == render(record_for(), zh)


def test_metadata_and_the_embedded_signed_record(zh, tmp_path):
    record = record_for()
    pdf = render(record, zh)
    info = poppler("pdfinfo", pdf, tmp_path)
    assert "Title:           XX市第十八届人民代表大会常务委员会第二十次会议表决结果" in info
    assert "Author:          XX市第十八届人民代表大会常务委员会" in info
    assert re.search(r"Keywords:.*证书编号：第 12 号.*certificate:12.*sha256:[0-9a-f]{64}", info)
    assert "CreationDate:    Tue Mar 18 01:32:09 2025 UTC" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    listed = poppler("pdfdetach", pdf, tmp_path, "-list")
    assert "record.json" in listed and "record.sig" in listed
    found = read_certificate_file(pdf)
    assert found.record == canonical_json(record)  # byte for byte what was signed
    assert found.record_signature["certificate_id"] == found.certificate_id == 12
    assert found.document_signature is None  # not signed as a whole yet


def test_the_document_signature_line_covers_every_byte(zh, tmp_path):
    pdf = render(record_for(), zh)
    signed = append_signature(pdf, "ef" * 32, lambda data: "B" * 86 + "==")
    body, signature, fingerprint = split_signature(signed)
    assert body == pdf and signature == "B" * 86 + "==" and fingerprint == "ef" * 32
    assert "第1页共2页" in re.sub(r"\s+", "", poppler("pdftotext", signed, tmp_path))  # readers still read it
    assert read_certificate_file(signed).record == read_certificate_file(pdf).record


def test_an_embedded_truetype_font_when_the_system_has_one(zh, tmp_path):
    font = cjk_font()
    fonts = poppler("pdffonts", render(record_for(), zh), tmp_path)
    installed = [path for path, _index, _name in TRUETYPE_CANDIDATES if Path(path).is_file()]
    assert font.embedded == bool(installed)
    if font.embedded:
        line = next(line for line in fonts.splitlines() if font.name in line)
        assert "TrueType" in line and " yes yes " in line  # embedded, as a subset
    else:
        assert BUILTIN in fonts


def test_the_builtin_chinese_font_when_there_is_no_truetype_one(zh, tmp_path):
    font = cjk_font(candidates=(("/nonexistent/font.ttc", 0, "Nothing"),))
    assert (font.name, font.embedded) == (BUILTIN, False)
    pdf = render(record_for(), zh, font=font)
    assert BUILTIN in poppler("pdffonts", pdf, tmp_path)
    assert "表决结果：未通过" in re.sub(r"\s+", "", poppler("pdftotext", pdf, tmp_path))


def test_a_long_selection_runs_over_pages_with_the_header_repeated(zh, tmp_path):
    rows = {i: {"yes": 28 - i % 20, "no": i % 20, "abstain": 0} for i in range(1, 61)}
    text = poppler("pdftotext", render(record_for(SELECTION, rows, seats=10), zh), tmp_path)
    flat = re.sub(r"\s+", "", text)
    pages = int(re.search(r"共(\d+)页", flat).group(1))
    assert pages >= 3 and f"第{pages}页共{pages}页" in flat
    assert flat.count("名次项目赞成反对弃权未按结果") >= 2  # the table's header on every page it spans
    assert "票决结果：入选项目" in flat


def test_formal_title_joins_the_body_and_the_meeting_where_they_overlap():
    assert formal_title("XX市第十八届人大常委会", "第十八届人大常委会第二十次会议") == "XX市第十八届人大常委会第二十次会议"
    assert formal_title("某县人大常委会", "某县人大常委会第三次会议") == "某县人大常委会第三次会议"
    assert formal_title("某县人民代表大会", "第一次会议") == "某县人民代表大会第一次会议"
