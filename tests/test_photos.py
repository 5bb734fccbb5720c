"""The photos plugin: pure functions (table-driven), real image processing read back, and
builds of tests/fixtures/photos with photos the tests make themselves."""

import logging
import os
import shutil
import struct
from pathlib import Path

import photo_factory as pf
import pytest
from conftest import parse
from PIL import Image, ImageChops, ImageStat
from selectolax.lexbor import LexborHTMLParser

from photos import pipeline
from photos.cache import Cache
from photos.markup import resolve, static_target, tag_attrs
from photos.messages import explain
from photos.plan import (
    Source,
    cover_box,
    crop_box_size,
    featured_variants,
    figure_variants,
    fit_widths,
    picture_html,
)
from photos.process import _draft_size, probe
from photos.settings import SettingsError, parse_settings

OPTS = parse_settings({})


# --- Settings -------------------------------------------------------------------------


def test_settings_defaults():
    opts = parse_settings({})
    assert opts["widths"] == (480, 800, 1200, 1600)
    assert opts["formats"] == ("webp", "jpeg")
    assert opts["og_size"] == (1200, 630)
    assert opts["publish_originals"] is False


@pytest.mark.parametrize(
    "given",
    [
        {"colour": 1},
        {"widths": []},
        {"widths": [0, 800]},
        {"widths": "800"},
        {"formats": ["gif"]},
        {"formats": ["jpeg", "jpeg"]},
        {"quality": {"jpeg": 0}},
        {"quality": {"avif": 50}},
        {"og_size": [1200]},
        {"thumb_densities": []},
        {"background": [255, 255]},
        {"workers": -1},
        {"publish_originals": "yes"},
        {"max_pixels": 0},
    ],
    ids=[
        "unknown-key", "no-widths", "zero-width", "widths-not-list", "unknown-format",
        "format-twice", "quality-zero", "quality-unknown-format", "og-not-pair",
        "no-densities", "background-not-rgb", "negative-workers", "originals-not-bool",
        "no-pixel-limit",
    ],
)  # fmt: skip
def test_settings_errors(given):
    with pytest.raises(SettingsError, match="PHOTOS"):
        parse_settings({"PHOTOS": given})


# --- Pure planning --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src_w", "expected"),
    [
        (4000, [480, 800, 1200, 1600]),
        (1600, [480, 800, 1200, 1600]),
        (1000, [480, 800, 1000]),
        (480, [480]),
        (300, [300]),
        (1, [1]),
    ],
    ids=["camera", "exactly-largest", "between", "exactly-smallest", "tiny", "one-pixel"],
)
def test_fit_widths_never_upscales(src_w, expected):
    assert fit_widths(src_w, (480, 800, 1200, 1600)) == expected


@pytest.mark.parametrize(
    ("src", "box", "expected"),
    [
        ((4000, 3000), (1200, 630), (1200, 630)),
        ((1000, 750), (1200, 630), (1000, 525)),
        ((400, 300), (720, 480), (400, 267)),
        ((300, 1000), (1200, 630), (300, 158)),
    ],
    ids=["big-source", "narrow-source", "small-thumb", "portrait"],
)
def test_crop_box_size_never_upscales(src, box, expected):
    assert crop_box_size(*src, *box) == expected


@pytest.mark.parametrize(
    ("src", "out", "expected"),
    [
        ((400, 200), (100, 100), (100.0, 0.0, 300.0, 200.0)),
        ((200, 400), (100, 100), (0.0, 100.0, 200.0, 300.0)),
        ((300, 200), (150, 100), (0.0, 0.0, 300.0, 200.0)),
    ],
    ids=["wide-trims-sides", "tall-trims-top-bottom", "same-ratio"],
)
def test_cover_box(src, out, expected):
    assert cover_box(*src, *out) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("{static}/images/a.jpg", "/images/a.jpg"),
        ("images/a.jpg", "/images/a.jpg"),
        ("/images/a.jpg", "/images/a.jpg"),
        ("{static}../../etc/passwd", "../../etc/passwd"),
        ("./a.jpg", "./a.jpg"),
        ("https://example.test/a.jpg", None),
        ("//cdn.example.test/a.jpg", None),
        ("{filename}/bai.md", None),
        ("", None),
    ],
    ids=["static", "metadata-relative", "root", "escape", "dot", "http", "protocol-relative",
         "filename-link", "empty"],
)  # fmt: skip
def test_static_target(link, expected):
    assert static_target(link) == expected


@pytest.mark.parametrize(
    ("target", "inside"),
    [
        ("/images/a.jpg", True),
        ("../../../etc/passwd", False),
        ("/images/../../secret.jpg", False),
        ("../images/a.jpg", True),
    ],
    ids=["inside", "dot-dot-out", "root-then-out", "dot-dot-stays-inside"],
)
def test_resolve_refuses_paths_outside_content(tmp_path, target, inside):
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    _path, rel = resolve(target, str(content / "bai-viet" / "a.md"), str(content))
    assert (rel is not None) is inside


def test_resolve_refuses_symlink_leaving_content(tmp_path):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (tmp_path / "outside.jpg").write_bytes(b"x")
    (content / "images" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    assert resolve("/images/link.jpg", str(content / "a.md"), str(content))[1] is None


def _source(w, h):
    return Source("images/2022/07/hoi nghị.jpg", "ab" * 32, w, h)


def test_picture_html_first_image_eager_others_lazy_and_escaped():
    variants = figure_variants(_source(2000, 1500), OPTS)
    attrs = {"alt": 'Đ/c "A" <phát biểu>', "src": "{static}/x.jpg"}
    first = LexborHTMLParser(picture_html(variants, OPTS, "", attrs, eager=True)).css_first("img")
    later = LexborHTMLParser(picture_html(variants, OPTS, "", attrs, eager=False))
    img = later.css_first("img")
    assert first.attributes.get("loading") is None
    assert first.attributes["fetchpriority"] == "high"
    assert img.attributes["loading"] == "lazy"
    assert img.attributes["decoding"] == "async"
    assert (img.attributes["width"], img.attributes["height"]) == ("1600", "1200")
    assert img.attributes["alt"] == 'Đ/c "A" <phát biểu>'
    assert img.attributes["src"].endswith(".jpg") and "800" in img.attributes["src"]
    assert "%E1%BB%8B" in img.attributes["src"]  # the Vietnamese file name, URL-quoted
    webp = later.css_first('source[type="image/webp"]').attributes["srcset"]
    assert [part.split()[1] for part in webp.split(", ")] == ["480w", "800w", "1200w", "1600w"]


def test_one_format_gives_a_plain_img():
    opts = parse_settings({"PHOTOS": {"formats": ["jpeg"]}})
    html = picture_html(figure_variants(_source(900, 600), opts), opts, "", {"alt": ""}, True)
    assert html.startswith("<img") and "<picture" not in html


def test_variant_keys_follow_settings_and_content():
    a = {v.key for v in figure_variants(_source(2000, 1500), OPTS)}
    other_quality = parse_settings({"PHOTOS": {"quality": {"webp": 60}}})
    b = {v.key for v in figure_variants(_source(2000, 1500), other_quality)}
    other_photo = Source("images/2022/07/hoi nghị.jpg", "cd" * 32, 2000, 1500)
    c = {v.key for v in figure_variants(other_photo, OPTS)}
    assert len(a) == 8
    assert len(a & b) == 4  # only the WebP variants change with the WebP quality
    assert not a & c


def test_featured_variants_thumbs_and_og():
    variants = featured_variants(_source(4000, 3000), OPTS)
    sizes = sorted({(v.kind, v.width, v.height, v.fmt) for v in variants})
    assert sizes == [
        ("og", 1200, 630, "jpeg"),
        ("thumb", 360, 240, "jpeg"), ("thumb", 360, 240, "webp"),
        ("thumb", 720, 480, "jpeg"), ("thumb", 720, 480, "webp"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("variants", "orientation", "expected"),
    [
        ([{"width": 800, "height": 600, "crop": False}], 1, (800, 600)),
        ([{"width": 800, "height": 600, "crop": False}], 6, (600, 800)),
        ([{"width": 1200, "height": 630, "crop": True}], 1, (1200, 900)),
    ],
    ids=["resize", "turned", "crop-needs-full-width"],
)
def test_draft_size(variants, orientation, expected):
    assert _draft_size(variants, 4000, 3000, orientation) == expected


@pytest.mark.parametrize(
    "code", ["missing", "outside", "unsupported", "unreadable", "truncated", "bomb", "failed"]
)
def test_every_error_says_how_to_fix_in_vietnamese(code):
    text = explain(code, {"fmt": "BMP", "width": 40000, "height": 40000, "max_pixels": 10**8})
    assert "Hãy" in text or "Kiểm tra" in text
    if code == "bomb":
        assert "40.000×40.000" in text and "100.000.000" in text


def test_tag_attrs_decodes_entities():
    assert tag_attrs('<img alt="a &amp; b" src="{static}/x.jpg">') == {
        "alt": "a & b",
        "src": "{static}/x.jpg",
    }


@pytest.mark.parametrize("hardlink", [True, False], ids=["link", "copy"])
def test_place_links_or_copies_and_replaces_a_stale_file(tmp_path, hardlink):
    from photos.cache import place

    cached = tmp_path / "cache.webp"
    cached.write_bytes(b"new")
    dest = tmp_path / "out" / "a.webp"
    assert place(str(cached), str(dest), hardlink) is True
    assert dest.read_bytes() == b"new"
    assert dest.samefile(cached) is hardlink
    if hardlink:
        assert place(str(cached), str(dest), hardlink) is False  # already there
    dest.unlink()
    dest.write_bytes(b"stale")
    assert place(str(cached), str(dest), hardlink) is True
    assert dest.read_bytes() == b"new"


# --- Real processing (no Pelican) -----------------------------------------------------


def render_all(tmp_path, path, relpath="images/x.jpg", opts=OPTS, featured=True):
    """Probe and render one photo through the real cache and pipeline; {variant: file}."""
    cache = Cache(tmp_path / "cache", opts["max_pixels"])
    source = cache.source(str(path), relpath)
    variants = figure_variants(source, opts)
    if featured:
        variants += featured_variants(source, opts)
    out = tmp_path / "out"
    stats, errors = pipeline.run_stage(
        cache, {source.sha256: (str(path), variants)}, str(out), {**opts, "workers": 1}
    )
    assert not errors, errors
    return source, {v: out / v.output for v in variants}, stats


def close_enough(a, b, tolerance=40):
    """Golden comparison as images: after averaging 8x8 blocks (lossy encoders and chroma
    subsampling smear sharp edges), no channel differs by more than `tolerance`. A wrong
    turn, crop or colour moves whole regions far more than that."""
    assert a.size == b.size, (a.size, b.size)
    small = (max(1, a.width // 8), max(1, a.height // 8))
    a = a.convert("RGB").resize(small, Image.Resampling.BOX)
    b = b.convert("RGB").resize(small, Image.Resampling.BOX)
    diff = ImageChops.difference(a, b)
    return diff.point(lambda v: 255 if v > tolerance else 0).getbbox() is None


@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 5, 6, 7, 8])
def test_exif_orientation_applied(tmp_path, orientation):
    upright = pf.scene(640, 480)
    path = pf.oriented_jpeg(tmp_path / "src.jpg", upright, orientation)
    source, files, _ = render_all(tmp_path, path, featured=False)
    assert (source.width, source.height) == (640, 480)
    golden = upright.resize((480, 360), Image.Resampling.LANCZOS)
    for variant, file in files.items():
        if variant.width == 480:
            with Image.open(file) as out:
                assert close_enough(out, golden), f"{variant.fmt} turned wrong"


def _webp_chunks(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    pos, chunks = 12, []
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunks.append(kind)
        pos += 8 + size + (size & 1)
    return chunks


def _jpeg_markers(data):
    pos, markers = 2, []
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: only pixels after this
            break
        size = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        markers.append((marker, data[pos + 4 : pos + 4 + min(size - 2, 16)]))
        pos += 2 + size
    return markers


SECRETS = [pf.SECRET_PLACE.encode(), b"secret-exif", b"secret-xmp", pf.COMMENT,
           b"PhoneMaker", b"Photoshop 3.0", b"http://ns.adobe.com/xap"]  # fmt: skip


def test_every_metadata_kind_is_stripped(tmp_path):
    path = pf.camera_jpeg(tmp_path / "phone.jpg", 1800, 1350)
    # The source really carries all of them, as a phone's photo does.
    raw = path.read_bytes()
    assert all(secret in raw for secret in SECRETS)
    with Image.open(path) as src:
        assert src.getexif().get_ifd(pf.GPS_IFD)
        assert {"icc_profile", "comment", "xmp", "exif"} <= set(src.info)
    _, files, _ = render_all(tmp_path, path)
    assert len(files) == 13
    for variant, file in files.items():
        data = file.read_bytes()
        for secret in SECRETS:
            assert secret not in data, (file.name, secret)
        with Image.open(file) as out:
            assert not dict(out.getexif()), file.name
            assert not {
                "exif",
                "xmp",
                "comment",
                "icc_profile",
                "photoshop",
                "XML:com.adobe.xmp",
            } & set(out.info), (file.name, out.info.keys())
        if variant.fmt == "webp":
            assert set(_webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
        else:
            # Only JFIF (APP0), tables, frame headers: no APP1 (EXIF/XMP), APP2 (ICC),
            # APP13 (IPTC) or COM (comment) segment.
            kinds = {m for m, _ in _jpeg_markers(data)}
            assert not kinds & {0xE1, 0xE2, 0xED, 0xFE}, [hex(k) for k in kinds]


def test_icc_profile_converted_to_srgb(tmp_path):
    path = pf.red_jpeg_with_profile(tmp_path / "swapped.jpg", pf.swapped_icc())
    _, files, _ = render_all(tmp_path, path, featured=False)
    for file in files.values():
        with Image.open(file) as out:
            r, g, b = ImageStat.Stat(out.convert("RGB")).mean
            assert g > 200 and r < 50 and b < 50, (file.name, r, g, b)


@pytest.mark.parametrize("size", [(3024, 4032), (1511, 2017), (4001, 2999)], ids=str)
def test_every_variant_of_odd_sizes(tmp_path, size):
    path = pf.camera_jpeg(tmp_path / "odd.jpg", *size, quality=60)
    _, files, stats = render_all(tmp_path, path)
    assert stats["variants_made"] == len(files)
    for variant, file in files.items():
        with Image.open(file) as im:
            assert im.size == (variant.width, variant.height)
    og = next(f for v, f in files.items() if v.kind == "og")
    golden = pf.scene(*size).resize((1200, 630), Image.Resampling.LANCZOS,
                                    box=cover_box(*size, 1200, 630))  # fmt: skip
    with Image.open(og) as im:
        assert close_enough(im, golden)


def test_cmyk_jpeg(tmp_path):
    path = pf.cmyk_jpeg(tmp_path / "cmyk.jpg")
    _, files, _ = render_all(tmp_path, path, featured=False)
    golden = pf.scene(600, 400).resize((480, 320), Image.Resampling.LANCZOS)
    out = next(f for v, f in files.items() if v.width == 480 and v.fmt == "jpeg")
    with Image.open(out) as im:
        assert im.mode == "RGB"
        assert close_enough(im, golden, tolerance=60)


def test_progressive_jpeg_and_reduced_scale_decoding(tmp_path, monkeypatch):
    from PIL import JpegImagePlugin

    path = pf.camera_jpeg(tmp_path / "prog.jpg", 3200, 2400, progressive=True)
    asked = []
    real = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        asked.append(size)
        return real(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    opts = parse_settings({"PHOTOS": {"widths": [400, 800]}})
    _, files, _ = render_all(tmp_path, path, opts=opts, featured=False)
    assert asked == [(800, 600)]  # decoded at 1/2 scale, not 3200x2400
    golden = pf.scene(3200, 2400).resize((800, 600), Image.Resampling.LANCZOS)
    with Image.open(next(f for v, f in files.items() if v.width == 800)) as im:
        assert close_enough(im, golden)


def test_png_alpha_kept_in_webp_flattened_on_white_in_jpeg(tmp_path):
    path = pf.png_with_alpha(tmp_path / "logo.png")
    _, files, _ = render_all(tmp_path, path, relpath="images/logo.png", featured=False)
    webp = next(f for v, f in files.items() if v.fmt == "webp")
    jpeg = next(f for v, f in files.items() if v.fmt == "jpeg")
    with Image.open(webp) as im:
        assert im.mode == "RGBA"
        assert im.getpixel((10, im.height - 10))[3] == 0
        assert im.getpixel((im.width - 10, 40))[3] == 255
    with Image.open(jpeg) as im:
        assert min(im.getpixel((10, im.height - 10))) > 245


def test_webp_input(tmp_path):
    path = pf.webp_file(tmp_path / "in.webp")
    source, files, _ = render_all(tmp_path, path, relpath="images/in.webp", featured=False)
    assert (source.width, source.height) == (500, 300)
    golden = pf.scene(500, 300).resize((480, 288), Image.Resampling.LANCZOS)
    with Image.open(next(f for v, f in files.items() if v.width == 480)) as im:
        assert close_enough(im, golden)
        assert b"secret-xmp" not in Path(im.filename).read_bytes()


def test_heic_input_from_a_phone(tmp_path):
    path = pf.heic_file(tmp_path / "iphone.heic", 640, 480, orientation=6)
    source, files, _ = render_all(tmp_path, path, relpath="images/iphone.heic", featured=False)
    assert (source.width, source.height) == (480, 640)  # shown upright, as the phone did
    golden = pf.scene(640, 480).transpose(Image.Transpose.ROTATE_270)
    with Image.open(next(f for v, f in files.items() if v.fmt == "jpeg")) as im:
        assert close_enough(im, golden, tolerance=60)
        assert not dict(im.getexif())


LAZY_HEIF = """
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
from photos.process import probe
print(probe(sys.argv[2], 10**8)[0], "pillow_heif" in sys.modules)
print(probe(sys.argv[3], 10**8)[0], "pillow_heif" in sys.modules)
"""


def test_the_heif_opener_is_loaded_only_for_a_heic_photo(tmp_path):
    """libheif (4.5 MiB kept for the whole build) is loaded when a file needs it: a build of
    camera JPEGs, or of photos already in the cache, does without it."""
    import json
    import subprocess
    import sys

    jpeg = pf.camera_jpeg(tmp_path / "a.jpg", 320, 240)
    heic = pf.heic_file(tmp_path / "b.heic", 320, 240)
    plugins = str(Path(__file__).resolve().parent.parent / "plugins")
    run = subprocess.run(
        [sys.executable, "-c", LAZY_HEIF, json.dumps([plugins]), str(jpeg), str(heic)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["JPEG False", "HEIF True"]


def test_animated_gif_published_as_its_first_frame(tmp_path):
    path = pf.animated_gif(tmp_path / "anim.gif")
    _, files, _ = render_all(tmp_path, path, relpath="images/anim.gif", featured=False)
    for file in files.values():
        with Image.open(file) as im:
            assert getattr(im, "n_frames", 1) == 1
            r, g, b = ImageStat.Stat(im.convert("RGB")).mean
            assert r > 200 and g < 60 and b < 60  # the red first frame


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (pf.not_an_image, "unreadable"),
        (pf.bmp_file, "unsupported"),
        (pf.png_bomb, "bomb"),
    ],
    ids=["not-an-image", "bmp", "decompression-bomb"],
)
def test_probe_refuses_bad_files(tmp_path, make, code):
    from photos.process import PhotoError

    with pytest.raises(PhotoError) as err:
        probe(str(make(tmp_path / "bad")), OPTS["max_pixels"])
    assert err.value.code == code


# --- Large photos: memory ----------------------------------------------------------------


def big_png(path, width, height, mode="RGBA"):
    """A large PNG as a camera app may write one: sRGB profile, EXIF orientation 6 (stored
    on its side), the bottom-right quarter transparent (RGBA), or a palette with a
    transparent entry (P). Returns (path, the upright picture a reader must see, on white).
    Fast to write (compress_level=1)."""
    upright = pf.scene(width, height).convert("RGBA")
    if mode == "RGBA":
        upright.paste((0, 0, 0, 0), (width * 3 // 4, height * 3 // 4, width, height))
    stored = pf.stored_for(upright, 6)
    if mode == "P":
        stored = stored.convert("RGB").quantize(16)
        stored.info["transparency"] = 255  # an unused entry: a P picture with transparency
    else:
        stored = stored.convert(mode)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(path, "PNG", compress_level=1, icc_profile=pf.srgb_icc(), exif=exif.tobytes())
    return path, on_white(upright)


def on_white(im):
    flat = Image.new("RGB", im.size, (255, 255, 255))
    flat.paste(im, mask=im.getchannel("A") if im.mode == "RGBA" else None)
    return flat


@pytest.mark.parametrize("mode", ["RGBA", "RGB", "P"])
def test_large_png_is_reduced_before_turning_and_colour(tmp_path, mode):
    """A PNG much larger than its variants (no reduced decoding as for JPEG) comes out
    turned the right way, in the right colours, transparency kept."""
    path, upright = big_png(tmp_path / "lon.png", 2400, 1600, mode=mode)
    opts = parse_settings({"PHOTOS": {"widths": [300]}})
    source, files, _ = render_all(tmp_path, path, "images/lon.png", opts=opts, featured=False)
    assert (source.width, source.height) == (2400, 1600)
    golden = upright.resize((300, 200), Image.Resampling.LANCZOS)
    for variant, file in files.items():
        with Image.open(file) as im:
            assert im.size == (300, 200)
            assert close_enough(on_white(im), golden, tolerance=60), variant
            if mode == "RGBA" and variant.fmt == "webp":
                assert im.getpixel((290, 190))[3] == 0
                assert im.getpixel((10, 10))[3] == 255


# Peak memory is read from VmHWM (kB), the high-water mark of this process's own memory:
# getrusage's ru_maxrss would start at pytest's own size, kept across exec.
MEASURE = """
import json, re, sys
def peak():
    with open("/proc/self/status") as f:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read())[1])
sys.path[:0] = json.loads(sys.argv[1])
from photos.process import render
job = json.loads(sys.argv[2])
job["background"] = tuple(job["background"])
before = peak()
result = render(job)
assert result["error"] is None, result
print(peak() - before)
"""


def test_a_large_png_costs_about_one_decoded_copy_of_memory(tmp_path):
    """Peak memory of one render (in a process of its own, as a worker) beyond what the
    imports took: the full decode (4 bytes a pixel) once, not one copy per step (turning,
    colour conversion, premultiplied alpha) as before: 4 copies for this picture."""
    import json
    import subprocess
    import sys

    width, height = 4000, 3000
    path, _ = big_png(tmp_path / "lon.png", width, height)
    opts = parse_settings({"PHOTOS": {"widths": [400]}})
    cache = Cache(tmp_path / "cache", opts["max_pixels"])
    source = cache.source(str(path), "images/lon.png")
    variants = figure_variants(source, opts) + featured_variants(source, opts)
    (job,) = pipeline.missing_jobs(cache, {source.sha256: (str(path), variants)}, opts)
    plugins = str(Path(__file__).resolve().parent.parent / "plugins")
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps([plugins]), json.dumps(job)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    grown_mb = int(run.stdout) / 1024
    decoded_mb = width * height * 4 / 2**20
    print(f"\npeak growth {grown_mb:.0f} MB for a {decoded_mb:.0f} MB decode")
    assert grown_mb < 1.5 * decoded_mb


def recording_pool(pools):
    """A stand-in for ProcessPoolExecutor that runs in this process and appends to `pools`
    each pool's size and the names of the photos given to it."""

    class Pool:
        def __init__(self, max_workers):
            self.jobs = []
            pools.append((max_workers, self.jobs))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, fn, jobs, chunksize=1):
            jobs = list(jobs)
            self.jobs.extend(os.path.basename(j["path"]) for j in jobs)
            return map(fn, jobs)

    return Pool


def test_big_photos_are_made_one_at_a_time(tmp_path, monkeypatch):
    """A PNG over the big-photo size is decoded whole (up to 480 MB): such photos get a
    worker of their own, one after the other, before the others are made in parallel. A
    JPEG of the same size is decoded at reduced scale and is not big."""
    monkeypatch.setattr(pipeline, "BIG_PIXELS", 1_000_000)
    pools = []
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", recording_pool(pools))
    opts = parse_settings({"PHOTOS": {"widths": [200], "workers": 3}})
    cache = Cache(tmp_path / "cache", opts["max_pixels"])
    photos = {}
    for name, make in (
        ("lon-1.png", lambda p: big_png(p, 1500, 1000)[0]),
        ("lon-2.png", lambda p: big_png(p, 1200, 1000, mode="P")[0]),
        ("nho.png", lambda p: pf.png_with_alpha(p, 400, 300)),
        ("may-anh.jpg", lambda p: pf.camera_jpeg(p, 1500, 1000)),
        ("nho.webp", pf.webp_file),
    ):
        path = make(tmp_path / name)
        source = cache.source(str(path), f"images/{name}")
        photos[source.sha256] = (str(path), figure_variants(source, opts))
    stats, errors = pipeline.run_stage(cache, photos, str(tmp_path / "out"), opts)
    assert not errors
    assert stats["processed"] == 5
    (one, big), (three, rest) = pools
    assert (one, sorted(big)) == (1, ["lon-1.png", "lon-2.png"])
    assert (three, sorted(rest)) == (3, ["may-anh.jpg", "nho.png", "nho.webp"])


# --- Builds ---------------------------------------------------------------------------


def make_photos(content):
    images = content / "images"
    pf.camera_jpeg(images / "2022/07/toan-canh.jpg", 2000, 1500)
    pf.camera_jpeg(images / "2022/07/phat-bieu.jpg", 1000, 750, seed=2)
    pf.camera_jpeg(images / "2022/07/doc.jpg", 1600, 1200, orientation=6, seed=3)
    pf.camera_jpeg(images / "nhap/chi-ban-nhap.jpg", 800, 600, seed=4)
    pf.camera_jpeg(images / "an/chi-bai-an.jpg", 800, 600, seed=5)
    pf.png_with_alpha(images / "tru-so.png")


@pytest.fixture(scope="session")
def photo_template(tmp_path_factory):
    """The photos fixture site with its photos made and built once (cache warm in var/);
    each test gets its own copy, so most builds start from a warm cache as staff's do."""
    from conftest import FIXTURES, build_site

    root = tmp_path_factory.mktemp("photo-template")
    shutil.copytree(FIXTURES / "photos", root / "content")
    make_photos(root / "content")
    build_site(root / "content", root / "output", PHOTOS={"workers": 2})
    return root


@pytest.fixture
def photo_site(photo_template, tmp_path):
    """A writable copy of the built photo site: content/ and a warm var/photos cache."""
    shutil.copytree(photo_template / "content", tmp_path / "content")
    shutil.copytree(photo_template / "var", tmp_path / "var")
    return tmp_path / "content"


@pytest.fixture
def cold_photo_site(photo_template, tmp_path):
    """The same content with an empty cache."""
    shutil.copytree(photo_template / "content", tmp_path / "content")
    return tmp_path / "content"


ARTICLE = "tin-hoat-dong/hoi-nghi-so-ket-cong-tac-6-thang-dau-nam/index.html"
ONE_CORE = {"workers": 1}


def messages(caplog, level=logging.WARNING):
    return [
        r.getMessage() for r in caplog.records if r.levelno >= level and r.name.startswith("photos")
    ]


def test_build_writes_picture_with_srcset_and_sizes(photo_site, site_builder, caplog):
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    assert not messages(caplog)
    page = parse(out / ARTICLE)
    imgs = page.css("article img")
    assert len(imgs) == 3
    for n, img in enumerate(imgs):
        a = img.attributes
        assert a["width"].isdigit() and a["height"].isdigit()
        assert a["decoding"] == "async"
        assert a["sizes"] and a["srcset"]
        assert a.get("loading") == (None if n == 0 else "lazy")
        assert img.parent.tag == "picture" and img.parent.parent.tag == "figure"
        for url in [a["src"]] + [part.split()[0] for part in a["srcset"].split(", ")]:
            assert (out / url.lstrip("/")).is_file(), url
    # The sideways phone photo is shown upright: portrait width/height.
    assert (imgs[2].attributes["width"], imgs[2].attributes["height"]) == ("1200", "1600")
    with Image.open(out / imgs[2].attributes["src"].lstrip("/")) as im:
        assert im.height > im.width
    # Never upscaled: the 1000 px photo has no 1200/1600 variant.
    assert imgs[1].attributes["srcset"].split(", ")[-1].endswith(" 1000w")
    # Originals are not published.
    assert not (out / "images/2022/07/toan-canh.jpg").exists()
    assert not list((out / "images").rglob("*.png"))


def test_featured_image_og_and_list_thumbnails(photo_site, site_builder):
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    page = parse(out / ARTICLE)
    og = page.css_first('meta[property="og:image"]').attributes["content"]
    with Image.open(out / og.lstrip("/")) as im:
        assert im.size == (1200, 630) and im.format == "JPEG"
    assert page.css_first('meta[property="og:image:alt"]').attributes["content"] == (
        "Toàn cảnh hội nghị"
    )
    home = parse(out / "index.html")
    thumbs = home.css(".article-list img.thumb")
    thumb = thumbs[0]
    assert (thumb.attributes["width"], thumb.attributes["height"]) == ("360", "240")
    # The featured photo on top of the home page is the one image loaded eagerly.
    assert home.css_first("img.featured-photo").attributes.get("loading") is None
    assert [t.attributes.get("loading") for t in thumbs] == ["lazy"] * len(thumbs)
    category = parse(out / ARTICLE.split("/", maxsplit=1)[0] / "index.html").css(
        ".article-list img.thumb"
    )
    assert [t.attributes.get("loading") for t in category] == [None] + ["lazy"] * (
        len(category) - 1
    )
    with Image.open(out / thumb.attributes["src"].lstrip("/")) as im:
        assert im.size == (360, 240)
    # The first figure is the featured image of a page without Image: metadata.
    page_og = parse(out / "gioi-thieu-phuong/index.html")
    assert page_og.css_first("figure img").attributes["width"] == "400"


def test_publish_writes_no_photo_of_drafts_or_hidden_articles(
    cold_photo_site, site_builder, caplog
):
    photo_site = cold_photo_site
    out = site_builder(photo_site, "publishconf.py", PHOTOS=ONE_CORE, SITEURL="https://x.test")
    assert not messages(caplog)
    assert not (out / "images" / "nhap").exists()
    assert not (out / "images" / "an").exists()
    assert list((out / "images" / "2022").rglob("*.webp"))
    page = parse(out / ARTICLE)
    assert page.css_first("article img").attributes["src"].startswith("https://x.test/images/")
    # Not processed either: the cache has no variant of theirs.
    cache = Cache(photo_site.parent / "var" / "photos", 10**8)
    shas = {e[2] for p, e in cache.index.items() if "/nhap/" in p or "/an/" in p}
    assert len(shas) == 2
    for sha in shas:
        assert not (Path(cache.files) / sha[:2] / sha).exists()
    assert not any((photo_site.parent / "var/photos/files").rglob("*.part"))


def _fail_if_called(job):
    raise AssertionError(f"reprocessed {job['path']}")


def test_unchanged_photos_never_reprocessed_after_clean(cold_photo_site, site_builder, monkeypatch):
    photo_site = cold_photo_site
    out = site_builder(photo_site, PHOTOS={"workers": 2})
    first = sorted(p.relative_to(out) for p in (out / "images").rglob("*.*"))
    monkeypatch.setattr(pipeline, "render", _fail_if_called)
    shutil.rmtree(out)  # make clean
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    assert sorted(p.relative_to(out) for p in (out / "images").rglob("*.*")) == first
    # ... nor after make publish (drafts' photos stay cached for the next make html).
    site_builder(photo_site, "publishconf.py", PHOTOS=ONE_CORE)
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    assert (out / "images" / "nhap").is_dir()


def test_changed_photo_reprocessed_alone_and_old_variants_pruned(
    photo_site, site_builder, monkeypatch
):
    site_builder(photo_site, PHOTOS=ONE_CORE)
    cache_files = photo_site.parent / "var" / "photos" / "files"
    before = {p.name for p in cache_files.rglob("*.*")}
    photo = photo_site / "images/2022/07/phat-bieu.jpg"
    pf.camera_jpeg(photo, 1000, 750, seed=9)  # staff replaced the photo, same name
    os.utime(photo, ns=(1, 1))  # even with an old mtime: the size or hash tells
    done = []
    real = pipeline.render
    monkeypatch.setattr(pipeline, "render", lambda job: done.append(job["path"]) or real(job))
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    assert done == [str(photo)]
    after = {p.name for p in cache_files.rglob("*.*")}
    assert len(before - after) == 6 and len(after - before) == 6  # 3 widths x 2 formats
    src = parse(out / ARTICLE).css("article img")[1].attributes["src"]
    assert (out / src.lstrip("/")).is_file()
    # A photo no longer used by any content leaves the cache.
    (photo_site / "pages/gioi-thieu.md").write_text("Title: Giới thiệu phường\n\nChữ.\n", "utf-8")
    site_builder(photo_site, PHOTOS=ONE_CORE)
    left = {p.name for p in cache_files.rglob("*.*")}
    assert len(after - left) == 7  # 1 width x 2 formats + 2x2 thumbs + og


def test_no_pruning_while_an_article_cannot_be_read(photo_site, site_builder, monkeypatch):
    site_builder(photo_site, PHOTOS=ONE_CORE)
    article = photo_site / "bai-viet/hoi-nghi.md"
    text = article.read_text("utf-8")
    article.write_text(text.replace("Category: Tin hoạt động", "Category: Không có"), "utf-8")
    site_builder(photo_site, PHOTOS=ONE_CORE)  # the reader refuses the article
    article.write_text(text, "utf-8")
    monkeypatch.setattr(pipeline, "render", _fail_if_called)
    site_builder(photo_site, PHOTOS=ONE_CORE)  # its photos were kept


def test_pages_showing_one_photo_share_its_plan(photo_site, site_builder):
    """A photo shown by many pages is planned once per build: its variants and the featured
    image's srcsets are one object for all (a shared photo cost each page its own copies,
    about 8 KB), each page keeping its own alt; a figure's <picture> is not kept beside the
    HTML that holds it."""
    from pelican import signals

    text = (photo_site / "bai-viet/hoi-nghi.md").read_text("utf-8")
    text = text.replace("Title: Hội nghị sơ kết", "Title: Hội nghị tổng kết")
    (photo_site / "bai-viet/tong-ket.md").write_text(text.replace("06/7", "20/12"), "utf-8")
    seen = {}

    def keep(generators):
        for generator in generators:
            for article in getattr(generator, "articles", []):
                seen[os.path.basename(article.source_path)] = article

    signals.all_generators_finalized.connect(keep)
    try:
        out = site_builder(photo_site, PHOTOS=ONE_CORE, INCREMENTAL={"workers": 1})
    finally:
        signals.all_generators_finalized.disconnect(keep)
    a, b = seen["hoi-nghi.md"], seen["tong-ket.md"]
    assert len(a._photo_uses) == len(b._photo_uses) == 4  # three figures and the featured
    for use_a, use_b in zip(a._photo_uses, b._photo_uses, strict=True):
        assert use_a["variants"] is use_b["variants"]
        assert "markup" not in use_a
    assert a.featured_image is not b.featured_image
    assert a.featured_image.thumb_srcset is b.featured_image.thumb_srcset
    assert a.featured_image.alt == "Toàn cảnh hội nghị"
    b_page = parse(out / ARTICLE.replace("so-ket", "tong-ket"))
    assert b_page.css("article picture") and "20/12" in b_page.text()


def test_same_photo_under_two_names_is_made_once_and_published_twice(photo_site, site_builder):
    shutil.copy(photo_site / "images/2022/07/phat-bieu.jpg", photo_site / "images/ban-sao.jpg")
    (photo_site / "pages/ban-sao.md").write_text(
        "Title: Bản sao\n\n![Cùng một ảnh](images/ban-sao.jpg)\n", "utf-8"
    )
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    img = parse(out / "ban-sao/index.html").css_first("figure img")
    assert "/images/ban-sao-800." in img.attributes["src"]
    assert (out / img.attributes["src"].lstrip("/")).is_file()


def test_publish_originals_writes_stripped_full_size_copy(photo_site, site_builder):
    out = site_builder(photo_site, PHOTOS={**ONE_CORE, "publish_originals": True})
    full = out / "images/2022/07/toan-canh.jpg"
    with Image.open(full) as im:
        assert im.size == (2000, 1500)
        assert not dict(im.getexif()) and "comment" not in im.info
    assert pf.SECRET_PLACE.encode() not in full.read_bytes()
    assert (out / "images/tru-so.png").is_file()  # alpha kept: PNG


def test_worker_processes_build(photo_template):
    # The template was built from a cold cache by two worker processes.
    out = photo_template / "output"
    assert (
        len(list((out / "images/2022/07").glob("*.webp"))) == 4 + 2 + 3 + 3
    )  # widths and thumbs of toan-canh, phat-bieu, doc


BAD = {
    "truncated": (pf.truncated_jpeg, "hong.jpg", "chưa chép hết"),
    "not-an-image": (pf.not_an_image, "chu.jpg", "không phải là ảnh"),
    "bomb": (pf.png_bomb, "bom.png", "40.000×40.000"),
    "unsupported": (pf.bmp_file, "cu.bmp", "định dạng BMP"),
    "missing": (None, "khong-co.jpg", "không tìm thấy"),
    "outside": (None, "../../../ngoai.jpg", "nằm ngoài thư mục content/"),
}


def bad_article(content, case):
    make, name, _ = BAD[case]
    if make:
        make(content / "images" / "loi" / name)
    src = name if name.startswith("../") else f"images/loi/{name}"
    if case == "outside":
        pf.camera_jpeg(content.parent / "ngoai.jpg", 300, 200)
    (content / "bai-viet" / "loi.md").write_text(
        "Title: Bài có ảnh lỗi\nDate: 2022-07-10 08:00\nCategory: Thông báo\n\n"
        f"Đoạn đầu.\n\n![Ảnh lỗi]({src})\n\n![Ảnh tốt](images/2022/07/phat-bieu.jpg)\n",
        "utf-8",
    )
    return src


@pytest.mark.parametrize("case", list(BAD))
def test_bad_photo_html_warns_with_file_and_line_and_goes_on(
    photo_site, site_builder, caplog, case
):
    src = bad_article(photo_site, case)
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    found = [m for r in caplog.records if r.levelno >= logging.WARNING for m in [r.getMessage()]
             if "bai-viet/loi.md:7:" in m and src in m]  # fmt: skip
    assert found, [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert BAD[case][2] in " ".join(found)
    page = parse(out / "thong-bao/bai-co-anh-loi/index.html")
    imgs = page.css("article img")
    assert len(imgs) == 1 and imgs[0].attributes["alt"] == "Ảnh tốt"
    assert imgs[0].attributes.get("loading") is None  # now the first image of the page
    assert "{static}" not in (out / "thong-bao/bai-co-anh-loi/index.html").read_text("utf-8")
    assert (out / ARTICLE).is_file()  # the rest of the site is built
    assert not (out / "ngoai.jpg").exists()


def test_bad_photo_used_twice_is_reported_once(photo_site, site_builder, caplog):
    pf.bmp_file(photo_site / "images/loi/cu.bmp")
    (photo_site / "bai-viet/loi.md").write_text(
        "Title: Bài có ảnh lỗi\nDate: 2022-07-10 08:00\nCategory: Thông báo\n"
        "Image: images/loi/cu.bmp\n\n![Ảnh lỗi](images/loi/cu.bmp)\n",
        "utf-8",
    )
    out = site_builder(photo_site, PHOTOS=ONE_CORE)
    found = [m for m in messages(caplog) if "cu.bmp" in m]
    assert len(found) == 1 and "loi.md:4:" in found[0], found
    og = parse(out / "thong-bao/bai-co-anh-loi/index.html").css('meta[property="og:image"]')
    assert not [m for m in og if "cu" in m.attributes["content"]]  # only the site default


@pytest.mark.parametrize("case", ["truncated", "outside"])
def test_bad_photo_fails_publish(photo_site, site_builder, case):
    bad_article(photo_site, case)
    with pytest.raises(SystemExit):
        site_builder(photo_site, "publishconf.py", PHOTOS=ONE_CORE)
