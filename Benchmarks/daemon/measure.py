#!/usr/bin/env python3
"""Measures a real `flow daemon` process (used by run.sh).

idle BIN DIR SECONDS: 200 workflows, each with one daily schedule at a time that does not come
  during the measurement; CPU time (utime + stime from /proc/PID/stat) over SECONDS after the
  daemon logged that it listens, as a share of one core; resident memory at the end of the
  window: VmRSS and VmHWM (/proc/PID/status), the proportional set size (Pss in
  /proc/PID/smaps_rollup), and Rss and Pss per group of mappings from /proc/PID/smaps (file
  pages per group; anonymous pages — heap, stacks, relocated data — as one group).
latency BIN DIR SECONDS: one workflow with `*/1 * * * * *` and a step `true`; after SECONDS the
  daemon gets SIGTERM; per run, started_at - scheduled_for and created_at - scheduled_for from the
  database (milliseconds), p50/p99 by the nearest-rank method.
Only the standard library."""
import datetime as dt
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time


def start(binary, root, extra_env=None):
    env = dict(os.environ, FLOW_DB="", NO_COLOR="1")
    env.pop("FLOW_DB")
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [binary, "daemon", "-C", root, "--listen", "127.0.0.1:0", "--log-level", "notice"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    for line in proc.stderr:  # wait for the event, not a time
        if "listening on" in line:
            return proc
    raise SystemExit("the daemon did not start: " + proc.stderr.read())


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def memory_kib(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


# Mapping groups, by the file's name (first match wins).
GROUPS = [
    ("Swift runtime, Foundation (shared libraries)",
     ("libswift", "libFoundation", "lib_FoundationICU", "libdispatch", "libBlocksRuntime")),
    ("curl, TLS, Kerberos, LDAP (FoundationNetworking's libcurl)",
     ("libcurl", "libssl", "libcrypto", "libgnutls", "libnettle", "libhogweed", "libgmp", "libp11-kit", "libtasn1",
      "libkrb5", "libk5crypto", "libgssapi", "libcom_err", "libkeyutils", "libldap", "liblber", "libsasl2", "libssh2",
      "librtmp", "libnghttp2", "libpsl", "libidn2", "libunistring", "libbrotli", "libzstd", "libresolv", "libffi")),
    ("libxml2, ICU (system), zlib, lzma", ("libxml2", "libicu", "libz.", "liblzma")),
    ("SQLite", ("libsqlite3",)),
    ("libc, libm, libstdc++, libgcc, ld.so, other files", ("",)),
]


def memory_groups(pid, binary):
    """[(group, rss_kib, pss_kib)]: file pages by group, then anonymous pages of every mapping."""
    binary = os.path.realpath(binary)
    totals = {}
    anon_rss = 0
    name, rss, anon = None, 0, 0

    def add(key, field, value):
        row = totals.setdefault(key, [0, 0])
        row[field] += value

    pss = 0
    for line in open(f"/proc/{pid}/smaps"):
        head = line.split(None, 1)[0]
        if not head.endswith(":"):  # a mapping's header: range perms offset dev inode [path]
            parts = line.split(None, 5)
            name = parts[5].strip() if len(parts) > 5 else ""
            continue
        if head not in ("Rss:", "Pss:", "Anonymous:"):
            continue
        value = int(line.split()[1])
        if head == "Rss:":
            rss = value
        elif head == "Pss:":
            pss = value
        elif head == "Anonymous:":
            anon = value
            anon_rss += anon
            if name.startswith("/") and rss > anon:
                group = "flow binary" if os.path.realpath(name) == binary else next(
                    label for label, prefixes in GROUPS if any(p in os.path.basename(name) for p in prefixes))
                add(group, 0, rss - anon)
                add(group, 1, max(0, pss - anon))
    order = ["flow binary"] + [label for label, _ in GROUPS]
    rows = [(g, totals[g][0], totals[g][1]) for g in order if g in totals]
    anon_pss = rollup_kib(pid, "Pss_Anon")  # per mapping, smaps has no anonymous share of Pss
    rows.append(("anonymous (heap, stacks, relocated data)", anon_rss, anon_pss))
    return rows


def rollup_kib(pid, key):
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.stderr.read()
    return proc.wait()


def idle(binary, root, seconds):
    os.makedirs(root + "/Workflows")
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(200):
        # Daily at a minute at least 2 hours away, in one of a few zones.
        when = now + dt.timedelta(hours=2, minutes=i * 7)
        open(f"{root}/Workflows/job{i:03}.yaml", "w").write(
            f"name: job{i:03}\nschedule:\n  cron: \"{when.minute} {when.hour} * * *\"\n"
            f"steps:\n  work:\n    run: echo job{i:03}\n")
    proc = start(binary, root)
    time.sleep(1)  # let start-up work settle before the window opens
    cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
    time.sleep(seconds)
    cpu1, t1 = cpu_seconds(proc.pid), time.monotonic()
    rss, hwm = memory_kib(proc.pid, "VmRSS"), memory_kib(proc.pid, "VmHWM")
    pss = rollup_kib(proc.pid, "Pss")
    groups = memory_groups(proc.pid, binary)
    status = stop(proc)
    share = 100 * (cpu1 - cpu0) / (t1 - t0)
    print(f"schedules 200, window {t1 - t0:.1f} s: CPU {cpu1 - cpu0:.3f} s = {share:.3f}% of one core (target < 0.5%)")
    print(f"resident: VmRSS {rss / 1024:.1f} MiB = {rss * 1024 / 1e6:.1f} MB (target < 30 MB), PSS {pss / 1024:.1f} MiB, "
          f"peak (VmHWM) {hwm / 1024:.1f} MiB; exit {status}")
    for group, group_rss, group_pss in groups:
        print(f"  {group_rss / 1024:6.1f} MiB RSS {group_pss / 1024:6.1f} MiB PSS  {group}")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(binary, root, seconds):
    os.makedirs(root + "/Workflows")
    open(f"{root}/Workflows/tick.yaml", "w").write(
        'name: tick\nschedule:\n  cron: "*/1 * * * * *"\nsteps:\n  work:\n    run: "true"\n')
    proc = start(binary, root)
    time.sleep(seconds)
    status = stop(proc)
    db = sqlite3.connect(f"{root}/.flow/flow.db")

    def parse(text):
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc).timestamp()

    rows = db.execute(
        "SELECT scheduled_for, created_at, started_at FROM runs WHERE started_at IS NOT NULL ORDER BY scheduled_for").fetchall()
    start_ms = [(parse(s) - parse(f)) * 1000 for f, _, s in rows]
    record_ms = [(parse(c) - parse(f)) * 1000 for f, c, _ in rows]
    fired = db.execute("SELECT count(*), count(DISTINCT scheduled_for) FROM runs").fetchone()
    print(f"runs {fired[0]} ({fired[1]} distinct fire times) in {seconds} s; exit {status}")
    print(f"scheduled_for -> run recorded: p50 {percentile(record_ms, 50):.1f} ms, p99 {percentile(record_ms, 99):.1f} ms")
    print(f"scheduled_for -> run started:  p50 {percentile(start_ms, 50):.1f} ms, p99 {percentile(start_ms, 99):.1f} ms, "
          f"max {max(start_ms):.1f} ms (target p99 < 20 ms)")


if __name__ == "__main__":
    mode, binary, root, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    {"idle": idle, "latency": latency}[mode](binary, root, int(seconds))
