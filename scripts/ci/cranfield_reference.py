#!/usr/bin/env python3
"""Reference BM25 on Cranfield for scripts/ci/after-tests-cranfield.sh, beside our numbers.

    python3 scripts/ci/cranfield_reference.py CRANFIELD_DIR LABEL=REPORT_JSON... [--hybrid-must-win LABEL]...

Each LABEL=REPORT_JSON is the evaluate step's report.json of one run of Pipelines/cranfield.yaml,
LABEL naming its embedder (e.g. hash=…/report.json MiniLM=…/report.json).

Documents as `parse` (format smart) makes them: title and abstract (`.T` + "\\n" + `.W`), the
two records with neither (471, 995) dropped. Queries: the `.W` text of cran.qry, numbered by
position; judgements: cranqrel with grade = 5 - code, -1 -> 0 (../shared/data/cranfield/README.md).
BM25: PyPI bm25s (method "lucene", k1 = 1.5, b = 0.75, as our store), top 100 per query,
evaluated with pytrec_eval (trec_eval's measures) over the 225 queries. Two tokenisations:
  same-as-ours  bm25s.tokenize(stopwords="en", stemmer=NLTK PorterStemmer): our collection's
                `english` text analysis (lowercase, \\w\\w+ tokens, Lucene's 33 stop words, Porter)
  no-stemming   bm25s.tokenize(stopwords="en", stemmer=None): the numbers measured before
                (nDCG@10 0.352, MRR 0.512, R@5 0.285, MAP 0.279)
Prints one table (our BM25 once — it does not depend on the embedder —, vector and hybrid per
report, the two references) and exits 1 unless, on nDCG@10,
  - every report's BM25 >= the same-tokenisation reference - TOLERANCE and >= the no-stemming one;
  - for each --hybrid-must-win LABEL: that report's hybrid > its BM25 (issue 4's target).
Hybrid vs BM25 of the other reports is printed, not gated (the `hash` embedder carries little
that BM25 lacks, so fusing it does not win; see docs/benchmarks.md).
"""
import json
import re
import sys
from importlib.metadata import version

import bm25s
import pytrec_eval
from nltk.stem.porter import PorterStemmer

PINNED = {"bm25s": "0.3.16", "pytrec-eval-terrier": "0.5.11", "nltk": "3.10.4", "numpy": "2.4.6"}
for package, pinned in PINNED.items():
    if version(package) != pinned:
        sys.exit(f"{package} {version(package)} is installed; scripts/ci/pip-packages.txt pins {pinned}")

# Our scores are doubles and bm25s's float32: documents whose scores differ by less than
# float32's precision may swap places. Measured: 0 on this collection (see docs/benchmarks.md).
TOLERANCE = 0.0
METRICS = [("recall@5", "recall_5"), ("ndcg@10", "ndcg_cut_10"), ("mrr", "recip_rank"), ("map", "map")]


def records(path):
    out, current, field = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(".I"):
                current = {"id": line.split()[1]}
                out.append(current)
                field = None
                continue
            marker = re.match(r"^\.([A-Z])(\s|$)", line)
            if marker:
                field = marker.group(1)
                current[field] = current.get(field, "") + line[2:]
                continue
            if field:
                current[field] += line
    return out


class Porter:
    def __init__(self):
        self.porter = PorterStemmer()

    def stemWords(self, words):
        return [self.porter.stem(w) for w in words]


def evaluate(directory, stemmer):
    docs = []
    for r in records(directory + "/cran.all.1400"):
        text = "\n".join(t for t in (r.get("T", "").strip(), r.get("W", "").strip()) if t)
        if text:
            docs.append((r["id"], text))
    queries = [q["W"].strip() for q in records(directory + "/cran.qry")]
    qrels = {}
    with open(directory + "/cranqrel") as f:
        for line in f:
            q, d, code = line.split()
            qrels.setdefault(q, {})[d] = 0 if int(code) == -1 else 5 - int(code)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([t for _, t in docs], stopwords="en", stemmer=stemmer, show_progress=False),
                    show_progress=False)
    hits, scores = retriever.retrieve(
        bm25s.tokenize(queries, stopwords="en", stemmer=stemmer, show_progress=False), k=100, show_progress=False)
    run = {str(i + 1): {docs[j][0]: float(s) for j, s in zip(hits[i], scores[i]) if s > 0} for i in range(len(queries))}
    for q in qrels:
        run.setdefault(q, {})
    per_query = pytrec_eval.RelevanceEvaluator(qrels, {"recall.5", "ndcg_cut.10", "recip_rank", "map"}).evaluate(run)
    return {ours: sum(v[trec] for v in per_query.values()) / len(per_query) for ours, trec in METRICS}


def main():
    arguments = sys.argv[1:]
    gated = []
    while "--hybrid-must-win" in arguments:
        at = arguments.index("--hybrid-must-win")
        gated.append(arguments[at + 1])
        del arguments[at:at + 2]
    if len(arguments) < 2 or not all("=" in a for a in arguments[1:]):
        sys.exit(__doc__.split("\n\n")[1])
    directory = arguments[0]
    reports = {}
    for argument in arguments[1:]:
        label, path = argument.split("=", 1)
        with open(path) as f:
            reports[label] = json.load(f)["retrieval"]["modes"]
    for label in gated:
        if label not in reports:
            sys.exit(f"--hybrid-must-win {label}: no report labelled {label}")
    first = next(iter(reports.values()))
    rows = [("flow BM25", first["bm25"]["mean"])]
    for label, modes in reports.items():
        rows += [(f"flow vector ({label})", modes["vector"]["mean"]), (f"flow hybrid ({label}, RRF)", modes["hybrid"]["mean"])]
    same = evaluate(directory, Porter())
    plain = evaluate(directory, None)
    rows += [("bm25s, same tokenisation", same), ("bm25s, no stemming", plain)]
    width = max(len(name) for name, _ in rows)
    print(f"{'system':<{width}} | " + " | ".join(f"{m:>8}" for m, _ in METRICS))
    print("-" * width + "-+-" + "-+-".join("-" * 8 for _ in METRICS))
    for name, values in rows:
        print(f"{name:<{width}} | " + " | ".join(f"{values[m]:8.4f}" for m, _ in METRICS))
    print()
    failures = []
    for label, modes in reports.items():
        ours, hybrid = modes["bm25"]["mean"]["ndcg@10"], modes["hybrid"]["mean"]["ndcg@10"]
        if ours < same["ndcg@10"] - TOLERANCE:
            failures.append(f"{label}: our BM25 nDCG@10 {ours:.4f} < bm25s with the same tokenisation {same['ndcg@10']:.4f}")
        if ours < plain["ndcg@10"]:
            failures.append(f"{label}: our BM25 nDCG@10 {ours:.4f} < bm25s without stemming {plain['ndcg@10']:.4f}")
        wins = hybrid > ours
        verdict = "beats" if wins else "does not beat"
        gate = "required" if label in gated else "reported only"
        print(f"nDCG@10 with {label}: hybrid {hybrid:.4f} {verdict} BM25 {ours:.4f} "
              f"(bm25s {same['ndcg@10']:.4f}; {gate})")
        if label in gated and not wins:
            failures.append(f"{label}: hybrid nDCG@10 {hybrid:.4f} does not beat BM25 {ours:.4f}")
    for failure in failures:
        print("error: TARGET NOT MET: " + failure, file=sys.stderr)
    if not failures:
        print("targets met: BM25 >= bm25s (same tokenisation)"
              + "".join(f"; hybrid > BM25 with {label}" for label in gated))
    sys.exit(1 if failures else 0)


main()
