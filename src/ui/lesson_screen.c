/*
 * lesson_screen.c - one lesson: its pages, its demo, a live run.
 *
 * DESIGN
 * The screen owns at most one Run.  In free mode the student starts,
 * pauses (SIGSTOP on the run's process group, via run_pause) and resets
 * real runs, optionally in slow motion (RunConfig.pace_us: every lane
 * sleeps at each instrumented point, so the run stays really concurrent
 * and still races, only slower to watch).  In step mode the run is
 * interactive: an upper-case lane key sends one token with run_send(),
 * and the controller in the sandbox grants that lane one step or refuses
 * it.  Undo starts a fresh interactive run whose schedule is the schedule
 * so far minus its last step; the replay is deterministic, so the student
 * lands exactly one step back.
 *
 * Every tick polls the run without blocking (run_poll(run, 0)) and, while
 * it goes, the loop redraws each tick (about 33 times a second).  Drawing
 * reads the arena's live snapshot (lane states, pending operations,
 * registers, shared variables) and renders the timeline with the export
 * module into the same Grid.
 *
 * Free runs can record millions of events.  The free-mode timeline only
 * needs the events that change a lane's state or mark a lock (start, lock
 * wait, acquire, release, end), so the screen keeps a filtered copy of
 * each lane's log, extended incrementally, and hands the renderer the
 * part from the view's start on.  A frame's cost is then bounded by the
 * events in view, not by the length of the run.
 *
 * Layout (at least 80x24): title bar; page text on the left; code with
 * lane markers, shared variables and lanes on the right; the timeline
 * with axis and legend; the schedule line; a message line; the key bar.
 * When the code does not fit above the lanes, a window of it follows the
 * lanes' markers, so the lanes always show.
 *
 * The screen never names a demo: what it shows beyond the generic parts
 * comes from the demo's view (view/view.h).  Its wait classes (a queue's
 * full, empty and join waits) get their own glyph and colour wherever a
 * wait shows (timeline rows, lanes panel, legend, banner); its side panel
 * replaces the wait-for graph beside the timeline; its under panel sits
 * under the lanes on the timeline's time axis.  Panels keep their own
 * per-run state and take in new events each tick, so a frame never
 * re-reads the whole log.
 *
 * Thread: UI thread only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/run.h"
#include "core/sched.h"
#include "core/schedule.h"
#include "core/verdict.h"
#include "core/waitfor.h"
#include "view/queueview.h"
#include "export/report.h"
#include "view/timeline.h"
#include "view/view.h"
#include "ui/crt.h"
#include "view/draw.h"
#include "ui/screen.h"
#include "view/waitgraph.h"

#define LS_MSG_MAX 512
#define LS_DRAIN_PER_TICK 32768u
#define LS_PROMPT_MAX (PATH_MAX + 128)

/* Slow-motion paces for free runs, microseconds per instrumented point. */
static const uint32_t ls_paces[] = {0, 200, 2000, 20000};

enum { MODAL_NONE = 0, MODAL_PARAMS, MODAL_PROMPT };

/* The filtered events of one lane (free-mode timeline). */
typedef struct LsLane {
    Event *ev;
    size_t n, cap;
    size_t scanned;      /* events of the run's log already looked at */
    size_t code_pos;     /* code line after the last one the lane ran (0 = top) */
    size_t code_scanned; /* events already walked through the code */
} LsLane;

struct LessonScreen {
    const UiEntry *entry; /* borrowed */
    const Lesson *lesson; /* entry->lesson, may be NULL (playground) */
    const char *id;       /* lesson id or demo name: progress and file names */
    Progress *progress;   /* borrowed, may be NULL */
    size_t page;
    int scroll;     /* first line of page text shown */
    int text_lines; /* lines of the page text at the last layout */

    const DemoClass *demo; /* NULL: a lesson without a demo */
    int64_t params[DEMO_MAX_PARAMS];
    int mode; /* SCHED_FREE or SCHED_STEP */
    Run *run;
    bool paused;
    bool counted;  /* the end of this run was reported */
    bool end_good; /* it ended well (completed, and the demo's summary is good news) */
    unsigned pace; /* index into ls_paces */

    /* timeline view */
    bool follow;
    int zoom;
    uint64_t t0;
    int scroll_req; /* quarter views to scroll at the next draw (+ later, - earlier) */
    LsLane *lanes;
    unsigned nlanes;

    char msg[LS_MSG_MAX];
    int msg_style;

    int modal;
    int psel;                       /* params dialog: selected row */
    int64_t pedit[DEMO_MAX_PARAMS]; /* params dialog: values being edited */
    bool ptyping;                   /* params dialog: a number is being typed */
    char prompt[LS_PROMPT_MAX];
    size_t prompt_len;
    char last_file[PATH_MAX + 64];
    char last_sched[1024]; /* the last step run's schedule, "" = none */

    WaitFor wf; /* the run's wait-for graph, taken at each draw */

    /* the demo's panels and their per-run state (PanelClass.new) */
    const PanelClass *side, *under;
    void *side_state, *under_state;
};

/* ------------------------------------------------------------------ */
/* messages, runs                                                      */
/* ------------------------------------------------------------------ */

static void ls_say(LessonScreen *ls, int style, const char *fmt, ...) ATTR_FORMAT(printf, 3, 4);

static void ls_say(LessonScreen *ls, int style, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ls->msg, sizeof(ls->msg), fmt, ap);
    va_end(ap);
    ls->msg_style = style;
}

/* ------------------------------------------------------------------ */
/* the demo's view                                                     */
/* ------------------------------------------------------------------ */

static const DemoView *ls_view(const LessonScreen *ls)
{
    return view_of(ls->demo);
}

/* Which of the demo's wait classes lane is in now (live arena), -1 for
 * none. */
static int ls_lane_wait(const LessonScreen *ls, unsigned lane)
{
    if (ls->run == NULL) {
        return -1;
    }
    return view_lane_wait(ls_view(ls), run_arena(ls->run), run_config(ls->run)->params, lane);
}

/* The style of wait class k. */
static int ls_wait_style(const WaitClass *wc)
{
    return UI_ACCENT_0 + (int)(wc->accent % VIEW_ACCENTS);
}

/* A ViewCtx for the current run (ls->run must be set). */
static void ls_view_ctx(const LessonScreen *ls, ViewCtx *ctx)
{
    view_ctx_init(ctx, ls->run);
    ctx->wf = &ls->wf;
}

static void ls_panels_free(LessonScreen *ls)
{
    if (ls->side != NULL && ls->side->free != NULL) {
        ls->side->free(ls->side_state);
    }
    if (ls->under != NULL && ls->under->free != NULL) {
        ls->under->free(ls->under_state);
    }
    ls->side = ls->under = NULL;
    ls->side_state = ls->under_state = NULL;
}

/* The demo's panels for a new run, with their per-run state. */
static void ls_panels_new(LessonScreen *ls)
{
    ViewCtx ctx;
    ls_panels_free(ls);
    ls_view_ctx(ls, &ctx);
    ls->side = ls_view(ls)->side;
    ls->under = ls_view(ls)->under;
    if (ls->side != NULL && ls->side->new != NULL) {
        ls->side_state = ls->side->new (&ctx);
    }
    if (ls->under != NULL && ls->under->new != NULL) {
        ls->under_state = ls->under->new (&ctx);
    }
}

static void ls_lanes_reset(LessonScreen *ls, unsigned n)
{
    for (unsigned i = 0; i < ls->nlanes; i++) {
        free(ls->lanes[i].ev);
    }
    free(ls->lanes);
    ls->lanes = n > 0 ? calloc(n, sizeof(*ls->lanes)) : NULL;
    ls->nlanes = ls->lanes != NULL ? n : 0;
}

static void ls_stop(LessonScreen *ls)
{
    if (ls->run != NULL && ls->mode == SCHED_STEP && run_schedule(ls->run)->n > 0) {
        schedule_format(run_schedule(ls->run), ls->last_sched, sizeof(ls->last_sched));
    }
    ls_panels_free(ls);
    run_free(ls->run);
    ls->run = NULL;
    ls->paused = false;
    ls->counted = false;
    ls_lanes_reset(ls, 0);
}

/* Start a run in mode (SCHED_FREE, or SCHED_STEP interactive with the
 * initial schedule sched, may be NULL).  Returns true on success. */
static bool ls_start(LessonScreen *ls, int mode, const Schedule *sched)
{
    RunConfig cfg;
    IlError err;

    ls_stop(ls);
    if (ls->demo == NULL) {
        ls_say(ls, UI_ERROR, "this lesson has no demo to run");
        return false;
    }
    run_config_init(&cfg, ls->demo);
    memcpy(cfg.params, ls->params, sizeof(cfg.params));
    cfg.mode = mode == SCHED_FREE ? SCHED_FREE : SCHED_STEP;
    cfg.interactive = mode != SCHED_FREE;
    cfg.schedule = sched;
    cfg.pace_us = mode == SCHED_FREE ? ls_paces[ls->pace] : 0;
    cfg.timeout_s = 0; /* the student stops runs; a paused run must not time out */
    cfg.nice = 19;     /* 64 busy lanes on two cores must not starve the UI */
    {
        /* a tick copies at most LS_DRAIN_PER_TICK events, whatever the lanes do */
        unsigned n = ls->demo->lanes(ls->params);
        uint32_t per = LS_DRAIN_PER_TICK / (n > 0 ? n : 1);
        cfg.drain_max = per > 256 ? per : 256;
    }
    if (ls->mode != (int)cfg.mode) {
        ls->zoom = 0; /* zoom means different things in the two modes */
    }
    ls->mode = cfg.mode;
    ls->run = run_start(&cfg, &err);
    if (ls->run == NULL) {
        ls_say(ls, UI_ERROR, "cannot start the run: %s", err.msg);
        return false;
    }
    ls_lanes_reset(ls, run_nlanes(ls->run));
    ls_panels_new(ls);
    ls->follow = true;
    ls->t0 = 0;
    return true;
}

/* Report the end of the run once: message and progress. */
static void ls_report_end(LessonScreen *ls)
{
    int v;
    StrBuf sum;
    bool good = false;

    if (ls->run == NULL || ls->counted || !run_done(ls->run)) {
        return;
    }
    ls->counted = true;
    ls->paused = false;
    v = run_verdict(ls->run);
    if (v == VERDICT_COMPLETED || v == VERDICT_DEADLOCK) {
        if (ls->progress != NULL) {
            (void)progress_mark_run(ls->progress, ls->id);
        }
    }
    strbuf_init(&sum);
    if (ls_view(ls)->summary != NULL) {
        ViewCtx ctx;
        ls_view_ctx(ls, &ctx);
        good = ls_view(ls)->summary(&ctx, &sum);
    }
    ls->end_good = v == VERDICT_COMPLETED && (strbuf_str(&sum)[0] == '\0' || good);
    if (strbuf_str(&sum)[0] != '\0') {
        /* the demo says what the run shows ("1 update lost") */
        ls_say(ls, good ? UI_GOOD : UI_ERROR, "%s", strbuf_str(&sum));
    } else if (v == VERDICT_KILLED) {
        /* reset or quit: no news */
    } else if (v != VERDICT_COMPLETED) {
        /* the banner names what happened; the message line says what to do */
        ls_say(ls, UI_ERROR, "%s: %s", verdict_name(v),
               ls->mode == SCHED_STEP
                   ? "u undoes the last step, r starts again, e tries another variant"
                   : "r runs it again, e tries another variant, m lets you schedule it");
    } else {
        ls_say(ls, UI_GOOD, "%s%s%s", verdict_name(v), run_message(ls->run)[0] != '\0' ? ": " : "",
               run_message(ls->run));
    }
    strbuf_fini(&sum);
}

/* A free run's lane that waited this long with no progress while others
 * made some gets the live starvation warning. */
#define LS_STARVE_NS 500000000u

/*
 * The hang banner, into out: "HANG at step 32: A waits on cond cv (buffer
 * full); B, C wait on cond cv (buffer empty)".  The lanes that wait for the
 * same thing are named together, so even 33 sleeping lanes fit the banner,
 * and a lane in one of the demo's wait classes says which (a queue's lanes
 * say which side of the buffer they wait on).
 */
static void ls_banner_hang(const LessonScreen *ls, const VerdictInfo *vi, StrBuf *out)
{
    enum { MAX_GROUPS = 16 };
    struct {
        char what[160];  /* "waits on cond cv (buffer full)" */
        char lanes[128]; /* "B, C" */
        int n;
    } groups[MAX_GROUPS];
    const Arena *a = run_arena(ls->run);
    int ng = 0;

    for (unsigned k = 0; k < vi->nlanes; k++) {
        const VerdictLane *vl = &vi->lanes[k];
        char name[LANE_NAME_MAX];
        int wc = ls_lane_wait(ls, vl->lane), g;
        StrBuf what;

        strbuf_init(&what);
        verdict_describe_lane(vi, k, a, &what);
        if (wc >= 0) {
            strbuf_addf(&what, " (%s)", ls_view(ls)->waits[wc].what);
        }
        for (g = 0; g < ng && strcmp(groups[g].what, strbuf_str(&what)) != 0; g++) {
        }
        if (g == ng && ng < MAX_GROUPS) {
            snprintf(groups[g].what, sizeof(groups[g].what), "%s", strbuf_str(&what));
            groups[g].lanes[0] = '\0';
            groups[g].n = 0;
            ng++;
        }
        strbuf_fini(&what);
        if (g < ng) {
            size_t ll = strlen(groups[g].lanes);
            lane_name(vl->lane, name);
            snprintf(groups[g].lanes + ll, sizeof(groups[g].lanes) - ll, "%s%s",
                     groups[g].n > 0 ? ", " : "", name);
            groups[g].n++;
        }
    }
    strbuf_add(out, "HANG");
    if (vi->have_at && vi->stepping) {
        strbuf_addf(out, " at step %" PRIu64, vi->at);
    } else if (vi->have_at) {
        strbuf_addf(out, " after %.1f ms", (double)vi->at / 1e6);
    }
    strbuf_add(out, ": ");
    for (int g = 0; g < ng; g++) {
        const char *what = groups[g].what;
        /* "B, C wait on ..." */
        if (groups[g].n > 1 && strncmp(what, "waits ", 6) == 0) {
            strbuf_addf(out, "%s%s wait %s", g > 0 ? "; " : "", groups[g].lanes, what + 6);
        } else {
            strbuf_addf(out, "%s%s %s", g > 0 ? "; " : "", groups[g].lanes, what);
        }
    }
}

/*
 * The banner, into buf: at the run's end the verdict in capitals and its
 * message ("DEADLOCK at step 2: A holds acct1, waits acct2; B holds
 * acct2, waits acct1"), for every end but completed and killed (reset,
 * quit); while it goes, a starvation warning with the figures
 * (run_starvation()).  Returns the banner's style, 0 when there is none.
 */
static int ls_banner(const LessonScreen *ls, char *buf, size_t len)
{
    const VerdictInfo *vi;
    StrBuf b;
    int v;

    if (ls->run == NULL) {
        return 0;
    }
    if (!run_done(ls->run) && arena_violated(run_arena(ls->run))) {
        /* live: an invariant broke; the run goes on to its end (each lane
         * stops at its next item), but the lesson is this first failure,
         * said as the verdict will say it */
        static VerdictInfo live; /* UI thread only; too big for the stack of a frame */
        const ArenaViolation *av = &run_arena(ls->run)->violation;
        verdict_init(&live, VERDICT_INVARIANT, ls->mode == SCHED_STEP);
        live.base_kind = VERDICT_COMPLETED; /* what follows is not known yet */
        snprintf(live.invariant, sizeof(live.invariant), "%s", av->invariant);
        snprintf(live.what, sizeof(live.what), "%s", av->what);
        live.inv_lane = av->lane;
        live.inv_at = av->t;
        strbuf_init(&b);
        verdict_banner(&live, run_arena(ls->run), &b);
        snprintf(buf, len, "%s", strbuf_str(&b));
        strbuf_fini(&b);
        return UI_BANNER;
    }
    if (!run_done(ls->run)) {
        /* live: a lane starves while others make progress.  A free run
         * only gets the warning once the starved lane has waited for
         * LS_STARVE_NS, not for the moment every lane spends behind
         * another; in step mode, once a starved lane waits for a lock
         * (the student starves it on purpose). */
        char starved[LS_MSG_MAX];
        bool long_wait = false;
        if (run_starvation(ls->run, starved, sizeof(starved)) == 0) {
            return 0;
        }
        for (unsigned l = 0; l < run_nlanes(ls->run) && !long_wait; l++) {
            RunLaneStats st;
            if (ls->demo->lane_progresses != NULL &&
                !ls->demo->lane_progresses(run_config(ls->run)->params, l)) {
                continue; /* a main lane in join() waits by design: no starvation */
            }
            run_lane_stats(ls->run, l, &st);
            long_wait = st.progress == 0 &&
                        (ls->mode == SCHED_STEP ? st.waiting : st.longest_wait >= LS_STARVE_NS);
        }
        if (!long_wait) {
            return 0;
        }
        snprintf(buf, len, "STARVATION WARNING: %.*s", (int)(len > 21 ? len - 21 : 0), starved);
        return UI_WARN_BANNER;
    }
    v = run_verdict(ls->run);
    vi = run_verdict_info(ls->run);
    if (v == VERDICT_KILLED || v == VERDICT_RUNNING || v == VERDICT_COMPLETED || vi == NULL) {
        return 0;
    }
    strbuf_init(&b);
    if (vi->kind == VERDICT_HANG) {
        ls_banner_hang(ls, vi, &b);
    } else {
        /* "DEADLOCK at step 2: A holds acct1, waits acct2; ..." */
        verdict_banner(vi, run_arena(ls->run), &b);
    }
    snprintf(buf, len, "%s", strbuf_str(&b));
    strbuf_fini(&b);
    return UI_BANNER;
}

/* Draw text as a banner of at most maxrows rows, its last row on row y:
 * wrapped at spaces, each row filled with style. */
static void ls_draw_banner(Grid *g, int y, int maxrows, const char *text, int style)
{
    const char *line[4];
    size_t lens[4];
    int n = 0, w = g->w - 2;
    const char *p = text;

    while (*p != '\0' && n < maxrows && n < 4) {
        size_t len = strlen(p), cut = len;
        if ((int)len > w) {
            cut = (size_t)w;
            while (cut > 0 && p[cut] != ' ') {
                cut--;
            }
            if (cut == 0) {
                cut = (size_t)w;
            }
        }
        line[n] = p;
        lens[n++] = cut;
        p += cut;
        while (*p == ' ') {
            p++;
        }
    }
    for (int i = 0; i < n; i++) {
        int row = y - (n - 1) + i;
        draw_fill(g, 0, row, g->w, 1, style);
        draw_text(g, 1, row, w, line[i], lens[i], style);
    }
}

/* Keep the filtered event copies (free mode) and the panels' state up to
 * date. */
static void ls_scan_events(LessonScreen *ls)
{
    ViewCtx ctx;

    if (ls->run == NULL) {
        return;
    }
    ls_view_ctx(ls, &ctx);
    if (ls->side != NULL && ls->side->scan != NULL) {
        ls->side->scan(ls->side_state, &ctx);
    }
    if (ls->under != NULL && ls->under->scan != NULL) {
        ls->under->scan(ls->under_state, &ctx);
    }
    if (ls->mode != SCHED_FREE) {
        return;
    }
    for (unsigned i = 0; i < ls->nlanes; i++) {
        LsLane *l = &ls->lanes[i];
        const Event *ev;
        size_t n = run_lane_events(ls->run, i, &ev);
        for (size_t j = l->scanned; j < n; j++) {
            unsigned k = ev[j].kind;
            if (k != EV_LANE_START && k != EV_LANE_END && k != EV_LOCK_WAIT &&
                k != EV_LOCK_ACQUIRE && k != EV_LOCK_RELEASE && k != EV_COND_WAIT &&
                k != EV_COND_WAKE && k != EV_SEM_WAIT && k != EV_SEM_ACQUIRE) {
                continue;
            }
            if (l->n == l->cap) {
                size_t cap = l->cap == 0 ? 256 : l->cap * 2;
                Event *p = realloc(l->ev, cap * sizeof(*p));
                if (p == NULL) {
                    break; /* the timeline misses some marks; the run goes on */
                }
                l->ev = p;
                l->cap = cap;
            }
            l->ev[l->n++] = ev[j];
        }
        l->scanned = n;
    }
}

/* ------------------------------------------------------------------ */
/* step mode                                                           */
/* ------------------------------------------------------------------ */

static void ls_step_lane(LessonScreen *ls, unsigned lane)
{
    char name[LANE_NAME_MAX];
    const Arena *a;
    uint32_t st;
    SchedToken tok;
    IlError err;
    int rc;

    lane_name(lane, name);
    if (ls->run == NULL) {
        if (!ls_start(ls, SCHED_STEP, NULL)) {
            return;
        }
    }
    if (lane >= run_nlanes(ls->run)) {
        ls_say(ls, UI_ERROR, "there is no lane %s: this run has %u lanes (e changes threads)", name,
               run_nlanes(ls->run));
        return;
    }
    if (run_done(ls->run)) {
        ls_say(ls, UI_ERROR, "the run is over (%s): u undoes the last step, r starts again",
               verdict_name(run_verdict(ls->run)));
        return;
    }
    a = run_arena(ls->run);
    st = atomic_load(&((Arena *)a)->lanes[lane].state);
    if (st == LANE_FINISHED) {
        ls_say(ls, UI_ERROR, "lane %s has finished: it cannot take a step", name);
        return;
    }
    if (st == LANE_BLOCKED) {
        int by = atomic_load(&((Arena *)a)->lanes[lane].blocked_by);
        char holder[LANE_NAME_MAX] = "?", op[128];
        uint32_t opk = atomic_load(&((Arena *)a)->lanes[lane].op);
        uint32_t obj = atomic_load(&((Arena *)a)->lanes[lane].op_obj);
        if (by >= 0) {
            lane_name((unsigned)by, holder);
        }
        sched_describe_op(a, opk, obj, op, sizeof(op));
        ls_say(ls, UI_ERROR, "lane %s is blocked: it waits to %s, held by %s", name, op, holder);
        return;
    }
    memset(&tok, 0, sizeof(tok));
    tok.lane = (uint16_t)lane;
    tok.kind = TOK_STEPS;
    tok.count = 1;
    tok.pos = (uint32_t)run_schedule(ls->run)->n + 1;
    rc = run_send(ls->run, &tok, &err);
    switch (rc) {
    case RUN_SEND_OK:
        ls_say(ls, STYLE_TEXT, "lane %s took a step", name);
        break;
    case RUN_SEND_REFUSED:
        ls_say(ls, UI_ERROR, "refused: %s", err.msg);
        break;
    case RUN_SEND_FINISHED:
    case RUN_SEND_DEADLOCK:
        run_poll(ls->run, 0);
        ls_say(ls, STYLE_TEXT, "lane %s took a step; the run is ending", name);
        break;
    default:
        ls_say(ls, UI_ERROR, "the run stopped: %s", err.msg);
        break;
    }
}

/* A copy of the current schedule minus its last step. */
static void ls_undo(LessonScreen *ls)
{
    const Schedule *cur;
    Schedule s = {NULL, 0, 0};
    char text[256];

    if (ls->run == NULL || ls->mode != SCHED_STEP) {
        ls_say(ls, UI_ERROR, "undo works in step mode (m)");
        return;
    }
    cur = run_schedule(ls->run);
    if (cur->n == 0) {
        ls_say(ls, UI_ERROR, "nothing to undo: no step taken yet");
        return;
    }
    for (size_t i = 0; i < cur->n; i++) {
        SchedToken t = cur->tok[i];
        if (i + 1 == cur->n) {
            if (t.kind != TOK_STEPS || t.count <= 1) {
                break;
            }
            t.count--;
        }
        if (schedule_append(&s, t) < 0) {
            schedule_fini(&s);
            ls_say(ls, UI_ERROR, "out of memory");
            return;
        }
    }
    schedule_token_format(&cur->tok[cur->n - 1], text);
    {
        char last[16];
        memcpy(last, text, sizeof(last));
        if (ls_start(ls, SCHED_STEP, &s)) {
            ls_say(ls, STYLE_TEXT, "undone: the last step (%s); the run was replayed up to there",
                   last);
        }
    }
    schedule_fini(&s);
}

/* The directory saved schedules go to (created), into buf. */
static int ls_schedule_dir(char *buf, size_t len)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char tmp[PATH_MAX];

    if (state != NULL && state[0] == '/') {
        snprintf(tmp, sizeof(tmp), "%s/interleave/schedules", state);
    } else if (home != NULL && home[0] != '\0') {
        snprintf(tmp, sizeof(tmp), "%s/.local/state/interleave/schedules", home);
    } else {
        return -ENOENT;
    }
    /* mkdir -p */
    for (char *p = tmp + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
                return -errno;
            }
            *p = '/';
        }
    }
    if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
        return -errno;
    }
    snprintf(buf, len, "%s", tmp);
    return 0;
}

static void ls_save(LessonScreen *ls)
{
    char dir[PATH_MAX], path[PATH_MAX + 64], text[8192];
    StrBuf params;
    FILE *f = NULL;
    int rc;

    if (ls->run == NULL || ls->mode != SCHED_STEP || run_schedule(ls->run)->n == 0) {
        ls_say(ls, UI_ERROR, "nothing to save: take some steps in step mode first");
        return;
    }
    rc = ls_schedule_dir(dir, sizeof(dir));
    if (rc < 0) {
        ls_say(ls, UI_ERROR, "cannot make the schedules directory: %s", strerror(-rc));
        return;
    }
    for (int i = 1; i < 10000; i++) {
        int fd;
        snprintf(path, sizeof(path), "%s/%s-%d.sched", dir, ls->id, i);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            f = fdopen(fd, "w");
            break;
        }
        if (errno != EEXIST) {
            break;
        }
    }
    if (f == NULL) {
        ls_say(ls, UI_ERROR, "cannot save in %s: %s", dir, strerror(errno));
        return;
    }
    schedule_format(run_schedule(ls->run), text, sizeof(text));
    strbuf_init(&params);
    report_params(&params, run_config(ls->run));
    fprintf(f, "# interleave schedule for %s: %s %s\n%s\n", ls->id, ls->demo->name,
            strbuf_str(&params), text);
    strbuf_fini(&params);
    if (fclose(f) != 0) {
        ls_say(ls, UI_ERROR, "cannot write %s: %s", path, strerror(errno));
        return;
    }
    snprintf(ls->last_file, sizeof(ls->last_file), "%s", path);
    ls_say(ls, UI_GOOD, "schedule saved to %s", path);
}

/* Read a schedule file: '#' starts a comment.  Returns malloc'ed text. */
static char *ls_read_schedule_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    size_t len = 0, cap = 4096;
    char *out;

    if (f == NULL) {
        return NULL;
    }
    out = malloc(cap);
    if (out == NULL) {
        fclose(f);
        return NULL;
    }
    out[0] = '\0';
    while (fgets(line, sizeof(line), f) != NULL) {
        size_t n;
        line[strcspn(line, "#\n")] = '\0';
        n = strlen(line);
        if (len + n + 2 > cap) {
            char *p;
            cap = (len + n + 2) * 2;
            p = realloc(out, cap);
            if (p == NULL) {
                break;
            }
            out = p;
        }
        memcpy(out + len, line, n);
        len += n;
        out[len++] = ' ';
        out[len] = '\0';
    }
    fclose(f);
    return out;
}

/* Replay a schedule (file name or schedule text) in step mode. */
static void ls_load(LessonScreen *ls, const char *input)
{
    char *file_text = NULL;
    const char *text = input;
    Schedule s;
    IlError err;
    unsigned nlanes;
    struct stat sb;

    while (*text == ' ') {
        text++;
    }
    if (*text == '\0') {
        ls_say(ls, STYLE_DIM, "nothing loaded");
        return;
    }
    if (ls->demo == NULL) {
        ls_say(ls, UI_ERROR, "this lesson has no demo to run");
        return;
    }
    if (strchr(text, '/') != NULL || (stat(text, &sb) == 0 && S_ISREG(sb.st_mode))) {
        file_text = ls_read_schedule_file(text);
        if (file_text == NULL) {
            ls_say(ls, UI_ERROR, "%s: %s", text, strerror(errno));
            return;
        }
        snprintf(ls->last_file, sizeof(ls->last_file), "%s", text);
        text = file_text;
    }
    nlanes = ls->demo->lanes(ls->params);
    if (schedule_parse(text, nlanes, &s, &err) < 0) {
        ls_say(ls, UI_ERROR, "bad schedule: %s", err.msg);
        free(file_text);
        return;
    }
    free(file_text);
    if (ls_start(ls, SCHED_STEP, &s)) {
        ls_say(ls, STYLE_TEXT, "replaying %zu token%s; then keep stepping, or c to finish", s.n,
               s.n == 1 ? "" : "s");
    }
    schedule_fini(&s);
}

/* Load demo run block idx (0-based) of the current page. */
static void ls_page_run(LessonScreen *ls, size_t idx)
{
    const LessonPage *pg;
    const LessonRun *r;
    const DemoClass *demo;
    IlError err;
    int64_t params[DEMO_MAX_PARAMS];
    int mode;

    if (ls->lesson == NULL || ls->lesson->npages == 0) {
        ls_say(ls, UI_ERROR, "this page has no demo run");
        return;
    }
    pg = &ls->lesson->pages[ls->page];
    if (pg->nruns == 0) {
        ls_say(ls, UI_ERROR, "this page has no demo run");
        return;
    }
    if (idx >= pg->nruns) {
        ls_say(ls, UI_ERROR, "this page has %zu demo run%s: [run 1]%s", pg->nruns,
               pg->nruns == 1 ? "" : "s", pg->nruns == 1 ? "" : " and on");
        return;
    }
    r = &pg->runs[idx];
    demo = demo_find(r->demo, &err);
    if (demo == NULL) {
        ls_say(ls, UI_ERROR, "%s", err.msg);
        return;
    }
    demo_params_default(demo, params);
    for (size_t i = 0; i < r->nparams; i++) {
        if (demo_param_set(demo, r->params[i], params, &err) < 0) {
            ls_say(ls, UI_ERROR, "%s", err.msg);
            return;
        }
    }
    mode = r->mode != NULL ? sched_mode_parse(r->mode) : SCHED_FREE;
    ls->demo = demo;
    memcpy(ls->params, params, sizeof(params));
    if (r->schedule != NULL) {
        ls_load(ls, r->schedule);
    } else if (mode == SCHED_STEP || mode == SCHED_REPLAY) {
        if (ls_start(ls, SCHED_STEP, NULL)) {
            ls_say(ls, STYLE_TEXT, "%s: step mode, press a lane's letter to step it", r->label);
        }
    } else if (ls_start(ls, SCHED_FREE, NULL)) {
        ls_say(ls, STYLE_TEXT, "%s: running", r->label);
    }
}

/* ------------------------------------------------------------------ */
/* dialogs                                                             */
/* ------------------------------------------------------------------ */

/* Next value of a number parameter in the 1-2-5 series, or back. */
static int64_t ls_param_step(const DemoParam *p, int64_t v, int dir)
{
    if (demo_param_named(p)) {
        v += dir;
        if (v < p->min) {
            v = p->max;
        }
        if (v > p->max) {
            v = p->min;
        }
        return v;
    }
    if (p->max - p->min <= 100) {
        v += dir;
    } else {
        int64_t mag = 1;
        while (mag * 10 <= v) {
            mag *= 10;
        }
        if (dir > 0) {
            v = v < 2 * mag ? 2 * mag : v < 5 * mag ? 5 * mag : 10 * mag;
        } else {
            v = v > 5 * mag   ? 5 * mag
                : v > 2 * mag ? 2 * mag
                : v > mag     ? mag
                : mag / 2 > 0 ? mag / 2
                              : 1;
        }
    }
    return v < p->min ? p->min : v > p->max ? p->max : v;
}

/*
 * Step mode: send the tokens of the schedule text one by one to the fresh
 * step run, as if the student pressed the keys, stopping at the first one
 * that is refused.  So the schedule that deadlocked one variant can be
 * tried on another: where a lane cannot move the replay stops and says
 * why, and the run stays live from there.  Says what happened, after the
 * prefix what (the new parameters).
 */
static void ls_replay_keys(LessonScreen *ls, const char *text, const char *what)
{
    Schedule s;
    IlError err;
    size_t i;

    if (schedule_parse(text, run_nlanes(ls->run), &s, &err) < 0) {
        ls_say(ls, UI_ERROR, "%s: new step run; the last schedule does not fit it (%s)", what,
               err.msg);
        return;
    }
    for (i = 0; i < s.n; i++) {
        SchedToken tok = s.tok[i];
        int rc;
        tok.pos = (uint32_t)run_schedule(ls->run)->n + 1;
        rc = run_send(ls->run, &tok, &err);
        if (rc == RUN_SEND_OK) {
            continue;
        }
        if (rc == RUN_SEND_FINISHED || rc == RUN_SEND_DEADLOCK) {
            run_poll(ls->run, 0);
            i++;
            break;
        }
        if (rc == RUN_SEND_REFUSED) {
            ls_say(ls, UI_ERROR, "%s: %s stops at token %zu: %s", what, text, i + 1,
                   run_refusal(ls->run));
        } else {
            ls_say(ls, UI_ERROR, "%s: the run stopped: %s", what, err.msg);
        }
        schedule_fini(&s);
        return;
    }
    ls_say(ls, STYLE_TEXT, "%s: %s replayed on it (u undoes, r starts with no step)", what, text);
    schedule_fini(&s);
}

static void ls_params_apply(LessonScreen *ls)
{
    bool changed = memcmp(ls->pedit, ls->params, sizeof(ls->params)) != 0;
    StrBuf b;
    RunConfig cfg;

    ls->modal = MODAL_NONE;
    if (!changed) {
        ls_say(ls, STYLE_DIM, "parameters unchanged");
        return;
    }
    strbuf_init(&b);
    if (ls->mode == SCHED_STEP) {
        /* only what changed: "variant=ordered" */
        for (unsigned i = 0; i < ls->demo->nparams; i++) {
            char val[64];
            if (ls->pedit[i] == ls->params[i]) {
                continue;
            }
            demo_param_format(&ls->demo->params[i], ls->pedit[i], val, sizeof(val));
            strbuf_addf(&b, "%s%s=%s", strbuf_str(&b)[0] != '\0' ? " " : "",
                        ls->demo->params[i].name, val);
        }
    }
    memcpy(ls->params, ls->pedit, sizeof(ls->params));
    run_config_init(&cfg, ls->demo);
    memcpy(cfg.params, ls->params, sizeof(cfg.params));
    if (ls->mode != SCHED_STEP) {
        report_params(&b, &cfg);
    }
    if (ls->mode == SCHED_STEP) {
        /* keep the schedule: the same steps on the new variant */
        char replay[sizeof(ls->last_sched)] = "";
        if (ls->run != NULL && run_schedule(ls->run)->n > 0) {
            schedule_format(run_schedule(ls->run), replay, sizeof(replay));
        }
        if (ls_start(ls, SCHED_STEP, NULL)) {
            if (replay[0] != '\0') {
                ls_replay_keys(ls, replay, strbuf_str(&b));
            } else {
                ls_say(ls, STYLE_TEXT, "%s: new step run", strbuf_str(&b));
            }
        }
    } else {
        ls_stop(ls);
        ls_say(ls, STYLE_TEXT, "%s: space runs it", strbuf_str(&b));
    }
    strbuf_fini(&b);
}

static int ls_params_key(LessonScreen *ls, int key)
{
    const DemoParam *p = &ls->demo->params[ls->psel];
    int64_t *v = &ls->pedit[ls->psel];

    switch (key) {
    case CRT_KEY_ESC:
    case 'q':
        ls->modal = MODAL_NONE;
        ls_say(ls, STYLE_DIM, "parameters unchanged");
        break;
    case CRT_KEY_ENTER:
        if (!demo_param_named(p) && (*v < p->min || *v > p->max)) {
            char range[64];
            demo_param_range(p, range, sizeof(range));
            ls_say(ls, UI_ERROR, "%s must be %s", p->name, range);
            break;
        }
        ls_params_apply(ls);
        break;
    case CRT_KEY_UP:
    case CRT_KEY_DOWN:
    case '\t':
        ls->ptyping = false;
        if (!demo_param_named(p) && *v < p->min) {
            *v = p->min;
        }
        ls->psel = (ls->psel + (key == CRT_KEY_UP ? (int)ls->demo->nparams - 1 : 1)) %
                   (int)ls->demo->nparams;
        break;
    case CRT_KEY_LEFT:
    case CRT_KEY_RIGHT:
        ls->ptyping = false;
        *v = ls_param_step(p, *v, key == CRT_KEY_LEFT ? -1 : 1);
        break;
    case CRT_KEY_BACKSPACE:
        if (!demo_param_named(p)) {
            *v /= 10;
            ls->ptyping = true;
        }
        break;
    default:
        if (!demo_param_named(p) && key >= '0' && key <= '9') {
            if (!ls->ptyping) {
                *v = 0;
                ls->ptyping = true;
            }
            if (*v < INT64_MAX / 10 - 10) {
                *v = *v * 10 + (key - '0');
            }
        } else if (demo_param_named(p) && key >= 'a' && key <= 'z') {
            for (int64_t c = p->min; c <= p->max; c++) {
                if (demo_param_choice(p, c)[0] == key) {
                    *v = c;
                    break;
                }
            }
        }
        break;
    }
    return REACT_HANDLED | REACT_REDRAW;
}

static int ls_prompt_key(LessonScreen *ls, int key)
{
    switch (key) {
    case CRT_KEY_ESC:
        ls->modal = MODAL_NONE;
        ls_say(ls, STYLE_DIM, "nothing loaded");
        break;
    case CRT_KEY_ENTER: {
        char input[LS_PROMPT_MAX];
        memcpy(input, ls->prompt, ls->prompt_len + 1);
        ls->modal = MODAL_NONE;
        ls_load(ls, input);
        break;
    }
    case CRT_KEY_BACKSPACE:
        if (ls->prompt_len > 0) {
            ls->prompt[--ls->prompt_len] = '\0';
        }
        break;
    case 0x15: /* Ctrl-U: clear the line */
        ls->prompt_len = 0;
        ls->prompt[0] = '\0';
        break;
    default:
        if (key >= 0x20 && key < 0x7f && ls->prompt_len + 1 < sizeof(ls->prompt)) {
            ls->prompt[ls->prompt_len++] = (char)key;
            ls->prompt[ls->prompt_len] = '\0';
        }
        break;
    }
    return REACT_HANDLED | REACT_REDRAW;
}

/* ------------------------------------------------------------------ */
/* the ScreenClass                                                     */
/* ------------------------------------------------------------------ */

static unsigned ls_scope(void *self)
{
    LessonScreen *ls = self;
    return ls->mode == SCHED_STEP ? KEYS_STEP : KEYS_FREE;
}

static int ls_on_key(void *self, int key)
{
    LessonScreen *ls = self;
    if (ls->modal == MODAL_PARAMS) {
        return ls_params_key(ls, key);
    }
    if (ls->modal == MODAL_PROMPT) {
        return ls_prompt_key(ls, key);
    }
    if (ls->mode != SCHED_FREE && key >= 'a' && key <= 'z' &&
        keys_find(key, ls_scope(ls)) == NULL) {
        /* a student who types the lane's letter in lower case gets told,
         * instead of nothing happening */
        ls_say(ls, STYLE_TEXT, "lanes are capital letters: press Shift+%c to step lane %c",
               key - 'a' + 'A', key - 'a' + 'A');
        return REACT_HANDLED | REACT_REDRAW;
    }
    return REACT_NONE;
}

static void ls_goto_page(LessonScreen *ls, size_t page)
{
    size_t nruns;

    ls->page = page;
    ls->scroll = 0;
    if (ls->lesson == NULL) {
        return;
    }
    if (ls->progress != NULL) {
        (void)progress_mark_page(ls->progress, ls->id, (unsigned)page);
    }
    nruns = ls->lesson->pages[page].nruns;
    if (nruns == 1) {
        ls_say(ls, STYLE_TEXT, "this page has a demo run: g loads it");
    } else if (nruns > 1) {
        ls_say(ls, STYLE_TEXT, "this page has %zu demo runs: 1-%zu load one", nruns,
               nruns < 9 ? nruns : 9);
    } else {
        ls->msg[0] = '\0';
    }
}

static int ls_zoom_min(const LessonScreen *ls)
{
    return ls->mode == SCHED_STEP ? -12 : 0;
}

static int ls_zoom_max(const LessonScreen *ls)
{
    return ls->mode == SCHED_STEP ? 0 : 30;
}

static int ls_on_action(void *self, const KeyBinding *b, int key)
{
    LessonScreen *ls = self;
    size_t npages = ls->lesson != NULL ? ls->lesson->npages : 0;

    switch (b->action) {
    case ACT_BACK:
        return REACT_HANDLED | REACT_BACK;
    case ACT_UP:
        if (ls->scroll > 0) {
            ls->scroll--;
        }
        break;
    case ACT_DOWN:
        if (ls->scroll + 1 < ls->text_lines) {
            ls->scroll++;
        }
        break;
    case ACT_NEXT_PAGE:
        if (ls->page + 1 < npages) {
            ls_goto_page(ls, ls->page + 1);
        } else {
            ls_say(ls, STYLE_DIM, "this is the last page");
        }
        break;
    case ACT_PREV_PAGE:
        if (ls->page > 0) {
            ls_goto_page(ls, ls->page - 1);
        } else {
            ls_say(ls, STYLE_DIM, "this is the first page");
        }
        break;
    case ACT_PAGE_RUN:
        ls_page_run(ls, key >= '1' && key <= '9' ? (size_t)(key - '1') : 0);
        break;
    case ACT_RUN_PAUSE:
        if (ls->run == NULL || run_done(ls->run) || ls->mode != SCHED_FREE) {
            if (ls_start(ls, SCHED_FREE, NULL)) {
                ls_say(ls, STYLE_TEXT, "running%s", ls->pace > 0 ? " in slow motion" : "");
            }
        } else if (run_pause(ls->run, !ls->paused) == 0) {
            ls->paused = !ls->paused;
            ls_say(ls, STYLE_TEXT, "%s",
                   ls->paused ? "paused: the run's processes are stopped; "
                                "space resumes, +/- and arrows move the timeline"
                              : "running");
        }
        break;
    case ACT_SLOW: {
        char pace[32];
        ls->pace = (ls->pace + 1) % (unsigned)ARRAY_SIZE(ls_paces);
        timeline_format_time((uint64_t)ls_paces[ls->pace] * 1000u, false, pace, sizeof(pace));
        ls_say(ls, STYLE_TEXT, "%s%s%s",
               ls->pace == 0 ? "full speed" : "slow motion: every lane pauses ",
               ls->pace == 0 ? "" : pace, ls->pace == 0 ? "" : " at each step (from the next run)");
        break;
    }
    case ACT_STEP_MODE:
        if (ls->mode == SCHED_FREE) {
            if (ls_start(ls, SCHED_STEP, NULL)) {
                ls_say(ls, STYLE_TEXT,
                       "step mode: you are the scheduler; press A, B, ... to give "
                       "a lane one step");
            }
        } else {
            ls_stop(ls);
            ls->mode = SCHED_FREE;
            ls->zoom = 0;
            ls_say(ls, STYLE_TEXT, "free mode: space starts a real run");
        }
        break;
    case ACT_LANE:
        ls_step_lane(ls, (unsigned)(key - 'A'));
        break;
    case ACT_UNDO:
        ls_undo(ls);
        break;
    case ACT_CONTINUE:
        if (ls->run != NULL && !run_done(ls->run)) {
            (void)run_send_end(ls->run);
            ls_say(ls, STYLE_TEXT, "the rest of the run goes round-robin");
        }
        break;
    case ACT_SAVE:
        ls_save(ls);
        break;
    case ACT_LOAD:
        if (ls->demo == NULL) {
            ls_say(ls, UI_ERROR, "this lesson has no demo to run");
            break;
        }
        ls->modal = MODAL_PROMPT;
        /* prefilled with the schedule of this step run or the last one, else
         * the last file: Enter replays it (on the current parameters) */
        if (ls->run != NULL && ls->mode == SCHED_STEP && run_schedule(ls->run)->n > 0) {
            schedule_format(run_schedule(ls->run), ls->prompt, sizeof(ls->prompt));
        } else if (ls->last_sched[0] != '\0') {
            snprintf(ls->prompt, sizeof(ls->prompt), "%s", ls->last_sched);
        } else {
            snprintf(ls->prompt, sizeof(ls->prompt), "%s", ls->last_file);
        }
        ls->prompt_len = strlen(ls->prompt);
        break;
    case ACT_RESET:
        if (ls->mode == SCHED_STEP) {
            if (ls_start(ls, SCHED_STEP, NULL)) {
                ls_say(ls, STYLE_TEXT, "reset: a new step run, no step taken");
            }
        } else if (ls_start(ls, SCHED_FREE, NULL)) {
            ls_say(ls, STYLE_TEXT, "reset: a new run");
        }
        break;
    case ACT_PARAMS:
        if (ls->demo == NULL) {
            ls_say(ls, UI_ERROR, "this lesson has no demo to run");
            break;
        }
        memcpy(ls->pedit, ls->params, sizeof(ls->pedit));
        ls->psel = 0;
        ls->ptyping = false;
        ls->modal = MODAL_PARAMS;
        break;
    case ACT_ZOOM_IN:
        if (ls->zoom < ls_zoom_max(ls)) {
            ls->zoom++;
        }
        break;
    case ACT_ZOOM_OUT:
        if (ls->zoom > ls_zoom_min(ls)) {
            ls->zoom--;
        }
        break;
    case ACT_SCROLL_LEFT:
        ls->follow = false;
        ls->scroll_req--; /* the view's size is known when it is drawn */
        break;
    case ACT_SCROLL_RIGHT:
        ls->scroll_req++;
        break;
    case ACT_FOLLOW:
        ls->follow = true;
        break;
    default:
        return REACT_NONE;
    }
    return REACT_HANDLED | REACT_REDRAW;
}

static int ls_tick(void *self)
{
    LessonScreen *ls = self;
    int r = REACT_NONE;

    if (ls->run == NULL) {
        return r;
    }
    if (!run_done(ls->run)) {
        bool was_done = run_done(ls->run);
        run_poll(ls->run, 0);
        ls_scan_events(ls);
        if (!ls->paused || run_done(ls->run) != was_done) {
            r |= REACT_LIVE | REACT_REDRAW;
        }
    }
    if (run_done(ls->run) && !ls->counted) {
        ls_scan_events(ls);
        ls_report_end(ls);
        r |= REACT_REDRAW;
    }
    return r;
}

/* ------------------------------------------------------------------ */
/* drawing                                                             */
/* ------------------------------------------------------------------ */

typedef struct LsTextCtx {
    Grid *g;
    int x, y, w, h;
    int skip; /* lines to skip (scroll) */
    int line;
} LsTextCtx;

static void ls_text_line(void *arg, const char *text, size_t n, int indent)
{
    LsTextCtx *c = arg;
    int row = c->line - c->skip;
    if (row >= 0 && row < c->h) {
        int style = STYLE_TEXT;
        if (n > 0 && (text[0] == ' ' || text[0] == '\t')) {
            style = UI_CODE;
        }
        draw_text(c->g, c->x + indent, c->y + row, c->w - indent, text, n, style);
    }
    c->line++;
}

static void ls_draw_text(LessonScreen *ls, Grid *g, int x, int y, int w, int h)
{
    const LessonPage *pg;
    LsTextCtx c = {g, x, y + 1, w, h - 1, 0, 0};
    char more[64];

    if (ls->lesson == NULL || ls->lesson->npages == 0) {
        draw_text(g, x, y, w, "playground", (size_t)-1, UI_HEADING);
        c.skip = ls->scroll;
        draw_wrap(ls->demo != NULL ? ls->demo->summary : "", w, ls_text_line, &c);
        ls->text_lines = c.line;
        return;
    }
    pg = &ls->lesson->pages[ls->page];
    draw_text(g, x, y, w, pg->title != NULL ? pg->title : "", (size_t)-1, UI_HEADING);
    c.skip = ls->scroll;
    draw_wrap(pg->text != NULL ? pg->text : "", w, ls_text_line, &c);
    for (size_t i = 0; i < pg->nquestions; i++) {
        const LessonQuestion *q = &pg->questions[i];
        ls_text_line(&c, "", 0, 0);
        {
            char buf[1024];
            snprintf(buf, sizeof(buf), "? %s", q->prompt != NULL ? q->prompt : "");
            draw_wrap(buf, w, ls_text_line, &c);
        }
        for (size_t k = 0; k < q->nchoices; k++) {
            char buf[512];
            snprintf(buf, sizeof(buf), "- %c) %s", (int)('a' + k), q->choices[k]);
            draw_wrap(buf, w, ls_text_line, &c);
        }
    }
    ls->text_lines = c.line;
    if (c.line - c.skip > c.h) {
        snprintf(more, sizeof(more), " more below (Down) ");
        draw_text(g, x + w - (int)strlen(more), y + h - 1, (int)strlen(more), more, (size_t)-1,
                  STYLE_DIM);
    }
}

/* The first code line at or after from (going round) that performs op on
 * obj, or -1. */
static int ls_code_find(const Arena *a, const DemoCodeLine *code, size_t n, size_t from,
                        uint32_t op, uint32_t obj)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = (from + k) % n;
        if (code[i].op == 0 || code[i].op != op) {
            continue;
        }
        if (code[i].obj != NULL && strcmp(code[i].obj, arena_obj_name(a, obj)) != 0) {
            continue;
        }
        return (int)i;
    }
    return -1;
}

/*
 * Index of the code line lane stands on, or -1.  Two lines can perform the
 * same operation ("lock from", "lock to"), so the lane's own events are
 * walked through the code in order: its pending operation is the next
 * matching line after the last one it ran.
 */
static int ls_code_line(LessonScreen *ls, const Arena *a, const DemoCodeLine *code, size_t n,
                        unsigned lane)
{
    const ArenaLane *al = &a->lanes[lane];
    uint32_t op = atomic_load(&((ArenaLane *)al)->op);
    uint32_t obj = atomic_load(&((ArenaLane *)al)->op_obj);
    size_t from = 0;

    if (n == 0) {
        return -1;
    }
    if (lane < ls->nlanes) {
        LsLane *l = &ls->lanes[lane];
        const Event *ev;
        size_t ne = run_lane_events(ls->run, lane, &ev);
        for (size_t j = l->code_scanned; j < ne; j++) {
            int at = ls_code_find(a, code, n, l->code_pos, ev[j].kind, ev[j].obj);
            if (at >= 0) {
                l->code_pos = (size_t)at + 1;
            }
        }
        l->code_scanned = ne;
        from = l->code_pos;
    }
    if (op == EV_LOCK_WAIT) {
        op = EV_LOCK_ACQUIRE;
    }
    return ls_code_find(a, code, n, from, op, obj);
}

/* The right panel: code with markers, shared state, lanes, result. */
static void ls_draw_state(LessonScreen *ls, Grid *g, int x, int y, int w, int h)
{
    const DemoCodeLine *code;
    size_t ncode = 0;
    const Arena *a = ls->run != NULL ? run_arena(ls->run) : NULL;
    unsigned nlanes = ls->run != NULL ? run_nlanes(ls->run) : 0;
    int row = y, bottom = y + h;
    const int gut = 8;
    bool stepping = ls->mode == SCHED_STEP;
    int lane_line[ARENA_MAX_LANES];
    bool skip_shared = false; /* no room for the shared variables */
    size_t first = 0;         /* first code line shown */
    int code_bottom = bottom; /* row under the last code line */

    code = demo_code(ls->demo, ls->params, &ncode);
    {
        const DemoVariant *dv = demo_variant(ls->demo, ls->params);
        if (dv != NULL) {
            /* a variant that is wrong on purpose says so */
            int cx =
                x + draw_textf(g, x, row, w, UI_HEADING, "code: %s (%s)", ls->demo->name, dv->name);
            if (dv->broken) {
                draw_text(g, cx + 1, row, x + w - cx - 1, "broken on purpose", (size_t)-1,
                          UI_ERROR);
            }
            row++;
        } else {
            draw_textf(g, x, row++, w, UI_HEADING, "code: %s", ls->demo->name);
        }
    }
    if (a != NULL) {
        for (unsigned l = 0; l < nlanes && l < ARENA_MAX_LANES; l++) {
            lane_line[l] = ls_code_line(ls, a, code, ncode, l);
        }
    }
    /* a queue's code is long: room for the lanes (heading, one row each,
     * the result) and, if it still leaves 3 lines of code, the shared
     * variables; the code gets the rest, as a window that follows the
     * lanes' markers.  (The other lessons' code is short: all of it shows,
     * and the lanes get what is left.) */
    if (a != NULL && ls_view(ls)->code_window) {
        int avail = bottom - row;
        int lanes_rows = 2 + (int)nlanes + (run_done(ls->run) ? 2 : 0);
        int code_rows = avail - lanes_rows - 4;
        if (code_rows < 3 && (int)ncode > code_rows) {
            skip_shared = true;
            code_rows = avail - lanes_rows;
        }
        if (code_rows < 2) {
            code_rows = 2;
        }
        if ((int)ncode > code_rows) {
            int lo = -1, hi = -1;
            for (unsigned l = 0; l < nlanes && l < ARENA_MAX_LANES; l++) {
                uint32_t st = atomic_load(&((Arena *)a)->lanes[l].state);
                if (lane_line[l] < 0 || st == LANE_FINISHED || st == LANE_NEW) {
                    continue;
                }
                lo = lo < 0 || lane_line[l] < lo ? lane_line[l] : lo;
                hi = lane_line[l] > hi ? lane_line[l] : hi;
            }
            if (lo > 0) {
                /* a line of context above, unless that hides the lowest marker */
                first = (size_t)(hi - (lo - 1) < code_rows ? lo - 1 : lo);
            }
            if (first + (size_t)code_rows > ncode) {
                first = ncode - (size_t)code_rows;
            }
            code_bottom = row + code_rows;
        }
    }
    for (size_t i = first; i < ncode && row < code_bottom; i++, row++) {
        char names[64] = "";
        int count = 0, shown = 0;
        size_t len = 0;
        for (unsigned l = 0; a != NULL && l < nlanes; l++) {
            const ArenaLane *al = &a->lanes[l];
            uint32_t st = atomic_load(&((ArenaLane *)al)->state);
            char nm[LANE_NAME_MAX];
            if (st == LANE_FINISHED || st == LANE_NEW) {
                continue;
            }
            if (lane_line[l] != (int)i) {
                continue;
            }
            count++;
            lane_name(l, nm);
            if (len + strlen(nm) + 1 <= (size_t)gut - 2) {
                len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                        shown > 0 ? " " : "", nm);
                shown++;
            }
        }
        if (count > shown) {
            snprintf(names + len, sizeof(names) - len, "+%d", count - shown);
        }
        if (count > 0) {
            int nw = (int)strlen(names);
            draw_text(g, x + gut - 1 - nw, row, nw, names, (size_t)-1, UI_MARKER);
            grid_put(g, x + gut - 1, row, DRAW_ARROW, (CellStyle)UI_MARKER);
        }
        draw_text(g, x + gut + 1, row, w - gut - 1, code[i].text, (size_t)-1, UI_CODE);
    }
    if (a == NULL) {
        if (row + 1 < bottom) {
            draw_text(g, x, row + 1, w,
                      stepping ? "starting the step run ..." : "no run yet: space starts one",
                      (size_t)-1, STYLE_DIM);
        }
        return;
    }
    /* shared variables and mutexes (with the wait-for graph on screen, the
     * mutexes are in the graph, and the heading shares the values' row) */
    row++;
    if (skip_shared) {
        row--;
    } else if (row < bottom) {
        uint32_t nobjs = atomic_load(&((Arena *)a)->nobjs);
        bool graph = ls->side == NULL && waitgraph_wanted(a), any = !graph;
        int col = x;
        for (uint32_t o = 1; o < nobjs && !any; o++) {
            any = a->objs[o].kind == OBJ_VAR;
        }
        if (!any) {
            row--; /* nothing to show: the graph has the locks */
        } else if (graph) {
            col += draw_text(g, x, row, w, "shared", (size_t)-1, UI_HEADING) + 2;
        } else {
            draw_text(g, x, row++, w, "shared", (size_t)-1, UI_HEADING);
        }
        for (uint32_t o = 1; any && o < nobjs && row < bottom; o++) {
            const ArenaObj *ob = &a->objs[o];
            int64_t v = atomic_load(&((ArenaObj *)ob)->value);
            char buf[128];
            if (ob->kind == OBJ_VAR) {
                snprintf(buf, sizeof(buf), "%s = %" PRId64, arena_str(a, ob->name), v);
            } else if (ob->kind == OBJ_MUTEX && !graph) {
                char holder[LANE_NAME_MAX] = "";
                if (v >= 0) {
                    lane_name((unsigned)v, holder);
                }
                snprintf(buf, sizeof(buf), "mutex %s: %s%s", arena_str(a, ob->name),
                         v >= 0 ? "held by " : "free", holder);
            } else {
                continue;
            }
            if (col + (int)strlen(buf) > x + w) {
                col = x;
                row++;
            }
            col += draw_text(g, col, row, x + w - col, buf, (size_t)-1, UI_GOOD) + 3;
        }
        row += any ? 1 : 0;
    }
    /* lanes */
    row++;
    if (row < bottom) {
        int room = bottom - row - 2;
        draw_textf(g, x, row++, w, UI_HEADING, "lanes%s",
                   stepping ? " (next step)" : " (last step)");
        for (unsigned l = 0; l < nlanes && row < bottom; l++) {
            const ArenaLane *al = &a->lanes[l];
            uint32_t st = atomic_load(&((ArenaLane *)al)->state);
            int32_t by = atomic_load(&((ArenaLane *)al)->blocked_by);
            char nm[LANE_NAME_MAX], op[128];
            int cx = x;
            int style = st == LANE_BLOCKED    ? STYLE_BLOCKED
                        : st == LANE_FINISHED ? STYLE_DIM
                                              : STYLE_TEXT;
            if ((int)l >= room && l + 1 < nlanes) {
                draw_textf(g, x, row++, w, STYLE_DIM, "... and %u more lanes", nlanes - l);
                break;
            }
            lane_name(l, nm);
            if (ls_lane_wait(ls, l) >= 0) {
                /* "A   ▔ waits: buffer full (asleep on cond cv)" */
                const WaitClass *wc = &ls_view(ls)->waits[ls_lane_wait(ls, l)];
                int ws = ls_wait_style(wc);
                int cx2 = x + draw_textf(g, x, row, w, ws, "%-3s ", nm);
                draw_glyph(g, cx2, row, wc->utf8, wc->ascii, ws);
                cx2 += 2;
                cx2 += draw_textf(g, cx2, row, x + w - cx2, ws, "waits: %s", wc->what);
                if (waitgraph_lane_wait(&ls->wf, a, l, op, sizeof(op))) {
                    draw_textf(g, cx2, row, x + w - cx2, STYLE_DIM, " (%s)", op);
                }
                row++;
                continue;
            }
            if (waitgraph_lane_wait(&ls->wf, a, l, op, sizeof(op))) {
                /* "B   blocked on acct1 (held by A)": what it waits for and who has it */
                draw_textf(g, x, row, w, waitgraph_in_cycle(&ls->wf, l) ? UI_CYCLE : STYLE_BLOCKED,
                           "%-3s %s", nm, op);
                row++;
                continue;
            }
            sched_describe_op(a, atomic_load(&((ArenaLane *)al)->op),
                              atomic_load(&((ArenaLane *)al)->op_obj), op, sizeof(op));
            cx += draw_textf(g, cx, row, w, style, "%-3s %-8s reg=%-4" PRId64 " ", nm,
                             lane_state_name(st), (int64_t)atomic_load(&((ArenaLane *)al)->reg));
            if (st != LANE_FINISHED && st != LANE_NEW) {
                grid_put(g, cx, row, DRAW_ARROW, (CellStyle)style);
                cx += 2;
                cx += draw_text(g, cx, row, x + w - cx, op, (size_t)-1, style);
                if (st == LANE_BLOCKED && by >= 0) {
                    char holder[LANE_NAME_MAX];
                    lane_name((unsigned)by, holder);
                    draw_textf(g, cx, row, x + w - cx, style, " (held by %s)", holder);
                }
            }
            row++;
        }
    }
    /* result */
    if (run_done(ls->run) && row < bottom) {
        const ArenaResult *res = &a->result;
        int cx = x;
        int v = run_verdict(ls->run);
        cx += draw_textf(g, cx, row, w, ls->end_good ? UI_GOOD : UI_ERROR, "%s", verdict_name(v));
        for (uint32_t i = 0; res->done && i < res->nfields && i < ARENA_MAX_FIELDS; i++) {
            char field[96], val[48];
            int len;
            demo_unit_format(demo_result_unit(ls->demo, res->fields[i].name), res->fields[i].value,
                             stepping, val, sizeof(val));
            len = snprintf(field, sizeof(field), "  %s %s", res->fields[i].name, val);
            if (cx + len > x + w && cx > x && row + 1 < bottom) {
                /* a field never gets cut: it moves to the next row */
                row++;
                cx = x;
            }
            cx += draw_textf(g, cx, row, x + w - cx, STYLE_TEXT, "%s", field);
        }
    }
}

/* Free-mode slice: the part of events from the last state change before
 * t0.  Returns the first index to hand to the renderer. */
static size_t ls_slice_start(const Event *ev, size_t n, uint64_t t0)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev[mid].t < t0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    while (lo > 0) {
        unsigned k = ev[lo - 1].kind;
        lo--;
        /* a release, or a sem_wait that went straight on, changes no state */
        if (k != EV_LOCK_RELEASE && !(k == EV_SEM_WAIT && ev[lo].value > 0)) {
            break;
        }
    }
    return lo;
}

/*
 * The legend on row ly: running and ready, then the demo's waits (what
 * tells its lanes apart) with '#' as the lock wait, or '#' as blocked when
 * the demo has none; lock marks; and what still fits of the rest.
 */
static void ls_draw_legend(LessonScreen *ls, Grid *g, int ly)
{
    const DemoView *dv = ls_view(ls);
    const int64_t *params = run_config(ls->run)->params;
    bool stepping = ls->mode == SCHED_STEP;
    int lx = 0;
    struct {
        char ch;
        const char *utf8;
        int style;
        const char *text;
    } items[4 + VIEW_MAX_WAITS + 8];
    size_t n = 0;

    items[n++] = (typeof(items[0])){'=', NULL, STYLE_RUNNING, "running"};
    items[n++] = (typeof(items[0])){'.', NULL, STYLE_READY, "ready"};
    for (unsigned k = 0; k < dv->nwaits && k < VIEW_MAX_WAITS; k++) {
        if (view_wait_in_use(dv, params, k)) {
            const WaitClass *wc = &dv->waits[k];
            items[n++] = (typeof(items[0])){wc->ascii, wc->utf8, ls_wait_style(wc), wc->legend};
        }
    }
    items[n++] =
        (typeof(items[0])){'#', NULL, STYLE_BLOCKED, dv->nwaits > 0 ? "lock wait" : "blocked"};
    items[n++] = (typeof(items[0])){'L', NULL, STYLE_MARK, "lock"};
    items[n++] = (typeof(items[0])){'U', NULL, STYLE_MARK, "unlock"};
    for (unsigned k = 0; k < dv->nlegend && n < ARRAY_SIZE(items); k++) {
        const LegendItem *li = &dv->legend[k];
        items[n++] = (typeof(items[0])){li->ascii, li->utf8, li->style, li->text};
    }
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(items[i].text);
        if (lx + 2 + len > g->w) {
            return;
        }
        draw_glyph(g, lx, ly, items[i].utf8, items[i].ch, items[i].style);
        lx += 2 + draw_text(g, lx + 2, ly, g->w, items[i].text, (size_t)-1, STYLE_DIM) + 2;
    }
    if (dv->nwaits > 0) {
        return; /* the waits took the room */
    }
    lx += draw_text(g, lx, ly, g->w - lx, "(blank) finished", (size_t)-1, STYLE_DIM) + 2;
    if (stepping) {
        draw_text(g, lx, ly, g->w - lx, "l load + add s store f fetch_add", (size_t)-1, STYLE_DIM);
    }
}

static void ls_draw_timeline(LessonScreen *ls, Grid *g, int y, int rows, int tw, int dh)
{
    unsigned nlanes = run_nlanes(ls->run);
    unsigned shown = nlanes < (unsigned)rows ? nlanes : (unsigned)rows;
    const Event **ev = calloc(shown > 0 ? shown : 1, sizeof(*ev));
    size_t *counts = calloc(shown > 0 ? shown : 1, sizeof(*counts));
    bool stepping = ls->mode == SCHED_STEP;
    const Arena *a = run_arena(ls->run);
    TimelineInput in;
    TimelineView view = {0, 0, 3};
    int cols = tw - 4;
    uint64_t end, span, per;
    char unit[32], head[256];
    int x;
    if (ev == NULL || counts == NULL) {
        free(ev);
        free(counts);
        return;
    }
    for (unsigned i = 0; i < shown; i++) {
        if (stepping) {
            counts[i] = run_lane_events(ls->run, i, &ev[i]);
        } else {
            ev[i] = ls->lanes[i].ev;
            counts[i] = ls->lanes[i].n;
        }
    }
    in = (TimelineInput){shown, ev, counts, stepping, 0, NULL};
    if (stepping) {
        in.t_end = run_steps(ls->run) > atomic_load(&((Arena *)a)->step)
                       ? run_steps(ls->run)
                       : atomic_load(&((Arena *)a)->step);
    } else if (!run_done(ls->run) && !ls->paused) {
        in.t_end = arena_time(a);
    } else if (run_done(ls->run)) {
        in.t_end = run_elapsed_ns(ls->run); /* as the text report draws it */
    }
    end = timeline_end(&in);
    if (ls->zoom < ls_zoom_min(ls) || ls->zoom > ls_zoom_max(ls)) {
        ls->zoom = 0;
    }
    if (stepping) {
        span = (uint64_t)cols << (-ls->zoom);
    } else {
        span = (end > 0 ? end : 1) >> ls->zoom;
        if (span < (uint64_t)cols) {
            span = (uint64_t)cols;
        }
    }
    if (ls->scroll_req < 0) {
        uint64_t back = (uint64_t)(-ls->scroll_req) * (span / 4 > 0 ? span / 4 : 1);
        ls->t0 = ls->t0 > back ? ls->t0 - back : 0;
    } else if (ls->scroll_req > 0) {
        ls->t0 += (uint64_t)ls->scroll_req * (span / 4 > 0 ? span / 4 : 1);
        if (ls->t0 + span >= end) {
            ls->follow = true;
        }
    }
    ls->scroll_req = 0;
    if (ls->follow) {
        ls->t0 = end > span ? end - span : 0;
        if (stepping && end <= span) {
            ls->t0 = 0;
        }
    }
    if (ls->t0 + span > end && end > span) {
        ls->t0 = end - span;
    }
    view.t0 = ls->t0;
    view.span = stepping || ls->zoom > 0 || ls->t0 > 0 ? span : 0;
    if (!stepping) {
        for (unsigned i = 0; i < shown; i++) {
            size_t s = ls_slice_start(ev[i], counts[i], view.t0);
            ev[i] += s;
            counts[i] -= s;
        }
    }
    {
        const DemoView *dv = ls_view(ls);
        TimelineWaits waits = {dv->waits, dv->nwaits, dv->wait_class, a,
                               run_config(ls->run)->params};
        in.waits = &waits;
        per = timeline_render(g, 0, y + 1, tw, &in, &view);
    }
    if (dh > 0) {
        /* the axis moves down under the demo's panel, which shares it */
        int ay = y + 1 + (int)shown;
        ViewCtx ctx;
        for (int cx = 0; cx < tw; cx++) {
            Cell *from = grid_at(g, cx, ay), *to = grid_at(g, cx, ay + dh);
            if (from != NULL && to != NULL) {
                *to = *from;
            }
        }
        draw_fill(g, 0, ay, tw, dh, STYLE_TEXT);
        ls_view_ctx(ls, &ctx);
        ctx.t0 = view.t0;
        ctx.per = per;
        ctx.t_end = end;
        ls->under->draw(ls->under_state, g, (Rect){0, ay, tw, dh}, &ctx);
    }
    timeline_format_time(per, stepping, unit, sizeof(unit));
    snprintf(head, sizeof(head), "timeline (%s%s per column)  %s%s", unit,
             stepping ? (per == 1 ? " step" : " steps") : "",
             ls->follow ? (run_done(ls->run) || ls->paused ? "" : "following")
                        : "scrolled: f follows",
             shown < nlanes ? "" : "");
    x = draw_text(g, 0, y, tw, head, (size_t)-1, UI_HEADING);
    if (shown < nlanes) {
        draw_textf(g, x + 2, y, tw - x - 2, STYLE_DIM, "lanes A-%c of %u shown",
                   'A' + shown - 1 > 'Z' ? '?' : 'A' + (int)shown - 1, nlanes);
    }
    ls_draw_legend(ls, g, y + 2 + (int)shown + dh);
    free(ev);
    free(counts);
}

static void ls_draw_params(LessonScreen *ls, Grid *g)
{
    int w = 70, h = (int)ls->demo->nparams + 5;
    int x0 = (g->w - w) / 2, y0 = (g->h - h) / 2;

    draw_fill(g, x0, y0, w, h, STYLE_TEXT);
    draw_hline(g, x0, y0, w, UI_HEADING);
    draw_hline(g, x0, y0 + h - 1, w, UI_HEADING);
    draw_textf(g, x0 + 2, y0, w - 4, UI_HEADING, " parameters of %s ", ls->demo->name);
    for (unsigned i = 0; i < ls->demo->nparams; i++) {
        const DemoParam *p = &ls->demo->params[i];
        char val[64], range[64];
        int style = (int)i == ls->psel ? UI_SELECTED : STYLE_TEXT;
        int y = y0 + 1 + (int)i;
        demo_param_format(p, ls->pedit[i], val, sizeof(val));
        demo_param_range(p, range, sizeof(range));
        draw_fill(g, x0 + 1, y, w - 2, 1, style);
        draw_textf(g, x0 + 2, y, w - 4, style, "%-11s %-9s %-20s %s", p->name, val, range, p->help);
    }
    draw_text(g, x0 + 2, y0 + h - 3, w - 4,
              "Up/Down choose, Left/Right change, digits type a number,", (size_t)-1, STYLE_DIM);
    draw_text(g, x0 + 2, y0 + h - 2, w - 4,
              "a letter picks a choice; Enter applies (new run), Esc cancels", (size_t)-1,
              STYLE_DIM);
}

static void ls_draw(void *self, Grid *g)
{
    LessonScreen *ls = self;
    int W = g->w, H = g->h;
    int tl_rows = 0, tl_lanes = 0, top_h, left_w;
    char right[128], sched[1024], banner[LS_MSG_MAX];
    int rx, banner_style;

    /* one snapshot of who holds and who waits for the whole frame */
    if (ls->run != NULL) {
        waitfor_build(&ls->wf, run_arena(ls->run));
    } else {
        memset(&ls->wf, 0, sizeof(ls->wf));
    }

    /* title bar */
    draw_fill(g, 0, 0, W, 1, UI_TITLE);
    if (ls->lesson != NULL && ls->lesson->npages > 0) {
        /* the page number always shows; a long title is cut instead */
        char pg[48];
        int pw = snprintf(pg, sizeof(pg), "  -  page %zu/%zu", ls->page + 1, ls->lesson->npages);
        int tw = draw_text(g, 1, 0, W - 30 - pw, ls->lesson->title, (size_t)-1, UI_TITLE);
        draw_text(g, 1 + tw, 0, pw, pg, (size_t)-1, UI_TITLE);
    } else {
        draw_textf(g, 1, 0, W - 30, UI_TITLE, "playground: %s",
                   ls->demo != NULL ? ls->demo->name : "");
    }
    if (ls->mode == SCHED_STEP) {
        snprintf(right, sizeof(right), "STEP MODE");
    } else if (ls->run != NULL && !run_done(ls->run)) {
        snprintf(right, sizeof(right), "FREE RUN %s%s", ls->paused ? "PAUSED" : "RUNNING",
                 ls->pace > 0 ? " (slow)" : "");
    } else {
        snprintf(right, sizeof(right), "FREE RUN%s", ls->pace > 0 ? " (slow motion)" : "");
    }
    draw_text(g, W - 1 - (int)strlen(right), 0, (int)strlen(right), right, (size_t)-1, UI_TITLE);

    /* bottom: schedule line, message line, key bar */
    keys_draw_bar(g, H - 1, ls_scope(ls));
    if (ls->modal == MODAL_PROMPT) {
        int px =
            draw_text(g, 0, H - 2, W,
                      "schedule file or text (Enter replays, ^U clears, Esc cancels): ", (size_t)-1,
                      UI_HEADING);
        int len = (int)ls->prompt_len;
        int off = len > W - px - 2 ? len - (W - px - 2) : 0;
        px += draw_text(g, px, H - 2, W - px, ls->prompt + off, (size_t)-1, STYLE_TEXT);
        grid_put(g, px, H - 2, '_', (CellStyle)UI_SELECTED);
    } else {
        draw_text(g, 0, H - 2, W, ls->msg, (size_t)-1, ls->msg_style);
    }
    if (ls->mode == SCHED_STEP && ls->run != NULL) {
        int sx;
        schedule_format(run_schedule(ls->run), sched, sizeof(sched));
        sx = draw_text(g, 0, H - 3, W, "schedule: ", (size_t)-1, UI_HEADING);
        sx += draw_text(g, sx, H - 3, W - sx - 12, sched[0] != '\0' ? sched : "(no step yet)",
                        (size_t)-1, sched[0] != '\0' ? UI_GOOD : STYLE_DIM);
        draw_textf(g, sx + 2, H - 3, W - sx - 2, STYLE_DIM, "step %" PRIu64,
                   (uint64_t)atomic_load(&((Arena *)run_arena(ls->run))->step));
    } else if (ls->run != NULL) {
        char t[32];
        uint64_t ns = run_done(ls->run) ? run_elapsed_ns(ls->run) : arena_time(run_arena(ls->run));
        timeline_format_time(ns, false, t, sizeof(t));
        draw_textf(g, 0, H - 3, W, STYLE_DIM,
                   "schedule: none (free run: the OS schedules)   %s  %" PRIu64 " events  %" PRIu64
                   " dropped  %u lanes",
                   t, run_events_total(ls->run), run_dropped_total(ls->run), run_nlanes(ls->run));
    } else {
        draw_text(g, 0, H - 3, W, "schedule: none yet (m: step mode, l: load a schedule)",
                  (size_t)-1, STYLE_DIM);
    }

    /* timeline */
    if (ls->run != NULL) {
        unsigned n = run_nlanes(ls->run);
        int max_lanes = H - 4 - 3 - 12;
        ViewCtx ctx;
        bool graph = ls->side == NULL && waitgraph_wanted(run_arena(ls->run));
        int dh = 0, gw = 0, ty;
        tl_lanes = (int)n < max_lanes ? (int)n : max_lanes;
        if (tl_lanes < 1) {
            tl_lanes = 1;
        }
        tl_rows = tl_lanes + 3;
        ls_view_ctx(ls, &ctx);
        if (ls->under != NULL) {
            /* the demo's panel under the lanes, on their time axis */
            dh = ls->under->want != NULL ? ls->under->want(&ctx, H) : (H >= 30 ? 3 : 2);
            dh = dh < 0 ? 0 : dh > 6 ? 6 : dh;
            tl_rows += dh;
        }
        if (ls->side != NULL) {
            /* the demo's panel beside the lanes, as wide as it wants */
            gw = ls->side->want != NULL ? ls->side->want(&ctx, W) : 34;
        } else if (graph) {
            /* the wait-for graph beside the timeline */
            gw = W - 46 < 34 ? 34 : W - 46 > 60 ? 60 : W - 46;
        }
        gw = gw < 0 ? 0 : gw > W - 40 ? W - 40 : gw;
        ty = H - 3 - tl_rows;
        ls_draw_timeline(ls, g, ty, tl_lanes, gw > 0 ? W - gw - 1 : W, dh);
        if (gw > 0) {
            /* beside the timeline's rows, but the legend's */
            draw_fill(g, W - gw - 1, ty, gw + 1, tl_rows - 1, STYLE_TEXT);
            draw_vline(g, W - gw - 1, ty, tl_rows - 1, STYLE_DIM);
            if (ls->side != NULL) {
                ls->side->draw(ls->side_state, g, (Rect){W - gw + 1, ty, gw - 1, tl_rows - 1},
                               &ctx);
            } else {
                waitgraph_draw(g, W - gw + 1, ty, gw - 1, tl_rows - 1, &ls->wf, run_arena(ls->run));
            }
        }
    }

    /* top: page text | code and state */
    top_h = H - 3 - tl_rows - 1 - (tl_rows > 0 ? 1 : 0);
    left_w = ls->demo != NULL ? (W * 45) / 100 : W - 2;
    ls_draw_text(ls, g, 1, 1, left_w - 2, top_h);
    if (ls->demo != NULL) {
        rx = left_w + 1;
        draw_vline(g, left_w, 1, top_h, STYLE_DIM);
        ls_draw_state(ls, g, rx + 1, 1, W - rx - 2, top_h);
    }
    if (tl_rows > 0) {
        draw_hline(g, 0, 1 + top_h, W, STYLE_DIM);
    }
    /* the verdict banner, over the line above the timeline (and up to two
     * rows above it when the text is long) */
    banner_style = ls_banner(ls, banner, sizeof(banner));
    if (banner_style != 0 && tl_rows > 0) {
        ls_draw_banner(g, 1 + top_h, 3, banner, banner_style);
    }
    if (ls->modal == MODAL_PARAMS) {
        ls_draw_params(ls, g);
    }
}

static const char *const ls_help_extra[] = {
    "Step mode: A, B, ... grant that lane one step; the schedule line shows every step taken.",
    "Undo replays the schedule minus its last step in a fresh run, so the state is exact.",
    "Pause stops the run's processes (SIGSTOP); resume continues them (SIGCONT).",
    "Slow motion makes each lane sleep at every step of a free run: still real threads, slower.",
    "Saved schedules go to $XDG_STATE_HOME/interleave/schedules/ (~/.local/state/...).",
    "Same schedule, other variant: in step mode e keeps your steps and replays them on the",
    "new parameters; l opens with the last schedule filled in, Enter replays it.",
    "Wait-for graph: (A) =holds=> [lock] -waits-> [lock] (held by B); * marks a cycle.",
    NULL,
};

static const char *const *ls_help(void *self)
{
    (void)self;
    return ls_help_extra;
}

const ScreenClass lesson_screen_class = {
    .name = "lesson",
    .scope = ls_scope,
    .on_key = ls_on_key,
    .on_action = ls_on_action,
    .tick = ls_tick,
    .draw = ls_draw,
    .help_extra = ls_help,
};

LessonScreen *lesson_screen_new(const UiEntry *entry, Progress *progress)
{
    LessonScreen *ls = calloc(1, sizeof(*ls));

    if (ls == NULL) {
        return NULL;
    }
    ls->entry = entry;
    ls->lesson = entry->lesson;
    ls->demo = entry->demo;
    ls->id = entry->lesson != NULL ? entry->lesson->id : entry->demo->name;
    ls->progress = progress;
    ls->mode = SCHED_FREE;
    ls->follow = true;
    if (ls->demo != NULL) {
        demo_params_default(ls->demo, ls->params);
    }
    if (ls->lesson != NULL && ls->lesson->npages > 0) {
        ls_goto_page(ls, 0);
    }
    ls_say(ls, STYLE_DIM, "%s",
           ls->demo != NULL ? "space runs the demo, m switches to step mode, ? shows every key"
                            : "n and p turn the pages, ? shows every key");
    return ls;
}

void lesson_screen_free(LessonScreen *screen)
{
    if (screen == NULL) {
        return;
    }
    ls_stop(screen);
    free(screen);
}
