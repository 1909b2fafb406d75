"""Card sheets: Chinese text survives into the PDF, ten cards a page, a font that embeds."""
import re
import subprocess

import pytest

from tests.conftest import chinese_name
from voting.render.cards import PER_PAGE, CardData, CardTexts, render_card_sheet
from voting.render.fonts import BUILTIN, cjk_font

TEXTS = CardTexts("代表证", "代表证号", "代表团", "用手机相机或微信扫码登录", "请妥善保管，勿借给他人。")


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "cards.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def cards(n):
    return [CardData(chinese_name(i), f"{i + 1:04d}", "城关代表团", f"http://10.0.0.5:5000/r/{'a' * 32}") for i in range(n)]


def test_names_body_and_delegation_are_in_the_pdf_text(tmp_path):
    pdf = render_card_sheet("云州市第十八届人民代表大会", cards(12), TEXTS)
    text = pdf_text(pdf, tmp_path)
    for i in range(12):
        assert chinese_name(i) in text
    assert "云州市第十八届人民代表大会" in text and "代表证号 0012" in text and "城关代表团" in text


def test_ten_cards_a_page_and_progress_per_page(tmp_path):
    seen = []
    pdf = render_card_sheet("某县人大常委会", cards(23), TEXTS, progress=lambda done, total: seen.append((done, total)))
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages:\s+3$", pages, re.M)
    assert seen == [(PER_PAGE, 23), (2 * PER_PAGE, 23), (23, 23)]


def test_a_long_body_name_and_name_still_fit_and_render(tmp_path):
    long = [CardData("欧阳娜娜提木尔买买提江", "0001", "经济技术开发区暨高新技术产业园区代表团", "http://10.0.0.5/r/x")]
    text = pdf_text(render_card_sheet("某某自治州某某县第十八届人民代表大会常务委员会", long, TEXTS), tmp_path)
    assert "欧阳娜娜提木尔买买提江" in text


def test_the_font_is_an_embedded_truetype_cjk_font_or_the_builtin_fallback(tmp_path):
    font = cjk_font()
    path = tmp_path / "c.pdf"
    path.write_bytes(render_card_sheet("某县人民代表大会", cards(1), TEXTS))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    if font.embedded:
        assert font.name in fonts and " yes " in fonts.split(font.name, 1)[1].splitlines()[0]
    else:
        assert font.name == BUILTIN and BUILTIN in fonts


def test_builtin_fallback_when_no_truetype_font_is_found(tmp_path):
    font = cjk_font(candidates=(("/nonexistent/font.ttc", 0, "Nope"),
                                ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "NotoCFF")))
    assert font.name == BUILTIN and not font.embedded  # CFF outlines are refused, so the fallback is used
