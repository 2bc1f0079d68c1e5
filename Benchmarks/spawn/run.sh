#!/bin/sh
# Spawning 1,000 `true` processes two at a time, side by side, in one run:
#   raw               posix_spawn + wait(-1) in one thread (the floor; no pipes, no group)
#   runner            ProcessRunner.run of `true` (ShellCommand's direct exec), 2 tasks in flight
#   runner-subreaper  the same with Reaper.becomeSubreaper() (as the engine runs it)
#   runner-sh         ProcessRunner.run of `/bin/sh -c true`
#   dispatch          the runner's spawn (pipes, group, pidfd) waited on with DispatchSources
#   make -j2          GNU make, 1,000 phony targets whose recipe is `@true`
#   Benchmarks/spawn/run.sh [COUNT] [REPEATS]       (from anywhere; defaults 1000 and 5)
# Prints every repetition's wall time in seconds and the best of each. The Swift side is compiled
# with swiftc -O from Sources/FlowEngine/Process, Kinds/StepExecutor.swift and FlowCore.
set -eu
cd "$(dirname "$0")/../.."
count="${1:-1000}"
repeats="${2:-5}"
out="${TMPDIR:-/tmp}/flow-spawn-bench.$$"
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT

# A snapshot of FlowCore, so edits in progress elsewhere cannot change files mid-compile.
cp -R Sources/FlowCore "$out/FlowCoreSources"
flags="-O -wmo -swift-version 6 -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault"
# shellcheck disable=SC2086
swiftc $flags -parse-as-library -module-name FlowCore -emit-module -emit-module-path "$out/FlowCore.swiftmodule" \
    -emit-library -static -o "$out/libFlowCore.a" $(find "$out/FlowCoreSources" -name '*.swift')
# shellcheck disable=SC2086
swiftc $flags -module-name spawnbench -I "$out" -L "$out" -lFlowCore \
    Benchmarks/spawn/main.swift Sources/FlowEngine/Process/*.swift Sources/FlowEngine/Kinds/StepExecutor.swift \
    -o "$out/spawnbench"

{
    printf '.PHONY: all'
    i=1; while [ "$i" -le "$count" ]; do printf ' t%d' "$i"; i=$((i + 1)); done
    printf '\nall:'
    i=1; while [ "$i" -le "$count" ]; do printf ' t%d' "$i"; i=$((i + 1)); done
    printf '\n'
    i=1; while [ "$i" -le "$count" ]; do printf 't%d:\n\t@true\n' "$i"; i=$((i + 1)); done
} > "$out/Makefile"

now() { date +%s%N; }
echo "$count x true, 2 at a time; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); best of $repeats"
echo "mode              wall s (best)  own CPU s (best)  all wall times"
for mode in raw runner runner-subreaper runner-sh dispatch make; do
    walls=""
    cpus=""
    r=0
    while [ "$r" -lt "$repeats" ]; do
        if [ "$mode" = make ]; then
            t0=$(now)
            make -s -j2 -f "$out/Makefile" all
            t1=$(now)
            line="make $(echo "$t0 $t1" | awk '{ printf "%.3f", ($2 - $1) / 1e9 }') -"
        else
            # A crash (libdispatch's, for `dispatch`) is counted, not fatal.
            line=$( ("$out/spawnbench" "$mode" "$count" 2) 2>/dev/null | tail -n 1)
            [ -n "$line" ] || line="$mode crash crash"
        fi
        walls="$walls $(echo "$line" | awk '{ print $2 }')"
        cpus="$cpus $(echo "$line" | awk '{ print $3 }')"
        r=$((r + 1))
    done
    best() { echo "$1" | tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -n | head -n 1; }
    printf '%-17s %-14s %-17s%s\n' "$mode" "$(best "$walls")" "$(best "$cpus")" "$walls"
done
