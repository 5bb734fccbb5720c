"""Production settings (`make publish`): pelicanconf.py plus what differs on the web."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://thuongthanh.hanoi.gov.vn").rstrip("/")
RELATIVE_URLS = False
# Not emptied first (that would rewrite every file): the incremental plugin deletes what
# the build no longer claims.
DELETE_OUTPUT_DIRECTORY = False
# What goes on the web is read afresh: every article read again (pages whose inputs did not
# change are still not rendered or rewritten), none taken from an earlier `make html`.
INCREMENTAL = {"keep_content": False}

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DOCUMENTS = {**DOCUMENTS, "feed_atom": "feeds/van-ban.atom.xml"}  # noqa: F405

# Drafts, hidden and future-dated articles never reach the published output, nor does
# their list (/ban-nhap/) or a box in place of a missing photo (the build fails on it).
UNPUBLISHED = {**UNPUBLISHED, "write": False}  # noqa: F405
PHOTOS = {**PHOTOS, "missing_placeholder": False}  # noqa: F405

# Any warning or error fails the build, after a summary naming every file.
BUILD_REPORT = {"fail": True}
