#!/usr/bin/env python3
"""A small HTTP server for the crawl tests: misbehaving pages (503 with Retry-After, 429,
permanent 500s, redirects on and off the site). Usage: flaky_server.py PORT LOG_FOLDER.
Each request is appended to LOG_FOLDER/requests.log as "<monotonic seconds> <path> <status>".
Standard library only (http.server), Python 3.8+."""
import http.server
import os
import signal
import sys
import threading
import time

PORT = int(sys.argv[1])
LOG = os.path.join(sys.argv[2], "requests.log")
counts = {}
lock = threading.Lock()

PAGES = {
    "/index.html": '<html><body><h1>Index</h1><a href="/flaky.html">flaky</a> <a href="/limited.html">limited</a> '
                   '<a href="/broken.html">broken</a> <a href="/moved">moved</a> <a href="/away">away</a> '
                   '<a href="/missing.html">missing</a> <a href="/image.png">image</a></body></html>',
    "/flaky.html": "<html><body><p>Flaky page, served on the second try.</p></body></html>",
    "/limited.html": "<html><body><p>Rate limited page.</p></body></html>",
    "/target.html": "<html><body><p>Redirect target.</p></body></html>",
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with lock, open(LOG, "a") as log:
            log.write(f"{time.monotonic():.3f} {self.path} {status}\n")

    def do_GET(self):
        with lock:
            counts[self.path] = counts.get(self.path, 0) + 1
            n = counts[self.path]
        html = [("Content-Type", "text/html; charset=utf-8")]
        if self.path == "/robots.txt":
            self.send(404)
        elif self.path == "/flaky.html" and n == 1:
            self.send(503, b"busy", [("Retry-After", "1")])
        elif self.path == "/limited.html" and n == 1:
            self.send(429, b"slow down")
        elif self.path == "/broken.html":
            self.send(500, b"always broken")
        elif self.path == "/moved":
            self.send(301, b"", [("Location", "/target.html")])
        elif self.path == "/away":
            self.send(302, b"", [("Location", "http://example.invalid/elsewhere.html")])
        elif self.path == "/image.png":
            self.send(200, b"\x89PNG\r\n\x1a\n", [("Content-Type", "image/png")])
        elif self.path in PAGES:
            self.send(200, PAGES[self.path].encode(), html)
        else:
            self.send(404, b"not found")


# A parent may start us with signals blocked (it did in the test runner): take SIGTERM back
# so that the test can stop us.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.signal(signal.SIGTERM, signal.SIG_DFL)
http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
