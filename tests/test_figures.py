"""figures: exact Markdown input / expected HTML pairs for the figure extension."""

import markdown
import pytest

from figures.check import missing_images
from figures.markdown_ext import FigureExtension, content_link

CASES = [
    (
        "alt becomes the caption",
        "![Toàn cảnh hội nghị](images/2022/07/toan-canh.jpg)",
        '<figure><img alt="Toàn cảnh hội nghị" src="{static}/images/2022/07/toan-canh.jpg" />'
        "<figcaption>Toàn cảnh hội nghị</figcaption></figure>",
    ),
    (
        "title becomes the caption and leaves the img",
        '![Đ/c A phát biểu](images/a.jpg "Đ/c Nguyễn Văn A – Chủ tịch UBND phường phát biểu")',
        '<figure><img alt="Đ/c A phát biểu" src="{static}/images/a.jpg" />'
        "<figcaption>Đ/c Nguyễn Văn A – Chủ tịch UBND phường phát biểu</figcaption></figure>",
    ),
    (
        "caption text is escaped",
        '![a](images/a.jpg "Lễ <b>trao</b> & tặng")',
        '<figure><img alt="a" src="{static}/images/a.jpg" />'
        "<figcaption>Lễ &lt;b&gt;trao&lt;/b&gt; &amp; tặng</figcaption></figure>",
    ),
    (
        "image inside text stays inline",
        "Xem ảnh ![sơ đồ](images/so-do.png) bên dưới.",
        '<p>Xem ảnh <img alt="sơ đồ" src="{static}/images/so-do.png" /> bên dưới.</p>',
    ),
    (
        "two images in one paragraph stay inline",
        "![a](images/a.jpg)\n![b](images/b.jpg)",
        '<p><img alt="a" src="{static}/images/a.jpg" />\n<img alt="b" src="{static}/images/b.jpg" /></p>',
    ),
    (
        "linked image becomes a figure with the link kept",
        "[![Bản đồ phường](images/ban-do.jpg)](https://example.org/ban-do)",
        '<figure><a href="https://example.org/ban-do"><img alt="Bản đồ phường" '
        'src="{static}/images/ban-do.jpg" /></a><figcaption>Bản đồ phường</figcaption></figure>',
    ),
    (
        "external image is not rewritten",
        "![logo](https://example.org/logo.png)",
        '<figure><img alt="logo" src="https://example.org/logo.png" />'
        "<figcaption>logo</figcaption></figure>",
    ),
    (
        "empty alt and no title: figure without caption",
        "![](images/a.jpg)",
        '<figure><img alt="" src="{static}/images/a.jpg" /></figure>',
    ),
    (
        "image in a list item paragraph",
        "- mục một\n\n    ![a](images/a.jpg)",
        '<ul>\n<li>\n<p>mục một</p>\n<figure><img alt="a" src="{static}/images/a.jpg" />'
        "<figcaption>a</figcaption></figure>\n</li>\n</ul>",
    ),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_figure_html(source, expected):
    html = markdown.markdown(source, extensions=[FigureExtension()])
    assert html == expected


@pytest.mark.parametrize(
    ("src", "link"),
    [
        ("images/a.jpg", "{static}/images/a.jpg"),
        ("./a.jpg", "{static}./a.jpg"),
        ("../images/a.jpg", "{static}../images/a.jpg"),
        ("/images/a.jpg", "/images/a.jpg"),
        ("{static}/images/a.jpg", "{static}/images/a.jpg"),
        ("https://x.vn/a.jpg", "https://x.vn/a.jpg"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
    ],
    ids=["from-content", "dot-relative", "parent-relative", "root", "static", "url", "data"],
)
def test_content_link(src, link):
    assert content_link(src) == link


def test_missing_images_name_their_line(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "co.jpg").write_bytes(b"x")
    source = tmp_path / "bai.md"
    source.write_text(
        "Title: a\nImage: images/anh-dai-dien.jpg\n\n![có](images/co.jpg)\n\n![không](images/khong.jpg)\n",
        encoding="utf-8",
    )
    html = markdown.markdown(source.read_text(encoding="utf-8"), extensions=[FigureExtension()])
    found = list(missing_images(str(source), html, "images/anh-dai-dien.jpg", str(tmp_path)))
    assert found == [(6, "images/khong.jpg"), (2, "images/anh-dai-dien.jpg")]
