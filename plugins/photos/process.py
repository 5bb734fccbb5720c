"""Reading photos and writing their variants with Pillow (no Pelican).

`probe()` runs in the build process: it hashes the file and reads only the header (format,
size, orientation), so a bad photo is caught with the article that uses it. `render()` runs
in worker processes: one decode per photo (JPEG at reduced scale with `draft()`; other
formats, which cannot be decoded smaller, reduced strip by strip right after decoding),
EXIF orientation applied, colours converted to sRGB, then every missing variant resized and
saved with no metadata at all (EXIF, GPS, XMP, IPTC, comments, ICC are all left behind).

Memory: the full-size decode (4 bytes a pixel, so 480 MB at the 120-megapixel limit for a
PNG, far less for a JPEG) is the only full-size copy ever made; turning, colour conversion
and resizing work on the reduced copy, and the decode is freed before the variants are made.

Animated GIFs are published as their first frame (a still WebP/JPEG): animations cost
residents on mobile data many times the bytes of a photo.
"""

import hashlib
import io
import math
import os
import tempfile
import warnings

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from .plan import cover_box

# Pillow's own format names that we accept (MPO: many cameras write JPEGs with a preview).
SUPPORTED = {"JPEG", "MPO", "PNG", "WEBP", "HEIF", "GIF"}
SWAPS_AXES = {5, 6, 7, 8}  # EXIF orientations that turn the picture a quarter
ORIENTATION_TAG = 0x0112
# Pixels of source taken at a time by that reduction. Pillow's reduce() converts an RGBA
# picture to premultiplied alpha first: whole, that is one more full-size copy; by strips
# it is a few megabytes.
STRIP_PIXELS = 1_000_000
_SRGB = None


class PhotoError(Exception):
    """A photo that cannot be published. `code` selects the message shown to staff."""

    def __init__(self, code, **details):
        super().__init__(code, details)
        self.code = code
        self.details = details


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _open(path):
    """Image.open, with the HEIF opener (phones' HEIC photos) registered the first time a
    file is not known otherwise: pillow-heif loads libheif, about 4.5 MiB a process keeps,
    and most builds meet no HEIC file (or only photos already in the cache)."""
    try:
        return Image.open(path)
    except UnidentifiedImageError:
        if "HEIF" in Image.OPEN:  # registered already: not a photo Pillow can read
            raise
    import pillow_heif

    pillow_heif.register_heif_opener()
    return Image.open(path)


def probe(path, max_pixels):
    """(format, oriented width, oriented height, has_alpha) from the header only."""
    # Only the header is read here, so Pillow's own bomb check is off while opening: our
    # limit, with the size in the message, comes right after.
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = _open(path)
    except FileNotFoundError:
        raise PhotoError("missing") from None
    except Image.DecompressionBombError:
        raise PhotoError("bomb", width=0, height=0, max_pixels=max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError("unreadable", reason=str(exc)) from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    with im:
        fmt = im.format
        if fmt not in SUPPORTED:
            raise PhotoError("unsupported", fmt=fmt or "?")
        width, height = im.size
        if width * height > max_pixels:
            raise PhotoError("bomb", width=width, height=height, max_pixels=max_pixels)
        try:
            orientation = im.getexif().get(ORIENTATION_TAG, 1)
        except Exception:  # a broken EXIF block: the picture itself may be fine
            orientation = 1
        alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
    if orientation in SWAPS_AXES:
        width, height = height, width
    return fmt, width, height, alpha


def srgb_profile():
    global _SRGB  # noqa: PLW0603 - one profile object per process
    if _SRGB is None:
        _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _SRGB


def plain_mode(im):
    """Palette, 16-bit, bilevel and grey+alpha pictures in a mode that can be reduced,
    resized and encoded (L, RGB, RGBA, CMYK); others are returned as they are."""
    if im.mode in {"P", "PA"}:
        return im.convert("RGBA" if ("transparency" in im.info or im.mode == "PA") else "RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        return im.point(lambda v: v / 257).convert("L")
    if im.mode == "1":
        return im.convert("L")
    if im.mode == "LA":
        return im.convert("RGBA")
    return im


def reduced(im, need):
    """`im` in a plain mode, reduced (box filter, whole factor, strip by strip) to no less
    than `need`, the size the largest variant needs: what draft() does for a JPEG, the
    Lanczos resize of each variant does the rest. `im` itself when it is already in a plain
    mode and not twice `need`. Metadata (info) is kept."""
    factor = int(min(im.width / need[0], im.height / need[1]))
    if factor < 2:
        return plain_mode(im)
    rows = max(1, STRIP_PIXELS // (im.width * factor)) * factor
    out = None
    for top in range(0, im.height, rows):
        strip = im.crop((0, top, im.width, min(im.height, top + rows)))
        small = plain_mode(strip).reduce(factor)
        if out is None:
            out = Image.new(small.mode, (-(-im.width // factor), -(-im.height // factor)))
        out.paste(small, (0, top // factor))
    out.info = dict(im.info)
    return out


def to_srgb(im):
    """Return an RGB or RGBA image in sRGB, using the embedded ICC profile when there is one."""
    im = plain_mode(im)
    alpha = im.getchannel("A") if im.mode == "RGBA" else None
    icc = im.info.get("icc_profile")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            base = im.convert("RGB") if im.mode == "RGBA" else im
            converted = ImageCms.profileToProfile(
                base, profile, srgb_profile(), renderingIntent=0, outputMode="RGB"
            )
            if converted is not None:
                im = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    if im.mode != "RGB":
        im = im.convert("RGB")
    if alpha is not None:
        im.putalpha(alpha)
    return im


def _draft_size(variants, width, height, orientation):
    """The smallest decoded size (in the file's own orientation) every variant can be made
    from without upscaling."""
    need_w = need_h = 1
    for v in variants:
        wide = v["width"] / width
        scale = max(wide, v["height"] / height) if v["crop"] else wide
        need_w = max(need_w, math.ceil(width * scale - 1e-6))
        need_h = max(need_h, math.ceil(height * scale - 1e-6))
    if orientation in SWAPS_AXES:
        need_w, need_h = need_h, need_w
    return need_w, need_h


def _flatten(im, background):
    if im.mode != "RGBA":
        return im
    flat = Image.new("RGB", im.size, background)
    flat.paste(im, mask=im.getchannel("A"))
    return flat


def _save(im, path, fmt, quality, background):
    """Save with nothing but pixels: `info` is emptied so no comment, EXIF, XMP or ICC
    profile is carried over from the source."""
    im.info = {}
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            if fmt == "webp":
                # method 2: half the time of the default 4 for ~1% more bytes on photos.
                im.save(f, "WEBP", quality=quality, method=2)
            elif fmt == "jpeg":
                out = _flatten(im, background)
                out.info = {}
                out.save(f, "JPEG", quality=quality, optimize=True, progressive=True)
            else:
                im.save(f, "PNG", optimize=False)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _resized(pic, v, frames):
    """The pixels of one variant. Whole-picture resizes are kept in `frames` and reused:
    the WebP and JPEG of one width share a resize, and each smaller size is made from the
    smallest larger frame already made rather than from the full decode (faster, and
    Lanczos steps of at most a few times keep it sharp)."""
    size = (v["width"], v["height"])
    if not v["crop"] and size in frames:
        return frames[size]
    ow, oh = pic.size
    box = cover_box(ow, oh, *size) if v["crop"] else (0, 0, ow, oh)
    needed = size[0] * ow / (box[2] - box[0])  # width of a whole frame the box fits at 1:1
    base = min(
        (f for f in frames.values() if f.width >= needed and f.width <= ow),
        key=lambda f: f.width,
        default=pic,
    )
    kx, ky = base.width / ow, base.height / oh  # frames are rounded: two ratios
    scaled = (
        max(0.0, box[0] * kx),
        max(0.0, box[1] * ky),
        min(float(base.width), box[2] * kx),
        min(float(base.height), box[3] * ky),
    )
    out = base.resize(size, Image.Resampling.LANCZOS, box=scaled, reducing_gap=3.0)
    if not v["crop"]:
        frames[size] = out
    return out


def render(job):
    """Make the missing variants of one photo. Runs in a worker process.

    job = {"path", "max_pixels", "background", "variants": [{"width", "height", "fmt",
    "quality", "crop", "dest"}]}. Returns {"path", "error": None | (code, details)}.
    """
    path = job["path"]
    try:
        Image.MAX_IMAGE_PIXELS = job["max_pixels"]
        with _open(path) as im:
            if im.format not in SUPPORTED:
                raise PhotoError("unsupported", fmt=im.format or "?")
            if getattr(im, "n_frames", 1) > 1:
                im.seek(0)  # animated GIF/WebP: the first frame
            try:
                orientation = im.getexif().get(ORIENTATION_TAG, 1)
            except Exception:
                orientation = 1
            w, h = im.size
            if orientation in SWAPS_AXES:
                w, h = h, w
            need = _draft_size(job["variants"], w, h, orientation)
            if im.format in ("JPEG", "MPO"):
                im.draft(im.mode, need)
            try:
                im.load()
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise PhotoError("truncated", reason=str(exc)) from None
            icc = im.info.get("icc_profile")
            pic = reduced(im, need)
            if pic is not im:
                im.close()  # the full-size decode is freed here, before any other copy
            ImageOps.exif_transpose(pic, in_place=True)
            if icc and "icc_profile" not in pic.info:
                pic.info["icc_profile"] = icc
        pic = to_srgb(pic)
        frames = {}
        for v in sorted(job["variants"], key=lambda v: (v["crop"], -v["width"])):
            out = _resized(pic, v, frames)
            _save(out, v["dest"], v["fmt"], v["quality"], job["background"])
    except PhotoError as exc:
        return {"path": path, "error": (exc.code, exc.details)}
    except Image.DecompressionBombError:
        return {"path": path, "error": ("bomb", {"width": 0, "height": 0,
                                                  "max_pixels": job["max_pixels"]})}  # fmt: skip
    except FileNotFoundError:
        return {"path": path, "error": ("missing", {})}
    except Exception as exc:  # a bug or a file Pillow half understands: say so, go on
        return {"path": path, "error": ("failed", {"reason": f"{type(exc).__name__}: {exc}"})}
    return {"path": path, "error": None}


# Truncated files must fail loudly, never be published half grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False
