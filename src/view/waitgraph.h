/*
 * waitgraph.h - the wait-for graph panel of the lesson screen, and what
 * the lanes panel says about a waiting lane.
 *
 * DESIGN
 * The graph comes from a WaitFor snapshot (core/waitfor.h), taken from
 * the arena once per frame, so it is live while a free run goes and exact
 * while a step run is parked.  It is drawn as an adjacency list, one row
 * per lane that holds or waits for something: lanes are nodes in round
 * brackets, locks and semaphores in square brackets, a hold edge is
 * "=holds=>" and a wait edge "-waits->", followed by the lane the lock
 * waits on.  When the rows do not fit the panel's width the compact form
 * "(A) =>[acct1] ->[acct2] (B)" is used, with a legend on the heading.
 *
 * When the graph has a cycle, its lanes are marked '*' in the first column
 * and their wait edges drawn in UI_CYCLE, and a last row spells the cycle
 * out ("cycle: A -> acct2 -> B -> acct1 -> A"), so the cycle stays
 * visible without colour or attributes (TERM=vt100, NO_COLOR).
 *
 * Drawing goes into a Grid through draw.h: no curses here.
 *
 * Thread: UI thread only.
 */
#ifndef INTERLEAVE_VIEW_WAITGRAPH_H
#define INTERLEAVE_VIEW_WAITGRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/waitfor.h"
#include "util/grid.h"

/* True when arena has a mutex or a semaphore: a graph is worth a panel. */
bool waitgraph_wanted(const Arena *arena);

/*
 * Draw the panel into grid at (x, y), at most w columns and h rows: a
 * heading row, the lanes' rows, and the cycle row when there is a cycle.
 * Lanes in the cycle come first when not all rows fit; the rest are
 * counted on a "+N more" row.  wf and arena are borrowed for the call.
 * Returns the rows used.
 */
int waitgraph_draw(Grid *grid, int x, int y, int w, int h, const WaitFor *wf, const Arena *arena);

/*
 * What lane waits for, for the lanes panel, into buf (always
 * NUL-terminated): "blocked on acct1 (held by A)", "waits waiter, count
 * 0", "asleep on cond not_empty"; "" when the lane does not wait.
 * Returns true when it waits.
 */
bool waitgraph_lane_wait(const WaitFor *wf, const Arena *arena, unsigned lane, char *buf,
                         size_t len);

/* True when lane is one of wf's cycle. */
bool waitgraph_in_cycle(const WaitFor *wf, unsigned lane);

#endif /* INTERLEAVE_VIEW_WAITGRAPH_H */
