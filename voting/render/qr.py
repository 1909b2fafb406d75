"""QR codes as SVG for web pages (the hall screen's check-in code). No Flask here."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(data: str, border: int = 2) -> bytes:
    """An SVG QR code of `data`, scalable to any size (a single path, black on white).

    Error correction M: readable from the back of a hall, still a small grid.
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, image_factory=qrcode.image.svg.SvgPathFillImage)
    qr.add_data(data)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image().save(out)
    return out.getvalue()
