"""Reads of a wiki's pages, categories, links, templates, backlinks, users and search with Debian's
python3-mwclient (0.10.1), against pages the test made first (tests/compat/README.md, "read flows").

Run with /usr/bin/python3 by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER,
CW_PASSWORD, CW_PREFIX and CW_WORD. Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
"""

import sys

from mwclient_common import StepFailed, new_site, required, run_flow


USER = required("CW_USER")
PASSWORD = required("CW_PASSWORD")
P = required("CW_PREFIX")
WORD = required("CW_WORD")


def same(actual, expected, what):
    if actual != expected:
        raise StepFailed("%s: %r instead of %r" % (what, actual, expected))


def names(pages):
    return [page.name for page in pages]


def run(steps):
    site = new_site(max_retries=1, retry_timeout=1)
    site.login(USER, PASSWORD)
    source = site.pages[P + " source"]
    target = site.pages[P + " target"]
    checks = [
        ("page.categories", lambda: same(names(source.categories()), ["Category:%s cat" % P], "categories")),
        ("page.categories(generator=False)", lambda: same(list(source.categories(generator=False)), ["Category:%s cat" % P], "category titles")),
        ("page.templates", lambda: same(names(source.templates()), ["Template:%s box" % P], "templates")),
        ("page.links", lambda: same(names(source.links()), [P + " missing", P + " target"], "links")),
        ("page.images", lambda: same(names(source.images()), ["File:%s.png" % P], "images")),
        ("page.extlinks", lambda: same(list(source.extlinks()), ["https://example.org/" + P.replace(" ", "_")], "external links")),
        ("page.backlinks", lambda: same(names(target.backlinks()), [P + " source", P + " redirect"], "backlinks")),
        ("page.embeddedin", lambda: same(names(site.pages["Template:%s box" % P].embeddedin()), [P + " source"], "embeddedin")),
        ("page.redirects_to", lambda: same(site.pages[P + " redirect"].redirects_to().name, P + " target", "redirect target")),
        ("page.resolve_redirect", lambda: same(site.pages[P + " redirect"].resolve_redirect().name, P + " target", "resolved")),
        ("category members", lambda: same(names(site.categories[P + " cat"]), [P + " source", "Category:%s sub" % P], "members")),
        ("category.members(namespace=14)", lambda: same(names(site.categories[P + " cat"].members(namespace=14)), ["Category:%s sub" % P], "subcategories")),
        ("allpages", lambda: same(names(site.allpages(prefix=P)), [P + " redirect", P + " source", P + " target", P + " target/sub"], "allpages")),
        ("allcategories", lambda: same(names(site.allcategories(prefix=P)), ["Category:%s cat" % P], "allcategories")),
        # As a generator, alllinks gives the pages that have the links; with unique, the targets.
        ("alllinks", lambda: same(names(site.alllinks(prefix=P + " m")), [P + " source"], "alllinks")),
        ("alllinks(unique=True)", lambda: same(names(site.alllinks(prefix=P + " m", unique=True)), [P + " missing"], "unique alllinks")),
        ("search", lambda: same([hit["title"] for hit in site.search(WORD)], [P + " target"], "search")),
        ("users", lambda: check_user(list(site.users([USER])))),
        ("allusers", lambda: same([u["name"] for u in site.allusers(prefix=USER)], [USER], "allusers")),
        ("random", lambda: same(len(list(site.random(namespace=0, limit=2))) > 0, True, "random pages")),
    ]
    for name, action in checks:
        steps.append(name)
        action()
        print("ok " + name, flush=True)


def check_user(users):
    same(len(users), 1, "users found")
    user = users[0]
    same(user["name"], USER, "user name")
    if "bot" not in user["groups"] or user["editcount"] < 5:
        raise StepFailed("user: %r" % (user,))


if __name__ == "__main__":
    sys.exit(run_flow("mwclient read flow", run))
