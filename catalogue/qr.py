"""QR codes for printed documents (the catalogue guide, the accusé de réception letter).

Rendered by segno (pure Python) as data URIs that WeasyPrint embeds without fetching
anything: SVG stays sharp at any size; PNG is drawn at several pixels per module so that
it prints crisply and can be read back from the PDF.
"""

import segno

# Level M corrects ~15 % damage: enough for a printed, folded page, still small for a URL.
NIVEAU_CORRECTION = "m"


def qr_code(url):
    return segno.make(url, error=NIVEAU_CORRECTION, micro=False)


def qr_svg_data_uri(url, scale=4):
    """The QR code of `url` as an SVG `data:` URI (for an <img src> in a PDF template)."""
    return qr_code(url).svg_data_uri(scale=scale, border=4, dark="#000", light="#fff", omitsize=False)


def qr_png_data_uri(url, scale=8):
    """The QR code of `url` as a PNG `data:` URI, `scale` pixels per module."""
    return qr_code(url).png_data_uri(scale=scale, border=4)
