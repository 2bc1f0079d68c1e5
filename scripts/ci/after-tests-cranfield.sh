#!/usr/bin/env bash
# CI check (run by .ci/run after the tests): Pipelines/cranfield.yaml end to end, twice — with
# the embedded `hash` embedder (the pipeline's default) and with the `openai` provider against
# all-MiniLM-L6-v2 served by scripts/ci/embedding-server.py — beside a reference BM25 computed
# in the same run (scripts/ci/cranfield_reference.py, PyPI bm25s). Fails unless our BM25
# matches the reference and hybrid beats BM25 with MiniLM (nDCG@10); prints every number.
#
# Uses the server at $OPENAI_BASE_URL (.ci/run starts it: scripts/ci/start-embedding-server.sh);
# when the variable is unset, starts one itself. Each run gets a fresh run database and
# embedding cache, so every text is really embedded. $FLOW_BIN: a flow binary to use instead
# of building one with `swift build`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# The shared data is a sibling of the repository in CI.
data="../shared/data/cranfield"
if [ ! -f "$data/cranqrel" ]; then
    echo "error: the Cranfield collection is not at $root/$data" >&2
    exit 1
fi
if [ -z "${OPENAI_BASE_URL:-}" ]; then
    bash scripts/ci/start-embedding-server.sh
    set -a
    # shellcheck source=/dev/null
    . "${FLOW_CI_ENV:-${FLOW_CI_STATE:-/tmp/flow-ci}/test.env}"
    set +a
fi
model=${OPENAI_EMBEDDING_MODEL:-sentence-transformers/all-MiniLM-L6-v2}

if [ -n "${FLOW_BIN:-}" ]; then
    flow=$FLOW_BIN
else
    swift build --product flow 2>&1 | tail -1
    flow="$(swift build --show-bin-path)/flow"
fi

# run LABEL PARAM…: runs the pipeline into .flow/cranfield-ci/LABEL; prints the report's path last.
run() {
    local label=$1
    shift
    local state=.flow/cranfield-ci/$label
    rm -rf "$state"
    mkdir -p "$state"
    local started finished
    started=$(date +%s%N)
    FLOW_DB="$root/$state/flow.db" "$flow" run Pipelines/cranfield.yaml -p path="$data" -p collection="cranfield-ci-$label" "$@" >&2
    finished=$(date +%s%N)
    echo "Cranfield pipeline wall time ($label): $(((finished - started) / 1000000)) ms" >&2
    FLOW_DB="$root/$state/flow.db" "$flow" runs --limit 1 --output json |
        python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["workspace"] + "/evaluate/report.json")'
}

hash_report=$(run hash)
minilm_report=$(run minilm -p embed_provider=openai -p embed_model="$model")
python3 scripts/ci/cranfield_reference.py "$data" hash="$hash_report" MiniLM="$minilm_report" --hybrid-must-win MiniLM
