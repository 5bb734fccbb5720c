"""Draw the site's default link-preview image (theme/static/images/og-default.png).

Run once when the ward's name changes: .venv/bin/python tools/make_og_image.py
Uses DejaVu Sans (Debian's fonts-dejavu-core), which has every Vietnamese diacritic.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pelicanconf import WARD  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
OUT = ROOT / "theme" / "static" / "images" / "og-default.png"


def star(cx, cy, r_out, r_in):
    from math import cos, pi, sin

    points = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -pi / 2 + i * pi / 5
        points.append((cx + r * cos(a), cy + r * sin(a)))
    return points


def main():
    img = Image.new("RGB", (1200, 630), "#8f1a14")
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 560, 1200, 630), fill="#6b120e")
    draw.ellipse((80, 175, 360, 455), fill="#c8102e", outline="#ffcd00", width=10)
    draw.polygon(star(220, 322, 115, 46), fill="#ffcd00")
    big = ImageFont.truetype(FONT, 54)
    small = ImageFont.truetype(FONT_REGULAR, 34)
    words = WARD["name"].split()
    lines = [" ".join(words[:4]), " ".join(words[4:])]
    y = 210
    for line in lines:
        draw.text((410, y), line, font=big, fill="#ffffff")
        y += 70
    draw.text((410, y + 20), WARD["parent"], font=small, fill="#ffe9a8")
    draw.text((80, 578), "Cổng thông tin điện tử", font=small, fill="#ffffff")
    img.save(OUT, optimize=True)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
