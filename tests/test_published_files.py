"""Only what content uses or declares is published: attachments, symlinks, file names.

Each test builds a small site in-process with the production settings (publishconf.py:
BUILD_REPORT fails the build on any warning or error) and reads the output back.
"""

import io
import logging
import os
import time
import unicodedata
import zipfile

import photo_factory as pf
import pytest
from conftest import ROOT, build_site, parse
from PIL import Image

from deploy.outputcheck import check_output

ARTICLE_HTML = "thong-bao/ke-hoach-thang-3/index.html"


def article(attachments="", body="Nội dung."):
    extra = f"Attachments: {attachments}\n" if attachments else ""
    return (
        "Title: Kế hoạch tháng 3\nDate: 2024-03-01 08:00\nCategory: Thông báo\n"
        f"{extra}Summary: Kế hoạch của phường.\n\n{body}\n"
    )


@pytest.fixture
def site(tmp_path):
    """A one-article content folder (article text set by the test) and its files/ folder."""
    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "files" / "2024").mkdir(parents=True)
    (content / "pages" / "404.md").write_text(
        (ROOT / "content" / "pages" / "404.md").read_text("utf-8"), "utf-8"
    )
    (content / "files" / "2024" / "ke-hoach.pdf").write_bytes(pdf_bytes())
    return content


def write_article(content, text):
    path = content / "bai-viet" / "ke-hoach.md"
    path.write_text(text, "utf-8")
    return path


def publish(content, tmp_path, caplog):
    """(output, failed, messages of level >= INFO) of a publish build of `content`."""
    caplog.set_level(logging.INFO)
    out = tmp_path / "output"
    failed = False
    try:
        build_site(content, out, "publishconf.py", SITEURL="https://example.vn")
    except SystemExit:
        failed = True
    return out, failed, [r for r in caplog.records if r.levelno >= logging.INFO]


def texts(records, level=logging.WARNING):
    return "\n".join(r.getMessage() for r in records if r.levelno >= level)


def published_files(out):
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] == "files"
    )


def pdf_bytes(author=None):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if author:
        writer.add_metadata({"/Author": author, "/Creator": "Microsoft Word"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(creator, photo=None):
    """A minimal DOCX (zip) with docProps/core.xml, optionally a photo in word/media/."""
    core = (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator>{creator}</dc:creator><cp:lastModifiedBy>{creator}</cp:lastModifiedBy>"
        "</cp:coreProperties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("docProps/core.xml", core)
        if photo:
            z.write(photo, "word/media/image1.jpeg")
    return buffer.getvalue()


# --- what is published -----------------------------------------------------------------------


def test_only_declared_or_linked_files_are_published(site, tmp_path, caplog):
    files = site / "files" / "2024"
    (files / "mau-don.docx").write_bytes(docx_bytes("Văn phòng"))
    for name, data in [("trang.html", b"<script>alert(1)</script>"), ("anh.svg", b"<svg/>"),
                       ("x.js", b"alert(1)"), ("khong-dung.pdf", pdf_bytes())]:  # fmt: skip
        (files / name).write_bytes(data)
    write_article(
        site,
        article("files/2024/ke-hoach.pdf", "Tải [mẫu đơn]({static}/files/2024/mau-don.docx)."),
    )
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    assert published_files(out) == ["files/2024/ke-hoach.pdf", "files/2024/mau-don.docx"]
    link = parse(out / ARTICLE_HTML).css_first(".article-body a")
    assert link.attributes["href"] == "https://example.vn/files/2024/mau-don.docx"
    assert check_output(out) == []


@pytest.mark.parametrize(
    ("name", "written"),
    [("trang.html", "files/2024/trang.html"), ("anh.svg", "{static}/files/2024/anh.svg")],
    ids=["declared-html", "linked-svg"],
)
def test_other_file_types_are_an_error_and_not_published(site, tmp_path, caplog, name, written):
    (site / "files" / "2024" / name).write_bytes(b"<svg onload=alert(1)/>")
    text = article(written) if not written.startswith("{") else article(body=f"[Tệp]({written})")
    write_article(site, text)
    out, failed, records = publish(site, tmp_path, caplog)
    assert failed
    line = 4 if not written.startswith("{") else 6
    assert f"bai-viet/ke-hoach.md:{line}: tệp đính kèm" in texts(records)
    assert "kiểu không được hỗ trợ" in texts(records)
    assert not (out / "files" / "2024" / name).exists()


# --- symlinks --------------------------------------------------------------------------------


def test_symlink_to_a_file_outside_content_is_refused(site, tmp_path, caplog):
    secret = tmp_path / "passwd.txt"
    secret.write_text("root:x:0:0", "utf-8")
    os.symlink(secret, site / "files" / "2024" / "passwd.txt")
    write_article(site, article("files/2024/passwd.txt"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert failed
    log = texts(records)
    assert "files/2024/passwd.txt" in log and "ngoài thư mục content/" in log
    assert "bai-viet/ke-hoach.md:4:" in log
    assert not list(out.rglob("passwd.txt"))
    assert "root:x" not in "".join(p.read_text("utf-8") for p in out.rglob("*.html"))


def test_unused_link_to_a_folder_of_camera_photos_publishes_nothing(site, tmp_path, caplog):
    pf.camera_jpeg(site / "images" / "2024" / "03" / "goc.jpg")
    os.symlink("../images", site / "files" / "anh")  # inside content/: allowed
    write_article(site, article("files/2024/ke-hoach.pdf"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    assert published_files(out) == ["files/2024/ke-hoach.pdf"]
    assert not list(out.rglob("goc*"))


def test_symlinked_folder_outside_content_is_neither_read_nor_published(site, tmp_path, caplog):
    outside = tmp_path / "ngoai"
    (outside / "bai").mkdir(parents=True)
    (outside / "bai" / "bi-mat.md").write_text(
        article().replace("Kế hoạch tháng 3", "Bài BI-MAT-NGOAI"), "utf-8"
    )
    os.symlink(outside / "bai", site / "bai-viet" / "ngoai")
    os.symlink(outside, site / "files" / "ngoai")
    write_article(site, article("files/2024/ke-hoach.pdf"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert failed
    log = texts(records)
    assert "bai-viet/ngoai" in log and "files/ngoai" in log and "ngoài thư mục content/" in log
    assert "BI-MAT-NGOAI" not in "".join(p.read_text("utf-8") for p in out.rglob("*.html"))


def test_article_symlinked_from_outside_content_is_not_built(site, tmp_path, caplog):
    outside = tmp_path / "bi-mat.md"
    outside.write_text(article().replace("Kế hoạch tháng 3", "Bài BI-MAT-NGOAI"), "utf-8")
    os.symlink(outside, site / "bai-viet" / "bi-mat.md")
    write_article(site, article())
    out, failed, records = publish(site, tmp_path, caplog)
    assert failed
    assert "bai-viet/bi-mat.md" in texts(records)
    assert "ngoài thư mục content/" in texts(records)
    assert "BI-MAT-NGOAI" not in "".join(p.read_text("utf-8") for p in out.rglob("*.html"))


def test_a_symlink_loop_is_an_error_and_ends_fast(site, tmp_path, caplog):
    os.symlink("..", site / "files" / "vong")  # files/vong -> content/
    os.symlink(".", site / "bai-viet" / "lap")  # bai-viet/lap -> bai-viet/
    write_article(site, article("files/2024/ke-hoach.pdf"))
    start = time.monotonic()
    out, failed, records = publish(site, tmp_path, caplog)
    assert time.monotonic() - start < 30
    assert failed
    log = texts(records)
    assert "files/vong" in log and "bai-viet/lap" in log and "vòng lặp" in log
    assert published_files(out) == ["files/2024/ke-hoach.pdf"]
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 5_000_000


def test_symlink_inside_content_is_fine(site, tmp_path, caplog):
    os.symlink("2024/ke-hoach.pdf", site / "files" / "moi-nhat.pdf")
    write_article(site, article("files/moi-nhat.pdf"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    assert published_files(out) == ["files/moi-nhat.pdf"]
    assert not (out / "files" / "moi-nhat.pdf").is_symlink()


# --- names, sizes ----------------------------------------------------------------------------


def test_attachment_links_are_percent_encoded(site, tmp_path, caplog):
    name = "Kế hoạch #1 ?50% mới.pdf"
    (site / "files" / "2024" / name).write_bytes(pdf_bytes())
    write_article(site, article(f"files/2024/{name}"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    link = parse(out / ARTICLE_HTML).css_first(".attachments a")
    assert link.attributes["href"] == (
        "https://example.vn/files/2024/K%E1%BA%BF%20ho%E1%BA%A1ch%20%231%20%3F50%25%20m%E1%BB%9Bi.pdf"
    )
    assert link.text() == name
    assert (out / "files" / "2024" / name).is_file()


def test_empty_attachment_is_an_error(site, tmp_path, caplog):
    (site / "files" / "2024" / "rong.pdf").write_bytes(b"")
    write_article(site, article("files/2024/rong.pdf"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert failed
    assert "bai-viet/ke-hoach.md:4: tệp đính kèm 'files/2024/rong.pdf' rỗng" in texts(records)
    assert not (out / "files" / "2024" / "rong.pdf").exists()


def test_nfd_file_names_are_found(site, tmp_path, caplog):
    nfd = unicodedata.normalize("NFD", "Kế hoạch.pdf")
    (site / "files" / "2024" / nfd).write_bytes(pdf_bytes())
    photo = unicodedata.normalize("NFD", "toàn-cảnh.jpg")
    pf.camera_jpeg(site / "images" / "2024" / photo)
    write_article(
        site, article("files/2024/Kế hoạch.pdf", "![Hội trường](images/2024/toàn-cảnh.jpg)")
    )
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    assert "chữ hoa" not in texts(records)
    page = parse(out / ARTICLE_HTML)
    assert page.css_first(".attachments a").text() == "Kế hoạch.pdf"
    assert (out / "files" / "2024" / "Kế hoạch.pdf").is_file()
    assert page.css_first(".article-body img") is not None


# --- metadata --------------------------------------------------------------------------------


def test_image_attachment_is_published_without_metadata(site, tmp_path, caplog):
    pf.camera_jpeg(site / "files" / "2024" / "so-do.jpg", 800, 600, orientation=6)
    write_article(site, article("files/2024/so-do.jpg"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    published = out / "files" / "2024" / "so-do.jpg"
    data = published.read_bytes()
    assert pf.SECRET_PLACE.encode() not in data and pf.COMMENT not in data
    with Image.open(published) as im:
        assert not im.getexif() and im.size == (600, 800)  # turned upright
    row = [c.text() for c in parse(out / ARTICLE_HTML).css(".attachments td")]
    assert row[:2] == ["so-do.jpg", "JPG"]
    assert row[2] != "0 B"
    # Cached like photos: a second build makes nothing new.
    caplog.clear()
    publish(site, tmp_path, caplog)
    assert (out / "files" / "2024" / "so-do.jpg").read_bytes() == data


def test_office_and_pdf_metadata_is_reported_not_fatal(site, tmp_path, caplog):
    files = site / "files" / "2024"
    (files / "ke-hoach.pdf").write_bytes(pdf_bytes(author="Nguyễn Văn Soạn"))
    (files / "mau-don.docx").write_bytes(docx_bytes("Trần Thị Gõ"))
    write_article(site, article("files/2024/ke-hoach.pdf, files/2024/mau-don.docx"))
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    assert published_files(out) == ["files/2024/ke-hoach.pdf", "files/2024/mau-don.docx"]
    # Notes, not warnings: listed in the build's summary (a warning record, so staff see
    # it in `make publish` as in a preview) under GHI CHÚ.
    assert "Nguyễn Văn Soạn" not in texts([r for r in records if r.name != "build_report"])
    summary = texts([r for r in records if r.name == "build_report"])
    assert "Bản dựng có 0 lỗi và 0 cảnh báo, 2 ghi chú:" in summary
    assert "  - GHI CHÚ: " in summary
    assert "bai-viet/ke-hoach.md:4: tệp đính kèm 'files/2024/ke-hoach.pdf'" in summary
    assert "Nguyễn Văn Soạn" in summary and "Trần Thị Gõ" in summary


def test_gps_in_a_photo_inside_a_document_is_a_warning(site, tmp_path, caplog):
    photo = pf.camera_jpeg(tmp_path / "anh.jpg", 64, 48)
    (site / "files" / "2024" / "bao-cao.docx").write_bytes(docx_bytes("A", photo=photo))
    write_article(site, article("files/2024/bao-cao.docx"))
    _, failed, records = publish(site, tmp_path, caplog)
    assert failed
    assert "bai-viet/ke-hoach.md:4: tệp đính kèm 'files/2024/bao-cao.docx'" in texts(records)
    assert "GPS" in texts(records) and "word/media/image1.jpeg" in texts(records)


def test_draft_attachments_stay_out_of_publish(site, tmp_path, caplog):
    (site / "files" / "2024" / "nhap.pdf").write_bytes(pdf_bytes())
    write_article(site, article("files/2024/ke-hoach.pdf"))
    (site / "bai-viet" / "nhap.md").write_text(
        article("files/2024/nhap.pdf").replace("Category", "Status: draft\nCategory"), "utf-8"
    )
    out, failed, records = publish(site, tmp_path, caplog)
    assert not failed, texts(records)
    assert published_files(out) == ["files/2024/ke-hoach.pdf"]
