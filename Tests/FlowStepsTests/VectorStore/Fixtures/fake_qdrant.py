"""A fake Qdrant REST server on 127.0.0.1 for QdrantVectorStoreTests: every request it receives
and every response it sends is validated against Qdrant's published OpenAPI document
(../shared/data/qdrant/openapi.json, v1.19) with jsonschema, independently of our Swift code.

    python3 fake_qdrant.py --log FILE [--openapi PATH] [--unavailable-first N] [--api-key KEY]

Prints its port on the first line of stdout and exits when stdin closes. Each request becomes a
JSON line in FILE: method, path, template (the OpenAPI path it matched), query, body, api_key
(whether the header matched), errors (request violations), response_errors (violations in our
own answer; a bug of this fake), status. A request with errors is answered 400.

Validation: the operation is found by method and path template; query parameters must be
declared by it and match their schemas; the JSON body must match its requestBody schema; the
answer must match the operation's response schema for its status. The document is OpenAPI 3.0
(schemars output): before validating with JSON Schema 2020-12, `nullable: true` is turned into
a `null` type alternative (a bare `{"nullable": true}` alternative into `{"type": "null"}`), and
object schemas listing `properties` without `additionalProperties` get
`additionalProperties: false`, so that a misspelt or unknown key is an error (the document
has no `allOf`, where this would be wrong).

Behaviour (a small in-memory Qdrant): collections with named or unnamed dense vectors (Cosine:
vectors normalised on insert, score = dot product; Dot) and sparse vectors (modifier `idf`:
idf = ln(1 + (N - df + 0.5) / (df + 0.5)) over the collection's points, score = sum of
idf * query value * point value, as Qdrant documents for sparse vectors with the IDF
modifier); payload indexes are recorded; filters `must` / `must_not` with `has_id` and
`match.any` / `match.value` on payload keys; point counts; query by dense or sparse vector;
aliases (create fails on an existing alias, delete on a missing one).
--unavailable-first N answers the first N requests 503; --api-key requires the `api-key` header.

Needs: jsonschema (pip install jsonschema==4.26.0); exits with "MISSING jsonschema" on stderr
when it is not installed.
"""
import argparse, copy, json, math, os, re, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qsl

try:
    import jsonschema
except ImportError:
    sys.stderr.write("MISSING jsonschema (pip install jsonschema==4.26.0)\n")
    sys.exit(3)


def exit_with_parent():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    def watch():
        sys.stdin.read()
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def strict(schema):
    """OpenAPI 3.0 schema → JSON Schema 2020-12, strict about unknown keys (see above)."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    s = {k: strict(v) for k, v in schema.items()}
    if s.pop("nullable", False):
        if "type" in s:
            s["type"] = [s["type"], "null"] if isinstance(s["type"], str) else s["type"] + ["null"]
        elif "anyOf" in s:
            s["anyOf"] = s["anyOf"] + [{"type": "null"}]
        elif "oneOf" in s:
            s["oneOf"] = s["oneOf"] + [{"type": "null"}]
        elif "$ref" not in s and "enum" not in s:
            s["type"] = "null"
        else:
            s = {"anyOf": [{k: v for k, v in s.items()}, {"type": "null"}]}
    if "properties" in s and "additionalProperties" not in s:
        s["additionalProperties"] = False
    return s


class OpenAPI:
    def __init__(self, path):
        self.doc = json.load(open(path))
        self.components = strict(self.doc["components"])
        self.operations = []
        for template, item in self.doc["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            for method, op in item.items():
                self.operations.append((template.count("{"), template, re.compile(pattern), method.upper(), op))
        self.operations.sort(key=lambda o: o[0])

    def validator(self, schema):
        return jsonschema.Draft202012Validator({**strict(schema), "components": self.components})

    def find(self, method, path):
        for _, template, pattern, m, op in self.operations:
            if m == method and pattern.match(path):
                return template, op
        return None, None

    def check_request(self, op, query, body):
        errors = []
        declared = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        for name, value in query:
            p = declared.get(name)
            if p is None:
                errors.append(f"query parameter {name!r} is not declared")
                continue
            kind = p["schema"].get("type")
            try:
                typed = {"boolean": lambda v: {"true": True, "false": False}[v], "integer": int}.get(kind, str)(value)
            except (KeyError, ValueError):
                errors.append(f"query parameter {name}={value!r} is not a {kind}")
                continue
            errors += [f"query {name}: {e.message}" for e in self.validator(p["schema"]).iter_errors(typed)]
        rb = op.get("requestBody")
        if rb is not None:
            if body is None:
                errors.append("the operation takes a JSON body; none was sent")
            else:
                schema = rb["content"]["application/json"]["schema"]
                errors += [f"body{'/' + '/'.join(map(str, e.absolute_path)) if e.absolute_path else ''}: {e.message}"
                           for e in self.validator(schema).iter_errors(body)]
        elif body is not None:
            errors.append("the operation takes no body")
        return errors

    def check_response(self, op, status, reply):
        responses = op["responses"]
        entry = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if entry is None:
            return [f"status {status} is not documented"]
        schema = entry["content"]["application/json"]["schema"]
        return [e.message for e in self.validator(schema).iter_errors(reply)]


class Store:
    def __init__(self):
        self.collections = {}
        self.aliases = {}
        self.operation = 0

    def resolve(self, name):
        return self.aliases.get(name, name)

    def normalise(self, v):
        n = math.sqrt(sum(x * x for x in v))
        return [x / n for x in v] if n else v

    def distance(self, c, using):
        vectors = c["config"]["params"]["vectors"]
        params = vectors if "size" in vectors else vectors.get(using or "")
        return params["distance"] if params else None

    def matches(self, c, pid, point, f):
        def condition(cond):
            if "has_id" in cond:
                return pid in cond["has_id"]
            if "key" in cond:
                value = point["payload"].get(cond["key"])
                m = cond.get("match", {})
                if "any" in m:
                    return value in m["any"]
                if "value" in m:
                    return value == m["value"]
            if any(k in cond for k in ("must", "must_not", "should")):
                return self.matches(c, pid, point, cond)
            raise ValueError(f"condition not supported by the fake: {cond}")
        if f is None:
            return True
        return (all(condition(x) for x in f.get("must") or [])
                and not any(condition(x) for x in f.get("must_not") or [])
                and (not f.get("should") or any(condition(x) for x in f["should"])))


def main():
    exit_with_parent()
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--openapi", default=os.environ.get("QDRANT_OPENAPI"))
    parser.add_argument("--unavailable-first", type=int, default=0)
    parser.add_argument("--api-key")
    args = parser.parse_args()
    candidates = [args.openapi] if args.openapi else [
        os.path.join(here, "../../../../../shared/data/qdrant/openapi.json"), "/work/shared/data/qdrant/openapi.json"]
    path = next((p for p in candidates if p and os.path.exists(p)), None)
    if path is None:
        sys.stderr.write("MISSING the Qdrant OpenAPI document (../shared/data/qdrant/openapi.json or $QDRANT_OPENAPI)\n")
        sys.exit(3)
    api = OpenAPI(path)
    store = Store()
    lock = threading.Lock()
    counter = {"n": 0}

    def now():
        return 0.000123

    def ok(result):
        return 200, {"result": result, "status": "ok", "time": now()}

    def fail(status, message):
        return status, {"status": {"error": message}, "time": now()}

    def update_result():
        store.operation += 1
        return ok({"operation_id": store.operation, "status": "completed"})

    def handle(method, template, params, query, body):
        q = dict(query)
        name = params.get("collection_name")
        if template == "/collections" and method == "GET":
            return ok({"collections": [{"name": n} for n in sorted(store.collections)]})
        if template == "/aliases":
            return ok({"aliases": [{"alias_name": a, "collection_name": c} for a, c in sorted(store.aliases.items())]})
        if template == "/collections/aliases":
            for action in body["actions"]:
                if "delete_alias" in action:
                    alias = action["delete_alias"]["alias_name"]
                    if alias not in store.aliases:
                        return fail(404, f"Not found: Alias {alias} does not exists!")
                    del store.aliases[alias]
                elif "create_alias" in action:
                    a = action["create_alias"]
                    if a["collection_name"] not in store.collections:
                        return fail(404, f"Not found: Collection `{a['collection_name']}` doesn't exist!")
                    if a["alias_name"] in store.aliases:
                        return fail(400, f"Wrong input: Alias {a['alias_name']} already exists!")
                    store.aliases[a["alias_name"]] = a["collection_name"]
            return ok(True)
        if template == "/collections/{collection_name}/exists":
            return ok({"exists": name in store.collections})
        if template == "/collections/{collection_name}":
            if method == "PUT":
                if name in store.collections:
                    return fail(400, f"Wrong input: Collection `{name}` already exists!")
                params_ = {"vectors": body["vectors"], "shard_number": 1, "replication_factor": 1, "write_consistency_factor": 1}
                if body.get("sparse_vectors"):
                    params_["sparse_vectors"] = body["sparse_vectors"]
                store.collections[name] = {"config": {
                    "params": params_,
                    "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000},
                    "optimizer_config": {"default_segment_number": 0, "flush_interval_sec": 5},
                    "metadata": body.get("metadata")}, "points": {}, "indexes": {}}
                return ok(True)
            if method == "DELETE":
                existed = store.collections.pop(name, None) is not None
                store.aliases = {a: c for a, c in store.aliases.items() if c != name}
                return ok(existed)
            c = store.collections.get(name)
            if c is None:
                return fail(404, f"Not found: Collection `{name}` doesn't exist!")
            return ok({"status": "green", "optimizer_status": "ok", "segments_count": 1,
                       "points_count": len(c["points"]), "indexed_vectors_count": 0,
                       "config": c["config"],
                       "payload_schema": {k: {"data_type": v, "points": len(c["points"])} for k, v in c["indexes"].items()}})
        real = store.resolve(name) if name else None
        c = store.collections.get(real) if real else None
        if name and c is None:
            return fail(404, f"Not found: Collection `{name}` doesn't exist!")
        if template == "/collections/{collection_name}/index":
            c["indexes"][body["field_name"]] = body.get("field_schema", "keyword")
            return update_result()
        if template == "/collections/{collection_name}/points" and method == "PUT":
            if q.get("wait") != "true":
                return fail(400, "this fake expects wait=true on writes")
            vectors = c["config"]["params"]["vectors"]
            for p in body["points"]:
                v = p["vector"]
                stored = {}
                items = {"": v} if isinstance(v, list) else v
                for vname, value in items.items():
                    if isinstance(value, dict):
                        if vname not in (c["config"]["params"].get("sparse_vectors") or {}):
                            return fail(400, f"Wrong input: Not existing vector name error: {vname}")
                        if len(set(value["indices"])) != len(value["indices"]) or len(value["indices"]) != len(value["values"]):
                            return fail(400, "Wrong input: sparse indices must be unique and as many as values")
                        stored[vname] = dict(zip(value["indices"], value["values"]))
                    else:
                        params_ = vectors if vname == "" else vectors.get(vname)
                        if params_ is None or "size" not in params_:
                            return fail(400, f"Wrong input: Not existing vector name error: {vname}")
                        if len(value) != params_["size"]:
                            return fail(400, f"Wrong input: Vector dimension error: expected dim: {params_['size']}, got {len(value)}")
                        stored[vname] = store.normalise(value) if params_["distance"] == "Cosine" else value
                c["points"][p["id"]] = {"vector": stored, "payload": p.get("payload") or {}}
            return update_result()
        if template == "/collections/{collection_name}/points/count":
            f = body.get("filter")
            return ok({"count": sum(1 for pid, p in c["points"].items() if store.matches(c, pid, p, f))})
        if template == "/collections/{collection_name}/points/delete":
            if q.get("wait") != "true":
                return fail(400, "this fake expects wait=true on writes")
            if "points" in body:
                doomed = [pid for pid in body["points"] if pid in c["points"]]
            else:
                doomed = [pid for pid, p in c["points"].items() if store.matches(c, pid, p, body["filter"])]
            for pid in doomed:
                del c["points"][pid]
            return update_result()
        if template == "/collections/{collection_name}/points/query":
            query_vector, using = body["query"], body.get("using") or ""
            scored = []
            if isinstance(query_vector, dict):
                sparse = (c["config"]["params"].get("sparse_vectors") or {}).get(using)
                if sparse is None:
                    return fail(400, f"Wrong input: Not existing vector name error: {using}")
                points = [(pid, p["vector"].get(using, {})) for pid, p in c["points"].items()]
                n = len(points)
                for pid, vec in points:
                    score = 0.0
                    for i, qv in zip(query_vector["indices"], query_vector["values"]):
                        if i in vec:
                            w = 1.0
                            if sparse.get("modifier") == "idf":
                                df = sum(1 for _, other in points if i in other)
                                w = math.log(1 + (n - df + 0.5) / (df + 0.5))
                            score += w * qv * vec[i]
                    if score > 0:
                        scored.append((pid, score))
            else:
                distance = store.distance(c, using)
                if distance is None:
                    return fail(400, f"Wrong input: Not existing vector name error: {using}")
                qv = store.normalise(query_vector) if distance == "Cosine" else query_vector
                for pid, p in c["points"].items():
                    vec = p["vector"].get(using)
                    if vec is None or len(vec) != len(qv):
                        return fail(400, "Wrong input: Vector dimension error")
                    scored.append((pid, sum(a * b for a, b in zip(vec, qv))))
            scored.sort(key=lambda s: (-s[1], s[0]))
            limit = body.get("limit") or 10
            with_payload = body.get("with_payload", False)
            return ok({"points": [{"id": pid, "version": 1, "score": score,
                                   **({"payload": c["points"][pid]["payload"]} if with_payload else {})}
                                  for pid, score in scored[:limit]]})
        return fail(400, f"not supported by the fake: {method} {template}")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def process(self, method):
            parts = urlsplit(self.path)
            query = parse_qsl(parts.query, keep_blank_values=True)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body, errors = None, []
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    errors.append("body is not JSON")
                if self.headers.get("Content-Type") != "application/json":
                    errors.append(f"Content-Type is {self.headers.get('Content-Type')}")
            template, op = api.find(method, parts.path)
            params = {}
            if op is None:
                errors.append(f"{method} {parts.path} is not in the OpenAPI document")
            else:
                names = re.findall(r"\{([^}]+)\}", template)
                values = re.match("^" + re.sub(r"\{[^}]+\}", "([^/]+)", template) + "$", parts.path).groups()
                from urllib.parse import unquote
                params = dict(zip(names, map(unquote, values)))
                errors += api.check_request(op, query, body)
            key_ok = args.api_key is None or self.headers.get("api-key") == args.api_key
            with lock:
                counter["n"] += 1
                number = counter["n"]
                if errors:
                    status, reply = fail(400, "; ".join(errors))
                elif not key_ok:
                    status, reply = fail(401, "Unauthorized: Must provide an API key or an Authorization bearer token")
                elif number <= args.unavailable_first:
                    status, reply = fail(503, "Service Unavailable: the fake is warming up")
                else:
                    status, reply = handle(method, template, params, query, body)
                response_errors = api.check_response(op, status, reply) if op is not None else []
                if response_errors:
                    status, reply = 500, {"status": {"error": "fake bug: " + "; ".join(response_errors)}, "time": now()}
                with open(args.log, "a") as log:
                    log.write(json.dumps({"method": method, "path": parts.path, "template": template, "query": query,
                                          "body": body, "api_key": key_ok, "errors": errors,
                                          "response_errors": response_errors, "status": status}) + "\n")
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.process("GET")

        def do_POST(self):
            self.process("POST")

        def do_PUT(self):
            self.process("PUT")

        def do_DELETE(self):
            self.process("DELETE")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()

if __name__ == "__main__":
    main()
