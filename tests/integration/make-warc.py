#!/usr/bin/env python3
"""make-warc.py CORPUS OUTDIR: test WARC files made from sample-corpus pages.

  good.warc.gz     gzip per record: warcinfo, 40 responses (some chunked, some
                   gzip-encoded), a Latin-1 page, a 404, a PNG, a request
  plain.warc       the same kind of records, uncompressed, one damaged header
  truncated.warc.gz  a gzip file cut in the middle of a record
  garbage.warc     not a WARC at all
"""
import gzip
import os
import sys
import zlib


def record(wtype, uri, ctype, block):
    head = ("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-05-01T10:00:00Z\r\n"
            "WARC-Record-ID: <urn:uuid:%08d>\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (wtype, uri, zlib.crc32(uri.encode() + wtype.encode()), ctype, len(block)))
    return head.encode() + block + b"\r\n\r\n"


def response(status, ctype, body, chunked=False, gz=False):
    headers = ["HTTP/1.1 %s" % status, "Content-Type: %s" % ctype]
    if gz:
        body = gzip.compress(body, mtime=0)
        headers.append("Content-Encoding: gzip")
    if chunked:
        headers.append("Transfer-Encoding: chunked")
        half = len(body) // 2
        body = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (half, body[:half], len(body) - half, body[half:])
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    pages = []
    with open(os.path.join(corpus, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            path, url = line.rstrip("\n").split("\t")
            pages.append((path, url))
    pages = pages[::45][:40]
    recs = [record("warcinfo", "", "application/warc-fields", b"software: make-warc.py\r\n")]
    for i, (path, url) in enumerate(pages):
        with open(os.path.join(corpus, path), "rb") as f:
            body = f.read()
        recs.append(record("request", url, "application/http; msgtype=request",
                           b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        recs.append(record("response", url, "application/http; msgtype=response",
                           response("200 OK", "text/html; charset=utf-8", body,
                                    chunked=i % 3 == 0, gz=i % 4 == 0)))
    latin = "<html><head><title>Zürich Bäckerei</title></head><body><p>Frisches Brot aus Zürich, café crème.</p></body></html>"
    recs.append(record("response", "https://baeckerei.example/", "application/http; msgtype=response",
                       response("200 OK", "text/html; charset=ISO-8859-1", latin.encode("latin-1"))))
    recs.append(record("response", "https://missing.example/", "application/http; msgtype=response",
                       response("404 Not Found", "text/html", b"<html>gone</html>")))
    recs.append(record("response", "https://img.example/logo.png", "application/http; msgtype=response",
                       response("200 OK", "image/png", b"\x89PNG\r\n\x1a\n")))
    with open(os.path.join(out, "good.warc.gz"), "wb") as f:
        for r in recs:
            f.write(gzip.compress(r, mtime=0))
    with open(os.path.join(out, "plain.warc"), "wb") as f:
        f.write(record("resource", "https://plain.example/", "text/html",
                       b"<html><title>Plain resource</title><body>quokka</body></html>"))
        f.write(b"WARC/1.0\r\nWARC-Type: response\r\nno colon here and no length\r\n\r\n")
        f.write(record("resource", "https://after.example/", "text/html",
                       b"<html><title>After damage</title><body>wombat</body></html>"))
    whole = b"".join(gzip.compress(r, mtime=0) for r in recs[:6])
    with open(os.path.join(out, "truncated.warc.gz"), "wb") as f:
        f.write(whole[: len(whole) - 200])
    with open(os.path.join(out, "garbage.warc"), "wb") as f:
        f.write(bytes(range(256)) * 16)
    print(len(pages))


if __name__ == "__main__":
    main()
