"""The shortcuts that make a full build cheaper give the output the plain way gives.

(The whole-site check is a diff of a 2,000-article build before and after: README,
"Performance".)"""

import smartypants as smartypants_lib
from typogrify import filters

from portal import RenderOnce
from tests.conftest import parse
from ward_reader import typography

# What Pelican sets before typogrify runs (TYPOGRIFY_DASHES "default", plus &quot;).
ATTR = smartypants_lib.Attr.set1 | smartypants_lib.Attr.w

TEXTS = [
    "<p>Phường tổ chức hội nghị sơ kết công tác năm 2022.</p>",
    '<p><a href="/a/" title="x">Liên kết</a> và <img alt="ảnh" src="a.jpg"></p>',
    '<p>Ông nói: "Phải làm đúng người, đủ chỉ tiêu".</p>',
    "<p>Hồ sơ của bà 'Lan' đã xong</p>",
    "<p>Từ 8 giờ -- 11 giờ</p>",
    "<p>Và còn nữa...</p>",
    "<p>Và còn nữa. . . </p>",
    "<p>``Trích dẫn''</p>",
    "<p>&quot;Trích&quot;</p>",
    r"<p>Dấu \"thoát\" và \\ gạch</p>",
    "<p>Chú thích <!-- a -- b --> ở giữa</p>",
    '<pre><code>x = "y" -- z...</code></pre><p>Sau đó</p>',
    '"',
    "'",
    "a < b và c > d",
    "Không có thẻ nào cả",
    "",
]


def test_smartypants_check_gives_smartypants_output(monkeypatch):
    monkeypatch.setattr(smartypants_lib.Attr, "default", ATTR)
    typography.wrap()
    assert getattr(filters.smartypants, "ward_checked", False)
    original = filters.smartypants
    for text in TEXTS:
        expected = smartypants_lib.smartypants(text)
        assert original(text) == expected, text
        # and typogrify as Pelican calls it, end to end
        omit = {"caps": False, "amp": False, "initial_quotes": False}
        assert filters.typogrify(text, [], **omit) == filters.widont(expected), text


def test_smartypants_is_skipped_only_without_anything_to_change():
    assert not typography.needs_smartypants(TEXTS[0])
    assert not typography.needs_smartypants(TEXTS[1])  # quotes inside tags only
    for text in TEXTS[2:12]:
        assert typography.needs_smartypants(text), text


def test_render_once_renders_each_item_and_arguments_once():
    calls = []

    class Macro:
        name = "card"

        def __call__(self, item, *args):
            calls.append((item, args))
            return f"{item}{args}"

    once, macro = RenderOnce(), Macro()
    a, b = ["a"], ["b"]
    assert once(macro, a, "h2", True) == once(macro, a, "h2", True) == "['a']('h2', True)"
    assert once(macro, a, "h3", True) == "['a']('h3', True)"
    assert once(macro, b, "h2", True) == "['b']('h2', True)"
    assert calls == [(a, ("h2", True)), (a, ("h3", True)), (b, ("h2", True))]


ARTICLE = """Title: {title}
Date: {date}
Category: Thông báo
Summary: Tóm tắt của {title}.

Nội dung bài {title}[^1].

[^1]: Chú thích của {title}.
"""


def test_articles_read_one_after_another_share_nothing(tmp_path, site_builder):
    """One Markdown instance reads every file: no footnote or metadata of one file shows
    in the next; every article and the draft get their own URL, listed where written."""
    posts = tmp_path / "content" / "bai-viet"
    posts.mkdir(parents=True)
    for n, date in enumerate(["2022-03-01 08:00", "2022-03-02 08:00", "2022-03-03 08:00"]):
        (posts / f"bai-{n}.md").write_text(
            ARTICLE.format(title=f"Bài số {n}", date=date), encoding="utf-8"
        )
    draft = ARTICLE.format(title="Bản nháp", date="2022-03-04 08:00") + "\n"
    (posts / "nhap.md").write_text(draft.replace("Summary:", "Status: draft\nSummary:"))
    out = site_builder(tmp_path / "content")
    for n in range(3):
        page = parse(out / "thong-bao" / f"bai-so-{n}" / "index.html")
        body = page.css_first(".article-body").text()
        assert f"Chú thích của Bài số {n}." in body
        assert body.count("Chú thích của") == 1
        lead = page.css_first(".lead").text().replace("\xa0", " ")  # widont
        assert lead == f"Tóm tắt của Bài số {n}."
    assert (out / "ban-nhap" / "ban-nhap" / "index.html").exists()
    index = parse(out / "index.html")
    links = {a.attributes["href"] for a in index.css(".article-list a")}
    assert links == {f"/thong-bao/bai-so-{n}/" for n in range(3)}
