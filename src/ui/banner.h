/*
 * banner.h - the lesson screen's banners: the verdict at a run's end, in
 * capitals with what happened ("DEADLOCK at step 2: A holds acct1, waits
 * acct2; B holds acct2, waits acct1"), written from the run's VerdictInfo
 * (a hang's lanes grouped by what they wait for, with the demo's wait
 * classes: "B, C wait on cond cv (buffer empty)"); while a run goes, a
 * broken invariant said as the verdict will say it, and a starvation
 * warning with the figures once a starved lane has really waited (a free
 * run: half a second; step mode: it is blocked).
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_BANNER_H
#define INTERLEAVE_UI_BANNER_H

#include <stddef.h>

#include "core/run.h"
#include "util/grid.h"

/* The banner of run into buf.  Returns its style (UI_BANNER or
 * UI_WARN_BANNER), 0 when there is none. */
int banner_text(const Run *run, char *buf, size_t len);

/* Draw text as a banner of at most maxrows rows, its last row on row y:
 * wrapped at spaces, each row filled with style. */
void banner_draw(Grid *g, int y, int maxrows, const char *text, int style);

#endif /* INTERLEAVE_UI_BANNER_H */
