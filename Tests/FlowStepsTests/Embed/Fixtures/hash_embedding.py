"""Independent reference of the `hash` embedder (docs/steps/embed.md, "The hash provider"),
written from the documentation, not from the Swift code. Writes hash-embedding.json:

    python3 hash_embedding.py > hash-embedding.json

Standard library only (Python 3.11; Unicode data of that version).
"""
import json, math, sys, unicodedata

STOP = {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
        "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
        "these", "they", "this", "to", "was", "will", "with"}

def fnv1a64(data: bytes) -> int:
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h

def words(text):
    text = unicodedata.normalize("NFC", text).lower()
    out, cur = [], ""
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            cur += ch
        else:
            if cur:
                out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return [w for w in out if w not in STOP]

def features(text):
    ws = words(text)
    feats = []
    feats += [("w:" + w, 3.0) for w in ws]
    feats += [("b:" + a + " " + b, 1.0) for a, b in zip(ws, ws[1:])]
    for w in ws:
        m = "<" + w + ">"
        for n in (3, 4, 5):
            feats += [("c:" + m[i:i + n], 1.0) for i in range(len(m) - n + 1)]
    return feats

def embed(text, dim):
    v = [0.0] * dim
    for f, weight in features(text):
        h = fnv1a64(f.encode("utf-8"))
        sign = -1.0 if h >> 63 else 1.0
        v[h % dim] += sign * weight
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v] if norm > 0 else v

CASES = [
    ("x", 8),
    ("Wing", 8),
    ("The boundary layer of a wing", 16),
    ("Boundary-layer flow over a flat plate at Mach 2.5; heat transfer measured.", 384),
    ("Écoulement supersonique — naïve café 東京 2024", 64),
    ("the of and", 8),
    ("", 8),
]

if __name__ == "__main__":
    cases = []
    for text, dim in CASES:
        cases.append({"text": text, "dimension": dim,
                      "features": sorted([f, w] for f, w in features(text)),
                      "vector": embed(text, dim)})
    json.dump({"generator": "hash_embedding.py", "cases": cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
