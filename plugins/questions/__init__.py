"""Citizens' questions (hỏi đáp): answered questions, one Markdown file each under
content/hoi-dap/, and the page saying how to ask.

- The header rules of the folder (logic.KEYS, REQUIRED, DATES) are handed to ward_reader
  when the build starts (WARD_READER["kinds"]), so a question is read like an article: NFC
  text, day-first dates, invisible characters removed, the body sanitised and typogrified,
  every header mistake reported as `file:line` in Vietnamese and the file left out.
- The generator reads them through Pelican's readers (class `Question`) and checks what
  the header rules cannot: who answered (`Answered-by:` an official's registry id, or the
  name of a body), the day asked not after the day answered, an answer written, personal
  data of the asker in `Question:` or `Area:` (a warning: `make publish` stops), two
  questions with one address.
- It writes the list (questions.html, newest answer first, paginated), a page per
  published question (question.html, marked for search with the filter category
  "Hỏi đáp"), the page on how to ask (question_ask.html, from the `WARD` settings), and,
  in the preview only, drafts, hidden and future-dated questions under ban-nhap/hoi-dap/.
  Its menu section is `nav_sections` order 30; the search page offers "Hỏi đáp" as a
  category while `questions_url` is in the context.
"""

import logging
import os
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator
from pelican.utils import slugify

from officials import RUNTIME_KEY as OFFICIALS_KEY
from ward_reader import add_content_kind, header_line
from ward_reader.header import parse_date
from ward_reader.reader import ContentError, display_path

from .logic import (
    DATES,
    KEYS,
    REQUIRED,
    answerer_id,
    newest_first,
    personal_data,
    suggestion,
)
from .settings import parse_settings

logger = logging.getLogger(__name__)

__all__ = ["register"]

OPTIONS_KEY = "_QUESTIONS_OPTIONS"
NAV_ORDER = 30
# Slugs a question may not take: the other pages of the section.
RESERVED_SLUGS = ("trang",)


def options_of(settings):
    options = settings.get(OPTIONS_KEY)
    return options if options is not None else parse_settings(settings)


def start(pelican):
    """Check QUESTIONS once; give ward_reader the folder's header rules; keep the folder out
    of the articles and pages; a page may not take the section's folder."""
    settings = pelican.settings
    options = parse_settings(settings)
    settings[OPTIONS_KEY] = options
    add_content_kind(
        settings, options["folder"], options["url"], keys=KEYS, required=REQUIRED, dates=DATES
    )
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated["questions"] = options["per_page"]
    settings["PAGINATED_TEMPLATES"] = paginated


class Question(Content):
    """One answered question: the title says what it is about, `question` is the question
    as asked (plain text), the content is the answer, the date the day it was answered."""

    mandatory_properties = ("title",)
    default_template = "question"
    default_status = "published"

    def __init__(self, content, metadata=None, settings=None, source_path=None, context=None):
        metadata = dict(metadata or {})
        metadata.pop("category", None)  # Pelican's DEFAULT_CATEGORY: articles only
        options = options_of(settings)
        if "slug" not in metadata and "title" in metadata:
            metadata["slug"] = slugify(
                metadata["title"],
                regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                preserve_case=False,
                use_unicode=False,
            )
        slug = metadata.get("slug") or ""
        metadata["url"] = options["question_url"].format(slug=slug)
        metadata["save_as"] = options["question_save_as"].format(slug=slug)
        super().__init__(content, metadata, settings, source_path, context)
        self.question = " ".join(str(metadata.get("question", "")).split())
        self.area = " ".join(str(metadata.get("area", "")).split())
        asked = parse_date(str(metadata.get("asked", "")))
        self.asked = asked.date() if asked else None
        self.answered_by = " ".join(str(metadata.get("answered-by", "")).split())
        self.answerer = None  # set by the generator: {"name", "title", "url"}
        # What lists, search results and link previews show: the question itself.
        self._summary = escape(self.question, quote=False)


# --- Messages to staff --------------------------------------------------------------------


def where(question, key):
    return f"{display_path(question.source_path)}:{header_line(question.source_path, key)}"


class QuestionsGenerator(Generator):
    """Reads content/hoi-dap/, checks each question, writes the section's pages."""

    def generate_context(self):
        options = options_of(self.settings)
        self.options = options
        # A site without the folder has no questions' pages and no menu entry.
        self.active = os.path.isdir(os.path.join(self.settings["PATH"], options["folder"]))
        self.published, self.unpublished, self.questions = [], [], []
        if not self.active:
            return
        found = self.settings.get("JINJA_GLOBALS", {}).get("L", {})
        label = found.get("nav_questions", "Hỏi đáp")
        self.context.setdefault("nav_sections", []).append(
            {"label": label, "url": options["url"], "order": NAV_ORDER}
        )
        self.context["questions_url"] = options["url"]
        self.context["questions_ask_url"] = options["ask_url"]
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        now = options["now"] or datetime.now(tz)
        if now.tzinfo is None:
            now = now.replace(tzinfo=tz)
        self.published, self.unpublished = [], []
        for question in self.read_questions(options):
            self.check(question)
            if question.status == "published" and question.date <= now:
                self.published.append(question)
            else:
                question.unpublished_status = (
                    question.status if question.status in ("draft", "hidden") else "future"
                )
                self.unpublished.append(question)
        self.published = newest_first(self.drop_duplicates(self.published))
        # Every question written (the photos and portal plugins publish what they use).
        self.questions = list(self.published)
        if self.settings.get("UNPUBLISHED", {}).get("write", True):
            for question in self.unpublished:
                question.override_url = options["draft_url"].format(slug=question.slug)
                question.override_save_as = options["draft_save_as"].format(slug=question.slug)
                self.questions.append(question)
        else:
            for question in self.unpublished:
                logger.info("Không đăng câu hỏi (bản nháp, ẩn hoặc hẹn giờ): %s",
                            question.source_path)  # fmt: skip
        for question in self.questions:
            question.others = [q for q in self.published if q is not question][: options["others"]]

    def read_questions(self, options):
        questions = []
        if not os.path.isdir(os.path.join(self.path, options["folder"])):
            return questions
        for path in self.get_files(options["folder"], extensions=("md", "markdown")):
            try:
                question = self.readers.read_file(
                    base_path=self.path, path=path, content_class=Question, context=self.context
                )
            except ContentError:
                continue  # reported by the reader, file and line
            except Exception as error:  # any mistake: the file is left out, said why
                logger.error(
                    "%s: không đọc được câu hỏi (%s). Hãy kiểm tra phần thông tin đầu tệp.",
                    display_path(os.path.join(self.path, path)),
                    error,
                )
                continue
            questions.append(question)
        return questions

    def check(self, question):
        """What only the plugin knows: who answered, the dates, the answer, personal data."""
        if question.slug in RESERVED_SLUGS or (
            self.options["question_url"].format(slug=question.slug) == self.options["ask_url"]
        ):
            logger.error(
                "%s: đường dẫn '%s' trùng một trang của mục Hỏi đáp. Hãy thêm một dòng 'Slug: "
                "...' khác, ví dụ 'Slug: %s-2'.",
                where(question, "slug" if "slug" in question.metadata else "title"),
                question.slug,
                question.slug,
            )
            question.status = "draft"  # not written in place of the other page
        self.check_answerer(question)
        if question.asked and question.asked > question.date.date():
            logger.error(
                "%s: ngày hỏi %s sau ngày trả lời %s (mục 'Date'). Hãy kiểm tra lại hai ngày.",
                where(question, "asked"),
                f"{question.asked:%d/%m/%Y}",
                f"{question.date:%d/%m/%Y}",
            )
        if not Markup(question._content or "").striptags().strip():
            logger.error(
                "%s: câu hỏi chưa có câu trả lời. Viết câu trả lời dưới phần thông tin đầu "
                "tệp, sau một dòng trống.",
                where(question, "date"),
            )
        for key, text, address in (
            ("question", question.question, False),
            ("area", question.area, True),
        ):
            found = personal_data(text, address=address)
            if found:
                logger.warning(
                    "%s: mục '%s' có vẻ ghi %s của người hỏi. Trang không đăng thông tin cá "
                    "nhân: hãy bỏ đi, hoặc viết chung (ví dụ 'Tổ dân phố số 9', 'một hộ dân').",
                    where(question, key),
                    key.capitalize(),
                    found,
                )

    def check_answerer(self, question):
        value = question.answered_by
        official_id = answerer_id(value)
        if official_id is None:
            question.answerer = {"name": value, "title": "", "url": ""}
            return
        runtime = self.settings.get(OFFICIALS_KEY)
        registry = runtime.registry if runtime is not None else None
        if registry is None or official_id not in registry:
            known = list(registry.officials) if registry is not None else []
            logger.error(
                "%s: mã cán bộ '%s' ở mục 'Answered-by' không có trong %s.%s Kiểm tra lại chính "
                "tả; hoặc ghi tên cơ quan trả lời, ví dụ 'Answered-by: Công an phường'.",
                where(question, "answered-by"),
                official_id,
                registry.path if registry is not None else "content/data/officials.yml",
                suggestion(official_id, known),
            )
            question.answerer = {"name": value, "title": "", "url": ""}
            return
        official = registry[official_id]
        question.answerer = {
            "name": official.name,
            "title": official.title_on(question.date.date()) or "",
            "url": runtime.options["url"].format(id=official_id),
        }

    def drop_duplicates(self, questions):
        """Two questions with one address: the one answered first is kept."""
        seen = {}
        kept = []
        for question in sorted(questions, key=lambda q: (q.date, q.source_path)):
            first = seen.get(question.save_as)
            if first is None:
                seen[question.save_as] = question
                kept.append(question)
                continue
            logger.error(
                "%s: câu hỏi này có cùng đường dẫn '%s' với %s; chỉ đăng câu hỏi kia. Hãy thêm "
                "một dòng 'Slug: %s-%s' (đường dẫn riêng).",
                where(question, "slug" if "slug" in question.metadata else "title"),
                question.url,
                where(first, "slug" if "slug" in first.metadata else "title"),
                question.slug,
                question.date.strftime("%Y"),
            )
        return kept

    def generate_output(self, writer):
        if not self.active:
            return
        options = self.options
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("question")
        for question in self.questions:
            writer.write_file(
                question.save_as,
                template,
                self.context,
                relative_urls=relative,
                template_name="question",
                url=question.url,
                question=question,
            )
        writer.write_file(
            options["save_as"],
            self.get_template("questions"),
            self.context,
            relative_urls=relative,
            paginated={"articles": self.published},
            template_name="questions",
            url=options["url"],
            questions_count=len(self.published),
        )
        writer.write_file(
            options["ask_save_as"],
            self.get_template("question_ask"),
            self.context,
            relative_urls=relative,
            template_name="question_ask",
            url=options["ask_url"],
        )


def get_generators(pelican):
    return QuestionsGenerator


def register():
    signals.initialized.connect(start)
    signals.get_generators.connect(get_generators)
