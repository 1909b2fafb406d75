"""Chinese fonts for ReportLab PDFs (certificates, card sheets). No Flask here.

ReportLab embeds TrueType fonts only: the Noto CJK collections Debian ships
(fonts-noto-cjk) have PostScript (CFF) outlines and are refused. So we look for
a TrueType CJK font (a Song/Ming face first, as official documents use 宋体),
embed the glyphs used, and fall back to ReportLab's built-in Adobe CID font
STSong-Light, which every PDF reader can show but which is not embedded.

Interface: `cjk_font(candidates=TRUETYPE_CANDIDATES) -> CjkFont(name, path, embedded)`;
the font is registered with ReportLab under `name`, once per process.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

# (file, face index in a .ttc collection, name to register); first found wins.
TRUETYPE_CANDIDATES: tuple[tuple[str, int, str], ...] = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "UMingCN"),  # fonts-arphic-uming: 明体/宋体
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "ARPLSungtiL"),  # fonts-arphic-gbsn00lp
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "WenQuanYiZenHei"),  # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYiMicroHei"),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0, "DroidSansFallback"),
)
BUILTIN = "STSong-Light"


@dataclass(frozen=True)
class CjkFont:
    """A registered font: its ReportLab name, the file it came from, and whether PDFs embed it."""

    name: str
    path: str | None
    embedded: bool


_lock = threading.Lock()
_registered: dict[tuple, CjkFont] = {}


def cjk_font(candidates: Sequence[tuple[str, int, str]] = TRUETYPE_CANDIDATES) -> CjkFont:
    """The first usable TrueType CJK font of `candidates`, registered; else the built-in STSong-Light."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    key = tuple(candidates)
    with _lock:
        if key in _registered:
            return _registered[key]
        found = None
        for path, index, name in candidates:
            if not Path(path).is_file():
                continue
            try:
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            except (TTFError, OSError):
                continue  # e.g. PostScript outlines: try the next one
            found = CjkFont(name=name, path=path, embedded=True)
            break
        if found is None:
            pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN))
            found = CjkFont(name=BUILTIN, path=None, embedded=False)
        _registered[key] = found
        return found
