#!/bin/sh
# Next-fire-time throughput, side by side: FlowCore's CronExpression (swiftc -O, compiled
# straight from Sources/FlowCore/Cron) and croniter (PyPI) on the same cases.
#   Benchmarks/cron/run.sh            (from the repository root; needs croniter==7.0.0)
# The cases are Benchmarks/cron/cases.tsv, written by generate_croniter_cases.py together with
# the test fixture: 2,400 (expression, zone, start) triples; each computes 3 successive times.
set -eu
cd "$(dirname "$0")/../.."
out="${TMPDIR:-/tmp}/flow-cron-bench.$$"
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
python3 -c "import croniter" 2>/dev/null || { echo "needs: pip install croniter==7.0.0" >&2; exit 1; }
swiftc -O -swift-version 6 -parse-as-library Sources/FlowCore/Cron/*.swift Benchmarks/cron/main.swift -o "$out/cronbench"
echo "cases: $(grep -vc '^#' Benchmarks/cron/cases.tsv) x 3 next-fire computations; $(nproc) cores, one thread each"
"$out/cronbench" Benchmarks/cron/cases.tsv
python3 Benchmarks/cron/bench_croniter.py Benchmarks/cron/cases.tsv
