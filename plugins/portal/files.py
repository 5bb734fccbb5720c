"""Publishing the files of content/files/: only those an article or page uses.

Pelican's static generator would copy every file of a static folder (following links
out of content/); STATIC_PATHS is empty and this module publishes, at the end of reading,
the attachments of the content that is written (its `Attachments:` line and the links of
its body into content/files/), nothing else:

- JPG/PNG: through the photo pipeline (photos plugin): re-encoded at full size, turned
  upright, without EXIF/GPS/XMP/comments, cached in <photos cache_dir>/attachments;
- other types: copied as they are; their hidden information is reported (metadata.py):
  author and such as a note, photos with a GPS position as a warning (it stops
  `make publish`).

Every file placed is announced on Pelican's `content_written` signal, so the publish
manifest claims it.
"""

import filecmp
import html
import logging
import os
import re
import shutil
from dataclasses import replace

from pelican import signals

from build_report import note
from figures.check import line_of
from photos import CONTENT_LISTS, cache_root
from photos.cache import Cache
from photos.markup import static_target, tag_attrs, written_form
from photos.messages import explain
from photos.pipeline import run_stage
from photos.plan import original_variant
from photos.process import PhotoError
from photos.settings import parse_settings as photo_settings

from .logic import attachment, human_size, parse_settings
from .metadata import inspect

logger = logging.getLogger(__name__)

LINK_RE = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
HREF_RE = re.compile(r"""\bhref=(["'])[^"']*\1""", re.IGNORECASE)
IMAGE_KINDS = {"JPG": "jpeg", "PNG": "png"}


def display_path(path):
    """The path as staff know it: relative to the project when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def use(content, found, line):
    """Remember that `content` publishes `found`, named on `line` of its source."""
    if not hasattr(content, "_published_files"):
        content._published_files = []
    content._published_files.append((found, line))


def link_files(content):
    """Body links into content/files/: checked, pointed at the published file, remembered."""
    source = getattr(content, "source_path", None)
    if not source or not source.endswith((".md", ".markdown")) or not content._content:
        return
    options = parse_settings(content.settings)
    folder = options["attachments_dir"]
    siteurl = content.settings.get("SITEURL", "")
    root = content.settings["PATH"]

    def replace_link(match):
        tag = match.group(0)
        href = tag_attrs(tag).get("href", "")
        if not isinstance(href, str):
            return tag
        pelican_link = href.startswith(("{static}", "{attach}"))
        target = static_target("{static}" + href[8:] if href.startswith("{attach}") else href)
        if target is None:
            return tag
        line = line_of(source, written_form(target))
        if not target.startswith("/"):  # from the article's folder: make it from content/
            full = os.path.normpath(os.path.join(os.path.dirname(source), target))
            target = "/" + os.path.relpath(full, root).replace(os.sep, "/")
        if target.startswith(f"/{folder}/"):
            found, problem = attachment(target, root, folder)
        elif pelican_link:
            # Pelican would copy the file as it is (camera photos with their GPS too).
            found, problem = (
                None,
                (
                    f"liên kết '{href}' trỏ tới tệp nằm ngoài thư mục {folder}/. Chỉ tệp trong "
                    f"content/{folder}/ mới được đăng qua liên kết: hãy chép tệp vào đó và "
                    f"viết liên kết dạng {folder}/<năm>/<tên-tệp>."
                ),
            )
        else:
            return tag
        if problem:
            logger.error("%s:%d: %s", display_path(source), line, problem)
            return HREF_RE.sub("", tag, count=1)  # the text stays, nothing is published
        use(content, found, line)
        # The incremental plugin reads this content again when the file changes.
        content.__dict__.setdefault("_inputs", set()).add(found.source)
        url = html.escape(f"{siteurl}/{found.url}", quote=True)
        return HREF_RE.sub(lambda _: f'href="{url}"', tag, count=1)

    content._content = LINK_RE.sub(replace_link, content._content)


def _written_content(generators):
    seen = {}
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                if getattr(content, "_published_files", None):
                    seen[id(content)] = content
    return list(seen.values())


def _claim(path, output):
    signals.content_written.send(path, context={"OUTPUT_PATH": output})


def _report(found, where, fields, located):
    source, line = where
    if located:
        logger.warning(
            "%s:%d: tệp đính kèm '%s' chứa ảnh còn vị trí GPS nơi chụp (%s). Hãy xóa thông "
            "tin vị trí của ảnh (trong Word: Tệp > Thông tin > Kiểm tra tài liệu > Xóa tất "
            "cả) hoặc chèn lại ảnh đã bỏ GPS, rồi chép lại tệp.",
            display_path(source), line, found.path, ", ".join(located),
        )  # fmt: skip
    if fields:
        # Most documents carry an author: a note (listed by the build's summary, even in
        # `make publish`, which it does not stop).
        note(
            logger,
            "%s:%d: tệp đính kèm '%s' còn thông tin ẩn sẽ được đăng cùng tệp: %s. Nếu không "
            "muốn công khai, hãy xóa các thông tin này (Word: Tệp > Thông tin > Kiểm tra tài "
            "liệu; PDF: sửa Thuộc tính tài liệu) rồi chép lại tệp.",
            display_path(source), line, found.path,
            "; ".join(f"{k}: {v}" for k, v in fields.items()),
        )  # fmt: skip


def _publish_images(images, settings, output):
    """JPG/PNG attachments through the photo pipeline. images: {path: (Attachment, where)}.
    Returns {path: published Attachment}, problems reported."""
    opts = photo_settings(settings)
    cache = Cache(os.path.join(cache_root(settings), "attachments"), opts["max_pixels"])
    jobs, variants, failed = {}, {}, {}
    for path, (found, _) in images.items():
        try:
            source = cache.source(found.source, path)
        except PhotoError as exc:
            failed[path] = (exc.code, exc.details)
            continue
        # Published at the name the article gives (so.jpeg stays so.jpeg), cleaned.
        variant = original_variant(source, opts, IMAGE_KINDS[found.kind])._replace(output=path)
        jobs.setdefault(source.sha256, (found.source, []))[1].append(variant)
        variants[path] = (source.sha256, variant)
    _, errors = run_stage(cache, jobs, output, opts)
    cache.prune({(sha, v.key) for sha, v in variants.values()})
    cache.save_index()
    done = {}
    for path, (sha, variant) in variants.items():
        if sha in errors:
            failed[path] = errors[sha]
            continue
        placed = os.path.join(output, variant.output)
        _claim(placed, output)
        size = os.path.getsize(placed)
        done[path] = replace(images[path][0], size=size, size_label=human_size(size))
    for path, (code, details) in failed.items():
        found, (source, line) = images[path]
        logger.error(
            "%s:%d: tệp đính kèm '%s' %s", display_path(source), line, found.path,
            explain(code, details),
        )  # fmt: skip
    return done


def _same_file(source, dest):
    try:
        return os.path.getsize(source) == os.path.getsize(dest) and filecmp.cmp(
            source, dest, shallow=False
        )
    except OSError:
        return False


def publish(generators):
    """Place the files of the content that is written into output/ (see the module doc)."""
    if not generators:
        return
    settings = generators[0].settings
    output = generators[0].output_path
    contents = _written_content(generators)
    wanted = {}  # path -> (Attachment, (source file, line) of its first use)
    for content in contents:
        for found, line in content._published_files:
            wanted.setdefault(found.path, (found, (content.source_path, line)))
    images = {p: w for p, w in wanted.items() if w[0].kind in IMAGE_KINDS}
    published = _publish_images(images, settings, output) if images else {}
    for path, (found, where) in wanted.items():
        if path in images:
            continue
        dest = os.path.join(output, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if not _same_file(found.source, dest):  # unchanged files keep their mtime for rsync
            shutil.copyfile(found.source, dest)
        _claim(dest, output)
        _report(found, where, *inspect(found.source))
        published[path] = found
    for content in contents:
        if hasattr(content, "attachments"):
            content.attachments = [
                published[a.path] for a in content.attachments if a.path in published
            ]
