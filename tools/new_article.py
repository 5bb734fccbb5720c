"""`make new TITLE="…" [CATEGORY="…"] [TYPE=tin|thong-bao|phat-bieu]`: start an article.

    python tools/new_article.py --title "…" [--category "…"] [--type tin] [--content content]

Writes content/bai-viet/<year>/<slug>.md with every header line (the date is now in the
site's time zone, day first as staff write it; `Status: draft`), and prints the file and
its preview address. Refuses an unknown category (with the closest one) and a title whose
slug another article already has (naming that article).
"""

import argparse
import difflib
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from pelican.settings import read_settings  # noqa: E402
from pelican.utils import slugify  # noqa: E402

from ward_reader.header import read_header  # noqa: E402
from ward_reader.reader import decode  # noqa: E402

# What each kind of article starts with: its category and a first paragraph to replace.
TYPES = {
    "tin": ("Tin hoạt động", "Đoạn mở đầu: sự kiện gì, ở đâu, khi nào, ai dự."),
    "thong-bao": ("Thông báo", "Nội dung thông báo: việc gì, ai cần làm gì, hạn đến khi nào."),
    "phat-bieu": (
        "Phát biểu chỉ đạo",
        "Ai phát biểu, ở đâu, dịp nào; rồi những ý chính của bài phát biểu.",
    ),
}
PREVIEW = "http://localhost:8000"


def slug_of(title, settings):
    return slugify(
        title,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=False,
        use_unicode=False,
    )


def existing_slugs(content, settings):
    """{slug: file} of every article and page under `content`."""
    found = {}
    for path in sorted(content.rglob("*.md")):
        try:
            fields, _ = read_header(decode(path))
        except ValueError:
            continue  # a file that is not UTF-8: `make check` reports it
        slug = fields.get("slug", (0, ""))[1] or slug_of(fields.get("title", (0, ""))[1], settings)
        if slug:
            found.setdefault(slug, path)
    return found


def article_text(title, category, kind, date):
    first = TYPES[kind][1]
    lines = [
        f"Title: {title}",
        f"Date: {date:%d/%m/%Y %H:%M}",
        f"Category: {category}",
        "Tags: ",
        "Summary: ",
        "Status: draft",
        "",
        first,
        "",
        f"Ảnh: chép vào content/images/{date:%Y/%m}/, rồi chèn trên một dòng riêng theo mẫu "
        "dấu chấm than, mô tả trong ngoặc vuông, đường dẫn và chú thích trong ngoặc tròn "
        "(xem README). Xóa dòng 'Status: draft' ở trên khi bài đã sẵn sàng đăng.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make new")
    # `make new TITLE=… CATEGORY=… TYPE=…` passes them in the environment (no quoting).
    parser.add_argument("--title", default=os.environ.get("TITLE", ""))
    parser.add_argument("--category", default=os.environ.get("CATEGORY", ""))
    parser.add_argument("--type", default=os.environ.get("TYPE") or "tin")
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    args = parser.parse_args(argv)
    title = " ".join(args.title.split())
    if not title:
        print('Cần tiêu đề bài, ví dụ: make new TITLE="Hội nghị sơ kết 6 tháng đầu năm 2026"')
        return 2
    if args.type not in TYPES:
        print(
            f"Loại bài '{args.type}' không có. Dùng TYPE=tin, TYPE=thong-bao hoặc TYPE=phat-bieu."
        )
        return 2
    settings = read_settings(args.settings)
    categories = settings.get("WARD_READER", {}).get("categories", [])
    category = " ".join(args.category.split()) or TYPES[args.type][0]
    if categories and category not in categories:
        close = difflib.get_close_matches(category, categories, n=1)
        hint = f" Có phải là '{close[0]}'?" if close else ""
        print(
            f"Chuyên mục '{category}' không có trên trang.{hint} Các chuyên mục: "
            f"{', '.join(categories)}."
        )
        return 2
    content = Path(args.content)
    slug = slug_of(title, settings)
    if not slug:
        print("Tiêu đề cần có chữ hoặc số (để làm địa chỉ bài).")
        return 2
    taken = existing_slugs(content, settings)
    if slug in taken:
        print(
            f"Đã có bài dùng địa chỉ '{slug}': {taken[slug]}. Hãy đặt tiêu đề khác đi một "
            "chút (thêm tháng, năm hay nơi diễn ra), hoặc mở bài đó để sửa."
        )
        return 1
    now = datetime.now(ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh"))
    path = content / "bai-viet" / str(now.year) / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:
        f.write(article_text(title, category, args.type, now))
    print(f"Đã tạo bài: {path}")
    print(f"Xem thử (khi 'make devserver' đang chạy): {PREVIEW}/ban-nhap/{slug}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
