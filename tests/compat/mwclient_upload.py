"""An upload with Debian's python3-mwclient (0.10.1): Site.upload, a multipart POST through requests.

Run with /usr/bin/python3 by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER,
CW_PASSWORD, CW_FILE (a local file) and CW_FILENAME (the name on the wiki).
Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
"""

import sys
import traceback

from mwclient_common import new_site, required

step = "login"
try:
    site = new_site("CrossWiki compatibility test (mwclient 0.10.1)")
    site.login(required("CW_USER"), required("CW_PASSWORD"))
    print("ok login")
    step = "upload"
    with open(required("CW_FILE"), "rb") as f:
        result = site.upload(f, filename=required("CW_FILENAME"), description="Uploaded by mwclient.", comment="mwclient upload", ignore=True)
    if result.get("result") != "Success":
        raise Exception("not a success: %r" % (result,))
    print("ok upload: %s" % result.get("filename"))
    print("mwclient upload flow passed")
except Exception:
    print("FAIL %s: %s" % (step, traceback.format_exc()), file=sys.stderr)
    sys.exit(1)
