#!/usr/bin/env python3
"""trace_check.py - check a Chrome trace-event JSON file the way a viewer reads it.

Usage: trace_check.py FILE [--verdict NAME] [--flows N] [--slice NAME ...]
                           [--lanes N] [--counter NAME]

Checks, against the Trace Event Format (JSON Object Format):
  * the file is JSON (python's json module) with a "traceEvents" list;
  * every event has ph (a known phase), name (a string), pid and tid
    (integers) and ts (a number >= 0);
  * per (pid, tid), the timestamps of slice, instant and counter events
    never decrease in file order, and B/E events pair up: each E closes
    the innermost open B of the same name, and nothing is left open at the
    end (flow events may come in any order: the format allows it and
    viewers sort by time);
  * every flow start "s" has exactly one "f" with its id, at a time not
    before it; "f" binds to the enclosing slice ("bp": "e"); both ends lie
    inside a slice of their thread;
  * every tid that has events has a thread_name metadata event.
Options add expectations: the verdict instant's name, at least N flow
arrows, slices with the given names, N lane threads, a counter.
Prints one line per problem and exits 1 if there is any.
"""
import json
import sys

PHASES = set("BEXiIMCsftbneOPNDR")


def main(argv):
    path = argv[1]
    want = {"slices": []}
    i = 2
    while i < len(argv):
        k = argv[i]
        v = argv[i + 1]
        if k == "--slice":
            want["slices"].append(v)
        else:
            want[k[2:]] = v
        i += 2
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    problems = []
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        print("no traceEvents list")
        return 1
    evs = doc["traceEvents"]
    last_ts = {}
    stacks = {}
    names = {}
    flows = []
    intervals = {}
    slice_names = set()
    used_tids = set()
    verdicts = []
    counters = set()
    for n, e in enumerate(evs):
        where = "event %d (%s)" % (n, json.dumps(e)[:120])
        for key, typ in (("ph", str), ("name", str), ("pid", int), ("tid", int)):
            if not isinstance(e.get(key), typ):
                problems.append("%s: %s missing or not %s" % (where, key, typ.__name__))
        ts = e.get("ts")
        if not isinstance(ts, (int, float)) or ts < 0:
            problems.append("%s: ts missing or negative" % where)
            continue
        ph = e.get("ph")
        if ph not in PHASES:
            problems.append("%s: unknown phase %r" % (where, ph))
            continue
        key = (e.get("pid"), e.get("tid"))
        if ph == "M":
            if e["name"] == "thread_name":
                names[key] = e.get("args", {}).get("name")
            continue
        used_tids.add(key)
        if ph in ("s", "t", "f"):
            flows.append((ph, e.get("id"), key, ts, e.get("bp"), where))
            continue
        if ts < last_ts.get(key, 0):
            problems.append("%s: ts goes back on thread %s (%s after %s)" % (where, key, ts, last_ts[key]))
        last_ts[key] = ts
        st = stacks.setdefault(key, [])
        if ph == "B":
            st.append((e["name"], ts))
            slice_names.add(e["name"])
        elif ph == "E":
            if not st:
                problems.append("%s: E with no open B" % where)
            else:
                name, t0 = st.pop()
                if name != e["name"]:
                    problems.append("%s: E %r closes B %r" % (where, e["name"], name))
                intervals.setdefault(key, []).append((t0, ts))
        elif ph in ("i", "I"):
            if e.get("cat") == "verdict":
                verdicts.append(e["name"])
        elif ph == "C":
            counters.add(e["name"])
    for key, st in stacks.items():
        if st:
            problems.append("thread %s: slices left open: %s" % (key, st))
    starts = {}
    ends = {}
    for ph, fid, key, ts, bp, where in flows:
        inside = any(a <= ts <= b for a, b in intervals.get(key, []))
        if not inside:
            problems.append("%s: flow event outside any slice of its thread" % where)
        if ph == "s":
            if fid in starts:
                problems.append("%s: flow id %r started twice" % (where, fid))
            starts[fid] = ts
        elif ph == "f":
            if fid in ends:
                problems.append("%s: flow id %r ended twice" % (where, fid))
            if bp != "e":
                problems.append("%s: flow end without bp=e" % where)
            ends[fid] = ts
    for fid, ts in ends.items():
        if fid not in starts:
            problems.append("flow id %r ends but never starts" % fid)
        elif starts[fid] > ts:
            problems.append("flow id %r ends before it starts" % fid)
    for fid in starts:
        if fid not in ends:
            problems.append("flow id %r has no end" % fid)
    flows_f = ends
    for key in used_tids:
        if key not in names:
            problems.append("thread %s has no thread_name" % (key,))
    if "verdict" in want and want["verdict"] not in verdicts:
        problems.append("no verdict instant %r (got %s)" % (want["verdict"], verdicts))
    if "flows" in want and len(flows_f) < int(want["flows"]):
        problems.append("%d flow arrows, wanted at least %s" % (len(flows_f), want["flows"]))
    for s in want["slices"]:
        if s not in slice_names:
            problems.append("no slice %r (slices: %s)" % (s, sorted(slice_names)[:20]))
    if "lanes" in want:
        lanes = [k for k in names if k[1] != 0]
        if len(lanes) != int(want["lanes"]):
            problems.append("%d lane threads, wanted %s" % (len(lanes), want["lanes"]))
    if "counter" in want and want["counter"] not in counters:
        problems.append("no counter %r (got %s)" % (want["counter"], sorted(counters)))
    for p in problems[:20]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
