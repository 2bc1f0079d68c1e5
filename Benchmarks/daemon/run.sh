#!/bin/sh
# The daemon's numbers, side by side in one run (docs/benchmarks.md, "Daemon"):
#   1. next-fire computations per second, FlowCore vs croniter (Benchmarks/cron/run.sh);
#   2. idle CPU and resident memory (VmRSS, PSS, per group of mappings) of `flow daemon` over
#      60 s with 200 schedules;
#   3. fire latency p50/p99 of a seconds schedule (run start minus scheduled_for), 120 fires.
#   Benchmarks/daemon/run.sh [idle-seconds] [latency-seconds]   (from the repository root)
# Builds `flow` as it ships (Dockerfile, Workflows/ci.yaml: release, Swift runtime linked
# statically) into .build-bench, unless FLOW_BIN names a binary built that way.
# Needs: python3, sqlite3, croniter==7.0.0 (for part 1).
set -eu
cd "$(dirname "$0")/../.."
idle=${1:-60}
latency=${2:-120}
if [ -z "${FLOW_BIN:-}" ]; then
    swift build -c release --static-swift-stdlib --product flow --scratch-path .build-bench 2>&1 | tail -1
    FLOW_BIN=$(swift build -c release --static-swift-stdlib --product flow --scratch-path .build-bench --show-bin-path)/flow
fi
work="${TMPDIR:-/tmp}/flow-daemon-bench.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); binary: $FLOW_BIN"

echo
echo "== 1. next-fire computations per second (Benchmarks/cron/run.sh)"
Benchmarks/cron/run.sh

echo
echo "== 2. idle daemon, 200 schedules, ${idle} s"
python3 Benchmarks/daemon/measure.py idle "$FLOW_BIN" "$work/idle" "$idle"

echo
echo "== 3. fire latency, */1 * * * * *, ${latency} s"
python3 Benchmarks/daemon/measure.py latency "$FLOW_BIN" "$work/latency" "$latency"
