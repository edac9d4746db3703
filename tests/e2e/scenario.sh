#!/bin/sh
# scenario.sh - scenario files and the explorer from the command line:
# `run FILE.scn` (the race's known answers, free mode, a parse error as one
# file:line:column line with exit 2), `lint FILE.scn`, `explore` (text and
# JSON, its exit status) and a long replay's warning.  TAP output.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 58
SCN="$SRCDIR/data/scenarios"

il run "$SCN/counter.scn" --schedule "A B A B A B" --format json
check "counter.scn 'A B A B A B': counter 1, verdict invariant (the expect)" \
    json 'd["verdict"] == "invariant" and d["results"]["counter"] == 1 and d["steps"] == 6'
check "counter.scn 'A B A B A B': exit 1" rc_is 1
il run "$SCN/counter.scn" --schedule "A3 B3" --format json
check "counter.scn 'A3 B3': counter 2, completed, exit 0" \
    sh -c '[ "$0" -eq 0 ]' "$RC"
check "counter.scn 'A3 B3': the JSON says counter 2" \
    json 'd["verdict"] == "completed" and d["results"]["counter"] == 2'
il run "$SCN/counter.scn" threads=4 iterations=2000 --format json
check "counter.scn free mode: a real run of 4 lanes ends with the counter at most 8000" \
    json 'd["mode"] == "free" and 0 < d["results"]["counter"] <= 8000'

printf 'x = 0\nlane A:\n    if x = 1:\n        pass\n' >"$WORK/bad.scn"
il run "$WORK/bad.scn"
check "a scenario that does not parse: exit 2" rc_is 2
check "... one line: file:line:column and what was expected" \
    err_has "bad.scn:3:10: expected '==' to compare ('=' assigns)"
check "... and only one line" err_one_line
il lint "$WORK/bad.scn"
check "lint bad.scn: exit 1" rc_is 1
check "lint bad.scn: the same file:line:column message on stdout" \
    out_has "bad.scn:3:10: expected '==' to compare"
il lint "$SCN/counter.scn" "$SCN/primitives.scn" "$SCN/store-buffering.scn" "$SRCDIR/lessons/puzzles.md"
check "the shipped scenarios and lessons/puzzles.md lint clean" rc_is 0

il explore race threads=2 iterations=1 --format json
check "explore race 2x1: complete, outcomes counter 1 and 2" \
    json 'd["complete"] and sorted(o["values"]["counter"] for o in d["outcomes"]) == [1, 2]'
check "explore race 2x1: no failing outcome (the race demo does not judge), exit 0" rc_is 0
il explore deadlock transfers=1 --preemptions 1 --format json
check "explore deadlock: the deadlock is reachable with 1 preemption, 'A B'" \
    json 'any(o["verdict"] == "deadlock" and o["preemptions"] == 1 and o["schedule"] == "A B" for o in d["outcomes"])'
check "explore deadlock: a failing outcome, exit 1" rc_is 1
il explore deadlock transfers=1 variant=ordered
check "explore deadlock variant=ordered: no failing outcome, exit 0" rc_is 0
check "... and says so" out_has "no failing outcome within the bound"
il explore "$SCN/counter.scn" --preemptions 99
check "explore --preemptions 99: a usage error, exit 2, one line" \
    sh -c '[ "$0" -eq 2 ] && [ "$(wc -l < "$1")" -eq 1 ]' "$RC" "$WORK/err"

# a long replay says so before it starts, with the step count
il run race threads=2 iterations=200000 --schedule "A" --timeout 1
check "a long replay: a one-line warning with the step count" \
    err_has "interleave: this replay takes about 1.2 M steps"
il run race threads=2 iterations=1 --schedule "A"
check "a short replay: no warning" sh -c '! grep -q "this replay takes" "$0"' "$WORK/err"

# lint: a challenge without a solution is searched with the explorer
cat >"$WORK/l.md" <<'LESSON'
# Lint a puzzle

A lesson whose two challenges give no solution.

## Page

```interleave-scenario ab
a = Lock()
b = Lock()
lane A:
    with a:
        with b:
            pass
lane B:
    with a:
        with b:
            pass
```

```interleave-challenge
id: cannot
goal: Deadlock it (it cannot: both lanes take a first).
demo: ab
verdict: deadlock
```

```interleave-challenge
id: can
goal: Finish it.
demo: ab
verdict: completed
```
LESSON
il lint "$WORK/l.md"
check "lint: an unreachable challenge is a problem at its block: no schedule reaches the goal" \
    out_has "l.md:20: challenge 'cannot': no schedule within 2 preemptions reaches the goal"
check "lint: ... and only that one (the reachable one is clean), exit 1" \
    sh -c '[ "$0" -eq 1 ] && [ "$(wc -l < "$1")" -eq 1 ]' "$RC" "$WORK/out"

# grading: a missed challenge, with the explorer's shortest length
printf '[puzzles]\nabba-deadlock: A2 B2\nseat-sold-twice: A2 B6 A4\n' >"$WORK/answers.txt"
INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" il grade --answers "$WORK/answers.txt" --lesson puzzles --explore
check "grade --explore: a missed challenge says how short a schedule reaches its goal" \
    out_has "puzzles/abba-deadlock (challenge, line 2): not reached"
check "... the explorer reaches the goal in 2 steps (and the solved one passes)" \
    sh -c 'grep -q "the explorer reaches the goal in 2 steps" "$0" && grep -q "^ok   puzzles/seat-sold-twice" "$0"' "$WORK/out"

# values that depend on params are checked before a run, for every
# command: lane copies, array sizes, a semaphore's, latch's or barrier's
# count; a usage error naming file:line, exit 2 (lint: 1), never a crash
printf 'param n = 2 in 0..40\nx = 0\nlane w[n]:\n    pass\n' >"$WORK/copies.scn"
il run "$WORK/copies.scn" n=0
check "lane w[n] with n=0: exit 2 (not a crash)" rc_is 2
check "... one line naming the lane's line and the allowed range" \
    sh -c 'grep -q "copies.scn:3: lane w: 0 copies with these params (1..26)" "$0" && [ "$(wc -l < "$0")" -eq 1 ]' "$WORK/err"
il run "$WORK/copies.scn" n=27 --schedule A
check "lane w[n] with n=27, replayed: exit 2, the same kind of line" \
    sh -c '[ "$0" -eq 2 ] && grep -q "copies.scn:3: lane w: 27 copies" "$1"' "$RC" "$WORK/err"
il explore "$WORK/copies.scn" n=0
check "explore with n=0: exit 2, file:line" \
    sh -c '[ "$0" -eq 2 ] && grep -q "copies.scn:3: lane w: 0 copies" "$1"' "$RC" "$WORK/err"
printf 'x = 0\nlane w[0]:\n    pass\n' >"$WORK/zero.scn"
il lint "$WORK/zero.scn"
check "lint: lane w[0] is a problem at its line, exit 1" \
    sh -c '[ "$0" -eq 1 ] && grep -q "zero.scn:2: lane w: 0 copies with these params" "$1"' "$RC" "$WORK/out"
printf 'param n = 64 in 1..100\na = [0] * n\nlane w:\n    a[0] = 1\n' >"$WORK/arr.scn"
il run "$WORK/arr.scn" n=65
check "an array of 65 elements: exit 2, file:line (not 'crashed', exit 5)" \
    sh -c '[ "$0" -eq 2 ] && grep -q "arr.scn:2: a has 65 elements with these params (1..64)" "$1"' "$RC" "$WORK/err"
il run "$WORK/arr.scn" n=64
check "... 64 elements run" rc_is 0
printf 's = Semaphore(-1)\nlane w:\n    s.acquire()\n' >"$WORK/sem.scn"
il run "$WORK/sem.scn"
check "Semaphore(-1): exit 2, file:line (not a silent 0 and a deadlock)" \
    sh -c '[ "$0" -eq 2 ] && grep -q "sem.scn:1: Semaphore s starts at -1: a count is at least 0" "$1"' "$RC" "$WORK/err"
printf 'b = Barrier(0)\nlane w:\n    b.wait()\n' >"$WORK/bar.scn"
il run "$WORK/bar.scn"
check "Barrier(0): exit 2, file:line (not a silent Barrier(1))" \
    sh -c '[ "$0" -eq 2 ] && grep -q "bar.scn:1: Barrier b has 0 parties" "$1"' "$RC" "$WORK/err"
il lint "$WORK/bar.scn"
check "lint Barrier(0): a problem, exit 1" rc_is 1
printf 'l = CountDownLatch(-2)\nlane w:\n    l.wait()\n' >"$WORK/latch.scn"
il explore "$WORK/latch.scn"
check "CountDownLatch(-2), explored: exit 2, file:line" \
    sh -c '[ "$0" -eq 2 ] && grep -q "latch.scn:1: CountDownLatch l starts at -2" "$1"' "$RC" "$WORK/err"
: >"$WORK/empty.scn"
il run "$WORK/empty.scn"
check "an empty file: its message is at line 1 (a file of no lines has no line 2)" \
    err_has "empty.scn:1:1: expected at least one lane"
printf 'x = 0\n' >"$WORK/nolane.scn"
il run "$WORK/nolane.scn"
check "a file with no lane: the message is at its last line" \
    err_has "nolane.scn:1:1: expected at least one lane"
il run "$WORK/copies.scn" n=3 --format json
check "lane w[n] with n=3 runs 3 lanes" json 'd["verdict"] == "completed" and len(d["lanes"]) == 3'

printf 'x = 0\nlane w:\n    x = 9223372036854775807\n' >"$WORK/big.scn"
il run "$WORK/big.scn" --format json
check "the largest 64-bit number is a number" json 'd["results"]["x"] == 9223372036854775807'
printf 'x = 0\nlane w:\n    x = 9223372036854775808\n' >"$WORK/big2.scn"
il run "$WORK/big2.scn"
check "one more is too large, and the message says the real limit" \
    err_has "big2.scn:3:9: number too large (at most 9223372036854775807)"

# the timeline shows the waits of every kind of object: a lane asleep at a
# barrier, an event or a latch, or waiting for an RLock or a read-write
# lock another lane holds, is blocked ('#'), in step mode and in free mode (in
# step mode from the step after the holder took it, as for a mutex)
row() { sed -n "s/^$1  |//p" "$WORK/out" | head -n 1; }
printf 'b = Barrier(2)\nlane w[2]:\n    b.wait()\n    pass\n' >"$WORK/tb.scn"
il run "$WORK/tb.scn" --schedule "A B B A"
check "step: A asleep at the barrier until B fills the round: blocked" \
    sh -c '[ "$0" = "=##==" ]' "$(row A)"
printf 'e = Event()\nlane A:\n    e.wait()\nlane B:\n    pass\n    e.set()\n' >"$WORK/te.scn"
il run "$WORK/te.scn" --schedule "A B B A"
check "step: A asleep on the event until B sets it: blocked" sh -c '[ "$0" = "W##w" ]' "$(row A)"
printf 'l = CountDownLatch(1)\nlane A:\n    l.wait()\nlane B:\n    pass\n    l.count_down()\n' >"$WORK/tl.scn"
il run "$WORK/tl.scn" --schedule "B B A"
check "step: A at the latch while the count is 1: blocked, then it goes" \
    sh -c '[ "$0" = "##=" ]' "$(row A)"
printf 'rw = RWLock()\nlane A:\n    rw.acquire_write()\n    pass\n    rw.release_write()\nlane B:\n    rw.acquire_read()\n    rw.release_read()\n' >"$WORK/tw.scn"
il run "$WORK/tw.scn" --schedule "A A A B B"
check "step: a reader while the writer holds the RWLock: blocked" \
    sh -c '[ "$0" = ".##==" ]' "$(row B)"
printf 'rw = RWLock()\nlane A:\n    rw.acquire_read()\n    pass\n    rw.release_read()\nlane B:\n    rw.acquire_write()\n    rw.release_write()\n' >"$WORK/tw2.scn"
il run "$WORK/tw2.scn" --schedule "A A A B B"
check "step: a writer while a reader holds the RWLock: blocked" \
    sh -c '[ "$0" = ".##LU" ]' "$(row B)"
printf 'r = RLock()\nlane A:\n    with r:\n        pass\nlane B:\n    with r:\n        pass\n' >"$WORK/tr.scn"
il run "$WORK/tr.scn" --schedule "A A A B B B"
check "step: B waiting for the RLock A holds: blocked" sh -c '[ "$0" = ".##L=U" ]' "$(row B)"
printf 'r = RLock()\nx = 0\nlane A:\n    with r:\n        pass\n    for k in range(300):\n        x = x + 1\n' >"$WORK/tr1.scn"
il run "$WORK/tr1.scn" --format csv
check "free: a lane alone takes its RLock with no wait recorded" sh -c \
    '! grep -q ",lock_wait," "$0"' "$WORK/out"
il run "$WORK/tr1.scn"
check "free: a lane alone that took an RLock is never drawn blocked" \
    sh -c 'case "$0" in *"#"*) exit 1;; *=*) exit 0;; *) exit 1;; esac' "$(row A)"
for kind in "b = Barrier(2)|b.wait()" "e = Event()|e.wait()" "l = CountDownLatch(1)|l.wait()" \
    "rw = RWLock()|rw.acquire_write()\n    rw.acquire_read()"; do
    printf '%s\nlane A:\n    %b\n' "${kind%%|*}" "${kind#*|}" >"$WORK/tf.scn"
    il run "$WORK/tf.scn"
    check "free: a lane that waits for ever at ${kind%%|*} ends its row blocked (deadlock)" \
        sh -c '[ "$0" -eq 4 ] && case "$1" in *"#") exit 0;; *) exit 1;; esac' "$RC" "$(row A)"
done

# ... and so does the Chrome trace: an RLock is held (it was waited for
# only until taken), a lane asleep at a barrier has a wait slice
il run "$WORK/tr.scn" --schedule "A A A B B B" --format chrome
check "chrome: each lane holds the RLock ('hold r'), a valid trace" \
    sh -c '"$0" "$1" "$2" --slice "hold r" && [ "$(grep -o "\"hold r\"" "$2" | wc -l)" -eq 4 ]' \
    "$PYTHON3" "$SRCDIR/tests/e2e/trace_check.py" "$WORK/out"
il run "$WORK/tb.scn" --schedule "A B B A" --format chrome
check "chrome: a lane asleep at the barrier has a 'wait at b' slice" \
    "$PYTHON3" "$SRCDIR/tests/e2e/trace_check.py" "$WORK/out" --slice "wait at b"

# lint: a run block whose params make a run that cannot start is a problem
# at its line (the TUI would refuse it when the student loads it)
printf '# Copies\n\nText.\n\n## P\n\n```interleave-scenario cp\nparam n = 2 in 0..40\nx = 0\nlane w[n]:\n    x = x + 1\n```\n\n```interleave-run\nlabel: zero lanes\ndemo: cp\nparams: n=0\n```\n\n```interleave-run\nlabel: two\ndemo: cp\nparams: n=2\n```\n' >"$WORK/cp.md"
il lint "$WORK/cp.md"
check "lint: a run block with n=0 is a problem at its line, the other is clean, exit 1" \
    sh -c '[ "$0" -eq 1 ] && grep -q "cp.md:14: run block .zero lanes.: cannot start: .*cp.md:10: lane w: 0 copies" "$1" && [ "$(wc -l < "$1")" -eq 1 ]' "$RC" "$WORK/out"

# an expect names the values it read, array elements too, and a text too
# long for the verdict's name ends with "..." (it was cut mid-word, and
# "expect a[1] == 2" said only "it does not hold")
printf 'a = [0, 0]\nlane A:\n    a[1] = 1\nexpect a[1] == 2\n' >"$WORK/xa.scn"
il run "$WORK/xa.scn"
check "expect a[1] == 2: the message says a[1] is 1" \
    err_has "invariant 'expect a[1] == 2' broken at the end of the run: line 4: a[1] is 1"
printf 'a = [0, 0]\nlane A:\n    a[1] = 1\nexpect a[0] + a[1] + a[0] + a[1] + a[0] + a[1] + a[0] + a[1] == 99\n' >"$WORK/xl.scn"
il run "$WORK/xl.scn" --format json
check "a long expect: its name is cut with '...', whole words of the values kept" \
    json 'd["invariant"]["name"].endswith("...") and len(d["invariant"]["name"]) <= 63 and d["invariant"]["name"].startswith("expect a[0] + a[1]") and "a[1] is 1" in d["message"] and (chr(39) + d["invariant"]["name"] + chr(39) + " broken") in d["message"]'

# lint: a scenario in a lesson whose default params cannot run is a problem
# at the declaration's line (lint said clean)
printf '# Bad2\n\nText.\n\n## P\n\n```interleave-scenario s\nparam n = 0 in 0..3\nb = Barrier(n)\nlane A:\n    b.wait()\n```\n' >"$WORK/bad2.md"
il lint "$WORK/bad2.md"
check "lint: Barrier(n) with n=0 by default, in a lesson: a problem at its line, exit 1" \
    sh -c '[ "$0" -eq 1 ] && grep -q "bad2.md:9: scenario s: Barrier b has 0 parties with these params (1..65535) (the default params)" "$1"' "$RC" "$WORK/out"

done_testing
