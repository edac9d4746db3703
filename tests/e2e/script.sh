#!/bin/sh
# script.sh - demo scripts headless (`interleave --script FILE --headless`):
# the shipped sample runs to its end and prints what each command showed,
# the same lines every time (its runs are step runs); a script that does
# not parse is refused before anything runs with file:line; a command that
# fails stops the script at its line (exit 1) after printing what ran;
# bad command lines are one-line errors (exit 2).  TAP output.
. "$(dirname "$0")/lib.sh"

plan 12

export INTERLEAVE_LESSON_DIR="$SRCDIR/lessons"
sample="$SRCDIR/data/scripts/lost-update.script"

il --script "$sample" --headless
check "the sample script runs headless: exit 0" rc_is 0
check "each command prints its line: the lesson, the parameters" \
    sh -c 'grep -q "^line 10: lesson race$" "$1" && grep -q "^line 12: params threads=2 iterations=1 variant=unsafe$" "$1"' sh "$WORK/out"
check "A then B: the verdict and figures (no update lost)" \
    out_has "line 16: completed: counter 2 as expected, no update lost (expected 2, final 2, lost 0)"
check "A B A B A B: the lost update, in words and figures" \
    out_has "line 22: completed: counter 1, expected 2: 1 update lost (expected 2, final 1, lost 1)"
check "a key is not waited for headless, and says so" \
    out_has "line 18: key (headless: not waiting)"
cp "$WORK/out" "$WORK/first"
il --script "$sample" --headless
check "a second run prints the same lines" cmp -s "$WORK/first" "$WORK/out"

printf 'lesson race\n# a comment\nfly to the moon\n' >"$WORK/bad.script"
il --script "$WORK/bad.script" --headless
check "a script that does not parse: exit 2, file:line on one line, nothing ran" \
    sh -c '[ "$1" -eq 2 ] && grep -q "^interleave: .*bad.script:3: unknown command .fly." "$2" &&
        [ "$(wc -l <"$2")" -eq 1 ] && [ ! -s "$3" ]' sh "$RC" "$WORK/err" "$WORK/out"

printf 'lesson race\nparams threads=2 iterations=1\nstep A B C\nsay never\n' >"$WORK/fail.script"
il --script "$WORK/fail.script" --headless
check "a command that fails: exit 1, its line and why, after what ran" \
    sh -c '[ "$1" -eq 1 ] && grep -q "^interleave: .*fail.script:3: " "$2" &&
        grep -q "^line 2: params" "$3" && ! grep -q never "$3"' sh "$RC" "$WORK/err" "$WORK/out"

il --headless
check "--headless without --script: exit 2, says what is missing" \
    sh -c '[ "$1" -eq 2 ] && grep -q "needs --script FILE" "$2"' sh "$RC" "$WORK/err"
il --script "$WORK/nonexistent.script" --headless
check "a script that is not there: exit 2, names the file" \
    sh -c '[ "$1" -eq 2 ] && grep -q "nonexistent.script" "$2"' sh "$RC" "$WORK/err"

mkdir -p "$WORK/course"
cat >"$WORK/course/ours.md" <<'LESSON'
<!-- interleave: demo=deadlock -->

# Our deadlock

A lesson an instructor wrote: the deadlock, stepped by hand.

## Be the scheduler

```interleave-run
label: A then B, one lock each
params: variant=naive
mode: step
schedule: A B
```
LESSON
printf 'lesson ours\npage 1\nrun 1\nwait verdict 20s\n' >"$WORK/ours.script"
il --script "$WORK/ours.script" --headless --lessons "$WORK/course"
check "an instructor's lesson from --lessons: its page's run block, its deadlock" \
    sh -c '[ "$1" -eq 0 ] && grep -q "^line 3: run 1: A then B, one lock each$" "$2" &&
        grep -q "^line 4: deadlock at step 2: A holds acct1, waits acct2; B holds acct2, waits acct1" "$2"' \
    sh "$RC" "$WORK/out"

printf 'lesson race\nparams threads=2 iterations=50000\nrun\nwait 50ms\npause\nresume\nwait verdict 60s\n' \
    >"$WORK/free.script"
il --script "$WORK/free.script" --headless
check "a free run: pause and resume (or the run had ended), then its verdict" \
    sh -c '[ "$1" -eq 0 ] && grep -q "^line 5: pause" "$2" && grep -q "^line 7: completed" "$2" &&
        grep -q "expected 100000" "$2"' sh "$RC" "$WORK/out"

done_testing
