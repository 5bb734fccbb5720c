"""Keeps drafts, hidden and future-dated articles (and draft pages) out of the output.

Pelican writes drafts to their own URL and hidden articles to their normal URL, where a
plain rsync would publish them. With UNPUBLISHED = {"write": False} (publishconf.py) they
are dropped after reading, so nothing of theirs is written: no page, no feed entry, no
listing. Future-dated articles are drafts already (WITH_FUTURE_DATES = False).
"""

import logging

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {"write": True}


def parse_settings(settings):
    given = settings.get("UNPUBLISHED", {})
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"UNPUBLISHED: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    if not isinstance(out["write"], bool):
        raise ValueError("UNPUBLISHED['write'] must be True or False")
    return out


def drop_articles(generator):
    if parse_settings(generator.settings)["write"]:
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
    if parse_settings(generator.settings)["write"]:
        return
    generator.draft_pages = []
    generator.draft_translations = []
    generator.context["draft_pages"] = []


def register():
    signals.article_generator_finalized.connect(drop_articles)
    signals.page_generator_finalized.connect(drop_pages)
