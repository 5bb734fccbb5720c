"""What the portal theme needs from the articles, computed once at build time.

- `article.pinned`, `article.expires_at`: from the `Pinned` / `Expires` metadata;
- `article.attachments`: the files of the `Attachments:` line (type and size), each checked;
  they and the files the body links to in content/files/ are the only ones published
  (files.py);
- `article.related` ("Tin liên quan"): shared tags first, then the same category;
- `article.prev_in_category` / `article.next_in_category`;
- in the template context: `once`, which renders a macro for an article (or a list) once per build
  (RenderOnce); `pinned_articles` (not yet expired), `featured_article` (newest with a
  photo, not pinned), the home page's candidates `latest_articles` and `home_categories`
  (newest, and newest per category, neither pinned nor featured) and `home_plan`, which
  picks from them what each box of the home page shows (no article twice above the fold,
  none more than twice on the page: logic.home_plan), `archive_months`, `PORTAL`, and the
  main menu `nav_categories` / `nav_pages` as (label, url, object);
- dates, times, document numbers and phone numbers of article and page bodies wrapped in
  `<span class="nowrap">` (logic.nowrap_html), and the template filter `nowrap_values` that
  does the same to plain text (a summary in a list).
"""

import logging
from collections import Counter
from datetime import datetime

from pelican import signals

from .files import display_path, link_files, publish, use
from .logic import (
    attachment,
    featured,
    header_line,
    home_candidates,
    home_plan,
    is_yes,
    neighbours,
    nowrap_html,
    nowrap_text,
    parse_expires,
    parse_settings,
    pinned_now,
    related_lists,
    split_attachments,
)

logger = logging.getLogger(__name__)


def has_photo(article):
    return bool(getattr(article, "featured_image", None) or article.metadata.get("image"))


def _source_text(article):
    try:
        with open(article.source_path, encoding="utf-8-sig") as f:
            return f.read()
    except OSError:
        return ""


def _where(article, key):
    return display_path(article.source_path), header_line(_source_text(article), key)


def prepare_article(article, options):
    """Pinned, expiry and attachments of one article; problems are logged, nothing is lost."""
    meta = article.metadata
    article.pinned = is_yes(meta.get("pinned"))
    try:
        article.expires_at = parse_expires(meta.get("expires"), options["tzinfo"])
    except ValueError:
        where, line = _where(article, "expires")
        logger.error(
            "%s:%d: ngày hết hạn '%s' không đúng dạng. Hãy viết theo mẫu YYYY-MM-DD HH:MM, "
            "ví dụ: 2022-07-31 17:00.",
            where,
            line,
            meta.get("expires"),
        )
        article.expires_at = None
    article.attachments = []
    content_root = article.settings["PATH"]
    for path in split_attachments(meta.get("attachments")):
        found, problem = attachment(path, content_root, options["attachments_dir"])
        where, line = _where(article, "attachments")
        if problem:
            logger.error("%s:%d: %s", where, line, problem)
        else:
            article.attachments.append(found)
            use(article, found, line)


def enrich(generator):
    options = parse_settings(generator.settings)
    articles = generator.articles
    # Drafts and hidden articles are previewed with the same template: they get their
    # attachments and related articles too (never a place in lists or in neighbours).
    others = [
        *getattr(generator, "drafts", []),
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "translations", []),
    ]
    for article in [*articles, *others]:
        prepare_article(article, options)
    related = related_lists(articles, others, options["related_count"])
    for article in others:
        article.prev_in_category = article.next_in_category = None
        article.related = related[id(article)]
    by_category = {}
    for article in articles:
        by_category.setdefault(str(article.category), []).append(article)
    for group in by_category.values():
        pairs = neighbours(group)
        for article in group:
            article.prev_in_category, article.next_in_category = pairs[id(article)]
    for article in articles:
        article.related = related[id(article)]

    now = options["now"] or datetime.now(options["tzinfo"])
    if now.tzinfo is None:
        now = now.replace(tzinfo=options["tzinfo"])
    pinned = pinned_now(articles, now, options["pinned_count"])
    order = generator.settings.get("WARD_READER", {}).get("categories", [])
    story = featured(articles, has_photo, exclude=pinned)
    generator.context["pinned_articles"] = pinned
    generator.context["featured_article"] = story
    # What the home page's boxes choose from (the page reads these few, not the whole list,
    # so a change to an old article leaves it as it is); `home_plan` chooses when the page
    # is rendered, when the most-read lists (view_counts plugin) are known too.
    latest, sections = home_candidates(
        articles,
        pinned,
        story,
        order,
        options["latest_per_category"],
        categories=[str(c) for c, _ in generator.categories],
    )
    generator.context["latest_articles"] = latest
    generator.context["home_categories"] = sections
    generator.context["home_plan"] = home_plan
    generator.context["PORTAL"] = options
    # The year archive's month list: {year: [(month, articles), ...]}, newest month first.
    months = Counter((a.date.year, a.date.month) for a in articles)
    archive_months = {}
    for year, month in sorted(months, reverse=True):
        archive_months.setdefault(year, []).append((month, months[year, month]))
    generator.context["archive_months"] = archive_months
    generator.context["once"] = RenderOnce()
    # The main menu, its URLs worked out once (Pelican computes `.url` on every call and
    # the menu is on every page).
    by_name = {str(c): c for c, _ in generator.categories}
    names = [n for n in order if n in by_name] + sorted(n for n in by_name if n not in order)
    generator.context["nav_categories"] = [(n, by_name[n].url, by_name[n]) for n in names]


class RenderOnce:
    """`once(macro, item, *args)` in a template: the macro's output, rendered once per build
    for each item (an article, a list) and arguments. An article's card is on about eight
    list pages (home, category, tags, author, archives), a year's month menu on each page
    of the year. A new one comes with each build's context, so nothing outlives a build.
    The macro must depend only on its arguments and on what is the same on every page
    (SITEURL, L), not on the page it is on."""

    def __init__(self):
        self._done = {}

    def __call__(self, macro, item, *args):
        key = (macro.name, id(item), args)
        done = self._done.get(key)
        if done is None:
            # The item is kept with its output, so its id() is not reused meanwhile.
            done = self._done[key] = (item, macro(item, *args))
        return done[1]


def keep_values_together(content):
    """Dates, times, document numbers and phone numbers of a body never break inside."""
    source = getattr(content, "source_path", None)
    if source and source.endswith((".md", ".markdown")) and content._content:
        content._content = nowrap_html(content._content)


def add_filters(generator):
    generator.env.filters["nowrap_values"] = nowrap_text


def menu_pages(generator):
    generator.context["nav_pages"] = [(page.title, page.url, page) for page in generator.pages]


def register():
    signals.content_object_init.connect(link_files)
    signals.content_object_init.connect(keep_values_together)
    signals.generator_init.connect(add_filters)
    signals.article_generator_finalized.connect(enrich)
    signals.all_generators_finalized.connect(publish)
    signals.page_generator_finalized.connect(menu_pages)
