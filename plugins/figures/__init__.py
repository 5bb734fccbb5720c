"""Photos with captions: an image alone in its paragraph becomes a <figure>.

Adds the project's Markdown extension (figures.markdown_ext.FigureExtension) to the
Markdown settings, and checks after reading that every image an article or page uses
exists, naming the file and line when one does not.
"""

import logging
import os

from pelican import signals

from .check import missing_images

logger = logging.getLogger(__name__)


def add_extension(pelican):
    from .markdown_ext import FigureExtension

    markdown = dict(pelican.settings["MARKDOWN"])
    extensions = [e for e in markdown.get("extensions", []) if not isinstance(e, FigureExtension)]
    markdown["extensions"] = [*extensions, FigureExtension()]
    pelican.settings["MARKDOWN"] = markdown


def check_images(content):
    source = getattr(content, "source_path", None)
    if not source or not source.endswith((".md", ".markdown")):
        return
    content_root = content.settings["PATH"]
    image = content.metadata.get("image")
    for line, src in missing_images(source, content._content or "", image, content_root):
        logger.error(
            "%s:%d: không tìm thấy ảnh '%s'. Kiểm tra lại tên tệp (phân biệt chữ hoa, "
            "chữ thường) và đặt ảnh vào thư mục %s.",
            os.path.relpath(source),
            line,
            src,
            os.path.join(os.path.relpath(content_root), "images", ""),
        )


def register():
    signals.initialized.connect(add_extension)
    signals.content_object_init.connect(check_images)
