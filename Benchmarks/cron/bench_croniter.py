#!/usr/bin/env python3
"""croniter's next-fire-time throughput on the cases in cases.tsv (the same work as main.swift:
per case, build the iterator from the expression, then the next three fire times)."""
import datetime as dt
import sys
import time
from zoneinfo import ZoneInfo

from croniter import croniter


def load(path):
    cases = []
    for line in open(path):
        if line.startswith("#"):
            continue
        ours, theirs, zone, start, seconds = line.rstrip("\n").split("\t")
        z = ZoneInfo(zone)
        cases.append((theirs, dt.datetime.fromtimestamp(int(start), z), seconds == "1"))
    return cases


def measure(work, body):
    """Runs body (work computations) for at least 2 s of wall time; returns computations per
    wall second and per CPU second of this process (the machine is shared)."""
    body()  # warm-up
    rounds, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < 2.0:
        body()
        rounds += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return int(work * rounds / wall), int(work * rounds / cpu)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Benchmarks/cron/cases.tsv"
    cases = load(path)

    def with_parse():
        for text, start, seconds in cases:
            it = croniter(text, start, second_at_beginning=seconds)
            for _ in range(3):
                it.get_next(dt.datetime)

    iterators = [(croniter(text, start, second_at_beginning=seconds), start) for text, start, seconds in cases]

    def next_only():
        for it, start in iterators:
            it.set_current(start, force=True)
            for _ in range(3):
                it.get_next(dt.datetime)

    from importlib.metadata import version as installed
    version = installed("croniter")
    for label, body in (("parse+next", with_parse), ("next only ", next_only)):
        wall, cpu = measure(len(cases) * 3, body)
        print(f"croniter {label}  {wall} /s wall  {cpu} /s CPU   (croniter {version})")


if __name__ == "__main__":
    main()
