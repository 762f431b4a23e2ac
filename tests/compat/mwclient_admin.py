"""Page administration and the change feeds with Debian's python3-mwclient (0.10.1), as a sysop.

mwclient's own functions: page.revisions(), site.recentchanges(), site.usercontributions(), site.logevents(),
page.move(), page.purge(), page.delete(), page.can(), page.protection, site.watchlist(), site.users(),
site.allusers() and login. mwclient 0.10.1 has no rollback, protect, watch, compare,
undelete or createaccount function ("def watch" is a comment in page.py): those go through its raw call,
site.api / site.post / site.get, with the tokens of site.get_token.

Run with /usr/bin/python3 by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD
(a sysop), CW_PAGE (a page edited by CW_AUTHOR, then twice by CW_VANDAL), CW_AUTHOR and CW_VANDAL.
Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
"""

import sys
import time

from mwclient_common import check, new_site, required, run_flow


USER = required("CW_USER")
PASSWORD = required("CW_PASSWORD")
PAGE = required("CW_PAGE")
AUTHOR = required("CW_AUTHOR")
VANDAL = required("CW_VANDAL")
MOVED = PAGE + " (moved by mwclient)"


def run(steps):
    site = new_site(max_retries=1, retry_timeout=1)

    def step(name, action):
        steps.append(name)
        detail = action()
        print("ok " + name + (": " + detail if detail else ""), flush=True)

    def login():
        site.login(USER, PASSWORD)
        check(site.logged_in and site.username == USER, "logged in as %r" % site.username)
        check("rollback" in site.rights and "delete" in site.rights, "rights: %r" % site.rights)

    def revisions():
        history = list(site.pages[PAGE].revisions(prop="ids|user|comment|size"))
        check([r["user"] for r in history] == [VANDAL, VANDAL, AUTHOR], "history, newest first: %r" % history)
        check(history[2]["parentid"] == 0 and history[0]["parentid"] == history[1]["revid"], "parent ids: %r" % history)
        oldest = list(site.pages[PAGE].revisions(dir="newer", limit=1, prop="ids|user"))
        check(oldest[0]["user"] == AUTHOR, "dir=newer with a limit of 1 (continued): %r" % oldest)

    def recentchanges():
        changes = [c for c in site.recentchanges(prop="title|user|ids|sizes|flags", limit=10) if c["title"] == PAGE]
        check([c["user"] for c in changes] == [VANDAL, VANDAL, AUTHOR], "changes of the page, newest first: %r" % changes)
        check(changes[2]["type"] == "new" and changes[0]["type"] == "edit", "types: %r" % changes)
        check(changes[0]["old_revid"] == changes[1]["revid"], "ids: %r" % changes)
        by_vandal = list(site.recentchanges(prop="title|user", show="!bot", type="edit", limit=1))
        check(by_vandal and by_vandal[0]["user"] == VANDAL, "type=edit, newest: %r" % by_vandal)

    def rollback():
        page = site.pages[PAGE]
        done = site.api("rollback", title=PAGE, user=VANDAL, token=site.get_token("rollback"))["rollback"]
        check(done["title"] == PAGE and done["revid"] > done["old_revid"], "rollback answer: %r" % done)
        text = site.pages[PAGE].text(cache=False)
        check(text == "good text", "text after rollback: %r" % text)
        check(page.revision < done["revid"], "revision ids")

    def contributions():
        edits = list(site.usercontributions(VANDAL, prop="ids|title|comment|size|flags"))
        check(len(edits) == 2 and all(e["title"] == PAGE for e in edits), "vandal's contributions: %r" % edits)
        first = list(site.usercontributions(AUTHOR))
        check(len(first) == 1 and "new" in first[0], "author's contributions: %r" % first)
        own = list(site.usercontributions(USER))
        check(len(own) == 1 and "top" in own[0] and own[0]["title"] == PAGE, "the rollback in the sysop's contributions: %r" % own)

    def move():
        page = site.pages[PAGE]
        done = page.move(MOVED, reason="by mwclient")
        check(done["from"] == PAGE and done["to"] == MOVED and "redirectcreated" in done, "move answer: %r" % done)
        old = site.pages[PAGE]
        check(old.redirect and old.resolve_redirect().name == MOVED, "no redirect left behind")
        check(site.pages[MOVED].text() == "good text", "the moved page has lost its text")

    def logs():
        moves = [e for e in site.logevents(type="move", limit=10) if e["title"] == PAGE]
        check(len(moves) == 1 and moves[0]["user"] == USER and moves[0]["params"]["target_title"] == MOVED, "move log: %r" % moves)
        check(moves[0]["comment"] == "by mwclient", "move comment: %r" % moves)
        by_title = list(site.logevents(title=PAGE))
        # The page creation log ($wgPageCreationLog) has the author's creation under the old title too.
        check([(e["type"], e["user"]) for e in by_title] == [("move", USER), ("create", AUTHOR)], "log of the title: %r" % by_title)
        changes = list(site.recentchanges(type="log", prop="title|user|loginfo", limit=10))
        check(any(c["logtype"] == "move" and c["title"] == PAGE for c in changes), "the move in recent changes: %r" % changes)

    def protect():
        done = site.api("protect", title=MOVED, protections="edit=sysop|move=sysop", expiry="infinite", reason="by mwclient",
                        token=site.get_token("csrf"))["protect"]
        check(done["title"] == MOVED and len(done["protections"]) == 2, "protect answer: %r" % done)
        page = site.pages[MOVED]
        check(page.protection.get("edit") == ("sysop", "infinity") and page.protection.get("move") == ("sysop", "infinity"),
              "page.protection: %r" % page.protection)
        check(page.can("edit") and page.can("move"), "a sysop can edit and move it")
        entries = list(site.logevents(type="protect", title=MOVED))
        check(len(entries) == 1 and entries[0]["action"] == "protect", "protect log: %r" % entries)

    def purge():
        site.pages[MOVED].purge()
        info = site.api("purge", titles=MOVED)["purge"]
        check(info[0]["title"] == MOVED and "purged" in info[0], "purge answer: %r" % info)

    def watch():
        done = site.api("watch", titles=MOVED, token=site.get_token("watch"))["watch"]
        check(done[0]["title"] == MOVED and "watched" in done[0], "watch answer: %r" % done)
        raw = site.get("query", list="watchlistraw", wrlimit="max")["watchlistraw"]
        titles = [w["title"] for w in raw]
        check(MOVED in titles and "Talk:" + MOVED in titles, "watchlistraw: %r" % raw)
        watched = [w["title"] for w in site.watchlist(prop="title|user")]
        check(MOVED in watched, "list=watchlist: %r" % watched)

    def compare():
        history = list(site.pages[MOVED].revisions(prop="ids|user"))
        bad = next(r for r in history if r["user"] == VANDAL)
        done = site.get("compare", fromrev=bad["revid"], torev=history[0]["revid"])["compare"]
        check(done["fromrevid"] == bad["revid"] and done["torevid"] == history[0]["revid"], "compare ids: %r" % done)
        check("diff-deletedline" in done["*"] and "diff-addedline" in done["*"], "compare body: %r" % done)

    def delete():
        done = site.pages[MOVED].delete(reason="by mwclient")
        check(done["title"] == MOVED and done["reason"] == "by mwclient" and done["logid"] > 0, "delete answer: %r" % done)
        check(not site.pages[MOVED].exists, "still exists")
        entries = list(site.logevents(type="delete", title=MOVED))
        check(len(entries) == 1 and entries[0]["action"] == "delete" and entries[0]["user"] == USER, "delete log: %r" % entries)

    def undelete():
        done = site.api("undelete", title=MOVED, reason="by mwclient", token=site.get_token("csrf"))["undelete"]
        check(done["title"] == MOVED and done["revisions"] >= 4, "undelete answer: %r" % done)
        check(site.pages[MOVED].text(cache=False) == "good text", "text not restored")

    def createaccount():
        name = USER + " recruit"
        password = "recruit-%d-pw" % int(time.time())
        # site.get_token("createaccount") would hand out the csrf token (get_token maps every type but watch, patrol,
        # rollback, userrights and login to csrf), which MediaWiki refuses as a createtoken too: ask meta=tokens.
        token = site.get("query", meta="tokens", type="createaccount")["query"]["tokens"]["createaccounttoken"]
        done = site.api("createaccount", username=name, password=password, retype=password,
                        createreturnurl="http://example.org/", createtoken=token)["createaccount"]
        check(done["status"] == "PASS" and done["username"] == name, "createaccount answer: %r" % done)
        users = list(site.users([name], prop="groups|editcount|registration"))
        check(len(users) == 1 and users[0]["editcount"] == 0 and "user" in users[0]["groups"], "users: %r" % users)
        check([u["name"] for u in site.allusers(prefix=name)] == [name], "allusers")
        recruit = new_site(max_retries=1, retry_timeout=1)
        recruit.login(name, password)
        check(recruit.logged_in and recruit.username == name, "login as the new account: %r" % recruit.username)

    step("login", login)
    step("page.revisions", revisions)
    step("site.recentchanges", recentchanges)
    step("rollback (site.api)", rollback)
    step("site.usercontributions", contributions)
    step("page.move", move)
    step("site.logevents and recent changes", logs)
    step("protect (site.api), page.protection, page.can", protect)
    step("page.purge", purge)
    step("watch (site.api), site.watchlist", watch)
    step("compare (site.get)", compare)
    step("page.delete", delete)
    step("undelete (site.api)", undelete)
    step("createaccount (site.api), site.users, site.allusers, login", createaccount)


if __name__ == "__main__":
    sys.exit(run_flow("mwclient admin flow", run))
