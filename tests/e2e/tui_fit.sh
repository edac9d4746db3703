#!/bin/bash
# tui_fit.sh - at 80x24, the documented minimum, every screen shows its
# text whole or says it is cut, through tmux:
#
#   - the parameters dialog fits the screen with its whole border, its
#     descriptions and key hint wrapped, not cut (Unicode and ASCII);
#   - the help fits: one column that scrolls, with a "more" mark, and says
#     that q quits;
#   - a long message wraps onto the row above instead of being cut, in the
#     lesson and the presenter layout;
#   - the status line leaves out what matters least, and what shows is
#     whole ("4 lanes"); a long schedule shows its end;
#   - titles get the room there is (the browser, the title bar, the
#     presenter layout);
#   - a code line too long for the page panel ends with a mark;
#   - the lanes panel shows four lanes;
#   - the presenter layout shows the demo's panels under the timeline, and
#     the legend across the whole width;
#   - w then x: both files' messages stay readable;
#   - a slow-motion free run's timeline still shows the lanes' bars
#     between the lost-update marks.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..27"

# a state directory of its own for each start: every lesson opens at page 1
fresh() {
    echo "XDG_STATE_HOME='$WORK/state$TUI_STARTS' $*"
}

# check_next NAME REGEX1 REGEX2: a row matching REGEX1 with a row matching
# REGEX2 right under it (a wrapped text), polled like check.
check_next() {
    local end=$((SECONDS + DEADLINE_S))
    while :; do
        SCREEN=$(screen)
        if printf '%s\n' "$SCREEN" | RA="$2" RB="$3" awk \
            'prev ~ ENVIRON["RA"] && $0 ~ ENVIRON["RB"] { found = 1 } { prev = $0 }
             END { exit !found }'; then
            ok "$1"
            return
        fi
        if [ $SECONDS -ge $end ]; then
            not_ok "$1" "$SCREEN"
            return
        fi
        sleep 0.05 # poll interval
    done
}

# check_all NAME REGEX...: every REGEX matches a row of the screen.
check_all() {
    local name=$1 end=$((SECONDS + DEADLINE_S)) r all
    shift
    while :; do
        SCREEN=$(screen)
        all=1
        for r in "$@"; do
            printf '%s\n' "$SCREEN" | grep -Eq -- "$r" || all=0
        done
        if [ $all -eq 1 ]; then
            ok "$name"
            return
        fi
        if [ $SECONDS -ge $end ]; then
            not_ok "$name" "$SCREEN"
            return
        fi
        sleep 0.05 # poll interval
    done
}

# --- the parameters dialog -----------------------------------------------
start_tui 80 24 "$(fresh)" --lesson race
wait_for "page 1/8" || not_ok "the race lesson opens" "$SCREEN"
keys e
check "the dialog's top border ends in a corner" "┌─ parameters of race ─+┐ *$"
check "every row has its right border" \
    "│ threads +4 +lanes incrementing the counter \(1\.\.64\) +│ *$"
check_next "a long description wraps inside the box" \
    "│ lanes +threads +what runs each lane: threads of one process, or +│" \
    "│ +forked processes \(threads\|processes\) +│"
check "the key hint is whole" "Esc cancels, q quits +│ *$"
check "the bottom border is whole" "└─+┘ *$"

start_tui 80 24 "$(fresh TERM=vt100 NO_COLOR=1 INTERLEAVE_ASCII=1)" --lesson deadlock
wait_for "page 1/10" || not_ok "the deadlock lesson opens (ASCII)" "$SCREEN"
keys e
check "ASCII: the box has corners and sides" \
    "^ \+- parameters of deadlock -+\+ *$"
check_next "ASCII: a description wraps, its range whole" \
    "\| timeout_ms +10 +variant timeout: how long to wait for the second +\|" \
    "\| +lock \(1\.\.10000\) +\|"

# --- the help ----------------------------------------------------------------
# (HOME: the trace's path is written from ~, as a student's is)
start_tui 80 24 "$(fresh HOME="'$WORK'")" --lesson race
wait_for "page 1/8" || not_ok "the race lesson opens" "$SCREEN"
keys '?'
check "the help says q quits and any other key closes it" \
    "keys \(Up/Down scroll, q quits, any other key closes this\)"
check_all "a help line is whole, and more is marked" \
    "│ space +run / pause \(SIGSTOP\) / resume +│" "└─+ more below \(Down\) ─┘"
keys PgDn PgDn PgDn
check "scrolled to its end: the last key whole" \
    "quit \(Ctrl-C too\); the terminal is restored +│"
keys x
check_gone "any other key closes it" "keys \(" "space runs the demo"

# --- messages, the status line, the lanes panel --------------------------
keys s ' '
wait_for "FREE RUN RUNNING \(slow\)" || not_ok "a slow run starts" "$SCREEN"
wait_for "[0-9]{3} events" || not_ok "the slow run goes on" "$SCREEN"
keys ' '
check_next "a long message wraps onto the row above" \
    "^paused: the run's processes are stopped; space resumes, \+/- and arrows move the *\$" \
    "^timeline *\$"
check "the status line ends with a whole word" \
    "^schedule: none .*[0-9]+ events( +[0-9]+ dropped)? +4 lanes *$"
keys v ' ' ' '
check_next "presenter layout: the message wraps too" \
    "^ paused: the run's processes are stopped; space resumes, \+/- and arrows move *\$" \
    "^ the timeline *\$"
check_all "presenter layout: the demo's code and state under the timeline" \
    "^timeline \(" "^ code: race \(unsafe\)" "^ shared +counter = "
keys v ' '
wait_for "FREE RUN RUNNING" || not_ok "the run resumes" "$SCREEN"
keys r m
wait_for "STEP MODE" || not_ok "step mode" "$SCREEN"
check_all "the lanes panel shows four lanes" \
    "│ A +ready +reg=" "│ B +ready +reg=" "│ C +ready +reg=" "│ D +ready +reg="
for i in 1 2 3 4 5 6 7 8 9 10; do
    keys A B C D
done
check "a long schedule shows its end, and the step" "^schedule: … [A-D ]+ step 40 *$"

# w then x: both messages
keys w
wait_for "^schedule saved to( |$)" || not_ok "w saves the schedule" "$SCREEN"
keys x
check_all "x after w: the schedule's message stays with the trace's" \
    "^schedule saved to( |$)" "race-1\.sched; trace" "traces/race-[0-9-]+\.json"

# --- titles ------------------------------------------------------------------
start_tui 80 24 "$(fresh)"
check "the browser: a title that fits shows whole" \
    "Producers and consumers: the bounded buffer +[0-9]+/9 pages"
start_tui 80 24 "$(fresh)" --lesson prodcons
check "the title bar gives the title the room the mode leaves" \
    "^ Producers and consumers: the bounded buffer  -  page 1/9 +FREE RUN *$"
check_next "the page's title wraps in its panel" \
    "^ Producers and consumers: the +│" "^ bounded buffer +│"
keys v
check_next "presenter layout: the title bar and the page's title whole" \
    "^ Producers and consumers: the bounded buffer  -  page 1/9 +FREE RUN *\$" \
    "^ Producers and consumers: the bounded buffer *\$"

# --- code lines --------------------------------------------------------------
start_tui 80 24 "$(fresh)" --lesson race
wait_for "page 1/8" || not_ok "the race lesson opens" "$SCREEN"
keys n
check "a code line too long for the page panel ends with a mark" \
    "for \(i = 0; i < iterations; i… │"
start_tui 120 40 "$(fresh)" --lesson race
wait_for "page 1/8" || not_ok "the race lesson opens at 120x40" "$SCREEN"
keys n n n
check "at 120 columns too: the table's long line is marked" "  1    <- B ov… │"

# --- presenter layout ---------------------------------------------------------
start_tui 80 24 "$(fresh)" --lesson deadlock --present
wait_for "space starts a run" || not_ok "the deadlock lesson in the presenter layout" "$SCREEN"
keys ' '
wait_for "DEADLOCK" || not_ok "the deadlock run deadlocks" "$SCREEN"
check "the legend has the whole width, under the wait-for graph too" \
    "^█ running  · ready  ▒ blocked  L lock  U unlock  \(blank\) finished *$"
check "the code and state show under the timeline" "^ code: deadlock \(naive\)"

# --- slow motion: the bars show between the marks -----------------------------
start_tui 80 24 "$(fresh)" --lesson race
wait_for "page 1/8" || not_ok "the race lesson opens" "$SCREEN"
keys s ' '
if wait_for "\|[0-9.]+s +\|[0-9.]+s +\|[0-9.]+s"; then
    row=$(printf '%s\n' "$SCREEN" | grep "^B  |" | head -1)
    if printf '%s' "$row" | "$PYTHON3" -c '
import sys
row = sys.stdin.read()[4:].rstrip()
marks = row.count("\u2717")
sys.exit(0 if len(row) > 40 and marks * 3 <= len(row) and row.count("\u2588") > len(row) // 2 else 1)'; then
        ok "a slow run's lost updates are marked, and the bars still show"
    else
        not_ok "a slow run's lost updates are marked, and the bars still show" "$SCREEN"
    fi
else
    not_ok "a slow run's lost updates are marked, and the bars still show" "$SCREEN"
fi
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"

[ $FAILED -eq 0 ]
