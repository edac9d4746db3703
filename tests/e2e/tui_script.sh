#!/bin/bash
# tui_script.sh - a demo script at the projector, through tmux at 80x24:
# the shipped sample runs in the presenter layout (lanes taller than one
# row, the script's caption in place of the page title, the script's keys
# on the key bar) and stops at each `key` with the screen the class should
# see; the verdicts on screen are the ones the headless twin prints for
# the same script.  Then a script's keys: space pauses and resumes it,
# Enter skips a wait, Esc stops it and leaves the lesson open.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..13"

sample="$SRCDIR/data/scripts/lost-update.script"
headless=$(INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" "$INTERLEAVE" --script "$sample" --headless)
# what the headless twin says a run ended with, without the figures:
# "completed: counter 2 as expected, no update lost"
# (the Nth line that reports a run's end)
verdict() {
    printf '%s\n' "$headless" | grep -E '^line [0-9]+: completed' | sed -n "$1p" |
        sed 's/^line [0-9]*: //; s/ (expected .*//'
}
v1=$(verdict 1)
v2=$(verdict 2)
v3=$(verdict 3)
if [ -n "$v1" ] && [ -n "$v2" ] && [ -n "$v3" ]; then
    ok "the headless twin prints three verdicts ($v1 / $v2 / $v3)"
else
    not_ok "the headless twin prints three verdicts" "$headless"
fi
# grep -E pattern for a fixed string
fixed() {
    printf '%s' "$1" | sed 's/[][().*+?^$|{}\\]/\\&/g'
}

start_tui 80 24 "" --script "$sample"
check "first stop: the caption stands where the page title was" \
    "^ One after the other: the counter is 2\. Press a key\."
check "the key bar is the script's: where it is and its keys" \
    "SCRIPT [0-9]+/[0-9]+ press a key +space pause +Enter skip +Esc stop"
# presenter layout: a lane's bar is repeated under its name
if printf '%s\n' "$SCREEN" | grep -A1 -E '^A  \|' | tail -1 | grep -Eq '^   \|l'; then
    ok "presenter layout: lane A is more than one row high"
else
    not_ok "presenter layout: lane A is more than one row high" "$SCREEN"
fi
check "on screen, the headless twin's first verdict" "$(fixed "$v1")"
keys x
check "second stop: the lost update's verdict, as headless" "$(fixed "$v2")"
check "the lost update is marked on lane B" "^B  \|.*[✗X]"
check "the caption says what happened" "one is lost\. Press a key\."
keys x
check "third stop: the mutex's verdict, as headless" "$(fixed "$v3")"
keys x
check "the end: the script says it is done" "script done: [0-9]+ commands ran"

cat >"$WORK/keys.script" <<'SCRIPT'
lesson race
present on
say Waiting a minute.
wait 60s
say Skipped ahead.
wait 60s
say never shown
SCRIPT
start_tui 80 24 "" --script "$WORK/keys.script"
wait_for "Waiting a minute" || not_ok "the script starts" "$SCREEN"
keys ' '
check "space pauses the script" "SCRIPT 4/7 PAUSED"
keys ' '
wait_for "SCRIPT 4/7 running" || not_ok "space resumes the script" "$SCREEN"
keys Enter
check "Enter skips the wait: the next command runs" "^ Skipped ahead\."
keys Escape
check "Esc stops the script and leaves the lesson open" "script stopped at line 6 \(Esc\)"
keys q
wait_for "tui-exit=0" || not_ok "q quits" "$SCREEN"

[ "$FAILED" -eq 0 ]
