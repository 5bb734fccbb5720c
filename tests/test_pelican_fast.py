"""pelican_fast gives Pelican's groupings exactly, in linear time."""

import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pelican_fast
import pytest
from pelican import signals
from pelican_fast import MemberList, build_period_archives

SETTINGS = {
    "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
    "YEAR_ARCHIVE_URL": "{date:%Y}/",
    "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
    "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
    "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    "DAY_ARCHIVE_URL": "",
}


class Item:
    """Like a Content object: compared by identity."""

    def __init__(self, date):
        self.date = date


def items(n, seed=1):
    rng = random.Random(seed)
    start = datetime(2019, 1, 1)
    return [Item(start + timedelta(hours=rng.randrange(24 * 900))) for _ in range(n)]


def test_member_list_answers_in_as_a_list_does_after_every_change():
    a, b, c, d = items(4)
    plain, fast = [a, b], MemberList([a, b])
    changes = [
        ("append", (c,)), ("remove", (a,)), ("insert", (0, d)), ("pop", ()), ("extend", ([a],)),
        ("__setitem__", (0, b)), ("__delitem__", (0,)), ("__iadd__", ([d],)), ("clear", ()),
    ]  # fmt: skip
    for name, args in changes:
        assert [x in fast for x in (a, b, c, d)] == [x in plain for x in (a, b, c, d)]
        getattr(plain, name)(*args)
        getattr(fast, name)(*args)
        assert list(fast) == plain, name
    assert [x in fast for x in (a, b, c, d)] == [x in plain for x in (a, b, c, d)]
    assert Item(a.date) not in MemberList([a])  # equal values, another object


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_period_archives_equal_pelicans(seed):
    articles = items(400, seed)
    random.Random(seed).shuffle(articles)
    dates = sorted(articles, key=lambda x: x.date, reverse=True)
    subset = articles[::3]  # Pelican passes the listed articles; dates may hold more
    want = pelican_fast._pelican_period_archives(None, dates, subset, SETTINGS)
    got = build_period_archives(None, dates, subset, SETTINGS)
    assert set(got) == set(want) == {"year", "month", "day"}
    for granularity in want:
        assert len(got[granularity]) == len(want[granularity])
        for mine, theirs in zip(got[granularity], want[granularity], strict=True):
            assert mine.keys() == theirs.keys()
            for key in theirs:
                if key in ("dates", "articles"):
                    assert [id(x) for x in mine[key]] == [id(x) for x in theirs[key]]
                else:
                    assert mine[key] == theirs[key]


def test_relative_source_path_is_pelicans_and_follows_the_source(tmp_path):
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    article = Article("x", metadata={"title": "T"}, settings=settings,
                      source_path=str(tmp_path / "bai-viet" / "a.md"))  # fmt: skip
    want = pelican_fast._pelican_relative_source_path(article)
    assert want == "bai-viet/a.md"
    assert pelican_fast.get_relative_source_path(article) == want
    article.source_path = str(tmp_path / "khac" / "b.md")  # what it was worked out from changed
    assert pelican_fast.get_relative_source_path(article) == "khac/b.md"
    other = str(tmp_path / "anh" / "c.jpg")
    assert pelican_fast.get_relative_source_path(article, other) == "anh/c.jpg"


@pytest.mark.parametrize(
    "pattern",
    [
        "{category}/{slug}/",
        "{category}/{slug}/index.html",
        "luu-tru/{date:%Y}/{date:%m}/{slug}.html",
        "{lang}/{author}/{path}",
        "{date.year}/{slug}-{ma_so}/",
        "{ma_so[0]}/{slug}/",
        "tinh/trang.html",
        "{khong_co}/{slug}/",
        "{}/{slug}/",
        "{date:{dinh_dang}}/",
    ],
)
def test_urls_are_pelicans(tmp_path, pattern):
    """Each pattern gives what Pelican gives, or the same error, for an article, a draft, one
    without a category or author, and a page."""
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    for key in ("ARTICLE", "DRAFT", "PAGE", "DRAFT_PAGE"):
        settings[f"{key}_URL"] = pattern
        settings[f"{key}_SAVE_AS"] = pattern
    source = str(tmp_path / "bai-viet" / "a b.md")
    with signals.content_object_init.muted():  # the project's plugins, if a build loaded them
        items = _url_items(settings, source)
    klasses = ["article", "draft", None]  # what Article and Page pass for these
    for item, klass in zip(items, klasses, strict=True):
        for key in ("url", "save_as"):
            answers = []
            for expand in (pelican_fast._pelican_expand_settings, pelican_fast.expand_settings):
                try:
                    answers.append(expand(item, key, klass))
                except Exception as error:  # the same error is wanted
                    answers.append((type(error), str(error)))
            assert answers[0] == answers[1], (pattern, type(item).__name__, key)


def test_a_kept_articles_url_is_worked_out_once_per_status_and_language(tmp_path, monkeypatch):
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "DRAFT_URL": "nhap/{slug}/"}
    article = Article("x", metadata={"title": "T", "slug": "t", "date": datetime(2022, 7, 6)},
                      settings=settings, source_path=str(tmp_path / "a.md"))  # fmt: skip
    article._memo = {}
    calls = []
    real = pelican_fast._pelican_get_url_setting
    monkeypatch.setattr(
        pelican_fast, "_pelican_get_url_setting", lambda c, k: calls.append(k) or real(c, k)
    )
    get = pelican_fast.get_url_setting
    assert get(article, "url") == get(article, "url") == "t.html" and calls == ["url"]
    article.status = "draft"
    assert get(article, "url") == "nhap/t/"
    article.override_url = "rieng/"
    assert get(article, "url") == "rieng/"
    del article._memo  # not kept: Pelican's every time
    del article.override_url
    get(article, "url"), get(article, "url")
    # Once, once more as a draft, the override (Pelican's), twice without a memo.
    assert calls == ["url"] * 5


def test_listing_content_ignores_what_pelican_ignores(tmp_path):
    from pelican.generators import Generator
    from pelican.settings import DEFAULT_CONFIG

    class Readers:
        extensions = {"md": None, "html": None}.keys()

    names = ["a.md", ".#a.md", "a.md~", ".a.md.swp", "README.md", "b.html", "c.txt", "dir/x.md",
             "dir/README.md", "[x].md", "bài-viết.md", ".hidden.md", "d.MD", "e.md.bak"]  # fmt: skip
    pattern_sets = [
        [".#*", "*~", ".*.swp", "README.md"],
        ["**/.*"],
        [],
        ["[!a]*.md", "*.htm?"],
    ]
    for patterns in pattern_sets:
        generator = object.__new__(Generator)
        generator.settings = {**DEFAULT_CONFIG, "IGNORE_FILES": patterns}
        generator.readers = Readers()
        for name in names:
            for extensions in (None, False, ("md",)):
                want = pelican_fast._pelican_include_path(generator, name, extensions)
                got = pelican_fast.include_path(generator, name, extensions)
                assert got == want, (patterns, name, extensions)


def _url_items(settings, source):
    from pelican.contents import Article, Page
    from pelican.urlwrappers import Author, Category

    when = datetime(2024, 3, 9, 8, 30)
    return [
        Article("x", settings=settings, source_path=source, metadata={
            "title": "T", "date": when, "slug": "hop-dan", "ma_so": "QD12",
            "category": Category("Tin hoạt động", settings),
            "author": Author("Ban biên tập", settings)}),
        Article("x", settings=settings, source_path=source, metadata={
            "title": "T", "date": when, "slug": "nhap", "status": "draft", "ma_so": "7"}),
        Page("x", settings=settings, source_path=source, metadata={"title": "Giới thiệu"}),
    ]  # fmt: skip


def test_what_is_alive_at_exit_is_set_aside_and_the_clean_up_registered_before_still_runs(
    tmp_path,
):
    # A clean-up registered before the plugin's import runs after its freeze (atexit runs
    # the last registered first): it sees every object frozen, and still writes its file.
    script = tmp_path / "exit.py"
    out = tmp_path / "out.txt"
    script.write_text(
        "import atexit, gc, sys\n"
        f"def report():\n    open({str(out)!r}, 'w').write(str(gc.get_freeze_count()))\n"
        "atexit.register(report)\n"
        "import pelican_fast\n"
        "site = [[i] for i in range(10_000)]\n"
        "for item in site:\n    item.append(item)  # cycles, as a build's objects have\n",
        encoding="utf-8",
    )
    plugins = Path(pelican_fast.__file__).parent.parent
    subprocess.run([sys.executable, str(script)], check=True, env={"PYTHONPATH": str(plugins)})
    assert int(out.read_text()) >= 10_000
