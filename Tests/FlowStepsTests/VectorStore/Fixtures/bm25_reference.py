"""BM25 references from PyPI bm25s, for TextAnalysisTests and SQLiteVectorStoreTests.

    pip install bm25s==0.3.16 nltk==3.10.4 numpy==2.4.6 scipy==1.17.1
    python3 bm25_reference.py CRANFIELD_DIR > bm25-reference.json

bm25s defaults: method "lucene", k1 = 1.5, b = 0.75; tokenisation bm25s.tokenize(lower=True,
token pattern (?u)\\b\\w\\w+\\b, stopwords="en" (Lucene's 33 words), stemmer = NLTK's
PorterStemmer().stem) — the `english` analysis; `simple` is the same without stop words and
stemmer. Scores are bm25s's float32 `get_scores` for every document.

Cranfield: the `.W` text of each record of cran.all.1400 (lines after `.W` up to the next
field), the first 40 queries of cran.qry (their `.W` text); top 10 by score (ties: lower
document position first).
"""
import json, sys
import bm25s
import numpy as np
from nltk.stem.porter import PorterStemmer

_porter = PorterStemmer()

class Porter:
    def stemWords(self, words):
        return [_porter.stem(w) for w in words]

ANALYSES = {"english": dict(stopwords="en", stemmer=Porter()), "simple": dict(stopwords=None, stemmer=None)}

def tokens(texts, analysis):
    return bm25s.tokenize(texts, return_ids=False, show_progress=False, **ANALYSES[analysis])

def index(texts, analysis):
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, show_progress=False, **ANALYSES[analysis]), show_progress=False)
    return retriever

def scores(retriever, query, analysis):
    q = tokens([query], analysis)[0]
    q = [t for t in q if t in retriever.vocab_dict]
    return [float(s) for s in retriever.get_scores(q)] if q else [0.0] * retriever.scores["num_docs"]

CORPUS = [
    "The wing flow over the wing.",
    "Shock wave flow",
    "Boundary layer: wing flow, flow!",
    "Heat transfer in laminar boundary layers at hypersonic speeds",
    "Experimental investigation of the boundary-layer transition on a flat plate",
    "Naïve café — the 2nd über_wing test; wings and winged flows",
]
QUERIES = ["wing", "wing wing", "boundary layer flow", "heat transfer hypersonic", "the of", "winged wings"]

def smart(path):
    records, current, field = [], None, None
    for line in open(path):
        if line.startswith(".I "):
            current = {"id": line.split()[1].strip(), "W": ""}
            records.append(current)
            field = None
        elif line[:2] in (".T", ".A", ".B", ".W") and line.strip() == line[:2]:
            field = line[1]
        elif field == "W":
            current["W"] += line
    return records

if __name__ == "__main__":
    out = {"generator": "bm25_reference.py", "corpus": CORPUS, "queries": QUERIES, "analyses": {}}
    for analysis in ANALYSES:
        retriever = index(CORPUS, analysis)
        out["analyses"][analysis] = {
            "tokens": tokens(CORPUS + QUERIES, analysis),
            "scores": [scores(retriever, q, analysis) for q in QUERIES],
        }
    if len(sys.argv) > 1:
        docs = smart(sys.argv[1] + "/cran.all.1400")
        queries = smart(sys.argv[1] + "/cran.qry")[:40]
        retriever = index([d["W"] for d in docs], "english")
        top = []
        for q in queries:
            s = np.array(scores(retriever, q["W"], "english"))
            order = np.lexsort((np.arange(len(s)), -s))[:10]
            top.append({"query": q["W"], "ids": [docs[i]["id"] for i in order], "scores": [float(s[i]) for i in order]})
        out["cranfield"] = top
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
