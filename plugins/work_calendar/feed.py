"""The iCalendar feed of the work calendar (RFC 5545), made with the `icalendar` library.

Pure: given the events, their bytes. The same events give the same bytes, so the build
writes the file only when something in it changed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    start: datetime | date  # a date: the whole day
    end: datetime | date  # a date: the day after the last one (RFC 5545, 3.6.1)
    stamp: datetime  # in UTC
    summary: str
    location: str
    description: str
    url: str


def calendar_bytes(events, *, name, prodid, timezone):
    """The feed of `events`: VCALENDAR with PRODID, VERSION, the calendar's name, the
    VTIMEZONE of every zone used, each VEVENT with UID, DTSTAMP, DTSTART, DTEND, SUMMARY,
    LOCATION, DESCRIPTION (and URL when known). Lines are folded at 75 octets and end in
    CRLF (the library does both)."""
    # Imported here: a site without a work calendar does not carry the library (3 MiB).
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    # How often a subscribed calendar app should fetch the feed again (RFC 7986, and the
    # older name Outlook and others read).
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    for item in sorted(events, key=lambda e: (_sort_key(e.start), e.uid)):
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        cal.add_component(event)
    if events:
        cal.add_missing_timezones()
    return cal.to_ical()


def _sort_key(value):
    if isinstance(value, datetime):
        return (value.date(), 1, value.timetz().replace(tzinfo=None))
    return (value, 0, None)
