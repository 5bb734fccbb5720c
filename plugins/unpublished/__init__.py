"""Unpublished content: drafts, hidden and future-dated articles, and draft pages.

Pelican writes drafts to their own URL and hidden articles to their normal URL, where a
plain rsync would publish them. With UNPUBLISHED = {"write": False} (publishconf.py) they
are dropped after reading, so nothing of theirs is written: no page, no feed entry, no
listing. Future-dated articles are drafts already (WITH_FUTURE_DATES = False).

With "write": True (pelicanconf.py, the preview) staff see them:
- each one gets `unpublished_status` ("draft", "hidden" or "future"), from which the theme
  shows a banner at the top of its page (never set in a publish build: nothing is written);
- a page at UNPUBLISHED["url"] (template drafts.html, `noindex`) lists them all, newest
  first, each linked to where it is written (a hidden article: its normal URL). It is
  written through the build's writer, so the incremental plugin renders it only when the
  list changed, and the preview renders it when it is asked for.

Settings, UNPUBLISHED (all optional; checked once, when the build starts):
  write    write unpublished content and the list (True; publishconf.py: False)
  url      URL of the list ("ban-nhap/")
  save_as  file of the list ("ban-nhap/index.html")
"""

import logging
from datetime import UTC, datetime
from typing import NamedTuple

from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator

logger = logging.getLogger(__name__)

DEFAULTS = {"write": True, "url": "ban-nhap/", "save_as": "ban-nhap/index.html"}


def parse_settings(settings):
    given = settings.get("UNPUBLISHED", {})
    if not isinstance(given, dict):
        raise ValueError("UNPUBLISHED must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"UNPUBLISHED: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    if not isinstance(out["write"], bool):
        raise ValueError("UNPUBLISHED['write'] must be True or False")
    for key in ("url", "save_as"):
        value = out[key]
        if (
            not isinstance(value, str)
            or not value
            or value.startswith("/")
            or ".." in value.split("/")
        ):
            raise ValueError(f"UNPUBLISHED[{key!r}] must be a path inside the site, got {value!r}")
    if not out["url"].endswith("/") or not out["save_as"].endswith(".html"):
        raise ValueError("UNPUBLISHED: 'url' ends with '/', 'save_as' with '.html'")
    return out


def options(settings):
    """The checked settings: `start` put them back into the settings, filled."""
    given = settings.get("UNPUBLISHED")
    if isinstance(given, dict) and given.keys() == DEFAULTS.keys():
        return given
    return parse_settings(settings)


def start(pelican):
    pelican.settings["UNPUBLISHED"] = parse_settings(pelican.settings)


def kind_of(item, now=None):
    """'draft', 'hidden' or 'future' for an unpublished article or page, else None.

    A future-dated article is a draft to Pelican (WITH_FUTURE_DATES = False): it is told
    apart by its date (against `now`, an aware datetime, default the present), unless its
    file says `Status: draft` (then it waits for staff, not for the date)."""
    status = getattr(item, "status", "published")
    if status == "hidden":
        return "hidden"
    if status != "draft":
        return None
    date = getattr(item, "date", None)
    said = str(item.metadata.get("status", "")).strip().lower()
    if said == "draft" or date is None or not has_date(date):
        return "draft"
    now = now or datetime.now(UTC)
    if date.tzinfo is None:  # Pelican's own rule for a date without a time zone
        now = now.astimezone().replace(tzinfo=None)
    return "future" if date > now else "draft"


def has_date(date):
    """Pelican gives an undated draft the largest date there is."""
    return date.year < 9999


def mark_articles(generator):
    if not options(generator.settings)["write"]:
        return
    now = datetime.now(UTC)
    for article in (
        *generator.drafts,
        *generator.drafts_translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
    ):
        article.unpublished_status = kind_of(article, now)


def mark_pages(generator):
    if not options(generator.settings)["write"]:
        return
    for page in (*generator.draft_pages, *generator.draft_translations):
        page.unpublished_status = "draft"


def drop_articles(generator):
    if options(generator.settings)["write"]:
        return
    dropped = generator.drafts + generator.drafts_translations
    dropped += generator.hidden_articles + generator.hidden_translations
    for attr in ("drafts", "drafts_translations", "hidden_articles", "hidden_translations"):
        setattr(generator, attr, [])
    for name in ("drafts", "hidden_articles"):
        generator.context[name] = []
    for article in dropped:
        logger.info("Không xuất bản (bản nháp, ẩn hoặc hẹn giờ): %s", article.source_path)


def drop_pages(generator):
    if options(generator.settings)["write"]:
        return
    generator.draft_pages = []
    generator.draft_translations = []
    generator.context["draft_pages"] = []


class Entry(NamedTuple):
    """One line of the list: plain values, so the page's digest is that of what it shows."""

    title: str  # Pelican's HTML of the title (typogrified), as the theme shows titles
    url: str
    date: datetime | None
    kind: str  # draft, hidden, future
    category: str | None
    category_url: str | None
    is_page: bool


def entries(context):
    items = [
        *context.get("drafts", []),
        *context.get("hidden_articles", []),
        *context.get("draft_pages", []),
    ]
    found = []
    for item in items:
        kind = getattr(item, "unpublished_status", None)
        if kind is None:
            continue
        date = getattr(item, "date", None)
        if date is not None and not has_date(date):
            date = None
        is_page = isinstance(item, Page)
        category = None if is_page else getattr(item, "category", None)
        found.append(
            Entry(
                title=item.title,
                url=item.url,
                date=date,
                kind=kind,
                category=category.name if category else None,
                category_url=category.url if category else None,
                is_page=is_page,
            )
        )
    # Newest first; undated ones (draft pages) last, by title.
    dated = sorted((e for e in found if e.date), key=lambda e: (e.date, e.url), reverse=True)
    undated = sorted((e for e in found if not e.date), key=lambda e: (str(e.title), e.url))
    return dated + undated


class UnpublishedGenerator(Generator):
    """The list of unpublished content (drafts.html), when unpublished content is written."""

    def generate_context(self):
        self.entries = entries(self.context) if options(self.settings)["write"] else None

    def generate_output(self, writer):
        if self.entries is None:
            return
        opts = options(self.settings)
        writer.write_file(
            opts["save_as"],
            self.get_template("drafts"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            template_name="drafts",
            url=opts["url"],
            unpublished_entries=self.entries,
        )


def get_generators(pelican):
    return UnpublishedGenerator


def register():
    signals.initialized.connect(start)
    signals.article_generator_finalized.connect(drop_articles)
    signals.article_generator_finalized.connect(mark_articles)
    signals.page_generator_finalized.connect(drop_pages)
    signals.page_generator_finalized.connect(mark_pages)
    signals.get_generators.connect(get_generators)
