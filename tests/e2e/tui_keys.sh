#!/bin/bash
# tui_keys.sh - the lesson screen's keys and layout at 80x24, through tmux:
# the key bar always offers help and quit; q quits from the help overlay
# and from the parameters dialog ("from anywhere", as the README says); the
# "more below" mark has its own row instead of covering the text's last
# line; the browser ends a long summary at a word with an ellipsis; the
# title tells the run's own slow-motion pace from the next run's.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..6"

start_tui 80 24 "" --lesson race
check "at 80x24 the key bar still offers ? help and q quit" "\? help +q quit *$"
keys n n g
check "the 'more below' mark has a row of its own" "^ {10,}more below \(Down\) +[│|]"
keys '?'
wait_for "keys \(.*q quits, any other key closes this\)" || not_ok "the help overlay opens" "$SCREEN"
keys q
check "q quits from the help overlay" "tui-exit=0"

start_tui 80 24 "" --lesson race
# the lesson reopens at the page where the first start left it (page 3)
wait_for "page 3/" || not_ok "the race lesson reopens at page 3" "$SCREEN"
keys e
wait_for "parameters of race" || not_ok "the parameters dialog opens" "$SCREEN"
keys q
check "q quits from the parameters dialog" "tui-exit=0"

start_tui 80 24 ""
check "a long summary in the browser ends at a word, with an ellipsis" \
    "Threads that take two locks in opposite orders can wait for each other( [a-z]+)*(…|\.\.\.) *$"

start_tui 100 30 "" --lesson race
wait_for "page [0-9]+/" || not_ok "the race lesson opens again" "$SCREEN"
keys s ' '
wait_for "FREE RUN RUNNING \(slow\)" || not_ok "a slow run starts" "$SCREEN"
keys s s s
check "the title tells the run's pace from the next run's" \
    "FREE RUN RUNNING \(slow\), next full speed"
keys q
wait_for "tui-exit=0" || not_ok "quit" "$SCREEN"

[ $FAILED -eq 0 ]
