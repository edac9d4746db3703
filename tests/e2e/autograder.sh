#!/bin/sh
# autograder.sh - the Gradescope autograder example (data/autograder/)
# run the way Gradescope runs it: a submission directory in, a
# results.json out, checked field by field against Gradescope's
# specification (gradescope_check.py).  The full-marks sample must score
# full marks, the partial one exactly the points it earns; a submission
# without answers, or with a malformed answers file, still gets a
# results.json that says why it scored 0.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

AG="$SRCDIR/data/autograder"
GS_CHECK="$SRCDIR/tests/e2e/gradescope_check.py"
INTERLEAVE_LESSON_DIR="$SRCDIR/lessons"
export INTERLEAVE_LESSON_DIR
export INTERLEAVE

plan 8

# grade_dir NAME: run run_autograder on $WORK/NAME/submission, the Gradescope
# layout under AUTOGRADER_ROOT=$WORK/NAME; RC is its exit status
grade_dir() {
    RC=0
    AUTOGRADER_ROOT="$WORK/$1" "$AG/run_autograder" >"$WORK/out" 2>"$WORK/err" || RC=$?
}

mkdir -p "$WORK/full/submission" "$WORK/part/submission" "$WORK/none/submission" \
    "$WORK/bad/submission" "$WORK/other/submission"
cp "$AG/samples/full-marks.txt" "$WORK/full/submission/answers.txt"
cp "$AG/samples/partial-marks.txt" "$WORK/part/submission/answers.txt"
printf '[race]\nrace-lose-one A B\n' >"$WORK/bad/submission/answers.txt"
cp "$AG/samples/full-marks.txt" "$WORK/other/submission/my answers.txt"

grade_dir full
check "full marks: exit 0, results.json where Gradescope reads it" \
    sh -c "[ $RC -eq 0 ] && [ -f '$WORK/full/results/results.json' ]"
check "full marks: the specification's fields, 18 of 18" \
    "$PYTHON3" "$GS_CHECK" "$WORK/full/results/results.json" --score 18 --max 18 --tests 18

grade_dir part
check "partial marks: 8 of 19, the wrong answers failed" \
    "$PYTHON3" "$GS_CHECK" "$WORK/part/results/results.json" --score 8 --max 19 --tests 19 \
    --failed race/race-lose-one --failed race/race-two-threads --failed race/race-mutex-steps \
    --failed deadlock/deadlock-philosophers --failed deadlock/deadlock-trylock-livelock \
    --failed deadlock/deadlock-bonus --failed prodcons/prodcons-if-stolen \
    --failed prodcons/prodcons-hang --failed prodcons/prodcons-signal-lost --failed prodcons/prodcons-while --failed prodcons/prodcons-sizing

# the paths as arguments, and LESSONS narrowed to one lesson
RC=0
LESSONS=race "$AG/run_autograder" "$WORK/args.json" "$WORK/part/submission" >"$WORK/out" 2>&1 || RC=$?
check "paths as arguments, LESSONS=race: 3 of 6" sh -c \
    "[ $RC -eq 0 ] && '$PYTHON3' '$GS_CHECK' '$WORK/args.json' --score 3 --max 6 --tests 6"

grade_dir none
check "no answers file: exit 0, score 0 and why" sh -c \
    "[ $RC -eq 0 ] && '$PYTHON3' '$GS_CHECK' '$WORK/none/results/results.json' --score 0 --tests 0 &&
     grep -q 'no answers.txt in the submission' '$WORK/none/results/results.json'"

grade_dir bad
check "malformed answers: exit 0, score 0, the file:line problem shown" sh -c \
    "[ $RC -eq 0 ] && '$PYTHON3' '$GS_CHECK' '$WORK/bad/results/results.json' --score 0 --tests 0 &&
     grep -q \"answers.txt:2: expected 'ID: ANSWER'\" '$WORK/bad/results/results.json'"

grade_dir other
check "an answers file under another .txt name is found" \
    "$PYTHON3" "$GS_CHECK" "$WORK/other/results/results.json" --score 18 --max 18

RC=0
AUTOGRADER_ROOT="$WORK/full" INTERLEAVE=/nonexistent/interleave "$AG/run_autograder" \
    "$WORK/noil.json" >/dev/null 2>&1 || RC=$?
check "interleave missing: exit 0, score 0 and why" sh -c \
    "[ $RC -eq 0 ] && grep -q 'interleave is not installed' '$WORK/noil.json' && '$PYTHON3' '$GS_CHECK' '$WORK/noil.json' --score 0"

done_testing
