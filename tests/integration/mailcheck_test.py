#!/usr/bin/env python3
"""mailcheck_test.py BIN SRCDIR: the e-mail checks against a real DNS server
on loopback (Debian's dnsmasq, authoritative for .com and .test here, so
that nothing leaves the machine) and real pages.

A real tutoring company's page lists four addresses, one at a misspelt
domain (juiliarosspt.com): `prospect extract` gives each a status with its
reasons (MX found, a role account, the company's domain; the misspelt
domain does not exist: invalid). Then MX, A-only (the implicit MX), a null
MX, NXDOMAIN, a server that never answers (unknown, within the deadline),
no DNS at all (unknown, never invalid); the statuses in an enriched lead and
its CSV; and one DNS question per domain however many jobs meet it.
"""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

BIN, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests/integration"))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402


def check(ok, msg):
    if not ok:
        fail(msg)


DNSMASQ = "/usr/sbin/dnsmasq"
if not os.path.exists(DNSMASQ):
    fail("dnsmasq is missing: run scripts/setup")
    lib.finish("mailcheck")

dns_port = lib.free_port()
dead_port = lib.free_port()  # a DNS server that never answers
dns_log = os.path.join(TMP, "dnsmasq.log")
conf = os.path.join(TMP, "dnsmasq.conf")
open(conf, "w").write("""no-resolv
no-hosts
bind-interfaces
local-ttl=300
listen-address=127.0.0.1
local=/com/
local=/test/
mx-host=juliarosspt.com,mx.juliarosspt.com,10
host-record=mx.juliarosspt.com,127.0.0.1
mx-host=acme.test,mail.acme.test,10
host-record=addressonly.test,127.0.0.1
mx-host=nullmx.test,.,0
mx-host=gmail.com,gmail-smtp-in.l.google.com,5
server=/silent.test/127.0.0.1#%d
""" % dead_port)
dnsmasq = subprocess.Popen([DNSMASQ, "--keep-in-foreground", "--conf-file=" + conf,
                            "--port=%d" % dns_port, "--pid-file=" + os.path.join(TMP, "dns.pid"),
                            "--user=" + ("root" if os.getuid() == 0 else os.environ.get("USER", "nobody")),
                            "--log-queries", "--log-facility=" + dns_log],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
lib.procs.append(dnsmasq)
wait_for("dnsmasq", lambda: os.path.exists(dns_log) and "started" in open(dns_log).read()
         or dnsmasq.poll() is not None, timeout=20)
check(dnsmasq.poll() is None, "dnsmasq did not start: %s" %
      (dnsmasq.stderr.read().decode() if dnsmasq.poll() is not None else ""))
DNS = "127.0.0.1:%d" % dns_port


def env(**extra):
    e = dict(PROSPECT_DNS_SERVERS=DNS, PROSPECT_DNS_TIMEOUT_MS="1500", PROSPECT_LLM="heuristic",
             PROSPECT_FETCH_ALLOW_PRIVATE="1", PROSPECT_CACHE_TTL_S="0")
    e.update(extra)
    return lib.clean_env(**e)


def extract(path, url, env_=None):
    r = subprocess.run([BIN, "extract", "--format", "json", "--url", url, path],
                       capture_output=True, text=True, env=env_ or env(), timeout=60)
    try:
        return {c["email"]: c for c in json.loads(r.stdout)["email_checks"]}
    except (ValueError, KeyError):
        fail("extract: %s %s" % (r.stdout[:300], r.stderr[-300:]))
        return {}


# ---- a real page ----
page = os.path.join(TMP, "0025.html")
subprocess.run("gzip -dc %s > %s" % (os.path.join(SRC, "tests/realpages/pages/0025.html.gz"), page),
               shell=True, check=True)
checks = extract(page, "https://juliarosspt.com/college-admissions-packages/")
want = {"info@juliarosspt.com": ("risky", ["mx", "role_account", "company_domain"]),
        "admin@juliarosspt.com": ("risky", ["mx", "role_account", "company_domain"]),
        "ptcollegecoaching@juliarosspt.com": ("valid", ["mx", "company_domain"]),
        "admin@juiliarosspt.com": ("invalid", ["no_such_domain"])}
for email, (status, reasons) in want.items():
    c = checks.get(email, {})
    check(c.get("status") == status and all(r in c.get("reasons", []) for r in reasons),
          "%s: want %s %s, got %s" % (email, status, reasons, c))
check(set(checks) == set(want), "every address has a status: %s" % list(checks))

# ---- each DNS answer ----
html = os.path.join(TMP, "contacts.html")
open(html, "w").write("""<!DOCTYPE html><html><head><title>Contacts</title></head><body>
<p>Write to jane@acme.test, to ops@addressonly.test, to bob@nullmx.test, to eve@nowhere.test,
to tom@silent.test, or to a@mailinator.com. Our old address: acme.plumbing@gmail.com.</p>
</body></html>""")
t0 = time.monotonic()
checks = extract(html, "https://www.acme.test/contact")
took = time.monotonic() - t0
expect = {"jane@acme.test": ("valid", "mx"),
          "ops@addressonly.test": ("risky", "no_mx_address_only"),
          "bob@nullmx.test": ("invalid", "domain_takes_no_mail"),
          "eve@nowhere.test": ("invalid", "no_such_domain"),
          "tom@silent.test": ("unknown", "dns_unanswered"),
          "a@mailinator.com": ("invalid", "disposable"),
          "acme.plumbing@gmail.com": ("risky", "free_mail")}
for email, (status, reason) in expect.items():
    c = checks.get(email, {})
    check(c.get("status") == status and reason in c.get("reasons", []),
          "%s: want %s (%s), got %s" % (email, status, reason, c))
check(took < 5, "a server that never answers is bounded by the deadline: %.1f s" % took)

# ---- no DNS at all: unknown, never invalid ----
checks = extract(page, "https://juliarosspt.com/", env(PROSPECT_DNS_SERVERS="127.0.0.1:%d" % dead_port))
check(checks and all(c["status"] == "unknown" for c in checks.values()),
      "no DNS answer is unknown: %s" % checks)

# ---- in leads and the CSV; one question per domain across jobs ----
WEB = lib.realweb("web", "--home")
target = "juliarosspt-com.localhost:%s" % WEB
before = open(dns_log).read().count("query[MX] juliarosspt.com")
srv = lib.Server(BIN, "mailcheck", os.path.join(TMP, "api.db"), env())
for i in range(2):
    code, _ = srv.call("POST", "/api/v2/enrich", {"companies": [target], "job_id": "mail-%d" % i})
    check(code == 202, "job %d: %s" % (i, code))
    wait_for("job %d" % i, lambda: srv.finished("mail-%d" % i), timeout=60)
code, body = srv.call("GET", "/api/v2/jobs/mail-1/leads")
lead = (body.get("leads") or [{}])[0] if isinstance(body, dict) else {}
got = {c["email"]: c["status"] for c in lead.get("lead_data", {}).get("email_checks", [])}
check(got.get("admin@juiliarosspt.com") == "invalid" and got.get("info@juliarosspt.com") == "risky",
      "the lead's e-mail statuses: %s" % got)
code, _, text = srv.request("GET", "/api/v2/jobs/mail-1/leads?format=csv")
rows = list(csv.DictReader(io.StringIO(text if isinstance(text, str) else "")))
check(rows and "admin@juiliarosspt.com: invalid" in rows[0].get("Email Status", ""),
      "the CSV's Email Status: %s" % (rows[0].get("Email Status") if rows else text[:200]))
asked = open(dns_log).read().count("query[MX] juliarosspt.com") - before
check(asked == 1, "one MX question for a domain two jobs met (kept for its TTL): %d" % asked)

dnsmasq.send_signal(signal.SIGTERM)
lib.finish("mailcheck")
