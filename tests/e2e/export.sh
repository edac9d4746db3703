#!/bin/sh
# export.sh - `interleave run --format chrome|csv` end to end.
#
# Each trace is read by python's json module and checked against the
# Trace Event Format by trace_check.py (phases, names, pids and tids,
# timestamps that never go back on a thread, B/E pairs matched per
# thread, flow arrows with both ends inside slices, thread names); the CSV
# by python's csv module.  The checker itself must reject a broken trace.
# A large free run proves the export streams: exporting it costs far less
# memory than the document it writes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

TC="$SRCDIR/tests/e2e/trace_check.py"

plan 15

# trace FILE CHECK-ARGS...: the last output saved as FILE, then checked
trace() {
    f=$1
    shift
    cp "$WORK/out" "$WORK/$f"
    "$PYTHON3" "$TC" "$WORK/$f" "$@"
}

il run deadlock variant=naive --schedule 'A B' --format chrome
check "deadlock A B: exit 4 as for text" rc_is 4
check "deadlock A B: a valid trace, hold and wait slices, verdict" \
    trace abba.json --verdict deadlock --slice "hold acct1" --slice "wait acct2" --slice "lane A" --lanes 2
il run race threads=3 iterations=2 variant=mutex --schedule 'A5 B5 C5 A5 B* C*' --format chrome
check "race mutex, step mode: lock waits and unlock->lock flow arrows" \
    trace mutex.json --verdict completed --flows 2 --slice "hold m" --slice "wait m" --lanes 3
il run prodcons variant=signal_lost consumers=2 capacity=1 items=4 --schedule 'B* C* A* B* C*' --format chrome
check "prodcons hang: condition waits, signal->wakeup arrows, the depth counter" \
    trace hang.json --verdict hang --flows 1 --slice "wait cond cv" --counter count
il run prodcons variant=if_wait capacity=2 items=4 --schedule 'B* ~B B*' --format chrome
check "prodcons if_wait: the broken invariant and the verdict" sh -c \
    "'$PYTHON3' '$TC' '$WORK/out' --verdict invariant && grep -q '\"name\":\"invariant broken: depth within 0..capacity\"' '$WORK/out'"
il run prodcons producers=2 consumers=2 capacity=4 items=2000 --format chrome
check "prodcons free run: a valid trace with flows and the depth counter" \
    trace free.json --verdict completed --flows 10 --counter count --lanes 4
il run philosophers n=5 meals=10 variant=waiter --format chrome
check "philosophers waiter, free run: semaphore waits, post->take arrows" \
    trace waiter.json --verdict completed --flows 1 --slice "wait sem waiter" --lanes 5

# the checker can say no: drop an end, move a time back, lose a flow's end
"$PYTHON3" - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
def load(name):
    return json.load(open(w + "/" + name))
def save(doc, name):
    json.dump(doc, open(w + "/" + name, "w"))
d = load("abba.json")
ends = [i for i, e in enumerate(d["traceEvents"]) if e["ph"] == "E"]
del d["traceEvents"][ends[0]]
save(d, "broken1.json")
d = load("abba.json")
b = [e for e in d["traceEvents"] if e["ph"] == "B" and e["name"] == "hold acct2"][0]
b["ts"] = 1.0
save(d, "broken2.json")
d = load("mutex.json")
d["traceEvents"] = [e for e in d["traceEvents"] if e["ph"] != "f"]
save(d, "broken3.json")
PY
check "trace_check rejects an unclosed slice, a time going back, a flow without end" sh -c \
    "! '$PYTHON3' '$TC' '$WORK/broken1.json' >'$WORK/b1' && grep -q 'closes B\\|left open' '$WORK/b1' &&
     ! '$PYTHON3' '$TC' '$WORK/broken2.json' >'$WORK/b2' && grep -q 'ts goes back' '$WORK/b2' &&
     ! '$PYTHON3' '$TC' '$WORK/broken3.json' >'$WORK/b3' && grep -q 'has no end' '$WORK/b3'"

# --- CSV ---------------------------------------------------------------------
il run race threads=2 iterations=1 --schedule 'A B A B A B' --format csv
check "csv: header, one row per event, in order" "$PYTHON3" - "$WORK/out" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["seq", "t", "unit", "lane", "event", "object", "value"], rows[0]
body = rows[1:]
assert len(body) == 10, len(body)
assert [r[0] for r in body] == [str(i) for i in range(1, 11)]
assert all(len(r) == 7 and r[2] == "step" for r in body)
ts = [int(r[1]) for r in body]
assert ts == sorted(ts), ts
loads = [(r[3], r[5], r[6]) for r in body if r[4] == "load"]
assert loads == [("A", "counter", "0"), ("B", "counter", "0")], loads
stores = [(r[3], r[6]) for r in body if r[4] == "store"]
assert stores == [("A", "1"), ("B", "1")], stores
PY
il run prodcons producers=2 consumers=2 capacity=4 items=500 --schedule 'A* B* C* D*' --format json
recorded=$("$PYTHON3" -c "import json,sys; print(json.load(open(sys.argv[1]))['events']['recorded'])" "$WORK/out")
il run prodcons producers=2 consumers=2 capacity=4 items=500 --schedule 'A* B* C* D*' --format csv
check "csv of a replay: as many rows as the report counts events, slot names quoted" "$PYTHON3" - "$WORK/out" "$recorded" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0][0] == "seq", rows[0]
assert len(rows) - 1 == int(sys.argv[2]), (len(rows) - 1, sys.argv[2])
assert all(len(r) == 7 for r in rows)
assert [int(r[0]) for r in rows[1:]] == list(range(1, len(rows))), "seq"
raw = open(sys.argv[1]).read()
# a slot's name holds no comma, so nothing is quoted
assert '"' not in raw
PY
il run race threads=2 iterations=1 --format xml
check "bad --format names the four" sh -c "[ $RC -eq 2 ] && grep -q \"^interleave: --format: must be text, json, chrome or csv, got 'xml'\" '$WORK/err'"

# --- streaming: the export costs far less memory than what it writes --------------
# peak RSS (KiB) of interleave and its sandbox with the output thrown away
peak() {
    "$PYTHON3" - "$INTERLEAVE" "$@" <<'PY'
import resource, subprocess, sys
out = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, len(out))
PY
}
set -- run race threads=4 iterations=40000 variant=unsafe
read -r rss_text size_text <<EOF2
$(peak "$@" --format text)
EOF2
read -r rss_chrome size_chrome <<EOF2
$(peak "$@" --format chrome)
EOF2
read -r rss_csv size_csv <<EOF2
$(peak "$@" --format csv)
EOF2
echo "# peak RSS: text $rss_text KiB; chrome $rss_chrome KiB for $size_chrome bytes; csv $rss_csv KiB for $size_csv bytes"
check "chrome export streams: RSS grows by less than a quarter of the trace" \
    test $(((rss_chrome - rss_text) * 1024 * 4)) -lt "$size_chrome"
check "csv export streams: RSS grows by less than a quarter of the file" \
    test $(((rss_csv - rss_text) * 1024 * 4)) -lt "$size_csv"

# a streamed export that passes 100 MB says so, once (a long run wrote
# 1.8 GB without a word); a small one says nothing
RC=0
"$INTERLEAVE" run race threads=2 iterations=170000 --format chrome </dev/null >/dev/null \
    2>"$WORK/err" || RC=$?
check "a chrome export past 100 MB: exit 0, one notice line on stderr" sh -c \
    '[ "$1" -eq 0 ] && [ "$(cat "$2")" = "interleave: the export is past 100 MB and goes on; fewer lanes or iterations make it smaller" ]' \
    sh "$RC" "$WORK/err"
RC=0
"$INTERLEAVE" run race threads=2 iterations=1000 --format csv </dev/null >/dev/null \
    2>"$WORK/err" || RC=$?
check "a small export: nothing on stderr" sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' sh "$RC" "$WORK/err"

done_testing
