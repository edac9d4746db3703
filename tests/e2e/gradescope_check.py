#!/usr/bin/env python3
"""gradescope_check.py - check a results.json field by field against
Gradescope's autograder specification ("Output format" of
gradescope-autograders.readthedocs.io/en/latest/specs/).

Usage: gradescope_check.py FILE [--score N] [--max N] [--tests N]
                                [--failed NAME ...] [--visibility V]

The specification, as checked here:
  top level (all optional): score (number; required when a test has none),
    execution_time (number, seconds), output (string), output_format,
    test_output_format, test_name_format (output formats), visibility and
    stdout_visibility (visibility values), extra_data (object), tests
    (array; required when there is no top-level score), leaderboard (array);
  each test (all optional): score (number; required when there is no
    top-level score), max_score (number), status ("passed" or "failed"),
    name (string), name_format (output format), number (string), output
    (string), output_format (output format), tags (array of strings),
    visibility (visibility value), extra_data (object);
  visibility values: hidden, after_due_date, after_published, visible;
  output formats: text, html, simple_format, md, ansi.
And what interleave promises on top: the top-level score is the sum of the
tests' scores, no test scores above its max_score, a test's status is
"passed" exactly when it scored its max_score, and names are unique.
Prints one line per problem; exit status 1 if there is any.
"""
import json
import sys

VIS = {"hidden", "after_due_date", "after_published", "visible"}
FMT = {"text", "html", "simple_format", "md", "ansi"}
NUM = (int, float)
TOP = {
    "score": NUM, "execution_time": NUM, "output": str, "output_format": str,
    "test_output_format": str, "test_name_format": str, "visibility": str,
    "stdout_visibility": str, "extra_data": dict, "tests": list, "leaderboard": list,
}
TEST = {
    "score": NUM, "max_score": NUM, "status": str, "name": str, "name_format": str,
    "number": str, "output": str, "output_format": str, "tags": list, "visibility": str,
    "extra_data": dict,
}


def check(doc, want):
    p = []
    if not isinstance(doc, dict):
        return ["the top level is not an object"]
    for k, v in doc.items():
        if k not in TOP:
            p.append("top level: unknown key %r" % k)
        elif not isinstance(v, TOP[k]) or isinstance(v, bool):
            p.append("top level: %s is not %s" % (k, TOP[k]))
    for k in ("visibility", "stdout_visibility"):
        if k in doc and doc[k] not in VIS:
            p.append("top level: %s %r is not a visibility value" % (k, doc[k]))
    for k in ("output_format", "test_output_format", "test_name_format"):
        if k in doc and doc[k] not in FMT:
            p.append("top level: %s %r is not an output format" % (k, doc[k]))
    tests = doc.get("tests", [])
    if "score" not in doc and "tests" not in doc:
        p.append("neither a top-level score nor tests")
    names = set()
    total = 0.0
    for i, t in enumerate(tests):
        w = "test %d" % (i + 1)
        if not isinstance(t, dict):
            p.append("%s: not an object" % w)
            continue
        for k, v in t.items():
            if k not in TEST:
                p.append("%s: unknown key %r" % (w, k))
            elif not isinstance(v, TEST[k]) or isinstance(v, bool):
                p.append("%s: %s is not %s" % (w, k, TEST[k]))
        if "score" not in t and "score" not in doc:
            p.append("%s: no score, and no top-level score" % w)
        if t.get("status", "passed") not in ("passed", "failed"):
            p.append("%s: status %r" % (w, t.get("status")))
        if t.get("visibility", "visible") not in VIS:
            p.append("%s: visibility %r" % (w, t.get("visibility")))
        for k in ("output_format", "name_format"):
            if k in t and t[k] not in FMT:
                p.append("%s: %s %r" % (w, k, t[k]))
        if not all(isinstance(x, str) for x in t.get("tags", [])):
            p.append("%s: a tag is not a string" % w)
        # interleave's own promises
        s, m = t.get("score", 0), t.get("max_score")
        if m is not None and s > m:
            p.append("%s: score %s above max_score %s" % (w, s, m))
        if "status" in t and m is not None and (t["status"] == "passed") != (s == m):
            p.append("%s: status %s with score %s of %s" % (w, t["status"], s, m))
        if t.get("name") in names:
            p.append("%s: name %r twice" % (w, t.get("name")))
        names.add(t.get("name"))
        total += s
    if "score" in doc and tests and abs(doc["score"] - total) > 1e-9:
        p.append("top-level score %s is not the sum of the tests' %s" % (doc["score"], total))
    if "score" in want and abs(doc.get("score", -1) - float(want["score"])) > 1e-9:
        p.append("score %s, wanted %s" % (doc.get("score"), want["score"]))
    if "max" in want:
        mx = sum(t.get("max_score", 0) for t in tests)
        if abs(mx - float(want["max"])) > 1e-9:
            p.append("max_score total %s, wanted %s" % (mx, want["max"]))
    if "tests" in want and len(tests) != int(want["tests"]):
        p.append("%d tests, wanted %s" % (len(tests), want["tests"]))
    if "failed" in want:
        got = sorted(t.get("name") for t in tests if t.get("status") == "failed")
        if got != sorted(want["failed"]):
            p.append("failed tests %s, wanted %s" % (got, sorted(want["failed"])))
    if "visibility" in want:
        for i, t in enumerate(tests):
            if t.get("visibility") != want["visibility"]:
                p.append("test %d: visibility %r" % (i + 1, t.get("visibility")))
    return p


def main(argv):
    want = {}
    i = 2
    while i < len(argv):
        k = argv[i][2:]
        if k == "failed":
            want.setdefault("failed", []).append(argv[i + 1])
        else:
            want[k] = argv[i + 1]
        i += 2
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    problems = check(doc, want)
    for line in problems[:30]:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
