"""Plain Pelican for the benchmark: its default theme and readers, no project plugins."""

PATH = "content"
ARTICLE_PATHS = ["bai-viet"]
PAGE_PATHS = ["pages"]
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
READERS = {"rst": None}
PLUGINS = []
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
