"""QR codes for asset cards and labels, as SVG data URIs (no files, CSP-friendly <img>)."""
import base64
import io

import qrcode
import qrcode.image.svg


def qr_data_uri(text: str) -> str:
    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
