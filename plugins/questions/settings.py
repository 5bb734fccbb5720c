"""QUESTIONS settings: defaults, what each one means, and what is wrong with them."""

from datetime import datetime

OPTIONS = {
    "folder": ("hoi-dap", str, "the questions' folder, relative to PATH"),
    "url": ("hoi-dap/", str, "URL of the list of questions (newest answer first)"),
    "save_as": ("hoi-dap/index.html", str, "where the list is written"),
    "question_url": ("hoi-dap/{slug}/", str, "URL of a question's page"),
    "question_save_as": ("hoi-dap/{slug}/index.html", str, "where a question's page is written"),
    "draft_url": ("ban-nhap/hoi-dap/{slug}/", str, "URL of an unpublished question (preview)"),
    "draft_save_as": ("ban-nhap/hoi-dap/{slug}/index.html", str, "where it is written"),
    "ask_url": ("hoi-dap/gui-cau-hoi/", str, "URL of the page saying how to ask"),
    "ask_save_as": ("hoi-dap/gui-cau-hoi/index.html", str, "where it is written"),
    "per_page": (10, int, "questions per page of the list"),
    "others": (5, int, "how many other questions a question's page lists"),
    "now": (None, datetime, "the build's time (tests); None: now, in TIMEZONE"),
}
PATHS = ("url", "save_as", "question_url", "question_save_as", "draft_url", "draft_save_as",
         "ask_url", "ask_save_as")  # fmt: skip


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    """QUESTIONS filled with defaults; SettingsError says what is wrong."""
    given = settings.get("QUESTIONS", {}) or {}
    if not isinstance(given, dict):
        raise SettingsError("QUESTIONS must be a dict")
    unknown = set(given) - set(OPTIONS)
    if unknown:
        raise SettingsError(
            f"QUESTIONS: unknown setting(s) {sorted(unknown)}; known: {sorted(OPTIONS)}"
        )
    out = {}
    for key, (default, kind, description) in OPTIONS.items():
        value = given.get(key, default)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise SettingsError(f"QUESTIONS[{key!r}] must be a {kind.__name__}: {description}")
        out[key] = value
    for key in ("folder", *PATHS):
        value = out[key]
        if not value or value.startswith("/") or ".." in value.split("/"):
            raise SettingsError(f"QUESTIONS[{key!r}] must be a path inside the site")
    for key in ("question_url", "question_save_as", "draft_url", "draft_save_as"):
        if "{slug}" not in out[key]:
            raise SettingsError(f"QUESTIONS[{key!r}] must contain {{slug}}")
    if out["per_page"] is None or out["per_page"] < 1:
        raise SettingsError("QUESTIONS['per_page'] must be a whole number >= 1")
    if out["others"] is None or out["others"] < 0:
        raise SettingsError("QUESTIONS['others'] must be a whole number >= 0")
    return out
