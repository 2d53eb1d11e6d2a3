#!/usr/bin/env python3
"""site_server.py PORTFILE LOGFILE: a website on 127.0.0.1 for fetcher tests.

Serves the cases the fetcher must tell apart (ok, redirects, robots.txt,
slow, oversized, 403, 429, a bot check, not HTML, empty, gzip, Latin-1,
redirects to private and metadata addresses). Writes its port to PORTFILE
and one line per request ("METHOD PATH") to LOGFILE. Loopback only.
"""
import gzip
import http.server
import socketserver
import sys
import time

PAGE = (b"<!DOCTYPE html><html><head><title>Loopback Test Co | Home</title>"
        b"<meta name='description' content='A test company on loopback.'></head><body>"
        b"<nav><a href='/'>Home</a> <a href='/contact-us'>Contact us</a> <a href='/about'>About</a></nav>"
        b"<main><h1>Loopback Test Co</h1><p>We are a team of 42 people. Founded in 2011.</p>"
        b"<p>Call +1 415-555-0142 or write to hello@loopback-test.example.</p></main></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="text/html; charset=utf-8", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, where, code=302):
        self.send(code, b"", headers=[("Location", where)])

    def do_GET(self):
        with open(self.server.logfile, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        p = self.path
        if p == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private\n\nUser-agent: Prospect\nDisallow: /nope\nAllow: /nope/but-this\n",
                             "text/plain")
        if p in ("/", "/ok", "/nope/but-this"):
            return self.send(200, PAGE)
        if p == "/redirect":
            return self.redirect("/ok")
        if p.startswith("/loop/"):
            n = int(p.split("/")[2])
            return self.redirect("/loop/%d" % (n + 1))
        if p == "/slow":
            time.sleep(3)
            return self.send(200, PAGE)
        if p == "/big":
            return self.send(200, b"<html><body>" + b"<p>x</p>" * 400000 + b"</body></html>")
        if p == "/forbidden":
            return self.send(403, b"<html><body>Forbidden</body></html>")
        if p == "/limited":
            return self.send(429, b"slow down", "text/plain", [("Retry-After", "30")])
        if p == "/challenge":
            return self.send(503, b"<html><head><title>Just a moment...</title></head><body>"
                             b"<div id='cf-browser-verification'>Checking your browser</div></body></html>")
        if p == "/pdf":
            return self.send(200, b"%PDF-1.4 ...", "application/pdf")
        if p == "/empty":
            return self.send(200, b"")
        if p == "/gzip":
            return self.send(200, gzip.compress(PAGE), headers=[("Content-Encoding", "gzip")])
        if p == "/latin1":
            return self.send(200, "<html><head><title>Caf\u00e9 M\u00fcller</title></head><body><p>Gr\u00fc\u00dfe</p></body></html>".encode("latin-1"),
                             "text/html; charset=iso-8859-1")
        if p == "/to-metadata":
            return self.redirect("http://169.254.169.254/latest/meta-data/")
        if p == "/to-private":
            return self.redirect("http://10.1.2.3/admin")
        if p == "/to-ipv6-mapped":
            return self.redirect("http://[::ffff:192.168.1.1]/")
        return self.send(404, b"<html><body>not found</body></html>")

    do_HEAD = do_GET


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up early (size caps, timeouts) are expected


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    srv.logfile = sys.argv[2]
    open(srv.logfile, "w").close()
    with open(sys.argv[1], "w") as f:
        f.write(str(srv.server_address[1]))
    srv.timeout = 1
    deadline = time.time() + 300  # never outlive a test run
    while time.time() < deadline:
        srv.handle_request()


if __name__ == "__main__":
    main()
