/*
 * panel_state.h - the demo's state panel of the lesson screen: the
 * pseudo-code with each lane's marker on the line it stands on, the shared
 * variables (and the mutexes, unless the wait-for graph shows them), one
 * row per lane (its state, register and next step, or what it waits for
 * and who holds it), and the result once the run is over, in human units.
 *
 * Two lines can perform the same operation ("lock from", "lock to"), so
 * each lane's events are walked through the code in order: a lane stands
 * on the next matching line after the last one it ran.  That walk is kept
 * per run (PanelState) and takes in only new events each frame, from the
 * back: the latest new event that only one line performs says where the
 * lane is, whatever came before it, so a frame looks at a few events per
 * lane however many arrived (at most each new event twice, for code whose
 * lines all share their operations).  A demo
 * whose code is long (DemoView.code_window) gets a window of it that
 * follows the markers, so the lanes always show.
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_PANEL_STATE_H
#define INTERLEAVE_UI_PANEL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/demo_class.h"
#include "core/run.h"
#include "core/waitfor.h"
#include "util/grid.h"
#include "view/view.h"

typedef struct PanelStateLane {
    size_t code_pos;     /* code line after the last one the lane ran (0 = top) */
    size_t code_scanned; /* events already walked through the code */
} PanelStateLane;

/* Per-run state of the panel.  Zero it, or panel_state_reset(). */
typedef struct PanelState {
    PanelStateLane *lanes; /* owned */
    unsigned nlanes;
    uint64_t visits; /* events the last panel_state_draw() looked at (tests:
                      * a frame's work stays bounded) */
} PanelState;

/* What the panel shows, borrowed for one draw. */
typedef struct PanelStateIn {
    const DemoClass *demo;
    const int64_t *params;
    const Run *run;    /* NULL = no run yet: the code alone */
    bool stepping;     /* step mode */
    const WaitFor *wf; /* this frame's wait-for snapshot (run != NULL) */
    bool graph_beside; /* the wait-for graph is on screen: mutexes are there */
    bool end_good;     /* the ended run went well (the verdict's colour) */
    bool expand;       /* under each line a lane stands on, the steps it takes
                        * (demo_code_steps), for demos that say */
    bool python;       /* the Python of the course in place of the pseudo-code, when
                        * there is no room for both side by side (DemoClass.python) */
} PanelStateIn;

/* Start over for a run with nlanes lanes (0: no run).  Returns 0 or -ENOMEM. */
int panel_state_reset(PanelState *ps, unsigned nlanes);

/* Free what ps holds. */
void panel_state_fini(PanelState *ps);

/* Draw into r of g. */
void panel_state_draw(PanelState *ps, Grid *g, Rect r, const PanelStateIn *in);

#endif /* INTERLEAVE_UI_PANEL_STATE_H */
