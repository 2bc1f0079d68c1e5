"""Exact top-k search benchmark, numpy side, and the shared data generator.

  tools.py generate DIR ROWS DIM QUERIES   write DIR/matrix.f32, DIR/queries.f32 (seed 20091119)
  tools.py numpy DIR ROWS DIM QUERIES K REPEATS   time numpy, print JSON (times, results)
  tools.py report FLOW.jsonl NUMPY.jsonl            medians over all rounds, agreement

Vectors are standard normal, L2-normalised, float32, little-endian, row-major. numpy computes
scores = X @ q (BLAS sgemv on all cores unless OPENBLAS_NUM_THREADS says otherwise), then
argpartition + argsort for the top k (ties by lower row, as our code does: stable sort on
(-score, row)).
"""
import json, sys, time
import numpy as np

def load(path, dim):
    return np.fromfile(path, dtype="<f4").reshape(-1, dim)

def generate(out, rows, dim, queries):
    rng = np.random.default_rng(20091119)
    x = rng.standard_normal((rows, dim), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = rng.standard_normal((queries, dim), dtype=np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    x.astype("<f4").tofile(f"{out}/matrix.f32")
    q.astype("<f4").tofile(f"{out}/queries.f32")

def top_k(x, q, k):
    s = x @ q
    part = np.argpartition(-s, k - 1)[:k]
    order = np.lexsort((part, -s[part]))
    return part[order], s[part[order]]

def bench(out, dim, k, repeats):
    x = load(f"{out}/matrix.f32", dim)
    qs = load(f"{out}/queries.f32", dim)
    times, results = [], []
    for r in range(repeats):
        for q in qs:
            t = time.perf_counter()
            rows, _ = top_k(x, q, k)
            times.append(time.perf_counter() - t)
            if r == 0:
                results.append([int(i) for i in rows])
    print(json.dumps({"times_ms": [t * 1e3 for t in times], "results": results}))

def report(flow_path, numpy_path):
    def load_rounds(path):
        rounds = [json.loads(line) for line in open(path)]
        times = sorted(t for r in rounds for t in r["times_ms"])
        return times, rounds[0]["results"]
    (ft, fr), (nt, nr) = load_rounds(flow_path), load_rounds(numpy_path)
    med = lambda t: t[len(t) // 2]
    print(f"{'tool':8s} {'median_ms':>10s} {'min_ms':>8s} {'searches':>9s}")
    print(f"{'flow':8s} {med(ft):10.2f} {ft[0]:8.2f} {len(ft):9d}")
    print(f"{'numpy':8s} {med(nt):10.2f} {nt[0]:8.2f} {len(nt):9d}")
    print(f"ratio flow/numpy: median {med(ft) / med(nt):.2f}, min {ft[0] / nt[0]:.2f}")
    print("same top-k rows:", "yes" if fr == nr else "NO")

if __name__ == "__main__":
    if sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
        sys.exit(0)
    cmd, out = sys.argv[1], sys.argv[2]
    rows, dim, queries = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    if cmd == "generate":
        generate(out, rows, dim, queries)
    else:
        bench(out, dim, int(sys.argv[6]), int(sys.argv[7]))
