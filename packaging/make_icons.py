"""Render resources/icons/tiers.svg to the PNG sizes (window, taskbar, Linux desktop) and to
tiers.ico (Windows: program, installer, shortcuts). Run after editing the SVG:

    .venv/bin/python packaging/make_icons.py

The results are committed, so that the client loads a PNG at run time (no QtSvg in the
bundle) and a build needs no extra step."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An .ico whose entries are PNGs (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, payload = b"", b""
    for size, png in images.items():
        edge = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + directory + payload


def main() -> int:
    QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "tiers.svg"))
    if not renderer.isValid():
        print(f"无法读取 {ICONS / 'tiers.svg'}", file=sys.stderr)
        return 1
    rendered = {size: png_bytes(render(renderer, size)) for size in PNG_SIZES}
    for size, png in rendered.items():
        (ICONS / f"tiers-{size}.png").write_bytes(png)
    (ICONS / "tiers.ico").write_bytes(ico_bytes({size: rendered[size] for size in ICO_SIZES}))
    print(f"{len(rendered)} PNG 与 tiers.ico 已写入 {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
