"""PHOTOS settings: defaults, types, and what is wrong with them (pure, no Pelican)."""

DEFAULTS = {
    # Widths (CSS pixels at 1x) of the variants in a figure's srcset. A photo narrower than
    # the largest width gets its own width as the last variant: nothing is ever upscaled.
    "widths": [480, 800, 1200, 1600],
    # Formats of every variant, best first: all but the last become <source> elements of a
    # <picture>, the last one is the <img> fallback.
    "formats": ["webp", "jpeg"],
    # Encoder quality per format (1-100).
    "quality": {"webp": 78, "jpeg": 80},
    # The `sizes` attribute: how wide the image is drawn on the page.
    "sizes": "(min-width: 52rem) 46rem, calc(100vw - 2rem)",
    # Width of the variant in the <img src> for browsers without srcset.
    "fallback_width": 800,
    # List thumbnails of the featured image (cropped to this box), at these densities.
    "thumb_size": [360, 240],
    "thumb_densities": [1, 2],
    # The Open Graph / Zalo link-preview image (cropped to this box, JPEG).
    "og_size": [1200, 630],
    # Background that transparent pixels get in JPEG variants.
    "background": [255, 255, 255],
    # A photo with more pixels than this is refused (decompression bomb guard).
    "max_pixels": 120_000_000,
    # Where processed variants are kept between builds, outside output/. A relative path
    # is taken from the folder that holds the content folder (the project root).
    "cache_dir": "var/photos",
    # Write a full-size copy of each used photo (oriented, sRGB, metadata stripped) at the
    # original's path. Off: originals are not published at all.
    "publish_originals": False,
    # Worker processes for resizing; 0 = one per CPU core.
    "workers": 0,
    # Put variants into output/ as hard links to the cache (falls back to copying).
    "hardlink": True,
    # Show a photo the content names that does not exist as a box naming the file (the
    # preview, `make html`), instead of only its caption. Off for `make publish`, which
    # fails on the missing photo anyway.
    "missing_placeholder": False,
}

FORMATS = {"webp": "image/webp", "jpeg": "image/jpeg"}


class SettingsError(ValueError):
    pass


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _pair(out, key):
    value = out[key]
    if not (
        isinstance(value, (list, tuple)) and len(value) == 2 and all(map(_positive_int, value))
    ):
        raise SettingsError(f"PHOTOS[{key!r}] must be [width, height] in pixels, got {value!r}")
    out[key] = (value[0], value[1])


def parse_settings(settings):
    """Return PHOTOS filled with defaults; raise SettingsError naming the wrong value."""
    given = settings.get("PHOTOS", {})
    if not isinstance(given, dict):
        raise SettingsError("PHOTOS must be a dict")
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"PHOTOS: unknown setting(s) {sorted(unknown)}")
    out = {**DEFAULTS, **given}

    widths = out["widths"]
    if not (isinstance(widths, (list, tuple)) and widths and all(map(_positive_int, widths))):
        raise SettingsError(f"PHOTOS['widths'] must be a non-empty list of pixels, got {widths!r}")
    out["widths"] = tuple(sorted(set(widths)))

    formats = out["formats"]
    if not (isinstance(formats, (list, tuple)) and formats) or any(
        f not in FORMATS for f in formats
    ):
        raise SettingsError(
            f"PHOTOS['formats'] must list some of {sorted(FORMATS)}, got {formats!r}"
        )
    if len(set(formats)) != len(formats):
        raise SettingsError("PHOTOS['formats'] lists a format twice")
    out["formats"] = tuple(formats)

    quality = {**DEFAULTS["quality"], **out["quality"]}
    for fmt, q in quality.items():
        if fmt not in FORMATS or not _positive_int(q) or q > 100:
            raise SettingsError(f"PHOTOS['quality'][{fmt!r}] must be 1-100, got {q!r}")
    out["quality"] = quality

    if not isinstance(out["sizes"], str) or not out["sizes"].strip():
        raise SettingsError("PHOTOS['sizes'] must be a non-empty string")
    for key in ("fallback_width", "max_pixels"):
        if not _positive_int(out[key]):
            raise SettingsError(f"PHOTOS[{key!r}] must be a positive whole number")
    _pair(out, "thumb_size")
    _pair(out, "og_size")
    dens = out["thumb_densities"]
    if not (isinstance(dens, (list, tuple)) and dens and all(map(_positive_int, dens))):
        raise SettingsError("PHOTOS['thumb_densities'] must be a list like [1, 2]")
    out["thumb_densities"] = tuple(sorted(set(dens)))
    bg = out["background"]
    if not (
        isinstance(bg, (list, tuple))
        and len(bg) == 3
        and all(isinstance(c, int) and 0 <= c <= 255 for c in bg)
    ):
        raise SettingsError("PHOTOS['background'] must be [r, g, b] with values 0-255")
    out["background"] = tuple(bg)
    if not isinstance(out["cache_dir"], str) or not out["cache_dir"]:
        raise SettingsError("PHOTOS['cache_dir'] must be a folder path")
    if (
        not isinstance(out["workers"], int)
        or isinstance(out["workers"], bool)
        or out["workers"] < 0
    ):
        raise SettingsError("PHOTOS['workers'] must be 0 (one per core) or a positive number")
    for key in ("publish_originals", "hardlink", "missing_placeholder"):
        if not isinstance(out[key], bool):
            raise SettingsError(f"PHOTOS[{key!r}] must be True or False")
    return out
