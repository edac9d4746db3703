#!/bin/sh
# step.sh - `--mode step` driven through a pipe, as a script or a grader
# would: one line of tokens at a time on stdin, the state after each line
# on stdout (stderr with --format json), the rest round-robin at EOF.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 28

il_in 'A\nB\n' run race threads=2 iterations=1 --mode step
check "A, B: exit 0" rc_is 0
check "the state before any step" sh -c \
    'grep -q "^step 0 " "$1" && grep -q "^  A   ready .*next: load counter" "$1"' sh "$WORK/out"
check "after A: step 1, A's next operation is add" sh -c \
    'grep -q "^step 1  schedule: A\$" "$1" && grep -q "^  A   ready .*next: add" "$1"' sh "$WORK/out"
check "after B: step 2, schedule A B" out_has "step 2  schedule: A B"
check "shared variables are printed: counter = 0" out_has "  counter = 0"
check "EOF runs the rest round-robin: final 1, lost 1" sh -c \
    'grep -q "^final *1\$" "$1" && grep -q "^lost *1\$" "$1" && grep -q "^verdict: completed" "$1"' \
    sh "$WORK/out"

il_in 'A\nB\nA4\n' run race threads=2 iterations=1 variant=mutex --mode step
check "mutex A, B, A4: exit 3 (a token was refused)" rc_is 3
check "the refusal is one 'interleave:' line naming the token, the lane and why" sh -c \
    '[ "$(cat "$1")" = "interleave: token 2 '"'B'"': lane B is blocked on mutex m held by A" ]' \
    sh "$WORK/err"
check "after A: B is blocked, m is held by A" sh -c \
    'grep -q "^  B   blocked .*(held by A)" "$1" && grep -q "^  mutex m: A\$" "$1"' sh "$WORK/out"
check "after A4: A finished, counter = 1, m free" sh -c \
    'grep -q "^step 5  schedule: A A4\$" "$1" && grep -q "^  A   finished" "$1" &&
     grep -q "^  counter = 1\$" "$1" && grep -q "^  mutex m: free\$" "$1"' sh "$WORK/out"
check "the run still goes to its end: final 2" sh -c 'grep -q "^final *2\$" "$1"' sh "$WORK/out"
check "the report's verdict agrees with exit 3: bad_schedule, naming the refused token" sh -c \
    'grep -q "^verdict: bad_schedule\$" "$1" &&
     grep -q "^  token 2 .B.: lane B is blocked on mutex m held by A\$" "$1"' sh "$WORK/out"

il_in 'A\nB\nA4\n' run race threads=2 iterations=1 variant=mutex --mode step --format json
check "--format json: JSON alone on stdout, schedule of the taken tokens" json \
    'd["mode"] == "step" and d["schedule"] == "A A4" and d["results"]["final"] == 2
     and d["verdict"] == "bad_schedule" and d["bad_token"] == 2'
check "--format json: the state goes to stderr" err_has "mutex m: A"

il_in 'A0\nA B\n' run race threads=2 iterations=1 --mode step
check "a malformed line: one 'interleave:' line naming the token, exit 3" sh -c \
    '[ "$1" -eq 3 ] && [ "$(cat "$2")" = "interleave: token 1 '"'A0'"': a step count must be 1..1000000000" ]' \
    sh "$RC" "$WORK/err"
check "several tokens on one line" out_has "step 2  schedule: A B"

il_in '' run race threads=2 iterations=1 --mode step --format json
check "no input at all: round-robin, final 1, lost 1, exit 0" sh -c \
    '[ "$1" -eq 0 ]' sh "$RC"
check "no input at all: JSON result" json \
    'd["results"]["final"] == 1 and d["results"]["lost"] == 1 and d["steps"] == 6'

il_in 'A3\nB3\nA\n' run race threads=2 iterations=1 --mode step
check "the last lane finishing ends the run" out_has "all lanes finished"
check "A3, B3 by hand: final 2, exit 0" sh -c \
    '[ "$1" -eq 0 ] && grep -q "^final *2\$" "$2" && grep -q "^lost *0\$" "$2"' sh "$RC" "$WORK/out"

# a step for a finished lane: refused, said once, and the report says so
il_in 'A\nA\nA\nA\n' run race threads=2 iterations=1 --mode step
check "A A A A with 2 lanes: exit 3, one line 'interleave: token 4 ...: lane A has finished'" sh -c \
    '[ "$1" -eq 3 ] && [ "$(cat "$2")" = "interleave: token 4 '"'A'"': lane A has finished" ]' \
    sh "$RC" "$WORK/err"
check "A A A A with 2 lanes: the report's verdict is bad_schedule, not completed" sh -c \
    'grep -q "^verdict: bad_schedule\$" "$1" && ! grep -q "^error:" "$1"' sh "$WORK/out"
# a token after the one that finished the last lane, on the same line:
# refused like a token left over in a replayed schedule
il_in 'A3 B3 A\n' run race threads=2 iterations=1 --mode step --format json
check "'A3 B3 A' on one line: exit 3, the leftover A refused" sh -c \
    '[ "$1" -eq 3 ] && grep -q "^interleave: token 3 .A.: lane A has finished\$" "$2" &&
     [ "$(grep -c "^interleave:" "$2")" -eq 1 ]' sh "$RC" "$WORK/err"
check "'A3 B3 A' on one line: JSON verdict bad_schedule at token 3, results of the run" json \
    'd["verdict"] == "bad_schedule" and d["bad_token"] == 3 and d["schedule"] == "A3 B3"
     and d["results"]["final"] == 2'
il_in 'A3 A\n' run race threads=1 iterations=1 --mode step
check "'A3 A' with one lane: exit 3" rc_is 3

il_in 'B*\n' run race threads=2 iterations=2 variant=atomic --mode step
check "B* runs B to its end" sh -c \
    'grep -q "^  B   finished" "$1" && grep -q "^  counter = 2\$" "$1"' sh "$WORK/out"

# a long token is quoted cut, with "...", in the one line that refuses it
# (a line of 5000 letters said "token 1 '': token 1 'xxxx...(500 bytes)")
long=$("$PYTHON3" -c 'print("x" * 5000)')
il_in "$long\n" run race threads=2 iterations=1 --mode step
check "a 5000-letter token in step mode: one line, quoted cut, and why" sh -c \
    '[ "$(grep -c "^interleave: token" "$1")" -eq 1 ] && grep -q "^interleave: token 1 .xxxxxxxxxxxxxxxxxxxx\.\.\..: lane names are 1 or 2 letters$" "$1"' \
    sh "$WORK/err"
il run race threads=2 iterations=1 --schedule "A $long"
check "... and in --schedule: exit 3, quoted cut, the reason kept" sh -c \
    '[ "$0" -eq 3 ] && grep -q "^interleave: bad schedule: token 2 .xxxxxxxxxxxxxxxxxxxx\.\.\..: lane names are 1 or 2 letters$" "$1"' \
    "$RC" "$WORK/err"

done_testing
