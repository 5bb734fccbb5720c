"""Documents (văn bản): one Markdown file per document under content/van-ban/.

- The header rules of the folder (keys, required keys, dates) are handed to ward_reader
  when the build starts, so a document is read like an article: NFC text, day-first dates,
  every header mistake reported with `file:line` in Vietnamese; the folder is kept out of
  the articles and pages.
- The generator reads the documents through Pelican's readers (class `Document`), checks
  what only the whole collection knows (type, signer, file, a number used twice, a
  `Replaced-by` that is not a document), works out each one's status on the day of the
  build (in force, not yet, expired, replaced), links the document numbers written in
  articles and pages to their document and fills `article.documents` from `Documents:`.
- It writes the list (`documents.html`) and its filter pages by year, type and issuer,
  a page per document (`document.html`), the Atom feed when `feed_atom` is set
  (publishconf.py), and, in the preview only, unpublished documents under ban-nhap/.
  The document's file is published by the portal plugin (files.py), as attachments are.
"""

import difflib
import logging
import os
import time
from datetime import datetime
from html import escape
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from officials import RUNTIME_KEY as OFFICIALS_KEY
from officials import _forget_rendered, official_url
from portal.files import use
from portal.logic import attachment
from portal.logic import parse_settings as portal_settings
from ward_reader import add_content_kind, header_line
from ward_reader.header import parse_date
from ward_reader.reader import ContentError, display_path

from .logic import (
    ascii_slug,
    fold_number,
    is_number,
    link_numbers,
    pick,
    split_numbers,
    status_of,
)
from .settings import parse_settings

logger = logging.getLogger(__name__)

OPTIONS_KEY = "_DOCUMENTS_OPTIONS"
# The header of a document (lower case): every key, those required, the dates.
KEYS = ("number", "type", "issuer", "signer", "issued", "effective", "expires", "replaced-by",
        "file", "status")  # fmt: skip
REQUIRED = ("number", "type", "issuer", "signer", "issued", "file")
DATES = ("issued", "effective", "expires")
EXAMPLE = "Number: 12/TB-UBND"
# Lists of the articles and pages generators whose items may name documents.
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")


def options_of(settings):
    return settings[OPTIONS_KEY]


def start(pelican):
    """Check DOCUMENTS once; give ward_reader the folder's header rules; keep the folder out
    of the articles and pages."""
    settings = pelican.settings
    options = parse_settings(settings)
    settings[OPTIONS_KEY] = options
    # A page may not take the list's folder (van-ban/).
    add_content_kind(
        settings, options["path"], options["url"], keys=KEYS, required=REQUIRED, dates=DATES
    )


class Document(Content):
    """One document. Its title is its type and number ("Quyết định số 45/QĐ-UBND"), its
    date the day it was issued, its content the abstract (trích yếu)."""

    mandatory_properties = ("title",)
    default_template = "document"
    default_status = "published"

    def __init__(self, content, metadata=None, settings=None, source_path=None, context=None):
        metadata = dict(metadata or {})
        metadata.pop("category", None)  # Pelican's DEFAULT_CATEGORY: articles only
        options = options_of(settings)
        number = str(metadata.get("number", "")).strip()
        kind = str(metadata.get("type", "")).strip()
        issued = parse_date(str(metadata.get("issued", ""))) or datetime(1970, 1, 1)
        # Pelican's titles are HTML: the number is kept on one line (a narrow screen would
        # break "45/QĐ-" from "UBND").
        metadata["title"] = (
            f'{escape(kind, quote=False)} số <span class="nowrap">{escape(number)}</span>'
        )
        metadata["slug"] = ascii_slug(number) or "van-ban"
        metadata["date"] = issued
        fields = {"year": f"{issued:%Y}", "slug": metadata["slug"]}
        metadata["url"] = options["document_url"].format(**fields)
        metadata["save_as"] = options["document_save_as"].format(**fields)
        super().__init__(content, metadata, settings, source_path, context)
        self.number = number
        self.type = kind
        self.issuer = str(metadata.get("issuer", "")).strip()
        self.issued = issued.date()
        self.effective = self._day("effective")
        self.expires = self._day("expires")
        self.replaced_by = None  # the Document, once the collection is known
        self.replaces = []
        self.signer_info = None
        self.file = None
        self.validity = None
        self.articles = []
        self.abstract = " ".join(Markup(content or "").striptags().split())
        self._summary = escape(self.abstract, quote=False)

    def _day(self, key):
        parsed = parse_date(str(self.metadata.get(key) or ""))
        return parsed.date() if parsed else None


# --- Messages to staff --------------------------------------------------------------------


def where(item, key):
    return f"{display_path(item.source_path)}:{header_line(item.source_path, key)}"


def warn(item, key, message, *args):
    logger.warning("%s: " + message, where(item, key), *args)


def suggestion(value, choices):
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" Có phải ý bạn là '{close[0]}'?" if close else ""


# --- The generator -----------------------------------------------------------------------


class DocumentsGenerator(Generator):
    """Reads content/van-ban/, links articles to documents, writes the documents' pages."""

    def generate_context(self):
        options = options_of(self.settings)
        self.options = options
        self.documents = []  # every document written (portal.files publishes their files)
        self.published = []
        self.unpublished = []
        self.groups = {}
        # A site without the folder has no documents' pages and no menu entry (articles
        # are still checked: a `Documents:` line names documents that are not there).
        self.active = os.path.isdir(os.path.join(self.path, options["path"]))
        # The menu's label is the theme's (labels.yml), like every label a reader sees.
        self.label = self.settings.get("JINJA_GLOBALS", {}).get("L", {}).get("documents", "")
        if self.active:
            self.context.setdefault("nav_sections", []).append(
                {"label": self.label, "url": options["url"], "order": options["nav_order"]}
            )
            self.context["documents_url"] = options["url"]
            if options["feed_atom"]:
                self.context["documents_feed"] = options["feed_atom"]
        documents = self.read_documents(options) if self.active else []
        now = datetime.now(ZoneInfo(self.settings.get("TIMEZONE") or "UTC"))
        today = now.date()
        for document in documents:
            if document.status == "published" and document.date <= now:
                self.published.append(document)
            else:
                document.unpublished_status = (
                    "hidden" if document.status == "hidden"
                    else "draft" if document.status == "draft"
                    else "future"
                )  # fmt: skip
                self.unpublished.append(document)
        self.published = self.drop_duplicates(self.published)
        self.published.sort(key=lambda d: (d.issued, d.number), reverse=True)
        index = {}
        for document in sorted(self.published, key=lambda d: d.issued):
            index.setdefault(fold_number(document.number), []).append((document.issued, document))
        self.index = index
        unpublished = {fold_number(d.number) for d in self.unpublished}
        for document in documents:  # duplicates too: every mistake is told at once
            self.check(document, options)
        for document in [*self.published, *self.unpublished]:
            self.link_replacement(document, index, unpublished)
        for document in [*self.published, *self.unpublished]:
            replaced = document.replaced_by is not None
            document.validity = status_of(document.effective, document.expires, replaced, today)
        self.link_contents(index, unpublished, options)
        self.documents = [*self.published]
        unpublished_write = self.settings.get("UNPUBLISHED", {}).get("write", True)
        if unpublished_write:
            for document in self.unpublished:
                fields = {"year": f"{document.issued:%Y}", "slug": document.slug}
                document.override_url = options["draft_url"].format(**fields)
                document.override_save_as = options["draft_save_as"].format(**fields)
                self.documents.append(document)
        else:
            for document in self.unpublished:
                logger.info("Không xuất bản văn bản (bản nháp hoặc hẹn giờ): %s",
                            document.source_path)  # fmt: skip
        self.groups = self.make_groups(options)

    def read_documents(self, options):
        documents = []
        for path in self.get_files(options["path"], extensions=("md", "markdown")):
            try:
                document = self.readers.read_file(
                    base_path=self.path,
                    path=path,
                    content_class=Document,
                    context=self.context,
                )
            except ContentError:
                continue  # reported by the reader, file and line
            except Exception as error:
                logger.error(
                    "%s: không đọc được văn bản (%s). Hãy kiểm tra phần thông tin đầu tệp.",
                    display_path(os.path.join(self.path, path)),
                    error,
                )
                continue
            documents.append(document)
        return documents

    def drop_duplicates(self, documents):
        """One number issued twice in one year: the file read first (by path) is kept."""
        seen = {}
        kept = []
        for document in sorted(documents, key=lambda d: d.source_path):
            key = (fold_number(document.number), document.issued.year)
            first = seen.get(key)
            if first is None:
                seen[key] = document
                kept.append(document)
                continue
            warn(
                document, "number",
                "số văn bản '%s' năm %d đã dùng ở %s. Chỉ văn bản kia được đăng. Hãy sửa số ở một "
                "trong hai tệp (số văn bản mỗi năm chỉ dùng một lần), hoặc xóa tệp bị trùng.",
                document.number, document.issued.year, where(first, "number"),
            )  # fmt: skip
        return kept

    def check(self, document, options):
        """What only the collection and the registry can tell; the document stays."""
        if not is_number(document.number):
            warn(
                document, "number",
                "số văn bản '%s' không đúng dạng: viết số, dấu '/', rồi ký hiệu, ví dụ "
                "'12/TB-UBND' hoặc '12/2024/QĐ-UBND' (không có chữ 'Số:').",
                document.number,
            )  # fmt: skip
        if document.type not in options["types"]:
            warn(
                document, "type",
                "loại văn bản '%s' không có trong danh sách.%s Các loại: %s.",
                document.type, suggestion(document.type, options["types"]),
                ", ".join(options["types"]),
            )  # fmt: skip
        if not document.abstract:
            warn(
                document, "number",
                "văn bản chưa có trích yếu. Sau phần thông tin đầu tệp và một dòng trống, "
                "hãy viết trích yếu (nội dung chính của văn bản, một hai câu).",
            )  # fmt: skip
        if document.expires and document.expires <= (document.effective or document.issued):
            warn(
                document, "expires",
                "ngày hết hiệu lực %s không sau ngày có hiệu lực. Kiểm tra lại ngày, tháng, năm.",
                f"{document.expires:%d/%m/%Y}",
            )  # fmt: skip
        self.check_signer(document)
        self.check_file(document, options)

    def check_signer(self, document):
        signer = str(document.metadata.get("signer", "")).strip()
        runtime = self.settings.get(OFFICIALS_KEY)
        if runtime is None:
            return
        if signer not in runtime.registry:
            warn(
                document, "signer",
                "mã cán bộ '%s' ở mục 'Signer' không có trong %s.%s Hãy viết mã của người ký "
                "trong danh sách cán bộ (ví dụ 'Signer: vu-trong-thu'), hoặc thêm người này "
                "vào danh sách.",
                signer, runtime.registry.path, suggestion(signer, runtime.registry.officials),
            )  # fmt: skip
            return
        official = runtime.registry[signer]
        document.signer_info = SimpleNamespace(
            id=official.id,
            name=official.name,
            title=official.title_on(document.issued),
            url=official_url(runtime.options, official.id),
        )

    def check_file(self, document, options):
        path = str(document.metadata.get("file", "")).strip()
        folder = portal_settings(self.settings)["attachments_dir"]
        found, problem = attachment(path, self.path, folder)
        if problem is None and found.kind not in options["file_types"]:
            problem = (
                f"tệp văn bản '{path}' là tệp {found.kind}; văn bản chỉ nhận tệp "
                f"{', '.join(options['file_types'])}. Hãy lưu văn bản sang PDF."
            )
        if problem:
            warn(document, "file", "%s", problem)
            return
        document.file = found
        use(document, found, header_line(document.source_path, "file"))

    def link_replacement(self, document, index, unpublished):
        value = str(document.metadata.get("replaced-by", "") or "").strip()
        if not value:
            return
        key = fold_number(value)
        candidates = index.get(key)
        if not candidates:
            warn(
                document,
                "replaced-by",
                "%s",
                unknown_number(value, "Replaced-by", key in unpublished),
            )
            return
        replacement = pick(candidates, document.issued, after=True)
        if replacement is document:
            warn(
                document, "replaced-by",
                "văn bản không thể bị thay thế bởi chính nó ('%s'). Hãy ghi số của văn bản mới.",
                value,
            )  # fmt: skip
            return
        document.replaced_by = replacement
        replacement.replaces.append(document)

    def link_contents(self, index, unpublished, options):
        """Numbers in the articles' and pages' HTML linked; `Documents:` read."""
        began, cpu = time.perf_counter(), time.process_time()
        siteurl = self.settings.get("SITEURL", "")
        seen = set()
        count = 0
        for name in CONTENT_LISTS:
            for item in self.context.get(name, None) or []:
                if id(item) in seen:
                    continue
                seen.add(id(item))
                count += 1
                day = item.date.date() if getattr(item, "date", None) else None
                listed = self.listed_documents(item, index, unpublished, day)
                item.documents = listed
                mentioned = []
                if options["link_numbers"] and index and item._content:

                    def find(key, day=day, mentioned=mentioned):
                        return self.find(index, key, day, siteurl, mentioned)

                    content, linked = link_numbers(item._content, find, options["link_class"])
                    if linked:
                        item._content = content
                        _forget_rendered(item)
                if getattr(item, "status", "published") == "published" and name in (
                    "articles", "pages"
                ):  # fmt: skip
                    for document in dict.fromkeys([*listed, *mentioned]):
                        document.articles.append(item)
        if options["link_numbers"] and index:
            for document in [*self.published, *self.unpublished]:  # the abstracts too
                content, linked = link_numbers(
                    document._content,
                    lambda key, day=document.issued: self.find(index, key, day, siteurl),
                    options["link_class"],
                )
                if linked:
                    document._content = content
                    _forget_rendered(document)
        for document in self.published:
            document.articles.sort(key=lambda a: getattr(a, "date", datetime.min).isoformat(),
                                   reverse=True)  # fmt: skip
        logger.info(
            "documents: linked numbers of %d documents in %d articles and pages in %.3f s "
            "(CPU %.3f s)",
            len(self.published), count, time.perf_counter() - began, time.process_time() - cpu,
        )  # fmt: skip

    @staticmethod
    def find(index, key, day, siteurl, mentioned=None):
        """The URL of the document a folded number means on `day`, or None."""
        candidates = index.get(key)
        if not candidates:
            return None
        chosen = pick(candidates, day) if day else candidates[-1][1]
        if mentioned is not None:
            mentioned.append(chosen)
        return f"{siteurl}/{chosen.url}"

    def listed_documents(self, item, index, unpublished, day):
        """The documents of an article's `Documents:` line; unknown numbers reported."""
        value = item.metadata.get("documents")
        found = []
        for number in split_numbers(value):
            key = fold_number(number)
            candidates = index.get(key)
            if not candidates:
                warn(
                    item, "documents", "%s", unknown_number(number, "Documents", key in unpublished)
                )
                continue
            document = pick(candidates, day) if day else candidates[-1][1]
            if document not in found:
                found.append(document)
        return found

    def make_groups(self, options):
        """The filter pages of each type, year and issuer: {kind: [group]}, each group with
        its name, url, save_as, documents (newest first) and count. Names are grouped by
        their slug ("UBND Phường…" and "UBND phường…" are one issuer, one page)."""
        keys = {
            "type": lambda d: ascii_slug(d.type) or "khac",
            "year": lambda d: str(d.issued.year),
            "issuer": lambda d: ascii_slug(d.issuer) or "khac",
        }
        order = {ascii_slug(name): i for i, name in enumerate(options["types"])}
        sort = {
            "type": lambda g: (order.get(g.slug, len(order)), g.slug),
            "year": lambda g: -int(g.slug),
            "issuer": lambda g: (-g.count, g.slug),
        }
        groups = {}
        for kind, key in keys.items():
            found = {}
            for document in self.published:
                slug = key(document)
                if slug not in found:
                    name = str(document.issued.year) if kind == "year" else getattr(document, kind)
                    fields = {"slug": slug, "year": slug}
                    found[slug] = SimpleNamespace(
                        kind=kind, slug=slug, name=name, documents=[], count=0,
                        url=options[f"{kind}_url"].format(**fields),
                        save_as=options[f"{kind}_save_as"].format(**fields),
                    )  # fmt: skip
                group = found[slug]
                group.documents.append(document)
                group.count += 1
                setattr(document, f"{kind}_url", group.url)
            groups[kind] = sorted(found.values(), key=sort[kind])
        return groups

    def generate_output(self, writer):
        options = self.options
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("document")
        for document in self.documents:
            writer.write_file(
                document.save_as, template, self.context, relative_urls=relative,
                template_name="document", url=document.url, document=document,
            )  # fmt: skip
        if not self.active:
            return
        listing = self.get_template("documents")
        pages = [(None, options["url"], options["save_as"], self.published)]
        pages += [
            (group, group.url, group.save_as, group.documents)
            for kind in ("type", "year", "issuer")
            for group in self.groups[kind]
        ]
        for current, url, save_as, documents in pages:
            writer.write_file(
                save_as, listing, self.context, relative_urls=relative,
                template_name="documents", url=url, document_list=documents,
                document_filter=current, document_groups=self.groups,
            )  # fmt: skip
        if options["feed_atom"]:  # Pelican titles it "<SITENAME> - <feed_title>"
            writer.write_feed(
                self.published, self.context, options["feed_atom"], feed_title=self.label
            )


def unknown_number(number, key, unpublished):
    if unpublished:
        return (
            f"văn bản số '{number}' ở mục '{key}' chưa được đăng (bản nháp hoặc ngày ban hành "
            "ở tương lai). Hãy đăng văn bản đó trước, hoặc bỏ số này khỏi dòng."
        )
    return (
        f"số văn bản '{number}' ở mục '{key}' không có trong thư mục văn bản (content/van-ban/). "
        "Kiểm tra lại số (ví dụ '12/TB-UBND'), hoặc thêm tệp của văn bản đó vào thư mục này."
    )


def get_generators(pelican):
    return DocumentsGenerator


def register():
    signals.initialized.connect(start)
    signals.get_generators.connect(get_generators)
