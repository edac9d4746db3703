#!/bin/bash
# tui_instructor.sh - what an instructor at a projector relies on, through
# tmux: pausing a free run freezes the picture (the timeline on screen and
# the run's clock stand still; space resumes and they move on); an
# instructor's own lessons show in the browser with where they come from,
# every file that does not load is named, and F5 reads an edited lesson
# again (or says which line broke, keeping the lesson as it was).
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..12"

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

# --- lanes that do not fit, lanes past Z ------------------------------------
start_tui 80 24 "" --lesson race
wait_for "page 1/" || not_ok "the race lesson opens" "$SCREEN"
keys e
wait_for "parameters of race" || not_ok "the parameters dialog opens" "$SCREEN"
keys 3 0 Down 1 Enter
keys m
wait_for "STEP MODE" || not_ok "step mode" "$SCREEN"
check "30 lanes at 80x24: the timeline says which lanes it shows" "lanes A-[A-Z] of 30 \(\[ \] scroll\)"
keys ']' ']' ']' ']' ']' ']' ']' ']'
check "] scrolls to the last lanes, past Z" "lanes [A-Z]+-AD of 30"
keys ':'
wait_for "steps \(lanes by name" || not_ok "the steps prompt opens" "$SCREEN"
keys A C Enter
check "a lane past Z takes a step from the keyboard" "schedule: AC +step 1"
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"

# --- the instructor's own lessons -----------------------------------------
course=$WORK/course
mkdir -p "$course"
cat >"$course/ours.md" <<'LESSON'
<!-- interleave: demo=race -->

# Our locks

A lesson an instructor wrote.

## Two threads and a mutex

```interleave-run
label: With the mutex
params: threads=2 variant=mutex
```
LESSON
printf '# Broken one\n\n```interleave-run\nlabel: x\nparams: nosuch=1\n```\n' >"$course/bad1.md"
printf '# Broken two\n\n```interleave-run\nlabel: y\ndemo: nosuchdemo\n```\n' >"$course/bad2.md"

start_tui 100 30 "" --lessons "$course"
check "the browser names where an instructor's lesson comes from" "Our locks +\[.*course\]"
check "every lesson file that did not load is named" "2 lesson files did not load"
check "... the first" "bad1\.md:[0-9]+"
check "... and the second" "bad2\.md:[0-9]+"
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"

start_tui 100 30 "" --lessons "$course" --lesson ours
wait_for "Our locks  -  page 1/" || not_ok "the instructor's lesson opens" "$SCREEN"
sed -i 's/^## Two threads and a mutex$/## Two threads, one mutex, edited/' "$course/ours.md"
keys F5
check "F5 reads the edited lesson again" "Two threads, one mutex, edited"
printf '\n```interleave-run\nlabel: z\nparams: threads=999\n```\n' >>"$course/ours.md"
keys F5
check "a lesson broken by an edit: F5 says the file and line, and the page stays" \
    "not read again: .*ours\.md:[0-9]+"
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"

[ $FAILED -eq 0 ]
