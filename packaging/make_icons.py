"""Render the app icon, resources/icons/convdesigner.svg, into every file the installers need.

    python packaging/make_icons.py          # needs PySide6 (QtSvg) and Pillow

writes, next to the SVG:

* ``png/convdesigner-N.png`` for N in SIZES (the Linux hicolor theme sizes, 16 to 512 px);
* ``convdesigner.ico`` (Windows: the .exe, the installer, the Start-menu entry);
* ``convdesigner.icns`` (macOS: the .app bundle).

The outputs are committed, so a build never needs to render them; run this after editing the SVG.
Qt's own SVG renderer (QSvgRenderer) draws each size from the vector source, so small sizes are
not blurry downscales of the 512 px image.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "convdesigner.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / "png" / f"convdesigner-{size}.png"


def render_pngs() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (kept alive)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    png_path(SIZES[0]).parent.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size))):
            raise SystemExit(f"cannot write {png_path(size)}")


def write_ico_and_icns() -> None:
    from PIL import Image

    images = {size: Image.open(png_path(size)).convert("RGBA") for size in SIZES}
    # Pillow's ICO writer takes the largest image and the sizes to put in the file; giving it
    # the renders of each size (append_images) keeps the crisp small ones instead of downscales.
    largest = images[max(ICO_SIZES)]
    largest.save(ICONS / "convdesigner.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    images[512].save(ICONS / "convdesigner.icns", format="ICNS",
                     append_images=[images[s] for s in (16, 32, 64, 128, 256)])


def main() -> int:
    render_pngs()
    write_ico_and_icns()
    for path in sorted(ICONS.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ICONS.parent.parent)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
