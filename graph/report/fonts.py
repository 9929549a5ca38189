"""The Japanese font embedded in report PDFs and pictures.

A TrueType (glyf) font is needed: fpdf2 embeds it as a subset, and matplotlib draws with it.
Debian's ``fonts-ipaexfont-gothic`` provides IPAexGothic (``scripts/ensure_browser.sh`` installs
it with apt); ``$TSUNAGARI_CJK_FONT`` names another .ttf file.

>>> cjk_font().suffix
'.ttf'
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.errors import GraphError

__all__ = ["FONT_ENV", "CANDIDATES", "cjk_font"]

FONT_ENV = "TSUNAGARI_CJK_FONT"
CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)


def cjk_font() -> Path:
    """Path of the Japanese TrueType font to embed.

    Raises
    ------
    GraphError
        When none is installed, saying how to install one.
    """
    chosen = os.environ.get(FONT_ENV)
    for candidate in ([chosen] if chosen else []) + list(CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            return path.resolve()
    raise GraphError("no Japanese font for the report: install Debian's fonts-ipaexfont-gothic "
                     f"(bash scripts/ensure_browser.sh) or set {FONT_ENV} to a .ttf file")
