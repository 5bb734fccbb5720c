"""WARD_READER settings: defaults, types, and what is wrong with them."""

DEFAULTS = {
    # The categories the site has; an article naming another one is an error.
    "categories": [],
    # Metadata keys other plugins add on top of the shared ones (lower case).
    "extra_keys": [],
}

# Keys every article or page may carry (DESIGN.md, "Article metadata"), lower case.
ARTICLE_KEYS = {
    "title", "date", "modified", "category", "tags", "slug", "summary", "authors", "author",
    "status", "image", "officials", "speaker", "pinned", "expires", "attachments",
}  # fmt: skip
PAGE_KEYS = {"title", "slug", "summary", "modified", "status", "save_as", "url", "template"}


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    """Return WARD_READER filled with defaults; raise SettingsError on a wrong value."""
    given = settings.get("WARD_READER", {})
    if not isinstance(given, dict):
        raise SettingsError("WARD_READER must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"WARD_READER: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    for key in ("categories", "extra_keys"):
        value = out[key]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"WARD_READER[{key!r}] must be a list of strings")
        out[key] = list(value)
    out["extra_keys"] = [k.lower() for k in out["extra_keys"]]
    return out
