#!/usr/bin/env python3
"""Checks turnaround_gen output (CSV): shapes, RFC 4180 round trip, consistency.

usage: check.py RESPONSES.csv [CHURN.csv]     exit 1 on the first failed check
"""
import collections
import csv
import datetime as dt
import io
import sys

RESPONSE_HEADER = ["response_id", "customer_id", "customer_name", "segment", "arr", "score",
                   "comment", "responded_at"]
CHURN_HEADER = ["customer_id", "lost_at", "reason", "arr"]


def fail(msg):
    sys.exit(f"check.py: FAILED: {msg}")


def load(path, header, width):
    raw = open(path, encoding="utf-8", newline="").read()
    rows = list(csv.reader(io.StringIO(raw)))
    if rows[0] != header:
        fail(f"{path}: header {rows[0]}")
    bad = [i + 1 for i, r in enumerate(rows) if len(r) != width]
    if bad:
        fail(f"{path}: rows (1-based) without {width} fields: {bad[:5]}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if "\r\n" in raw else "\n").writerows(rows)
    if out.getvalue() != raw:
        fail(f"{path}: quoting does not round-trip through python's csv module")
    return rows[1:]


def instant(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    rows = load(argv[1], RESPONSE_HEADER, 8)
    if len({r[0] for r in rows}) != len(rows):
        fail("response_id not unique")
    customers, times, cats = {}, collections.defaultdict(list), collections.defaultdict(collections.Counter)
    for r in rows:
        if customers.setdefault(r[1], (r[2], r[3], r[4])) != (r[2], r[3], r[4]):
            fail(f"{r[1]} changes name, segment or arr")
        score = int(r[5])
        if not 0 <= score <= 10:
            fail(f"{r[0]}: score {score}")
        times[r[1]].append((instant(r[7]), score))
        cat = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
        cats[r[3]][cat] += 1
        cats["all"][cat] += 1
    for seg, c in sorted(cats.items()):
        n = sum(c.values())
        print(f"{seg:>10}: {n:5d} responses, NPS {100 * (c['promoter'] - c['detractor']) / n:+5.1f}, "
              f"detractors {100 * c['detractor'] / n:4.1f}%")
    repeat = 0
    for v in times.values():
        d = sorted(t for t, s in v if s <= 6)
        repeat += any((b - a).days <= 30 for a, b in zip(d, d[1:]))
    print(f"{len(rows)} responses from {len(customers)} customers; {repeat} customers gave a second "
          f"detractor answer within 30 days of the previous one")
    with_nl = sum("\n" in r[6] for r in rows)
    with_quote = sum('"' in r[6] for r in rows)
    print(f"comments: {with_nl} with a newline, {with_quote} with a quote, "
          f"{sum(',' in r[6] for r in rows)} with a comma, {sum(r[6] == '' for r in rows)} blank")
    if len(argv) == 3:
        lost = load(argv[2], CHURN_HEADER, 4)
        for r in lost:
            if r[0] in customers and customers[r[0]][2] != r[3]:
                fail(f"churn {r[0]}: arr {r[3]} differs from the responses")
            if any(t > instant(r[1]) for t, _ in times.get(r[0], [])):
                fail(f"churn {r[0]}: answered after lost_at {r[1]}")
        print(f"{len(lost)} churn events, ARR lost {sum(int(r[3]) for r in lost)}")
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
