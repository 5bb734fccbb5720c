"""WARD_READER settings: defaults, types, and what is wrong with them."""

DEFAULTS = {
    # The categories the site has; an article naming another one is an error.
    "categories": [],
    # Metadata keys other plugins add on top of the shared ones (lower case).
    "extra_keys": [],
    # First path segments (folders or root files) of the output that plugins and tools
    # write and a page may not take: officials' pages, the organisation page and its old
    # address, the English pages, the work calendar, processed photos, the search index,
    # the feeds (also in development, where they are off). The documents and questions
    # plugins add their own folders.
    "reserved": [
        "can-bo",
        "co-cau-to-chuc",
        "so-do-to-chuc",
        "en",
        "lich-cong-tac",
        "images",
        "pagefind",
        "feeds",
    ],
    # A photo file over this size (MB) is an error: a phone's photo is 2-8 MB.
    "max_image_mb": 20,
    # Header rules of content folders that are neither articles nor pages, filled by the
    # plugins that read them when the build starts (documents: "van-ban"):
    # {folder: {"keys": [...], "required": [...], "dates": [...]}}, keys in lower case.
    "kinds": {},
}

# Keys every article or page may carry (DESIGN.md, "Article metadata"), lower case.
ARTICLE_KEYS = {
    "title", "date", "modified", "category", "tags", "slug", "summary", "authors", "author",
    "status", "image", "officials", "speaker", "pinned", "expires", "attachments", "documents",
}  # fmt: skip
# No `Url`: a page with `Save_as` gets the matching URL (the 404 page is the one user).
PAGE_KEYS = {"title", "slug", "summary", "modified", "status", "save_as", "template"}


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
    for key in ("categories", "extra_keys", "reserved"):
        value = out[key]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"WARD_READER[{key!r}] must be a list of strings")
        out[key] = list(value)
    out["extra_keys"] = [k.lower() for k in out["extra_keys"]]
    if not isinstance(out["max_image_mb"], (int, float)) or out["max_image_mb"] <= 0:
        raise SettingsError("WARD_READER['max_image_mb'] must be a positive number")
    out["kinds"] = parse_kinds(out["kinds"])
    return out


def parse_kinds(kinds):
    """WARD_READER["kinds"] checked: {folder: {"keys", "required", "dates": sets}}."""
    if not isinstance(kinds, dict):
        raise SettingsError("WARD_READER['kinds'] must be a dict of folder: rules")
    out = {}
    for folder, rules in kinds.items():
        if not isinstance(folder, str) or not folder.strip("/") or not isinstance(rules, dict):
            raise SettingsError(f"WARD_READER['kinds'][{folder!r}] must be a dict of rules")
        if set(rules) != {"keys", "required", "dates"}:
            raise SettingsError(
                f"WARD_READER['kinds'][{folder!r}] needs exactly 'keys', 'required', 'dates'"
            )
        checked = {}
        for name, value in rules.items():
            if not isinstance(value, (list, tuple, set, frozenset)) or not all(
                isinstance(v, str) for v in value
            ):
                raise SettingsError(f"WARD_READER['kinds'][{folder!r}][{name!r}]: list of keys")
            checked[name] = frozenset(v.lower() for v in value)
        out[folder.strip("/")] = checked
    return out
