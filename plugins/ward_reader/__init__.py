"""The Markdown reader of the ward site: NFC text, checked metadata, safe HTML and paths.

Replaces Pelican's Markdown reader with one that
- normalises the whole file (metadata included) to Unicode NFC before anything reads it;
- removes invisible characters (bidi controls, zero-width spaces), saying so in the header;
- checks the metadata header line by line and stops on a mistake with a Vietnamese message
  that names the file and the line and says how to fix it;
- sanitises the body HTML and makes the summary plain text;
- refuses a file that is a symbolic link to outside the content folder.

Before each build it also reports every link in content/ that leaves it or closes a loop
(links.scan) and keeps Pelican's walks out of those folders (the *_EXCLUDES settings).
Then it checks where each article and page would be written: a slug that is not plain
ASCII, a page taking a folder the site writes itself, or two files writing one page is an
error naming the files and lines, and the file in the way is not written.
"""

import logging
import os

from markupsafe import Markup
from pelican import signals
from pelican.contents import Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.urlwrappers import Category

from build_report import note

from . import paths, typography
from .header import read_header
from .links import scan
from .reader import TONES, ContentError, WardMarkdownReader, display_path, read_text
from .settings import parse_settings

logger = logging.getLogger(__name__)

EXCLUDE_KEYS = ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES")
# What guard_links added to each *_EXCLUDES setting, taken back on the next run (`-r`).
_added = {}


def add_reader(readers):
    readers.settings["WARD_READER"] = parse_settings(readers.settings)
    for ext in WardMarkdownReader.file_extensions:
        readers.reader_classes[ext] = WardMarkdownReader


def link_message(link):
    where = display_path(link.path)
    if link.kind == "outside":
        return (
            f"{where}: liên kết (symlink) trỏ ra ngoài thư mục content/ (tới {link.target}). "
            "Trang không đọc và không đăng gì qua liên kết này. Hãy xóa liên kết và chép "
            "tệp hay thư mục cần đăng vào content/."
        )
    return (
        f"{where}: liên kết (symlink) tạo vòng lặp (trỏ về {link.target}, thư mục chứa "
        f"chính nó). Trang bỏ qua liên kết này. Hãy xóa liên kết: rm {where}"
    )


def guard_links(pelican):
    """Report links that leave content/ or loop; Pelican walks none of those folders."""
    settings = pelican.settings
    root = settings["PATH"]
    bad = scan(root)
    for link in bad:
        logger.error("%s", link_message(link))
    folders = [os.path.relpath(link.path, root) for link in bad if link.is_dir]
    for key in EXCLUDE_KEYS:
        kept = [e for e in settings.get(key, []) if e not in _added.get(key, ())]
        settings[key] = kept + [f for f in folders if f not in kept]
        _added[key] = folders


def header_line(source_path, *keys):
    """The line of the first of `keys` in the file's header (1 when none is there)."""
    fields, _ = read_header(read_text(source_path))
    return next((fields[k][0] for k in keys if k in fields), 1)


def where(content, *keys):
    return f"{display_path(content.source_path)}:{header_line(content.source_path, *keys)}"


def fail(message):
    logger.error("%s", message)
    raise ContentError(message)


def check_content(content):
    """Slugs of the article or page (and of its tags and authors), and where a page goes."""
    source = getattr(content, "source_path", None)
    if not source or not source.endswith(tuple(WardMarkdownReader.file_extensions)):
        return
    explicit = content.metadata.get("slug")
    if not paths.valid_slug(content.slug):
        title = Markup(getattr(content, "title", "")).striptags()
        suggestion = paths.suggest_slug(content.slug or "") or paths.suggest_slug(title)
        if explicit is not None:
            fix = f"Hãy viết 'Slug: {suggestion}'" if suggestion else "Hãy sửa dòng này"
            fail(
                f"{where(content, 'slug')}: 'Slug: {explicit}' không hợp lệ: đường dẫn "
                f"{paths.SLUG_RULE}. {fix}."
            )
        fail(
            f"{where(content, 'title')}: tiêu đề không tạo được đường dẫn (chỉ có dấu câu "
            "hay ký hiệu?). Thêm một dòng 'Slug: ...' ở đầu bài, "
            f"{paths.SLUG_RULE}, ví dụ 'Slug: lich-tiep-cong-dan'."
        )
    taxonomies = (
        (("tags",), getattr(content, "tags", []), "Tags: Tiếp công dân"),
        (("authors", "author"), getattr(content, "authors", []), "Authors: Văn phòng UBND"),
    )
    for keys, items, example in taxonomies:
        for item in items or []:
            if not paths.valid_slug(item.slug):
                fail(
                    f"{where(content, *keys)}: '{item.name}' không tạo được đường dẫn (chỉ "
                    f"có dấu câu hay ký hiệu?). Hãy viết bằng chữ, ví dụ '{example}'."
                )
    if content.status != "draft" and isinstance(content, Page):
        first = content.save_as.split("/", 1)[0]
        reserved = reserved_names(content.settings)
        if first in reserved:
            fail(
                f"{where(content, 'save_as', 'slug', 'title')}: trang này sẽ ghi đè "
                f"'{first}' của trang web ({reserved[first]}). Hãy đặt đường dẫn khác bằng "
                "một dòng 'Slug: ...' (ví dụ thêm '-trang' vào cuối), hoặc sửa 'Save_as'."
            )


def add_content_kind(settings, folder, url, *, keys, required, dates):
    """A plugin's own content folder (documents, questions): its header rules for the reader
    (WARD_READER kinds), its list's first URL segment reserved (no page may take it), the
    folder kept out of Pelican's articles and pages. Called when the build starts."""
    from .settings import DEFAULTS

    reader = dict(settings.get("WARD_READER") or {})
    kinds = dict(reader.get("kinds") or {})
    kinds[folder] = {"keys": list(keys), "required": list(required), "dates": list(dates)}
    reader["kinds"] = kinds
    reserved = list(reader.get("reserved", DEFAULTS["reserved"]))
    first = url.split("/", 1)[0]
    if first and first not in reserved:
        reserved.append(first)
    reader["reserved"] = reserved
    settings["WARD_READER"] = reader
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        excluded = list(settings.get(key) or [])
        if folder not in excluded:
            settings[key] = [*excluded, folder]


def reserved_names(settings):
    options = settings["WARD_READER"]
    categories = [(Category(name, settings).slug, name) for name in options["categories"]]
    return paths.reserved_names(settings, categories, options["reserved"])


def report_duplicates(items, fix):
    """Logs an error for each output path written by more than one of `items` (content
    objects, the one to keep first) and returns the ones that must not be written."""
    dropped = []
    for path, group in paths.duplicates([(c.save_as, c) for c in items]).items():
        keep, *others = group
        files = "\n".join(f"  {where(c, 'slug', 'title')}" for c in group)
        logger.error(
            "Nhiều tệp cùng ghi ra một trang '%s':\n%s\nChỉ dựng %s. %s",
            path,
            files,
            display_path(keep.source_path),
            fix(others[0]),
        )
        dropped += others
    return dropped


def article_fix(article):
    return (
        f"Thêm vào đầu {display_path(article.source_path)} một dòng "
        f"'Slug: {article.slug}-{article.date:%Y}' (đường dẫn riêng, ví dụ thêm năm)."
    )


ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                 "hidden_translations")  # fmt: skip
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages",
              "draft_translations")  # fmt: skip


def check_articles(generator):
    """Two articles (drafts, hidden ones) writing one file: the older one is written."""
    items = [a for name in ARTICLE_LISTS for a in getattr(generator, name)]
    # Sorted (the older first) only when some share a file: a preview build of 10,000
    # articles checks them all, and there are none.
    if len({a.save_as for a in items}) == len(items):
        return
    items.sort(key=lambda a: (a.date, a.source_path))
    dropped = {id(a) for a in report_duplicates(items, article_fix)}
    if dropped:
        for name in ARTICLE_LISTS:
            setattr(generator, name, [a for a in getattr(generator, name) if id(a) not in dropped])


def page_fix(page):
    return f"Thêm vào đầu {display_path(page.source_path)} một dòng 'Slug: ...' khác."


def check_pages(generator):
    """A page writing the file of another page or of an article is not written."""
    context = generator.context
    pages = sorted(
        (p for name in PAGE_LISTS for p in getattr(generator, name)), key=lambda p: p.source_path
    )
    # The articles were checked among themselves (check_articles): only the files the pages
    # write are looked for among theirs.
    wanted = {p.save_as for p in pages}
    articles = [
        a
        for name in ("articles", "drafts", "hidden_articles")
        for a in context[name]
        if a.save_as in wanted
    ]
    dropped = {id(p) for p in report_duplicates(articles + pages, page_fix)} - {
        id(a) for a in articles
    }
    if dropped:
        for name in PAGE_LISTS:
            setattr(generator, name, [p for p in getattr(generator, name) if id(p) not in dropped])
        for name in ("pages", "hidden_pages", "draft_pages"):
            context[name] = getattr(generator, name)


def fix_urls(generators):
    """Works out each article's and page's URL once, when every plugin is done with its
    metadata (status, slug, category), before anything is written. Pelican formats the URL
    again on every `.url` (about 20 times per article in a build); its own `override_url`
    (what a `URL:` metadata line sets) keeps the value. save_as is left as it is: Pelican
    treats an `override_save_as` as allowed to overwrite another page."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            lists = ARTICLE_LISTS
        elif isinstance(generator, PagesGenerator):
            lists = PAGE_LISTS
        else:
            continue
        for name in lists:
            for content in getattr(generator, name):
                if not hasattr(content, "override_url"):
                    content.override_url = content.url


def report_tone_spellings(generators):
    """One name written with both tone placements across the files read in this build."""
    for where_, line, message in TONES.findings():
        note(logger, "%s:%d: %s", where_, line, message)


def register():
    typography.wrap()
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(guard_links)
    signals.content_object_init.connect(check_content)
    signals.article_generator_pretaxonomy.connect(check_articles)
    signals.page_generator_finalized.connect(check_pages)
    signals.all_generators_finalized.connect(fix_urls)
    signals.all_generators_finalized.connect(report_tone_spellings)
