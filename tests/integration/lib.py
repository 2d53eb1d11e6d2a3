"""lib.py: what the Python integration tests share: a `prospect serve`
process on a free loopback port, JSON calls with any headers, stub servers,
waiting, and failure bookkeeping that also checks the sanitizers' verdict
on every server it started."""
import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TMP = tempfile.mkdtemp()
failures = []
procs = []
servers = []
atexit.register(lambda: [p.kill() for p in procs])


def fail(msg):
    failures.append(msg)
    print("FAIL", msg, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def try_connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


def wait_for(what, pred, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    fail("timed out waiting for " + what)
    return None


def realweb(name, *flags, pages=None):
    """Starts tests/stubs/realweb.py on the real pages (tests/realpages/pages unless pages
    names another folder), logging to TMP/NAME.log, with its flags ("--home"...); returns
    its port once it listens."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    port_file = os.path.join(TMP, name + ".port")
    spawn(sys.executable, os.path.join(root, "tests/stubs/realweb.py"),
          pages or os.path.join(root, "tests/realpages/pages"), port_file,
          os.path.join(TMP, name + ".log"), *flags)
    wait_for(name, lambda: os.path.exists(port_file) and open(port_file).read().strip(), timeout=120)
    return open(port_file).read().strip()


def json_lines(path):
    """The whole JSON lines a log holds so far (a stub's, still being written): the file
    is read once, and a last line without its newline waits for the next look. (Read line
    by line, a read that meets a line still being written returns its rest as a line of
    its own the next time.)"""
    with open(path) as f:
        return [json.loads(l) for l in f.read().split("\n")[:-1] if l.strip()]


def spawn(*cmd):
    p = subprocess.Popen(list(cmd))
    procs.append(p)
    return p


def clean_env(**extra):
    """The environment without any Prospect or provider setting, plus extra."""
    e = {k: v for k, v in os.environ.items()
         if not k.startswith(("PROSPECT_", "TAVILY", "GEMINI", "OPENAI", "SEARXNG", "GOOGLE",
                              "WEBAPP_", "WEBHOOK_"))}
    # the e-mail checks' DNS stays on loopback (a closed port: unknown)
    e.update({"PROSPECT_LOG_LEVEL": "info", "PROSPECT_DNS_SERVERS": "127.0.0.1:9"})
    e.update(extra)
    return e


class Server:
    """`prospect serve` on a free loopback port, its stderr in TMP/NAME.log."""

    def __init__(self, bin_path, name, db, env, args=()):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.name = name
        self.log = os.path.join(TMP, name + ".log")
        self.errlog = open(self.log, "a")
        self.p = subprocess.Popen([bin_path, "serve", "--db", db, "--port", str(self.port),
                                   *args], env=env, stderr=self.errlog, stdout=subprocess.DEVNULL)
        procs.append(self.p)
        servers.append(self)
        wait_for("server " + name, lambda: try_connect(self.port) or self.p.poll() is not None)
        if self.p.poll() is not None:
            fail("%s: the server exited at start: %s" % (name, open(self.log).read()[-2000:]))

    def request(self, method, path, body=None, headers=None, raw=None):
        """(status, headers, parsed JSON or text) of one request."""
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers, parse(r.read())
        except urllib.error.HTTPError as e:
            return e.code, e.headers, parse(e.read())

    def call(self, method, path, body=None, headers=None):
        code, _, parsed = self.request(method, path, body, headers)
        return code, parsed

    def job(self, jid, headers=None):
        return self.call("GET", "/api/v2/jobs/" + jid, headers=headers)[1]

    def finished(self, jid, headers=None):
        j = self.job(jid, headers)
        return j if isinstance(j, dict) and j.get("status") in ("succeeded", "failed", "cancelled") else None

    def replay(self, jid, headers=None):
        """The job's stored events from its SSE route, as (id, event) pairs."""
        code, _, text = self.request("GET", "/api/v2/jobs/%s/events" % jid, headers=headers)
        out, seq = [], None
        for line in (text if isinstance(text, str) else "").split("\n"):
            if line.startswith("id: "):
                seq = int(line[4:])
            elif line.startswith("data: "):
                out.append((seq, json.loads(line[6:])))
        return out

    def stop(self):
        """SIGTERM; the exit must be clean, and the sanitizers silent."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            self.p.wait(timeout=30)
        sanitizers(self)


def sanitizers(server):
    text = open(server.log, errors="replace").read()
    for mark in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
        if mark in text:
            fail("%s: the sanitizers reported: %s" % (server.name, text[text.index(mark) - 200:][:2000]))
            return
    if server.p.returncode not in (0, -signal.SIGKILL):
        fail("%s: exit status %s" % (server.name, server.p.returncode))


def parse(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def seed_request(src, jid, leads):
    req = json.load(open(os.path.join(src, "examples/seed-request.json")))
    req["job_id"] = jid
    req["business_context"]["max_leads_to_generate"] = leads
    return req


def finish(name):
    for s in servers:
        if s.p.poll() is None:
            s.stop()
    if failures:
        print("%d failure(s)" % len(failures))
        for s in servers:
            print("--- %s\n%s" % (s.name, open(s.log, errors="replace").read()[-3000:]))
        sys.exit(1)
    print("%s: ok" % name)


class Postgres:
    """A throwaway PostgreSQL cluster on loopback (initdb as an unprivileged
    user: postgres when the tests run as root), for the scale-out tests."""

    def __init__(self, name="pg"):
        import glob
        import pwd
        import shutil
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed: run scripts/setup")
        self.bin = bins[-1]
        self.dir = os.path.join(TMP, name)
        self.port = free_port()
        self.run_as = []
        if os.geteuid() == 0:
            self.run_as = ["runuser", "-u", "postgres", "--"]
            os.makedirs(self.dir)
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(TMP, 0o755)
        subprocess.run(self.run_as + [os.path.join(self.bin, "initdb"), "-D", self.dir, "-U",
                                      "prospect", "--auth=trust", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True)
        self.log = os.path.join(self.dir, "server.log")
        subprocess.run(self.run_as + [os.path.join(self.bin, "pg_ctl"), "-D", self.dir, "-l",
                                      self.log, "-w", "-o",
                                      "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off "
                                      "-c max_connections=300" % (self.port, self.dir),
                                      "start"], check=True, capture_output=True)
        self.url = "postgres://prospect@127.0.0.1:%d/postgres" % self.port
        atexit.register(self.stop)

    def sql(self, query, db=None):
        url = self.url.rsplit("/", 1)[0] + "/" + db if db else self.url
        r = subprocess.run(["psql", url, "-At", "-c", query], capture_output=True, text=True)
        return r.stdout.strip()

    def stop(self):
        subprocess.run(self.run_as + [os.path.join(self.bin, "pg_ctl"), "-D", self.dir, "-m",
                                      "immediate", "stop"], capture_output=True)
