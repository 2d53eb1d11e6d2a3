#!/usr/bin/env python3
"""webpage_test.py BIN SRCDIR ARTIFACTS: the web page end to end in Debian's
chromium (tests/node/webpage.mjs, then webpage_table.mjs; playwright-core)
against the real server on loopback, with API keys on. The companies are
the real pages of tests/realpages served as the open web, with a Tavily
mock to find them (tests/stubs/realweb.py, which needs Debian's python3 for
BeautifulSoup; --home gives each site a home page, for a list that names a
company by its domain alone); they answer slowly, so that a job is still
running while the page is checked. Screenshots go to ARTIFACTS."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402

BIN, SRC, ARTIFACTS = sys.argv[1], sys.argv[2], sys.argv[3]
KEY = "web-secret-0123456789"
chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
if not os.path.exists(os.path.join(SRC, "tests/node/node_modules/playwright-core")) or \
        not shutil.which(chromium):
    fail("playwright-core or chromium is missing: run scripts/setup")
    lib.finish("webpage")

port_file = os.path.join(TMP, "web.port")
lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/realweb.py"),
          os.path.join(SRC, "tests/realpages/pages"), port_file, os.path.join(TMP, "web.log"),
          "--latency", "0.35", "--home")
wait_for("the mock web", lambda: os.path.exists(port_file), timeout=120)
web = "http://127.0.0.1:%s" % open(port_file).read().strip()
env = lib.clean_env(TAVILY_API_KEY="tvly-test-0123456789", TAVILY_BASE_URL=web,
                    PROSPECT_SEARCH="tavily", PROSPECT_SEARCH_RPM="0",
                    PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_SITE_CONCURRENCY="2",
                    PROSPECT_CACHE_TTL_S="0", PROSPECT_LLM="heuristic",
                    PROSPECT_API_KEYS="web:" + KEY)
s = lib.Server(BIN, "webpage", os.path.join(TMP, "web.db"), env)
shutil.rmtree(ARTIFACTS, ignore_errors=True)
for script, args in (("webpage.mjs", []), ("webpage_table.mjs", [web, SRC])):
    r = subprocess.run(["node", os.path.join(SRC, "tests/node", script), s.base, KEY, ARTIFACTS,
                        *args], capture_output=True, text=True, timeout=300)
    print(r.stdout + r.stderr, end="", flush=True)
    if r.returncode:
        fail("the page test %s failed" % script)
        break
shots = sorted(os.listdir(ARTIFACTS)) if os.path.isdir(ARTIFACTS) else []
for want in ("8-phone.png", "table-50-leads.png"):
    if want not in shots:
        fail("screenshot %s missing: %s" % (want, shots))
lib.finish("webpage")
