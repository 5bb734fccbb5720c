"""Writes output/.publish-manifest.json: what the build wrote, and the status of each item.

`make deploy` reads it to refuse an output that holds a draft, a hidden or a future-dated
article, a preview build (`make html`), or any file no build step wrote. The manifest records
what was actually written (the `content_written` and `feed_written` signals: Pelican sends
them for each page and feed; the photos, portal, sitemap and view_counts plugins send
`content_written` for the files they place), plus the theme's static files, not what the
settings intend, so a mistake anywhere in the chain is caught before the upload. The file starts with a dot:
the deploy leaves it out of the upload and nginx refuses dot-files anyway.
"""

import fnmatch
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

# records: list the articles each page shows (what `make deploy` checks); the preview, which
# is never deployed, leaves them out (their share of its rebuild grows with the site).
DEFAULTS = {"filename": ".publish-manifest.json", "records": True}
FORMAT = 1

# One build at a time per process: the receivers fill this, `finalized` writes it out
# (`target`: the file, once written).
_state = {"files": {}, "static": [], "records": {}, "target": None}


def parse_settings(settings):
    given = settings.get("PUBLISH_MANIFEST", {})
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"PUBLISH_MANIFEST: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    name = out["filename"]
    if not isinstance(name, str) or not name.startswith(".") or "/" in name:
        raise ValueError(
            "PUBLISH_MANIFEST['filename'] must be a dot-file name like .publish-manifest.json"
        )
    if not isinstance(out["records"], bool):
        raise ValueError("PUBLISH_MANIFEST['records'] must be True or False")
    return out


def describe(item, kind):
    """The manifest record of one article or page. An article is listed on about eight
    pages: its record is made once per build and shared (memory and time of a build)."""
    key = (id(item), kind)
    known = _state["records"].get(key)
    if known is None:
        date = getattr(item, "date", None)
        record = {
            "kind": kind,
            "source": getattr(item, "relative_source_path", "") or "",
            "status": getattr(item, "status", "published"),
            "date": date.isoformat() if date else None,
        }
        # The item is kept with its record, so its id() is not reused meanwhile.
        known = _state["records"][key] = (item, record)
    return known[1]


def items_of(context):
    """Records of the article/page a written file shows, and of the articles it lists."""
    items = []
    if context.get("article") is not None:
        items.append(describe(context["article"], "article"))
    if context.get("page") is not None and not hasattr(context["page"], "object_list"):
        items.append(describe(context["page"], "page"))
    if context.get("document") is not None:  # a document's page (plugins/documents)
        items.append(describe(context["document"], "document"))
    if context.get("question") is not None:  # a question's page (plugins/questions)
        items.append(describe(context["question"], "question"))
    listing = context.get("articles_page")
    if listing is not None:
        items.extend(describe(a, "listed") for a in listing.object_list)
    return items


def draft_dirs(settings):
    """Top folders drafts are written to in previews (`ban-nhap`)."""
    dirs = set()
    for key in ("DRAFT_SAVE_AS", "DRAFT_PAGE_SAVE_AS", "DRAFT_LANG_SAVE_AS"):
        value = settings.get(key) or ""
        if "/" in value and "{" not in value.split("/", 1)[0]:
            dirs.add(value.split("/", 1)[0])
    return sorted(dirs)


def reset(pelican):
    _state["files"] = {}
    _state["static"] = []
    _state["target"] = None
    # The output folder is not emptied before a build: an earlier build's manifest must not
    # vouch for this one if it stops half-way (it is written again at the very end).
    name = parse_settings(pelican.settings)["filename"]
    Path(pelican.output_path, name).unlink(missing_ok=True)
    forget_records()


def forget_records(*_):
    """Before each build writes (statuses are final then; `make devserver` builds again)."""
    _state["records"] = {}


def record_feed(path, context, feed=None):
    record_written(path, {"OUTPUT_PATH": context.get("OUTPUT_PATH")})


def record_written(path, context):
    output = context.get("OUTPUT_PATH")
    if not output:
        return
    rel = relative_to(path, output)
    if rel is not None:  # else outside the output folder: not part of the site
        records = context.get("PUBLISH_MANIFEST", {}).get("records", True)
        _state["files"][rel] = items_of(context) if records else []


def relative_to(path, output):
    """`path` as a posix path relative to `output`, or None if it is not inside it. Pelican
    joins `path` onto OUTPUT_PATH, so plain (not symlink-resolved) paths compare."""
    prefix = os.path.join(os.path.abspath(output), "")
    if os.path.isabs(path) and path.startswith(prefix) and os.path.normpath(path) == path:
        rel = path[len(prefix) :]  # what Pelican gives: cheaper than relpath (3,000 files)
    else:
        rel = os.path.relpath(os.path.abspath(path), prefix)
        if rel == ".." or rel.startswith("../"):
            return None
    return rel.replace(os.sep, "/")


def theme_files(settings):
    """Where Pelican copies the theme's static files under output/.

    Pelican copies them without a signal (StaticGenerator._copy_paths), so the same rule
    is applied here to the theme's own folders: THEME_STATIC_PATHS into THEME_STATIC_DIR,
    IGNORE_FILES left out."""
    dest = settings.get("THEME_STATIC_DIR", "theme")
    ignores = settings.get("IGNORE_FILES", [])

    def kept(name):
        return not any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    found = []
    for path in settings.get("THEME_STATIC_PATHS", []):
        source = os.path.join(settings["THEME"], path)
        if os.path.isfile(source):
            found.append(Path(dest, os.path.basename(path)).as_posix())
        for folder, dirs, names in os.walk(source, followlinks=True):
            dirs[:] = [d for d in dirs if kept(d)]
            rel = os.path.relpath(folder, source)
            found.extend(Path(dest, rel, n).as_posix() for n in names if kept(n))
    return sorted({str(Path(f)) for f in found})


def record_static(generator):
    static = [s.save_as for s in generator.staticfiles if getattr(s, "save_as", None)]
    _state["static"] = sorted({*static, *theme_files(generator.settings)})


def write_manifest(pelican):
    settings = pelican.settings
    name = parse_settings(settings)["filename"]
    manifest = {
        "format": FORMAT,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "siteurl": settings.get("SITEURL", ""),
        "unpublished_write": settings.get("UNPUBLISHED", {}).get("write", True),
        "with_future_dates": bool(settings.get("WITH_FUTURE_DATES", True)),
        "draft_dirs": draft_dirs(settings),
        "files": dict(sorted(_state["files"].items())),
        "static": _state["static"],
    }
    target = Path(pelican.output_path) / name
    # One line through json.dumps: only its one-shot form uses the C encoder; streaming with
    # json.dump took 4 s of a 10,000-article build (the text is about 4 MB there).
    text = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    forget_records()
    _state["target"] = os.path.abspath(target)
    logger.info("Đã ghi danh mục bản dựng %s (%d tệp)", target, len(manifest["files"]))


def written(output):
    """What the manifest this process's build of `output` wrote lists: the files (posix
    paths relative to `output`) and the manifest itself; None when this build wrote none
    there (it stopped before the end)."""
    target = _state["target"]
    if target is None or os.path.dirname(target) != os.path.abspath(output):
        return None
    return {*_state["files"], *_state["static"], os.path.basename(target)}


def register():
    signals.initialized.connect(reset)
    signals.content_written.connect(record_written)
    signals.feed_written.connect(record_feed)
    signals.static_generator_finalized.connect(record_static)
    signals.all_generators_finalized.connect(forget_records)
    signals.finalized.connect(write_manifest)
