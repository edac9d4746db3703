#!/bin/bash
# tui_crawl.sh - the crawler lesson in the real terminal UI, in tmux.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (tui_lib.sh); every wait polls the screen until a pattern shows up or a
# deadline passes; nothing sleeps for a fixed time to make a check pass.
#
# Checks at 100x30: the lesson opens; the sequential crawl (page 2, run 1)
# fetches its 30 pages, each once, and the pages per second are on the
# screen; the rows wait for responses; the thread pool with the lock
# (page 3) fetches each page once; the summary line says so.  q gives the
# shell back with status 0.  At 80x24 with TERM=vt100 and NO_COLOR: the
# event loop's crawl (page 5), its figures read off the screen, the
# fetchers' rows in the ASCII glyph of a response wait.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..10"

start_tui 100 30 "" --lesson crawl
check "the crawler lesson opens (its page counter)" "Practical: crawl a web server three ways  -  page 1/7"

keys n g
check "page 2, run 1: the sequential crawl, each page once" \
    "completed +fetched 30 +requests 30 +duplicates 0"
check "pages per second on the screen" "pages_per_s [0-9.]+k?/s"
check "the crawler's row waits for responses" "^A +\|.*░{8}"

keys n g
check "page 3, run 1: four threads with the lock, each page once" \
    "completed: 30 pages in 30 requests, [0-9]+ pages/s$"
keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

start_tui 80 24 "TERM=vt100 NO_COLOR=1 XDG_STATE_HOME='$WORK/state80'" --lesson crawl
wait_for "page 1/7" >/dev/null
keys n n n n g
check "80x24: the event loop fetched the 30 pages" "fetched 30 +requests 30"
check "80x24: no duplicate" "duplicates 0"
check "80x24 ASCII: a fetcher awaits its socket" "^C +\|.*h{4}"
keys q
check "q quits at 80x24 too" "tui-exit=0"

[ $FAILED -eq 0 ]
