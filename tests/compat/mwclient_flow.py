"""A bot session with Debian's python3-mwclient (0.10.1) against a running CrossWiki wiki.

Run with Debian's interpreter, /usr/bin/python3, by tests/CrossWiki.Tests/Compat/RealClientTests.cs;
also runnable by hand:
  CW_API=http://127.0.0.1:8080/w/api.php CW_USER=Name CW_PASSWORD=secret /usr/bin/python3 tests/compat/mwclient_flow.py
Optional: CW_PAGE (the test page, default "Compat mwclient"), CW_MARKER (the line appended, default random).
Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
"""

import os
import sys
import uuid

from mwclient_common import API, check, new_site, required, run_flow


USER = required("CW_USER")
PASSWORD = required("CW_PASSWORD")
PAGE = os.environ.get("CW_PAGE") or "Compat mwclient"
MARKER = os.environ.get("CW_MARKER") or "mwclient-" + str(uuid.uuid4())
SUMMARY = "mwclient appends " + MARKER
FIRST_LINE = "Created by the mwclient compatibility test."
OPTION = "userjs-py"


def latest_revision(site, title):
    """The latest revision with content, comment and user, in formatversion 1 (pages keyed by id)."""
    answer = site.api("query", prop="revisions", titles=title, rvprop="content|comment|user|ids", rvslots="main")
    pages = answer["query"]["pages"]
    check(isinstance(pages, dict), "query.pages is not an object keyed by page id: %r" % (pages,))
    page = next(iter(pages.values()))
    check("missing" not in page, "%s is missing: %r" % (title, answer))
    return page["revisions"][0]


def run(steps):
    site = None

    def connect():
        nonlocal site
        check(API.path.endswith("api.php"), "CW_API must end in api.php: %s" % API.geturl())
        site = new_site(max_retries=1, retry_timeout=1)
        check(site.version is not None and site.version[:2] >= (1, 32), "unexpected version %r" % (site.version,))
        check(site.writeapi, "siteinfo has no writeapi")
        return "MediaWiki %s" % ".".join(str(part) for part in site.version)

    def login():
        site.login(USER, PASSWORD)
        check(site.logged_in, "mwclient does not consider itself logged in")
        check(site.username == USER, "logged in as %r instead of %r" % (site.username, USER))
        check("edit" in site.rights and "read" in site.rights, "missing read/edit rights: %r" % (site.rights,))
        return "as " + site.username

    def read_main_page():
        text = site.pages["Main Page"].text()
        check(len(text) > 0, "Main Page has no text")
        return "%d characters" % len(text)

    def create_page():
        page = site.pages[PAGE]
        check(not page.exists, "%s exists already" % PAGE)
        result = page.edit(FIRST_LINE, summary="mwclient creates the test page")
        check(result.get("result") == "Success" and "new" in result, "unexpected edit answer: %r" % (result,))
        return "revision %s" % result["newrevid"]

    def append_line():
        page = site.pages[PAGE]
        check(page.exists, "%s does not exist after its creation" % PAGE)
        page.text()  # as a bot does before editing; sets the base and start timestamps mwclient sends
        result = page.append("\n" + MARKER, summary=SUMMARY)
        check(result.get("result") == "Success" and "nochange" not in result, "unexpected edit answer: %r" % (result,))
        return "revision %s" % result["newrevid"]

    def read_back():
        text = site.pages[PAGE].text()
        lines = text.split("\n")
        check(lines[0] == FIRST_LINE, "the first line is lost: %r" % text)
        check(MARKER in lines, "the appended line is not in the page: %r" % text)
        revision = latest_revision(site, PAGE)
        check(revision.get("comment") == SUMMARY, "summary %r instead of %r" % (revision.get("comment"), SUMMARY))
        check(revision.get("user") == USER, "author %r instead of %r" % (revision.get("user"), USER))
        return "line and summary found in revision %s" % revision["revid"]

    def save_option():
        answer = site.post("options", change=OPTION + "=1", token=site.get_token("csrf"))
        check(answer.get("options") == "success", "unexpected answer: %r" % (answer,))
        return OPTION + "=1"

    def read_option():
        info = site.api("query", meta="userinfo", uiprop="options")["query"]["userinfo"]
        check(info.get("name") == USER and "anon" not in info, "not the logged-in user: %r" % (info,))
        value = info.get("options", {}).get(OPTION)
        check(value == "1", "%s is %r instead of '1'" % (OPTION, value))
        return "%s=%s" % (OPTION, value)

    for name, action in [
        ("connect", connect),
        ("login", login),
        ("read Main Page", read_main_page),
        ("create test page", create_page),
        ("append a line", append_line),
        ("read back", read_back),
        ("save option", save_option),
        ("read option", read_option),
    ]:
        steps.append(name)
        detail = action()
        print("ok %s: %s" % (name, detail) if detail else "ok " + name, flush=True)


if __name__ == "__main__":
    sys.exit(run_flow("mwclient flow", run))
