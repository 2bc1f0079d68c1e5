#!/usr/bin/env python3
"""Produces the expected values of the Evaluate tests with independent reference tools.

Run from the repository root (it reads the Cranfield judgements from ../shared/data/cranfield,
or from $CRANFIELD_DIR):

    pip install pytrec-eval-terrier==0.5.11 sacrebleu==2.6.0 rouge-score==0.1.2 nltk==3.10.4
    python3 Tests/FlowStepsTests/Evaluate/Fixtures/generate.py

Writes, next to this script:
  trec/cranfield.run           a generated run over the Cranfield queries (seeded, with ties)
  trec/expected/<run>.json     pytrec_eval's per-query values and the means for each run file
                               against its qrels, with trec_eval's default averaging and with
                               `-c` (every judged query, missing ones counted as 0)
  trec/expected/graded.report.txt   `trec_eval -q -m ...` style text of graded.run, printed
                               with trec_eval's format ("%-22s\\t%s\\t%6.4f") from pytrec_eval values
  bleu/expected.json           sacrebleu BLEU().corpus_score on bleu/pairs.json, per case, and
                               sacrebleu's 13a tokenization of every sentence
  rouge/expected.json          rouge-score RougeScorer(['rougeL']) on rouge/pairs.json, with and
                               without the Porter stemmer
  rouge/stems.json             NLTK's PorterStemmer().stem (rouge-score's stemmer) on words made
                               to reach every rule of the algorithm

The hand-written inputs (trec/*.qrels, trec/{ties,graded,missing,empty}.run, bleu/pairs.json,
rouge/pairs.json) are committed; so is every output. Our code never produces any of these.
"""
import json
import os
import random
import sys
from importlib.metadata import version

import pytrec_eval
import sacrebleu
from nltk.stem.porter import PorterStemmer
from rouge_score import rouge_scorer
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

PINNED = {"pytrec-eval-terrier": "0.5.11", "sacrebleu": "2.6.0", "rouge-score": "0.1.2",
          "nltk": "3.10.4"}
for package, pinned in PINNED.items():
    if version(package) != pinned:
        sys.exit(f"{package} {version(package)} is installed; the fixtures pin {pinned}")

HERE = os.path.dirname(os.path.abspath(__file__))
CRANFIELD = os.environ.get("CRANFIELD_DIR", os.path.join("..", "shared", "data", "cranfield"))

# Measures as pytrec_eval names them, and the order our tests ask for them.
MEASURES = {"P.1,3,5,10", "recall.1,3,5,10,100", "ndcg_cut.1,3,5,10,20", "recip_rank", "map"}
NAMES = (["map", "recip_rank"] + [f"P_{k}" for k in (1, 3, 5, 10)]
         + [f"recall_{k}" for k in (1, 3, 5, 10, 100)]
         + [f"ndcg_cut_{k}" for k in (1, 3, 5, 10, 20)])


def content_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if fields and not fields[0].startswith("#"):
                yield fields


def read_qrels(path):
    qrels = {}
    for qid, _, doc, rel in content_lines(path):
        qrels.setdefault(qid, {})[doc] = int(rel)
    return qrels


def read_run(path):
    run = {}
    for fields in content_lines(path):
        qid, _, doc, _, score = fields[:5]
        run.setdefault(qid, {})[doc] = float(score)
    return run


def cranfield_qrels():
    """cranqrel → TREC grades per the data's README: code 1..4 → grade 5 - code, -1 → 0."""
    qrels = {}
    with open(os.path.join(CRANFIELD, "cranqrel")) as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            qid, doc, code = fields[0], fields[1], int(fields[2])
            qrels.setdefault(qid, {})[doc] = 5 - code if 1 <= code <= 4 else 0
    return qrels


def write_cranfield_run(qrels, path):
    """60 documents per query: some judged ones, the rest random; scores on a 0.05 grid, so many
    ties. Queries 7 and 11 are left out (missing queries); query 'extra' is not judged."""
    rng = random.Random(20260521)
    lines = []
    for q in range(1, 226):
        qid = str(q)
        if qid in ("7", "11"):
            continue
        judged = sorted(qrels.get(qid, {}), key=int)
        docs = set(rng.sample(judged, k=min(len(judged), rng.randint(0, 8))))
        while len(docs) < 60:
            docs.add(str(rng.randint(1, 1400)))
        scored = [(doc, round(rng.randint(0, 40) * 0.05, 2)) for doc in sorted(docs, key=int)]
        scored.sort(key=lambda pair: -pair[1])
        for rank, (doc, score) in enumerate(scored, start=1):
            lines.append(f"{qid} Q0 {doc} {rank} {score:.2f} cranrand\n")
    lines.append("extra Q0 1 1 1.00 cranrand\n")
    with open(path, "w") as f:
        f.writelines(lines)


def evaluate(qrels, run):
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, MEASURES)
    per_query = evaluator.evaluate(run)
    # trec_eval -c: the judged queries missing from the run are evaluated with no documents.
    complete_run = dict(run)
    for qid in qrels:
        complete_run.setdefault(qid, {})
    complete = evaluator.evaluate(complete_run)

    def means(values, count):
        if count == 0:
            return {name: 0.0 for name in NAMES}
        return {name: pytrec_eval.compute_aggregated_measure(
            name, [values[q][name] for q in sorted(values)]) for name in NAMES}

    return {
        "measures": NAMES,
        "per_query": {q: {n: per_query[q][n] for n in NAMES} for q in sorted(per_query)},
        "query_count": len(per_query),
        "mean": means(per_query, len(per_query)),
        "query_count_complete": len(qrels),
        "mean_complete": means(complete, len(qrels)),
    }


def trec_report(result):
    lines = []
    for qid in sorted(result["per_query"], key=lambda q: q.encode()):
        for name in NAMES:
            lines.append("%-22s\t%s\t%6.4f\n" % (name, qid, result["per_query"][qid][name]))
    for name in NAMES:
        lines.append("%-22s\t%s\t%6.4f\n" % (name, "all", result["mean"][name]))
    return "".join(lines)


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def generate_trec():
    trec = os.path.join(HERE, "trec")
    os.makedirs(os.path.join(trec, "expected"), exist_ok=True)
    small = read_qrels(os.path.join(trec, "small.qrels"))
    for name in ("ties", "graded", "missing", "empty"):
        result = evaluate(small, read_run(os.path.join(trec, f"{name}.run")))
        write_json(os.path.join(trec, "expected", f"{name}.json"), result)
        if name == "graded":
            with open(os.path.join(trec, "expected", "graded.report.txt"), "w") as f:
                f.write(trec_report(result))
    cranfield = cranfield_qrels()
    run_path = os.path.join(trec, "cranfield.run")
    write_cranfield_run(cranfield, run_path)
    write_json(os.path.join(trec, "expected", "cranfield.json"),
               evaluate(cranfield, read_run(run_path)))


def generate_bleu():
    with open(os.path.join(HERE, "bleu", "pairs.json"), encoding="utf-8") as f:
        pairs = json.load(f)
    hyps = [p["hypothesis"] for p in pairs]
    first = [p["references"][0] for p in pairs]
    second = [p["references"][1] for p in pairs]
    cases = {
        "one_reference": (hyps, [first]),
        "two_references": (hyps, [first, second]),
        "first_five": (hyps[:5], [first[:5]]),
        "single_short_sentence": (["the cat"], [["the cat sat on the mat ."]]),
        "no_match": (["xyz qqq"], [["the cat sat on the mat ."]]),
        "only_unigrams_match": (["mat the on"], [["the cat sat on the mat ."]]),
        "empty_hypothesis": ([""], [["a reference"]]),
        "longer_than_reference": (["the cat sat on the red mat today ."], [["the cat sat on the mat ."]]),
        "smoothing_needed": (["the dog sat on a red mat"], [["the cat sat on the mat ."]]),
    }
    expected = {}
    for name, (h, r) in cases.items():
        score = sacrebleu.BLEU().corpus_score(h, r)
        expected[name] = {
            "hypotheses": h, "references": r, "score": score.score, "counts": score.counts,
            "totals": score.totals, "precisions": score.precisions, "bp": score.bp,
            "ratio": score.ratio, "sys_len": score.sys_len, "ref_len": score.ref_len,
        }
    tokenizer = Tokenizer13a()
    sentences = sorted({s for p in pairs for s in [p["hypothesis"], *p["references"]]})
    # BLEU tokenizes `sentence.rstrip()` (BLEU._preprocess_segment).
    tokens = {s: tokenizer(s.rstrip()).split() for s in sentences}
    write_json(os.path.join(HERE, "bleu", "expected.json"),
               {"cases": expected, "tokens": tokens})


def generate_rouge():
    with open(os.path.join(HERE, "rouge", "pairs.json"), encoding="utf-8") as f:
        pairs = json.load(f)
    plain = rouge_scorer.RougeScorer(["rougeL"])
    stemmed = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    out = []
    for p in pairs:
        a = plain.score(p["target"], p["prediction"])["rougeL"]
        b = stemmed.score(p["target"], p["prediction"])["rougeL"]
        out.append({"target": p["target"], "prediction": p["prediction"],
                    "plain": [a.precision, a.recall, a.fmeasure],
                    "stemmed": [b.precision, b.recall, b.fmeasure]})
    write_json(os.path.join(HERE, "rouge", "expected.json"), out)

    # NLTK's Porter stemmer (what use_stemmer=True applies) on synthetic words: roots × suffixes
    # chosen to reach every rule, plus the irregular forms NLTK special-cases.
    roots = ["relat", "condit", "generaliz", "happ", "hop", "run", "control", "electr", "sens",
             "formal", "adjust", "depend", "connect", "agree", "feed", "troubl", "siz", "fil",
             "fail", "cry", "sky", "analog", "vietnam", "digit", "radic", "y", "by", "toy",
             "syzyg", "oat", "tree", "ivy", "orrer", "pri", "b", "fizz", "hiss", "tann", "yy"]
    suffixes = ["", "s", "es", "ed", "ing", "ies", "ied", "ly", "ness", "ful", "fully", "ation",
                "ational", "ative", "alize", "ize", "izer", "ization", "ism", "ist", "iti", "ity",
                "ous", "ously", "ive", "ively", "able", "ably", "ible", "ment", "ement", "ent",
                "ence", "ence", "ance", "er", "ic", "ical", "ically", "al", "ally", "alli", "logi",
                "fulli", "bli", "eed", "y", "e", "ll", "sses", "ss", "at", "bl", "iz", "ion",
                "sion", "tion", "ou", "ate", "enci", "anci", "entli", "eli", "ousli", "ator",
                "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "icate",
                "iciti"]
    words = sorted({r + x for r in roots for x in suffixes if len(r + x) > 3}
                   | {"skies", "dying", "lying", "tying", "news", "innings", "outings", "cannings",
                      "howe", "proceed", "exceed", "succeed", "ties", "dies", "pies", "cried"})
    stemmer = PorterStemmer()
    write_json(os.path.join(HERE, "rouge", "stems.json"), {w: stemmer.stem(w) for w in words})


if __name__ == "__main__":
    generate_trec()
    generate_bleu()
    generate_rouge()
