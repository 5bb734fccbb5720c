"""Reading an article's HTML into blocks and linking the first mention, exact HTML pairs."""

import pytest

from officials.html_text import insert_links, raw_span, read_blocks


def link_first(html, name, href="/can-bo/x/"):
    """Link the first linkable occurrence of `name`, the way the plugin does."""
    for block in read_blocks(html):
        if block.kind not in ("body", "caption"):
            continue
        text = block.text.replace("\u00a0", " ")
        at = text.find(name)
        while at != -1:
            span = raw_span(block, at, at + len(name))
            if span:
                return insert_links(html, [(*span, href, "official-link")])
            at = text.find(name, at + 1)
    return html


LINK = '<a class="official-link" href="/can-bo/x/">'
CASES = [
    (
        "plain-paragraph",
        "<p>Đồng chí Phạm Văn An phát biểu.</p>",
        f"<p>Đồng chí {LINK}Phạm Văn An</a> phát biểu.</p>",
    ),
    (
        "not-in-heading",
        "<h2>Phạm Văn An</h2>\n<p>Ông Phạm Văn An cho biết</p>",
        f"<h2>Phạm Văn An</h2>\n<p>Ông {LINK}Phạm Văn An</a> cho biết</p>",
    ),
    (
        "not-in-existing-link",
        '<p><a href="/x">Phạm Văn An</a> và Phạm Văn An</p>',
        f'<p><a href="/x">Phạm Văn An</a> và {LINK}Phạm Văn An</a></p>',
    ),
    (
        "not-in-code",
        "<p><code>Phạm Văn An</code></p><pre>Phạm Văn An</pre><p>Phạm Văn An</p>",
        f"<p><code>Phạm Văn An</code></p><pre>Phạm Văn An</pre><p>{LINK}Phạm Văn An</a></p>",
    ),
    (
        "not-in-alt",
        '<figure><img alt="Phạm Văn An" src="a.jpg"><figcaption>Ông Phạm Văn An</figcaption></figure>',
        f'<figure><img alt="Phạm Văn An" src="a.jpg"><figcaption>Ông {LINK}Phạm Văn An</a></figcaption></figure>',
    ),
    (
        "across-an-entity",
        "<p>Ông Phạm Văn&nbsp;An &amp; bà Hà</p>",
        f"<p>Ông {LINK}Phạm Văn&nbsp;An</a> &amp; bà Hà</p>",
    ),
    (
        "not-across-a-tag",
        "<p>Ông <strong>Phạm Văn</strong> An</p>",
        "<p>Ông <strong>Phạm Văn</strong> An</p>",
    ),
    (
        "not-inside-an-attribute-with-gt",
        '<p><img alt="a > Phạm Văn An" src="a.jpg"> và Phạm Văn An</p>',
        f'<p><img alt="a > Phạm Văn An" src="a.jpg"> và {LINK}Phạm Văn An</a></p>',
    ),
    (
        "not-inside-a-single-quoted-title-with-gt-and-lt",
        "<p><a title='x < y > Phạm Văn An' href=\"/y\">xem</a> Ông Phạm Văn An</p>",
        f"<p><a title='x < y > Phạm Văn An' href=\"/y\">xem</a> Ông {LINK}Phạm Văn An</a></p>",
    ),
    (
        "not-inside-a-single-quoted-attribute",
        "<p><abbr title='UBND > Ông Phạm Văn An'>UBND</abbr> < 5</p>",
        "<p><abbr title='UBND > Ông Phạm Văn An'>UBND</abbr> < 5</p>",
    ),
    (
        "inside-emphasis",
        "<p>Ông <em>Phạm Văn An</em> cho biết</p>",
        f"<p>Ông <em>{LINK}Phạm Văn An</a></em> cho biết</p>",
    ),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_link_first_mention(html, expected):
    assert link_first(html, "Phạm Văn An") == expected


def test_blocks_kinds_and_figure_groups():
    html = (
        "<h2>Tiêu đề</h2><p>Đoạn một</p>"
        '<figure><img alt="Ảnh một" title="Chú thích" src="a.jpg"><figcaption>Chú thích</figcaption></figure>'
        "<ul><li>Mục</li></ul><p>Cuối</p>"
    )
    blocks = read_blocks(html)
    assert [(b.kind, b.text, b.group) for b in blocks] == [
        ("heading", "Tiêu đề", None),
        ("body", "Đoạn một", None),
        ("alt", "Ảnh một", 1),
        ("title", "Chú thích", 1),
        ("caption", "Chú thích", 1),
        ("body", "Mục", None),
        ("body", "Cuối", None),
    ]
    assert [b.last for b in blocks] == [False] * 6 + [True]


def test_alt_with_gt_and_lt_is_one_attribute():
    html = '<figure><img alt="a > b < Phạm Văn An" src="a.jpg"></figure><p>Cuối</p>'
    assert [(b.kind, b.text) for b in read_blocks(html)] == [
        ("alt", "a > b < Phạm Văn An"),
        ("body", "Cuối"),
    ]


def test_entities_are_read_as_text():
    (block,) = read_blocks("<p>A &amp; B &#8211; C&nbsp;D</p>")
    assert block.text == "A & B – C\u00a0D"


def test_href_is_escaped():
    out = insert_links("<p>x</p>", [(3, 4, '/a"b<c>/', "official-link")])
    assert out == '<p><a class="official-link" href="/a&quot;b&lt;c&gt;/">x</a></p>'


def test_quick_look_sees_names_in_attributes_and_split_by_tags():
    from officials import _names_someone
    from officials.matching import NameIndex
    from officials.registry import parse_registry

    index = NameIndex(parse_registry("- id: pham-van-an\n  name: Phạm Văn An\n"))
    assert _names_someone(index, "<p>Ông <strong>Phạm Văn</strong> An</p>")
    assert _names_someone(index, '<figure><img alt="Đ/c Phạm Văn An" src="a.jpg"></figure>')
    assert _names_someone(index, "<p>Ông Phạm Văn&nbsp;An</p>")
    assert not _names_someone(index, "<p>Ông Phạm Văn Anh</p>")


def test_linked_content_is_rendered_again():
    """Pelican memoizes an article's rendered content: the plugin's links must not be lost
    when something rendered it before the plugin ran."""
    import copy
    from datetime import datetime

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from officials import _forget_rendered

    settings = copy.deepcopy(DEFAULT_CONFIG)
    article = Article(
        "<p>Ông Phạm Văn An</p>",
        metadata={"title": "T", "date": datetime(2023, 1, 1), "category": "c"},
        settings=settings,
    )
    assert article.get_content("") == "<p>Ông Phạm Văn An</p>"
    article._content = "<p>Ông <a>Phạm Văn An</a></p>"
    _forget_rendered(article)
    assert article.get_content("") == "<p>Ông <a>Phạm Văn An</a></p>"
