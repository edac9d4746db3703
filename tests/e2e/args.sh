#!/bin/sh
# args.sh - mistakes on the command line, as a new user makes them: each
# is one "interleave: ..." line on stderr and a documented exit status,
# never a crash, a hang or a usage text.  Under an ASan build a read of
# freed memory ends the program with a report and status 1, so these
# checks of the status and of the one line catch it there too.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 8

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

done_testing
