"""Draw the home-screen icons (the "Mg" mark of static/img/favicon.svg) as PNG files.

Pillow is not a dependency of the site; run this in a throwaway environment:

    python3 -m venv /tmp/icons && /tmp/icons/bin/pip install Pillow
    /tmp/icons/bin/python tools/make_icons.py

and commit the files it writes to static/img/.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

GREEN = "#1f6f5c"
WHITE = "#ffffff"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def draw(size: int, *, maskable: bool) -> Image.Image:
    """A maskable icon fills the square (the launcher cuts its own shape, keeping the middle
    80 %); the plain one is a rounded square like the favicon."""
    scale = 4  # drawn large, then scaled down for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=GREEN)
        text_height = big * 0.30
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 7 // 32, fill=GREEN)
        text_height = big * 0.42
    font = ImageFont.truetype(FONT, int(text_height))
    left, top, right, bottom = pen.textbbox((0, 0), "Mg", font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    pen.text((x, y), "Mg", font=font, fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    # iOS ignores the manifest's icons and wants an opaque square.
    draw(180, maskable=True).convert("RGB").save(OUT / "icon-180.png", optimize=True)


if __name__ == "__main__":
    main()
