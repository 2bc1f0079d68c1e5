#!/usr/bin/env bash
# CI check (run by .ci/run after the tests): the Cranfield pipeline end to end, beside a
# reference BM25 computed in the same run (scripts/ci/cranfield_reference.py, PyPI bm25s).
# Fails unless our BM25 matches the reference on nDCG@10; prints hybrid vs BM25.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# The shared data is a sibling of the repository in CI.
data="../shared/data/cranfield"
if [ ! -f "$data/cranqrel" ]; then
    echo "error: the Cranfield collection is not at $root/$data" >&2
    exit 1
fi
swift build --product flow 2>&1 | tail -1
flow="$(swift build --show-bin-path)/flow"
export FLOW_DB="$root/.flow/cranfield-ci.db"
started=$(date +%s%N)
"$flow" run Pipelines/cranfield.yaml -p path="$data"
finished=$(date +%s%N)
echo "Cranfield pipeline wall time: $(( (finished - started) / 1000000 )) ms"
report="$(ls -t .flow/workspaces/*/evaluate/report.json | head -1)"
python3 scripts/ci/cranfield_reference.py "$data" "$report"
