#!/bin/sh
# args.sh - mistakes on the command line, as a new user makes them: each
# is one "interleave: ..." line on stderr and a documented exit status,
# never a crash, a hang or a usage text.  Under an ASan build a read of
# freed memory ends the program with a report and status 1, so these
# checks of the status and of the one line catch it there too.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 31

# exit status 2 and exactly one "interleave: " line on stderr
usage_one_line() {
    rc_is 2 && err_one_line
}

# ---- run: a word that is not key=value after the demo ----
il run race threads
check "run race threads: exit 2, one line (not a crash)" usage_one_line
check "run race threads: the line names the word and says key=value" sh -c \
    'grep -q "^interleave: threads: parameters are key=value" "$1"' sh "$WORK/err"
il run race foo
check "run race foo: exit 2, one line" usage_one_line
il run deadlock x
check "run deadlock x: exit 2, one line" usage_one_line
il run race threads=2 iterations=1 foo
check "run race threads=2 iterations=1 foo: exit 2, names foo" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^interleave: foo: parameters" "$2"' \
    sh "$RC" "$WORK/err"
il run race foo --schedule "A B"
check "run race foo --schedule: exit 2, one line" usage_one_line
il run race threads=0
check "run race threads=0: exit 2, one line" usage_one_line
il run race --mode nope
check "run race --mode nope: exit 2, one line" usage_one_line

# ---- explore: the same words, the same one line ----
il explore race threads
check "explore race threads: exit 2, one line" usage_one_line
il explore race --bogus
check "explore race --bogus: exit 2, one line" usage_one_line
RC=0
"$INTERLEAVE" explore race threads=2 iterations=1 </dev/null >/dev/full 2>"$WORK/err" || RC=$?
check "explore >/dev/full: exit 74, the real reason" sh -c \
    '[ "$1" -eq 74 ] && grep -q "^interleave: cannot write the output: standard output: No space left on device\$" "$2"' \
    sh "$RC" "$WORK/err"

# ---- grade: --lessons DIR, like list, the TUI and --script --headless ----
mine=$WORK/course
mkdir -p "$mine"
cat >"$mine/ours.md" <<'LESSON'
<!-- interleave: demo=race -->

# Our locks

A lesson an instructor wrote.

## Two threads

```question
id: ours-two
prompt: Two threads add one once each, unprotected. Can the counter end at 1?
choice: yes
choice: no
answer: yes
```

```interleave-challenge
id: ours-lose
goal: Lose one update.
params: threads=2 iterations=1 variant=unsafe
verdict: completed
result: lost == 1
solution: A B A B A B
```
LESSON
printf '[ours]\nours-two: yes\nours-lose: A B A B A B\n' >"$WORK/ours.txt"
il grade --answers "$WORK/ours.txt" --lessons "$mine" --format json
check "grade --lessons DIR: an instructor's lesson is graded (2 of 2)" json \
    'd["score"] == 2 and d["max_score"] == 2 and d["failed"] == 0
     and sorted(t["id"] for t in d["tests"]) == ["ours-lose", "ours-two"]'
check "grade --lessons DIR: exit 0" rc_is 0
il grade --answers "$WORK/ours.txt" --lessons="$mine" --lesson ours
check "grade --lessons=DIR --lesson ours: exit 0" rc_is 0
il grade --answers "$WORK/ours.txt"
check "without --lessons, the lesson is unknown: exit 1" rc_is 1
il grade --answers "$WORK/ours.txt" --lessons "$WORK/nowhere"
check "grade --lessons MISSING: exit 2, one line with the reason" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] &&
     grep -q "^interleave: grade: --lessons: .*nowhere: No such file or directory\$" "$2"' \
    sh "$RC" "$WORK/err"
il grade --answers "$WORK/ours.txt" --lessons "$WORK/ours.txt"
check "grade --lessons FILE: exit 2, 'not a directory'" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: grade: --lessons: .*ours.txt: not a directory\$" "$2"' \
    sh "$RC" "$WORK/err"
il grade --answers "$WORK/ours.txt" --lesson nope --lessons "$mine"
check "grade --lesson NAME not on the path: names the path, --lessons DIR first" sh -c \
    '[ "$1" -eq 2 ] && grep -q "no lesson .nope. in .*course:" "$2"' sh "$RC" "$WORK/err"
il grade --x
check "grade --x: one line, exit 2 (not getopt's message and the usage)" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] &&
     grep -q "^interleave: grade: unrecognized option .--x. (try .interleave grade --help.)\$" "$2"' \
    sh "$RC" "$WORK/err"
il grade --answers
check "grade --answers without a value: one line, exit 2" usage_one_line
il grade
check "grade without --answers: one line, exit 2" usage_one_line
il grade --help
check "grade --help lists --lessons DIR" out_has "--lessons DIR"

# ---- lint: a bad option or no file is one line too ----
il lint --x
check "lint --x: exit 2, one line" usage_one_line
il lint
check "lint with no file: exit 2, one line" usage_one_line

# ---- --lessons on a missing directory: the reason, the same everywhere ----
il list --lessons "$WORK/nowhere"
check "list --lessons MISSING: 'No such file or directory' (as the TUI says)" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: list: --lessons: .*nowhere: No such file or directory\$" "$2"' \
    sh "$RC" "$WORK/err"
il list --lessons "$WORK/ours.txt"
check "list --lessons FILE: 'not a directory'" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: list: --lessons: .*ours.txt: not a directory\$" "$2"' \
    sh "$RC" "$WORK/err"

# ---- INTERLEAVE_LESSON_PATH: said with the variable, only where lessons are read ----
INTERLEAVE_LESSON_PATH=/nope il run race threads=2 iterations=1
check "INTERLEAVE_LESSON_PATH=/nope run: nothing on stderr (run reads no lessons)" sh -c \
    '[ "$1" -eq 0 ] && [ ! -s "$2" ]' sh "$RC" "$WORK/err"
INTERLEAVE_LESSON_PATH=/nope il list
check "INTERLEAVE_LESSON_PATH=/nope list: one line naming the variable" sh -c \
    '[ "$1" -eq 0 ] && [ "$(cat "$2")" = "interleave: INTERLEAVE_LESSON_PATH: /nope: No such file or directory" ]' \
    sh "$RC" "$WORK/err"
INTERLEAVE_LESSON_PATH=/nope il grade --answers "$WORK/ours.txt" --lessons "$mine"
check "INTERLEAVE_LESSON_PATH=/nope grade: the same line, the grading goes on" sh -c \
    '[ "$1" -eq 0 ] && grep -q "^interleave: INTERLEAVE_LESSON_PATH: /nope: No such file or directory\$" "$2"' \
    sh "$RC" "$WORK/err"

# ---- a parameter naming a task past the tasks submitted ----
il run pool tasks=4 crash=5
check "pool tasks=4 crash=5: exit 2, one line naming crash=5" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "crash=5 names no task" "$2"' \
    sh "$RC" "$WORK/err"
il run pool tasks=4 raise=9 --mode replay --schedule "A"
check "pool tasks=4 raise=9 in a replay: exit 2, one line naming raise=9" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "raise=9 names no task" "$2"' \
    sh "$RC" "$WORK/err"

done_testing
