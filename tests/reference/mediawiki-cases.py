#!/usr/bin/env python3
"""Regenerates the expected outputs of the wikitext reference cases from a real MediaWiki 1.39.

NOT run by CI: it needs Debian's `mediawiki` package (1:1.39.x) installed and served on loopback as
tests/reference/setup-mediawiki.sh does. CI only reads the JSON files this script writes.

Reads   tests/CrossWiki.Tests/Pages/Wikitext/Cases/*.txt      (hand-written cases, one file per feature)
        tests/CrossWiki.Tests/Pages/Wikitext/Realistic/*.txt  (the 20 realistic pages)
        tests/CrossWiki.Tests/Pages/Wikitext/Pathological/*.txt
Writes  the same folders' *.json (input and MediaWiki's answer) and Wikitext/pages.json (every page a case needs).

Source format (lines starting with "@@" are directives, everything else belongs to the current block):

    @@ case Name_Of_Case          starts a case
    @@ title Some page            the title it is parsed as (default: Sandbox)
    @@ props templates|links      parse props compared besides text
    @@ params pst=1|onlypst=1     extra action=parse parameters
    @@ action expandtemplates     call action=expandtemplates (prop=wikitext + props) instead of action=parse
    @@ page Template:Echo         starts a page that must exist (its text follows); the same title must
                                  have the same text everywhere, the pages are shared by all cases
    @@ text                       the wikitext to parse follows
    @@ end                        ends the case

Usage: python3 tests/reference/mediawiki-cases.py [--api http://127.0.0.1:8089/w/api.php]
Parses are done as the user Alice (password alice-password-1), the test farm's user, so that
signatures and the edit-section links are the same as CrossWiki's test's.
"""
import argparse
import glob
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "CrossWiki.Tests", "Pages", "Wikitext"))
USER, PASSWORD = "Alice", "alice-password-1"
DEFAULT_TITLE = "Sandbox"


REPEAT = re.compile("\u27e6(\\d+)\u00d7(.*?)\u27e7", re.S)


def expand(text):
    """Pathological inputs are written small: \u27e6N\u00d7abc\u27e7 stands for abc repeated N times (the runner expands it the same way)."""
    return REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), text)


def parse_source(path):
    cases, case, block = [], None, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")

    def close_block():
        nonlocal block
        if block is not None:
            kind, key, buf = block
            value = "\n".join(buf)
            while value.endswith("\n"):
                value = value[:-1]
            if kind == "page":
                case["pages"][key] = value
            else:
                case["text"] = value
        block = None

    for number, line in enumerate(lines, 1):
        if line.startswith("@@ ") or line == "@@end" or line == "@@ end":
            directive, _, arg = line[3:].partition(" ")
            directive = directive.strip()
            arg = arg.strip()
            if directive != "end" and case is None and directive != "case":
                sys.exit(f"{path}:{number}: '{line}' outside a case")
            if directive == "case":
                if case is not None:
                    sys.exit(f"{path}:{number}: case {case['name']} not ended")
                case = {"name": arg, "title": DEFAULT_TITLE, "action": "parse", "props": [], "params": {}, "pages": {}, "text": None}
            elif directive == "title":
                close_block()
                case["title"] = arg
            elif directive == "action":
                close_block()
                case["action"] = arg
            elif directive == "props":
                close_block()
                case["props"] = [p for p in arg.split("|") if p]
            elif directive == "params":
                close_block()
                for pair in arg.split("|"):
                    k, _, v = pair.partition("=")
                    case["params"][k] = v
            elif directive == "page":
                close_block()
                block = ("page", arg, [])
            elif directive == "text":
                close_block()
                block = ("text", None, [])
            elif directive == "end":
                close_block()
                if case is None or case["text"] is None:
                    sys.exit(f"{path}:{number}: case without text")
                cases.append(case)
                case = None
            else:
                sys.exit(f"{path}:{number}: unknown directive {directive}")
        elif block is not None:
            block[2].append(line)
        elif line.strip() and case is not None:
            sys.exit(f"{path}:{number}: text outside a block: {line!r}")
    if case is not None:
        sys.exit(f"{path}: case {case['name']} not ended")
    return cases


class Wiki:
    def __init__(self, api):
        self.api = api
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, params, post=True):
        params = dict(params, format="json", formatversion="2")
        data = urllib.parse.urlencode(params).encode()
        started = time.monotonic()
        with self.opener.open(urllib.request.Request(self.api, data=data), timeout=600) as r:
            body = json.loads(r.read().decode("utf-8"))
        return body, time.monotonic() - started

    def login(self):
        token = self.call({"action": "query", "meta": "tokens", "type": "login"})[0]["query"]["tokens"]["logintoken"]
        answer = self.call({"action": "login", "lgname": USER, "lgpassword": PASSWORD, "lgtoken": token})[0]
        if answer["login"]["result"] != "Success":
            sys.exit(f"login failed: {answer}")
        self.csrf = self.call({"action": "query", "meta": "tokens"})[0]["query"]["tokens"]["csrftoken"]

    def edit(self, title, text):
        answer = self.call({"action": "edit", "title": title, "text": text, "token": self.csrf, "bot": "1"})[0]
        if "edit" not in answer or answer["edit"].get("result") != "Success":
            sys.exit(f"edit of {title} failed: {answer}")


def parse_case(wiki, case):
    if case["action"] == "expandtemplates":
        props = ["wikitext"] + [p for p in case["props"] if p != "wikitext"]
        params = {"action": "expandtemplates", "title": case["title"], "text": expand(case["text"]), "prop": "|".join(props)}
    else:
        props = ["text"] + [p for p in case["props"] if p != "text"]
        params = {"action": "parse", "title": case["title"], "text": expand(case["text"]), "prop": "|".join(props),
                  "disablelimitreport": "1", "contentmodel": "wikitext"}
    params.update(case["params"])
    started = time.monotonic()
    try:
        answer, seconds = wiki.call(params)
    except urllib.error.HTTPError as e:
        # Stock PHP stops a request after max_execution_time (30 s): MediaWiki answers 500 with a fatal error.
        return {"httpStatus": e.code}, time.monotonic() - started
    if case["action"] not in answer:
        return {"error": answer.get("error")}, seconds
    parse = answer[case["action"]]
    expected = {p: parse[p] for p in props if p in parse}
    if "warnings" in answer:
        expected["apiwarnings"] = answer["warnings"]
    return expected, seconds


def main():
    argp = argparse.ArgumentParser()
    argp.add_argument("--api", default="http://127.0.0.1:8089/w/api.php")
    args = argp.parse_args()
    wiki = Wiki(args.api)
    wiki.login()
    generator = wiki.call({"action": "query", "meta": "siteinfo"})[0]["query"]["general"]["generator"]

    groups = {}
    for folder in ("Cases", "Realistic", "Pathological"):
        for path in sorted(glob.glob(os.path.join(ROOT, folder, "*.txt"))):
            groups[path] = parse_source(path)

    pages, names = {}, set()
    for path, cases in groups.items():
        for case in cases:
            if case["name"] in names:
                sys.exit(f"duplicate case name {case['name']}")
            names.add(case["name"])
            for title, text in case["pages"].items():
                if title in pages and pages[title] != text:
                    sys.exit(f"page {title} has two different texts (case {case['name']})")
                pages[title] = text

    for title, text in pages.items():
        wiki.edit(title, text)
    with open(os.path.join(ROOT, "pages.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": generator, "pages": [{"title": t, "text": x} for t, x in pages.items()]}, f, ensure_ascii=False, indent=1)
        f.write("\n")

    total = 0
    for path, cases in groups.items():
        out = []
        for case in cases:
            expected, seconds = parse_case(wiki, case)
            record = {"name": case["name"], "action": case["action"], "title": case["title"], "text": case["text"], "props": case["props"],
                      "params": case["params"], "pages": list(case["pages"].keys()), "expected": expected}
            if os.path.basename(os.path.dirname(path)) == "Pathological":
                # Huge outputs are not stored: their length, start and the warnings are what the runner checks.
                expected["mediawikiSeconds"] = round(seconds, 1)
                html = expected.pop("text", "")
                expected["textLength"] = len(html)
                expected["textStart"] = html[:400]
            out.append(record)
            if "mediawikiSeconds" in expected:
                print(f"  {case['name']}: {expected['mediawikiSeconds']} s {json.dumps(expected, ensure_ascii=False)[:300]}")
            total += 1
        target = path[:-4] + ".json"
        with open(target, "w", encoding="utf-8") as f:
            json.dump({"generator": generator, "source": os.path.basename(path), "cases": out}, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"{os.path.relpath(target, ROOT)}: {len(out)} cases")
    print(f"{total} cases, {len(pages)} pages, from {generator}")


if __name__ == "__main__":
    main()
