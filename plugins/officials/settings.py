"""OFFICIALS settings: defaults, what each one means, and what is wrong with them."""

import re
import unicodedata

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)+$")
# What describes one body (an item of OFFICIALS["bodies"]): required keys, then optional.
BODY_KEYS = {
    "key": "the id a position names in `body:` (a-z, 0-9, '-')",
    "name": "its name in Vietnamese, as a heading ('Ủy ban nhân dân phường')",
    "name_en": "its name in English ('Ward People's Committee')",
    "about": "optional: what it does, one or two sentences in Vietnamese",
    "about_en": "optional: the same in English (the English organisation page)",
}
BODY_REQUIRED = ("key", "name", "name_en")

DEFAULT_GROUPS = [
    # (heading on the index page, words of a title that put an official in the group)
    ("Đảng ủy", ["đảng ủy", "bí thư", "phó bí thư", "đảng bộ", "ủy ban kiểm tra", "chi bộ"]),
    ("Hội đồng nhân dân", ["hđnd", "hội đồng nhân dân"]),
    ("Ủy ban nhân dân", ["ubnd", "ủy ban nhân dân", "công an", "quân sự", "văn phòng"]),
    ("Mặt trận Tổ quốc", ["mttq", "ubmttq", "mặt trận"]),
    ("Các đoàn thể", ["hội", "bí thư đoàn", "đoàn thanh niên", "công đoàn", "cựu chiến binh"]),
    ("Lãnh đạo quận", ["quận ủy", "ubnd quận", "hđnd quận", "quận"]),
    ("Cán bộ khác", []),
]

OPTIONS = {
    "registry": ("data/officials.yml", str, "the registry file, relative to PATH"),
    "url": ("can-bo/{id}/", str, "URL of an official's page ({id} is the registry id)"),
    "save_as": ("can-bo/{id}/index.html", str, "where an official's page is written"),
    "index_url": ("can-bo/", str, "URL of the index of officials"),
    "index_save_as": ("can-bo/index.html", str, "where the index is written"),
    "home_places": (
        [],
        list,
        "the site's own ward, district…: a title naming another place is another person",
    ),
    "per_page": (30, int, "articles per page on an official's page (titles and dates)"),
    "cache": (
        "var/officials/tags.json",
        str,
        "where tags of unchanged articles are kept between builds (relative: beside the "
        "content folder); empty: no cache",
    ),
    "link_first_mention": (True, bool, "link the first mention in the body to the page"),
    "link_class": ("official-link", str, "CSS class of those links"),
    "groups": (
        DEFAULT_GROUPS,
        list,
        "index groups of positions without `body:` (older registries): "
        "[(heading, [title words])], in order",
    ),
    "bodies": (
        [],
        list,
        "the bodies a position may belong to (`body:` in the registry), in the order the "
        "pages show them: [{key, name, name_en, about, about_en}]",
    ),
    "organisation_url": (
        "co-cau-to-chuc/",
        str,
        "URL of the generated organisation page (written to <url>index.html); '' for none",
    ),
    "organisation_nav_order": (40, int, "its place in the main menu (nav_sections order)"),
    "moved_urls": (
        [],
        list,
        "old URLs (e.g. a hand-written page the organisation page replaces) that now lead "
        "to the organisation page",
    ),
    "english_url": (
        "",
        str,
        "base URL of the English pages ('en/': en/, en/organisation/, en/contacts/); '' for none",
    ),
    "english_about": (
        "data/about-en.md",
        str,
        "Markdown text about the ward for the English home page, relative to PATH",
    ),
}


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    """OFFICIALS filled with defaults; SettingsError says what is wrong."""
    given = settings.get("OFFICIALS", {}) or {}
    if not isinstance(given, dict):
        raise SettingsError("OFFICIALS must be a dict")
    unknown = set(given) - set(OPTIONS)
    if unknown:
        raise SettingsError(
            f"OFFICIALS: unknown setting(s) {sorted(unknown)}; known: {sorted(OPTIONS)}"
        )
    out = {}
    for key, (default, kind, description) in OPTIONS.items():
        value = given.get(key, default)
        if not isinstance(value, kind):
            raise SettingsError(f"OFFICIALS[{key!r}] must be a {kind.__name__}: {description}")
        out[key] = value
    for key in ("url", "save_as"):
        if "{id}" not in out[key]:
            raise SettingsError(f"OFFICIALS[{key!r}] must contain {{id}}")
    groups = []
    for group in out["groups"]:
        if (
            not isinstance(group, (list, tuple))
            or len(group) != 2
            or not isinstance(group[0], str)
            or not all(isinstance(k, str) for k in group[1])
        ):
            raise SettingsError("OFFICIALS['groups'] items must be (heading, [title words])")
        groups.append((group[0], list(group[1])))
    out["groups"] = groups
    out["bodies"] = _bodies(out["bodies"])
    for key in ("organisation_url", "english_url"):
        if out[key] and not URL_RE.match(out[key]):
            raise SettingsError(
                f"OFFICIALS[{key!r}] must be a folder URL like 'co-cau-to-chuc/' or 'en/', "
                f"not {out[key]!r}"
            )
    for moved in out["moved_urls"]:
        if not isinstance(moved, str) or not URL_RE.match(moved):
            raise SettingsError(
                f"OFFICIALS['moved_urls'] items must be folder URLs like 'so-do-to-chuc/', "
                f"not {moved!r}"
            )
    return out


def _bodies(items):
    """OFFICIALS["bodies"] checked: a list of dicts, each with BODY_KEYS only, the required
    ones non-empty text, every key unique."""
    out = []
    seen = set()
    for number, item in enumerate(items, start=1):
        where = f"OFFICIALS['bodies'] item {number}"
        if not isinstance(item, dict):
            raise SettingsError(f"{where} must be a dict with {', '.join(BODY_REQUIRED)}")
        unknown = set(item) - set(BODY_KEYS)
        if unknown:
            raise SettingsError(
                f"{where}: unknown key(s) {sorted(unknown)}; known: "
                + "; ".join(f"{k}: {d}" for k, d in BODY_KEYS.items())
            )
        for key, meaning in BODY_KEYS.items():
            value = item.get(key, "")
            if not isinstance(value, str) or (key in BODY_REQUIRED and not value.strip()):
                raise SettingsError(f"{where}: {key!r} must be text: {meaning}")
        if not ID_RE.match(item["key"]):
            raise SettingsError(f"{where}: key {item['key']!r} must be a-z, 0-9 and '-'")
        if item["key"] in seen:
            raise SettingsError(f"{where}: key {item['key']!r} is listed twice")
        seen.add(item["key"])
        out.append(
            {
                key: unicodedata.normalize("NFC", " ".join(item.get(key, "").split()))
                for key in BODY_KEYS
            }
        )
    return out
