#!/usr/bin/env bash
# Evaluation time: our Evaluate code vs pytrec_eval and ranx, side by side in one run, on the
# Cranfield qrels (225 queries) and a generated run of DOCS documents per query.
#
#   Benchmarks/evaluate/run.sh [DOCS=1000] [REPEATS=5]
#
# Needs: swiftc (the toolchain), python3 with
#   pip install pytrec-eval-terrier==0.5.11 ranx==0.3.21
# and the Cranfield data at ../shared/data/cranfield (or $CRANFIELD_DIR).
# Each tool reads the same two files in its own process; times are medians over REPEATS rounds,
# split into parsing the files and computing the measures (map, recip_rank, P@5, P@10,
# recall@5/10/100, nDCG@10) with their means. ranx's first round (numba JIT) is reported apart.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
docs="${1:-1000}"
repeats="${2:-5}"
cranfield="${CRANFIELD_DIR:-$root/../shared/data/cranfield}"
[ -f "$cranfield/cranqrel" ] || cranfield=/work/shared/data/cranfield
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/tools.py" generate "$cranfield" "$work" "$docs"
echo "inputs: $(wc -l < "$work/cranfield.qrels") judgements, $(wc -l < "$work/large.run") run lines ($docs per query)"

swiftc -O -swift-version 6 -module-name EvaluateBench \
    "$root"/Sources/FlowSteps/Evaluate/*.swift "$here/main.swift" -o "$work/evaluate-bench"

echo "machine: $(nproc) cores, $(uname -m), $(swiftc --version 2>&1 | head -1)"
printf '%-12s %10s %12s %10s  %s\n' tool parse_ms evaluate_ms total_ms "map / ndcg_cut_10"
report() { python3 "$here/tools.py" report "$1" "$2"; }
report flow "$("$work/evaluate-bench" "$work/cranfield.qrels" "$work/large.run" "$repeats")"
report pytrec_eval "$(python3 "$here/tools.py" pytrec_eval "$work/cranfield.qrels" "$work/large.run" "$repeats")"
if python3 -c "import ranx" 2>/dev/null; then
    report ranx "$(python3 "$here/tools.py" ranx "$work/cranfield.qrels" "$work/large.run" "$repeats" 2>/dev/null)"
else
    echo "ranx         not installed (pip install ranx==0.3.21)"
fi
