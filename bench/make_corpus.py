"""Generate a synthetic ward-news corpus: N Vietnamese articles with metadata and figures.

    python bench/make_corpus.py OUT_DIR [N]

Deterministic (seeded), so two runs give the same corpus. Articles go to OUT/bai-viet/YYYY/,
a few small photo-like JPEGs to OUT/images/bench/, and the officials registry (content/data/,
with the officials' photos) is copied so the project's plugins see what they see on the
real site and the build has no warning.
"""

import random
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
END = datetime(2026, 11, 1, 7, 30)
CATEGORIES = [
    "Tin hoạt động",
    "Thông báo",
    "Phát biểu chỉ đạo",
    "Hoạt động các phường",
    "Cải cách hành chính",
]
SUBJECTS = [
    "Đảng ủy phường", "UBND phường", "Ủy ban MTTQ phường", "Hội Liên hiệp Phụ nữ",
    "Đoàn Thanh niên", "Hội Cựu chiến binh", "Công an phường", "Tổ dân phố số 5",
]  # fmt: skip
ACTIONS = [
    "tổ chức hội nghị sơ kết công tác", "ra quân tổng vệ sinh môi trường",
    "triển khai kế hoạch cải cách hành chính", "tuyên truyền phòng chống dịch bệnh",
    "trao quà cho các gia đình chính sách", "diễn tập phương án phòng cháy chữa cháy",
    "tiếp công dân định kỳ", "số hóa hồ sơ một cửa",
]  # fmt: skip
PEOPLE = [
    "Đ/c Phạm Thị Minh Hồng – Bí thư Đảng ủy phường",
    "đồng chí Nguyễn Văn Chiến - Phó Bí thư Thường trực Đảng ủy phường",
    "Đ/c Vũ Trọng Thư – Phó Bí thư, Chủ tịch UBND phường",
    "đồng chí Bùi Quang Cự – Phó Chủ tịch UBND phường",
]
SENTENCES = [
    "Hội nghị đã đánh giá kết quả đạt được và chỉ ra những tồn tại cần khắc phục.",
    "Tổng số hồ sơ tiếp nhận tại bộ phận một cửa là {n} hồ sơ, giải quyết đúng hạn đạt {p}%.",
    "Các tổ dân phố đã phối hợp chặt chẽ với lực lượng chức năng trên địa bàn.",
    "Phát biểu tại buổi lễ, {person} đề nghị các đơn vị tiếp tục phát huy tinh thần trách nhiệm.",
    "Kinh phí thực hiện là {money} tỷ đồng, từ nguồn ngân sách phường và xã hội hóa.",
    "Người dân được hướng dẫn sử dụng dịch vụ công trực tuyến ngay tại nhà văn hóa.",
    "Trong thời gian tới, phường sẽ tiếp tục rà soát, bổ sung kế hoạch cho phù hợp thực tế.",
]


def make_images(folder, count=6):
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    names = []
    for i in range(count):
        img = Image.new("RGB", (1600, 1200), (rng.randrange(90, 200), 60, 40))
        draw = ImageDraw.Draw(img)
        for _ in range(40):
            x, y = rng.randrange(1600), rng.randrange(1200)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 300)), colour)
        img = img.filter(ImageFilter.GaussianBlur(3))
        name = f"anh-{i + 1}.jpg"
        img.save(folder / name, quality=85)
        names.append(name)
    return names


def paragraph(rng):
    out = []
    for _ in range(rng.randrange(3, 6)):
        out.append(
            rng.choice(SENTENCES).format(
                n=f"{rng.randrange(1000, 20000):,}".replace(",", "."),
                p=rng.randrange(80, 100),
                person=rng.choice(PEOPLE),
                money=f"{rng.randrange(1, 9)},{rng.randrange(1, 9)}",
            )
        )
    return " ".join(out)


def article(i, rng, images, n):
    # Every 9 hours or so, the newest a few weeks before the end of 2026: all in the past,
    # as a ward's archive is (10,000 articles reach back to 2016).
    date = END - timedelta(hours=(n - i) * 9 - rng.randrange(8))
    subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
    title = f"{subject} {action} (số {i + 1})"
    image = f"images/bench/{rng.choice(images)}"
    body = [paragraph(rng)]
    for _ in range(rng.randrange(1, 3)):
        caption = f"{rng.choice(PEOPLE)} phát biểu tại hội nghị"
        body.append(f'![{subject} {action}]({image} "{caption}")')
        body.append(paragraph(rng))
    if rng.random() < 0.3:
        body.append("## Nhiệm vụ thời gian tới")
        body.append("\n".join(f"{k}. {rng.choice(SENTENCES)}" for k in range(1, 4)))
    header = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {rng.choice(CATEGORIES)}",
        f"Tags: {subject}, {rng.choice(['Hội nghị', 'Môi trường', 'Một cửa', 'An sinh'])}",
        f"Summary: {subject} {action} năm {date.year}.",
        f"Image: {image}",
    ]
    return date, "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def main(out, n):
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(2022)
    images = make_images(out / "images" / "bench")
    for i in range(n):
        date, text = article(i, rng, images, n)
        path = out / "bai-viet" / str(date.year) / f"bai-{i + 1:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    data = ROOT / "content" / "data"
    if data.is_dir():
        shutil.copytree(data, out / "data")
        shutil.copytree(ROOT / "content" / "images" / "can-bo", out / "images" / "can-bo")
    return out


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
