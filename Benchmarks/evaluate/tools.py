"""The reference side of Benchmarks/evaluate/run.sh: generates the inputs and times pytrec_eval
and ranx on them, printing one JSON object per tool."""
import json
import os
import random
import statistics
import sys
import time

METRICS_TREC = {"map", "recip_rank", "P.5,10", "recall.5,10,100", "ndcg_cut.10"}
NAMES = ["map", "recip_rank", "P_5", "P_10", "recall_5", "recall_10", "recall_100", "ndcg_cut_10"]
RANX = {"map": "map", "recip_rank": "mrr", "P_5": "precision@5", "P_10": "precision@10",
        "recall_5": "recall@5", "recall_10": "recall@10", "recall_100": "recall@100",
        "ndcg_cut_10": "ndcg@10"}


def generate(cranfield, out_dir, docs_per_query):
    """Cranfield qrels in TREC form (grade = 5 - code, -1 → 0, per the data's README) and a
    seeded run with `docs_per_query` documents per query, scores on a coarse grid (ties)."""
    qrels = {}
    with open(os.path.join(cranfield, "cranqrel")) as f:
        for line in f:
            q, d, code = line.split()
            qrels.setdefault(q, {})[d] = 5 - int(code) if 1 <= int(code) <= 4 else 0
    with open(os.path.join(out_dir, "cranfield.qrels"), "w") as f:
        for q in sorted(qrels, key=int):
            for d in sorted(qrels[q], key=int):
                f.write(f"{q} 0 {d} {qrels[q][d]}\n")
    rng = random.Random(7)
    with open(os.path.join(out_dir, "large.run"), "w") as f:
        for q in sorted(qrels, key=int):
            docs = rng.sample(range(1, 1401), docs_per_query)
            scored = sorted(((round(rng.random(), 3), d) for d in docs), reverse=True)
            for rank, (score, d) in enumerate(scored, start=1):
                f.write(f"{q} Q0 {d} {rank} {score} bench\n")


def time_pytrec_eval(qrels_path, run_path, repeats):
    import pytrec_eval
    parse, evaluate = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        with open(qrels_path) as f:
            qrels = pytrec_eval.parse_qrel(f)
        with open(run_path) as f:
            run = pytrec_eval.parse_run(f)
        middle = time.perf_counter()
        per_query = pytrec_eval.RelevanceEvaluator(qrels, METRICS_TREC).evaluate(run)
        means = {n: pytrec_eval.compute_aggregated_measure(n, [v[n] for v in per_query.values()])
                 for n in NAMES}
        end = time.perf_counter()
        parse.append((middle - start) * 1e3)
        evaluate.append((end - middle) * 1e3)
    return {"parse_ms": statistics.median(parse), "evaluate_ms": statistics.median(evaluate),
            "queries": len(per_query), "means": means}


def time_ranx(qrels_path, run_path, repeats):
    from ranx import Qrels, Run, evaluate
    parse, scoring = [], []
    first = None
    for i in range(repeats + 1):  # the first round includes numba's JIT compilation
        start = time.perf_counter()
        qrels = Qrels.from_file(qrels_path, kind="trec")
        run = Run.from_file(run_path, kind="trec")
        middle = time.perf_counter()
        scores = evaluate(qrels, run, [RANX[n] for n in NAMES], threads=1)
        end = time.perf_counter()
        if i == 0:
            first = (end - start) * 1e3
            continue
        parse.append((middle - start) * 1e3)
        scoring.append((end - middle) * 1e3)
    return {"parse_ms": statistics.median(parse), "evaluate_ms": statistics.median(scoring),
            "first_call_ms": first, "queries": len(run.keys()),
            "means": {n: float(scores[RANX[n]]) for n in NAMES}}


def report(name, line):
    r = json.loads(line)
    extra = ""
    if "first_call_ms" in r:
        extra = "  (first round with numba JIT: %.0f ms)" % r["first_call_ms"]
    print("%-12s %10.1f %12.1f %10.1f  %.6f / %.6f%s" % (
        name, r["parse_ms"], r["evaluate_ms"], r["parse_ms"] + r["evaluate_ms"],
        r["means"]["map"], r["means"]["ndcg_cut_10"], extra))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "report":
        report(sys.argv[2], sys.argv[3])
    elif command == "generate":
        generate(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif command in ("pytrec_eval", "ranx"):
        timer = time_pytrec_eval if command == "pytrec_eval" else time_ranx
        print(json.dumps(timer(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
