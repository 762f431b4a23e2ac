"""What the mwclient flows share: their settings from the environment, the site, the step checks and the runner.

Each flow's run(steps) appends a step's name before doing it; run_flow prints "FAIL <step>: <why>" for the
first failure (a StepFailed's message, or the client's own traceback) and returns the exit code.
"""

import os
import sys
import traceback
from urllib.parse import urlsplit

import mwclient


def required(name):
    value = os.environ.get(name)
    if not value:
        print("FAIL setup: environment variable %s is not set" % name, file=sys.stderr)
        sys.exit(2)
    return value


API = urlsplit(required("CW_API"))


class StepFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def new_site(useragent="CrossWiki compatibility test", **options):
    """mwclient builds the URL as scheme://host + path + "api" + ".php"."""
    return mwclient.Site(API.netloc, path=API.path[: -len("api.php")], scheme=API.scheme, clients_useragent=useragent, **options)


def run_flow(name, run):
    steps = []
    try:
        run(steps)
    except Exception as error:  # every failure, including the client's own exceptions, ends the flow
        step = steps[-1] if steps else "start"
        detail = str(error) if isinstance(error, StepFailed) else traceback.format_exc()
        print("FAIL %s: %s" % (step, detail), file=sys.stderr, flush=True)
        return 1
    print("%s passed" % name, flush=True)
    return 0
