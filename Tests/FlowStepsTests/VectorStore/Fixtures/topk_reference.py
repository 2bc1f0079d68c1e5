"""Exact top-k references computed by numpy, for VectorMatrixTests and SQLiteVectorStoreTests.

    pip install numpy==2.4.6
    python3 topk_reference.py > topk-reference.json

Vectors come from a SplitMix64 generator (Steele, Lea, Flood 2014; constants as in Java's
SplittableRandom) that the Swift test reimplements: value = (next() >> 40) / 2^24 * 2 - 1,
exactly representable in float32. `dot` cases score raw dot products in float64;
`cosine` cases L2-normalise rows and queries first. Ties are broken by lower row.
"""
import json, sys
import numpy as np

MASK = (1 << 64) - 1

def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)

def values(seed, count):
    g = splitmix64(seed)
    return np.array([(next(g) >> 40) / float(1 << 24) * 2 - 1 for _ in range(count)], dtype=np.float64)

def case(name, seed, rows, dim, queries, k, metric):
    data = values(seed, rows * dim + queries * dim)
    x = data[: rows * dim].reshape(rows, dim)
    q = data[rows * dim :].reshape(queries, dim)
    if metric == "cosine":
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        q = q / np.linalg.norm(q, axis=1, keepdims=True)
    results = []
    for query in q:
        s = x @ query
        order = np.lexsort((np.arange(rows), -s))[:k]
        results.append({"rows": [int(i) for i in order], "scores": [float(s[i]) for i in order]})
    return {"name": name, "seed": seed, "rows": rows, "dimension": dim, "queries": queries, "k": k,
            "metric": metric, "results": results}

if __name__ == "__main__":
    cases = [
        case("small dot", 1, 300, 8, 3, 5, "dot"),
        case("odd dimension dot", 2, 257, 37, 3, 7, "dot"),
        case("parallel dot", 3, 1200, 384, 2, 10, "dot"),
        case("cosine", 4, 200, 16, 3, 10, "cosine"),
    ]
    json.dump({"generator": "topk_reference.py", "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")
