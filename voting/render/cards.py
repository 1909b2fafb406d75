"""Representative cards (代表证): an A4 sheet of credit-card-sized cards, each with a login QR code.

No Flask here: the caller passes the texts (already translated), the cards and
the base URL. A card shows the body, the name, the number, the delegation and
a QR code of <base_url>/r/<login_code>; the code is the only secret, so a
printed sheet must be handled like keys (see the console's warning).

Layout: ten cards per A4 page (2 × 5), each 85.6 × 54 mm (ISO/IEC 7810 ID-1),
with thin cut lines, so a standard card sleeve or lanyard holder fits.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable, Sequence

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from voting.render.fonts import cjk_font

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
RED = Color(0.64, 0.09, 0.10)
INK = Color(0.1, 0.1, 0.1)
MUTED = Color(0.35, 0.35, 0.35)
CUT = Color(0.7, 0.7, 0.7)


@dataclass(frozen=True)
class CardData:
    """What one card shows."""

    name: str
    number: str
    group: str | None
    login_url: str


@dataclass(frozen=True)
class CardTexts:
    """The fixed words on every card, in the reader's language."""

    title: str  # e.g. 代表证
    number_label: str  # e.g. 代表证号
    group_label: str  # e.g. 代表团
    scan_hint: str  # e.g. 用手机扫码登录
    keep_safe: str  # e.g. 请妥善保管，勿借给他人


def _fit(text: str, font: str, size: float, width: float, minimum: float = 7) -> float:
    """The largest font size ≤ size at which `text` fits in `width` (not below `minimum`)."""
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _qr(canvas: Canvas, url: str, x: float, y: float, side: float) -> None:
    """Draw the QR code of `url` as one filled path (runs of dark modules), `side` wide.

    The qrcode package computes the matrix; drawing merged runs ourselves is
    about twenty times faster than ReportLab's QR widget, which matters for a
    roster of hundreds.
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=1)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    cell = side / n
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + (n - 1 - r) * cell
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            # A hair taller than the cell, so no seam shows between rows when rasterised.
            path.rect(x + start * cell, top - 0.05, (c - start) * cell, cell + 0.1)
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _card(canvas: Canvas, font: str, body_name: str, texts: CardTexts, card: CardData, x: float, y: float) -> None:
    """Draw one card with its lower-left corner at (x, y)."""
    canvas.setStrokeColor(CUT)
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    canvas.rect(x, y, CARD_W, CARD_H)
    canvas.setDash()
    # The red band: body and the word 代表证.
    band = 11 * mm
    canvas.setFillColor(RED)
    canvas.rect(x, y + CARD_H - band, CARD_W, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    title_size = 10
    inner = CARD_W - 8 * mm
    body_size = _fit(body_name, font, 9, inner - stringWidth(texts.title, font, title_size) - 4 * mm)
    canvas.setFont(font, body_size)
    canvas.drawString(x + 4 * mm, y + CARD_H - band + 4 * mm, body_name)
    canvas.setFont(font, title_size)
    canvas.drawRightString(x + CARD_W - 4 * mm, y + CARD_H - band + 4 * mm, texts.title)
    # Left: who; right: the QR code.
    qr_side = 33 * mm
    qr_x = x + CARD_W - qr_side - 2.5 * mm
    qr_y = y + 4.5 * mm
    _qr(canvas, card.login_url, qr_x, qr_y, qr_side)
    text_w = qr_x - x - 6 * mm
    canvas.setFillColor(INK)
    name_size = _fit(card.name, font, 20, text_w, minimum=10)
    # Fill and stroke: a thin Song face read from a lanyard needs a little weight. The text
    # render mode outlives the text object in PDF, so it stays inside saveState/restoreState.
    canvas.saveState()
    text = canvas.beginText(x + 4 * mm, y + CARD_H - band - 10 * mm)
    text.setFont(font, name_size)
    text.setTextRenderMode(2)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.45)
    text.textLine(card.name)
    canvas.drawText(text)
    canvas.restoreState()
    canvas.setFont(font, 8.5)
    canvas.setFillColor(MUTED)
    line_y = y + CARD_H - band - 16.5 * mm
    canvas.drawString(x + 4 * mm, line_y, f"{texts.number_label} {card.number}")
    if card.group:
        label = f"{texts.group_label} {card.group}"
        canvas.setFont(font, _fit(label, font, 8.5, text_w))
        canvas.drawString(x + 4 * mm, line_y - 4.5 * mm, label)
    canvas.setFont(font, 7)
    canvas.setFillColor(RED)
    canvas.drawString(x + 4 * mm, y + 8 * mm, texts.scan_hint)
    canvas.setFillColor(MUTED)
    canvas.setFont(font, _fit(texts.keep_safe, font, 6.5, text_w, minimum=5))
    canvas.drawString(x + 4 * mm, y + 4.5 * mm, texts.keep_safe)


def render_card_sheet(
    body_name: str,
    cards: Sequence[CardData],
    texts: CardTexts,
    title: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The PDF of `cards`, ten to an A4 page; `progress(done, total)` is called after each page.

    Chinese is drawn with an embedded TrueType CJK font when the system has
    one, else with ReportLab's built-in STSong-Light (voting.render.fonts).
    """
    font = cjk_font().name
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title or body_name)
    canvas.setCreator("voting")
    page_w, page_h = A4
    margin_x = (page_w - COLUMNS * CARD_W) / 2
    margin_y = (page_h - ROWS * CARD_H) / 2
    total = len(cards)
    for start in range(0, total, PER_PAGE):
        for i, card in enumerate(cards[start:start + PER_PAGE]):
            col, row = i % COLUMNS, i // COLUMNS
            x = margin_x + col * CARD_W
            y = page_h - margin_y - (row + 1) * CARD_H
            _card(canvas, font, body_name, texts, card, x, y)
        canvas.showPage()
        if progress is not None:
            progress(min(start + PER_PAGE, total), total)
    if not cards:
        canvas.showPage()
    canvas.save()
    return out.getvalue()

