"""Development settings of the ward news site (`make html`, `make serve`).

Production differences live in publishconf.py, which imports this file.
"""

import logging
from pathlib import Path

import yaml
from jinja2 import FileSystemBytecodeCache

ROOT = Path(__file__).resolve().parent

# --- The ward -------------------------------------------------------------
SITENAME = "Phường Thượng Thanh"
# Since 1 July 2025 wards sit directly under the city (no district): no district is named.
SITESUBTITLE = "Cổng thông tin điện tử phường Thượng Thanh, thành phố Hà Nội"
SITEURL = ""  # root-relative links in development; publishconf.py sets the real one
AUTHOR = "Văn phòng UBND phường Thượng Thanh"

# Agency details shown in the footer (Decree 42/2022/NĐ-CP asks a government portal for
# them). Only settings, never hard-coded in the templates.
WARD = {
    "name": "Ủy ban nhân dân phường Thượng Thanh",
    "parent": "Thành phố Hà Nội",
    "address": "Số 2 phố Thượng Thanh, phường Thượng Thanh, thành phố Hà Nội",
    "phone": "024 3877 1234",
    "email": "ubndthuongthanh@hanoi.gov.vn",
    "responsible": "Đồng chí Vũ Trọng Thư – Chủ tịch UBND phường",
    "licence": "Giấy phép số 12/GP-TTĐT ngày 15/03/2022 của Sở Thông tin và Truyền thông Hà Nội",
    # The "Gửi câu hỏi" page (plugins/questions): when the offices answer, and the national
    # public-service portal's page for feedback and petitions (phản ánh, kiến nghị).
    "office_hours": "thứ Hai đến thứ Sáu, sáng từ 8:00 đến 12:00, chiều từ 13:00 đến 17:00; "
    "Bộ phận Một cửa làm việc thêm sáng thứ Bảy",
    "feedback_url": "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-phan-anh.html",
    # The English pages (/en/, officials plugin) show these in place of the keys above.
    "en": {
        "name": "Thuong Thanh Ward People's Committee",
        "parent": "Hanoi City",
        "address": "No. 2 Thuong Thanh Street, Thuong Thanh Ward, Hanoi",
        "responsible": "Vu Trong Thu, Chairman of the Ward People's Committee",
        "licence": "Licence No. 12/GP-TTĐT of 15 March 2022, issued by the Hanoi Department "
        "of Information and Communications",
        "hours": "Monday to Friday, 8:00–12:00 and 13:00–17:00; the one-stop office is also "
        "open on Saturday mornings",
    },
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
# bytecode_cache: compiled templates kept on disk (Jinja's own cache folder, in the system's
# temporary folder, private to the user; a template whose source changed is compiled again).
# Pelican makes a Jinja environment per generator and per build: compiling the theme's
# templates took 2.3 s of a 6 s build of the sample site.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
    "bytecode_cache": FileSystemBytecodeCache(),
}


def _labels(name):
    # libyaml's loader when PyYAML has it (its wheels do): this file is read on every build,
    # the preview's too, and the pure-Python loader took 0.09 s of each.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((ROOT / "theme" / name).read_text(encoding="utf-8"), Loader=loader)


# Every label a reader sees, in one file.
JINJA_GLOBALS = {
    "L": _labels("labels.yml"),
    # The English pages' labels (en_*.html use L_EN.<key>, and take its keys over L's).
    "L_EN": _labels("labels-en.yml"),
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
    "documents",  # văn bản: content/van-ban/, pages under /van-ban/ (before sitemap)
    "work_calendar",  # lịch công tác: content/lich-cong-tac/*.yml, /lich-cong-tac/, lich.ics
    "questions",  # hỏi đáp: content/hoi-dap/*.md, /hoi-dap/ and /hoi-dap/gui-cau-hoi/
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
# Work calendar (lịch công tác): one YAML file per ISO week in content/lich-cong-tac/;
# every option and its default in plugins/work_calendar/settings.py.
WORK_CALENDAR = {}
# Citizens' questions (hỏi đáp): content/hoi-dap/*.md; the "Gửi câu hỏi" page takes its
# ways to ask from WARD. Every option in plugins/questions/settings.py.
QUESTIONS = {}
# Documents (văn bản): content/van-ban/*.md, pages at /van-ban/; every option and its default
# in plugins/documents/settings.py. The Atom feed is on in publishconf.py only.
DOCUMENTS = {}
# Officials: the registry is content/data/officials.yml; pages at /can-bo/<id>/.
# See plugins/officials/settings.py for every option.
OFFICIALS = {
    "registry": "data/officials.yml",
    "url": "can-bo/{id}/",
    "index_url": "can-bo/",
    # A title naming another ward ("Chủ tịch UBND phường Ngọc Thụy") is another person.
    # "Long Biên" stays for the articles written while the ward was in quận Long Biên.
    "home_places": ["Thượng Thanh", "Long Biên", "Hà Nội"],
    # The bodies a position belongs to (`body:` in the registry), in the order of the
    # organisation page (/co-cau-to-chuc/) and the index (/can-bo/); `about`: what it does.
    "bodies": [
        {
            "key": "dang-uy",
            "name": "Đảng ủy phường",
            "name_en": "Ward Party Committee",
            "about": "Lãnh đạo toàn diện công tác của phường; các chi bộ trực thuộc sinh hoạt ở "
            "khu dân cư, cơ quan, trường học.",
            "about_en": "Leads the work of the ward as a whole; its party cells meet in the "
            "residential areas, offices and schools.",
        },
        {
            "key": "hdnd",
            "name": "Hội đồng nhân dân phường",
            "name_en": "Ward People's Council",
            "about": "Cơ quan quyền lực nhà nước ở phường, do cử tri trong phường bầu ra; quyết "
            "định các vấn đề quan trọng của phường và giám sát hoạt động của UBND phường.",
            "about_en": "The local body of state power, elected by the ward's voters: it "
            "decides the ward's main matters and oversees the People's Committee.",
        },
        {
            "key": "ubnd",
            "name": "Ủy ban nhân dân phường",
            "name_en": "Ward People's Committee",
            "about": "Cơ quan hành chính nhà nước ở phường: tổ chức thi hành pháp luật, giải "
            "quyết thủ tục hành chính cho người dân và doanh nghiệp. Chủ tịch phụ trách chung, "
            "mỗi Phó Chủ tịch phụ trách một khối lĩnh vực.",
            "about_en": "The ward's administrative authority: it enforces the law and handles "
            "administrative procedures for residents and businesses. The Chairman leads its "
            "work; each Vice Chairman is in charge of a group of fields.",
        },
        {
            "key": "mttq",
            "name": "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
            "name_en": "Ward Committee of the Vietnam Fatherland Front",
            "about": "Tập hợp, đoàn kết Nhân dân, phản ánh ý kiến, kiến nghị của cử tri và giám "
            "sát hoạt động của chính quyền; các đoàn thể của phường hoạt động trong Mặt trận.",
            "about_en": "Brings residents together, passes on their views and proposals, and "
            "monitors the work of the authorities; the ward's mass organisations work within "
            "the Front.",
        },
        {
            "key": "hoi-phu-nu",
            "name": "Hội Liên hiệp Phụ nữ phường",
            "name_en": "Ward Women's Union",
            "about": "Đại diện, chăm lo quyền và lợi ích hợp pháp của phụ nữ trong phường.",
            "about_en": "Represents the women of the ward and looks after their rights and "
            "interests.",
        },
        {
            "key": "doan-thanh-nien",
            "name": "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường",
            "name_en": "Ward Ho Chi Minh Communist Youth Union",
            "about": "Tập hợp thanh niên, tổ chức các phong trào tình nguyện ở khu dân cư.",
            "about_en": "Brings together the ward's young people and runs volunteer work in "
            "the neighbourhoods.",
        },
        {
            "key": "hoi-cuu-chien-binh",
            "name": "Hội Cựu chiến binh phường",
            "name_en": "Ward Veterans' Association",
            "about": "Tập hợp cựu chiến binh, giữ gìn truyền thống và tham gia giữ gìn an ninh, "
            "trật tự ở khu dân cư.",
            "about_en": "Brings together veterans, keeps their traditions and helps keep order "
            "in the neighbourhoods.",
        },
        {
            "key": "hoi-nong-dan",
            "name": "Hội Nông dân phường",
            "name_en": "Ward Farmers' Association",
            "about": "Đại diện cho hội viên nông dân, hỗ trợ sản xuất và chuyển đổi nghề.",
            "about_en": "Represents farming households and helps them with production and "
            "new trades.",
        },
        {
            "key": "cong-an",
            "name": "Công an phường",
            "name_en": "Ward Police",
            "about": "Bảo đảm an ninh, trật tự trên địa bàn; đăng ký cư trú, tiếp nhận tin báo, "
            "tố giác tội phạm.",
            "about_en": "Keeps public security and order in the ward; handles residence "
            "registration and reports of crime.",
        },
        {
            "key": "quan-su",
            "name": "Ban Chỉ huy Quân sự phường",
            "name_en": "Ward Military Command",
            "about": "Tham mưu cho Đảng ủy, UBND phường về quốc phòng, quân sự địa phương, "
            "tuyển quân và dân quân.",
            "about_en": "Advises the Party Committee and the People's Committee on local "
            "defence, military call-up and the militia.",
        },
    ],
    # Generated from the registry: /co-cau-to-chuc/ (menu order 40) replaces the hand-written
    # "Sơ đồ tổ chức" page, whose address now leads there; the English pages are under /en/.
    "organisation_url": "co-cau-to-chuc/",
    "moved_urls": ["so-do-to-chuc/"],
    "english_url": "en/",
    "english_about": "data/about-en.md",
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
