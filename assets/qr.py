"""QR codes for asset cards and labels, as SVG data URIs (no files, CSP-friendly <img>)."""
import base64
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg


@lru_cache(maxsize=4096)
def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` (an asset card's address). Making one costs ~10 ms of Python; a card's
    address never changes, so each web process keeps the last few thousand it made."""
    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
