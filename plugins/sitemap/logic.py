"""Pure parts of the sitemap: which output files are pages, and the two texts."""

import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

DEFAULTS = {
    # Output paths (relative, POSIX) that never go in the sitemap; a trailing / is a folder.
    "exclude": ["404.html", "ban-nhap/", "tim-kiem/", "pagefind/", "theme/"],
    # Folders robots.txt asks robots not to visit.
    "disallow": ["/ban-nhap/"],
    # False: the build keeps the two files it finds and writes neither (the preview, which
    # writes them itself once every page is rendered).
    "write": True,
}

HEAD_BYTES = 8000
NOINDEX_RE = re.compile(r"<meta\s+name=\"robots\"\s+content=\"[^\"]*noindex", re.IGNORECASE)
MODIFIED_RE = re.compile(
    r"<meta\s+property=\"article:modified_time\"\s+content=\"([^\"]+)\"", re.IGNORECASE
)


class SettingsError(ValueError):
    pass


def parse_settings(settings):
    given = settings.get("SITEMAP", {})
    if not isinstance(given, dict):
        raise SettingsError("SITEMAP must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"SITEMAP: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}
    if not isinstance(out["write"], bool):
        raise SettingsError("SITEMAP['write'] must be True or False")
    for key in ("exclude", "disallow"):
        value = out[key]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"SITEMAP[{key!r}] must be a list of strings")
        out[key] = list(value)
    return out


def page_url(rel):
    """`a/b/index.html` -> `a/b/`; `index.html` -> ``; `x.html` -> `x.html`."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def excluded(rel, exclude):
    return any(rel.startswith(e) if e.endswith("/") else rel == e for e in exclude)


def scan_output(output, exclude, written=None):
    """[(url, lastmod or None)] for the HTML pages under `output` (only those in `written`,
    posix paths relative to it, when given: what this build wrote), sorted by url."""
    output = str(output)
    if written is None:
        base = Path(output)
        pages = [path.relative_to(base).as_posix() for path in base.rglob("*.html")]
    else:  # not the files left by an earlier build (removed at the end of this one)
        pages = written
    entries = []
    for rel in pages:
        if excluded(rel, exclude):
            continue
        facts = _head_facts(os.path.join(output, rel))
        if facts is not None:
            entries.append((page_url(rel), facts[0]))
    return sorted(entries)


# path -> (mtime_ns, size, facts): a process that builds again (the preview) reads again
# only the pages a build rewrote.
_HEADS = {}
NOT_LISTED = object()


def _head_facts(path):
    """The page's lastmod (or None) if it is to be listed; None if it is noindex or gone."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    known = _HEADS.get(path)
    if known is not None and known[:2] == (st.st_mtime_ns, st.st_size):
        facts = known[2]
    else:
        with open(path, "rb") as f:  # the <head> is all that is read
            head = f.read(HEAD_BYTES).decode("utf-8", errors="replace")
        if NOINDEX_RE.search(head):
            facts = NOT_LISTED
        else:
            modified = MODIFIED_RE.search(head)
            facts = modified.group(1) if modified else None
        _HEADS[path] = (st.st_mtime_ns, st.st_size, facts)
    return None if facts is NOT_LISTED else (facts,)


def sitemap_xml(site_url, entries):
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in entries:
        lines.append(f"  <url><loc>{escape(f'{site_url}/{url}')}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{escape(lastmod)}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(site_url, disallow):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {d}" for d in disallow] or ["Disallow:"]
    lines.append(f"Sitemap: {site_url}/sitemap.xml")
    return "\n".join(lines) + "\n"
