"""Python-Markdown extension: figures with captions, and image paths from content/.

    ![Toàn cảnh hội nghị](images/2022/07/toan-canh.jpg "Caption")

alone in its paragraph becomes

    <figure><img alt="Toàn cảnh hội nghị" src="{static}/images/2022/07/toan-canh.jpg">
    <figcaption>Caption</figcaption></figure>

The caption is the title when there is one, else the alt text. The title attribute is
dropped once it is the caption, so screen readers do not read it twice. A relative image
path is taken from the content folder (`images/...` is `content/images/...`) and written as
Pelican's `{static}` link, so the URL is right on every page.
"""

import re
from xml.etree.ElementTree import SubElement

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

ABSOLUTE_RE = re.compile(r"^([a-z][a-z0-9+.-]*:|/|\{|#)", re.IGNORECASE)


def content_link(src):
    """`images/x.jpg` -> `{static}/images/x.jpg`; URLs, absolute and {…} links unchanged."""
    if not src or ABSOLUTE_RE.match(src):
        return src
    if src.startswith(("./", "../")):
        return "{static}" + src  # relative to the article's own folder
    return "{static}/" + src


class FigureTreeprocessor(Treeprocessor):
    def run(self, root):
        for img in root.iter("img"):
            img.set("src", content_link(img.get("src", "")))
        for parent in root.iter():
            for p in parent.findall("p"):
                self.make_figure(p)

    @staticmethod
    def make_figure(p):
        if (p.text or "").strip() or len(p) != 1 or (p[0].tail or "").strip():
            return
        child = p[0]
        img = child if child.tag == "img" else None
        linked = child.tag == "a" and len(child) == 1 and not (child.text or "").strip()
        if linked and child[0].tag == "img" and not (child[0].tail or "").strip():
            img = child[0]
        if img is None:
            return
        caption = (img.get("title") or img.get("alt") or "").strip()
        img.attrib.pop("title", None)
        p.tag = "figure"
        p.text = None
        child.tail = None
        if caption:
            SubElement(p, "figcaption").text = caption


class FigureExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API)
        # After the inline patterns (priority 20) made the <img>s, and after "prettify" (10)
        # so the figure is written on one line.
        md.treeprocessors.register(FigureTreeprocessor(md), "ward_figures", 5)
