#!/usr/bin/env python3
"""webhook_receiver.py PORT LOGFILE [--secret whsec_...]: a Standard Webhooks
receiver on 127.0.0.1:PORT, as a webapp backend would run one.

Every POST / is verified the way the specification's reference libraries
do (HMAC-SHA256 over "id.timestamp.body" with the base64-decoded secret,
constant-time comparison, timestamp within 5 minutes) and logged to LOGFILE
as one JSON line {id, timestamp, signature_ok, status, event}. Answers are
200 unless queued with POST /_answers {"answers": [500, 410, "slow", ...]}
("slow" sleeps past any sane timeout, then answers 200). Loopback only.
"""
import argparse
import base64
import hashlib
import hmac
import http.server
import json
import socketserver
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("logfile")
ap.add_argument("--secret", default="")
args = ap.parse_args()

KEY = base64.b64decode(args.secret[len("whsec_"):] if args.secret.startswith("whsec_") else args.secret)
lock = threading.Lock()
answers = []


def verify(msg_id, ts, body, header):
    if not KEY or not msg_id or not ts or not header:
        return False
    try:
        if abs(time.time() - int(ts)) > 300:
            return False
    except ValueError:
        return False
    mac = hmac.new(KEY, ("%s.%s." % (msg_id, ts)).encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    for part in header.split(" "):
        version, _, sig = part.partition(",")
        if version == "v1" and hmac.compare_digest(sig, expected):
            return True
    return False


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def answer(self, code, body=b"{}"):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/_answers":
            with lock:
                answers[:] = json.loads(body)["answers"]
            return self.answer(200)
        with lock:
            a = answers.pop(0) if answers else 200
        if a == "slow":
            time.sleep(3)
            a = 200
        h = self.headers
        ok = verify(h.get("webhook-id"), h.get("webhook-timestamp"), body, h.get("webhook-signature"))
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        rec = {"id": h.get("webhook-id"), "timestamp": h.get("webhook-timestamp"),
               "seq": int(h.get("Prospect-Event-Id", "0")), "type": h.get("Prospect-Event-Type"),
               "signed": h.get("webhook-signature") is not None, "signature_ok": ok,
               "status": a, "event": event, "at": time.time()}
        with lock, open(args.logfile, "a") as f:
            f.write(json.dumps(rec) + "\n")
        self.answer(a)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a sender killed mid-request is no error here


Server(("127.0.0.1", args.port), Handler).serve_forever()
