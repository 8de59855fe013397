"""Steady's app icons, drawn from SVG: `python -m pwa.icons` writes static/pwa/icons/*.png.

The motif and colour are the favicon's (static/favicon.svg): a #1d5f8a disc with a white wave, steady and
even (an arch alone read as a frown at home-screen size). Browsers ask
for PNGs of set sizes (the manifest's 192 and 512, Apple's 180), so each SVG below is rendered to its size by
Chromium (Debian's /usr/bin/chromium through Playwright, as the browser tests use; CHROMIUM overrides the
path), with a transparent background where the SVG has none.

- icon-192.png, icon-512.png ("any"): the favicon's disc on transparent corners.
- icon-maskable-512.png ("maskable"): full-bleed colour (the launcher cuts its own shape), the arc inside the
  safe zone, the central circle of 40% of the width in radius (W3C Web App Manifest, maskable icons): the wave
  reaches at most 0.33 of the width from the centre.
- apple-touch-icon-180.png: full-bleed too, since iOS rounds the corners itself and fills transparency black.
"""

import os
from pathlib import Path

COLOR = "#1d5f8a"
ARC = (
    '<path d="M7 17c3-4 6-4 9 0s6 4 9 0" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/>'
)
DISC = f'<circle cx="16" cy="16" r="15" fill="{COLOR}"/>'
SQUARE = f'<rect width="32" height="32" fill="{COLOR}"/>'

# file name: (size in pixels, background shape)
ICONS = {
    "icon-192.png": (192, DISC),
    "icon-512.png": (512, DISC),
    "icon-maskable-512.png": (512, SQUARE),
    "apple-touch-icon-180.png": (180, SQUARE),
}

OUT = Path(__file__).resolve().parent.parent / "static" / "pwa" / "icons"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]


def svg(size: int, background: str) -> str:
    """The icon as SVG, `size` pixels square, on the favicon's 32-unit grid."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="{size}" height="{size}">'
        f"{background}{ARC}</svg>"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for name, (size, background) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            page.set_content(
                "<!doctype html><style>html, body { margin: 0; background: transparent }"
                " svg { display: block }</style>" + svg(size, background)
            )
            page.screenshot(path=str(OUT / name), omit_background=True)
            page.close()
            print(f"wrote {OUT / name} ({size}x{size})")
        browser.close()


if __name__ == "__main__":
    main()
