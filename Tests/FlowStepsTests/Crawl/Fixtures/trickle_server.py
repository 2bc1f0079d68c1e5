#!/usr/bin/env python3
"""A slow HTTP server for the crawl tests: GET /trickle answers 200 with Content-Length: 100000
at once, then sends the body 1 byte every 0.2 s (a whole body would take 100000 * 0.2 s =
5.5 hours). Usage: trickle_server.py PORT LOG_FOLDER.
Events are appended to LOG_FOLDER/requests.log: "head <path>" once the head is sent, and
"closed <path> <bytes sent>" when the client has closed the connection (a write failed).
Standard library only (http.server), Python 3.8+."""
import http.server
import os
import signal
import sys
import threading
import time

PORT = int(sys.argv[1])
LOG = os.path.join(sys.argv[2], "requests.log")
lock = threading.Lock()
LENGTH = 100000
INTERVAL = 0.2


def log(line):
    with lock, open(LOG, "a") as file:
        file.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path != "/trickle":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(LENGTH))
        self.end_headers()
        self.wfile.flush()
        log(f"head {self.path}")
        sent = 0
        try:
            while sent < LENGTH:
                self.wfile.write(b"x")
                self.wfile.flush()
                sent += 1
                time.sleep(INTERVAL)
        except OSError:  # BrokenPipeError, ConnectionResetError: the client hung up.
            log(f"closed {self.path} {sent}")
            self.close_connection = True


# A parent may start us with signals blocked (it did in the test runner): take SIGTERM back
# so that the test can stop us.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.signal(signal.SIGTERM, signal.SIG_DFL)
http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
