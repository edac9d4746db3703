#!/bin/sh
# inputs.sh - bad and odd input, as a user, a script or an attacker gives it.
#
# Each check is one line of issue 9: standard input closed in step mode
# (ends like end of input, at once); schedules longer than any buffer
# (no token split, nothing cut); special files (directories, FIFOs,
# /dev/zero) refused at once with one line, for --schedule-file, lint and
# the lesson directory; lessons nested deep enough to crash a recursive
# renderer; write errors (exit 74); self-contained schedule files (demo:
# and params: used by run, overridden by the command line) and the
# installed schedules directory; one-line errors for bad options and
# numbers; a duplicated parameter.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 47

# exit status 2 and exactly one "interleave: " line on stderr
usage_one_line() {
    rc_is 2 && err_one_line
}

# run CMD under a 20 s limit (a hang fails the check instead of the suite)
within() {
    RC=0
    timeout 20 "$@" </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
}

# ---- 8: standard input closed in step mode ----
RC=0
timeout 20 "$INTERLEAVE" run race threads=2 iterations=1 --mode step --format json \
    >"$WORK/out" 2>"$WORK/err" <&- || RC=$?
check "step mode, stdin closed: exit 0 at once, not the 120 s timeout" rc_is 0
check "step mode, stdin closed: round-robin like end of input (final 1, lost 1)" json \
    'd["verdict"] == "completed" and d["results"]["lost"] == 1 and d["steps"] == 6'

# ---- 9: no buffer size cuts a schedule ----
# a comment longer than 4095 bytes, then tokens: the tail of the comment
# is comment, and the token after the boundary is whole
"$PYTHON3" -c '
import sys
sys.stdout.write("# " + "x" * 5000 + " A B\n" + " " * 4094 + "AB\n")' >"$WORK/long.sched"
il run race threads=2 iterations=1 --schedule-file "$WORK/long.sched"
check "a token across byte 4096 is one token: AB is no lane of this run" sh -c \
    '[ "$1" -eq 3 ] && grep -q "long.sched:2: token 1 .AB.: no such lane" "$2"' sh "$RC" "$WORK/err"
"$PYTHON3" -c '
import sys
sys.stdout.write("# the comment is long " + "y" * 5000 + "\n" + "A B " * 3 + "\n")' >"$WORK/c.sched"
il run race threads=2 iterations=1 --schedule-file "$WORK/c.sched" --format json
check "a long comment stays a comment" json \
    'd["schedule"] == "A B A B A B" and d["results"]["lost"] == 1'
"$PYTHON3" -c '
import sys
sys.stdout.write("A B " * 3000 + "\n")' >"$WORK/many.sched"
il run race threads=2 iterations=3000 --schedule-file "$WORK/many.sched" --format json
check "6000 tokens on one line: all 6000 replayed" json \
    'len(d["schedule"].split()) == 6000 and d["verdict"] == "completed"'
"$PYTHON3" -c '
import sys
sys.stdout.write(" " * 4094 + "AB\n")' >"$WORK/step.in"
RC=0
"$INTERLEAVE" run race threads=2 iterations=1 --mode step <"$WORK/step.in" >"$WORK/out" 2>"$WORK/err" || RC=$?
check "step mode: a token across byte 4096 of a line is one token" \
    err_has "interleave: token 1 'AB': no such lane"

# ---- 10: special files ----
mkfifo "$WORK/fifo.sched" "$WORK/fifo.md"
within "$INTERLEAVE" run race --schedule-file "$WORK"
check "--schedule-file DIRECTORY: exit 2, one line" sh -c \
    '[ "$1" -eq 2 ] && grep -q "is a directory, not a regular schedule file" "$2" &&
     [ "$(wc -l <"$2")" -eq 1 ]' sh "$RC" "$WORK/err"
within "$INTERLEAVE" run race --schedule-file "$WORK/fifo.sched"
check "--schedule-file FIFO: refused at once, exit 2" sh -c \
    '[ "$1" -eq 2 ] && grep -q "is a FIFO" "$2"' sh "$RC" "$WORK/err"
within "$INTERLEAVE" run race --schedule-file /dev/zero
check "--schedule-file /dev/zero: refused at once, exit 2" sh -c \
    '[ "$1" -eq 2 ] && grep -q "is a character device" "$2"' sh "$RC" "$WORK/err"
within "$INTERLEAVE" lint "$WORK/fifo.md"
check "lint FIFO: refused at once, exit 1" sh -c \
    '[ "$1" -eq 1 ] && grep -q "fifo.md: is a FIFO, not a regular lesson file" "$2"' \
    sh "$RC" "$WORK/out"
mkdir "$WORK/lessons"
cp "$SRCDIR/lessons/race.md" "$WORK/lessons/"
mkfifo "$WORK/lessons/pipe.md"
RC=0
INTERLEAVE_LESSON_DIR="$WORK/lessons" timeout 20 "$INTERLEAVE" list </dev/null \
    >"$WORK/out" 2>"$WORK/err" || RC=$?
check "list with a FIFO *.md: exit 0, the other lessons listed" sh -c \
    '[ "$1" -eq 0 ] && grep -q "^  race " "$2"' sh "$RC" "$WORK/out"
check "list with a FIFO *.md: the FIFO named on stderr" err_has "pipe.md: is a FIFO"

# every file read by name goes through the same checks: answers files
# (grade hung on a FIFO for ever), scripts, progress, lessons
mkfifo "$WORK/fifo.txt" "$WORK/fifo.script"
within "$INTERLEAVE" grade --answers "$WORK/fifo.txt"
check "grade --answers FIFO: refused at once, exit 2, one line" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: .*fifo.txt: is a FIFO, not a regular answers file\$" "$2" &&
     [ "$(wc -l <"$2")" -eq 1 ]' sh "$RC" "$WORK/err"
within "$INTERLEAVE" grade --answers "$WORK"
check "grade --answers DIRECTORY: exit 2, 'is a directory, not a regular answers file'" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: .*: is a directory, not a regular answers file\$" "$2" &&
     [ "$(wc -l <"$2")" -eq 1 ]' sh "$RC" "$WORK/err"
within "$INTERLEAVE" grade --answers /dev/zero
check "grade --answers /dev/zero: refused at once, exit 2, one line" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: /dev/zero: is a character device, not a regular answers file\$" "$2" &&
     [ "$(wc -l <"$2")" -eq 1 ]' sh "$RC" "$WORK/err"
within "$INTERLEAVE" grade --answers "$WORK/fifo.txt" --format gradescope
check "grade --answers FIFO --format gradescope: results.json says why" json \
    'd["score"] == 0 and "is a FIFO, not a regular answers file" in d["output"]'
within "$INTERLEAVE" --script "$WORK/fifo.script" --headless
check "--script FIFO --headless: refused at once, exit 2" sh -c \
    '[ "$1" -eq 2 ] && grep -q "fifo.script: is a FIFO, not a regular script" "$2"' sh "$RC" "$WORK/err"

# ---- 11: deep nesting ----
"$PYTHON3" -c '
import sys
sys.stdout.write("# Deep\n\nA summary.\n\n## P\n\n" + ">" * 100000 + " deep\n")' >"$WORK/lessons/deep.md"
"$PYTHON3" -c '
import sys
sys.stdout.write("# Emph\n\nA summary.\n\n## P\n\n" + "*a " * 300000 + "x" + " a*" * 300000 + "\n")' \
    >"$WORK/lessons/emph.md"
within "$INTERLEAVE" lint "$WORK/lessons/deep.md"
check "lint of 100,000 nested '>': exit 1, a clear line (no crash)" sh -c \
    '[ "$1" -eq 1 ] && grep -q "deep.md:7: nested deeper than 32 levels" "$2"' sh "$RC" "$WORK/out"
within "$INTERLEAVE" lint "$WORK/lessons/emph.md"
check "lint of 300,000 nested emphasis: exit 1, a clear line" sh -c \
    '[ "$1" -eq 1 ] && grep -q "emph.md:7: nested deeper than 32 levels" "$2"' sh "$RC" "$WORK/out"
rm -f "$WORK/lessons/pipe.md"
RC=0
INTERLEAVE_LESSON_DIR="$WORK/lessons" timeout 20 "$INTERLEAVE" list </dev/null \
    >"$WORK/out" 2>"$WORK/err" || RC=$?
check "list beside a deep lesson: exit 0, race still listed" sh -c \
    '[ "$1" -eq 0 ] && grep -q "^  race " "$2"' sh "$RC" "$WORK/out"

# ---- 12: write errors ----
RC=0
"$INTERLEAVE" run race threads=2 iterations=10 </dev/null >/dev/full 2>"$WORK/err" || RC=$?
check "run >/dev/full: exit 74" rc_is 74
check "run >/dev/full: one line saying the output was not written" sh -c \
    'grep -q "^interleave: cannot write the output: standard output: No space left" "$1" &&
     [ "$(wc -l <"$1")" -eq 1 ]' sh "$WORK/err"
RC=0
"$INTERLEAVE" list </dev/null >/dev/full 2>"$WORK/err" || RC=$?
check "list >/dev/full: exit 74" rc_is 74
printf '# L\n\n## P\n\n```interleave-run\ndemo: nosuchdemo\n```\n' >"$WORK/badlint.md"
RC=0
"$INTERLEAVE" lint "$WORK/badlint.md" </dev/null >/dev/full 2>"$WORK/err" || RC=$?
check "lint (problems) >/dev/full: exit 74 with the real reason (not 'Input/output error')" sh -c \
    '[ "$1" -eq 74 ] && grep -q "^interleave: cannot write the output: standard output: No space left on device$" "$2"' \
    sh "$RC" "$WORK/err"
RC=0
"$INTERLEAVE" grade --answers "$SRCDIR/data/autograder/samples/full-marks.txt" \
    </dev/null >/dev/full 2>"$WORK/err" || RC=$?
check "grade >/dev/full: exit 74, one line with the real reason (not 'Input/output error')" sh -c \
    '[ "$1" -eq 74 ] && [ "$(cat "$2")" = "interleave: cannot write the output: standard output: No space left on device" ]' \
    sh "$RC" "$WORK/err"
RC=0
"$INTERLEAVE" list </dev/null >/dev/full 2>"$WORK/err" || RC=$?
check "list >/dev/full: the real reason too" sh -c \
    'grep -q "^interleave: cannot write the output: standard output: No space left on device\$" "$1"' \
    sh "$WORK/err"
# --output on something that is not a regular file is written in place, as
# a shell's > would: renaming a temporary file over it replaced the node
mkfifo "$WORK/report.fifo"
# the reader: this shell holds the FIFO open (read-write, which does not
# wait on Linux, fifo(7)); the report (2 kB) fits the pipe, and one read
# takes it, or gives up after 5 s when nothing came
exec 3<>"$WORK/report.fifo"
RC=0
timeout 20 "$INTERLEAVE" grade --answers "$SRCDIR/data/autograder/samples/full-marks.txt" \
    --output "$WORK/report.fifo" </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
timeout 5 dd bs=65536 count=1 <&3 >"$WORK/fifo.out" 2>/dev/null
exec 3<&-
check "grade --output FIFO: the report goes through the FIFO, which stays a FIFO" sh -c \
    '[ "$1" -eq 0 ] && [ -p "$2" ] && grep -q "^score 18/18" "$3"' \
    sh "$RC" "$WORK/report.fifo" "$WORK/fifo.out"
RC=0
timeout 20 "$INTERLEAVE" grade --answers "$SRCDIR/data/autograder/samples/full-marks.txt" \
    --output "$WORK/report.fifo" </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
check "grade --output FIFO with no reader: refused at once, exit 2, the FIFO kept" sh -c \
    '[ "$1" -eq 2 ] && [ -p "$2" ] && grep -q "^interleave: --output .*report.fifo: No such device or address\$" "$3"' \
    sh "$RC" "$WORK/report.fifo" "$WORK/err"
RC=0
"$INTERLEAVE" run race threads=2 iterations=10 </dev/null >&- 2>"$WORK/err" || RC=$?
check "run with stdout closed: exit 74, says it is closed" sh -c \
    '[ "$1" -eq 74 ] && grep -q "standard output: it is closed" "$2"' sh "$RC" "$WORK/err"

# ---- 15: schedule files that carry their run ----
cat >"$WORK/saved.sched" <<'SCHED'
# a saved run: the lost update
demo: race
params: threads=2 iterations=1 variant=unsafe
A B A B
A B
SCHED
il run --schedule-file "$WORK/saved.sched" --format json
check "run --schedule-file alone: the file's demo and parameters" json \
    'd["demo"] == "race" and d["params"] == {"threads": 2, "iterations": 1, "variant": "unsafe", "lanes": "threads"}
     and d["schedule"] == "A B A B A B" and d["results"]["lost"] == 1'
il run race variant=mutex --schedule-file "$WORK/saved.sched" --format json
check "a parameter on the command line overrides the file's" json \
    'd["params"]["variant"] == "mutex" and d["params"]["threads"] == 2
     and d["verdict"] == "bad_schedule"'
il run race threads=2 threads=3
check "a parameter given twice: exit 2, one line naming both" sh -c \
    '[ "$1" -eq 2 ] && grep -q "^interleave: threads: given twice" "$2" &&
     [ "$(wc -l <"$2")" -eq 1 ]' sh "$RC" "$WORK/err"
printf 'params: threads=2 threads=3\nA B\n' >"$WORK/dup.sched"
il run race --schedule-file "$WORK/dup.sched"
check "a parameter given twice in a file: exit 2, file:line" sh -c \
    '[ "$1" -eq 2 ] && grep -q "dup.sched:1: threads: given twice" "$2"' sh "$RC" "$WORK/err"
printf 'A B\ndemo: race\n' >"$WORK/late.sched"
il run race --schedule-file "$WORK/late.sched"
check "a header after the schedule: exit 3, file:line" sh -c \
    '[ "$1" -eq 3 ] && grep -q "late.sched:2: .demo:. must come before the schedule" "$2"' \
    sh "$RC" "$WORK/err"
mkdir "$WORK/elsewhere"
RC=0
(cd "$WORK/elsewhere" && INTERLEAVE_SCHEDULE_DIR="$SRCDIR/data/schedules" "$INTERLEAVE" run race \
    threads=2 iterations=1 --schedule-file lost-update.sched --format json \
    </dev/null >"$WORK/out" 2>"$WORK/err") || RC=$?
check "the lesson's --schedule-file lost-update.sched is found in the schedules directory" json \
    'd["schedule"] == "A B A B A B" and d["results"]["lost"] == 1'
il run --bogus
check "run --bogus: exit 2, one 'interleave:' line" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^interleave: run: unknown option .--bogus." "$2"' \
    sh "$RC" "$WORK/err"
il run race --timeout
check "run --timeout without a value: exit 2, one line" sh -c \
    '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ] && grep -q "^interleave: run: " "$2"' \
    sh "$RC" "$WORK/err"
il run race "threads= 4"
check "'threads= 4' refused: exit 2, one line" usage_one_line
il run race "threads=+4"
check "'threads=+4' refused: exit 2, one line" usage_one_line
il run race "threads=0x4"
check "'threads=0x4' refused: exit 2" rc_is 2
il run race --timeout 0x10
check "'--timeout 0x10' refused: exit 2, one line" usage_one_line
il run race --timeout 1e3
check "'--timeout 1e3' refused: exit 2" rc_is 2
il run race "--width= 80"
check "'--width= 80' refused: exit 2" rc_is 2
il run --help
check "run --help: each option with what it does" sh -c \
    'grep -q -- "--timeout SECS .*kill the run after SECS" "$1" &&
     grep -q -- "--schedule-file FILE .*read the schedule from FILE" "$1" &&
     grep -q -- "--no-trace .*do not record events" "$1"' sh "$WORK/out"
check "run --help: the exit statuses, 74 included" out_has "74 the output could not be written"
il run race threads=2 iterations=1 --schedule "A B A B A B" --format json
check "a schedule on the command line still works" json 'd["results"]["lost"] == 1'

# the shipped schedule says its run: alone it replays the lost update (it
# replayed 1.2 M steps of the default race, which loses nothing by hand)
il run --schedule-file "$SRCDIR/data/schedules/lost-update.sched" --format json
check "run --schedule-file lost-update.sched alone: race 2x1, final 1, lost 1" json \
    'd["demo"] == "race" and d["params"]["threads"] == 2 and d["results"]["final"] == 1 and d["results"]["lost"] == 1'

done_testing
