"""Development settings of the ward news site (`make html`, `make serve`).

Production differences live in publishconf.py, which imports this file.
"""

import logging
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent

# --- The ward -------------------------------------------------------------
SITENAME = "Phường Thượng Thanh"
SITESUBTITLE = "Cổng thông tin điện tử phường Thượng Thanh, quận Long Biên, Hà Nội"
SITEURL = ""  # root-relative links in development; publishconf.py sets the real one
AUTHOR = "Văn phòng UBND phường Thượng Thanh"

# Agency details shown in the footer (Decree 42/2022/NĐ-CP asks a government portal for
# them). Only settings, never hard-coded in the templates.
WARD = {
    "name": "Ủy ban nhân dân phường Thượng Thanh",
    "parent": "Quận Long Biên – Thành phố Hà Nội",
    "address": "Số 2 phố Thượng Thanh, phường Thượng Thanh, quận Long Biên, Hà Nội",
    "phone": "024 3877 1234",
    "email": "ubndthuongthanh@longbien.hanoi.gov.vn",
    "responsible": "Đồng chí Vũ Trọng Thư – Chủ tịch UBND phường",
    "licence": "Giấy phép số 12/GP-TTĐT ngày 15/03/2022 của Sở Thông tin và Truyền thông Hà Nội",
}

# --- Language, time, numbers ------------------------------------------------
DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"
# Dates and numbers are formatted by the `vietnamese` plugin through Babel (filters
# vi_datetime, vi_date, vi_weekday, vi_number), so no system locale is needed.
DEFAULT_DATE_FORMAT = "%d/%m/%Y | %H:%M"
WITH_FUTURE_DATES = False  # a future-dated article is a draft until its date

# --- Content ------------------------------------------------------------------
PATH = "content"
READERS = {"rst": None, "html": None}  # staff write Markdown only
ARTICLE_PATHS = ["bai-viet"]
PAGE_PATHS = ["pages"]
# Nothing is copied from content/ as it is: the `photos` plugin publishes resized,
# metadata-free variants of the photos content uses (PHOTOS below), the `portal` plugin the
# files of content/files/ an article declares (`Attachments:`) or links to. Pelican's own
# static copy would take every file of a folder, following symlinks out of content/.
STATIC_PATHS = []
IGNORE_FILES = [".#*", "*~", ".*.swp", "README.md"]
DEFAULT_CATEGORY = "Tin hoạt động"
DEFAULT_PAGINATION = 12
DEFAULT_ORPHANS = 2
SUMMARY_MAX_LENGTH = 40
TYPOGRIFY = True
# Typogrify's `caps` only sees ASCII capitals (it would wrap UBND but not HĐND or ĐẢNG ỦY),
# `amp` and `initial_quotes` put <span>s into titles: we keep only smartypants and widont.
TYPOGRIFY_OMIT_FILTERS = ["caps", "amp", "initial_quotes"]

# --- URLs: readable, ASCII, without .html ---------------------------------------
SLUGIFY_SOURCE = "title"
# Slugs (of articles, pages, tags, authors) made of a-z, 0-9 and single inner hyphens only:
# Pelican's default keeps '_' and a leading or trailing '-'. plugins/ward_reader refuses
# any other slug, and two files writing one page.
SLUG_REGEX_SUBSTITUTIONS = [
    (r"[^\w\s-]", ""),
    (r"[\s_-]+", "-"),
    (r"\A-+|-+\Z", ""),
]
# Pelican's English warning for two items with one slug: ward_reader reports them in
# Vietnamese, naming the files and lines, and keeps the older one (the message's template
# has one '\n%s' per item, hence one entry per count).
LOG_FILTER = [
    (logging.WARNING, template + "\n%s" * count)
    for template in (
        'There are %s items "%s" with lang %s: ',
        "There are %s original (not translated) items %s: ",
    )
    for count in range(2, 6)
]
# ward_reader reports a tag or author without letters in Vietnamese, with file and line.
LOG_FILTER.append((logging.WARNING, 'Unable to generate valid slug for %s "%s".'))
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = "chuyen-muc/index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = "the/{slug}/index.html"
TAGS_URL = "the/"
TAGS_SAVE_AS = "the/index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = "tac-gia/{slug}/index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = "tac-gia/index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_URL = "luu-tru/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
DRAFT_PAGE_URL = "ban-nhap/trang/{slug}/"
DRAFT_PAGE_SAVE_AS = "ban-nhap/trang/{slug}/index.html"
INDEX_SAVE_AS = "index.html"
INDEX_URL = ""
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = "tim-kiem/index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "search"]
PAGINATED_TEMPLATES = {
    "index": None,
    "tag": None,
    "category": None,
    "author": None,
    "period_archives": None,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
RELATIVE_URLS = False
# One language: no article is a translation of another (two files with one slug are an error
# of ward_reader, naming both). Pelican's translation matching is quadratic in the site.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# --- Feeds: none in development, publishconf.py turns them on ---------------------
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Theme ------------------------------------------------------------------------
THEME = "theme"
# Autoescape on: settings, labels and metadata are escaped; only HTML that Pelican made
# (content, typogrified titles and summaries) is marked |safe in the templates.
# auto_reload off: Jinja would stat a template file each time a page includes it; every
# build (`make devserver` too) makes new generators, so templates are read afresh anyway.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}
# Every label a reader sees, in one file.
JINJA_GLOBALS = {
    "L": yaml.safe_load((ROOT / "theme" / "labels.yml").read_text(encoding="utf-8")),
}

# --- Plugins: each a package in plugins/, in the order they run --------------------
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "pelican_fast",
    "build_report",
    "ward_reader",
    "vietnamese",
    "figures",
    "unpublished",
    "view_counts",
    "officials",
    "photos",
    "portal",
    "sitemap",
    "publish_manifest",  # records what every other plugin wrote
    "incremental",  # last: removes what no part claims, keeps page digests for the next build
]

WARD_READER = {
    "categories": [
        "Tin hoạt động",
        "Thông báo",
        "Phát biểu chỉ đạo",
        "Hoạt động các phường",
        "Cải cách hành chính",
    ],
}
# The portal theme's data: pinned announcements, related articles, attachments.
PORTAL = {
    "related_count": 5,
    "latest_per_category": 4,
    "attachments_dir": "files",
    "zalo_oaid": "",  # the ward's Zalo Official Account id, when it has one
}
SITEMAP = {}
# Officials: the registry is content/data/officials.yml; pages at /can-bo/<id>/.
# See plugins/officials/settings.py for every option.
OFFICIALS = {
    "registry": "data/officials.yml",
    "url": "can-bo/{id}/",
    "index_url": "can-bo/",
    # A title naming another ward ("Chủ tịch UBND phường Ngọc Thụy") is another person.
    "home_places": ["Thượng Thanh", "Long Biên", "Hà Nội"],
}
# Drafts go to output/ban-nhap/ for staff to preview, listed at /ban-nhap/ (drafts.html).
UNPUBLISHED = {"write": True, "url": "ban-nhap/", "save_as": "ban-nhap/index.html"}
BUILD_REPORT = {"fail": False}  # `make html` sums up problems and goes on

LOAD_CONTENT_CACHE = False
# Pages are rendered again only when what they show changed, files written only when their
# bytes changed (plugins/incremental lists the options).
INCREMENTAL = {}

# Photo variants (plugins/photos/settings.py lists every key and its default). The cache
# in var/photos keeps them between builds, so `make clean` does not mean re-processing.
PHOTOS = {
    "widths": [480, 800, 1200, 1600],
    "formats": ["webp", "jpeg"],
    "publish_originals": False,
    "missing_placeholder": True,  # a missing photo shows as a box naming it (not in publish)
}
