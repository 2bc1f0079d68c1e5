"""A fake OpenAI-compatible embeddings server on 127.0.0.1 for OpenAIEmbedderTests.

    python3 fake_openai.py --log FILE [--fail-first N --fail-status S --retry-after SECONDS]
                           [--reject] [--delay SECONDS]

Prints the port it listens on (first line of stdout), exits when stdin closes, and serves `POST /v1/embeddings`.
Every request is checked against OpenAI's documented request (API reference, "Embeddings →
Create embeddings", CreateEmbeddingRequest: `input` a string or an array of 1–2048 strings,
`model` a string, optional `encoding_format` "float" | "base64", `dimensions` ≥ 1, `user`;
nothing else) with jsonschema, plus `Content-Type: application/json`; the bearer token is
recorded. Each request becomes one JSON line in FILE: method, path, authorization,
content_type, body, errors (schema violations), status. A request with errors is answered 400.

Answers follow CreateEmbeddingResponse: {"object": "list", "data": [{"object": "embedding",
"index", "embedding"}], "model", "usage": {"prompt_tokens", "total_tokens"}}, with `data` in
REVERSE order (clients must use `index`). The embedding of a text t is
[len(t.encode()), 1, 2, ..., D-1] with D = `dimensions` or 3.

--fail-first N answers the first N requests with status S (default 429) and an OpenAI error
body, with `Retry-After: SECONDS` when given; --reject answers every request 400; --delay
waits before answering (for timeouts).

Needs: jsonschema (pip install jsonschema==4.26.0). Exits 3 with "MISSING jsonschema" on stderr
when it is not installed.
"""
import argparse, json, os, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import jsonschema
except ImportError:
    sys.stderr.write("MISSING jsonschema (pip install jsonschema==4.26.0)\n")
    sys.exit(3)

REQUEST_SCHEMA = {
    "type": "object",
    "required": ["input", "model"],
    "additionalProperties": False,
    "properties": {
        "input": {"anyOf": [
            {"type": "string"},
            {"type": "array", "minItems": 1, "maxItems": 2048, "items": {"type": "string"}},
        ]},
        "model": {"type": "string"},
        "encoding_format": {"enum": ["float", "base64"]},
        "dimensions": {"type": "integer", "minimum": 1},
        "user": {"type": "string"},
    },
}
RESPONSE_SCHEMA = {
    "type": "object",
    "required": ["object", "data", "model", "usage"],
    "properties": {
        "object": {"const": "list"},
        "model": {"type": "string"},
        "data": {"type": "array", "items": {
            "type": "object", "required": ["object", "index", "embedding"],
            "properties": {"object": {"const": "embedding"}, "index": {"type": "integer"},
                           "embedding": {"type": "array", "items": {"type": "number"}}}}},
        "usage": {"type": "object", "required": ["prompt_tokens", "total_tokens"]},
    },
}

def exit_with_parent():
    """Exit when stdin closes (the test stopped us, or ended), and accept SIGTERM even when the
    parent spawned us with it blocked."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    def watch():
        sys.stdin.read()
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()

def main():
    exit_with_parent()
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=429)
    parser.add_argument("--retry-after")
    parser.add_argument("--reject", action="store_true")
    parser.add_argument("--delay", type=float, default=0)
    args = parser.parse_args()
    lock = threading.Lock()
    state = {"count": 0}
    validator = jsonschema.Draft202012Validator(REQUEST_SCHEMA)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self, status, body, headers=()):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            errors = []
            if self.path != "/v1/embeddings":
                errors.append(f"unexpected path {self.path}")
            if self.headers.get("Content-Type") != "application/json":
                errors.append(f"Content-Type is {self.headers.get('Content-Type')}")
            try:
                body = json.loads(raw)
                errors += [e.message for e in validator.iter_errors(body)]
            except ValueError:
                body = None
                errors.append("body is not JSON")
            with lock:
                state["count"] += 1
                number = state["count"]
            if args.delay:
                time.sleep(args.delay)
            if errors or args.reject:
                status, reply, headers = 400, {"error": {"message": "; ".join(errors) or "rejected by --reject",
                                                         "type": "invalid_request_error", "param": None, "code": None}}, []
            elif number <= args.fail_first:
                status = args.fail_status
                reply = {"error": {"message": "Rate limit reached" if status == 429 else "Server overloaded",
                                   "type": "rate_limit_error" if status == 429 else "server_error", "param": None, "code": None}}
                headers = [("Retry-After", args.retry_after)] if args.retry_after is not None else []
            else:
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                d = body.get("dimensions", 3)
                data = [{"object": "embedding", "index": i, "embedding": [float(len(t.encode()))] + [float(j) for j in range(1, d)]}
                        for i, t in enumerate(inputs)]
                n = sum(len(t.split()) for t in inputs)
                status, headers = 200, []
                reply = {"object": "list", "data": list(reversed(data)), "model": body["model"],
                         "usage": {"prompt_tokens": n, "total_tokens": n}}
                jsonschema.validate(reply, RESPONSE_SCHEMA)
            with lock:
                with open(args.log, "a") as log:
                    log.write(json.dumps({"method": "POST", "path": self.path, "authorization": self.headers.get("Authorization"),
                                          "content_type": self.headers.get("Content-Type"), "body": body,
                                          "errors": errors, "status": status}) + "\n")
            self.answer(status, reply, headers)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()

if __name__ == "__main__":
    main()
