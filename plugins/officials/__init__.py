"""Officials: who each article mentions, with the title they held that day.

- checks the registry (content/data/officials.yml) when the build starts and stops it with
  a `file:line:` message for each mistake;
- tags every article with the registered officials its body, captions, image texts and
  summary name (officials.matching), plus those its `Officials:` metadata lists, and sets
  `article.officials` and `article.speaker` (the `Speaker:` metadata);
- links the first mention of each official in the body to the official's page;
- writes a page per official (template official.html, paginated: photo, duties, work
  phone and email, positions, articles) and an index grouped by body (officials.html: a
  person under every body they hold a post in today);
- writes the organisation page (organisation.html, in the main menu), the pages of its
  old URLs (moved.html) and the English pages (en_*.html), see organisation.py.
"""

import difflib
import functools
import logging
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator

from .cache import TagCache, article_key, salt
from .fold import fold_name
from .html_text import as_blocks, insert_links, raw_span, read_blocks
from .lines import header_line, mention_line
from .matching import Block, NameIndex, tag_article
from .organisation import (
    CARD_SIZES,
    PAGE_SIZES,
    PORTRAIT_WIDTHS,
    bodiless_lines,
    english_sections,
    english_title_problems,
    lang_alternates,
    last_post,
    posts_on,
    sections,
    tel_href,
    write_pages,
)
from .registry import Registry, RegistryError, read_registry
from .settings import parse_settings

logger = logging.getLogger(__name__)

__all__ = ["RegistryError", "register"]

RUNTIME_KEY = "_OFFICIALS_RUNTIME"


@dataclass
class Runtime:
    options: dict
    registry: Registry
    index: NameIndex
    cache_path: str | None = None
    salt: str = ""


@dataclass
class OfficialTag:
    """What an article says about one official (the theme reads these)."""

    id: str
    name: str
    url: str
    title: str | None
    mentions: int


@dataclass(frozen=True)
class Listed:
    """An article as an official's page lists it, made once per article rather than once
    per official that it names (Pelican computes `article.url` anew on every access). The
    publish manifest reads `relative_source_path`, `status` and `date` of listed items."""

    url: str
    title: str
    date: object
    iso_date: str
    locale_date: str
    relative_source_path: str
    status: str


@dataclass
class OfficialPage:
    """One official as the pages show them (official.html, officials.html, the
    organisation and English pages)."""

    id: str
    name: str
    url: str
    save_as: str
    title: str | None  # the posts held today, joined ('Phó Bí thư Đảng ủy phường, Chủ tịch …')
    positions: list  # [(title, from, to or None)], oldest first
    articles: list = field(default_factory=list)
    posts: list = field(default_factory=list)  # organisation.Post held today, registry order
    last: object = None  # the last Post held, when none is held today
    duties: str | None = None
    phone: str | None = None
    phone_href: str | None = None
    email: str | None = None
    photo: str | None = None  # <picture> for the official's page (set when written)
    photo_card: str | None = None  # the same, card size (organisation page)
    photo_card_en: str | None = None  # the same, English description (English pages)
    _portrait: object = None  # photos.Portrait, made into the two above once processed


def display_path(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def official_url(options, official_id):
    return options["url"].format(id=official_id)


def start(pelican):
    """Read and check the registry before anything else is built."""
    settings = pelican.settings
    options = parse_settings(settings)
    path = str(Path(settings["PATH"]) / options["registry"])
    if Path(path).exists():
        # Every mistake is reported (the build report sums them up and `make publish`
        # stops); the entries without mistakes are still used, so nothing else is lost.
        bodies = [b["key"] for b in options["bodies"]]
        registry, problems = read_registry(path, display_path(path), bodies)
        for problem in problems:
            logger.error("%s", problem)
        problems_found = bool(problems)  # a registry with mistakes: tag everything anew
    else:
        logger.debug("officials: no registry at %s", path)
        registry = Registry(path=display_path(path))
        problems_found = False
    runtime = Runtime(options, registry, NameIndex(registry, options["home_places"]))
    if options["cache"] and not problems_found:
        cache_path = options["cache"]
        if not os.path.isabs(cache_path):  # beside content/, as the photo cache is
            cache_path = os.path.join(
                os.path.dirname(os.path.abspath(settings["PATH"])), cache_path
            )
        runtime.cache_path = cache_path
        runtime.salt = salt(path, options)
    settings[RUNTIME_KEY] = runtime
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("official", options["per_page"])
    settings["PAGINATED_TEMPLATES"] = paginated


def _metadata_ids(article, key, runtime, source):
    """(registry ids listed in the `key` metadata, how many were not in the registry)."""
    value = article.metadata.get(key)
    if not value:
        return [], 0
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    ids = []
    unknown = 0
    for raw in str(value).split(","):
        official_id = raw.strip()
        if not official_id:
            continue
        if official_id not in runtime.registry:
            close = difflib.get_close_matches(official_id, list(runtime.registry.officials), n=1)
            logger.error(
                "%s:%d: mã cán bộ '%s' ở mục '%s' không có trong %s.%s Kiểm tra lại chính tả, "
                "hoặc thêm người này vào danh sách (chạy 'make officials-suggest' để có mẫu).",
                display_path(article.source_path),
                header_line(source.text, key),
                official_id,
                key.capitalize(),
                runtime.registry.path,
                f" Có phải ý bạn là '{close[0]}'?" if close else "",
            )
            unknown += 1
            continue
        ids.append(official_id)
    return ids, unknown


TAG_RE = re.compile(r"<[^>]*>")
ENTITY_RE = re.compile(r"&[#\w]+;")


def _names_someone(index, html):
    """A quick look at the whole HTML before reading it block by block: a name anywhere,
    attributes included, or split by inline tags ('<b>Phạm Văn</b> An')."""
    return index.names_someone(html) or index.names_someone(
        ENTITY_RE.sub(" ", TAG_RE.sub("", html))
    )


class _Source:
    """The article's Markdown file, read only when a message needs a line number."""

    def __init__(self, article):
        self.path = article.source_path
        self._text = None

    @property
    def text(self):
        if self._text is None:
            try:
                with open(self.path, encoding="utf-8-sig") as f:
                    self._text = f.read()
            except (OSError, UnicodeDecodeError, TypeError):
                self._text = ""
        return self._text

    def header_keys(self):
        keys = set()
        for line in self.text.split("\n"):
            if not line.strip():
                break
            if ":" in line:
                keys.add(line.split(":", 1)[0].strip().lower())
        return keys


def _warn(article, source_text, mention, occurrence, registry):
    where = (
        f"{display_path(article.source_path)}:{mention_line(source_text, mention.text, occurrence)}"
    )
    if mention.status == "ambiguous":
        people = "; ".join(
            f"{c} ({registry[c].title_on(article.date.date()) or '?'})" for c in mention.candidates
        )
        logger.warning(
            "%s: không rõ '%s' là ai trong những người trùng tên: %s. Bài không gắn tên "
            "người nào. Hãy viết chức vụ cạnh tên, hoặc ghi mục 'Officials: <mã>' ở đầu bài.",
            where,
            mention.text,
            people,
        )
    elif mention.status == "conflict":
        ids = ", ".join(mention.candidates)
        logger.warning(
            "%s: '%s' được ghi là '%s', không khớp chức vụ nào của %s trong danh sách; có thể "
            "là người khác trùng tên nên bài không gắn tên. Nếu đúng là người này, hãy bổ sung "
            "chức vụ vào danh sách hoặc ghi mục 'Officials: <mã>' ở đầu bài.",
            where,
            mention.text,
            "; ".join(mention.titles),
            ids,
        )


# What this process tagged while reading the build under way (the runtime of that build):
# its tag cache, until the build is done (save_tags), and the figures of the log line. Not
# in the settings: every setting is part of what the pages are rendered from.
_reading = {"runtime": None}


def _reading_for(runtime):
    if _reading["runtime"] is not runtime:
        cache = TagCache(runtime.cache_path, runtime.salt) if runtime.cache_path else None
        _reading.update(runtime=runtime, cache=cache, tagged=0, seconds=0.0, cpu=0.0)
    return _reading


def tag_on_read(content):
    """Tag an article as it is read (content_object_init), before the plugins after this
    one in PLUGINS see it. The incremental plugin then keeps it tagged: the preview's next
    build takes an unchanged article as it was (no pass over every article), and no second
    copy of its HTML (as read, and linked) is kept beside it (9 MiB at 2,000 articles).
    Its tagging depends on the registry and settings, which are part of what the kept
    articles were read under: a change there reads every article again."""
    if not isinstance(content, Article):
        return
    runtime = content.settings.get(RUNTIME_KEY)
    if runtime is None:
        return
    began, cpu = time.perf_counter(), time.process_time()
    reading = _reading_for(runtime)
    tag(content, runtime, content.settings.get("SITEURL", ""), reading["cache"])
    reading["tagged"] += 1
    reading["seconds"] += time.perf_counter() - began
    reading["cpu"] += time.process_time() - cpu


def tag(article, runtime, siteurl, cache=None):
    """Set article.officials / article.speaker and link first mentions in the content."""
    if cache is None:
        entry, _clean = _find_officials(article, runtime)
        _apply(article, runtime, siteurl, entry)
        return
    meta = article.metadata
    key = article_key(
        article._content or "",
        meta.get("summary", ""),
        meta.get("officials", ""),
        meta.get("speaker", ""),
        article.date.date().isoformat(),
    )
    entry = cache.get(key)
    if entry is None:
        entry, clean = _find_officials(article, runtime)
        if clean:
            cache.put(key, entry)
    _apply(article, runtime, siteurl, entry)
    if cache.used.get(key) is entry:  # a clean tagging: kept in the file while it is used
        # With the article (kept as read, or handed back by a worker process that read it),
        # for the cache of the process that saves it (tagging_done).
        article._officials_tagging = (key, entry)


def _find_officials(article, runtime):
    """({officials: [[id, mentions]], speaker: id or None, links: [[start, end, id]]},
    clean): who the article names, in order, and where in its HTML the first mention of
    each is to be linked; `clean` is False when a problem was reported."""
    registry = runtime.registry
    source = _Source(article)
    forced, bad = _metadata_ids(article, "officials", runtime, source)
    speaker, bad_speaker = _metadata_ids(article, "speaker", runtime, source)
    problems = bad + bad_speaker
    for official_id in speaker:
        if official_id not in forced:
            forced.append(official_id)
    day = article.date.date()
    content = article._content or ""
    blocks = []
    if _names_someone(runtime.index, content):
        blocks = as_blocks(read_blocks(content))
    summary = article.metadata.get("summary")
    if summary and runtime.index.names_someone(str(summary)) and "summary" in source.header_keys():
        text = " ".join(b.text for b in read_blocks(str(summary)))
        blocks.insert(0, Block(text, "summary"))
    result = tag_article(blocks, runtime.index, day, forced) if len(registry) else None
    counts = result.counts if result else dict.fromkeys(forced, 0)

    if result and any(m.status in ("ambiguous", "conflict") for _, m in result.mentions):
        occurrences = {}
        for _block, mention in result.mentions:
            key = fold_name(mention.text)  # counted the way mention_line counts
            occurrence = occurrences.get(key, 0)
            occurrences[key] = occurrence + 1
            if mention.status in ("ambiguous", "conflict") and not (
                set(mention.candidates) & set(forced)
            ):
                _warn(article, source.text, mention, occurrence, registry)
                problems += 1

    links = []
    if result and runtime.options["link_first_mention"]:
        done = set()
        for block, mention in result.mentions:
            if mention.status != "tagged" or mention.official in done:
                continue
            if block.kind not in ("body", "caption") or block.ref is None:
                continue
            span = raw_span(block.ref, mention.start, mention.end)
            if span is None:
                continue
            done.add(mention.official)
            links.append([*span, mention.official])
    ordered = sorted(counts, key=lambda i: (i not in speaker, 0))
    entry = {
        "officials": [[i, counts.get(i, 0)] for i in ordered],
        "speaker": speaker[0] if speaker else None,
        "links": links,
    }
    return entry, problems == 0


def _apply(article, runtime, siteurl, entry):
    """Put a tagging result (from _find_officials or the cache) on the article."""
    registry, options = runtime.registry, runtime.options
    day = article.date.date()
    counts = dict(entry["officials"])

    def make_tag(official_id):
        official = registry[official_id]
        return OfficialTag(
            official.id,
            official.name,
            official_url(options, official.id),
            official.title_on(day),
            counts.get(official_id, 0),
        )

    article.officials = [make_tag(i) for i in counts]
    article.speaker = make_tag(entry["speaker"]) if entry["speaker"] else None
    if entry["links"]:
        links = [
            (start, end, f"{siteurl}/{official_url(options, official_id)}", options["link_class"])
            for start, end, official_id in entry["links"]
        ]
        article._content = insert_links(article._content, links)
        _forget_rendered(article)


def _forget_rendered(article):
    """Pelican memoizes content and summary per (article, siteurl): drop this article's."""
    for cache in _rendered_caches(type(article)):
        if cache:
            for key in [k for k in cache if k and k[0] is article]:
                del cache[key]


@functools.cache
def _rendered_caches(kind):
    found = []
    for name in ("get_content", "get_summary"):
        memo = next((k.__dict__[name] for k in kind.__mro__ if name in k.__dict__), None)
        cache = getattr(memo, "cache", None)
        if isinstance(cache, dict):
            found.append(cache)
    return found


def tagging_done(generator):
    """The articles are read: the tags of every article, kept as read or tagged by a
    worker process, go in the tag cache's file for the next process; what the tagging did
    in this process is logged."""
    runtime = generator.settings.get(RUNTIME_KEY)
    if runtime is None:
        return
    reading = _reading_for(runtime)
    cache = reading["cache"]
    articles = {}
    for name in (
        "articles", "translations", "drafts", "drafts_translations",
        "hidden_articles", "hidden_translations",
    ):  # fmt: skip
        for article in getattr(generator, name, []) or []:
            articles[id(article)] = article
    if cache is not None:
        for article in articles.values():
            tagging = article.__dict__.get("_officials_tagging")
            if tagging is not None:
                cache.keep(*tagging)
    logger.info(
        "officials: tagged %d articles (%d unchanged, from the cache) against %d officials "
        "in %.3f s (CPU %.3f s) as they were read in this process; %d articles in all",
        reading["tagged"],
        cache.hits if cache else 0,
        len(runtime.registry),
        reading["seconds"],
        reading["cpu"],
        len(articles),
    )


def save_tags(pelican):
    """The tag cache is written when the pages are: it is for the next process, and the
    preview shows the saved article before the build ends."""
    runtime = pelican.settings.get(RUNTIME_KEY)
    if runtime is None or _reading["runtime"] is not runtime:
        return
    cache = _reading["cache"]
    _reading.clear()
    _reading["runtime"] = None
    if cache is None:
        return
    try:
        cache.save()
    except OSError as error:
        # Not a warning: the site is right, only the next build is slower, and a
        # warning would stop `make publish`.
        logger.info(
            "%s: không ghi được kết quả gắn tên cán bộ (%s). Trang vẫn dựng đúng, chỉ là lần "
            "sau phải đọc lại mọi bài; kiểm tra quyền ghi và chỗ trống của thư mục này.",
            cache.path,
            error,
        )


def _listed(article):
    """An article as an official's page lists it: from the article as read, so worked out
    once while it is kept unchanged (its `_memo`, incremental plugin)."""
    memo = article.__dict__.get("_memo")
    known = memo.get("officials_listed") if memo is not None else None
    if known is not None:
        return known
    listed = Listed(
        article.url,
        article.title,
        article.date,
        article.date.isoformat(),  # Pelican dates carry the site time zone
        article.locale_date,
        article.relative_source_path,
        article.status,
    )
    if memo is not None:
        memo["officials_listed"] = listed
    return listed


class OfficialsGenerator(Generator):
    """A page per official, the index, the organisation page and the English pages, from
    the registry and the articles already tagged."""

    def generate_context(self):
        runtime = self.settings.get(RUNTIME_KEY)
        self.pages = []
        self.groups = []
        self.organisation_sections = []
        self.english_sections = []
        self.photo_holders = []  # read by the photos plugin (photo_for)
        self.spent = (0.0, 0.0)  # (wall, CPU) seconds, added to the figures of the pages
        if runtime is None or not len(runtime.registry):
            return
        began, cpu = time.perf_counter(), time.process_time()
        options = runtime.options
        today = datetime.now(ZoneInfo(self.settings.get("TIMEZONE") or "UTC")).date()
        articles = [
            a
            for a in self.context.get("articles", [])
            if getattr(a, "status", "published") == "published"
        ]
        by_official = {}
        for article in articles:
            tags = getattr(article, "officials", None)
            if not tags:
                continue
            listed = _listed(article)
            for official_tag in tags:
                by_official.setdefault(official_tag.id, []).append(listed)
        photos = self._photo_maker(runtime)
        for official in runtime.registry:
            posts = posts_on(official, today)
            self.pages.append(
                OfficialPage(
                    id=official.id,
                    name=official.name,
                    url=official_url(options, official.id),
                    save_as=options["save_as"].format(id=official.id),
                    title=official.title_on(today),
                    positions=[(p.title, p.start, p.end) for p in official.positions],
                    articles=by_official.get(official.id, []),
                    posts=posts,
                    last=None if posts else last_post(official, today),
                    duties=official.duties,
                    phone=official.phone,
                    phone_href=tel_href(official.phone) if official.phone else None,
                    email=official.email,
                    _portrait=photos(official.photo) if official.photo else None,
                )
            )
        labels = (self.settings.get("JINJA_GLOBALS") or {}).get("L") or {}
        self.groups = sections(
            self.pages,
            options["bodies"],
            options["groups"],
            former_label=labels.get("officials_former", "Nguyên lãnh đạo, cán bộ"),
        )
        self.context["officials_index_url"] = options["index_url"]
        self.context["officials_sections"] = self.groups
        self._report(runtime)
        if options["organisation_url"]:
            self.organisation_sections = sections(self.pages, options["bodies"], options["groups"])
            self.context["organisation_url"] = options["organisation_url"]
            self.context.setdefault("nav_sections", []).append(
                {
                    "label": labels.get("nav_organisation", "Cơ cấu tổ chức"),
                    "url": options["organisation_url"],
                    "order": options["organisation_nav_order"],
                }
            )
        if options["english_url"]:
            labels_en = (self.settings.get("JINJA_GLOBALS") or {}).get("L_EN") or {}
            self.english_sections = english_sections(
                self.pages, options["bodies"], labels_en.get("other_posts", "Other posts")
            )
            self.context["english_url"] = options["english_url"]
            self.context["lang_alternates"] = lang_alternates(options)
        self.spent = (time.perf_counter() - began, time.process_time() - cpu)

    def _photo_maker(self, runtime):
        """official.photo -> photos.Portrait or None, through the photos plugin (which
        reports a missing or broken photo with the registry's file and line)."""
        plugins = self.settings.get("PLUGINS") or []
        names = {getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in plugins}
        if "photos" not in names:
            return lambda written: None
        from photos import PhotoHolder, photo_for

        holder = PhotoHolder(os.path.abspath(runtime.registry.path))
        self.photo_holders.append(holder)

        def make(written):
            return photo_for(holder, written, self.settings, self.context, PORTRAIT_WIDTHS)

        return make

    def _report(self, runtime):
        """What the organisation and English pages miss, for staff to fix."""
        options = runtime.options
        path = runtime.registry.path
        if options["english_url"]:
            for problem in english_title_problems(self.pages, path):
                logger.warning("%s", problem)
        lines = bodiless_lines(self.pages) if options["bodies"] else []
        if lines:
            from build_report import note

            shown = ", ".join(str(n) for n in lines[:12]) + (", …" if len(lines) > 12 else "")
            note(
                logger,
                "%s: %d chức vụ đang giữ chưa ghi cơ quan ('body:', dòng %s); trang Cơ cấu tổ "
                "chức và danh sách cán bộ xếp chúng theo chữ trong chức danh. Thêm 'body:' "
                "(%s) dưới mỗi dòng 'title:'.",
                path,
                len(lines),
                shown,
                ", ".join(b["key"] for b in options["bodies"]),
            )

    def generate_output(self, writer):
        runtime = self.settings.get(RUNTIME_KEY)
        if runtime is None or not self.pages:
            return
        began, cpu = time.perf_counter(), time.process_time()
        jinja_globals = self.settings.get("JINJA_GLOBALS") or {}
        alt_vi = (jinja_globals.get("L") or {}).get("official_photo", "Ảnh {name}")
        alt_en = (jinja_globals.get("L_EN") or {}).get("photo_alt", "Photo of {name}")
        for page in self.pages:  # the photos plugin has made (or failed to make) them now
            portrait = page._portrait
            if portrait is not None and portrait.ok:
                alt = alt_vi.format(name=page.name)
                page.photo = portrait.html(alt, PAGE_SIZES, "official-photo", eager=True)
                page.photo_card = portrait.html(alt, CARD_SIZES, "official-photo")
                alt = alt_en.format(name=page.name)
                page.photo_card_en = portrait.html(alt, CARD_SIZES, "official-photo")
        template = self.get_template("official")
        for page in self.pages:
            writer.write_file(
                page.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                paginated={"articles": page.articles},
                template_name="official",
                url=page.url,
                official=page,
                articles=page.articles,
            )
        writer.write_file(
            runtime.options["index_save_as"],
            self.get_template("officials"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=runtime.options["index_url"],
            officials_sections=self.groups,
        )
        write_pages(self, writer, runtime.options)
        logger.info(
            "officials: prepared and wrote %d official pages in %.3f s (CPU %.3f s)",
            len(self.pages),
            time.perf_counter() - began + self.spent[0],
            time.process_time() - cpu + self.spent[1],
        )


def get_generators(pelican):
    return OfficialsGenerator


def register():
    signals.initialized.connect(start)
    signals.content_object_init.connect(tag_on_read)
    signals.article_generator_finalized.connect(tagging_done)
    signals.finalized.connect(save_tags)
    signals.get_generators.connect(get_generators)
