#!/bin/sh
# grade.sh - `interleave grade` end to end, each report read by a real
# consumer: TAP by prove(1), JUnit XML by python3-junitparser, Gradescope's
# results.json field by field against its specification
# (gradescope_check.py), our JSON by python's json module.  Also: the exit
# codes, a malformed answers file (file:line errors, exit 2, nothing
# graded), bad options, --output, standard input, and `interleave lint` of
# challenge blocks.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

INTERLEAVE_LESSON_DIR="$SRCDIR/lessons"
export INTERLEAVE_LESSON_DIR
FULL="$SRCDIR/data/autograder/samples/full-marks.txt"
PART="$SRCDIR/data/autograder/samples/partial-marks.txt"
GS_CHECK="$SRCDIR/tests/e2e/gradescope_check.py"
ALL="--lesson race --lesson deadlock --lesson prodcons"
# the failures partial-marks.txt must give, by name
PART_FAILED="race/race-lose-one race/race-two-threads race/race-mutex-steps
deadlock/deadlock-philosophers deadlock/deadlock-trylock-livelock deadlock/deadlock-bonus
prodcons/prodcons-if-stolen prodcons/prodcons-hang prodcons/prodcons-signal-lost
prodcons/prodcons-while prodcons/prodcons-sizing"

# A python3 that has junitparser (Debian's python3-junitparser installs
# into the system python).
JPY=
for py in "$PYTHON3" /usr/bin/python3; do
    if "$py" -c 'import junitparser' 2>/dev/null; then
        JPY=$py
        break
    fi
done

plan 27

# --- text, exit codes -------------------------------------------------
il grade --answers "$FULL" $ALL
check "full marks: exit 0" rc_is 0
check "full marks: score line" out_has "score 18/18: 18 passed, 0 failed"
il grade --answers "$PART" $ALL
check "partial marks: exit 1" rc_is 1
check "partial marks: score line" out_has "score 8/19: 8 passed, 11 failed"

# --- TAP, read by prove ---------------------------------------------------
if command -v prove >/dev/null 2>&1; then
    il grade --answers "$FULL" $ALL --format tap
    cp "$WORK/out" "$WORK/full.tap"
    RC=0
    prove --exec cat "$WORK/full.tap" >"$WORK/out" 2>&1 || RC=$?
    check "prove passes the full-marks TAP" sh -c "[ $RC -eq 0 ] && grep -q 'Result: PASS' '$WORK/out' && grep -q 'Tests=18' '$WORK/out'"
    il grade --answers "$PART" $ALL --format tap
    cp "$WORK/out" "$WORK/part.tap"
    RC=0
    prove --exec cat "$WORK/part.tap" >"$WORK/out" 2>&1 || RC=$?
    # the failed test numbers prove reports are the ones the text report fails
    want=$(grep -n '^not ok' "$WORK/part.tap" | wc -l)
    check "prove fails the partial TAP and counts its failures" sh -c "[ $RC -ne 0 ] && grep -q 'Failed 11/19 subtests' '$WORK/out' && [ $want -eq 11 ]"
else
    fail "prove passes the full-marks TAP" "prove not installed (scripts/install-deps.sh)"
    fail "prove fails the partial TAP and counts its failures" "prove not installed"
fi

# --- JUnit XML, read by python3-junitparser -------------------------------
il grade --answers "$PART" $ALL --format junit --output "$WORK/part.xml"
check "junit: exit 1, nothing on stdout" sh -c "[ $RC -eq 1 ] && [ ! -s '$WORK/out' ]"
if [ -n "$JPY" ]; then
    check "junitparser reads the suites, counts and failure reasons" "$JPY" - "$WORK/part.xml" "$PART_FAILED" <<'PY'
import sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
want_failed = sorted(sys.argv[2].split())
suites = {s.name: s for s in xml}
assert sorted(suites) == ["deadlock", "prodcons", "race"], sorted(suites)
counts = {n: (s.tests, s.failures, s.errors) for n, s in suites.items()}
assert counts == {"race": (6, 3, 0), "deadlock": (6, 3, 0), "prodcons": (7, 5, 0)}, counts
failed = []
for s in xml:
    for case in s:
        fails = [r for r in case.result if isinstance(r, Failure)]
        if fails:
            assert fails[0].message, (case.name, "failure without a message")
            assert fails[0].type in ("wrong", "missing", "not-reached", "unknown"), fails[0].type
            failed.append(s.name + "/" + case.name)
        assert case.classname.startswith(s.name + "."), case.classname
assert sorted(failed) == want_failed, (sorted(failed), want_failed)
PY
    il grade --answers "$FULL" $ALL --format junit --output "$WORK/full.xml"
    check "junitparser: full marks, 18 tests, no failures" "$JPY" -c "
from junitparser import JUnitXml
x = JUnitXml.fromfile('$WORK/full.xml')
assert sum(s.tests for s in x) == 18 and sum(s.failures for s in x) == 0
"
else
    fail "junitparser reads the suites, counts and failure reasons" "python3-junitparser not installed (scripts/install-deps.sh)"
    fail "junitparser: full marks, 18 tests, no failures" "python3-junitparser not installed"
fi

# --- Gradescope results.json -----------------------------------------------
il grade --answers "$FULL" $ALL --format gradescope
cp "$WORK/out" "$WORK/full.json"
check "gradescope full marks: spec fields, score 18 of 18" "$PYTHON3" "$GS_CHECK" "$WORK/full.json" --score 18 --max 18 --tests 18 --visibility visible
il grade --answers "$PART" $ALL --format gradescope --visibility after_due_date
cp "$WORK/out" "$WORK/part.json"
set -- $PART_FAILED
args=""
for n in "$@"; do args="$args --failed $n"; done
check "gradescope partial: spec fields, score 8 of 19, the right tests failed" "$PYTHON3" "$GS_CHECK" "$WORK/part.json" --score 8 --max 19 --tests 19 $args --visibility after_due_date

# --- our JSON ------------------------------------------------------------------
il grade --answers "$PART" $ALL --format json
check "json: counts and one failure's details" json "d['format'] == 1 and d['score'] == 8 and d['max_score'] == 19 and d['failed'] == 11 and [t for t in d['tests'] if t['id'] == 'race-lose-one'][0]['message'].startswith('not reached: the run completed at step 6 with final 2') and [t for t in d['tests'] if t['id'] == 'deadlock-bonus'][0]['kind'] == 'unknown'"

# --- --lesson, stdin, --output ----------------------------------------------------
il grade --answers "$PART" --lesson race --format json
check "--lesson race grades race only (6 items + no unknowns elsewhere)" json "d['max_score'] == 6 and all(t['lesson'] == 'race' for t in d['tests'])"
RC=0
"$INTERLEAVE" grade --answers - --format json <"$FULL" >"$WORK/out" 2>"$WORK/err" || RC=$?
check "--answers - reads standard input (the file's own lessons)" json "d['score'] == 18 and d['max_score'] == 18 and d['answers'] == '(stdin)'"
il grade --answers "$FULL" $ALL --output "$WORK/report.txt"
check "--output writes the file, nothing on stdout, no temporary left" sh -c "[ $RC -eq 0 ] && [ ! -s '$WORK/out' ] && grep -q 'score 18/18' '$WORK/report.txt' && [ \$(ls '$WORK' | grep -c 'report.txt.tmp') -eq 0 ]"

# --- bad input -----------------------------------------------------------------------
printf '# header\nq: 1\n[race]\nrace-lose-one A B\n[race\n  orphan?\n' >"$WORK/bad.txt"
il grade --answers "$WORK/bad.txt" --format tap
check "malformed answers: exit 2, nothing graded" sh -c "[ $RC -eq 2 ] && [ ! -s '$WORK/out' ]"
check "malformed answers: file:line for every problem" sh -c "grep -q '^$WORK/bad.txt:2: ' '$WORK/err' && grep -q '^$WORK/bad.txt:4: expected' '$WORK/err' && grep -q '^$WORK/bad.txt:5: ' '$WORK/err' && grep -q '^$WORK/bad.txt:6: ' '$WORK/err' && grep -q 'interleave: grade: 4 problems in the answers file' '$WORK/err'"
il grade --answers "$WORK/bad.txt" --format gradescope --output "$WORK/bad.json"
check "malformed answers, gradescope: exit 2, results.json with score 0 and the problems" sh -c "[ $RC -eq 2 ] && '$PYTHON3' '$GS_CHECK' '$WORK/bad.json' --score 0 --tests 0 && grep -q 'bad.txt:4: expected' '$WORK/bad.json'"
il grade --answers "$WORK/none.txt"
check "missing answers file: exit 2, one line" sh -c "[ $RC -eq 2 ] && [ \$(wc -l <'$WORK/err') -eq 1 ] && grep -q 'none.txt: No such file or directory' '$WORK/err'"
il grade --answers "$FULL" --lesson nosuch
check "unknown --lesson: exit 2, one line" sh -c "[ $RC -eq 2 ] && grep -q \"^interleave: --lesson: no lesson 'nosuch'\" '$WORK/err'"
il grade --answers "$FULL" --format xml
check "bad --format: exit 2" sh -c "[ $RC -eq 2 ] && grep -q '^interleave: --format: must be text, json, tap, junit or gradescope' '$WORK/err'"
il grade --lesson race
check "no --answers: exit 2" rc_is 2

# --- lint of challenge blocks ---------------------------------------------------------
sed -e 's/^solution: A B A B A B$/solution: A3 B3/' -e 's/^verdict: hang$/verdict: sleeping/' \
    "$SRCDIR/lessons/race.md" >"$WORK/race.md"
il lint "$WORK/race.md"
check "lint: a solution that misses its goal is a file:line problem" sh -c "[ $RC -eq 1 ] && grep -q '^$WORK/race.md:[0-9]*: solution: does not reach the goal: the run completed at step 6 with final 2' '$WORK/out'"
sed -e 's/^verdict: hang$/verdict: sleeping/' -e 's/^by: A B C$/by: A B Q/' "$SRCDIR/lessons/prodcons.md" >"$WORK/prodcons.md"
il lint "$WORK/prodcons.md"
check "lint: a bad challenge block gives file:line problems" sh -c "[ $RC -eq 1 ] && grep -q \"^$WORK/prodcons.md:[0-9]*: verdict: must be completed, deadlock, hang, invariant or livelock, got 'sleeping'\" '$WORK/out' && grep -q '^$WORK/prodcons.md:[0-9]*: by: lane Q does not exist' '$WORK/out'"

# --- a token left over once every lane finished: refused, as in a replay ---------------
# (a challenge answer or solution with a token past the end was counted as
# reached; a run block's schedule was replayed as clean)
printf '[race]\nrace-lose-one: A B A B A B A\n' >"$WORK/extra.txt"
il grade --answers "$WORK/extra.txt" --lesson race --format json
check "grade: an answer with a token after the end fails: refused at it, lane A has finished" json \
    "[t for t in d['tests'] if t['id'] == 'race-lose-one'][0]['passed'] is False and [t for t in d['tests'] if t['id'] == 'race-lose-one'][0]['message'] == \"not reached: the schedule was refused at token 7 'A': lane A has finished\""
sed -e 's/^solution: A B A B A B$/solution: A B A B A B A/' "$SRCDIR/lessons/race.md" >"$WORK/race.md"
il lint "$WORK/race.md"
check "lint: a solution with a token after the end is a file:line problem" sh -c "[ $RC -eq 1 ] && grep -q \"^$WORK/race.md:[0-9]*: solution: does not reach the goal: the schedule was refused at token 7 'A': lane A has finished\" '$WORK/out'"
cat >"$WORK/extra.md" <<'LESSON'
<!-- interleave: demo=race -->

# Extra

A run block with a token past the end.

## Page

```interleave-run
label: one too many
params: threads=2 iterations=1
mode: replay
schedule: A3 B3 A
```
LESSON
il lint "$WORK/extra.md"
check "lint: a run block with a token after the end would be refused, at its line" sh -c "[ $RC -eq 1 ] && grep -q \"^$WORK/extra.md:9: run block 'one too many': the schedule would be refused: token 3 'A': lane A has finished\" '$WORK/out'"

done_testing
