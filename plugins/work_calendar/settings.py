"""WORK_CALENDAR settings: defaults, what each one means, and what is wrong with them."""

from datetime import date, datetime

OPTIONS = {
    "folder": ("lich-cong-tac", str, "the folder of the week files, relative to PATH"),
    "url": ("lich-cong-tac/", str, "URL of the page showing this week"),
    "save_as": ("lich-cong-tac/index.html", str, "where that page is written"),
    "week_url": (
        "lich-cong-tac/{week}/",
        str,
        "URL of one week's page ({week}: 2026-w49, lower case as every URL)",
    ),
    "week_save_as": ("lich-cong-tac/{week}/index.html", str, "where a week's page is written"),
    "feed_save_as": ("lich-cong-tac/lich.ics", str, "the iCalendar feed (RFC 5545)"),
    "feed_past_weeks": (13, int, "how many weeks before this one the feed still holds"),
    "default_minutes": (
        60,
        int,
        "how long an entry written with a start time only lasts in the feed (minutes)",
    ),
    "uid_domain": ("", str, "right-hand part of the events' UIDs; empty: the host of SITEURL"),
    "today": (None, date, "the build's day (tests); None: today in TIMEZONE when building"),
}


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    """WORK_CALENDAR filled with defaults; SettingsError says what is wrong."""
    given = settings.get("WORK_CALENDAR", {}) or {}
    if not isinstance(given, dict):
        raise SettingsError("WORK_CALENDAR must be a dict")
    unknown = set(given) - set(OPTIONS)
    if unknown:
        raise SettingsError(
            f"WORK_CALENDAR: unknown setting(s) {sorted(unknown)}; known: {sorted(OPTIONS)}"
        )
    out = {}
    for key, (default, kind, description) in OPTIONS.items():
        value = given.get(key, default)
        if value is not None and (
            not isinstance(value, kind) or isinstance(value, (bool, datetime))
        ):
            raise SettingsError(f"WORK_CALENDAR[{key!r}] must be a {kind.__name__}: {description}")
        out[key] = value
    for key in ("folder", "url", "save_as", "week_url", "week_save_as", "feed_save_as"):
        value = out[key]
        if not value or value.startswith("/") or ".." in value.split("/"):
            raise SettingsError(f"WORK_CALENDAR[{key!r}] must be a path inside the site")
    for key in ("week_url", "week_save_as"):
        if "{week}" not in out[key]:
            raise SettingsError(f"WORK_CALENDAR[{key!r}] must contain {{week}}")
    for key in ("feed_past_weeks", "default_minutes"):
        if out[key] is None or out[key] < 0:
            raise SettingsError(f"WORK_CALENDAR[{key!r}] must be a whole number >= 0")
    return out
