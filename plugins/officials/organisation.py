"""Who holds which post today, by body: the officials index, the organisation page
(/co-cau-to-chuc/), the English pages (/en/, /en/organisation/, /en/contacts/) and the
messages staff get about what those pages miss.

The pure part (Post, Section, the section builders, tel_href) knows nothing of Pelican; the
writer functions at the end are called by the plugin's generator.
"""

import logging
import os
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .matching import group_of

logger = logging.getLogger(__name__)

# Portrait widths made for the pages (px; none wider than the photo itself): a card shows
# it 6 rem wide, an official's page 10 rem, so 480 covers a 3x screen.
PORTRAIT_WIDTHS = (160, 320, 480)
CARD_SIZES = "6rem"
PAGE_SIZES = "10rem"
OTHER = "khac"  # key of the section of posts without a body, on the English pages


@dataclass(frozen=True)
class Post:
    """A post as the pages show it: held today, or (`former`) the last one held."""

    title: str
    title_en: str | None
    body: str | None  # the body's key; None when the registry names none
    start: date
    end: date | None
    line: int  # the position's line in the registry
    former: bool = False


@dataclass
class Section:
    """A heading of the index or the organisation page and the (person, post) under it."""

    key: str
    name: str
    name_en: str = ""
    about: str = ""
    about_en: str = ""
    entries: list = field(default_factory=list)  # [(OfficialPage, Post)]


def post_of(position, former=False):
    return Post(
        position.title,
        position.title_en,
        position.body,
        position.start,
        position.end,
        position.line,
        former,
    )


def posts_on(official, day):
    """The Posts `official` holds on `day`, in the order the registry lists them."""
    return [post_of(p) for p in sorted(official.positions_on(day), key=lambda p: p.line)]


def last_post(official, day):
    """The post held last before `day` (for the index's former officials), or None."""
    ended = [p for p in official.positions if p.end is not None and p.end < day]
    if not ended:
        return None
    return post_of(max(ended, key=lambda p: (p.end, p.start)), former=True)


def tel_href(phone):
    """'024 3877 1234' -> 'tel:02438771234' (the + of an international number kept)."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def sections(people, bodies, groups, *, former_label=None, other_label="Cán bộ khác"):
    """[Section] of the people holding a post today: one per body (OFFICIALS["bodies"],
    in that order) holding any, a person under every body they hold a post in; then the
    index groups (title words) of posts written without a body; then, when `former_label`
    is given, the people who hold none today under it. Empty sections are left out.

    `people`: objects with `posts` (today's Posts, registry order) and `last` (a former
    Post or None), in the order of the registry."""
    by_body = {b["key"]: Section(b["key"], b["name"], b["name_en"], b["about"], b["about_en"])
               for b in bodies}  # fmt: skip
    legacy = {label: Section(f"nhom-{number}", label) for number, (label, _) in enumerate(groups)}
    former = Section("nguyen", former_label or "")
    for person in people:
        for post in person.posts:
            if post.body in by_body:
                by_body[post.body].entries.append((person, post))
                continue
            label = group_of(post.title, groups) or other_label
            if label not in legacy:
                legacy[label] = Section(f"nhom-{len(legacy)}", label)
            legacy[label].entries.append((person, post))
        if not person.posts and person.last and former_label:
            former.entries.append((person, person.last))
    found = [*by_body.values(), *legacy.values(), former]
    return [s for s in found if s.entries]


def english_sections(people, bodies, other_name_en):
    """The Sections of the English organisation page: the bodies in order, then one section
    (`other_name_en`) for every post written without a body."""
    by_body = {b["key"]: Section(b["key"], b["name"], b["name_en"], b["about"], b["about_en"])
               for b in bodies}  # fmt: skip
    other = Section(OTHER, "", other_name_en)
    for person in people:
        for post in person.posts:
            by_body.get(post.body, other).entries.append((person, post))
    return [s for s in (*by_body.values(), other) if s.entries]


def english_title_problems(people, registry_path):
    """['file:line: ...' for each post held today without an English title]."""
    out = []
    for person in people:
        for post in person.posts:
            if not post.title_en:
                out.append(
                    f"{registry_path}:{post.line}: chức vụ '{post.title}' của {person.name} "
                    f"(mã {person.id}) chưa có tên tiếng Anh: các trang tiếng Anh đang hiện tên "
                    "tiếng Việt. Thêm một dòng 'title_en:' dưới dòng 'title:', ví dụ "
                    "'title_en: Vice Chairman of the Ward People's Committee'."
                )
    return out


def bodiless_lines(people):
    """The registry lines of posts held today that name no body."""
    return sorted({post.line for person in people for post in person.posts if not post.body})


def read_about(path):
    """(HTML of the Markdown file at `path`, problem or None): the English text about the
    ward, cleaned like an article's body (ward_reader's allowlist)."""
    import markdown

    try:
        with open(path, encoding="utf-8-sig") as f:
            text = unicodedata.normalize("NFC", f.read())
    except FileNotFoundError:
        return "", "not found"
    except (OSError, UnicodeDecodeError) as error:
        return "", str(error)
    html = markdown.markdown(text, extensions=["extra"], output_format="html")
    try:
        from ward_reader.sanitize import clean_body
    except ImportError:  # the site runs without ward_reader: Markdown's HTML as it is
        return html, None
    return clean_body(html), None


# --- Writing the pages (called by the plugin's generator) --------------------------------


@dataclass
class EnglishPages:
    """URLs of the English pages under OFFICIALS["english_url"]."""

    home: str
    organisation: str
    contacts: str

    @classmethod
    def under(cls, base):
        return cls(base, f"{base}organisation/", f"{base}contacts/")


def lang_alternates(options):
    """{page URL: {lang: URL of the page in that language}}: the pairs of pages that say
    the same in Vietnamese and English (base.html writes the hreflang links and the
    language link from it)."""
    if not options["english_url"]:
        return {}
    en = EnglishPages.under(options["english_url"])
    pairs = [("", en.home)]
    if options["organisation_url"]:
        pairs.append((options["organisation_url"], en.organisation))
    out = {}
    for vi, english in pairs:
        out[vi] = out[english] = {"vi": vi, "en": english}
    return out


def write_pages(generator, writer, options):
    """The organisation page, the pages of moved URLs and the English pages."""
    settings = generator.settings
    common = {"relative_urls": settings["RELATIVE_URLS"]}
    org_url = options["organisation_url"]
    if org_url:
        writer.write_file(
            f"{org_url}index.html",
            generator.get_template("organisation"),
            generator.context,
            url=org_url,
            organisation_sections=generator.organisation_sections,
            **common,
        )
        for moved in options["moved_urls"]:
            writer.write_file(
                f"{moved}index.html",
                generator.get_template("moved"),
                generator.context,
                url=moved,
                moved_to=org_url,
                **common,
            )
    base = options["english_url"]
    if not base:
        return
    en = EnglishPages.under(base)
    about, problem = read_about(os.path.join(settings["PATH"], options["english_about"]))
    if problem:
        shown = os.path.relpath(os.path.join(settings["PATH"], options["english_about"]))
        logger.warning(
            "%s:1: không đọc được đoạn giới thiệu phường bằng tiếng Anh cho trang /%s (%s). "
            "Hãy tạo tệp này (Markdown, lưu dạng UTF-8), hoặc sửa OFFICIALS['english_about'] "
            "trong pelicanconf.py.",
            shown,
            base,
            problem,
        )
    contacts = []
    seen = set()
    for section in generator.english_sections:
        for person, _post in section.entries:
            if person.id not in seen:
                seen.add(person.id)
                contacts.append(person)
    pages = (
        ("en_home", en.home, {"about_html": about}),
        ("en_organisation", en.organisation, {"english_sections": generator.english_sections}),
        ("en_contacts", en.contacts, {"contact_people": contacts}),
    )
    for template, url, extra in pages:
        writer.write_file(
            f"{url}index.html",
            generator.get_template(template),
            generator.context,
            url=url,
            en_pages=en,
            **extra,
            **common,
        )
