"""The web app manifest and its icons: what a phone reads to install Steady."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

THEME = (0x1D, 0x5F, 0x8A)


def manifest(client):
    response = client.get(reverse("pwa_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def icon_file(src):
    """The file a manifest icon's address points to."""
    path = src.removeprefix(settings.STATIC_URL)
    found = finders.find(path)
    assert found, f"{src} is not a static file"
    return found


def test_the_manifest_describes_steady_opening_on_the_week(client):
    body = manifest(client)

    assert reverse("pwa_manifest") == "/manifest.webmanifest"
    assert body["name"] == "Steady"
    assert body["short_name"] == "Steady"
    assert body["start_url"] == reverse("dashboard") == "/dashboard/"
    assert body["scope"] == "/"
    assert body["display"] == "standalone"
    assert body["theme_color"] == "#1d5f8a"
    assert body["background_color"] == "#ffffff"
    assert "exercise" in body["description"]


def test_every_page_links_the_manifest_and_the_theme_colour(client):
    page = client.get(reverse("home")).content.decode()

    assert f'<link rel="manifest" href="{reverse("pwa_manifest")}">' in page
    assert '<meta name="theme-color" content="#1d5f8a">' in page


def test_the_icons_exist_at_the_sizes_the_manifest_gives(client):
    icons = manifest(client)["icons"]

    assert {(icon["sizes"], icon["purpose"]) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["type"] == "image/png"
        with Image.open(icon_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_apple_touch_icon_is_180_pixels_and_full_bleed(client):
    page = client.get(reverse("home")).content.decode()
    src = static("pwa/icons/apple-touch-icon-180.png")
    assert f'<link rel="apple-touch-icon" href="{src}">' in page

    with Image.open(icon_file(src)) as image:
        assert image.size == (180, 180)
        # iOS fills transparent corners with black: every corner is the theme colour.
        rgb = image.convert("RGB")
        for corner in [(0, 0), (179, 0), (0, 179), (179, 179)]:
            assert rgb.getpixel(corner) == THEME


def test_the_icons_draw_the_favicons_white_wave_on_its_disc(client):
    icons = {icon["purpose"] + icon["sizes"]: icon["src"] for icon in manifest(client)["icons"]}
    with Image.open(icon_file(icons["any512x512"])) as image:
        rgba = image.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0  # transparent outside the disc
        assert rgba.getpixel((256, 100))[:3] == THEME  # the disc
        assert rgba.getpixel((256, 272)) == (255, 255, 255, 255)  # the wave, through the middle
        assert rgba.getpixel((256, 200))[:3] == THEME  # nothing above it there


def test_the_maskable_icon_is_full_bleed_with_its_drawing_inside_the_safe_zone(client):
    """Launchers cut maskable icons to their own shape, keeping at least the circle of 40% of the width
    around the centre (the manifest spec's safe zone): colour to the edges, and nothing else outside it."""
    src = next(icon["src"] for icon in manifest(client)["icons"] if icon["purpose"] == "maskable")
    with Image.open(icon_file(src)) as image:
        rgb = image.convert("RGB")
        size = image.width
        centre, safe_radius = (size - 1) / 2, 0.4 * size
        white_seen = 0
        for y in range(0, size, 2):
            for x in range(0, size, 2):
                pixel = rgb.getpixel((x, y))
                inside = (x - centre) ** 2 + (y - centre) ** 2 <= safe_radius**2
                if not inside:
                    assert pixel == THEME, f"({x}, {y}) outside the safe zone is {pixel}"
                elif pixel != THEME:
                    white_seen += 1
        assert white_seen > 1000  # the wave is there
