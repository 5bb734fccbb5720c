"""Work calendar (lịch công tác): the leaders' week, from one YAML file per ISO week.

- reads `content/lich-cong-tac/<year>-W<week>.yml` (week.py: format and checks); every
  mistake is logged as `file:line: message` in Vietnamese, the entry left out;
- writes a page per week (`lich-cong-tac/2026-w49/`, template calendar.html) for every week
  with a file and for the weeks before and after this one, each linking to the week before
  and after it, and `lich-cong-tac/` showing this week;
- puts into the context `calendar_today` (the build's day, Asia/Ho_Chi_Minh, or
  WORK_CALENDAR["today"]) and `calendar_home` (today's and tomorrow's entries for the home
  page, None when both days are empty), and its menu section (`nav_sections`, order 20);
- writes the iCalendar feed `lich-cong-tac/lich.ics` (feed.py) when its bytes changed,
  and claims it for the publish manifest.

"This week" depends on the day of the build: every page is given the values it shows (the
week, the day) explicitly, so the incremental plugin renders it again when the day moves
it, and a build on another day is right.
"""

import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from officials import RUNTIME_KEY, display_path
from ward_reader.settings import DEFAULTS as READER_DEFAULTS

from .feed import FeedEvent, calendar_bytes
from .settings import parse_settings
from .week import read_week, week_days, week_key, week_of

logger = logging.getLogger(__name__)

__all__ = ["register"]

NAV_ORDER = 20
LABEL_DEFAULTS = {
    "nav_calendar": "Lịch công tác",
    "calendar_leaders": "Chủ trì",
    "calendar_participants": "Thành phần",
    "calendar_week_page": "Lịch tuần",
}


@dataclass(frozen=True)
class Leader:
    id: str
    name: str
    title: str  # the title held on the entry's day ('' when none)
    url: str  # the official's page ('' when there is none)


@dataclass(frozen=True)
class Item:
    """An entry as the pages show it: plain values only (the page digests are theirs)."""

    day: date
    start: str  # "08:00"; "" for the whole day
    end: str  # "11:30", or ""
    start_iso: str
    end_iso: str
    content: str
    place: str
    participants: str
    leaders: tuple


@dataclass(frozen=True)
class Day:
    day: date
    items: tuple


@dataclass(frozen=True)
class WeekLink:
    key: str
    year: int
    number: int
    first: date
    last: date
    url: str


@dataclass(frozen=True)
class WeekPage:
    key: str  # 2026-W49
    year: int
    number: int
    first: date  # Monday
    last: date  # Sunday
    url: str
    save_as: str
    published: bool  # the week has a file with entries
    days: tuple  # Days: Monday to Friday always, Saturday and Sunday when they have entries
    is_current: bool
    previous: WeekLink | None
    next: WeekLink | None


@dataclass(frozen=True)
class HomeDay:
    label: str  # "today" or "tomorrow" (the template's label keys)
    day: date
    items: tuple


def start(pelican):
    """Check WORK_CALENDAR once, when the build starts (a wrong one stops it); a page may
    not take the calendar's folder."""
    settings = pelican.settings
    options = settings["WORK_CALENDAR"] = parse_settings(settings)
    reader = dict(settings.get("WARD_READER") or {})
    reserved = list(reader.get("reserved", READER_DEFAULTS["reserved"]))
    first = options["url"].split("/", 1)[0]
    if first and first not in reserved:
        reader["reserved"] = [*reserved, first]
        settings["WARD_READER"] = reader


def options_of(settings):
    given = settings.get("WORK_CALENDAR")
    if isinstance(given, dict) and given.keys() == parse_settings({}).keys():
        return given
    return parse_settings(settings)


def labels(settings):
    found = (settings.get("JINJA_GLOBALS") or {}).get("L") or {}
    return {key: found.get(key, default) for key, default in LABEL_DEFAULTS.items()}


def build_day(settings, options):
    if options["today"] is not None:
        return options["today"]
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def read_files(folder, known_ids, registry_path):
    """{(year, week): (entries, path, mtime)} of the week files in `folder`; mistakes
    logged."""
    weeks = {}
    if not os.path.isdir(folder):
        return weeks
    root = os.path.realpath(folder)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(".") or not name.endswith((".yml", ".yaml")):
            continue
        if not os.path.isfile(path) or not os.path.realpath(path).startswith(root + os.sep):
            continue  # a link out of the folder (ward_reader reports links out of content/)
        with open(path, "rb") as f:
            raw = f.read()
        entries, problems = read_week(raw, name, known_ids, registry_path)
        for line, message in problems:
            logger.error("%s:%d: %s", display_path(path), line, message)
        week = week_of(name)
        if week is None:
            continue
        if week in weeks:
            logger.error(
                "%s:1: tuần %s đã có tệp %s; mỗi tuần chỉ một tệp. Hãy gộp hai tệp làm một.",
                display_path(path),
                week_key(*week),
                display_path(weeks[week][1]),
            )
            continue
        weeks[week] = (entries, path, os.stat(path).st_mtime)
    return weeks


def _clock(value):
    return value.strftime("%H:%M") if value else ""


def make_item(entry, leader_of, tzinfo):
    if entry.start is None:
        start_iso = entry.day.isoformat()
        end_iso = ""
    else:
        start_iso = datetime.combine(entry.day, entry.start, tzinfo).isoformat(timespec="minutes")
        end_iso = (
            datetime.combine(entry.day, entry.end, tzinfo).isoformat(timespec="minutes")
            if entry.end
            else ""
        )
    return Item(
        day=entry.day,
        start=_clock(entry.start),
        end=_clock(entry.end),
        start_iso=start_iso,
        end_iso=end_iso,
        content=entry.content,
        place=entry.place,
        participants=entry.participants,
        leaders=tuple(leader_of(i, entry.day) for i in entry.leaders),
    )


def _order(entry):
    # The whole-day entries first, then by start time; the file's order otherwise.
    return (entry.day, entry.start is not None, entry.start or datetime.min.time())


def make_days(first, entries, leader_of, tzinfo):
    by_day = {}
    for entry in sorted(entries, key=_order):
        by_day.setdefault(entry.day, []).append(make_item(entry, leader_of, tzinfo))
    days = []
    for offset in range(7):
        day = first + timedelta(days=offset)
        items = tuple(by_day.get(day, ()))
        if offset < 5 or items:
            days.append(Day(day, items))
    return tuple(days)


def uids(entries, domain):
    """{id(entry): UID}: the day and start time, and which entry of that day and time it is
    in the file. The same file gives the same UIDs in every build; editing an entry's text
    keeps its UID (calendar apps update it in place)."""
    seen = {}
    found = {}
    for entry in entries:
        when = f"{entry.day:%Y%m%d}" + (f"T{entry.start:%H%M}" if entry.start else "")
        seen[when] = seen.get(when, 0) + 1
        found[id(entry)] = f"lich-cong-tac-{when}-{seen[when]}@{domain}"
    return found


class WorkCalendarGenerator(Generator):
    def generate_context(self):
        settings = self.settings
        options = options_of(settings)
        self.options = options
        self.pages = []
        # A site without the folder has no calendar pages, feed, home box or menu entry.
        if not os.path.isdir(os.path.join(settings["PATH"], options["folder"])):
            return
        self.tzinfo = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.today = today = build_day(settings, options)
        self.labels = labels(settings)
        runtime = settings.get(RUNTIME_KEY)
        registry = runtime.registry if runtime is not None else None
        known = list(registry.officials) if registry is not None else []
        registry_path = registry.path if registry is not None else "content/data/officials.yml"
        folder = os.path.join(settings["PATH"], options["folder"])
        self.weeks = read_files(folder, known, registry_path)
        leader_cache = {}

        def leader_of(official_id, day):
            key = (official_id, day)
            if key not in leader_cache:
                official = registry[official_id]
                url = runtime.options["url"].format(id=official_id)
                leader_cache[key] = Leader(
                    official_id, official.name, official.title_on(day) or "", url
                )
            return leader_cache[key]

        self.leader_of = leader_of
        this_week = today.isocalendar()[:2]
        this_monday = week_days(*this_week)[0]
        mondays = {week_days(*w)[0] for w in self.weeks}
        mondays |= {this_monday + timedelta(days=d) for d in (-7, 0, 7)}
        ordered = sorted(mondays)
        links = [self._link(m) for m in ordered]
        self.pages = []
        for index, monday in enumerate(ordered):
            week = monday.isocalendar()[:2]
            entries = self.weeks.get(week, ((), None, None))[0]
            link = links[index]
            self.pages.append(
                WeekPage(
                    key=link.key,
                    year=link.year,
                    number=link.number,
                    first=link.first,
                    last=link.last,
                    url=link.url,
                    save_as=options["week_save_as"].format(week=link.key.lower()),
                    published=bool(entries),
                    days=make_days(monday, entries, leader_of, self.tzinfo),
                    is_current=week == this_week,
                    previous=links[index - 1] if index else None,
                    next=links[index + 1] if index + 1 < len(links) else None,
                )
            )
        self.current = next(p for p in self.pages if p.is_current)
        self.context["calendar_today"] = today
        self.context["calendar_home"] = self._home(today)
        self.context["calendar_url"] = options["url"]
        self.context["calendar_feed_url"] = options["feed_save_as"]
        self.context.setdefault("nav_sections", []).append(
            {"label": self.labels["nav_calendar"], "url": options["url"], "order": NAV_ORDER}
        )

    def _link(self, monday):
        year, number = monday.isocalendar()[:2]
        key = week_key(year, number)
        return WeekLink(
            key,
            year,
            number,
            monday,
            monday + timedelta(days=6),
            self.options["week_url"].format(week=key.lower()),
        )

    def _home(self, today):
        """Today's and tomorrow's entries, or None when neither day has any."""
        found = []
        for label, day in (("today", today), ("tomorrow", today + timedelta(days=1))):
            entries = self.weeks.get(day.isocalendar()[:2], ((),))[0]
            todays = [e for e in sorted(entries, key=_order) if e.day == day]
            found.append(
                HomeDay(
                    label, day, tuple(make_item(e, self.leader_of, self.tzinfo) for e in todays)
                )
            )
        if not any(d.items for d in found):
            return None
        return {"days": tuple(found), "url": self.options["url"]}

    def generate_output(self, writer):
        if not self.pages:
            return
        template = self.get_template("calendar")
        for page in self.pages:
            writer.write_file(
                page.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                template_name="calendar",
                url=page.url,
                week=page,
                today=self.today if page.is_current else None,
                calendar_index=False,
            )
        writer.write_file(
            self.options["save_as"],
            template,
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            template_name="calendar",
            url=self.options["url"],
            week=self.current,
            today=self.today,
            calendar_index=True,
        )
        self._write_feed(writer.output_path)

    def _write_feed(self, output):
        siteurl = self.settings.get("SITEURL", "")
        host = urlsplit(siteurl).hostname or ""
        domain = self.options["uid_domain"] or host or "localhost"
        label = self.labels
        since = week_days(*self.today.isocalendar()[:2])[0] - timedelta(
            weeks=self.options["feed_past_weeks"]
        )
        events = []
        for week, (entries, _path, mtime) in sorted(self.weeks.items()):
            monday = week_days(*week)[0]
            if monday < since:
                continue
            stamp = datetime.fromtimestamp(int(mtime), UTC)
            page_url = (
                f"{siteurl}/{self.options['week_url'].format(week=week_key(*week).lower())}"
                if siteurl
                else ""
            )
            week_uids = uids(entries, domain)
            events += [
                self._event(entry, week_uids[id(entry)], stamp, page_url, label)
                for entry in entries
            ]
        name = f"{label['nav_calendar']} – {self.settings.get('SITENAME', '')}".strip(" –")
        data = calendar_bytes(
            events,
            name=name,
            prodid=f"-//{host or 'localhost'}//{self.options['url'].strip('/')}//VI",
            timezone=str(self.tzinfo.key),
        )
        path = os.path.join(output, self.options["feed_save_as"])
        write_if_changed(path, data)
        # For the publish manifest (and so the incremental plugin keeps the file).
        signals.content_written.send(path, context={"OUTPUT_PATH": output})

    def _event(self, entry, uid, stamp, page_url, label):
        if entry.start is None:
            start, end = entry.day, entry.day + timedelta(days=1)
        else:
            start = datetime.combine(entry.day, entry.start, self.tzinfo)
            end = (
                datetime.combine(entry.day, entry.end, self.tzinfo)
                if entry.end
                else start + timedelta(minutes=self.options["default_minutes"])
            )
        leaders = "; ".join(
            f"{leader.name} ({leader.title})" if leader.title else leader.name
            for leader in (self.leader_of(i, entry.day) for i in entry.leaders)
        )
        lines = [f"{label['calendar_leaders']}: {leaders}"]
        if entry.participants:
            lines.append(f"{label['calendar_participants']}: {entry.participants}")
        if page_url:
            lines.append(f"{label['calendar_week_page']}: {page_url}")
        return FeedEvent(
            uid=uid,
            start=start,
            end=end,
            stamp=stamp,
            summary=entry.content,
            location=entry.place,
            description="\n".join(lines),
            url=page_url,
        )


def write_if_changed(path, data):
    """Write `data` to `path` unless the file already holds exactly these bytes (it keeps
    its mtime for rsync and the web server's ETag)."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def get_generators(pelican):
    return WorkCalendarGenerator


def register():
    signals.initialized.connect(start)
    signals.get_generators.connect(get_generators)
