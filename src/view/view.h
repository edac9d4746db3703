/*
 * view.h - the presentation half of a demo: what its lanes wait for, its
 * legend, its panels, its end-of-run summary and its report sections.
 *
 * DESIGN
 * A DemoClass (core/demo_class.h) may point at a DemoView.  Like htop's
 * MeterClass and tmux's window modes, a DemoView is data plus optional
 * hooks, and every NULL means "the generic behaviour": the lesson screen,
 * the timeline and the reports are hosts that never name a demo.
 *
 *   waits        the demo's own kinds of waiting (a producer on a full
 *                buffer, a worker waiting for a task): a label, an ASCII
 *                and a Unicode glyph and a colour slot each.  wait_class()
 *                says which one a lane is in when it sleeps on a condition
 *                variable or waits on a semaphore at 0; -1 keeps the plain
 *                "blocked" ('#').  The timeline rows, the lanes panel, the
 *                legend, the banners and the text report all show them.
 *   side, under  panels: one beside the timeline (instead of the wait-for
 *                graph), one under the lanes on the timeline's time axis
 *                (a queue's depth).  Each draws into the curses-free Grid.
 *   summary ...  the end-of-run line and extra report sections.
 *
 * Everything here is curses-free and is drawn into a Grid, so Check tests
 * assert on cells.  Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_VIEW_VIEW_H
#define INTERLEAVE_VIEW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/demo_class.h"
#include "core/run.h"
#include "core/waitfor.h"
#include "util/grid.h"
#include "util/strbuf.h"
#include "view/timeline.h"

#define VIEW_ACCENTS 4   /* colour slots a demo's waits may use */
#define VIEW_MAX_WAITS 8 /* wait classes one demo may declare */

/* One kind of waiting a demo tells apart from a plain lock wait. */
typedef struct WaitClass {
    const char *name;   /* stable id: "full" (JSON, tests) */
    const char *what;   /* for people: "buffer full"; the lanes panel says
                         * "waits: buffer full", a banner "(buffer full)" */
    const char *legend; /* short legend text: "waits: full" */
    char ascii;         /* glyph without Unicode: 'F' */
    const char *utf8;   /* one-column glyph with Unicode: "▔" */
    unsigned accent;    /* colour slot, 0..VIEW_ACCENTS-1 */
} WaitClass;

/* A rectangle of a Grid. */
typedef struct Rect {
    int x, y, w, h;
} Rect;

/* What a panel sees of the run for one frame.  Every pointer is borrowed
 * for the call. */
typedef struct ViewCtx {
    const Run *run;       /* the run shown */
    const Arena *arena;   /* run_arena(run) */
    const RunConfig *cfg; /* run_config(run): the demo and its params */
    const WaitFor *wf;    /* this frame's wait-for snapshot, NULL = none */
    bool stepping;        /* step or replay: time is the step number */
    /* the timeline's time axis, for a panel drawn under it */
    uint64_t t0;    /* time of the first column */
    uint64_t per;   /* time per column (ns or steps), >= 1 */
    uint64_t t_end; /* end of the run so far */
} ViewCtx;

/* A panel beside or under the timeline.  Every hook but draw may be NULL. */
typedef struct PanelClass {
    const char *name;
    /* per-run state (events scanned so far, ...); NULL = none.  Called when
     * a run starts; the result goes to every other hook as self. */
    void *(*new)(const ViewCtx *ctx);
    void (*free)(void *self);
    /* new events arrived (each tick): take them in incrementally */
    void (*scan)(void *self, const ViewCtx *ctx);
    /* how much room it wants: columns for a side panel out of avail, rows
     * for a panel under the timeline out of avail (the screen's height);
     * 0 hides it.  NULL = a side panel gets 34..60 columns, an under panel
     * 2 rows (3 from 30 rows up). */
    int (*want)(const ViewCtx *ctx, int avail);
    /* draw into r of g.  An under panel's columns follow the timeline's
     * time axis (ctx->t0, ctx->per), from column r.x on. */
    void (*draw)(void *self, Grid *g, Rect r, const ViewCtx *ctx);
} PanelClass;

/*
 * Where a demo marks moments on the lanes' rows (a store that overwrote
 * another lane's update): a scanner over the run's events, kept per run
 * like a panel's state.  Every hook is required.
 */
typedef struct MarkSource {
    void *(*new)(const ViewCtx *ctx); /* NULL = out of memory: no marks */
    void (*free)(void *self);
    /* take in the events that arrived since the last call */
    void (*scan)(void *self, const ViewCtx *ctx);
    /* the marks so far (borrowed until the next scan) */
    size_t (*marks)(void *self, const struct TimelineMark **out);
    /* optional: lane's marks so far, in time order (borrowed until the next
     * scan).  With it the live timeline looks only at the marks in view of
     * the lanes drawn, however many a run made */
    size_t (*lane_marks)(void *self, unsigned lane, const struct TimelineMark **out);
} MarkSource;

/* One entry of a demo's legend, after the generic ones. */
typedef struct LegendItem {
    char ascii;
    const char *utf8; /* NULL = ascii in both */
    int style;        /* CellStyle or UiStyle */
    const char *text;
} LegendItem;

/* The presentation half of a demo.  Every field may be 0 or NULL. */
typedef struct DemoView {
    const WaitClass *waits;
    unsigned nwaits; /* <= VIEW_MAX_WAITS */
    /* which of waits lane is in when it waits on obj (a condition variable
     * it sleeps on, a semaphore at 0, a global lock it asks for or dropped,
     * blocking I/O); -1 = a plain wait.  Reads only the
     * arena's objects (names) and params, so it answers for any moment of
     * the run, past or live. */
    int (*wait_class)(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj);
    /* whether wait class k can happen with these params (a join lane exists);
     * NULL = every class can */
    bool (*wait_in_use)(const int64_t *params, unsigned k);
    const LegendItem *legend;
    unsigned nlegend;
    const PanelClass *side;  /* beside the timeline; NULL = the wait-for graph
                              * when the run has locks or semaphores */
    const PanelClass *under; /* under the lanes, on the time axis */
    const MarkSource *marks; /* moments marked on the lanes' rows; their
                              * glyph belongs in the legend */
    bool code_window;        /* long pseudo-code: a window of it follows the
                              * lanes' markers, so the lanes always show */
    /* the one-line end-of-run summary ("completed: counter 3, expected 4: 1
     * update lost"); returns true when it is good news; NULL = the verdict */
    bool (*summary)(const ViewCtx *ctx, StrBuf *out);
    /* a banner of the demo's own for a run that completed (a broken pool:
     * the run went on, but what it shows is a failure), like a verdict's
     * ("BROKEN POOL: worker C (pid 4243) died ..."): the text into out;
     * returns true when there is one.  NULL = no banner for a completed run */
    bool (*banner)(const ViewCtx *ctx, StrBuf *out);
    /* extra sections of the text report, after the figures */
    void (*report_text)(const ViewCtx *ctx, StrBuf *out, int width);
    /* extra keys of the JSON report: each starts with ',' */
    void (*report_json)(const ViewCtx *ctx, StrBuf *out);
} DemoView;

/* The view of demo, never NULL (an empty one for demos without).
 * Thread: any thread. */
const DemoView *view_of(const DemoClass *demo);

/* A ViewCtx for run (no wait-for snapshot, the run's whole time span). */
void view_ctx_init(ViewCtx *ctx, const Run *run);

/*
 * Which wait class lane of arena is in right now: asleep on a condition
 * variable, waiting on a semaphore at count 0, asking for or waiting for
 * a switch of a global lock, in blocking I/O (free mode: inside the wait;
 * step mode: pending), classified by the view's wait_class.
 * Returns the class index, or -1 (not in such a wait, or a plain one).
 * Live and racy in free mode, exact in step mode.
 */
int view_lane_wait(const DemoView *view, const Arena *arena, const int64_t *params, unsigned lane);

/* Whether wait class k can happen in a run with params. */
bool view_wait_in_use(const DemoView *view, const int64_t *params, unsigned k);

/*
 * The name of lane's row in a timeline into buf: "A", or in a run with
 * lane processes the lane and the process running it, "A 4242" (a
 * thread lane names the sandbox's pid, the process its threads share;
 * "A -" before it started).  Returns its length.
 */
int view_lane_label(const Run *run, unsigned lane, char *buf, size_t len);

#define VIEW_LABEL_MAX 16 /* bytes of a view_lane_label, NUL included */

/* The object the run's (first) invariant violation names: the first
 * violation event of the lane that saw it; 0 = none. */
uint32_t view_violation_obj(const Run *run);

#endif /* INTERLEAVE_VIEW_VIEW_H */
