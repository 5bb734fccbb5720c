"""Real image files for the photo tests, made on the spot with Pillow.

`camera_jpeg` writes what a phone writes: a photo with EXIF (camera, orientation, GPS),
XMP, IPTC, a JPEG comment and an ICC profile, so the tests can check each is stripped.
"""

import io
import struct

from PIL import Image, ImageCms, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112
SECRET_PLACE = "Ngo 12 Thuong Thanh"  # written in GPS and IPTC; must never be published
COMMENT = b"chup tai nha ong B"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
    b' photoshop:City="Ha Noi secret-xmp"/></rdf:RDF></x:xmpmeta>'
)


def scene(width, height, seed=0):
    """A picture with a clear top-left marker: red block top-left, blue bottom-right,
    a green band at the top (so orientation and crops can be checked)."""
    im = Image.new("RGB", (width, height), (200, 200, 200))
    draw = ImageDraw.Draw(im)
    for x in range(0, width, max(1, width // 32)):
        shade = (x * 255 // max(1, width) + seed * 37) % 256
        draw.line([(x, 0), (x, height)], fill=(shade, 180, 255 - shade), width=max(1, width // 64))
    draw.rectangle([0, 0, width // 4, height // 4], fill=(220, 20, 20))
    draw.rectangle([width * 3 // 4, height * 3 // 4, width, height], fill=(20, 20, 220))
    draw.rectangle([0, 0, width, max(1, height // 20)], fill=(20, 200, 20))
    return im


def exif_block(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X secret-exif"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (21.0, 3.0, 30.5)
    gps[3] = "E"
    gps[4] = (105.0, 53.0, 12.25)
    gps[0x1B] = SECRET_PLACE  # GPSProcessingMethod-ish free text
    return exif.tobytes()


def iptc_app13():
    """An APP13 'Photoshop 3.0' segment carrying one IPTC record (City)."""
    value = SECRET_PLACE.encode()
    record = b"\x1c\x02\x5a" + struct.pack(">H", len(value)) + value  # 2:90 City
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record))
    resource += record + (b"\x00" if len(record) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def _s15(v):
    return struct.pack(">i", round(v * 65536))


def _xyz(x, y, z):
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def swapped_icc():
    """A real ICC v2 matrix/TRC RGB profile whose red and green colorants are swapped: a
    file red (255, 0, 0) in this profile is green in sRGB. Colour management is then easy
    to see: without it the red stays red."""
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    gamma = b"curv\0\0\0\0" + struct.pack(">I", 1) + struct.pack(">H", 0x0233) + b"\0\0"
    text = b"swapped"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0"
            + b"\0" * 4 + b"\0" * 4 + b"\0" * 2 + b"\0" + b"\0" * 67)  # fmt: skip
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(*green)),
        (b"gXYZ", _xyz(*red)),
        (b"bXYZ", _xyz(*blue)),
        (b"rTRC", gamma),
        (b"gTRC", gamma),
        (b"bTRC", gamma),
        (b"cprt", b"text\0\0\0\0none\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    body = struct.pack(">I", len(tags)) + table + data
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"\0\0\0\0" + struct.pack(">I", 0x02100000) + b"mntr"
              + b"RGB " + b"XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
              + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)  # fmt: skip
    assert len(header) == 128
    return header + body


def red_jpeg_with_profile(path, icc):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 200), (255, 0, 0)).save(path, "JPEG", quality=95, icc_profile=icc)
    return path


def srgb_icc():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_jpeg(
    path, width=1200, height=900, *, orientation=1, seed=0, progressive=False, icc=True, quality=90
):
    """A JPEG as a phone writes it. `width`x`height` is the stored (sensor) size; the
    picture is meant to be seen turned by `orientation`."""
    im = scene(width, height, seed)
    kwargs = {
        "exif": exif_block(orientation),
        "comment": COMMENT,
        "xmp": XMP,
        "extra": iptc_app13(),
        "quality": quality,
        "progressive": progressive,
    }
    if icc:
        kwargs["icc_profile"] = srgb_icc()
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "JPEG", **kwargs)
    return path


def stored_for(upright, orientation):
    """The sensor image that, turned by `orientation`, shows `upright`."""
    inverse = {
        1: None,
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_90,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_270,
    }[orientation]
    return upright if inverse is None else upright.transpose(inverse)


def oriented_jpeg(path, upright, orientation):
    path.parent.mkdir(parents=True, exist_ok=True)
    stored_for(upright, orientation).save(
        path, "JPEG", quality=95, exif=exif_block(orientation), comment=COMMENT
    )
    return path


def png_with_alpha(path, width=400, height=300):
    im = scene(width, height).convert("RGBA")
    px = im.load()
    for y in range(height // 2, height):
        for x in range(width // 2):
            px[x, y] = (0, 0, 0, 0)  # bottom-left quarter fully transparent
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, "PNG", pnginfo=_png_text())
    return path


def _png_text():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-png-text")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info


def cmyk_jpeg(path, width=600, height=400):
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(width, height).convert("CMYK").save(path, "JPEG", quality=92)
    return path


def webp_file(path, width=500, height=300):
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(width, height).save(path, "WEBP", quality=90, exif=exif_block(1), xmp=XMP)
    return path


def heic_file(path, width=640, height=480, orientation=1):
    import pillow_heif

    pillow_heif.register_heif_opener()
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(width, height).save(path, "HEIF", quality=90, exif=exif_block(orientation))
    return path


def animated_gif(path, width=300, height=200, frames=4):
    path.parent.mkdir(parents=True, exist_ok=True)
    images = [
        Image.new("RGB", (width, height), color)
        for color in [(230, 30, 30), (30, 230, 30), (30, 30, 230), (230, 230, 30)][:frames]
    ]
    images[0].save(path, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return path


def truncated_jpeg(path, width=800, height=600):
    buf = io.BytesIO()
    scene(width, height).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: len(data) // 2])
    return path


def not_an_image(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Day khong phai la anh, chi la chu.\n" * 20)
    return path


def bmp_file(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(120, 80).save(path, "BMP")
    return path


def png_bomb(path, width=40_000, height=40_000):
    """A tiny PNG whose header claims a huge picture (1.6 billion pixels)."""
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
