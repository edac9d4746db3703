/*
 * panel_explore.h - the explorer's outcome histogram in the lesson screen.
 *
 * While the explorer (core/explore.h, through the session) searches, the
 * panel shows how far it got; then one row per outcome, failing ones
 * first (explore_report_order): how many schedules end there, the verdict,
 * the final shared values, a bar of the share of schedules, and the
 * shortest schedule.  The selected row's message (the broken invariant,
 * the deadlock's cycle) shows under the list.  Enter on a row loads its
 * schedule into step mode (session_explore_load: the headless twin).
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_PANEL_EXPLORE_H
#define INTERLEAVE_UI_PANEL_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/explore.h"
#include "util/grid.h"
#include "view/view.h"

/*
 * Draw res (NULL: nothing explored yet) into r of g, with row sel
 * (0-based, in report order) selected; going: the search is still
 * running.  Returns the number of outcome rows.
 */
size_t panel_explore_draw(Grid *g, Rect r, const ExploreResult *res, size_t sel, bool going,
                          unsigned preemptions);

#endif /* INTERLEAVE_UI_PANEL_EXPLORE_H */
