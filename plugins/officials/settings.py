"""OFFICIALS settings: defaults, what each one means, and what is wrong with them."""

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
    "groups": (DEFAULT_GROUPS, list, "index groups: [(heading, [title words])], in order"),
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
    return out
