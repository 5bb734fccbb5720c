"""View counts from the web server's access logs, baked into the pages.

`make stats` (view_counts.cli) reads nginx logs into a SQLite store; at build time this
plugin sets `article.views` on every article, puts into the template context `most_read`
({"7d": [(article, n)...], "30d": [...], "all": [...]}, `most_read_count` each),
`most_read_ranked` (the same lists, output.SPARE longer: for a box that leaves some out),
`most_read_count` and `views_min_shown` (VIEW_COUNTS["min_shown"]: no page shows a count
below it), and writes `views.json`.

Articles are known to the store by a stable id: their source path relative to the content
folder (`bai-viet/2022/hoi-nghi.md`). It does not change when the URL settings, the
category or the title (hence the slug) change; a renamed file starts a new count.
"""

import logging
import os
import unicodedata
from pathlib import Path

from .output import payload, site_path, write_json
from .settings import parse_settings, resolve
from .store import StoreError, open_readonly, window_totals

logger = logging.getLogger(__name__)


def article_id(article):
    """The stable id of an article: its source path under PATH, POSIX, NFC."""
    path = article.relative_source_path  # Pelican's: relative, normalised, "/"-separated
    return unicodedata.normalize("NFC", path.replace(os.sep, "/"))


def apply_counts(generators):
    from pelican.generators import ArticlesGenerator

    generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if generator is None:
        return
    options = parse_settings(generator.settings)
    store_path = resolve(options["store"], Path.cwd())
    listed = sorted(generator.articles + generator.translations, key=lambda a: a.date, reverse=True)
    unlisted = generator.hidden_articles + generator.hidden_translations
    try:
        conn = open_readonly(store_path)
    except StoreError as error:
        raise RuntimeError(str(error)) from error
    if conn is None:
        if options["required"]:
            raise RuntimeError(
                f"{store_path}: chưa có kho số liệu lượt xem. Chạy `make stats LOGS=...` "
                "trước, hoặc đặt VIEW_COUNTS['required'] = False."
            )
        logger.info("Chưa có kho số liệu lượt xem %s: trang không hiện lượt xem", store_path)
        windows, as_of = {"all": {}}, None
    else:
        try:
            windows, as_of = window_totals(conn, options["windows"])
        finally:
            conn.close()
    base = site_path(generator.settings.get("SITEURL"), "")
    by_id, entries = {}, []
    for group, is_listed in ((listed, True), (unlisted, False)):
        for article in group:
            key = article_id(article)
            by_id[key] = article
            if conn is not None:
                article.views = windows["all"].get(key, 0)
            entries.append((base + article.url.lstrip("/"), key, is_listed))
    data = payload(entries, windows, as_of, options["most_read_count"], options["windows"])
    path_to_id = {path: article_id for path, article_id, _ in entries}
    ranked = {
        name: [(by_id[path_to_id[path]], views) for path, views in items]
        for name, items in data["most_read"].items()
    }
    count = options["most_read_count"]
    generator.context["most_read"] = {name: items[:count] for name, items in ranked.items()}
    generator.context["most_read_ranked"] = ranked
    generator.context["most_read_count"] = count
    generator.context["views_min_shown"] = options["min_shown"]
    generator.context["most_read_as_of"] = as_of
    target = Path(generator.output_path) / options["json"]
    # Before any page: the preview bench finds a moved article's new address here while
    # the build goes on.
    write_json(target, data)
    from pelican import signals  # here, like in register(): the CLI imports this package

    # For the publish manifest: this file is the build's.
    signals.content_written.send(str(target), context={"OUTPUT_PATH": generator.output_path})


def register():
    from pelican import signals

    signals.all_generators_finalized.connect(apply_counts)
