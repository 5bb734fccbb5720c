"""Generate the sample photos used by the demo content.

Each photo is a rendered, photo-like scene (conference hall, speaker at a
podium, award ceremony, one-stop office, street, park, fire drill) drawn with
Pillow only, then softened, lit with a vignette and given mild sensor noise so
that it is camera-sized and compresses like a real JPEG (roughly 1-3 MB).

Every file carries EXIF written with ``Image.Exif()``: Make, Model,
DateTimeOriginal, Orientation and a GPS IFD near Thuong Thanh, Long Bien.
A few files are stored "sideways" exactly like a phone camera would: the pixel
data is rotated and the Orientation tag tells viewers how to display it, so
``ImageOps.exif_transpose`` returns the upright picture.

Output is deterministic: every photo has its own seed derived from its name.

Usage::

    python tools/sample_photos.py content/images [NAME ...]

With names (``can-bo/vu-trong-thu.jpg``), only those photos are made.
"""

from __future__ import annotations

import math
import os
import random
import sys
import zlib
from concurrent.futures import ProcessPoolExecutor

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from PIL.TiffImagePlugin import IFDRational

FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FONT_REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

CAMERAS = {
    "canon": ("Canon", "Canon EOS 850D"),
    "nikon": ("NIKON CORPORATION", "NIKON D5600"),
    "iphone": ("Apple", "iPhone 12"),
    "samsung": ("samsung", "SM-A525F"),
}

# Upright (display) sizes.
LAND = (4000, 3000)
PORT = (3000, 4000)
PHONE_LAND = (4032, 3024)
PHONE_PORT = (3024, 4032)
ID_PORT = (1200, 1600)  # the officials' portraits (content/images/can-bo/)

# One row per photo. The size is the upright (display) size; files with
# Orientation 6, 8 or 3 are stored rotated, as a phone or camera held sideways
# or upside down would store them. Scene variants after ":" change the person
# at the podium. Banner lines are separated by " | ".
# fmt: off
PHOTOS = [
    # path                                    scene              DateTimeOriginal    orient camera  size        banner text
    ("2021/03/ra-quan-ve-sinh-moi-truong.jpg", "street",         "2021:03:27 07:42:10", 1, "nikon",   LAND,       "PHƯỜNG THƯỢNG THANH RA QUÂN TỔNG VỆ SINH MÔI TRƯỜNG"),
    ("2021/07/chu-tich-phat-bieu.jpg",        "podium",          "2021:07:02 08:15:33", 1, "canon",   LAND,       "UBND PHƯỜNG THƯỢNG THANH | HỘI NGHỊ TRIỂN KHAI MÔ HÌNH CHÍNH QUYỀN ĐÔ THỊ"),
    ("2022/05/dai-hoi-doan-thanh-nien.jpg",   "hall",            "2022:05:21 08:05:47", 1, "canon",   LAND,       "ĐOÀN TNCS HỒ CHÍ MINH PHƯỜNG THƯỢNG THANH | ĐẠI HỘI ĐẠI BIỂU | ĐOÀN TNCS HỒ CHÍ MINH PHƯỜNG THƯỢNG THANH | NHIỆM KỲ 2022 - 2027"),
    ("2022/07/toan-canh-hoi-nghi.jpg",        "hall",            "2022:07:05 08:12:05", 1, "canon",   LAND,       "ĐẢNG ỦY - UBND PHƯỜNG THƯỢNG THANH | HỘI NGHỊ | SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2022 | ĐÁNH GIÁ 01 NĂM THỰC HIỆN MÔ HÌNH CHÍNH QUYỀN ĐÔ THỊ"),
    ("2022/07/bao-cao-so-ket.jpg",            "podium",          "2022:07:05 08:24:51", 1, "canon",   LAND,       "ĐẢNG ỦY - UBND PHƯỜNG THƯỢNG THANH | HỘI NGHỊ SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2022"),
    ("2022/07/bao-cao-mo-hinh.jpg",           "podium",          "2022:07:05 08:47:19", 6, "iphone",  PHONE_PORT, "ĐẢNG ỦY - UBND PHƯỜNG | HỘI NGHỊ SƠ KẾT"),
    ("2022/07/phat-bieu-chi-dao.jpg",         "podium:female",   "2022:07:05 09:20:02", 1, "canon",   LAND,       "ĐẢNG ỦY - UBND PHƯỜNG THƯỢNG THANH | HỘI NGHỊ SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2022"),
    ("2022/07/trao-thuong-tap-the.jpg",       "ceremony",        "2022:07:05 10:02:44", 1, "canon",   LAND,       "ĐẢNG ỦY - UBND PHƯỜNG THƯỢNG THANH | KHEN THƯỞNG CÁC TẬP THỂ, CÁ NHÂN | THỰC HIỆN MÔ HÌNH CHÍNH QUYỀN ĐÔ THỊ"),
    ("2022/07/trao-thuong-ca-nhan.jpg",       "ceremony",        "2022:07:05 10:09:58", 8, "samsung", PHONE_PORT, "ĐẢNG ỦY - UBND | PHƯỜNG THƯỢNG THANH | KHEN THƯỞNG"),
    ("2022/10/huong-dan-dich-vu-cong.jpg",    "office",          "2022:10:18 09:31:27", 1, "nikon",   LAND,       "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ | UBND PHƯỜNG THƯỢNG THANH"),
    ("2023/02/trao-huy-hieu-dang.jpg",        "ceremony",        "2023:02:03 09:10:36", 1, "canon",   LAND,       "ĐẢNG BỘ PHƯỜNG THƯỢNG THANH | LỄ TRAO HUY HIỆU ĐẢNG ĐỢT 03/02/2023"),
    ("2023/04/hien-mau-tinh-nguyen.jpg",      "hall",            "2023:04:15 07:55:14", 1, "nikon",   LAND,       "PHƯỜNG THƯỢNG THANH | NGÀY HỘI HIẾN MÁU TÌNH NGUYỆN | MỖI GIỌT MÁU CHO ĐI - MỘT CUỘC ĐỜI Ở LẠI"),
    ("2023/08/truong-cong-an-phat-bieu.jpg",  "podium:police",   "2023:08:18 08:32:40", 1, "nikon",   LAND,       "CÔNG AN PHƯỜNG THƯỢNG THANH | NGÀY HỘI TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM 2023"),
    ("2023/10/dien-tap-pccc.jpg",             "drill",           "2023:10:26 14:35:08", 1, "nikon",   LAND,       "DIỄN TẬP PHƯƠNG ÁN CHỮA CHÁY VÀ CỨU NẠN, CỨU HỘ NĂM 2023"),
    ("2023/10/dap-lua-ban-dau.jpg",           "drill",           "2023:10:26 14:48:40", 3, "nikon",   LAND,       "DIỄN TẬP PCCC VÀ CNCH"),
    ("2024/01/bi-thu-phat-bieu-tong-ket.jpg", "podium:female",   "2024:01:12 08:40:21", 1, "canon",   LAND,       "ĐẢNG BỘ PHƯỜNG THƯỢNG THANH | HỘI NGHỊ TỔNG KẾT CÔNG TÁC NĂM 2023"),
    ("2024/02/trao-qua-tet.jpg",              "gifts",           "2024:02:02 15:05:50", 1, "canon",   LAND,       "UBND - UBMTTQ PHƯỜNG THƯỢNG THANH | TRAO QUÀ TẾT GIÁP THÌN 2024"),
    ("2024/04/ky-ket-giao-uoc-thi-dua.jpg",   "ceremony",        "2024:04:19 09:25:13", 1, "canon",   LAND,       "CỤM THI ĐUA SỐ 2 - QUẬN LONG BIÊN | KÝ KẾT GIAO ƯỚC THI ĐUA NĂM 2024"),
    ("2024/05/so-hoa-ho-so.jpg",              "office",          "2024:05:22 10:12:09", 1, "samsung", LAND,       "BỘ PHẬN MỘT CỬA | UBND PHƯỜNG THƯỢNG THANH"),
    ("2024/09/phat-dong-ung-ho.jpg",          "podium:female",   "2024:09:12 08:45:03", 1, "samsung", LAND,       "ỦY BAN MTTQ VIỆT NAM PHƯỜNG THƯỢNG THANH | PHÁT ĐỘNG ỦNG HỘ ĐỒNG BÀO BỊ ẢNH HƯỞNG BÃO SỐ 3"),
    ("2024/11/ngay-hoi-dai-doan-ket.jpg",     "park",            "2024:11:16 08:20:45", 1, "nikon",   LAND,       "NGÀY HỘI ĐẠI ĐOÀN KẾT TOÀN DÂN TỘC NĂM 2024"),
    ("2025/03/pho-chu-tich-phat-bieu.jpg",    "podium",          "2025:03:14 14:10:30", 1, "canon",   PORT,       "UBND PHƯỜNG THƯỢNG THANH | TRIỂN KHAI ĐỀ ÁN 06"),
    ("2025/06/toan-canh-phuong.jpg",          "street",          "2025:06:08 06:50:12", 1, "nikon",   LAND,       "PHƯỜNG THƯỢNG THANH - XANH - SẠCH - ĐẸP"),
    ("2026/02/tet-trong-cay.jpg",             "park",            "2026:02:24 08:02:17", 6, "iphone",  PHONE_PORT, "TẾT TRỒNG CÂY XUÂN BÍNH NGỌ 2026"),
    ("2026/10/hoi-nghi-so-ket-9-thang.jpg",   "hall",            "2026:10:08 08:10:00", 1, "canon",   LAND,       "ĐẢNG ỦY - UBND PHƯỜNG THƯỢNG THANH | HỘI NGHỊ | SƠ KẾT CÔNG TÁC 9 THÁNG ĐẦU NĂM 2026"),
    # Portraits named by `photo:` in content/data/officials.yml.
    ("can-bo/pham-thi-minh-hong.jpg",         "portrait:female", "2025:07:10 09:02:11", 1, "canon",   ID_PORT,    ""),
    ("can-bo/vu-trong-thu.jpg",               "portrait",        "2025:07:10 09:05:40", 1, "canon",   ID_PORT,    ""),
    ("can-bo/tran-thi-thu-ha.jpg",            "portrait:female", "2025:07:10 09:09:03", 1, "canon",   ID_PORT,    ""),
]
# fmt: on

GPS_CENTER = (21.0650, 105.8890)

SKIN = [(224, 182, 150), (210, 164, 130), (236, 196, 166), (198, 150, 118)]
HAIR = [(24, 20, 18), (35, 28, 24), (48, 40, 34), (70, 66, 64), (150, 148, 145)]
SHIRTS = [
    (242, 242, 238),
    (236, 238, 244),
    (170, 196, 226),
    (58, 66, 92),
    (36, 40, 52),
    (92, 110, 72),
    (200, 204, 210),
    (120, 40, 48),
    (222, 210, 180),
]
JACKETS = [(34, 36, 44), (48, 52, 64), (60, 62, 58), (30, 40, 70)]
RED = (176, 24, 28)
GOLD = (250, 214, 64)


# ---------------------------------------------------------------- helpers


def jitter(rng, color, amount=12):
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)


def vgrad(size, top, bottom):
    """Vertical colour gradient."""
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def font(size, bold=True):
    return ImageFont.truetype(FONT_BOLD if bold else FONT_REGULAR, max(8, int(size)))


def fit_text(draw, text, max_width, size, bold=True):
    f = font(size, bold)
    while draw.textlength(text, font=f) > max_width and size > 10:
        size *= 0.92
        f = font(size, bold)
    return f


def centered_text(draw, cx, y, text, max_width, *, size, fill, bold=True):
    f = fit_text(draw, text, max_width, size, bold)
    w = draw.textlength(text, font=f)
    draw.text((cx - w / 2, y), text, font=f, fill=fill)
    return f.size


def star(draw, cx, cy, r, fill):
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.382
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=fill)


def flag(draw, x, y, w, wave=0.0):
    h = w * 2 / 3
    draw.rectangle([x, y, x + w, y + h], fill=(200, 22, 30))
    star(draw, x + w / 2, y + h / 2, h * 0.3, GOLD)
    if wave:
        for i in range(4):
            xx = x + w * (i + 0.5) / 4
            draw.line([xx, y, xx, y + h], fill=(170, 16, 24), width=max(1, int(w * wave)))
        star(draw, x + w / 2, y + h / 2, h * 0.3, GOLD)


def bust(draw, rng, cx, top, s, *, facing="front", shirt=None, jacket=None, long_hair=False):
    """Head and shoulders; ``s`` is the head height. Returns torso bottom y."""
    skin = jitter(rng, rng.choice(SKIN), 8)
    hair = rng.choice(HAIR)
    shirt = shirt or rng.choice(SHIRTS)
    hw, hh = s * 0.74, s
    # torso
    tw = s * 2.1
    ty = top + hh * 0.92
    tb = ty + s * 2.4
    body = jacket or shirt
    draw.rounded_rectangle([cx - tw / 2, ty, cx + tw / 2, tb], radius=s * 0.45, fill=body)
    if jacket and facing == "front":
        draw.polygon([(cx - s * 0.28, ty), (cx + s * 0.28, ty), (cx, ty + s * 0.9)], fill=shirt)
        if not long_hair:  # tie
            tie = [cx, ty + s * 0.15, cx, ty + s * 0.85]
            draw.line(tie, fill=(150, 30, 40), width=max(1, int(s * 0.07)))
    if long_hair and facing == "front":  # hair falling behind the shoulders
        draw.rounded_rectangle(
            [cx - hw * 0.62, top + hh * 0.1, cx + hw * 0.62, ty + s * 0.35],
            radius=s * 0.25,
            fill=hair,
        )
    # neck
    draw.rectangle([cx - s * 0.17, top + hh * 0.7, cx + s * 0.17, ty + s * 0.12], fill=skin)
    # head
    box = [cx - hw / 2, top, cx + hw / 2, top + hh]
    if facing == "back":
        draw.ellipse(box, fill=hair)
        if rng.random() < 0.35:  # long hair
            draw.rounded_rectangle(
                [cx - hw * 0.52, top + hh * 0.4, cx + hw * 0.52, ty + s * 0.5],
                radius=s * 0.2,
                fill=hair,
            )
    else:
        draw.ellipse(box, fill=skin)
        draw.chord(
            [box[0] - s * 0.02, top - s * 0.04, box[2] + s * 0.02, top + hh * 0.62],
            180,
            360,
            fill=hair,
        )
        # ears
        draw.ellipse(
            [box[0] - s * 0.06, top + hh * 0.42, box[0] + s * 0.08, top + hh * 0.62], fill=skin
        )
        draw.ellipse(
            [box[2] - s * 0.08, top + hh * 0.42, box[2] + s * 0.06, top + hh * 0.62], fill=skin
        )
        if s > 60:
            ey = top + hh * 0.47
            for ex in (cx - hw * 0.2, cx + hw * 0.2):
                draw.ellipse(
                    [ex - s * 0.05, ey - s * 0.025, ex + s * 0.05, ey + s * 0.025],
                    fill=(40, 30, 28),
                )
            draw.line(
                [cx - s * 0.1, top + hh * 0.78, cx + s * 0.1, top + hh * 0.78],
                fill=(150, 90, 80),
                width=max(1, int(s * 0.025)),
            )
    return tb


def standing(
    draw, rng, cx, foot, height, *, facing="front", shirt=None, jacket=None, pants=None, arms="down"
):
    """Full standing person; returns (head_top, chest_y, head_size).

    ``arms`` is "down" (hanging at the sides) or "front" (hands at the chest,
    holding something drawn by the caller)."""
    s = height / 7.3
    top = foot - height
    pants = pants or rng.choice([(40, 42, 50), (30, 32, 38), (70, 72, 80), (40, 48, 70)])
    shirt = shirt or rng.choice(SHIRTS)
    sleeve = jacket or shirt
    skin = rng.choice(SKIN)
    lw = s * 0.42
    waist = top + s * 3.45
    for sign in (-1, 1):
        x_in, x_out = cx + sign * lw * 0.1, cx + sign * lw * 1.15
        draw.rectangle([min(x_in, x_out), waist, max(x_in, x_out), foot - s * 0.15], fill=pants)
        xs = (cx + sign * lw * 0.05, cx + sign * lw * 1.4)
        draw.ellipse([min(xs), foot - s * 0.3, max(xs), foot + s * 0.05], fill=(20, 18, 18))
    chest = top + s * 2.2
    if arms == "down":
        for sign in (-1, 1):
            x0 = cx + sign * s * 0.8
            x1 = cx + sign * s * 1.2
            draw.rounded_rectangle(
                [min(x0, x1), top + s * 1.05, max(x0, x1), top + s * 3.4],
                radius=s * 0.18,
                fill=jitter(rng, sleeve, 6),
            )
            hx = (x0 + x1) / 2
            draw.ellipse([hx - s * 0.17, top + s * 3.3, hx + s * 0.17, top + s * 3.75], fill=skin)
    draw.rounded_rectangle(
        [cx - s * 0.95, top + s * 0.92, cx + s * 0.95, waist + s * 0.15],
        radius=s * 0.35,
        fill=sleeve,
    )
    bust(draw, rng, cx, top, s, facing=facing, shirt=shirt, jacket=jacket)
    draw.rectangle([cx - lw * 1.2, waist, cx + lw * 1.2, waist + s * 0.2], fill=pants)
    if arms == "front":
        for sign in (-1, 1):
            x0 = cx + sign * s * 0.75
            x1 = cx + sign * s * 1.1
            draw.rounded_rectangle(
                [min(x0, x1), top + s * 1.05, max(x0, x1), chest + s * 0.25],
                radius=s * 0.18,
                fill=jitter(rng, sleeve, 6),
            )
    return top, chest, s


def flowers(draw, rng, x0, x1, y, *, size, density=1.0):
    n = int((x1 - x0) / size * 3 * density)
    palette = [
        (230, 40, 60),
        (250, 200, 40),
        (250, 120, 150),
        (255, 250, 240),
        (240, 110, 30),
        (190, 40, 130),
    ]
    for _ in range(n):
        x = rng.uniform(x0, x1)
        yy = y + rng.uniform(-size * 0.6, size * 0.6)
        r = size * rng.uniform(0.25, 0.6)
        draw.ellipse(
            [x - r * 1.6, yy - r * 0.8, x + r * 1.6, yy + r * 0.8],
            fill=jitter(rng, (50, 110, 45), 20),
        )
    for _ in range(n):
        x = rng.uniform(x0, x1)
        yy = y + rng.uniform(-size * 0.7, size * 0.3)
        r = size * rng.uniform(0.18, 0.4)
        draw.ellipse([x - r, yy - r, x + r, yy + r], fill=jitter(rng, rng.choice(palette), 18))


def backdrop(img, draw, rng, box, lines, *, scale):
    """Red stage backdrop with yellow/white Vietnamese text."""
    x0, y0, x1, y1 = (int(v) for v in box)
    w, h = x1 - x0, y1 - y0
    img.paste(vgrad((w, h), (196, 30, 34), (128, 12, 20)), (x0, y0))
    # faint fabric folds
    for i in range(0, w, max(4, int(60 * scale))):
        draw.line([x0 + i, y0, x0 + i, y1], fill=(150, 18, 26), width=max(1, int(3 * scale)))
    draw.rectangle(box, outline=GOLD, width=max(2, int(10 * scale)))
    # emblem: gold star on a red disc, upper left
    r = h * 0.12
    ex, ey = x0 + w * 0.09, y0 + h * 0.22
    draw.ellipse([ex - r, ey - r, ex + r, ey + r], fill=GOLD)
    draw.ellipse([ex - r * 0.84, ey - r * 0.84, ex + r * 0.84, ey + r * 0.84], fill=(210, 28, 30))
    star(draw, ex, ey, r * 0.6, GOLD)
    if not lines:
        return
    cx = x0 + w * 0.54
    maxw = w * 0.78
    y = y0 + h * 0.12
    first = True
    for line in lines:
        big = not first and len(line) < 30
        size = h * (0.16 if big else 0.085)
        color = GOLD if not first else (255, 255, 255)
        used = centered_text(draw, cx, y, line, maxw, size=size, fill=color)
        y += used * 1.45
        first = False
    # place line in the regular weight
    place = "Thượng Thanh, Long Biên, Hà Nội"
    y = min(y + h * 0.02, y1 - h * 0.12)
    centered_text(draw, cx, y, place, maxw * 0.5, size=h * 0.05, fill=(255, 240, 200), bold=False)


def sky(img, draw, rng, horizon):
    iw, _ = img.size
    top = jitter(rng, (92, 146, 214), 10)
    img.paste(vgrad((iw, horizon), top, (206, 224, 238)), (0, 0))
    for _ in range(rng.randint(5, 9)):
        cx, cy = rng.uniform(0, iw), rng.uniform(0, horizon * 0.7)
        for _ in range(12):
            r = rng.uniform(60, 220) * iw / 4000
            x, y = cx + rng.uniform(-300, 300) * iw / 4000, cy + rng.uniform(-60, 60) * iw / 4000
            draw.ellipse(
                [x - r * 1.8, y - r, x + r * 1.8, y + r], fill=jitter(rng, (246, 248, 252), 6)
            )


def tree(draw, rng, x, ground, height, *, u):
    trunk_w = height * 0.06
    draw.rectangle(
        [x - trunk_w / 2, ground - height * 0.55, x + trunk_w / 2, ground], fill=(88, 64, 48)
    )
    cy = ground - height * 0.72
    base = rng.choice([(58, 110, 52), (44, 96, 44), (70, 124, 60), (52, 104, 66)])
    for _ in range(int(90 + height / (12 * u))):
        a = rng.uniform(0, 2 * math.pi)
        rr = rng.uniform(0, height * 0.3)
        x1 = x + rr * math.cos(a) * 1.2
        y1 = cy + rr * math.sin(a) * 0.9
        r = rng.uniform(0.03, 0.08) * height
        draw.ellipse([x1 - r, y1 - r, x1 + r, y1 + r], fill=jitter(rng, base, 22))


def buildings(draw, rng, iw, ground, *, u, min_h, max_h):
    x = -rng.uniform(0, 200) * u
    palette = [
        (232, 214, 170),
        (214, 200, 190),
        (238, 232, 220),
        (190, 206, 214),
        (226, 190, 150),
        (244, 226, 196),
        (200, 190, 170),
    ]
    while x < iw:
        bw = rng.uniform(260, 520) * u
        bh = rng.uniform(min_h, max_h)
        col = jitter(rng, rng.choice(palette), 10)
        draw.rectangle([x, ground - bh, x + bw, ground], fill=col)
        draw.rectangle([x, ground - bh, x + bw, ground - bh + 22 * u], fill=jitter(rng, col, 30))
        # windows and balconies
        floor_h = rng.uniform(150, 190) * u
        fy = ground - floor_h * 1.4
        while fy > ground - bh + 40 * u:
            for wx in (x + bw * 0.15, x + bw * 0.55):
                draw.rectangle(
                    [wx, fy, wx + bw * 0.3, fy + floor_h * 0.55],
                    fill=jitter(rng, (70, 90, 110), 18),
                )
            draw.rectangle(
                [x + bw * 0.06, fy + floor_h * 0.6, x + bw * 0.94, fy + floor_h * 0.68],
                fill=jitter(rng, (120, 120, 120), 20),
            )
            fy -= floor_h
        # shop sign and shutter on the ground floor
        draw.rectangle(
            [x + bw * 0.05, ground - floor_h * 1.25, x + bw * 0.95, ground - floor_h * 0.95],
            fill=jitter(
                rng, rng.choice([(200, 40, 40), (40, 90, 170), (240, 200, 50), (30, 130, 80)]), 20
            ),
        )
        draw.rectangle(
            [x + bw * 0.1, ground - floor_h * 0.9, x + bw * 0.9, ground],
            fill=jitter(rng, (150, 150, 150), 20),
        )
        x += bw


def banner_strip(draw, box, text, u):
    x0, y0, x1, y1 = box
    draw.rectangle([x0, y0, x1, y1], fill=(196, 22, 30))
    draw.line([x0, y0, x0, y1 + 300 * u], fill=(90, 80, 70), width=int(10 * u) + 1)
    draw.line([x1, y0, x1, y1 + 300 * u], fill=(90, 80, 70), width=int(10 * u) + 1)
    centered_text(
        draw,
        (x0 + x1) / 2,
        y0 + (y1 - y0) * 0.18,
        text,
        (x1 - x0) * 0.92,
        size=(y1 - y0) * 0.6,
        fill=GOLD,
    )


# ---------------------------------------------------------------- scenes


def scene_hall(size, rng, lines):
    iw, ih = size
    u = min(iw, ih) / 3000
    img = vgrad(size, (222, 210, 186), (132, 112, 92))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, iw, ih * 0.09], fill=(196, 188, 170))
    for row in range(2):
        for i in range(9):
            x = iw * (i + 0.5) / 9
            y = ih * (0.025 + row * 0.04)
            d.ellipse([x - 60 * u, y - 14 * u, x + 60 * u, y + 14 * u], fill=(255, 252, 236))
    # side curtains
    for side in (0, 1):
        x0 = 0 if side == 0 else iw * 0.88
        for i in range(12):
            xx = x0 + i * iw * 0.01
            d.rectangle(
                [xx, ih * 0.09, xx + iw * 0.01, ih * 0.62], fill=(120 + (i % 2) * 26, 18, 30)
            )
    stage_top = ih * 0.50
    backdrop(img, d, rng, (iw * 0.14, ih * 0.11, iw * 0.86, stage_top - ih * 0.04), lines, scale=u)
    flag(d, iw * 0.02, ih * 0.14, iw * 0.08, wave=0.01)
    # stage and presidium table with seated officials
    d.rectangle([iw * 0.1, stage_top - ih * 0.04, iw * 0.9, ih * 0.6], fill=(124, 82, 52))
    for i in range(7):
        cx = iw * (0.28 + i * 0.075)
        bust(
            d,
            rng,
            cx,
            stage_top - ih * 0.085,
            62 * u,
            facing="front",
            shirt=(240, 240, 236),
            jacket=rng.choice(JACKETS) if rng.random() < 0.5 else None,
        )
    d.rectangle(
        [iw * 0.24, stage_top - ih * 0.03, iw * 0.76, stage_top + ih * 0.05], fill=(30, 86, 60)
    )
    d.rectangle(
        [iw * 0.24, stage_top - ih * 0.03, iw * 0.76, stage_top - ih * 0.022], fill=(235, 235, 230)
    )
    # podium on the right
    d.polygon(
        [
            (iw * 0.8, stage_top - ih * 0.06),
            (iw * 0.87, stage_top - ih * 0.06),
            (iw * 0.86, ih * 0.58),
            (iw * 0.81, ih * 0.58),
        ],
        fill=(150, 96, 50),
    )
    flowers(d, rng, iw * 0.12, iw * 0.88, ih * 0.585, size=26 * u, density=0.8)
    # depth of field: background softer than audience
    img = img.filter(ImageFilter.GaussianBlur(3 * u))
    d = ImageDraw.Draw(img)
    # audience rows from the back of the hall
    s = 70 * u
    y = ih * 0.6
    while y < ih * 1.05:
        n = int(iw / (s * 1.55))
        off = rng.uniform(0, s)
        for i in range(n + 1):
            cx = off + i * iw / n + rng.uniform(-s * 0.12, s * 0.12)
            if abs(cx - iw * 0.5) < s * 0.9:  # centre aisle
                continue
            top = y + rng.uniform(-s * 0.08, s * 0.08)
            if rng.random() < 0.88:
                bust(d, rng, cx, top, s, facing="back")
            # chair back
            d.rounded_rectangle(
                [cx - s * 0.95, top + s * 1.45, cx + s * 0.95, top + s * 2.7],
                radius=s * 0.2,
                fill=jitter(rng, (150, 30, 40), 10),
            )
        y += s * 1.05
        s *= 1.22
    return img


def scene_podium(size, rng, lines, variant=""):
    iw, ih = size
    u = min(iw, ih) / 3000
    portrait = ih > iw
    img = vgrad(size, (200, 188, 170), (140, 122, 104))
    d = ImageDraw.Draw(img)
    bd_bottom = ih * (0.62 if not portrait else 0.5)
    ext = iw * (0.35 if portrait else 0.12)
    backdrop(img, d, rng, (-ext, -ih * 0.02, iw + ext, bd_bottom), lines, scale=u * 1.6)
    img = img.filter(ImageFilter.GaussianBlur(5 * u))
    d = ImageDraw.Draw(img)
    cx = iw * rng.uniform(0.42, 0.55)
    s = (ih if not portrait else iw) * 0.135
    head_top = ih * (0.2 if not portrait else 0.24)
    jacket = rng.choice(JACKETS) if rng.random() < 0.6 else None
    shirt = (244, 244, 240)
    if variant == "police":  # summer uniform: olive shirt, no jacket
        shirt, jacket = (112, 124, 78), None
    elif variant == "female":
        shirt = rng.choice([(236, 226, 232), (250, 250, 246), (214, 228, 244)])
        jacket = rng.choice([None, (120, 30, 44), (40, 56, 96)])
    bust(
        d,
        rng,
        cx,
        head_top,
        s,
        facing="front",
        shirt=shirt,
        jacket=jacket,
        long_hair=variant == "female",
    )
    # microphone
    mx, my = cx + s * 0.35, head_top + s * 1.05
    d.line(
        [mx, my, cx + s * 0.9, head_top + s * 2.4], fill=(30, 30, 30), width=max(2, int(s * 0.04))
    )
    d.ellipse([mx - s * 0.07, my - s * 0.09, mx + s * 0.07, my + s * 0.09], fill=(20, 20, 20))
    # lectern
    pw = s * 4.2
    py = head_top + s * 2.25
    d.polygon(
        [(cx - pw / 2, py), (cx + pw / 2, py), (cx + pw * 0.42, ih), (cx - pw * 0.42, ih)],
        fill=(146, 92, 50),
    )
    d.rectangle(
        [cx - pw / 2 - s * 0.1, py - s * 0.1, cx + pw / 2 + s * 0.1, py + s * 0.12],
        fill=(112, 68, 36),
    )
    for i in range(1, 6):
        yy = py + (ih - py) * i / 6
        d.line(
            [cx - pw * 0.44, yy, cx + pw * 0.44, yy], fill=(130, 80, 42), width=max(1, int(4 * u))
        )
    er = s * 0.75
    ey = py + s * 1.4
    d.ellipse([cx - er, ey - er, cx + er, ey + er], fill=GOLD)
    d.ellipse([cx - er * 0.82, ey - er * 0.82, cx + er * 0.82, ey + er * 0.82], fill=(205, 30, 32))
    star(d, cx, ey, er * 0.55, GOLD)
    flowers(d, rng, cx - pw * 0.45, cx + pw * 0.45, py + s * 0.05, size=s * 0.3, density=1.4)
    # a seated delegate's shoulder in the foreground, out of focus
    fg = Image.new("RGBA", size, (0, 0, 0, 0))
    fd = ImageDraw.Draw(fg)
    bust(fd, rng, iw * 0.06, ih * 0.78, s * 1.4, facing="back")
    fg = fg.filter(ImageFilter.GaussianBlur(18 * u))
    img.paste(fg, (0, 0), fg)
    return img


def scene_ceremony(size, rng, lines, holding="certificate"):
    iw, ih = size
    u = min(iw, ih) / 3000
    portrait = ih > iw
    img = vgrad(size, (210, 196, 176), (120, 98, 80))
    d = ImageDraw.Draw(img)
    ext = iw * (0.3 if portrait else 0.05)
    backdrop(img, d, rng, (-ext, ih * 0.03, iw + ext, ih * 0.56), lines, scale=u * 1.3)
    flowers(d, rng, 0, iw, ih * 0.78, size=40 * u, density=0.5)
    d.rectangle([0, ih * 0.8, iw, ih], fill=(128, 82, 54))
    img = img.filter(ImageFilter.GaussianBlur(3 * u))
    d = ImageDraw.Draw(img)
    n = rng.randint(3, 4) if portrait else rng.randint(7, 10)
    height = ih * (0.62 if not portrait else 0.5)
    foot = ih * 1.02
    for i in range(n):
        cx = iw * (i + 0.5) / n + rng.uniform(-20, 20) * u
        h = height * rng.uniform(0.94, 1.04)
        is_official = i in (0, n - 1) and rng.random() < 0.7
        jacket = rng.choice(JACKETS) if is_official or rng.random() < 0.3 else None
        shirt = rng.choice([(244, 244, 240), (220, 230, 244), (240, 220, 226)])
        bouquet = is_official or (holding == "gift" and rng.random() < 0.3)
        holds = holding == "gift" or not is_official or bouquet
        _top, chest, s = standing(
            d,
            rng,
            cx,
            foot,
            h,
            facing="front",
            shirt=shirt,
            jacket=jacket,
            arms="front" if holds else "down",
        )
        if holding == "certificate" and not is_official:
            cw, ch = s * 1.7, s * 1.2
            d.rectangle(
                [cx - cw / 2, chest - ch / 2, cx + cw / 2, chest + ch / 2], fill=(250, 244, 222)
            )
            d.rectangle(
                [cx - cw / 2, chest - ch / 2, cx + cw / 2, chest + ch / 2],
                outline=(190, 30, 30),
                width=max(2, int(s * 0.05)),
            )
            for k in range(4):
                yy = chest - ch * 0.25 + k * ch * 0.15
                d.line(
                    [cx - cw * 0.32, yy, cx + cw * 0.32, yy],
                    fill=(120, 90, 80),
                    width=max(1, int(s * 0.02)),
                )
            star(d, cx, chest - ch * 0.36, s * 0.08, (200, 30, 30))
            # hands
            for hx in (cx - cw / 2, cx + cw / 2):
                d.ellipse(
                    [hx - s * 0.12, chest - s * 0.1, hx + s * 0.12, chest + s * 0.14],
                    fill=rng.choice(SKIN),
                )
        if bouquet:
            flowers(d, rng, cx - s * 0.5, cx + s * 0.5, chest + s * 0.2, size=s * 0.18, density=2.2)
        if holding == "gift" and not is_official:
            gw = s * 1.5
            d.rectangle(
                [cx - gw / 2, chest - gw * 0.35, cx + gw / 2, chest + gw * 0.45], fill=(200, 24, 34)
            )
            d.rectangle(
                [cx - s * 0.08, chest - gw * 0.35, cx + s * 0.08, chest + gw * 0.45], fill=GOLD
            )
            d.rectangle([cx - gw / 2, chest, cx + gw / 2, chest + s * 0.14], fill=GOLD)
    return img


def scene_gifts(size, rng, lines):
    return scene_ceremony(size, rng, lines, holding="gift")


def scene_office(size, rng, lines):
    iw, ih = size
    u = min(iw, ih) / 3000
    img = vgrad(size, (238, 232, 214), (196, 188, 170))
    d = ImageDraw.Draw(img)
    # blue sign board
    d.rectangle([iw * 0.08, ih * 0.05, iw * 0.92, ih * 0.2], fill=(22, 70, 150))
    d.rectangle(
        [iw * 0.08, ih * 0.05, iw * 0.92, ih * 0.2], outline=(220, 200, 80), width=int(8 * u) + 1
    )
    centered_text(
        d,
        iw * 0.5,
        ih * 0.065,
        lines[1] if len(lines) > 1 else "",
        iw * 0.6,
        size=ih * 0.04,
        fill=(255, 255, 255),
    )
    centered_text(d, iw * 0.5, ih * 0.115, lines[0], iw * 0.78, size=ih * 0.06, fill=GOLD)
    # floor with perspective tiles
    floor_y = ih * 0.62
    d.rectangle([0, floor_y, iw, ih], fill=(214, 206, 194))
    vx = iw * 0.5
    for i in range(-12, 13):
        d.line(
            [vx + i * iw * 0.02, floor_y, vx + i * iw * 0.2, ih],
            fill=(180, 172, 160),
            width=int(4 * u) + 1,
        )
    yy, step = floor_y, 30 * u
    while yy < ih:
        d.line([0, yy, iw, yy], fill=(180, 172, 160), width=int(4 * u) + 1)
        yy += step
        step *= 1.35
    # counters with staff and monitors
    n = 4
    for i in range(n):
        x0 = iw * (0.04 + i * 0.24)
        x1 = x0 + iw * 0.21
        d.rectangle([x0 + iw * 0.03, ih * 0.24, x1 - iw * 0.03, ih * 0.29], fill=(30, 90, 170))
        centered_text(
            d,
            (x0 + x1) / 2,
            ih * 0.248,
            f"QUẦY SỐ {i + 1}",
            iw * 0.13,
            size=ih * 0.03,
            fill=(255, 255, 255),
        )
        bust(
            d,
            rng,
            (x0 + x1) / 2 + rng.uniform(-40, 40) * u,
            ih * 0.36,
            120 * u,
            facing="front",
            shirt=rng.choice([(240, 240, 236), (200, 220, 240)]),
        )
        d.rectangle([x0 + iw * 0.02, ih * 0.4, x0 + iw * 0.09, ih * 0.47], fill=(26, 28, 34))
        d.rectangle([x0 + iw * 0.025, ih * 0.405, x0 + iw * 0.085, ih * 0.463], fill=(90, 140, 200))
        d.rectangle([x0, ih * 0.47, x1, ih * 0.6], fill=(176, 120, 70))
        d.rectangle([x0, ih * 0.47, x1, ih * 0.49], fill=(220, 200, 170))
        d.rectangle([x0 + iw * 0.01, ih * 0.33, x0 + iw * 0.012, ih * 0.47], fill=(200, 210, 220))
    # queue number display
    d.rectangle([iw * 0.82, ih * 0.3, iw * 0.96, ih * 0.38], fill=(20, 20, 24))
    d.text(
        (iw * 0.835, ih * 0.31),
        str(rng.randint(1000, 1099)),
        font=font(ih * 0.05),
        fill=(250, 60, 40),
    )
    img = img.filter(ImageFilter.GaussianBlur(2.5 * u))
    d = ImageDraw.Draw(img)
    # waiting citizens on rows of metal chairs
    s = 150 * u
    y = ih * 0.62
    for _ in range(2):
        for i in range(6):
            cx = iw * (0.1 + i * 0.16) + rng.uniform(-30, 30) * u
            if rng.random() < 0.8:
                bust(d, rng, cx, y, s, facing="back")
            d.rectangle([cx - s * 0.9, y + s * 1.6, cx + s * 0.9, y + s * 2.3], fill=(40, 80, 150))
        y += s * 1.6
        s *= 1.3
    return img


def _outdoor_base(size, rng, horizon_frac, ground_color):
    iw, ih = size
    u = min(iw, ih) / 3000
    img = Image.new("RGB", size, ground_color)
    d = ImageDraw.Draw(img)
    horizon = int(ih * horizon_frac)
    sky(img, d, rng, horizon)
    d = ImageDraw.Draw(img)
    return img, d, u, horizon


def scene_street(size, rng, lines):
    iw, ih = size
    img, d, u, horizon = _outdoor_base(size, rng, 0.52, (110, 110, 112))
    buildings(d, rng, iw, horizon, u=u, min_h=ih * 0.18, max_h=ih * 0.42)
    # sidewalk and road
    d.rectangle([0, horizon, iw, horizon + ih * 0.06], fill=(176, 160, 150))
    img.paste(
        vgrad((iw, ih - horizon - int(ih * 0.06)), (120, 120, 122), (84, 84, 88)),
        (0, horizon + int(ih * 0.06)),
    )
    for i in range(6):
        y = horizon + ih * 0.09 + i * i * ih * 0.018
        d.rectangle(
            [iw * 0.48 - i * 8 * u, y, iw * 0.52 + i * 8 * u, y + ih * 0.008 * (i + 1)],
            fill=(236, 236, 230),
        )
    for i in range(5):
        tree(
            d,
            rng,
            iw * (0.08 + i * 0.22) + rng.uniform(-50, 50) * u,
            horizon + ih * 0.05,
            ih * 0.42,
            u=u,
        )
    img = img.filter(ImageFilter.GaussianBlur(2 * u))
    d = ImageDraw.Draw(img)
    banner_strip(d, (iw * 0.18, horizon - ih * 0.27, iw * 0.82, horizon - ih * 0.2), lines[0], u)
    # volunteers, far to near
    for dist in sorted(rng.random() for _ in range(rng.randint(9, 13))):
        foot = horizon + ih * 0.08 + dist * ih * 0.42
        h = ih * (0.18 + dist * 0.32)
        cx = rng.uniform(0.03, 0.97) * iw
        shirt = rng.choice([(36, 140, 70), (40, 120, 200), (36, 140, 70), (230, 230, 226)])
        _top, chest, s = standing(
            d, rng, cx, foot, h, facing=rng.choice(["front", "back"]), shirt=shirt
        )
        if rng.random() < 0.6:  # broom or rake
            d.line(
                [cx + s * 0.9, chest - s * 0.6, cx + s * 1.8, foot],
                fill=(150, 110, 60),
                width=max(2, int(s * 0.08)),
            )
            d.polygon(
                [
                    (cx + s * 1.5, foot - s * 0.2),
                    (cx + s * 2.2, foot - s * 0.2),
                    (cx + s * 2.1, foot),
                    (cx + s * 1.5, foot),
                ],
                fill=(200, 170, 90),
            )
        if rng.random() < 0.3:  # rubbish bag
            d.ellipse([cx - s * 1.8, foot - s * 1.2, cx - s * 0.9, foot], fill=(30, 30, 34))
    return img


def scene_park(size, rng, lines):
    iw, ih = size
    img, d, u, horizon = _outdoor_base(size, rng, 0.42, (96, 150, 70))
    buildings(d, rng, iw, horizon, u=u, min_h=ih * 0.06, max_h=ih * 0.16)
    # lake band and grass
    d.rectangle([0, horizon, iw, horizon + ih * 0.06], fill=(118, 150, 170))
    for _ in range(40):
        y = horizon + rng.uniform(0, ih * 0.06)
        x = rng.uniform(0, iw)
        d.line([x, y, x + rng.uniform(80, 300) * u, y], fill=(190, 210, 220), width=int(3 * u) + 1)
    img.paste(
        vgrad((iw, ih - horizon - int(ih * 0.06)), (110, 160, 80), (70, 120, 50)),
        (0, horizon + int(ih * 0.06)),
    )
    for _ in range(1800):
        x, y = rng.uniform(0, iw), rng.uniform(horizon + ih * 0.06, ih)
        r = (y - horizon) / ih * 14 * u + 2
        d.line(
            [x, y, x + rng.uniform(-r, r), y - r * 2],
            fill=jitter(rng, (80, 130, 60), 30),
            width=max(1, int(r / 3)),
        )
    for i in range(4):
        tree(
            d,
            rng,
            iw * (0.05 + i * 0.3) + rng.uniform(-80, 80) * u,
            horizon + ih * 0.08,
            ih * 0.5,
            u=u,
        )
    # tents
    for i in range(3):
        x0 = iw * (0.1 + i * 0.3)
        d.polygon(
            [
                (x0, horizon + ih * 0.02),
                (x0 + iw * 0.22, horizon + ih * 0.02),
                (x0 + iw * 0.19, horizon - ih * 0.06),
                (x0 + iw * 0.03, horizon - ih * 0.06),
            ],
            fill=(240, 240, 244),
        )
        d.rectangle(
            [x0, horizon + ih * 0.02, x0 + iw * 0.22, horizon + ih * 0.035], fill=(40, 90, 180)
        )
        d.line(
            [x0 + 8 * u, horizon + ih * 0.03, x0 + 8 * u, horizon + ih * 0.13],
            fill=(200, 200, 200),
            width=int(8 * u) + 1,
        )
        d.line(
            [
                x0 + iw * 0.22 - 8 * u,
                horizon + ih * 0.03,
                x0 + iw * 0.22 - 8 * u,
                horizon + ih * 0.13,
            ],
            fill=(200, 200, 200),
            width=int(8 * u) + 1,
        )
    img = img.filter(ImageFilter.GaussianBlur(2 * u))
    d = ImageDraw.Draw(img)
    banner_strip(d, (iw * 0.1, horizon - ih * 0.2, iw * 0.9, horizon - ih * 0.13), lines[0], u)
    for dist in sorted(rng.random() for _ in range(rng.randint(10, 15))):
        foot = horizon + ih * 0.14 + dist * ih * 0.4
        h = ih * (0.14 + dist * 0.3)
        cx = rng.uniform(0.03, 0.97) * iw
        shirt = rng.choice(
            [(230, 230, 226), (200, 40, 50), (36, 140, 70), (240, 200, 60), (60, 90, 160)]
        )
        standing(d, rng, cx, foot, h, facing=rng.choice(["front", "back", "front"]), shirt=shirt)
    flag(d, iw * 0.02, horizon - ih * 0.3, iw * 0.1, wave=0.01)
    return img


def scene_drill(size, rng, lines):
    iw, ih = size
    img, d, u, horizon = _outdoor_base(size, rng, 0.6, (150, 150, 148))
    buildings(d, rng, iw, horizon, u=u, min_h=ih * 0.25, max_h=ih * 0.5)
    # smoke and fire from one building
    fx = iw * rng.uniform(0.35, 0.6)
    smoke = Image.new("RGBA", size, (0, 0, 0, 0))
    sd = ImageDraw.Draw(smoke)
    for k in range(60):
        t = k / 60
        x = fx + rng.uniform(-200, 200) * u + t * 500 * u
        y = horizon - ih * 0.3 - t * ih * 0.35
        r = (120 + t * 300) * u
        g = rng.randint(70, 140)
        sd.ellipse([x - r, y - r, x + r, y + r], fill=(g, g, g, 150))
    for _ in range(30):
        x = fx + rng.uniform(-120, 120) * u
        y = horizon - ih * 0.28 + rng.uniform(-60, 60) * u
        r = rng.uniform(30, 90) * u
        sd.ellipse(
            [x - r, y - r * 1.5, x + r, y + r],
            fill=rng.choice([(255, 140, 20, 230), (255, 200, 40, 230), (240, 80, 20, 230)]),
        )
    smoke = smoke.filter(ImageFilter.GaussianBlur(25 * u))
    img.paste(smoke, (0, 0), smoke)
    d = ImageDraw.Draw(img)
    img.paste(vgrad((iw, ih - horizon), (160, 160, 156), (110, 110, 108)), (0, horizon))
    d = ImageDraw.Draw(img)
    img = img.filter(ImageFilter.GaussianBlur(2 * u))
    d = ImageDraw.Draw(img)
    banner_strip(d, (iw * 0.05, horizon - ih * 0.1, iw * 0.55, horizon - ih * 0.05), lines[0], u)
    # fire truck
    tx, ty = iw * 0.58, horizon + ih * 0.02
    d.rectangle([tx, ty - ih * 0.14, tx + iw * 0.36, ty + ih * 0.06], fill=(200, 20, 26))
    d.rectangle([tx + iw * 0.27, ty - ih * 0.2, tx + iw * 0.36, ty - ih * 0.06], fill=(200, 20, 26))
    d.rectangle(
        [tx + iw * 0.28, ty - ih * 0.19, tx + iw * 0.35, ty - ih * 0.11], fill=(60, 80, 100)
    )
    d.rectangle([tx, ty - ih * 0.02, tx + iw * 0.36, ty], fill=(240, 240, 240))
    for k in range(6):
        d.line(
            [
                tx + iw * 0.02,
                ty - ih * 0.15 - k * 4 * u,
                tx + iw * 0.25,
                ty - ih * 0.17 - k * 20 * u,
            ],
            fill=(200, 200, 200),
            width=int(6 * u) + 1,
        )
    for wx in (tx + iw * 0.06, tx + iw * 0.3):
        d.ellipse(
            [wx - ih * 0.045, ty + ih * 0.02, wx + ih * 0.045, ty + ih * 0.11], fill=(20, 20, 20)
        )
        d.ellipse(
            [wx - ih * 0.02, ty + ih * 0.045, wx + ih * 0.02, ty + ih * 0.085], fill=(160, 160, 160)
        )
    # water jet
    sx, sy = iw * 0.3, ih * 0.8
    for k in range(120):
        t = k / 120
        x = sx + (fx - sx) * t
        y = sy - math.sin(t * math.pi * 0.9) * ih * 0.55 + t * (horizon - ih * 0.28 - sy) * 0.2
        r = (10 + 30 * t) * u
        d.ellipse([x - r, y - r, x + r, y + r], fill=jitter(rng, (214, 232, 246), 10))
    # firefighters and residents
    for dist in sorted(rng.random() for _ in range(rng.randint(6, 9))):
        foot = horizon + ih * 0.12 + dist * ih * 0.3
        h = ih * (0.16 + dist * 0.25)
        cx = rng.uniform(0.05, 0.6) * iw
        uniform_ = rng.random() < 0.6
        shirt = (196, 160, 70) if uniform_ else rng.choice(SHIRTS)
        top, chest, s = standing(
            d,
            rng,
            cx,
            foot,
            h,
            facing=rng.choice(["front", "back"]),
            shirt=shirt,
            pants=(150, 120, 60) if uniform_ else None,
        )
        if uniform_:
            d.chord(
                [cx - s * 0.5, top - s * 0.15, cx + s * 0.5, top + s * 0.6],
                180,
                360,
                fill=(220, 30, 30),
            )
        elif rng.random() < 0.6:  # extinguisher
            d.rounded_rectangle(
                [cx + s * 0.8, chest, cx + s * 1.2, chest + s * 1.4],
                radius=s * 0.15,
                fill=(210, 20, 20),
            )
    d.line([sx, sy, sx - iw * 0.1, ih], fill=(220, 220, 210), width=int(24 * u))
    return img


def scene_portrait(size, rng, lines, variant=""):
    """Head and shoulders against a plain studio backdrop, as on an official's card."""
    iw, ih = size
    img = vgrad(size, (196, 212, 228), (120, 146, 176))
    d = ImageDraw.Draw(img)
    s = iw * 0.3
    if variant == "female":
        shirt = rng.choice([(250, 250, 246), (236, 226, 232)])
        jacket = rng.choice([(120, 30, 44), (40, 56, 96)])
    else:
        shirt, jacket = (244, 244, 240), rng.choice(JACKETS)
    bust(d, rng, iw / 2, ih * 0.2, s, shirt=shirt, jacket=jacket, long_hair=variant == "female")
    return img


SCENES = {
    "portrait": scene_portrait,
    "hall": scene_hall,
    "podium": scene_podium,
    "ceremony": scene_ceremony,
    "gifts": scene_gifts,
    "office": scene_office,
    "street": scene_street,
    "park": scene_park,
    "drill": scene_drill,
}


# ---------------------------------------------------------------- finishing


def finish(img, rng, full_size, grain=6):
    """Lighting falloff and lens softness at working size, then upscale to
    the camera size and add seeded sensor noise (no numpy needed)."""
    iw, ih = img.size
    u = min(iw, ih) / 3000
    img = img.filter(ImageFilter.GaussianBlur(1.2 * u))
    # vignette
    vign = Image.radial_gradient("L").resize((iw, ih), Image.Resampling.BILINEAR)
    strength = rng.uniform(0.22, 0.32)
    vign = vign.point(lambda v: int(255 - min(255, v) * strength))
    # uneven exposure: a smooth ramp interpolated from four random corners
    corners = Image.new("L", (2, 2))
    corners.putdata([rng.randint(205, 255) for _ in range(4)])
    light = corners.resize((iw, ih), Image.Resampling.BILINEAR)
    shade = ImageChops.multiply(vign, light).convert("RGB")
    img = ImageChops.multiply(img, shade)
    tint = (255, 238, 214) if rng.random() < 0.6 else (226, 236, 255)
    img = Image.blend(img, ImageChops.multiply(img, Image.new("RGB", (iw, ih), tint)), 0.35)
    img = ImageChops.add(img, Image.new("RGB", (iw, ih), (12, 10, 9)))  # lifted blacks
    img = img.resize(full_size, Image.Resampling.BICUBIC)
    # sensor noise: luminance grain plus weaker, coarser chroma noise
    fw, fh = full_size
    lum = Image.frombytes("L", full_size, rng.randbytes(fw * fh))
    lum = lum.point(lambda v: 128 + (v * (2 * grain + 1)) // 256 - grain)
    half = (fw // 2, fh // 2)
    chroma = [
        Image.frombytes("L", half, rng.randbytes(half[0] * half[1]))
        .point(lambda v: 128 + (v * 5) // 256 - 2)
        .resize(full_size, Image.Resampling.BILINEAR)
        for _ in range(3)
    ]
    noise = Image.merge("RGB", [ImageChops.add(lum, c, 1.0, -128) for c in chroma])
    return ImageChops.add(img, noise, 1.0, -128)


# ---------------------------------------------------------------- EXIF


def dms(value):
    deg = int(value)
    minutes_full = (value - deg) * 60
    minutes = int(minutes_full)
    seconds = round((minutes_full - minutes) * 60 * 100)
    return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))


def make_exif(rng, camera, taken, orientation, stored_size):
    make, model = CAMERAS[camera]
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0112] = orientation
    exif[0x0131] = "sample_photos.py"
    exif[0x0132] = taken
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = taken  # DateTimeOriginal
    sub[0x9004] = taken  # DateTimeDigitized
    sub[0xA002] = stored_size[0]
    sub[0xA003] = stored_size[1]
    lat = GPS_CENTER[0] + rng.uniform(-0.0025, 0.0025)
    lon = GPS_CENTER[1] + rng.uniform(-0.0025, 0.0025)
    gps = exif.get_ifd(0x8825)
    gps[0] = b"\x02\x03\x00\x00"
    gps[1] = "N"
    gps[2] = dms(lat)
    gps[3] = "E"
    gps[4] = dms(lon)
    return exif


# Transpose that turns the upright picture into the stored pixel data; the
# inverse of what ImageOps.exif_transpose applies for each Orientation.
STORE_TRANSPOSE = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def render(job):
    out_dir, (path, scene, taken, orientation, camera, size, banner) = job
    rng = random.Random(zlib.crc32(path.encode("utf-8")))
    scene, _, variant = scene.partition(":")
    lines = tuple(banner.split(" | "))
    work = (size[0] // 2, size[1] // 2)  # render at half size, upscale in finish()
    options = {"variant": variant} if variant else {}
    img = finish(SCENES[scene](work, rng, lines, **options), rng, size)
    if orientation in STORE_TRANSPOSE:
        img = img.transpose(STORE_TRANSPOSE[orientation])
    exif = make_exif(rng, camera, taken, orientation, img.size)
    target = os.path.join(out_dir, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    img.save(target, "JPEG", quality=85, optimize=True, exif=exif.tobytes())
    return path, img.size, orientation, os.path.getsize(target)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: python tools/sample_photos.py OUTPUT_DIR [NAME ...]\n")
        return 2
    out_dir, names = argv[1], set(argv[2:])
    jobs = [(out_dir, spec) for spec in PHOTOS if not names or spec[0] in names]
    total = 0
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for path, stored, orientation, nbytes in pool.map(render, jobs):
            total += nbytes
            print(
                f"{path}  {stored[0]}x{stored[1]}  orientation={orientation}  {nbytes / 1e6:.2f} MB"
            )
    print(f"{len(jobs)} photos, {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
