#!/bin/bash
# tui_prodcons.sh - the producer-consumer lesson in the real terminal UI,
# in tmux.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (its own socket in the scratch directory, no user config), under a
# shell, so after quitting we see the shell again and the UI's exit
# status.  Every wait polls `tmux capture-pane` until a pattern shows up
# (or is gone) or a deadline passes; nothing sleeps for a fixed time to
# make a check pass.
#
# Checks, free mode at 100x30: signal_lost with two producers, two
# consumers and one slot (chosen in the parameters dialog) hangs; the HANG
# banner names the sleeping lanes and which side of the buffer each waits
# on; the lanes panel, the buffer panel and the timeline rows tell a wait
# on a full buffer from a wait on an empty one by glyph; the depth graph
# sits under the lanes.  Reset, then condvar with four slots, chosen in
# the dialog, takes the banner away; run, it completes with every item
# consumed, and the buffer panel shows its four slots.  q gives the shell
# back with status 0.  Step mode at 80x24 with TERM=vt100 and NO_COLOR:
# the schedule B* C* A* B* C* hangs at step 32, and the ASCII glyphs F and
# E still tell the two waits apart.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

FULL='(▔|F)'
EMPTY='(▁|E)'
HANG_FREE='HANG after [0-9.]+ m?s: A, B wait on cond cv \(buffer full\); C, D wait on cond cv \(buffer empty\)'

echo "1..25"

# --- free mode: signal_lost hangs -----------------------------------------
start_tui 100 30 "" --lesson prodcons
check "the producer-consumer lesson opens (its page counter: only the lesson screen draws it)" \
    "Producers and consumers: the bounded buffer  -  page 1/[0-9]+"

keys e
check "the parameters dialog opens" "parameters of prodcons"
# producers 2, consumers 2, capacity 1, items 2000, variant signal_lost
# (three to the right of condvar)
keys 2 Down 2 Down 1 Down 2 0 0 0 Down Down Down Right Right Right Enter
check "signal_lost with 2 producers, 2 consumers, 1 slot is set" \
    "producers=2 consumers=2 capacity=1 items=2000 .*variant=signal_lost"

keys Space
check "a free run hangs: the banner names the sleeping lanes and their waits" "$HANG_FREE"
check "the lanes panel: A waits on a full buffer" "A +$FULL waits: buffer full \(asleep on cond cv\)"
check "the lanes panel: C waits on an empty buffer" "C +$EMPTY waits: buffer empty \(asleep on cond cv\)"
check "the buffer panel: the producers wait on a full buffer" "$FULL A, B wait: buffer full"
check "the buffer panel: the consumers wait on an empty buffer" "$EMPTY C, D wait: buffer empty"
check "the timeline rows: producers in the full glyph, consumers in the empty one" \
    "^B +\|.*$FULL{8}"
check "the timeline rows: a consumer in the empty glyph" "^D +\|.*$EMPTY{8}"
# (the buffer fills within microseconds of the lanes' start, where the
# time axis begins, so the graph may be full from its first column)
check "the depth graph under the lanes: its top is the capacity" "^ +1\|[ #]"
check "the depth graph under the lanes: labelled count" "^cnt\|[ #]"
check "the legend tells the two waits apart" "$FULL waits: full +$EMPTY waits: empty"

# reset, then condvar with four slots: the banner goes with the old run
keys r e
check "the parameters dialog opens again" "parameters of prodcons"
keys Down Down 4 Down Down Down Down c Enter
check_gone "condvar with 4 slots is set, and the hang banner is gone" \
    "HANG" "capacity=4 items=2000 .*variant=condvar"
keys Space
check "condvar completes, every item consumed, none lost" \
    "completed +items 2000 +produced 2000 +consumed 2000.*"
if printf '%s\n' "$SCREEN" | grep -Eq " lost 0 "; then
    ok "condvar: lost 0 on the result lines"
else
    not_ok "condvar: lost 0 on the result lines" "$SCREEN"
fi
if printf '%s\n' "$SCREEN" | grep -Eq "HANG|INVARIANT"; then
    not_ok "no hang or invariant banner on condvar" "$SCREEN"
else
    ok "no hang or invariant banner on condvar"
fi
check "the buffer panel shows the depth" "buffer +count 0 of 4"
check "the buffer panel shows the four slots, empty" "(│|\|) \|   \|   \|   \|   \|$"

keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

# --- 80x24, TERM=vt100, NO_COLOR, step mode: the glyphs still differ ---------
start_tui 80 24 "TERM=vt100 NO_COLOR=1" --lesson prodcons
wait_for "Producers and consumers" >/dev/null
keys m
wait_for "STEP MODE" >/dev/null
keys e
wait_for "parameters of prodcons" >/dev/null
keys 1 Down 2 Down 1 Down 4 Down Down Down Right Right Right Enter
wait_for "variant=signal_lost: new step run" >/dev/null
keys l C-u "B* C* A* B* C*" Enter
check "80x24 ASCII: the hang at step 32, each lane's wait named" \
    "HANG at step 32: A waits on cond cv \(buffer full\); B, C wait on cond cv"
check "80x24 ASCII: F for a producer on a full buffer in its row" "^A +\|.*WF{8}"
check "80x24 ASCII: E for a consumer on an empty buffer in its row" "^B +\|LlWE{8}"
keys q
check "q quits at 80x24 too" "tui-exit=0"

[ $FAILED -eq 0 ]
