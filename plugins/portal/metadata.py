"""Hidden information in office and PDF attachments: what staff should know before posting.

Documents carry their author, the last person who edited them, the company, and photos
pasted into them keep the camera's GPS position. Attachments other than JPG/PNG are
published as they are (re-writing a DOCX or a PDF could damage it), so this module only
reads that information for the build to report it (no Pelican in here):

- PDF: the document information dictionary, read with pypdf (pinned in requirements.txt;
  a PDF's objects, streams and encryption are too much to read by hand);
- DOCX/XLSX/PPTX: docProps/core.xml and docProps/app.xml; ODT/ODS: meta.xml. These are
  small XML files in a zip archive, read with the standard library (zipfile and
  ElementTree; expat >= 2.4 refuses entity-expansion bombs) because no maintained library
  reads the properties of both families and nothing else;
- photos inside those archives (word/media/, Pictures/...): the EXIF GPS block, with
  Pillow, which the photo pipeline already uses.

DOC/XLS/PPT (old binary formats), ZIP, RAR and TXT are not inspected.
"""

import logging
import os
import zipfile
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

GPS_IFD = 0x8825
MAX_XML = 1 << 20  # bytes read from one properties file at most
MAX_PHOTOS = 200  # photos of one document checked at most
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic")

# Field (XML local name or PDF key) -> how staff know it.
LABELS = {
    "creator": "Tác giả",
    "initial-creator": "Người tạo",
    "lastModifiedBy": "Người sửa cuối",
    "Company": "Cơ quan",
    "Manager": "Người quản lý",
    "title": "Tiêu đề",
    "subject": "Chủ đề",
    "keywords": "Từ khóa",
    "description": "Ghi chú",
    "/Author": "Tác giả",
    "/Title": "Tiêu đề",
    "/Subject": "Chủ đề",
    "/Keywords": "Từ khóa",
}
OOXML = {".docx", ".xlsx", ".pptx"}
ODF = {".odt", ".ods"}


def _xml_fields(data):
    """{label: text} of the known fields of one properties XML file."""
    found = {}
    root = ElementTree.fromstring(data)
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        text = (element.text or "").strip()
        if name in LABELS and text:
            found.setdefault(LABELS[name], text)
    return found


def _zip_fields(archive, names):
    found = {}
    for name in names:
        try:
            with archive.open(name) as f:
                found.update(_xml_fields(f.read(MAX_XML)))
        except (KeyError, ElementTree.ParseError):
            continue
    return found


def _photos_with_gps(archive):
    """Names of the photos inside the archive whose EXIF holds a GPS position."""
    names = [n for n in archive.namelist() if n.lower().endswith(PHOTO_EXTENSIONS)]
    located = []
    for name in names[:MAX_PHOTOS]:
        try:
            with archive.open(name) as f, Image.open(f) as im:
                if im.getexif().get_ifd(GPS_IFD):
                    located.append(name)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            continue
    return located


def _pdf_fields(path):
    from pypdf import PdfReader  # only when a PDF is attached

    info = PdfReader(path).metadata or {}
    return {LABELS[k]: str(v).strip() for k, v in info.items() if k in LABELS and str(v).strip()}


def inspect(path):
    """(fields, photos with GPS) of one attachment: {label: value}, [names in the archive].

    A file that cannot be read as what its extension says gives nothing (it is still
    published: the reader's program will say it is damaged)."""
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext == ".pdf":
            return _pdf_fields(path), []
        if ext in OOXML or ext in ODF:
            with zipfile.ZipFile(path) as archive:
                names = ["docProps/core.xml", "docProps/app.xml"] if ext in OOXML else ["meta.xml"]
                return _zip_fields(archive, names), _photos_with_gps(archive)
    except Exception as exc:  # any damaged file: nothing to report
        logger.debug("Không đọc được thông tin của %s: %s", path, exc)
    return {}, []
