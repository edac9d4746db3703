#!/bin/bash
# tui_quiz.sh - a student works through every question and challenge of the
# race lesson in the terminal UI, with keys only, in tmux at 80x24:
#
#   - Tab opens the questions and challenges; Enter starts the first
#     challenge in step mode, the lane keys A B A B A B build the lost
#     update, and the screen says "goal reached" with the explain: text
#     the moment the last step ends the run;
#   - x writes that run as a Chrome trace in the state directory;
#   - the second challenge is solved by typing a schedule (l);
#   - a wrong choice is said at once (the explanation waits: it gives the
#     answer away), the right one
#     after it; a value and a free-text answer are typed;
#   - after quitting, a second start (TERM=vt100 NO_COLOR=1: no colour, no
#     Unicode) lists the lesson as done, reopens it at the page where the
#     student left it, and shows the answers and the attempts kept.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..25"

STATE="$WORK/state/interleave"

start_tui 80 24 "" --lesson race
wait_for "page 1/" || not_ok "the race lesson opens" "$SCREEN"
keys Tab
check "Tab opens the questions and challenges" "questions and challenges: 0 of 7 done"

# --- challenge 1: stepped by hand -----------------------------------------
keys Enter
check "Enter starts the first challenge in step mode, its goal over the text" \
    "challenge race-lose-one +not yet"
for lane in A B A B A; do
    keys "$lane"
done
check "after five steps the goal is not decided yet" "not yet: the run goes on at step 5"
keys B
check "the last step: goal reached, said the moment it holds" \
    "^goal reached: the run completed at step 6 with final 1, lost 1"
check "the challenge's explain: text shows" "Both lanes loaded 0 before"

keys x
check "x writes the run as a Chrome trace and says where" "^trace written to( |$)"
trace=$(ls "$STATE"/traces/race-*-1.json 2>/dev/null | head -1)
if [ -n "$trace" ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["traceEvents"] else 1)' "$trace"; then
    ok "the trace is in traces/, named after the lesson and the time, and is JSON"
else
    not_ok "the trace is in traces/, named after the lesson and the time, and is JSON" \
        "$(ls -l "$STATE/traces" 2>&1)"
fi

# --- challenge 2: a typed schedule ------------------------------------------
keys Tab
wait_for "questions and challenges: 1 of 7 done" || not_ok "the quiz opens again" "$SCREEN"
keys l
check "l asks for a schedule for the second challenge" "schedule for race-lose-two"
keys 'A B C A B C A B C' Enter
check "the typed schedule reaches the goal" \
    "^goal reached: the run completed at step 9 with final 1, lost 2"
check "and its explain: text shows" "All three lanes loaded 0"

# --- the questions ----------------------------------------------------------
keys Tab
check "the quiz opens at the first question not answered" \
    "Two threads each add one to counter once, with no"
keys 1
check "a wrong choice is said at once" "^wrong: choice 1 is not the right one; try again"
check "without the explanation, which would give the answer away" \
    "the explanation shows once it is right, or after 3 tries"
keys 2
check "the right choice, tried again" "^right: choice 2"
check "now with the explanation" "explain: Each store writes a register"
keys Down 3
check "the second question: choice 3" "^right: choice 3"
keys Down Enter
wait_for "your answer \(Enter checks" || not_ok "Enter asks for a value" "$SCREEN"
keys 5 Enter
check "a typed value is right" "explain: lock, load, add, store, unlock"
keys Down 2 Down Enter
wait_for "kept, not graded" || not_ok "a question for thinking asks for text" "$SCREEN"
keys 'Count locally, add once under the lock' Enter
check "a question for thinking: the answer is noted" "^noted: this question is for thinking"
check "every question and challenge is done" "questions and challenges: 7 of 7 done"
keys Tab q
check "q quits, exit status 0" "tui-exit=0"

# --- again: done, and the answers kept --------------------------------------
start_tui 80 24 "TERM=vt100 NO_COLOR=1"
check "the browser lists the lesson as done (vt100, no colour)" \
    "Race conditions: the lost update +done: [0-9]+/8 pages, 7/7 answered"
keys Enter
check "the lesson reopens at the page where the student left" "page 4/8"
keys Tab
check "the quiz shows the challenge solved, with the run" \
    "solved \(1 attempt\); the last run: A B A B A B"
keys Down Down
check "and the answer kept, with its attempts" "your answer: 2 \(1 or 2\)"
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"
if grep -q '^try race race-two-threads wrong 1$' "$STATE/progress" &&
    grep -q '^try race race-faster-fix noted Count%20locally' "$STATE/progress"; then
    ok "the progress file keeps every attempt"
else
    not_ok "the progress file keeps every attempt" "$(cat "$STATE/progress")"
fi

[ $FAILED -eq 0 ]
