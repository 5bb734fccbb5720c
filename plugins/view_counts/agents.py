"""Which user agents are not people: the maintained crawler-user-agents list, plus a small
local list of link previewers and headless browsers, with a cache per user agent."""

import re

from crawleruseragents import CRAWLER_USER_AGENTS_DATA

# Link previewers fetch a page when someone pastes its link into a chat; headless browsers
# are scripts. Some are already in the maintained list; repeating them here costs nothing.
# The Zalo and Facebook in-app browsers ("... Zalo android/..", "[FBAN/..") are people
# reading, so only the previewers are named, not every user agent containing "Zalo".
LOCAL_PATTERNS = (
    r"^Zalo",  # Zalo's link previewer names itself first; the in-app browser starts Mozilla/
    r"[Zz]alo[ -]?[Bb]ot",
    r"facebookexternalhit",
    r"Facebot",
    r"meta-externalagent",
    r"TelegramBot",
    r"WhatsApp/",
    r"Twitterbot",
    r"Slackbot",
    r"Discordbot",
    r"LinkedInBot",
    r"SkypeUriPreview",
    r"redditbot",
    r"Embedly",
    r"Iframely",
    r"HeadlessChrome",
    r"PhantomJS",
    r"Puppeteer",
    r"Playwright",
    r"Lighthouse",
    r"Google-PageRenderer",
    r"python-requests",
    r"curl/",
    r"Wget/",
)
CACHE_LIMIT = 50_000


class AgentClassifier:
    """is_bot(user_agent) with a bounded cache: a log has few distinct user agents.

    The user agent is bytes as read from the log (or str); `cache` maps it to the verdict.
    """

    def __init__(self, extra_patterns=()):
        patterns = [entry["pattern"] for entry in CRAWLER_USER_AGENTS_DATA]
        patterns += list(LOCAL_PATTERNS) + list(extra_patterns)
        self._regex = re.compile("|".join(f"(?:{p})" for p in patterns))
        self.cache = {}
        self.lookups = 0

    def is_bot(self, user_agent):
        cached = self.cache.get(user_agent)
        if cached is not None:
            return cached
        self.lookups += 1
        text = user_agent
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        # An empty or "-" user agent is a script, not a browser.
        verdict = text in ("", "-") or self._regex.search(text) is not None
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[user_agent] = verdict
        return verdict
