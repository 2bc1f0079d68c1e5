#!/usr/bin/env bash
# Exact top-k search: our VectorMatrix (Swift, -O, child tasks on all cores) vs numpy
# (OpenBLAS sgemv + argpartition) on the same vectors and queries, side by side in one run.
#
#   Benchmarks/search/run.sh [ROWS=100000] [DIM=384] [K=10] [QUERIES=20] [REPEATS=5]
#
# Needs: swiftc (the toolchain) and python3 with numpy (pip install numpy==2.4.6).
# Times are per query (matrix already in memory): median and minimum over QUERIES × REPEATS
# searches. The tools take turns, one round of QUERIES searches each, REPEATS times, so that
# both see the same background load. Their top-k rows are compared (the data has no ties).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-100000}"; dim="${2:-384}"; k="${3:-10}"; queries="${4:-20}"; repeats="${5:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$here/tools.py" generate "$work" "$rows" "$dim" "$queries"
swiftc -O -swift-version 6 -module-name SearchBench \
    "$root/Sources/FlowSteps/VectorStore/VectorMatrix.swift" "$here/main.swift" -o "$work/search-bench"

echo "machine: $(nproc) cores, $(uname -m), $(swiftc --version 2>&1 | head -1), numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
echo "data: $rows x $dim float32 (L2-normalised), top-$k, $queries queries x $repeats rounds; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$repeats"); do
    "$work/search-bench" "$work" "$dim" "$k" 1 >>"$work/flow.jsonl"
    python3 "$here/tools.py" numpy "$work" "$rows" "$dim" "$queries" "$k" 1 >>"$work/numpy.jsonl"
done
python3 "$here/tools.py" report "$work/flow.jsonl" "$work/numpy.jsonl"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
