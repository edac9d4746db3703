#!/bin/bash
# tui_instructor.sh - what an instructor at a projector relies on, through
# tmux: pausing a free run freezes the picture (the timeline on screen and
# the run's clock stand still; space resumes and they move on).
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..3"

# the timeline's rows and the schedule line's clock, as text
frame() {
    printf '%s\n' "$SCREEN" | grep -E '^(timeline|[A-D]  \||schedule: none)'
}

start_tui 100 30 "" --lesson race
wait_for "page 1/" || not_ok "the race lesson opens" "$SCREEN"
keys s ' '
wait_for "FREE RUN RUNNING \(slow\)" || not_ok "a slow free run starts" "$SCREEN"
wait_for "A  \|.*[█=]" || not_ok "lane A shows on the timeline" "$SCREEN"
keys ' '
wait_for "FREE RUN PAUSED" || not_ok "space pauses" "$SCREEN"
# let the UI draw the paused state, then hold two captures a second apart
# against each other (waiting longer can only make a difference show)
sleep 0.3
wait_for "PAUSED"
before=$(frame)
sleep 1
wait_for "PAUSED"
after=$(frame)
if [ -n "$before" ] && [ "$before" = "$after" ]; then
    ok "paused: the timeline on screen and the clock stand still"
else
    not_ok "paused: the timeline on screen and the clock stand still" \
        "$(printf 'before:\n%s\nafter:\n%s' "$before" "$after")"
fi
clock=$(printf '%s\n' "$before" | grep -o 'OS schedules) *[0-9.]*[mu]*s' | head -1)
[ -n "$clock" ] && ok "the schedule line shows the run's clock ($clock)" ||
    not_ok "the schedule line shows the run's clock" "$before"
keys ' '
check_gone "space resumes: the clock moves on" "$(printf '%s' "$clock" | sed 's/[().]/\\&/g')" \
    "FREE RUN RUNNING"
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"

[ $FAILED -eq 0 ]
