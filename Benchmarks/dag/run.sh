#!/usr/bin/env bash
# 1,000 no-op steps in two shapes (independent, chain), run by flow (recording every step in
# SQLite), make -j2 and ninja -j2, side by side in one run. Prints wall time and per-step cost.
# Usage: Benchmarks/dag/run.sh [N] [REPEATS]     (needs: python3, make, ninja-build)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
REPEATS=${2:-5}
# FLOW=path/to/flow skips the build (e.g. a binary built elsewhere). The binary is built as
# it ships (Dockerfile, Workflows/ci.yaml): release, Swift runtime linked statically.
if [ -z "${FLOW:-}" ]; then
    swift build -c release --static-swift-stdlib --product flow >/dev/null
    FLOW=$(swift build -c release --static-swift-stdlib --show-bin-path)/flow
fi
FLOW=$(realpath "$FLOW")  # the runs below happen in another folder
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/dag/generate.py "$WORK" "$N"

now() { date +%s.%N; }
# Best of REPEATS wall-clock seconds of a command (fresh state each time).
best() {
    local best=999999 t0 t1 dt
    for _ in $(seq "$REPEATS"); do
        "$@" prep
        t0=$(now)
        if ! "$@" go; then echo "error: $1 $2 failed" >&2; exit 1; fi
        t1=$(now)
        dt=$(echo "$t1 - $t0" | bc -l)
        if (( $(echo "$dt < $best" | bc -l) )); then best=$dt; fi
    done
    printf '%.3f' "$best"
}
flow_run() { # $1 shape, $2 phase
    if [ "$2" = prep ]; then rm -rf "$WORK/db-$1" "$WORK/.flow"; return; fi
    (cd "$WORK" && FLOW_DB="$WORK/db-$1/flow.db" "$FLOW" run "$WORK/$1.yaml" >/dev/null)
}
make_run() { [ "$2" = prep ] && return; make -s -j2 -f "$WORK/$1.mk" all >/dev/null; }
ninja_run() {
    if [ "$2" = prep ]; then rm -f "$WORK/.ninja_log" "$WORK/.ninja_deps"; return; fi
    (cd "$WORK" && ninja -j2 -f "$1.ninja" >/dev/null)
}
validate_run() { [ "$2" = prep ] && return; "$FLOW" validate "$WORK/independent.yaml" >/dev/null; }

printf '%-12s %-8s %10s %14s\n' shape engine "wall (s)" "per step (ms)"
for shape in independent chain; do
    for engine in flow make ninja; do
        t=$(best "${engine}_run" "$shape")
        printf '%-12s %-8s %10s %14.3f\n' "$shape" "$engine" "$t" "$(echo "$t * 1000 / $N" | bc -l)"
    done
done
t=$(best validate_run x)
printf '\nflow validate of the %s-step file: %s s (whole process, best of %s)\n' "$N" "$t" "$REPEATS"
