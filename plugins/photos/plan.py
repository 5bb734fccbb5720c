"""What to make of one photo, and the HTML that shows it (pure functions, no Pelican).

A `Variant` is one output file: a resized ("w"), cropped ("thumb", "og") or full-size
("full") rendering of a source photo in one format. Its cache key hashes everything that
shapes its pixels: the source's content hash, the kind, the size, the format, the quality,
the background and the pipeline version. The same key names the file in the cache and (its
first 10 hex digits) in output/, so a changed photo or setting gets a new URL.
"""

import hashlib
import html
import posixpath
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

from .settings import FORMATS

# Bump when the processing code changes what it writes: every variant is made anew.
PIPELINE_VERSION = 2
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class Source:
    """A photo as probed: content path (posix, relative to content/), hash, oriented size."""

    relpath: str
    sha256: str
    width: int
    height: int
    alpha: bool = False


class Variant(NamedTuple):
    kind: str  # "w" | "thumb" | "og" | "full"
    width: int
    height: int
    fmt: str  # "webp" | "jpeg" | "png"
    quality: int
    key: str
    output: str  # path under output/, posix
    crop: bool = False


def fit_widths(src_w, widths):
    """Widths of the srcset variants: the configured ones below the source width, plus the
    source's own width when it is narrower than the largest; never wider than the source."""
    chosen = [w for w in widths if w < src_w]
    if src_w <= max(widths) or not chosen:
        chosen.append(src_w)
    return sorted(set(chosen))


def scaled_height(src_w, src_h, width):
    return max(1, round(src_h * width / src_w))


def crop_box_size(src_w, src_h, box_w, box_h):
    """Size of a crop of `box_w`x`box_h` proportions, shrunk (never grown) to fit the source."""
    scale = min(1.0, src_w / box_w, src_h / box_h)
    return max(1, round(box_w * scale)), max(1, round(box_h * scale))


def cover_box(src_w, src_h, out_w, out_h):
    """The centred region of the source with the proportions of out_w x out_h."""
    if src_w * out_h > src_h * out_w:  # source wider: trim the sides
        crop_w = src_h * out_w / out_h
        left = (src_w - crop_w) / 2
        return (left, 0.0, left + crop_w, float(src_h))
    crop_h = src_w * out_h / out_w
    top = (src_h - crop_h) / 2
    return (0.0, top, float(src_w), top + crop_h)


def variant_key(sha256, kind, width, height, *, fmt, quality, background):
    raw = f"{PIPELINE_VERSION}|{sha256}|{kind}|{width}x{height}|{fmt}|{quality}|{background}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


class _Maker:
    """Makes the Variants of one source. The per-source parts of the key and the output
    name are built once: an unchanged rebuild plans thousands of variants."""

    def __init__(self, source, opts):
        self.stem = posixpath.splitext(source.relpath)[0]
        self.prefix = f"{PIPELINE_VERSION}|{source.sha256}|"
        self.suffix = f"|{opts['background']}"
        self.quality = opts["quality"]

    def __call__(self, kind, label, size, fmt, *, crop=False):
        """Output name: images/2022/07/hoi-nghi.jpg -> images/2022/07/hoi-nghi-800.<key>.webp"""
        width, height = size
        quality = self.quality.get(fmt, 90)
        raw = f"{self.prefix}{kind}|{width}x{height}|{fmt}|{quality}{self.suffix}"
        key = hashlib.sha256(raw.encode()).hexdigest()[:32]
        output = f"{self.stem}-{label}.{key[:10]}.{EXTENSIONS[fmt]}"
        return Variant(kind, width, height, fmt, quality, key, output, crop)


def figure_variants(source, opts):
    make = _Maker(source, opts)
    sizes = [(w, scaled_height(source.width, source.height, w))
             for w in fit_widths(source.width, opts["widths"])]  # fmt: skip
    return [make("w", str(w), (w, h), fmt) for fmt in opts["formats"] for w, h in sizes]


def featured_variants(source, opts):
    """List thumbnails (every format, every density) and the Open Graph image (JPEG)."""
    make = _Maker(source, opts)
    out, seen = [], set()
    box_w, box_h = opts["thumb_size"]
    for density in opts["thumb_densities"]:
        w, h = crop_box_size(source.width, source.height, box_w * density, box_h * density)
        if (w, h) in seen:
            continue
        seen.add((w, h))
        out.extend(
            make("thumb", f"thumb{w}x{h}", (w, h), fmt, crop=True) for fmt in opts["formats"]
        )
    w, h = crop_box_size(source.width, source.height, *opts["og_size"])
    out.append(make("og", f"og{w}x{h}", (w, h), "jpeg", crop=True))
    return out


def original_variant(source, opts, fmt=None):
    """The full-size published copy, at the original's own path: `fmt` ("jpeg" or "png"),
    by default PNG when it has alpha, else JPEG."""
    fmt = fmt or ("png" if source.alpha else "jpeg")
    quality = 92 if fmt == "jpeg" else 100
    key = variant_key(
        source.sha256, "full", source.width, source.height,
        fmt=fmt, quality=quality, background=opts["background"],
    )  # fmt: skip
    stem, _ = posixpath.splitext(source.relpath)
    return Variant("full", source.width, source.height, fmt, quality, key,
                   f"{stem}.{EXTENSIONS[fmt]}")  # fmt: skip


def url(siteurl, path):
    return f"{siteurl}/{quote(path)}"


def srcset(siteurl, variants):
    return ", ".join(f"{url(siteurl, v.output)} {v.width}w" for v in variants)


def _attrs(pairs):
    return "".join(
        f" {name}" if value is True else f' {name}="{html.escape(str(value), quote=True)}"'
        for name, value in pairs
        if value is not None and value is not False
    )


def picture_html(variants, opts, siteurl, attrs, eager):
    """A <picture> (or a lone <img> with one format) for a figure's variants.

    `attrs` are the original <img>'s attributes except src (alt first, kept as written);
    `eager` marks the first image of a page: no lazy loading, fetched early.
    """
    by_fmt = {fmt: [v for v in variants if v.fmt == fmt] for fmt in opts["formats"]}
    fallback = by_fmt[opts["formats"][-1]]
    largest = fallback[-1]
    src = next((v for v in fallback if v.width >= opts["fallback_width"]), largest)
    img_attrs = [("alt", attrs.get("alt", ""))]
    img_attrs += [(k, v) for k, v in attrs.items() if k not in ("alt", "src", "srcset", "sizes",
                  "width", "height", "loading", "decoding", "fetchpriority")]  # fmt: skip
    img_attrs += [
        ("src", url(siteurl, src.output)),
        ("srcset", srcset(siteurl, fallback)),
        ("sizes", opts["sizes"]),
        ("width", largest.width),
        ("height", largest.height),
        ("decoding", "async"),
        ("loading", None if eager else "lazy"),
        ("fetchpriority", "high" if eager else None),
    ]
    img = f"<img{_attrs(img_attrs)}>"
    if len(opts["formats"]) == 1:
        return img
    sources = "".join(
        f"<source{_attrs([('type', FORMATS[fmt]), ('srcset', srcset(siteurl, by_fmt[fmt])), ('sizes', opts['sizes'])])}>"
        for fmt in opts["formats"][:-1]
    )
    return f"<picture>{sources}{img}</picture>"


class FeaturedImage:
    """What the theme gets as `article.featured_image` (see DESIGN contract)."""

    def __init__(self, variants, opts, siteurl, alt):
        thumbs = [v for v in variants if v.kind == "thumb"]
        fallback_fmt = opts["formats"][-1]
        fb = [v for v in thumbs if v.fmt == fallback_fmt]
        og = next(v for v in variants if v.kind == "og")
        self.alt = alt
        self.width, self.height = fb[0].width, fb[0].height
        self.thumb_url = url(siteurl, fb[0].output)
        base = fb[0].width

        def dens(fmt):
            return ", ".join(
                f"{url(siteurl, v.output)} {v.width / base:.3g}x" for v in thumbs if v.fmt == fmt
            )

        def widths(fmt):
            return ", ".join(f"{url(siteurl, v.output)} {v.width}w" for v in thumbs if v.fmt == fmt)

        # <img srcset> and the <source> list of a <picture>, in density descriptors (a
        # thumbnail of fixed size) and in width descriptors (a photo as wide as its column,
        # with `sizes`: the home page's featured story).
        self.thumb_srcset = dens(fallback_fmt)
        self.thumb_sources = [(FORMATS[fmt], dens(fmt)) for fmt in opts["formats"][:-1]]
        self.wide_srcset = widths(fallback_fmt)
        self.wide_sources = [(FORMATS[fmt], widths(fmt)) for fmt in opts["formats"][:-1]]
        self.og_url = url(siteurl, og.output)
        self.og_width, self.og_height = og.width, og.height

    def __repr__(self):
        return f"<FeaturedImage {self.thumb_url}>"
