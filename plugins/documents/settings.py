"""DOCUMENTS settings: defaults, what each one means, and what is wrong with them."""

DEFAULT_TYPES = [
    "Quyết định", "Thông báo", "Kế hoạch", "Công văn", "Báo cáo", "Chỉ thị", "Nghị quyết",
    "Tờ trình", "Hướng dẫn", "Chương trình", "Quy chế", "Quy định", "Kết luận", "Giấy mời",
]  # fmt: skip

OPTIONS = {
    "path": ("van-ban", str, "the content folder of the documents, one Markdown file each"),
    "url": ("van-ban/", str, "URL of the list of documents"),
    "save_as": ("van-ban/index.html", str, "where the list is written"),
    "document_url": ("van-ban/{year}/{slug}/", str, "URL of a document ({year} issued, {slug})"),
    "document_save_as": ("van-ban/{year}/{slug}/index.html", str, "where a document goes"),
    "year_url": ("van-ban/{year}/", str, "URL of the documents of one year"),
    "year_save_as": ("van-ban/{year}/index.html", str, "where that list goes"),
    "type_url": ("van-ban/loai/{slug}/", str, "URL of the documents of one type"),
    "type_save_as": ("van-ban/loai/{slug}/index.html", str, "where that list goes"),
    "issuer_url": ("van-ban/co-quan/{slug}/", str, "URL of the documents of one issuer"),
    "issuer_save_as": ("van-ban/co-quan/{slug}/index.html", str, "where that list goes"),
    "draft_url": (
        "ban-nhap/van-ban/{year}/{slug}/",
        str,
        "URL of an unpublished document (written only with UNPUBLISHED['write'], the preview)",
    ),
    "draft_save_as": ("ban-nhap/van-ban/{year}/{slug}/index.html", str, "where it goes"),
    "feed_atom": ("", str, "the Atom feed of the documents (empty: none; publishconf.py)"),
    "types": (DEFAULT_TYPES, list, "the types (Type:) a document may have"),
    "file_types": (["PDF", "DOC", "DOCX", "ODT"], list, "kinds of file a document's File may be"),
    "link_numbers": (True, bool, "link document numbers written in articles and pages"),
    "link_class": ("document-link", str, "CSS class of those links"),
    "nav_order": (10, int, "place of the 'Văn bản' section in the main menu"),
}

PATTERNS = {
    "document_url": ("{year}", "{slug}"),
    "document_save_as": ("{year}", "{slug}"),
    "draft_url": ("{year}", "{slug}"),
    "draft_save_as": ("{year}", "{slug}"),
    "year_url": ("{year}",),
    "year_save_as": ("{year}",),
    "type_url": ("{slug}",),
    "type_save_as": ("{slug}",),
    "issuer_url": ("{slug}",),
    "issuer_save_as": ("{slug}",),
}


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    """DOCUMENTS filled with defaults; SettingsError says what is wrong."""
    given = settings.get("DOCUMENTS", {}) or {}
    if not isinstance(given, dict):
        raise SettingsError("DOCUMENTS must be a dict")
    unknown = set(given) - set(OPTIONS)
    if unknown:
        raise SettingsError(
            f"DOCUMENTS: unknown setting(s) {sorted(unknown)}; known: {sorted(OPTIONS)}"
        )
    out = {}
    for key, (default, kind, description) in OPTIONS.items():
        value = given.get(key, default)
        if value is None and kind is str and key == "feed_atom":
            value = ""
        if not isinstance(value, kind):
            raise SettingsError(f"DOCUMENTS[{key!r}] must be a {kind.__name__}: {description}")
        out[key] = value
    out["path"] = out["path"].strip("/")
    if not out["path"] or ".." in out["path"].split("/"):
        raise SettingsError("DOCUMENTS['path'] must be a folder inside the content folder")
    for key, fields in PATTERNS.items():
        if not all(field in out[key] for field in fields):
            raise SettingsError(f"DOCUMENTS[{key!r}] must contain {' and '.join(fields)}")
    for key in ("types", "file_types"):
        if not out[key] or not all(isinstance(v, str) and v.strip() for v in out[key]):
            raise SettingsError(f"DOCUMENTS[{key!r}] must be a list of names")
    out["file_types"] = [v.upper() for v in out["file_types"]]
    return out
