#!/usr/bin/env python3
"""Generates the cron test fixture and the benchmark case list from croniter.

    pip install croniter==7.0.0
    python3 Benchmarks/cron/generate_croniter_cases.py

Writes
  Tests/FlowCoreTests/Cron/Fixtures/CroniterCases.swift  (the fixture: a TSV in a Swift string,
      so SwiftPM needs no resource declaration for it)
  Benchmarks/cron/cases.tsv                               (the same cases, for run.sh)

Each case is (expression, IANA zone, start instant) with the next three fire times strictly
after start. The expected times come from croniter (PyPI, pinned below). Independently, the
script carries a small model of cron(8) (Vixie cron as in Debian and cronie):

  * civil matching written from crontab(5): when both day fields are restricted (neither
    begins with '*' nor is '?') a day matches if either matches, else both must;
  * the daylight-saving rule of cron(8): a fixed-time job (minute and hour fields both not
    beginning with '*') whose wall time is skipped by a spring-forward runs once at the jump,
    and runs once (the first occurrence) when its wall time repeats; other jobs run at wall
    times as they occur.

The DST half of the model is itself checked, for every case whose window contains a zone
transition, against a minute-by-minute simulation of cron(8)'s main loop (cron.c: the
"timeDiff" cases: normal, DST begins, DST ends). When croniter and the model disagree, cron(8)
wins: the row carries the model's times, source "cron8", the reason and croniter's answer.
"""

import calendar
import datetime as dt
import os
import random
import sys
from zoneinfo import ZoneInfo

import croniter as croniter_module
from croniter import croniter, CroniterBadDateError

CRONITER_VERSION = "7.0.0"
SEED = 20250603
TARGET_CASES = 2400
UTC = dt.timezone.utc

ZONES = [
    "UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata",
    "Asia/Seoul", "America/Sao_Paulo", "Pacific/Chatham", "America/St_Johns", "Asia/Kathmandu",
]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


# ---------------------------------------------------------------------------------------------
# Expressions: generated as structures, written as text for us and for croniter.


class Field:
    """One field: our text, croniter's text, the plain value set and the special items."""

    def __init__(self, text, values, ctext=None, star=None, last_day=False, nearest=(), last_dow=(), nth=()):
        self.text = text
        self.ctext = ctext if ctext is not None else text
        self.values = set(values)
        self.star = text.startswith("*") or text == "?" if star is None else star
        self.last_day = last_day          # 'L' in day-of-month
        self.nearest = set(nearest)       # 'nW' days
        self.last_dow = set(last_dow)     # 'nL' weekdays (0..6)
        self.nth = set(nth)               # (weekday 0..6, k) for 'w#k'


def name(value, names, rng):
    word = names[value % len(names)]
    return rng.choice([word, word.lower(), word.capitalize()])


def number_field(rng, lo, last, hot=None, names=None, seven=False):
    """A field of numbers: '*', n, */n, a-b, a-b/n, a/n or a list; `hot` biases single values."""
    def val():
        if hot and rng.random() < 0.5:
            return rng.choice(hot)
        return rng.randint(lo, last)

    def word(v, in_range=False):
        if names and rng.random() < 0.4:
            return name(v, names, rng)
        if seven and v == 0 and not in_range and rng.random() < 0.3:
            return "7"
        return str(v)

    kind = rng.choices(["star", "one", "step", "range", "rangestep", "startstep", "list"],
                       [15, 28, 17, 10, 8, 6, 16])[0]
    span = last - lo + 1
    steps = [s for s in (2, 3, 4, 5, 6, 7, 10, 12, 15, 20, 30) if s < span]
    if kind == "star":
        return "*", set(range(lo, last + 1))
    if kind == "one":
        v = val()
        return word(v), {v}
    if kind == "step":
        s = rng.choice(steps)
        return f"*/{s}", set(range(lo, last + 1, s))
    if kind in ("range", "rangestep"):
        a, b = sorted(rng.sample(range(lo, last + 1), 2))
        if kind == "range":
            return f"{word(a, True)}-{word(b, True)}", set(range(a, b + 1))
        s = rng.choice([x for x in steps if x <= b - a] or [1])
        return f"{word(a, True)}-{word(b, True)}/{s}", set(range(a, b + 1, s))
    if kind == "startstep":
        a = rng.randint(lo, last - 1)
        s = rng.choice(steps)
        return f"{a}/{s}", set(range(a, last + 1, s))
    values = sorted(rng.sample(range(lo, last + 1), rng.randint(2, 4)))
    return ",".join(word(v) for v in values), set(values)


def hot_hour_field(rng, h):
    """An hour field around `h`, the local hour in which a zone changes its clock."""
    choice = rng.choice(["one", "one", "list", "range", "star", "step"])
    if choice == "one":
        return Field(str(h), {h})
    if choice == "list":
        values = sorted({h, (h + rng.randint(1, 20)) % 24})
        return Field(",".join(map(str, values)), values)
    if choice == "range":
        a, b = max(0, h - rng.randint(0, 1)), min(23, h + rng.randint(1, 2))
        return Field(f"{a}-{b}", range(a, b + 1))
    if choice == "star":
        return Field("*", range(24))
    return Field("*/2" if h % 2 == 0 else "1/2", range(h % 2, 24, 2))


def gen_expression(rng, hot_hour=None):
    """(fields dict, our text, croniter text, has_seconds) or a macro; `hot_hour` biases the
    hour field towards the hour a zone changes its clock in."""
    if rng.random() < 0.03:
        macro = rng.choice(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"])
        expansion = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                     "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
                     "@hourly": "0 * * * *"}[macro]
        m, h, dom, mon, dow = expansion.split()
        fields = {
            "second": Field("0", {0}),
            "minute": Field(m, {0}),
            "hour": Field(h, set(range(24)) if h == "*" else {0}),
            "dom": Field(dom, set(range(1, 32)) if dom == "*" else {1}),
            "month": Field(mon, set(range(1, 13)) if mon == "*" else {1}),
            "dow": Field(dow, set(range(7)) if dow == "*" else {0}),
        }
        return fields, macro, macro, False

    has_seconds = rng.random() < 0.15
    if has_seconds:
        t, v = number_field(rng, 0, 59, hot=[0, 30])
        second = Field(t, v)
    else:
        second = Field("0", {0})
    t, v = number_field(rng, 0, 59, hot=[0, 15, 30, 45])
    minute = Field(t, v)
    # Hours 0-3 are where zones change their clocks: bias towards them.
    t, v = number_field(rng, 0, 23, hot=[0, 1, 2, 3, 2, 1])
    hour = Field(t, v)
    if hot_hour is not None and rng.random() < 0.7:
        hour = hot_hour_field(rng, hot_hour)

    dom_kind = rng.choices(["plain", "star", "question", "L", "W", "Llist"], [30, 52, 3, 6, 5, 4])[0]
    if dom_kind == "star":
        dom = Field("*", range(1, 32))
    elif dom_kind == "question":
        dom = Field("?", range(1, 32))
    elif dom_kind == "L":
        dom = Field("L", (), last_day=True)
    elif dom_kind == "W":
        n = rng.randint(1, 28)
        dom = Field(f"{n}W", (), nearest={n})
    elif dom_kind == "Llist":
        days = sorted(rng.sample(range(1, 29), rng.randint(1, 2)))
        dom = Field(",".join(map(str, days)) + ",L", days, last_day=True)
    else:
        t, v = number_field(rng, 1, 31, hot=[1, 15, 28, 29, 30, 31])
        if t.startswith("*") and rng.random() < 0.7:
            t, v = "1-15", set(range(1, 16))  # keep "*/n" day-of-month rare (see dom-dow below)
        dom = Field(t, v)

    if rng.random() < 0.6:
        month = Field("*", range(1, 13))
    else:
        t, v = number_field(rng, 1, 12, names=[""] + MONTHS)
        month = Field(t, v)

    dow_kind = rng.choices(["star", "plain", "question", "lastdow", "nth"], [55, 33, 2, 5, 5])[0]
    if dom_kind in ("W",) or dom.text.startswith("*") and rng.random() < 0.5:
        dow_kind = "star"  # croniter ignores day-of-week next to 'W'
    if dow_kind == "star":
        dow = Field("*", range(7))
    elif dow_kind == "question":
        dow = Field("?", range(7)) if dom.text != "?" else Field("*", range(7))
    elif dow_kind == "lastdow":
        ws = sorted(rng.sample(range(7), rng.randint(1, 2)))
        texts = [f"{w}L" for w in ws]
        dow = Field(",".join(texts), (), ctext=",".join(f"L{w}" for w in ws), last_dow=ws)
    elif dow_kind == "nth":
        picks = sorted({(rng.randint(0, 6), rng.randint(1, 5)) for _ in range(rng.randint(1, 2))})
        words = [f"{name(w, DAYS, rng) if rng.random() < 0.3 else w}#{k}" for w, k in picks]
        dow = Field(",".join(words), (), nth=picks)
    else:
        kind = rng.random()
        if kind < 0.15:
            a = rng.randint(1, 6)
            dow = Field(f"{a}-7", {v % 7 for v in range(a, 8)})
        else:
            t, v = number_field(rng, 0, 6, names=DAYS, seven=True)
            dow = Field(t, v)
    # croniter cannot combine '#' or 'L' weekdays with a restricted day of month: keep it '*'.
    if (dow.nth or dow.last_dow) and not dom.text == "*":
        dom = Field("*", range(1, 32))

    fields = {"second": second, "minute": minute, "hour": hour, "dom": dom, "month": month, "dow": dow}
    order = ["minute", "hour", "dom", "month", "dow"]
    if has_seconds:
        order = ["second"] + order
    ours = " ".join(fields[k].text for k in order)
    theirs = " ".join(fields[k].ctext for k in order)
    return fields, ours, theirs, has_seconds


# ---------------------------------------------------------------------------------------------
# The cron(8) model.


def nearest_weekday(year, month, day):
    """Quartz's nW: the Monday-Friday day nearest `day`, never leaving the month."""
    length = calendar.monthrange(year, month)[1]
    if day > length:
        return None
    wd = dt.date(year, month, day).weekday()  # Monday = 0 ... Sunday = 6
    if wd == 5:
        return 3 if day == 1 else day - 1
    if wd == 6:
        return day - 2 if day == length else day + 1
    return day


def day_matches(fields, date, day_or=None):
    dom, dow = fields["dom"], fields["dow"]
    length = calendar.monthrange(date.year, date.month)[1]
    dom_ok = (date.day in dom.values or (dom.last_day and date.day == length)
              or any(nearest_weekday(date.year, date.month, n) == date.day for n in dom.nearest))
    wd = (date.weekday() + 1) % 7  # Sunday = 0
    dow_ok = (wd in dow.values or (wd in dow.last_dow and date.day + 7 > length)
              or (wd, (date.day - 1) // 7 + 1) in dow.nth)
    either = (not dom.star and not dow.star) if day_or is None else day_or
    return (dom_ok or dow_ok) if either else (dom_ok and dow_ok)


def walls(fields, start, day_or=None):
    """Matching naive wall times >= start, ascending (an endless generator)."""
    seconds = sorted(fields["second"].values)
    minutes = sorted(fields["minute"].values)
    hours = sorted(fields["hour"].values)
    day = start.date()
    while True:
        if day.month in fields["month"].values and day_matches(fields, day, day_or):
            for h in hours:
                for m in minutes:
                    for s in seconds:
                        w = dt.datetime(day.year, day.month, day.day, h, m, s)
                        if w >= start:
                            yield w
        day += dt.timedelta(days=1)


def is_fixed(fields):
    return not fields["minute"].star and not fields["hour"].star


def wall_exists(w, zone):
    aware = w.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == w


def instants_of_wall(w, zone, fixed):
    """Fire instants (POSIX seconds) for a matching wall time, by the cron(8) rule."""
    if not wall_exists(w, zone):
        if not fixed:
            return []
        later = w.replace(second=0)
        while not wall_exists(later, zone):  # the first wall minute after the gap = the jump
            later += dt.timedelta(minutes=1)
        return [int(later.replace(tzinfo=zone).timestamp())]
    first = int(w.replace(tzinfo=zone, fold=0).timestamp())
    second = int(w.replace(tzinfo=zone, fold=1).timestamp())
    if first != second and not fixed:
        return [first, second]
    return [first]


def model_next(fields, zone, start_ts, count=3, day_or=None):
    """The first `count` fire instants strictly after start_ts by the cron(8) model."""
    fixed = is_fixed(fields)

    def offsets_near(ts):
        return [dt.datetime.fromtimestamp(ts + k * 3600, zone).utcoffset().total_seconds()
                for k in range(-30, 31, 6)]

    start_wall = dt.datetime.fromtimestamp(start_ts, zone).replace(tzinfo=None)
    lowest = min(offsets_near(start_ts))
    found = set()
    last, highest = None, None
    limit_ts = start_ts + 60 * 366 * 86400
    for w in walls(fields, start_wall - dt.timedelta(hours=3), day_or):
        wall_ts = w.replace(tzinfo=UTC).timestamp()
        if wall_ts - lowest > start_ts:  # else every instant of w is <= start
            for instant in instants_of_wall(w, zone, fixed):
                if instant > start_ts:
                    found.add(instant)
        if len(found) >= count:
            third = sorted(found)[count - 1]
            if third != last:
                last, highest = third, max(offsets_near(third))
            # Every later wall maps to an instant >= wall - (largest offset nearby).
            if wall_ts - highest > third:
                return sorted(found)[:count]
        if wall_ts > limit_ts:
            return None


def simulate_cron8(fields, zone, first_ts, last_ts):
    """cron(8)'s main loop (cron.c), one tick per real minute: the set of run instants.

    timeDiff = wall minute now - virtual minute; 1: normal; 1 < d <= 5: catch up running every
    job per minute; 5 < d <= 180 ("DST begins"): wildcard jobs for now, fixed-time jobs for
    each missed minute; d <= 0 within 3 h ("DST ends"): wildcard jobs for now only, virtual
    time waits.
    """
    fixed = is_fixed(fields)

    def matches(wall_minute):
        w = dt.datetime(1970, 1, 1) + dt.timedelta(minutes=wall_minute)
        return (w.minute in fields["minute"].values and w.hour in fields["hour"].values
                and w.month in fields["month"].values and day_matches(fields, w.date()))

    def wall_minute(ts):
        off = int(dt.datetime.fromtimestamp(ts, zone).utcoffset().total_seconds())
        return (ts + off) // 60

    runs = set()
    tick = first_ts - first_ts % 60
    virtual = wall_minute(tick) - 1
    while tick <= last_ts:
        now = wall_minute(tick)
        diff = now - virtual
        if diff == 1:
            virtual = now
            if matches(now):
                runs.add(tick)
        elif 1 < diff <= 5:
            while virtual < now:
                virtual += 1
                if matches(virtual):
                    runs.add(tick)
        elif 5 < diff <= 180:
            if not fixed and matches(now):
                runs.add(tick)
            while virtual < now:
                virtual += 1
                if fixed and matches(virtual):
                    runs.add(tick)
        elif -180 <= diff <= 0:
            if not fixed and matches(now):
                runs.add(tick)
        else:
            raise AssertionError("clock jumped")
        tick += 60
    return runs


def transitions(zone, lo_ts, hi_ts):
    """Instants in [lo_ts, hi_ts] where the zone's UTC offset changes (to the second)."""
    def off(ts):
        return dt.datetime.fromtimestamp(ts, zone).utcoffset()
    result = []
    ts = lo_ts
    step = 6 * 3600
    while ts < hi_ts:
        if off(ts) != off(ts + step):
            a, b = ts, ts + step
            while b - a > 1:
                mid = (a + b) // 2
                if off(mid) == off(a):
                    a = mid
                else:
                    b = mid
            result.append(b)
        ts += step
    return result


# ---------------------------------------------------------------------------------------------


def iso(ts, zone):
    return dt.datetime.fromtimestamp(ts, zone).isoformat()


def croniter_next(text, has_seconds, zone, start_ts, count=3, **options):
    start = dt.datetime.fromtimestamp(start_ts, zone)
    it = croniter(text, start, second_at_beginning=has_seconds, **options)
    return [int(it.get_next(dt.datetime).timestamp()) for _ in range(count)]


def classify(fields, zone, expected, theirs, text, has_seconds, start_ts):
    """Why croniter's answer differs from cron(8)'s."""
    dom, dow = fields["dom"], fields["dow"]
    if (dom.star or dow.star) and dom.text not in ("*", "?") and dow.text not in ("*", "?"):
        if croniter_next(text, has_seconds, zone, start_ts, implement_cron_bug=True) == expected:
            return ("dom-dow-star: crontab(5) counts a day field beginning with '*' as unrestricted, so "
                    "day-of-month and day-of-week must both match; croniter ORs them")
    for f in fields.values():
        for item in f.text.split(","):
            a, _, b = item.partition("-")
            if b and a == b.split("/")[0]:
                return f"one-value-range: croniter reads the range {item} as every value"
    fixed = is_fixed(fields)

    def offset(ts):
        return dt.datetime.fromtimestamp(ts, zone).utcoffset()

    reasons = []
    for ts in sorted(set(theirs) - set(expected)):
        if ts > expected[-1] and set(expected) - set(theirs):
            continue  # pushed out by a time croniter missed; explained below
        w = dt.datetime.fromtimestamp(ts, zone).replace(tzinfo=None)
        if fixed and int(w.replace(tzinfo=zone, fold=0).timestamp()) != ts:
            reasons.append("dst-repeat: croniter fires a fixed-time job again in the repeated hour; "
                           "cron(8) runs it once, at the first occurrence")
        elif not fixed and offset(ts - 3 * 3600) < offset(ts):
            reasons.append("dst-gap: croniter moves a wildcard job's skipped wall time to the jump; "
                           "cron(8) runs wildcard jobs only at wall times that occur")
        elif fixed and offset(ts - 3 * 3600) < offset(ts) and w.second != 0:
            reasons.append("dst-gap-seconds: croniter moves a skipped time to the first wall time after the "
                           "jump with the same seconds; the cron(8) rule runs it once, at the jump itself")
        else:
            reasons.append(f"extra {iso(ts, zone)}")
    for ts in sorted(set(expected) - set(theirs)):
        w = dt.datetime.fromtimestamp(ts, zone).replace(tzinfo=None)
        if not fixed and int(w.replace(tzinfo=zone, fold=0).timestamp()) != ts:
            reasons.append("dst-repeat-wildcard: croniter skips the second occurrence of a repeated wall "
                           "time; cron(8) runs wildcard jobs at wall times as they occur, so twice")
        elif not reasons:
            reasons.append(f"missing {iso(ts, zone)}")
    return "; ".join(dict.fromkeys(reasons))


def main():
    installed = getattr(croniter_module, "__version__", None)
    if installed is None:
        from importlib.metadata import version
        installed = version("croniter")
    if installed != CRONITER_VERSION:
        sys.exit(f"need croniter=={CRONITER_VERSION} (pip install croniter=={CRONITER_VERSION}), found {installed}")
    tzdata = open("/usr/share/zoneinfo/tzdata.zi").readline().strip().lstrip("# ") if os.path.exists(
        "/usr/share/zoneinfo/tzdata.zi") else "unknown"

    rng = random.Random(SEED)
    lo = int(dt.datetime(2000, 1, 1, tzinfo=UTC).timestamp())
    hi = int(dt.datetime(2035, 12, 31, tzinfo=UTC).timestamp())
    zone_transitions = {z: transitions(ZoneInfo(z), lo, hi) for z in ZONES}

    rows = []
    counts = {"croniter": 0, "cron8": 0, "skipped": 0, "simulated": 0}
    while len(rows) < TARGET_CASES:
        zone_name = rng.choice(ZONES)
        zone = ZoneInfo(zone_name)
        near = zone_transitions[zone_name]
        hot_hour = None
        if near and rng.random() < 0.45:
            jump = rng.choice(near)
            start_ts = jump + rng.randint(-36 * 3600, 12 * 3600)
            # The first wall hour that is skipped or repeated.
            offsets = [dt.datetime.fromtimestamp(jump + d, zone).utcoffset().total_seconds() for d in (-1, 0)]
            hot_hour = dt.datetime.fromtimestamp(jump + min(offsets), UTC).hour
        else:
            start_ts = rng.randint(lo, hi)
        fields, ours, theirs_text, has_seconds = gen_expression(rng, hot_hour)
        try:
            if rng.random() < 0.1:  # start exactly on a fire time: "strictly after" must skip it
                start_ts = croniter_next(theirs_text, has_seconds, zone, start_ts, 1)[0]
            theirs = croniter_next(theirs_text, has_seconds, zone, start_ts)
        except CroniterBadDateError:
            counts["skipped"] += 1
            continue
        expected = model_next(fields, zone, start_ts)
        if expected is None:
            counts["skipped"] += 1
            continue

        # Check the DST half of the model against cron(8)'s loop around every transition in
        # the window (minute-resolution expressions only).
        for jump in near:
            if start_ts - 3 * 3600 <= jump <= expected[-1] + 3 * 3600 and fields["second"].values == {0}:
                a, b = jump - 4 * 3600, jump + 4 * 3600
                simulated = simulate_cron8(fields, zone, a, b)
                # The model over the same ticks: walls in [a - 3h, b + 3h] mapped and filtered.
                fixed = is_fixed(fields)
                model = set()
                start_wall = dt.datetime.fromtimestamp(a, zone).replace(tzinfo=None) - dt.timedelta(hours=3)
                for w in walls(fields, start_wall):
                    if w > dt.datetime.fromtimestamp(b, zone).replace(tzinfo=None) + dt.timedelta(hours=3):
                        break
                    model.update(x for x in instants_of_wall(w, zone, fixed) if a - a % 60 <= x <= b)
                if model != simulated:
                    sys.exit(f"model and cron(8) simulation differ: {ours} {zone_name} "
                             f"{sorted(model ^ simulated)}")
                counts["simulated"] += 1

        if theirs == expected:
            source, note = "croniter", ""
        else:
            reason = classify(fields, zone, expected, theirs, theirs_text, has_seconds, start_ts)
            source = "cron8"
            note = f"{reason}; croniter: {' '.join(iso(t, zone) for t in theirs)}"
        counts[source] += 1
        ctext = theirs_text if theirs_text != ours else ""
        rows.append([ours, zone_name, iso(start_ts, zone)] + [iso(t, zone) for t in expected] + [source, ctext, note])

    header = [
        "// Generated by Benchmarks/cron/generate_croniter_cases.py — do not edit; regenerate with",
        f"//   pip install croniter=={CRONITER_VERSION} && python3 Benchmarks/cron/generate_croniter_cases.py",
        f"// croniter {CRONITER_VERSION}, Python {sys.version.split()[0]}, tzdata {tzdata} (zoneinfo), seed {SEED}.",
        f"// {len(rows)} cases: {counts['croniter']} as croniter computed them, {counts['cron8']} where croniter",
        "// disagrees with cron(8) and the expectation is the script's cron(8) model (its DST rule checked",
        f"// against a simulation of cron(8)'s main loop around {counts['simulated']} transitions).",
        "// Columns, tab-separated: expression, zone, start, next1, next2, next3, source",
        "// (croniter | cron8), croniter's spelling when it differs (5L is its L5), note.",
    ]
    body = "\n".join("\t".join(r) for r in rows)
    swift = "\n".join(header) + "\n\n/// See the header above.\nenum CroniterCases {\n    static let tsv = #\"\"\"\n" + body + "\n\"\"\"#\n}\n"
    fixture = os.path.join(ROOT, "Tests/FlowCoreTests/Cron/Fixtures/CroniterCases.swift")
    with open(fixture, "w") as f:
        f.write(swift)
    with open(os.path.join(ROOT, "Benchmarks/cron/cases.tsv"), "w") as f:
        f.write("# expression\tcroniter expression\tzone\tstart (POSIX seconds)\thas seconds\n")
        for r in rows:
            start_ts = int(dt.datetime.fromisoformat(r[2]).timestamp())
            ctext = r[7] or r[0]
            f.write(f"{r[0]}\t{ctext}\t{r[1]}\t{start_ts}\t{1 if len(r[0].split()) == 6 else 0}\n")
    print(f"{len(rows)} cases ({counts}) -> {fixture}", file=sys.stderr)


if __name__ == "__main__":
    main()
